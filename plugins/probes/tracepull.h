#pragma once

#include "pullclient.h"
#include "pulledsource.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>

namespace lundi {

class ImporterRegistry;

// Traces pulled from a tracing backend's query API, as one input for the importer of their
// format: a trace by id, or the traces of a search (service, operation, time window, minimum
// duration, limit).
// - Jaeger (api "jaeger"): /api/traces/ID and /api/traces?service=...&start=&end= (microseconds),
//   the {"data": [...]} JSON that the jaeger-json importer reads.
// - Jaeger's API v3 ("jaeger-v3"): /api/v3/traces/ID and /api/v3/traces?query.service_name=...,
//   OTLP/JSON in {"result": {...}}, for the otlp-json importer.
// - Grafana Tempo ("tempo"): /api/traces/ID with Accept: application/json, OTLP/JSON with its
//   resource spans under "batches"; a search (/api/search?tags=service.name=S ...&start=&end=, in
//   seconds) answers trace ids, each then fetched, the documents one after another.
class TracePull
{
  public:
    enum class Api { Jaeger, JaegerV3, Tempo };

    struct Search
    {
        std::string service;
        std::string operation; // empty: any
        qint64 startNs = 0;
        qint64 endNs = 0;
        std::optional<qint64> minDurationNs;
        std::optional<int> limit;
    };

    struct Request
    {
        std::string url; // the API's base URL, with its path prefix
        Api api = Api::Jaeger;
        std::string traceId;          // a trace by id, or
        std::optional<Search> search; // the traces of a search
    };

    // "jaeger", "jaeger-v3", "tempo".
    static std::optional<Api> apiNamed(const QString& name);
    // The URL of the trace or of the search, with its secrets replaced: the source's origin.
    static QString origin(const Request& request);
    // Whether text is a trace id the APIs take: 1 to 32 hexadecimal digits.
    static bool isTraceId(const std::string& text);
    // Pulls the traces, for an import as one source by the importer of their format from
    // registry (which must outlive the result): what lundi-cli pull-traces and the GUI's pull both
    // run. Throws as the constructor does, and ImportError when that importer is not installed.
    static PulledSource pull(const ImporterRegistry& registry, const Request& request,
                             const PullClient::Options& client);

    // Throws ImportError (located at the redacted URL): "trace ID not found", a search that
    // matches nothing, a refusal with the API's own sentence, no answer, an answer in no JSON.
    TracePull(PullClient& client, const Request& request);

    // "jaeger-json" or "otlp-json": the importer of content().
    QString format() const
    {
        return m_request.api == Api::Jaeger ? QStringLiteral("jaeger-json") : QStringLiteral("otlp-json");
    }
    const QByteArray& content() const { return m_content; }
    int traces() const { return m_traces; }
    int requests() const { return m_requests; }

  private:
    // The body of a 2xx answer; else the failure for its status with the API's own sentence.
    // traceId: of the trace the URL asks for; empty for a search.
    std::string fetch(const std::string& url, const std::string& traceId);
    void pullTempoSearch(const std::string& body, const std::string& url);

    PullClient& m_client;
    Request m_request;
    QByteArray m_content;
    int m_traces = 0;
    int m_requests = 0;
};

} // namespace lundi
