#include "command.h"
#include "commands.h"

#include "analysis/flametree.h"
#include "analysis/foldedstacks.h"
#include "analysis/toplist.h"
#include "store/storeerror.h"
#include "timeformat.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lundi::cli {

namespace {

FlameTree loadFlameTree(const Store& store, FlameTree::Roots roots)
{
    return FlameTree::build(store.spanRecords(), roots);
}

} // namespace

int runTop(const QStringList& arguments)
{
    Command command(QStringLiteral("top"), QStringLiteral("The frames that take the most time."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("by"), QStringLiteral("Rank by self or total time."),
                      QStringLiteral("self|total"), QStringLiteral("self")});
    parser.addOption(
        {QStringLiteral("category"), QStringLiteral("Only frames of this category."), QStringLiteral("C")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("At most N rows (0: all)."),
                      QStringLiteral("N"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    command.parse(arguments);
    const QString by = command.value("by");
    if (by != QLatin1String("self") && by != QLatin1String("total"))
        throw UsageError{QStringLiteral("--by takes self or total, not \"%1\"").arg(by)};
    std::optional<Category> category;
    if (command.isSet("category")) {
        category = categoryFromName(command.value("category"));
        if (!category)
            throw UsageError{
                QStringLiteral("unknown category \"%1\" (api, network, gpu, compliance, storage, compute, "
                               "queue, other)")
                    .arg(command.value("category"))};
    }
    bool limitOk = false;
    const qint64 limit = command.value("limit").toLongLong(&limitOk);
    if (!limitOk || limit < 0)
        throw UsageError{QStringLiteral("--limit takes a whole number, 0 or more")};
    command.requireExistingDb();

    const Store store(command.db());
    const std::vector<QString> names = store.strings();
    const auto entries =
        TopList::build(loadFlameTree(store, FlameTree::Roots::Merged),
                       by == QLatin1String("self") ? TopList::Order::BySelf : TopList::Order::ByTotal);
    QJsonArray json;
    QList<const TopList::Entry*> rows;
    for (const TopList::Entry& entry : entries) {
        if (category && entry.category != *category)
            continue;
        if (limit && rows.size() >= limit)
            break;
        rows.append(&entry);
    }
    if (command.isSet("json")) {
        for (const TopList::Entry* entry : rows) {
            json.append(QJsonObject{{QStringLiteral("name"), names[size_t(entry->name)]},
                                    {QStringLiteral("category"), categoryName(entry->category)},
                                    {QStringLiteral("self_ns"), entry->selfNs},
                                    {QStringLiteral("total_ns"), entry->totalNs},
                                    {QStringLiteral("count"), entry->count}});
        }
        printJson(QJsonDocument(json));
        return 0;
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5\n")
                 .arg(QStringLiteral("self"), 14)
                 .arg(QStringLiteral("total"), 14)
                 .arg(QStringLiteral("count"), 9)
                 .arg(QStringLiteral("category"), -10)
                 .arg(QStringLiteral("name"));
    for (const TopList::Entry* entry : rows) {
        out() << QStringLiteral("%1  %2  %3  %4  %5\n")
                     .arg(TimeFormat::duration(entry->selfNs), 14)
                     .arg(TimeFormat::duration(entry->totalNs), 14)
                     .arg(entry->count, 9)
                     .arg(categoryName(entry->category), -10)
                     .arg(names[size_t(entry->name)]);
    }
    out().flush();
    return 0;
}

int runFlame(const QStringList& arguments)
{
    Command command(QStringLiteral("flame"),
                    QStringLiteral("The flame tree as folded stacks ('root;...;leaf self_ns')."));
    command.parser().addOption(
        {QStringLiteral("folded"), QStringLiteral("Print folded stacks (the only output so far).")});
    command.parser().addOption(
        {QStringLiteral("by-track"), QStringLiteral("Make the track the first frame of every stack.")});
    command.parse(arguments);
    if (!command.isSet("folded"))
        throw UsageError{QStringLiteral("flame needs --folded")};
    command.requireExistingDb();
    const Store store(command.db());
    const std::vector<QString> names = store.strings();
    QHash<TrackId, QString> trackNames;
    for (const Track& track : store.tracks())
        trackNames.insert(track.id, track.name);
    const FlameTree tree = loadFlameTree(store, command.isSet("by-track") ? FlameTree::Roots::ByTrack
                                                                          : FlameTree::Roots::Merged);
    const QStringList lines = foldedStacks(
        tree, [&](qint64 frame) { return frame > 0 ? names[size_t(frame)] : trackNames.value(-frame); });
    for (const QString& line : lines)
        out() << line << '\n';
    out().flush();
    return 0;
}

} // namespace lundi::cli
