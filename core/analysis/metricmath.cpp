#include "metricmath.h"

#include <cmath>
#include <limits>
#include <map>

namespace lundi::MetricMath {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// The increase of a cumulative counter from one sample to the next; a drop is a reset.
double increase(double previous, double current)
{
    return current >= previous ? current - previous : current;
}

} // namespace

std::vector<Sample> rates(const std::vector<Sample>& counter)
{
    std::vector<Sample> result;
    if (counter.size() < 2)
        return result;
    result.reserve(counter.size() - 1);
    Sample previous = counter.front();
    for (size_t i = 1; i < counter.size(); ++i) {
        const Sample& sample = counter[i];
        if (sample.timeNs <= previous.timeNs)
            continue;
        const double seconds = double(sample.timeNs - previous.timeNs) / 1e9;
        result.push_back({sample.timeNs, increase(previous.value, sample.value) / seconds});
        previous = sample;
    }
    return result;
}

Quantile histogramQuantile(double q, const std::vector<Bucket>& buckets)
{
    if (buckets.size() < 2 || !std::isinf(buckets.back().upperBound) || std::isnan(q))
        return {NaN, false};
    if (q < 0)
        return {-std::numeric_limits<double>::infinity(), false};
    if (q > 1)
        return {std::numeric_limits<double>::infinity(), false};
    // Monotonic counts, as histogram_quantile() makes them: a lower count after a higher one is
    // a scrape taken mid-update, not fewer observations.
    std::vector<double> counts(buckets.size());
    double highest = 0;
    for (size_t i = 0; i < buckets.size(); ++i) {
        highest = std::max(highest, buckets[i].count);
        counts[i] = highest;
    }
    const double observations = counts.back();
    if (!(observations > 0))
        return {NaN, false};
    double rank = q * observations;
    size_t b = 0;
    while (b + 1 < counts.size() && counts[b] < rank)
        ++b;
    if (b == buckets.size() - 1)
        return {buckets[b - 1].upperBound, true};
    if (b == 0 && buckets[0].upperBound <= 0)
        return {buckets[0].upperBound, false};
    double start = 0;
    double inBucket = counts[b];
    if (b > 0) {
        start = buckets[b - 1].upperBound;
        inBucket -= counts[b - 1];
        rank -= counts[b - 1];
    }
    const double end = buckets[b].upperBound;
    if (inBucket <= 0)
        return {end, false};
    return {start + (end - start) * (rank / inBucket), false};
}

std::vector<QuantilePoint> quantilesOverTime(double q, const HistogramSeries& histogram)
{
    std::vector<QuantilePoint> result;
    const size_t bounds = histogram.upperBounds.size();
    if (bounds == 0 || histogram.samples.size() != bounds)
        return result;
    // Per scrape time, each bucket's count; a time not every bucket has is left out.
    std::map<qint64, std::vector<double>> scrapes;
    for (size_t b = 0; b < bounds; ++b) {
        for (const Sample& sample : histogram.samples[b]) {
            std::vector<double>& counts = scrapes[sample.timeNs];
            counts.resize(bounds, NaN);
            counts[b] = sample.value;
        }
    }
    std::erase_if(scrapes, [](const auto& scrape) {
        for (const double count : scrape.second) {
            if (std::isnan(count))
                return true;
        }
        return false;
    });
    std::vector<Bucket> buckets(bounds);
    for (size_t b = 0; b < bounds; ++b)
        buckets[b].upperBound = histogram.upperBounds[b];
    const auto addPoint = [&](qint64 timeNs) {
        const Quantile quantile = histogramQuantile(q, buckets);
        if (!std::isnan(quantile.value))
            result.push_back({timeNs, quantile});
    };
    if (scrapes.size() == 1) {
        for (size_t b = 0; b < bounds; ++b)
            buckets[b].count = scrapes.begin()->second[b];
        addPoint(scrapes.begin()->first);
        return result;
    }
    const std::vector<double>* previous = nullptr;
    for (const auto& [timeNs, counts] : scrapes) {
        if (previous) {
            for (size_t b = 0; b < bounds; ++b)
                buckets[b].count = increase((*previous)[b], counts[b]);
            addPoint(timeNs);
        }
        previous = &counts;
    }
    return result;
}

} // namespace lundi::MetricMath
