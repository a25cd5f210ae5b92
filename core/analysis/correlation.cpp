#include "correlation.h"

#include "metriccatalog.h"
#include "store/store.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

namespace lundi {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// The indices of the non-NaN values in value order: sorted once per series, so that ranking a
// subset of them (the pairs valid at one lag) is a linear walk.
std::vector<qint32> sortedIndices(const std::vector<double>& values)
{
    std::vector<qint32> order;
    order.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        if (!std::isnan(values[i]))
            order.push_back(qint32(i));
    }
    std::sort(order.begin(), order.end(),
              [&](qint32 a, qint32 b) { return values[size_t(a)] < values[size_t(b)]; });
    return order;
}

// Ranks (1-based, ties averaged) of the values whose position, shifted by `shift`, is marked
// valid; written at that shifted position.
void rankValid(const std::vector<double>& values, const std::vector<qint32>& order, qint64 shift,
               const std::vector<char>& valid, std::vector<double>& ranks)
{
    const qint64 size = qint64(valid.size());
    const auto validAt = [&](size_t k) {
        const qint64 at = order[k] - shift;
        return at >= 0 && at < size && valid[size_t(at)] ? at : qint64(-1);
    };
    qint64 rank = 0;
    size_t k = 0;
    while (k < order.size()) {
        // One group of equal values: count its valid members, then give each their average rank.
        const double value = values[size_t(order[k])];
        size_t end = k;
        qint64 tied = 0;
        for (; end < order.size() && values[size_t(order[end])] == value; ++end)
            tied += validAt(end) >= 0;
        const double average = double(rank) + (double(tied) + 1) / 2;
        for (; k < end; ++k) {
            if (const qint64 at = validAt(k); at >= 0)
                ranks[size_t(at)] = average;
        }
        rank += tied;
    }
}

// Pearson's r of the ranks at the valid positions.
Correlation::Coefficient pearsonOfRanks(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<char>& valid, qint64 n)
{
    if (n < 2)
        return {NaN, n};
    const double mean = (double(n) + 1) / 2;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (size_t i = 0; i < valid.size(); ++i) {
        if (!valid[i])
            continue;
        const double dx = x[i] - mean;
        const double dy = y[i] - mean;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx <= 0 || syy <= 0)
        return {NaN, n};
    return {std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0), n};
}

// What one lag of one series needs, kept between lags and series to allocate once.
struct Workspace
{
    std::vector<char> valid;
    std::vector<double> xRanks;
    std::vector<double> yRanks;
};

// ρ of y[i] with x[i + lag].
Correlation::Coefficient spearmanAtLag(const std::vector<double>& x, const std::vector<qint32>& xOrder,
                                       const std::vector<double>& y, const std::vector<qint32>& yOrder,
                                       int lag, Workspace& work)
{
    const qint64 size = qint64(y.size());
    work.valid.assign(size_t(size), 0);
    work.xRanks.resize(size_t(size));
    work.yRanks.resize(size_t(size));
    qint64 n = 0;
    for (qint64 i = std::max<qint64>(0, -lag); i < size && i + lag < qint64(x.size()); ++i) {
        const bool both = !std::isnan(y[size_t(i)]) && !std::isnan(x[size_t(i + lag)]);
        work.valid[size_t(i)] = both;
        n += both;
    }
    if (n < 2)
        return {NaN, n};
    rankValid(y, yOrder, 0, work.valid, work.yRanks);
    rankValid(x, xOrder, lag, work.valid, work.xRanks);
    return pearsonOfRanks(work.xRanks, work.yRanks, work.valid, n);
}

bool isConstant(const std::vector<double>& values)
{
    double first = NaN;
    for (const double value : values) {
        if (std::isnan(value))
            continue;
        if (std::isnan(first))
            first = value;
        else if (value != first)
            return false;
    }
    return true;
}

} // namespace

std::vector<Sample> Correlation::rootLatency(const std::vector<SpanRecord>& spans)
{
    std::vector<Sample> latency;
    for (const SpanRecord& span : spans) {
        if (span.parent == 0)
            latency.push_back({span.startNs + span.durNs, double(span.durNs)});
    }
    std::sort(latency.begin(), latency.end(),
              [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
    return latency;
}

std::vector<double> Correlation::resample(const std::vector<Sample>& samples, TimeRange range, qint64 stepNs)
{
    if (range.isEmpty() || stepNs <= 0)
        return {};
    const qint64 steps = (range.endNs - range.startNs + stepNs - 1) / stepNs;
    std::vector<double> sums(size_t(steps), 0);
    std::vector<qint32> counts(size_t(steps), 0);
    for (const Sample& sample : samples) {
        if (sample.timeNs < range.startNs || sample.timeNs >= range.endNs || !std::isfinite(sample.value))
            continue;
        const size_t step = size_t((sample.timeNs - range.startNs) / stepNs);
        sums[step] += sample.value;
        ++counts[step];
    }
    for (size_t i = 0; i < sums.size(); ++i)
        sums[i] = counts[i] ? sums[i] / counts[i] : NaN;
    return sums;
}

Correlation::Coefficient Correlation::spearman(std::span<const double> x, std::span<const double> y)
{
    const std::vector<double> xs(x.begin(), x.begin() + qsizetype(std::min(x.size(), y.size())));
    const std::vector<double> ys(y.begin(), y.begin() + qsizetype(xs.size()));
    Workspace work;
    return spearmanAtLag(xs, sortedIndices(xs), ys, sortedIndices(ys), 0, work);
}

qint64 Correlation::autoStep(const std::vector<Input>& series, TimeRange range)
{
    std::vector<qint64> intervals;
    std::vector<qint64> gaps;
    for (const Input& input : series) {
        gaps.clear();
        const Sample* previous = nullptr;
        for (const Sample& sample : input.values) {
            if (sample.timeNs < range.startNs || sample.timeNs >= range.endNs)
                continue;
            if (previous && sample.timeNs > previous->timeNs)
                gaps.push_back(sample.timeNs - previous->timeNs);
            previous = &sample;
        }
        if (gaps.empty())
            continue;
        std::nth_element(gaps.begin(), gaps.begin() + qsizetype(gaps.size() / 2), gaps.end());
        intervals.push_back(gaps[gaps.size() / 2]);
    }
    // Above a second, the finest step is a whole number of seconds, for steps a reader can read.
    qint64 finest = std::max<qint64>(1, (range.endNs - range.startNs + MaxSteps - 1) / MaxSteps);
    if (finest > 1'000'000'000)
        finest = (finest + 999'999'999) / 1'000'000'000 * 1'000'000'000;
    if (intervals.empty())
        return std::max(finest, (range.endNs - range.startNs) / 100);
    std::nth_element(intervals.begin(), intervals.begin() + qsizetype(intervals.size() / 2), intervals.end());
    return std::max(finest, intervals[intervals.size() / 2]);
}

Correlation::Result Correlation::rank(const std::vector<Sample>& latency, const std::vector<Input>& series,
                                      TimeRange range, const Options& options)
{
    Result result;
    const bool wholeIncident = range.isEmpty();
    if (wholeIncident && !latency.empty())
        range = {latency.front().timeNs, latency.back().timeNs + 1};
    result.maxLagSteps = std::max(0, options.maxLagSteps);
    if (range.isEmpty())
        return result;
    result.stepNs = options.stepNs > 0 ? std::max(options.stepNs, (range.endNs - range.startNs) / MaxSteps)
                                       : autoStep(series, range);
    // Whole steps on round times (multiples of the step, as Prometheus aligns its evaluations)
    // rather than from whenever the first request happened to end.
    if (wholeIncident) {
        range.startNs -= ((range.startNs % result.stepNs) + result.stepNs) % result.stepNs;
        range.endNs += (result.stepNs - (range.endNs - range.startNs) % result.stepNs) % result.stepNs;
    }
    result.range = range;
    const std::vector<double> y = resample(latency, range, result.stepNs);
    result.latencySteps = std::count_if(y.begin(), y.end(), [](double v) { return !std::isnan(v); });
    if (isConstant(y))
        return result;
    const std::vector<qint32> yOrder = sortedIndices(y);

    // Series are independent: ranked on every core, each thread with its own workspace, and
    // gathered in input order so that the result does not depend on the threads.
    enum class Outcome { Ranked, TooFew, Constant };
    std::vector<std::pair<Outcome, Row>> outcomes(series.size());
    const auto rankOne = [&](const Input& input, Workspace& work) -> std::pair<Outcome, Row> {
        const std::vector<double> x = resample(input.values, range, result.stepNs);
        if (std::count_if(x.begin(), x.end(), [](double v) { return !std::isnan(v); }) < options.minPoints)
            return {Outcome::TooFew, {}};
        if (isConstant(x))
            return {Outcome::Constant, {}};
        const std::vector<qint32> xOrder = sortedIndices(x);
        // Lags from 0 outwards, so that of equally strong lags the nearest wins.
        Row best;
        best.rho = NaN;
        for (int distance = 0; distance <= result.maxLagSteps; ++distance) {
            for (int sign = 1; sign >= (distance ? -1 : 1); sign -= 2) {
                const int lag = sign * distance;
                const Coefficient c = spearmanAtLag(x, xOrder, y, yOrder, lag, work);
                if (c.n < options.minPoints || std::isnan(c.rho))
                    continue;
                if (std::isnan(best.rho) || std::abs(c.rho) > std::abs(best.rho) + 1e-12) {
                    best.rho = c.rho;
                    best.lagSteps = lag;
                    best.n = c.n;
                }
            }
        }
        if (std::isnan(best.rho))
            return {Outcome::TooFew, {}};
        best.series = input.series;
        best.name = input.name;
        best.labelsJson = input.labelsJson;
        best.transform = input.transform;
        best.lagNs = qint64(best.lagSteps) * result.stepNs;
        return {Outcome::Ranked, std::move(best)};
    };
    const size_t threads =
        std::clamp<size_t>(series.size() / 64, 1, std::max(1u, std::thread::hardware_concurrency()));
    std::atomic<size_t> next = 0;
    const auto work = [&] {
        Workspace workspace;
        for (size_t i = next++; i < series.size(); i = next++)
            outcomes[i] = rankOne(series[i], workspace);
    };
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t)
        helpers.emplace_back(work);
    work();
    for (std::thread& helper : helpers)
        helper.join();
    for (auto& [outcome, row] : outcomes) {
        switch (outcome) {
        case Outcome::Ranked:
            result.rows.push_back(std::move(row));
            break;
        case Outcome::TooFew:
            ++result.tooFewPoints;
            break;
        case Outcome::Constant:
            ++result.constantSeries;
            break;
        }
    }
    std::stable_sort(result.rows.begin(), result.rows.end(),
                     [](const Row& a, const Row& b) { return std::abs(a.rho) > std::abs(b.rho); });
    return result;
}

std::vector<Correlation::Input> Correlation::inputs(const Store& store)
{
    const auto samplesOf = [&](SeriesId id) { return store.samples(id); };
    std::vector<Input> inputs;
    for (const MetricCatalog::Metric& metric :
         MetricCatalog::build(store.series(), store.sources(Store::SpanCounting::Skip))) {
        const QString transform = metric.kind == MetricCatalog::Kind::Histogram
                                      ? QStringLiteral("p%1").arg(MetricCatalog::CorrelatedQuantile * 100)
                                      : metric.transform();
        inputs.push_back({metric.series.front(), metric.name, metric.labelsJson, transform,
                          MetricCatalog::values(metric, samplesOf)});
    }
    return inputs;
}

Correlation::Result Correlation::compute(const Store& store, TimeRange range, const Options& options)
{
    return rank(rootLatency(store.spanRecords()), inputs(store), range, options);
}

} // namespace lundi
