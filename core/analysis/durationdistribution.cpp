#include "durationdistribution.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lundi {

namespace {

// The 1-2-5 edges: the largest edge <= ns (at least 1).
qint64 edgeAtOrBelow(qint64 ns)
{
    qint64 decade = 1;
    while (decade <= ns / 10)
        decade *= 10;
    for (const qint64 step : {5, 2}) {
        if (decade * step <= ns)
            return decade * step;
    }
    return decade;
}

qint64 nextEdge(qint64 edge)
{
    qint64 decade = 1;
    while (decade <= edge / 10)
        decade *= 10;
    const qint64 digit = edge / decade;
    if (decade > std::numeric_limits<qint64>::max() / 10)
        return std::numeric_limits<qint64>::max();
    return digit == 1 ? decade * 2 : digit == 2 ? decade * 5 : decade * 10;
}

} // namespace

DurationDistribution::DurationDistribution(std::vector<qint64> durationsNs) : m_sorted(std::move(durationsNs))
{
    std::sort(m_sorted.begin(), m_sorted.end());
}

qint64 DurationDistribution::percentile(double p) const
{
    if (m_sorted.empty())
        return 0;
    // The rank in exact integers (p in thousandths of a percent): 0.95 * 100 is 94.999... in
    // doubles, and a rank one off would pick the wrong request.
    const qint64 n = count();
    const qint64 milli = std::clamp<qint64>(std::llround(p * 1000), 0, 100'000);
    const qint64 rank = (milli * n + 99'999) / 100'000;
    return m_sorted[size_t(std::max<qint64>(rank, 1) - 1)];
}

DurationDistribution::Percentiles DurationDistribution::percentiles() const
{
    return {percentile(50), percentile(95), percentile(99)};
}

qint64 DurationDistribution::countOver(qint64 thresholdNs) const
{
    return m_sorted.end() - std::upper_bound(m_sorted.begin(), m_sorted.end(), thresholdNs);
}

double DurationDistribution::shareOver(qint64 thresholdNs) const
{
    return m_sorted.empty() ? 0.0 : double(countOver(thresholdNs)) / double(count());
}

std::vector<DurationDistribution::Bin> DurationDistribution::histogram() const
{
    std::vector<Bin> bins;
    if (m_sorted.empty())
        return bins;
    const qint64 longest = m_sorted.back();
    qint64 low = edgeAtOrBelow(std::max<qint64>(m_sorted.front(), 1));
    auto it = m_sorted.begin();
    do {
        const qint64 high = nextEdge(low);
        const auto end = high == std::numeric_limits<qint64>::max()
                             ? m_sorted.end()
                             : std::lower_bound(it, m_sorted.end(), high);
        bins.push_back({low, high, qint64(end - it)});
        it = end;
        low = high;
    } while (it != m_sorted.end() && low <= longest);
    return bins;
}

} // namespace lundi
