#include "command.h"
#include "commands.h"

#include "analysis/correlation.h"
#include "timeformat.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lundi::cli {

int runCorrelate(const QStringList& arguments)
{
    Command command(
        QStringLiteral("correlate"),
        QStringLiteral("Every metric series ranked by Spearman's correlation with the latency of root "
                       "spans, at the lag where it is strongest."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("range"), QStringLiteral("Only this time range (START..END)."),
                      QStringLiteral("A..B")});
    parser.addOption(
        {QStringLiteral("step"),
         QStringLiteral("Resample both sides to this step (default: the series' usual interval)."),
         QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("max-lag"), QStringLiteral("Scan lags of up to N steps either way."),
                      QStringLiteral("N"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    command.parse(arguments);
    Correlation::Options options;
    if (command.isSet("step")) {
        options.stepNs = command.durationValue("step");
        if (options.stepNs <= 0)
            throw UsageError{QStringLiteral("--step takes a duration above zero, such as 15s")};
    }
    bool lagOk = false;
    options.maxLagSteps = command.value("max-lag").toInt(&lagOk);
    if (!lagOk || options.maxLagSteps < 0 || options.maxLagSteps > 1000)
        throw UsageError{QStringLiteral("--max-lag takes a whole number from 0 to 1000")};
    const TimeRange range = command.isSet("range") ? command.rangeValue("range") : TimeRange{};
    command.requireExistingDb();

    const Store store(command.db());
    const Correlation::Result result = Correlation::compute(store, range, options);
    if (result.latencySteps == 0) {
        printError(
            range.isEmpty()
                ? QStringLiteral("%1 has no root spans, so there is no latency to correlate with.")
                      .arg(command.db())
                : QStringLiteral("No root span of %1 ends in %2..%3, so there is no latency to correlate "
                                 "with; widen --range.")
                      .arg(command.db(), TimeFormat::utc(range.startNs), TimeFormat::utc(range.endNs)));
        return ExitFailure;
    }
    if (command.isSet("json")) {
        QJsonArray rows;
        for (const Correlation::Row& row : result.rows) {
            rows.append(QJsonObject{
                {QStringLiteral("series"), row.name},
                {QStringLiteral("labels"), QJsonDocument::fromJson(row.labelsJson).object()},
                {QStringLiteral("transform"), row.transform},
                {QStringLiteral("series_id"), row.series},
                {QStringLiteral("rho"), row.rho},
                {QStringLiteral("lag_ns"), row.lagNs},
                {QStringLiteral("lag_steps"), row.lagSteps},
                {QStringLiteral("step_ns"), result.stepNs},
                {QStringLiteral("n"), row.n},
            });
        }
        printJson(QJsonDocument(rows));
        return 0;
    }
    out() << QStringLiteral("Root-span latency against %1 series, %2 to %3, step %4, lags up to ±%5 steps; a "
                            "negative lag: the series moved first.\n")
                 .arg(result.rows.size())
                 .arg(TimeFormat::utc(result.range.startNs), TimeFormat::utc(result.range.endNs),
                      TimeFormat::duration(result.stepNs))
                 .arg(result.maxLagSteps);
    out() << QStringLiteral("%1  %2  %3  %4  %5\n")
                 .arg(QStringLiteral("rho"), 6)
                 .arg(QStringLiteral("lag"), 12)
                 .arg(QStringLiteral("steps"), 5)
                 .arg(QStringLiteral("n"), 7)
                 .arg(QStringLiteral("series"));
    for (const Correlation::Row& row : result.rows) {
        const QString labels = row.labelsJson == "{}" ? QString() : QString::fromUtf8(row.labelsJson);
        out() << QStringLiteral("%1  %2  %3  %4  %5%6%7\n")
                     .arg(row.rho, 6, 'f', 3)
                     .arg(row.lagNs ? TimeFormat::duration(row.lagNs) : QStringLiteral("0"), 12)
                     .arg(row.lagSteps, 5)
                     .arg(row.n, 7)
                     .arg(row.name, labels,
                          row.transform.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(row.transform));
    }
    if (result.constantSeries || result.tooFewPoints)
        out() << QStringLiteral("Left out: %1 series that never change in the range, %2 with fewer than %3 "
                                "points paired with latency.\n")
                     .arg(result.constantSeries)
                     .arg(result.tooFewPoints)
                     .arg(options.minPoints);
    out().flush();
    return 0;
}

} // namespace lundi::cli
