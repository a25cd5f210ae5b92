#pragma once

#include "model.h"

#include <QList>

#include <array>
#include <functional>
#include <vector>

namespace lundi {

// The metric series of an incident as a reader plots and correlates them: a gauge as it is, a
// counter as its rate, the `_bucket` series of a histogram (one per `le` bound) as one metric
// whose quantiles are drawn, and exemplar series (`<name>:exemplar`, which carry a trace id)
// with the metric they were recorded for.
class MetricCatalog
{
  public:
    enum class Kind { Gauge, Counter, Histogram };

    struct Metric
    {
        Kind kind = Kind::Gauge;
        SourceId source = 0;
        QString name;          // a histogram's without "_bucket"
        QByteArray labelsJson; // a histogram's without "le"
        QString unit;          // of the values (a histogram's: of its bounds)
        // A gauge's or counter's one series; a histogram's buckets in bound order, +Inf last.
        std::vector<SeriesId> series;
        std::vector<double> upperBounds; // a histogram's, one per series
        struct ExemplarSeries
        {
            SeriesId series = 0;
            QString traceId; // lower-case; empty if the exemplar named none
        };
        std::vector<ExemplarSeries> exemplars;

        // "name{a="1",b="2"}", as PromQL writes a series.
        QString title() const;
        // What is plotted of it: "rate", "p50, p95, p99" or empty for a gauge.
        QString transform() const;
    };

    struct Line
    {
        QString label; // "p95", or the metric's title
        std::vector<Sample> points;
        // The times of the points that fell in the +Inf bucket: their value is the highest
        // finite bound, and the real one is above it.
        std::vector<qint64> aboveFiniteBoundsNs;
    };

    struct Exemplar
    {
        qint64 timeNs = 0;
        double value = 0;
        QString traceId; // empty if the exemplar named none
    };

    // What a plot of one metric draws.
    struct Plot
    {
        QString unit; // of the y axis: a counter's per second
        std::vector<Line> lines;
        std::vector<Exemplar> exemplars;
        double highestFiniteBound = 0; // a histogram's
        qint64 pointsAboveFiniteBounds = 0;
    };

    using SamplesOf = std::function<std::vector<Sample>(SeriesId)>;

    // Gauges and counters in series order, each histogram where its first bucket was.
    // sources: for their metadata, where Prometheus dumps say which families are counters.
    static std::vector<Metric> build(const QList<Series>& series, const QList<Source>& sources);

    // The quantiles drawn for a histogram, and the one correlation uses.
    static constexpr std::array<double, 3> Quantiles{0.5, 0.95, 0.99};
    static constexpr double CorrelatedQuantile = 0.95;

    static Plot plot(const Metric& metric, const SamplesOf& samplesOf);
    // The one line correlation ranks: a gauge's values, a counter's rate, a histogram's p95.
    static std::vector<Sample> values(const Metric& metric, const SamplesOf& samplesOf);
    // The trace id an exemplar's labels carry ("trace_id", as OpenMetrics writes it, or
    // "traceId", "trace.id"), lower-case; empty if none.
    static QString traceIdOf(const QByteArray& labelsJson);
};

} // namespace lundi
