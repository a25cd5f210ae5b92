#pragma once

#include "model.h"
#include "pullclient.h"
#include "pulledsource.h"

#include <rapidjson/fwd.h>

#include <QByteArray>
#include <QStringList>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lundi {

class Sink;

// A PromQL query over a window at a step, pulled from the query API that Prometheus, Thanos, Mimir
// and VictoriaMetrics share (/api/v1/query_range, under the URL's path prefix such as
// /prometheus): each series of the result a series of the source, named by its __name__ (else
// the query), labelled by its other labels (a JSON object with sorted keys, as the Prometheus
// importer writes them), its samples at their exact nanosecond. A window of more than
// MaxPointsPerRequest steps is asked for in parts of at most that many and put together, no
// sample twice.
class PrometheusRangePull
{
  public:
    // Prometheus refuses a query_range of more than 11,000 points a series.
    static constexpr qint64 MaxPointsPerRequest = 11'000;

    struct Query
    {
        std::string url; // the server, with its path prefix; or its /api/v1/query_range
        std::string promql;
        qint64 startNs = 0;
        qint64 endNs = 0;
        qint64 stepNs = 0;
    };

    struct PulledSeries
    {
        QString name;
        QByteArray labelsJson;
        std::vector<Sample> samples; // by time, each time once
    };

    // The parts of [startNs, endNs] that one request each asks for: each starts one step after
    // the last evaluation of the part before, so together they are evaluated at exactly the
    // times one request for the whole window would be.
    static std::vector<TimeRange> parts(qint64 startNs, qint64 endNs, qint64 stepNs);
    // The URL of the whole query, with its secrets replaced: the source's origin.
    static QString origin(const Query& query);
    // Pulls the query, for an import as one "prometheus-pull" source: what lundi-cli
    // pull-prometheus and the GUI's pull both run. Throws as the constructor does.
    static PulledSource pull(const Query& query, const PullClient::Options& client);

    // Throws ImportError (located at the redacted URL): the query refused (the API's own
    // sentence), the server unavailable after retries, no answer, an answer that is not the API's.
    PrometheusRangePull(PullClient& client, const Query& query);

    const std::vector<PulledSeries>& series() const { return m_series; }
    qint64 sampleCount() const { return m_samples; }
    int requests() const { return m_requests; }
    const QStringList& warnings() const { return m_warnings; }
    // The bodies as they came: what a duplicate of this pull is recognised by.
    const QByteArray& content() const { return m_content; }

    // The series, their samples, the warnings and the query (as metadata) into the sink.
    void write(Sink& sink) const;

  private:
    // One answer of the API, "status" a string: its error, or its series merged into m_series.
    void read(const rapidjson::Value& document, const std::string& url);

    Query m_query;
    std::vector<PulledSeries> m_series;
    std::unordered_map<std::string, size_t> m_seriesByIdentity; // name, NUL, labels
    qint64 m_samples = 0;
    int m_requests = 0;
    qint64 m_nativeHistograms = 0;
    QStringList m_warnings;
    QByteArray m_content;
};

} // namespace lundi
