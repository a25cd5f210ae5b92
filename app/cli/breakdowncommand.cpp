#include "command.h"
#include "commands.h"

#include "analysis/breakdown.h"
#include "timeformat.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

namespace lundi::cli {

namespace {

QJsonObject percentilesJson(const DurationDistribution::Percentiles& p)
{
    return {{QStringLiteral("p50"), p.p50}, {QStringLiteral("p95"), p.p95}, {QStringLiteral("p99"), p.p99}};
}

QString requestCount(qint64 count)
{
    return count == 1 ? QStringLiteral("1 request")
                      : QStringLiteral("%1 requests").arg(QLocale().toString(count));
}

// One decimal, two below 0.1 %: one request in 3,000 over an SLO is not "0.0 %".
QString percent(double share)
{
    const double value = 100 * share;
    if (value > 0 && value < 0.005)
        return QStringLiteral("< 0.01 %");
    return QStringLiteral("%1 %").arg(value, 0, 'f', value > 0 && value < 0.1 ? 2 : 1);
}

} // namespace

int runBreakdown(const QStringList& arguments)
{
    Command command(QStringLiteral("breakdown"),
                    QStringLiteral("Where the requests' time went, by category: critical-path time (what "
                                   "made them slow; sums to their latency) and self time (the work done), "
                                   "with the requests' latency."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("range"), QStringLiteral("Only requests that start in this range."),
                      QStringLiteral("START..END")});
    parser.addOption(
        {QStringLiteral("slo"),
         QStringLiteral("A latency objective (\"2s\", \"500ms\"): how many requests take longer."),
         QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    command.parse(arguments);
    SpanFilter filter;
    if (command.isSet("range"))
        filter.range = command.rangeValue("range");
    std::optional<qint64> slo;
    if (command.isSet("slo")) {
        slo = command.durationValue("slo");
        if (*slo <= 0)
            throw UsageError{QStringLiteral("--slo takes a duration above zero, such as 2s or 500ms")};
    }
    command.requireExistingDb();

    const Store store(command.db());
    const std::vector<Breakdown::Request> requests = Breakdown::requests(store.spanRecords(), filter);
    const Breakdown::Summary summary = Breakdown::summarise(requests);
    // Most critical-path time first: the likeliest culprit leads.
    std::vector<Breakdown::CategoryRow> rows = summary.categories;
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.criticalNs != b.criticalNs ? a.criticalNs > b.criticalNs : a.selfNs > b.selfNs;
    });

    if (command.isSet("json")) {
        QJsonArray categories;
        for (const Breakdown::CategoryRow& row : rows) {
            categories.append(QJsonObject{
                {QStringLiteral("category"), categoryName(row.category)},
                {QStringLiteral("critical_ns"), row.criticalNs},
                {QStringLiteral("critical_share"), row.criticalShare},
                {QStringLiteral("critical_per_request_ns"), percentilesJson(row.criticalPerRequest)},
                {QStringLiteral("self_ns"), row.selfNs},
                {QStringLiteral("self_share"), row.selfShare},
                {QStringLiteral("self_per_request_ns"), percentilesJson(row.selfPerRequest)},
            });
        }
        QJsonObject json{
            {QStringLiteral("range"),
             filter.clips() ? QJsonValue(QJsonObject{{QStringLiteral("start_ns"), filter.range.startNs},
                                                     {QStringLiteral("end_ns"), filter.range.endNs}})
                            : QJsonValue()},
            {QStringLiteral("requests"), summary.requests},
            {QStringLiteral("latency_ns"), percentilesJson(summary.latency.percentiles())},
            {QStringLiteral("critical_ns"), summary.criticalNs},
            {QStringLiteral("self_ns"), summary.selfNs},
            {QStringLiteral("categories"), categories},
        };
        if (slo) {
            json.insert(QStringLiteral("slo"),
                        QJsonObject{{QStringLiteral("threshold_ns"), *slo},
                                    {QStringLiteral("over"), summary.latency.countOver(*slo)},
                                    {QStringLiteral("share_over"), summary.latency.shareOver(*slo)}});
        }
        printJson(QJsonDocument(json));
        return 0;
    }

    if (summary.requests == 0) {
        out() << (filter.clips()
                      ? QStringLiteral("No request (root span) starts in %1 .. %2.\n")
                            .arg(TimeFormat::utc(filter.range.startNs), TimeFormat::utc(filter.range.endNs))
                      : QStringLiteral("The incident holds no request (root span).\n"));
        out().flush();
        return 0;
    }
    const DurationDistribution::Percentiles latency = summary.latency.percentiles();
    out() << QStringLiteral("%1%2\n").arg(
        requestCount(summary.requests),
        filter.clips() ? QStringLiteral(" that start in %1 .. %2")
                             .arg(TimeFormat::utc(filter.range.startNs), TimeFormat::utc(filter.range.endNs))
                       : QString());
    out() << QStringLiteral("latency: p50 %1, p95 %2, p99 %3\n")
                 .arg(TimeFormat::duration(latency.p50), TimeFormat::duration(latency.p95),
                      TimeFormat::duration(latency.p99));
    if (slo) {
        out() << QStringLiteral("over the %1 SLO: %2 (%3)\n")
                     .arg(TimeFormat::duration(*slo), requestCount(summary.latency.countOver(*slo)),
                          percent(summary.latency.shareOver(*slo)));
    }
    out() << QStringLiteral(
        "\ncritical path: what the requests waited for (sums to their latency); self: the "
        "work done (parallel work adds up); per request: p50 / p95 / p99\n\n");
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                 .arg(QStringLiteral("category"), -10)
                 .arg(QStringLiteral("critical path"), 14)
                 .arg(QStringLiteral("share"), 7)
                 .arg(QStringLiteral("per request"), -38)
                 .arg(QStringLiteral("self"), 14)
                 .arg(QStringLiteral("share"), 7)
                 .arg(QStringLiteral("per request"));
    const auto perRequest = [](const DurationDistribution::Percentiles& p) {
        return QStringLiteral("%1 / %2 / %3")
            .arg(TimeFormat::duration(p.p50), TimeFormat::duration(p.p95), TimeFormat::duration(p.p99));
    };
    for (const Breakdown::CategoryRow& row : rows) {
        if (row.criticalNs == 0 && row.selfNs == 0)
            continue;
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(categoryName(row.category), -10)
                     .arg(TimeFormat::duration(row.criticalNs), 14)
                     .arg(percent(row.criticalShare), 7)
                     .arg(perRequest(row.criticalPerRequest), -38)
                     .arg(TimeFormat::duration(row.selfNs), 14)
                     .arg(percent(row.selfShare), 7)
                     .arg(perRequest(row.selfPerRequest));
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                 .arg(QStringLiteral("all"), -10)
                 .arg(TimeFormat::duration(summary.criticalNs), 14)
                 .arg(percent(1), 7)
                 .arg(QString(), -38)
                 .arg(TimeFormat::duration(summary.selfNs), 14)
                 .arg(percent(1), 7);
    out().flush();
    return 0;
}

} // namespace lundi::cli
