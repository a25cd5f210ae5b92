#pragma once

#include <QtGlobal>

#include <vector>

namespace lundi {

// Durations (request latencies, a category's time per request) sorted once, asked for their
// percentiles, how many exceed a threshold, and a histogram on a log scale.
//
// Percentiles are nearest-rank: the p-th percentile of n values is the smallest value v such
// that at least p % of the values are <= v, that is sorted[ceil(p / 100 * n) - 1] (p = 0: the
// smallest value). It is always a value that occurred, so a p99 is one real request's latency,
// never an interpolation between two.
class DurationDistribution
{
  public:
    struct Percentiles
    {
        qint64 p50 = 0;
        qint64 p95 = 0;
        qint64 p99 = 0;
    };

    // A histogram bin: [lowNs, highNs).
    struct Bin
    {
        qint64 lowNs = 0;
        qint64 highNs = 0;
        qint64 count = 0;
    };

    DurationDistribution() = default;
    explicit DurationDistribution(std::vector<qint64> durationsNs);

    qint64 count() const { return qint64(m_sorted.size()); }
    bool isEmpty() const { return m_sorted.empty(); }
    const std::vector<qint64>& sorted() const { return m_sorted; }

    // p in [0, 100]; 0 with no values.
    qint64 percentile(double p) const;
    Percentiles percentiles() const;
    // How many durations are strictly longer than the threshold, and their share (0 with none).
    qint64 countOver(qint64 thresholdNs) const;
    double shareOver(qint64 thresholdNs) const;

    // Bins whose edges follow 1, 2, 5, 10, 20, 50 ... ns, from the edge at or below the shortest
    // duration to the first above the longest, so labels read "1 ms", "2 ms", "5 ms" whatever
    // the scale (microsecond kernels, minute-long requests). Durations of 0 fall in the first bin.
    std::vector<Bin> histogram() const;

  private:
    std::vector<qint64> m_sorted;
};

} // namespace lundi
