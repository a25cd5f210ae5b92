#include "command.h"
#include "commands.h"

#include "classifier.h"
#include "ingest/importcontrol.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "prometheusrangepull.h"
#include "timeformat.h"
#include "tracepull.h"

#include <QJsonArray>

namespace lundi::cli {

namespace {

// The options of every pull: how to reach the API, and what to do with content already there.
void addPullOptions(Command& command)
{
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("header"),
                      QStringLiteral("Send this header, e.g. \"Authorization: Bearer ...\" or "
                                     "\"X-Scope-OrgID: tenant\" (Mimir). Repeatable. Values are never "
                                     "written to the incident."),
                      QStringLiteral("K:V")});
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("How long to wait for each answer (default 30s)."),
                      QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("cacert"),
                      QStringLiteral("Trust the certificates in this PEM file for HTTPS."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("Import content the incident already has.")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the summary as JSON.")});
}

PullClient::Options pullOptions(Command& command)
{
    PullClient::Options options;
    options.headers = headerList(command.parser().values(QStringLiteral("header")));
    if (command.isSet("timeout")) {
        const qint64 ns = command.durationValue("timeout");
        if (ns <= 0)
            throw UsageError{QStringLiteral("--timeout takes a positive duration")};
        options.timeout = std::chrono::milliseconds(std::max<qint64>(1, ns / 1'000'000));
    }
    options.caFile = command.value("cacert").toStdString();
    return options;
}

qint64 instantValue(const Command& command, const char* option)
{
    const std::optional<qint64> ns = TimeFormat::parseInstant(command.value(option));
    if (!ns)
        throw UsageError{QStringLiteral("--%1 takes a time such as 2026-11-24T10:00:00Z or Unix seconds, not "
                                        "\"%2\"")
                             .arg(QLatin1String(option), command.value(option))};
    return *ns;
}

// What was pulled, into the incident as one source, under the rules of an import (one
// transaction; content the incident has is refused without --force).
int store(const Command& command, const ImporterRegistry& registry, const PulledSource& pulled)
{
    Store store(command.db());
    const Classifier classifier = Classifier::standard();
    Ingestor ingestor(store, registry, classifier);
    ImportOptions options;
    options.force = command.isSet("force");
    ImportControl control;
    const ImportSummary summary = pulled.importInto(ingestor, options, control);
    if (command.isSet("json"))
        printJson(QJsonDocument(QJsonArray{summaryJson(summary)}));
    else
        printSummary(summary);
    return 0;
}

} // namespace

int runPullPrometheus(const QStringList& arguments)
{
    Command command(QStringLiteral("pull-prometheus"),
                    QStringLiteral("Pull a PromQL query over a time window from the query API of Prometheus, "
                                   "Thanos, Mimir or VictoriaMetrics (/api/v1/query_range) into an incident, "
                                   "as one source whose series are the query's."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("query"), QStringLiteral("The PromQL query."), QStringLiteral("Q")});
    parser.addOption({QStringLiteral("start"),
                      QStringLiteral("The window's start: RFC 3339 or Unix seconds."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("end"), QStringLiteral("The window's end: RFC 3339 or Unix seconds."),
                      QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("step"),
                      QStringLiteral("The resolution: a duration (15s, 1m) or seconds. Windows of more than "
                                     "11,000 steps are pulled in parts."),
                      QStringLiteral("STEP")});
    addPullOptions(command);
    parser.addPositionalArgument(
        QStringLiteral("URL"),
        QStringLiteral("The server, with its path prefix if it has one: http://prometheus:9090, "
                       "http://mimir/prometheus, http://victoria:8428."));
    command.parse(arguments);
    if (parser.positionalArguments().size() != 1)
        throw UsageError{QStringLiteral("pull-prometheus needs one URL")};
    for (const char* option : {"query", "start", "end", "step"}) {
        if (!command.isSet(option))
            throw UsageError{QStringLiteral("pull-prometheus needs --%1").arg(QLatin1String(option))};
    }
    PrometheusRangePull::Query query;
    query.url = parser.positionalArguments().front().toStdString();
    query.promql = command.value("query").toStdString();
    query.startNs = instantValue(command, "start");
    query.endNs = instantValue(command, "end");
    query.stepNs = command.durationValue("step");
    if (query.endNs < query.startNs)
        throw UsageError{QStringLiteral("--end is before --start")};
    if (query.stepNs <= 0)
        throw UsageError{QStringLiteral("--step takes a positive duration")};

    return store(command, ImporterRegistry(QStringList{}),
                 PrometheusRangePull::pull(query, pullOptions(command)));
}

int runPullTraces(const QStringList& arguments)
{
    Command command(
        QStringLiteral("pull-traces"),
        QStringLiteral("Pull a trace by id, or the traces of a search, from a Jaeger query API or "
                       "Grafana Tempo into an incident, as one source."));
    auto& parser = command.parser();
    parser.addOption(
        {QStringLiteral("trace"), QStringLiteral("The trace id (hexadecimal)."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("service"), QStringLiteral("Search the traces of this service."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("operation"), QStringLiteral("Search: only this operation (span name)."),
                      QStringLiteral("O")});
    parser.addOption({QStringLiteral("start"),
                      QStringLiteral("Search: the window's start, RFC 3339 or Unix seconds."),
                      QStringLiteral("TIME")});
    parser.addOption(
        {QStringLiteral("end"), QStringLiteral("Search: the window's end."), QStringLiteral("TIME")});
    parser.addOption({QStringLiteral("min-duration"),
                      QStringLiteral("Search: only traces at least this long, e.g. 500ms."),
                      QStringLiteral("DURATION")});
    parser.addOption(
        {QStringLiteral("limit"), QStringLiteral("Search: at most this many traces."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("api"),
                      QStringLiteral("jaeger (the query API, default), jaeger-v3 (its API v3, OTLP/JSON) or "
                                     "tempo (Grafana Tempo)."),
                      QStringLiteral("API")});
    addPullOptions(command);
    parser.addPositionalArgument(
        QStringLiteral("URL"),
        QStringLiteral("The query service, with its path prefix if it has one: http://jaeger-query:16686, "
                       "http://tempo:3200."));
    command.parse(arguments);
    if (parser.positionalArguments().size() != 1)
        throw UsageError{QStringLiteral("pull-traces needs one URL")};
    TracePull::Request request;
    request.url = parser.positionalArguments().front().toStdString();
    if (command.isSet("api")) {
        const std::optional<TracePull::Api> api = TracePull::apiNamed(command.value("api"));
        if (!api)
            throw UsageError{
                QStringLiteral("--api is jaeger, jaeger-v3 or tempo, not \"%1\"").arg(command.value("api"))};
        request.api = *api;
    }
    if (command.isSet("trace") == command.isSet("service"))
        throw UsageError{
            QStringLiteral("pull-traces needs --trace ID or --service S (with --start and --end)")};
    if (command.isSet("trace")) {
        for (const char* option : {"operation", "start", "end", "min-duration", "limit"}) {
            if (command.isSet(option))
                throw UsageError{QStringLiteral("--%1 is for a search (--service), not --trace")
                                     .arg(QLatin1String(option))};
        }
        request.traceId = command.value("trace").toStdString();
        if (!TracePull::isTraceId(request.traceId))
            throw UsageError{
                QStringLiteral("--trace takes a trace id of 1 to 32 hexadecimal digits, not \"%1\"")
                    .arg(command.value("trace"))};
    } else {
        if (!command.isSet("start") || !command.isSet("end"))
            throw UsageError{QStringLiteral("a search (--service) needs --start and --end")};
        TracePull::Search search;
        search.service = command.value("service").toStdString();
        search.operation = command.value("operation").toStdString();
        search.startNs = instantValue(command, "start");
        search.endNs = instantValue(command, "end");
        if (search.endNs <= search.startNs)
            throw UsageError{QStringLiteral("--end must be after --start")};
        if (command.isSet("min-duration"))
            search.minDurationNs = command.durationValue("min-duration");
        if (command.isSet("limit")) {
            bool ok = false;
            search.limit = command.value("limit").toInt(&ok);
            if (!ok || *search.limit < 1)
                throw UsageError{QStringLiteral("--limit takes a positive number")};
        }
        request.search = search;
    }

    const ImporterRegistry registry;
    return store(command, registry, TracePull::pull(registry, request, pullOptions(command)));
}

} // namespace lundi::cli
