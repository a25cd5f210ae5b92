#include "command.h"
#include "commands.h"

#include "analysis/baselinediff.h"
#include "timeformat.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

namespace lundi::cli {

namespace {

QString signedDuration(qint64 ns)
{
    return ns > 0 ? QLatin1Char('+') + TimeFormat::duration(ns) : TimeFormat::duration(ns);
}

QString perTrace(qint64 calls, qint64 traces)
{
    return traces > 0 ? QString::number(double(calls) / double(traces), 'f', 1) : QStringLiteral("–");
}

// "source 2 (api.json)" or "2026-11-23T08:00:00.000Z..2026-11-23T09:00:00.000Z".
QString describe(const SpanSelection& selection, const QList<Source>& sources)
{
    if (!selection.source)
        return QStringLiteral("%1..%2").arg(TimeFormat::utc(selection.range.startNs),
                                            TimeFormat::utc(selection.range.endNs));
    for (const Source& source : sources) {
        if (source.id == *selection.source)
            return QStringLiteral("source %1 (%2)").arg(source.id).arg(QFileInfo(source.origin).fileName());
    }
    return QStringLiteral("source %1").arg(*selection.source);
}

QJsonObject sideJson(const SpanSelection& selection, const BaselineDiff::Side& side, qint64 spanNs)
{
    QJsonObject json{{QStringLiteral("source"), selection.source ? QJsonValue(*selection.source) : QJsonValue()},
                     {QStringLiteral("range"), selection.source ? QJsonValue()
                                                                : QJsonObject{
                                                                      {QStringLiteral("start_ns"), selection.range.startNs},
                                                                      {QStringLiteral("end_ns"), selection.range.endNs},
                                                                  }},
                     {QStringLiteral("traces"), side.traces},
                     {QStringLiteral("mean_ns"), side.meanNs},
                     {QStringLiteral("p50_ns"), side.latency.p50},
                     {QStringLiteral("p95_ns"), side.latency.p95},
                     {QStringLiteral("p99_ns"), side.latency.p99},
                     {QStringLiteral("span_ns"), spanNs}};
    return json;
}

QJsonObject contributorJson(const BaselineDiff::Contributor& row, const std::vector<QString>& names)
{
    QJsonObject json{{QStringLiteral("category"), categoryName(row.category)},
                     {QStringLiteral("status"), contributorStatusName(row.status)},
                     {QStringLiteral("delta_p50_ns"), row.deltaP50Ns()},
                     {QStringLiteral("delta_p95_ns"), row.deltaP95Ns()},
                     {QStringLiteral("delta_mean_ns"), row.deltaMeanNs()},
                     {QStringLiteral("share"), row.share},
                     {QStringLiteral("baseline_p50_ns"), row.baseline.p50},
                     {QStringLiteral("baseline_p95_ns"), row.baseline.p95},
                     {QStringLiteral("incident_p50_ns"), row.incident.p50},
                     {QStringLiteral("incident_p95_ns"), row.incident.p95},
                     {QStringLiteral("delta_from_calls_ns"), row.fromCallsNs},
                     {QStringLiteral("delta_from_time_ns"), row.fromTimeNs},
                     {QStringLiteral("baseline_count"), row.baselineCalls},
                     {QStringLiteral("incident_count"), row.incidentCalls},
                     {QStringLiteral("baseline_traces"), row.baselineTraces},
                     {QStringLiteral("incident_traces"), row.incidentTraces}};
    if (!row.path.empty()) {
        QJsonArray path;
        for (const StringId frame : row.path)
            path.append(names[size_t(frame)]);
        json.insert(QStringLiteral("path"), path);
        json.insert(QStringLiteral("name"), names[size_t(row.path.back())]);
    }
    return json;
}

// A line of the table without the padding of its empty last column.
void printLine(QString line)
{
    while (line.endsWith(u' '))
        line.chop(1);
    out() << line << '\n';
}

void printRows(const std::vector<BaselineDiff::Contributor>& rows, const BaselineDiff& diff,
               const std::vector<QString>& names)
{
    printLine(QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8")
                  .arg(QStringLiteral("Δp50"), 12)
                  .arg(QStringLiteral("Δp95"), 12)
                  .arg(QStringLiteral("Δmean"), 12)
                  .arg(QStringLiteral("share"), 7)
                  .arg(QStringLiteral("calls/trace"), 13)
                  .arg(QStringLiteral("status"), -7)
                  .arg(QStringLiteral("category"), -10)
                  .arg(rows.front().path.empty() ? QString() : QStringLiteral("path")));
    for (const BaselineDiff::Contributor& row : rows) {
        QStringList path;
        for (const StringId frame : row.path)
            path.append(names[size_t(frame)]);
        printLine(QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8")
                      .arg(signedDuration(row.deltaP50Ns()), 12)
                      .arg(signedDuration(row.deltaP95Ns()), 12)
                      .arg(signedDuration(row.deltaMeanNs()), 12)
                      .arg(QString::number(100 * row.share, 'f', 1) + QLatin1Char('%'), 7)
                      .arg(perTrace(row.baselineCalls, diff.baseline.traces) + QStringLiteral(" → ") +
                               perTrace(row.incidentCalls, diff.incident.traces),
                           13)
                      .arg(contributorStatusName(row.status), -7)
                      .arg(categoryName(row.category), -10)
                      .arg(path.join(u';')));
    }
}

} // namespace

int runDiff(const QStringList& arguments)
{
    Command command(QStringLiteral("diff"),
                    QStringLiteral("The incident against a baseline: the call paths and categories whose "
                                   "critical-path time per trace changed, by how much at p50, p95 and on "
                                   "average, and their share of the change of the mean latency."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("baseline"),
                      QStringLiteral("What to compare with: a source (id or file name) or a time range."),
                      QStringLiteral("SOURCE|START..END")});
    parser.addOption({QStringLiteral("incident"),
                      QStringLiteral("What went wrong: a source (id or file name) or a time range."),
                      QStringLiteral("SOURCE|START..END")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    command.parse(arguments);
    if (!command.isSet("baseline") || !command.isSet("incident"))
        throw UsageError{QStringLiteral("diff needs --baseline and --incident")};
    command.requireExistingDb();

    const Store store(command.db());
    const SourceOrRange baselineArgument = command.sourceOrRangeValue(store, "baseline");
    const SourceOrRange incidentArgument = command.sourceOrRangeValue(store, "incident");
    const SpanSelection baseline{baselineArgument.source, baselineArgument.range};
    const SpanSelection incident{incidentArgument.source, incidentArgument.range};
    const QList<Source> sources = store.sources(Store::SpanCounting::Skip);
    const BaselineDiff diff = BaselineDiff::compute(store.spanRecords(), store.tracks(), baseline, incident);
    for (const auto& [side, selection, name] :
         {std::tuple{diff.baseline, baseline, "baseline"}, std::tuple{diff.incident, incident, "incident"}}) {
        if (side.traces == 0) {
            printError(
                QStringLiteral("The %1 (%2) holds no traces: name a source or a range with spans in it "
                               "(lundi-cli info lists them).")
                    .arg(QLatin1String(name), describe(selection, sources)));
            return ExitFailure;
        }
    }

    const std::vector<QString> names = store.strings();
    if (command.isSet("json")) {
        QJsonArray paths;
        for (const BaselineDiff::Contributor& row : diff.paths)
            paths.append(contributorJson(row, names));
        QJsonArray categories;
        for (const BaselineDiff::Contributor& row : diff.categories)
            categories.append(contributorJson(row, names));
        printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("baseline"),
             sideJson(baseline, diff.baseline, diff.flame.tree(FlameDiff::Widths::Baseline).root().totalNs)},
            {QStringLiteral("incident"),
             sideJson(incident, diff.incident, diff.flame.tree(FlameDiff::Widths::Incident).root().totalNs)},
            {QStringLiteral("delta_mean_ns"), diff.incident.meanNs - diff.baseline.meanNs},
            {QStringLiteral("contributors"), paths},
            {QStringLiteral("categories"), categories},
        }));
        return 0;
    }

    const QLocale locale;
    for (const auto& [side, selection, name] :
         {std::tuple{diff.baseline, baseline, "baseline"}, std::tuple{diff.incident, incident, "incident"}}) {
        out() << QStringLiteral("%1: %2: %3 traces, latency mean %4, p50 %5, p95 %6\n")
                     .arg(QLatin1String(name), -8)
                     .arg(describe(selection, sources), locale.toString(side.traces),
                          TimeFormat::duration(side.meanNs), TimeFormat::duration(side.latency.p50),
                          TimeFormat::duration(side.latency.p95));
    }
    out() << QStringLiteral("mean latency %1\n\n")
                 .arg(signedDuration(diff.incident.meanNs - diff.baseline.meanNs));
    if (diff.paths.empty() && diff.categories.empty()) {
        out() << QStringLiteral("No contributor: no call path's or category's critical-path time per trace "
                                "changed by %1 % of the mean latency or more.\n")
                     .arg(100 * BaselineDiff::MinimumShare);
        out().flush();
        return 0;
    }
    if (!diff.paths.empty()) {
        out() << QStringLiteral(
            "Call paths (critical-path time per trace; share of the mean latency's change):\n");
        printRows(diff.paths, diff, names);
    }
    if (!diff.categories.empty()) {
        out() << QStringLiteral("\nCategories:\n");
        printRows(diff.categories, diff, names);
    }
    out().flush();
    return 0;
}

} // namespace lundi::cli
