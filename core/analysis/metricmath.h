#pragma once

#include "model.h"

#include <vector>

namespace lundi {

// What a metric plot draws of raw samples: a counter as its rate, a histogram's cumulative
// buckets as quantiles, the way PromQL's rate() and histogram_quantile() compute them.
namespace MetricMath {

// Per second between each two samples of a cumulative counter, dated at the later one. A value
// below the one before is a reset (the process restarted and counts again from zero), so the
// increase is the new value itself; a sample no later than the one before is skipped.
std::vector<Sample> rates(const std::vector<Sample>& counter);

// One bucket of a histogram: observations at or below upperBound (cumulative, as Prometheus's
// `le` buckets are). The last bucket of a histogram is +Inf.
struct Bucket
{
    double upperBound = 0;
    double count = 0;
};

struct Quantile
{
    double value = 0; // NaN: no observations, or no +Inf bucket
    // The quantile lies in the +Inf bucket: the real value is somewhere above value, the
    // highest finite bound, and nothing more is known.
    bool aboveFiniteBounds = false;
};

// The q-quantile (0..1) of cumulative buckets sorted by bound, interpolated linearly within the
// bucket it falls in, as histogram_quantile() does (the first bucket starts at 0 when its bound
// is positive); counts that drop from one bucket to the next are taken as the higher one before.
Quantile histogramQuantile(double q, const std::vector<Bucket>& buckets);

// The buckets of one histogram over time: bounds in order (the last +Inf), and per bound its
// samples (cumulative over time, as a counter).
struct HistogramSeries
{
    std::vector<double> upperBounds;
    std::vector<std::vector<Sample>> samples; // one per bound
};

struct QuantilePoint
{
    qint64 timeNs = 0;
    Quantile quantile;
};

// The q-quantile of the observations made between each two scrapes (the increase of every
// bucket, resets counted as for rates), dated at the later scrape; with a single scrape, of
// all the observations it counts. A scrape with no new observation has no point. Scrapes are
// matched by time: a time that some bucket lacks is skipped.
std::vector<QuantilePoint> quantilesOverTime(double q, const HistogramSeries& histogram);

} // namespace MetricMath

} // namespace lundi
