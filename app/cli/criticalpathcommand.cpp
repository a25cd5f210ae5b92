#include "command.h"
#include "commands.h"

#include "analysis/criticalpath.h"
#include "analysis/criticalpathsummary.h"
#include "store/storeerror.h"
#include "timeformat.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lundi::cli {

namespace {

QString percent(double share)
{
    return QStringLiteral("%1%").arg(share * 100, 0, 'f', 1);
}

QJsonObject traceJson(const CriticalPath::Trace& trace, const std::vector<QString>& names)
{
    QJsonArray sections;
    for (const CriticalPath::Section& section : trace.sections)
        sections.append(QJsonObject{{QStringLiteral("span"), section.span},
                                    {QStringLiteral("name"), names[size_t(section.name)]},
                                    {QStringLiteral("category"), categoryName(section.category)},
                                    {QStringLiteral("start_ns"), section.startNs},
                                    {QStringLiteral("end_ns"), section.endNs}});
    return QJsonObject{
        {QStringLiteral("trace"), trace.traceId.isEmpty() ? QJsonValue() : QJsonValue(trace.traceId)},
        {QStringLiteral("root"), trace.root},
        {QStringLiteral("root_name"), names[size_t(trace.rootName)]},
        {QStringLiteral("start_ns"), trace.startNs},
        {QStringLiteral("duration_ns"), trace.durationNs},
        {QStringLiteral("sections"), sections}};
}

void printTrace(const CriticalPath::Trace& trace, const std::vector<QString>& names)
{
    const QString id = trace.traceId.isEmpty() ? QStringLiteral("(no trace id)") : trace.traceId;
    out() << QStringLiteral("trace %1  root span %2 \"%3\"  %4  at %5\n")
                 .arg(id)
                 .arg(trace.root)
                 .arg(names[size_t(trace.rootName)], TimeFormat::duration(trace.durationNs),
                      TimeFormat::utc(trace.startNs));
    out() << QStringLiteral("  %1  %2  %3  %4  %5\n")
                 .arg(QStringLiteral("from start"), 14)
                 .arg(QStringLiteral("time"), 14)
                 .arg(QStringLiteral("share"), 6)
                 .arg(QStringLiteral("category"), -10)
                 .arg(QStringLiteral("span"));
    const double total = double(std::max<qint64>(trace.durationNs, 1));
    for (const CriticalPath::Section& section : trace.sections)
        out() << QStringLiteral("  %1  %2  %3  %4  %5\n")
                     .arg(TimeFormat::duration(section.startNs - trace.startNs), 14)
                     .arg(TimeFormat::duration(section.endNs - section.startNs), 14)
                     .arg(percent(double(section.endNs - section.startNs) / total), 6)
                     .arg(categoryName(section.category), -10)
                     .arg(names[size_t(section.name)]);
}

void printSummary(const CriticalPathSummary& summary, const std::vector<QString>& names, qint64 limit)
{
    const auto p = summary.duration();
    out() << QStringLiteral("%1 traces, %2 in all; latency p50 %3, p95 %4, p99 %5\n\n")
                 .arg(summary.traceCount())
                 .arg(TimeFormat::duration(summary.totalNs()), TimeFormat::duration(p.p50),
                      TimeFormat::duration(p.p95), TimeFormat::duration(p.p99));
    const QString row = QStringLiteral("  %1  %2  %3  %4  %5  %6\n");
    out() << QStringLiteral("Critical-path time by category, per trace (traces without any count as 0):\n");
    out() << row.arg(QStringLiteral("share"), 6)
                 .arg(QStringLiteral("p50"), 12)
                 .arg(QStringLiteral("p95"), 12)
                 .arg(QStringLiteral("p99"), 12)
                 .arg(QStringLiteral("category"), -10)
                 .arg(QString());
    for (const auto& category : summary.categories()) {
        if (category.criticalNs == 0)
            continue;
        out() << row.arg(percent(category.share), 6)
                     .arg(TimeFormat::duration(category.perTrace.p50), 12)
                     .arg(TimeFormat::duration(category.perTrace.p95), 12)
                     .arg(TimeFormat::duration(category.perTrace.p99), 12)
                     .arg(categoryName(category.category), -10)
                     .arg(QString());
    }
    out() << QStringLiteral("\nCritical-path time by call path, per trace (%1):\n")
                 .arg(limit < 0 ? QStringLiteral("all") : QStringLiteral("top %1").arg(limit));
    out() << row.arg(QStringLiteral("share"), 6)
                 .arg(QStringLiteral("p50"), 12)
                 .arg(QStringLiteral("p95"), 12)
                 .arg(QStringLiteral("p99"), 12)
                 .arg(QStringLiteral("category"), -10)
                 .arg(QStringLiteral("call path"));
    qint64 shown = 0;
    for (const auto& path : summary.paths()) {
        if (shown++ == limit)
            break;
        QStringList frames;
        for (const StringId name : summary.callPath(path.node))
            frames += names[size_t(name)];
        out() << row.arg(percent(path.share), 6)
                     .arg(TimeFormat::duration(path.perTrace.p50), 12)
                     .arg(TimeFormat::duration(path.perTrace.p95), 12)
                     .arg(TimeFormat::duration(path.perTrace.p99), 12)
                     .arg(categoryName(path.category), -10)
                     .arg(frames.join(QStringLiteral(" > ")));
    }
}

} // namespace

int runCriticalPath(const QStringList& arguments)
{
    Command command(QStringLiteral("critical-path"),
                    QStringLiteral("The chain of spans that determined each trace's latency."));
    auto& parser = command.parser();
    parser.addOption(
        {QStringLiteral("trace"),
         QStringLiteral("Only this trace (its trace id, or the root span's id for traces without one)."),
         QStringLiteral("ID")});
    parser.addOption({QStringLiteral("range"), QStringLiteral("Only traces whose root starts in START..END."),
                      QStringLiteral("A..B")});
    parser.addOption({QStringLiteral("slowest"),
                      QStringLiteral("Only the slowest PERCENT of the traces (5: the slowest 5 %)."),
                      QStringLiteral("PERCENT")});
    parser.addOption({QStringLiteral("crisp"),
                      QStringLiteral("Tolerate clock skew as CRISP does: a child overlapping the next one on "
                                     "the path by up to 1 % of its parent still comes before it.")});
    parser.addOption({QStringLiteral("limit"),
                      QStringLiteral("Text: at most N call paths and the N slowest traces (0: all)."),
                      QStringLiteral("N"), QStringLiteral("10")});
    parser.addOption(
        {QStringLiteral("json"), QStringLiteral("Print JSON: an array with one object per trace.")});
    command.parse(arguments);

    CriticalPath::Selection selection;
    selection.trace = command.value("trace");
    if (command.isSet("range"))
        selection.filter.range = command.rangeValue("range");
    if (command.isSet("slowest")) {
        bool ok = false;
        const double percentValue = command.value("slowest").toDouble(&ok);
        if (!ok || percentValue <= 0 || percentValue > 100)
            throw UsageError{QStringLiteral("--slowest takes a percentage above 0 and at most 100")};
        selection.slowestShare = percentValue / 100;
    }
    CriticalPath::Options options;
    if (command.isSet("crisp"))
        options.skewTolerance = 0.01;
    bool limitOk = false;
    qint64 limit = command.value("limit").toLongLong(&limitOk);
    if (!limitOk || limit < 0)
        throw UsageError{QStringLiteral("--limit takes a whole number, 0 or more")};
    if (limit == 0)
        limit = -1; // never reached by a count
    command.requireExistingDb();

    const Store store(command.db());
    const std::vector<QString> names = store.strings();
    const std::vector<SpanRecord> spans = store.spanRecords();
    std::vector<CriticalPath::Trace> traces =
        CriticalPath::compute(spans, selection, options, store.rootTraceIds());
    if (!selection.trace.isEmpty() && traces.empty())
        throw StoreError(QStringLiteral("no trace has the id \"%1\" (nor a root span of that id); `lundi-cli "
                                        "critical-path --db %2 --json` lists them")
                             .arg(selection.trace, command.db()));

    if (command.isSet("json")) {
        QJsonArray json;
        for (const CriticalPath::Trace& trace : traces)
            json.append(traceJson(trace, names));
        printJson(QJsonDocument(json));
        return 0;
    }
    if (traces.empty()) {
        out() << QStringLiteral("No traces: no root span of some duration%1.\n")
                     .arg(selection.filter.clips() ? QStringLiteral(" starts in the range") : QString());
        return 0;
    }
    if (!selection.trace.isEmpty()) {
        for (const CriticalPath::Trace& trace : traces)
            printTrace(trace, names);
        return 0;
    }
    printSummary(CriticalPathSummary::build(spans, traces, selection.filter), names, limit);
    std::sort(traces.begin(), traces.end(), [](const CriticalPath::Trace& a, const CriticalPath::Trace& b) {
        return a.durationNs != b.durationNs ? a.durationNs > b.durationNs : a.root < b.root;
    });
    const qint64 slowest = limit < 0 ? qint64(traces.size()) : std::min<qint64>(limit, qint64(traces.size()));
    out() << QStringLiteral("\nThe %1 slowest traces:\n").arg(slowest);
    for (qint64 i = 0; i < slowest; ++i) {
        out() << '\n';
        printTrace(traces[size_t(i)], names);
    }
    return 0;
}

} // namespace lundi::cli
