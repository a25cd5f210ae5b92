#include "command.h"
#include "commands.h"

#include "analysis/suspects.h"
#include "timeformat.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lundi::cli {

namespace {

QJsonValue rangeJson(TimeRange range)
{
    return QJsonObject{{QStringLiteral("start_ns"), range.startNs}, {QStringLiteral("end_ns"), range.endNs}};
}

QString describe(const Suspects::Side& side)
{
    return QStringLiteral("%1 requests; the slowest %2 (%3) take %4 on average")
        .arg(side.traces)
        .arg(QString::number(Suspects::SlowestShare * 100, 'f', 0) + QLatin1Char('%'))
        .arg(side.slowTraces)
        .arg(TimeFormat::duration(side.meanSlowNs));
}

} // namespace

int runSuspects(const QStringList& arguments)
{
    Command command(
        QStringLiteral("suspects"),
        QStringLiteral("The bottlenecks, ranked: the frames that make up (or grew in) the critical "
                       "path of the slowest requests, each with its evidence."));
    auto& parser = command.parser();
    command.addComparisonOptions();
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    command.parse(arguments);
    command.requireExistingDb();
    const Store store(command.db());
    const QList<Track> tracks = store.tracks();
    const auto filterOf = [&](const SourceOrRange& side) {
        return SpanSelection{side.source, side.range}.filter(tracks);
    };

    std::optional<SourceOrRange> baseline;
    if (command.isSet("baseline"))
        baseline = command.sourceOrRangeValue(store, "baseline");
    SpanFilter incident;
    if (command.isSet("incident"))
        incident = filterOf(command.sourceOrRangeValue(store, "incident"));
    else if (baseline)
        incident = SpanSelection{baseline->source, baseline->range}.complement(tracks, store.timeRange());

    const std::vector<QString> names = store.strings();
    const Suspects::Result result =
        Suspects::find(store.spanRecords(), names, incident,
                       baseline ? std::optional<SpanFilter>(filterOf(*baseline)) : std::nullopt,
                       Correlation::inputs(store), store.rootTraceIds());

    if (command.isSet("json")) {
        QJsonArray json;
        for (const Suspects::Suspect& suspect : result.suspects) {
            QJsonObject row{{QStringLiteral("rank"), suspect.rank},
                            {QStringLiteral("category"), categoryName(suspect.category)},
                            {QStringLiteral("name"), names[size_t(suspect.name)]},
                            {QStringLiteral("critical_ns"), suspect.criticalNs},
                            {QStringLiteral("share"), suspect.share},
                            {QStringLiteral("baseline_share"),
                             suspect.baselineShare ? QJsonValue(*suspect.baselineShare) : QJsonValue()},
                            {QStringLiteral("evidence"), suspect.evidence},
                            {QStringLiteral("baseline_critical_ns"), suspect.baselineCriticalNs},
                            {QStringLiteral("contribution_ns"), suspect.contributionNs},
                            {QStringLiteral("slow_requests"), result.incident.slowTraces},
                            {QStringLiteral("slow_requests_with_it"), suspect.slowTracesWithIt},
                            {QStringLiteral("range"), rangeJson(suspect.range)},
                            {QStringLiteral("slowest_root"), suspect.slowestRoot}};
            if (const auto& moved = suspect.moved) {
                row.insert(QStringLiteral("series"), QJsonObject{{QStringLiteral("id"), moved->series},
                                                                 {QStringLiteral("title"), moved->title},
                                                                 {QStringLiteral("rho"), moved->rho},
                                                                 {QStringLiteral("lag_ns"), moved->lagNs}});
            }
            json.append(row);
        }
        printJson(QJsonDocument(json));
        return 0;
    }
    out() << QStringLiteral("Incident: %1\n").arg(describe(result.incident));
    if (result.baseline)
        out() << QStringLiteral("Baseline: %1\n").arg(describe(*result.baseline));
    if (result.suspects.empty())
        out() << (result.baseline ? QStringLiteral("No suspects: nothing on the slow requests' critical path "
                                                   "grew by 1% of their latency or more.\n")
                                  : QStringLiteral("No suspects: the incident has no requests.\n"));
    for (const Suspects::Suspect& suspect : result.suspects)
        out() << QStringLiteral("%1. %2\n").arg(suspect.rank).arg(suspect.evidence);
    out().flush();
    return 0;
}

} // namespace lundi::cli
