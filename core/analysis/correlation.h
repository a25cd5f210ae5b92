#pragma once

#include "model.h"

#include <limits>
#include <span>
#include <vector>

namespace lundi {

class Store;

// Outside Correlation, so that its default arguments can be {} (a nested struct's member
// initializers are not usable before the enclosing class ends).
struct CorrelationOptions
{
    qint64 stepNs = 0; // 0: the series' usual sampling interval (see Correlation::autoStep)
    int maxLagSteps = 10;
    qint64 minPoints = 8; // fewer pairs than this give no rho
};

// Which metric series moved with the requests' latency: each series and the latency of root
// spans (spans without a parent: a request, a trace) are resampled to one step (the mean of
// what falls in it), and ranked by Spearman's rank correlation at the lag, within ±maxLagSteps,
// where it is strongest. Spearman, not Pearson, so that a series that follows latency in any
// monotonic way (a queue that saturates, a log-scaled rate) ranks as high as a linear one.
//
// A lag pairs the latency at step t with the series at step t + lag: positive, the series moved
// after latency (an effect, or a slow gauge); negative, before it (a candidate cause).
class Correlation
{
  public:
    using Options = CorrelationOptions;

    // One series to rank: values already as a reader reads them (a counter's rate, a
    // histogram's p95; see MetricCatalog::values).
    struct Input
    {
        SeriesId series = 0; // the first of its series (a histogram's lowest bucket)
        QString name;
        QByteArray labelsJson;
        QString transform; // "", "rate", "p95"
        std::vector<Sample> values;
    };

    struct Row
    {
        SeriesId series = 0;
        QString name;
        QByteArray labelsJson;
        QString transform;
        double rho = 0;
        int lagSteps = 0;
        qint64 lagNs = 0;
        qint64 n = 0; // the pairs ρ was computed from
    };

    struct Result
    {
        TimeRange range;
        qint64 stepNs = 0;
        int maxLagSteps = 0;
        qint64 latencySteps = 0;   // steps with at least one root span ending in them
        std::vector<Row> rows;     // strongest |ρ| first
        qint64 tooFewPoints = 0;   // left out: fewer than minPoints steps with a value, or pairs at every lag
        qint64 constantSeries = 0; // left out: ρ is undefined for a series that never changes
    };

    struct Coefficient
    {
        double rho = std::numeric_limits<double>::quiet_NaN(); // NaN: undefined (a constant side)
        qint64 n = 0;
    };

    // Each root span's duration, dated at its end (when its latency is known), in time order.
    static std::vector<Sample> rootLatency(const std::vector<SpanRecord>& spans);
    // The mean of the finite values in each step of range ([start + k * step, + step)); NaN in
    // steps without one.
    static std::vector<double> resample(const std::vector<Sample>& samples, TimeRange range, qint64 stepNs);
    // Spearman's ρ of the pairs where neither side is NaN, tied values ranked by their average
    // rank.
    static Coefficient spearman(std::span<const double> x, std::span<const double> y);
    // The median of the series' median sampling intervals within range, at least range / MaxSteps.
    static qint64 autoStep(const std::vector<Input>& series, TimeRange range);
    static constexpr qint64 MaxSteps = 100'000;

    // range empty: from the first root span's end to the last's, widened to whole steps that
    // start at multiples of the step.
    static Result rank(const std::vector<Sample>& latency, const std::vector<Input>& series, TimeRange range,
                       const Options& options = {});
    // Every metric of the incident as correlation reads it (MetricCatalog::values).
    static std::vector<Input> inputs(const Store& store);
    // Every metric of the incident against its root spans.
    static Result compute(const Store& store, TimeRange range, const Options& options = {});
};

} // namespace lundi
