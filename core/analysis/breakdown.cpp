#include "breakdown.h"

#include "criticalpath.h"
#include "spanrecordindex.h"

#include <algorithm>
#include <cmath>

namespace lundi {

namespace {

size_t slot(Category category)
{
    return size_t(category);
}

} // namespace

std::vector<Breakdown::Request> Breakdown::requests(const std::vector<SpanRecord>& spans,
                                                    const SpanFilter& filter)
{
    std::vector<Request> requests;
    // Each kept span's nearest kept ancestor (-1: none) and its request (-1: none, or outside
    // the range); one pass in id order, since parents come first.
    std::vector<qint32> keptParent(spans.size(), -1);
    std::vector<qint32> requestOf(spans.size(), -1);
    std::vector<qint32> childCount(spans.size());
    std::vector<qint32> rootOf; // each request's root, an index in spans
    const SpanRecordIndex index(spans);
    for (size_t i = 0; i < spans.size(); ++i) {
        const SpanRecord& span = spans[i];
        qint32 parent = span.parent ? index.find(span.parent) : -1;
        if (parent >= 0 && !filter.acceptsTrack(spans[size_t(parent)].track))
            parent = keptParent[size_t(parent)];
        keptParent[i] = parent;
        if (!filter.acceptsTrack(span.track))
            continue;
        if (parent >= 0) {
            requestOf[i] = requestOf[size_t(parent)];
            if (requestOf[i] >= 0)
                ++childCount[size_t(parent)];
            continue;
        }
        const bool inRange =
            !filter.clips() || (span.startNs >= filter.range.startNs && span.startNs < filter.range.endNs);
        if (span.durNs <= 0 || !inRange)
            continue;
        requestOf[i] = qint32(requests.size());
        rootOf.push_back(qint32(i));
        requests.push_back({span.id, span.name, span.track, span.startNs, span.durNs, {}, {}});
    }

    // The children of each kept span, grouped by parent (counting sort), for the self times.
    std::vector<qint32> firstChild(spans.size() + 1);
    for (size_t i = 0; i < spans.size(); ++i)
        firstChild[i + 1] = firstChild[i] + childCount[i];
    std::vector<qint32> children(size_t(firstChild.back()));
    std::vector<qint32> filled(firstChild.begin(), firstChild.end() - 1);
    for (size_t i = 0; i < spans.size(); ++i) {
        if (requestOf[i] >= 0 && keptParent[i] >= 0)
            children[size_t(filled[size_t(keptParent[i])]++)] = qint32(i);
    }

    std::vector<std::pair<qint64, qint64>> intervals;
    for (size_t i = 0; i < spans.size(); ++i) {
        if (requestOf[i] < 0)
            continue;
        const SpanRecord& span = spans[i];
        const qint64 end = span.startNs + span.durNs;
        intervals.clear();
        for (qint32 c = firstChild[i]; c < firstChild[i + 1]; ++c) {
            const SpanRecord& child = spans[size_t(children[size_t(c)])];
            const qint64 from = std::max(child.startNs, span.startNs);
            const qint64 to = std::min(child.startNs + child.durNs, end);
            if (to > from)
                intervals.emplace_back(from, to);
        }
        std::sort(intervals.begin(), intervals.end());
        qint64 covered = 0;
        qint64 reach = span.startNs;
        for (const auto& [from, to] : intervals) {
            if (to > reach) {
                covered += to - std::max(from, reach);
                reach = to;
            }
        }
        requests[size_t(requestOf[i])].selfNs[slot(span.category)] +=
            std::max<qint64>(span.durNs - covered, 0);
    }

    const CriticalPath criticalPath(spans, filter);
    for (size_t r = 0; r < requests.size(); ++r) {
        for (const CriticalPath::Section& section : criticalPath.trace(rootOf[r]).sections)
            requests[r].criticalNs[slot(section.category)] += section.endNs - section.startNs;
    }

    std::stable_sort(requests.begin(), requests.end(),
                     [](const Request& a, const Request& b) { return a.startNs < b.startNs; });
    return requests;
}

Breakdown::Summary Breakdown::summarise(const std::vector<Request>& requests)
{
    Summary summary;
    summary.requests = qint64(requests.size());
    std::vector<qint64> values(requests.size());
    for (size_t r = 0; r < requests.size(); ++r)
        values[r] = requests[r].durNs;
    summary.latency = DurationDistribution(values);
    for (const Category category : AllCategories) {
        CategoryRow row;
        row.category = category;
        for (size_t r = 0; r < requests.size(); ++r) {
            values[r] = requests[r].criticalNs[slot(category)];
            row.criticalNs += values[r];
        }
        row.criticalPerRequest = DurationDistribution(values).percentiles();
        for (size_t r = 0; r < requests.size(); ++r) {
            values[r] = requests[r].selfNs[slot(category)];
            row.selfNs += values[r];
        }
        row.selfPerRequest = DurationDistribution(values).percentiles();
        summary.criticalNs += row.criticalNs;
        summary.selfNs += row.selfNs;
        summary.categories.push_back(row);
    }
    for (CategoryRow& row : summary.categories) {
        row.criticalShare = summary.criticalNs > 0 ? double(row.criticalNs) / double(summary.criticalNs) : 0;
        row.selfShare = summary.selfNs > 0 ? double(row.selfNs) / double(summary.selfNs) : 0;
    }
    return summary;
}

std::vector<Breakdown::Bucket> Breakdown::buckets(const std::vector<Request>& requests, TimeRange range,
                                                  qint64 stepNs, double slowestShare)
{
    std::vector<Bucket> buckets;
    if (range.isEmpty() || stepNs <= 0)
        return buckets;
    const qint64 count = (range.endNs - range.startNs + stepNs - 1) / stepNs;
    auto it = std::lower_bound(requests.begin(), requests.end(), range.startNs,
                               [](const Request& request, qint64 time) { return request.startNs < time; });
    std::vector<const Request*> inBucket;
    std::vector<qint64> latencies;
    for (qint64 b = 0; b < count; ++b) {
        Bucket bucket;
        bucket.startNs = range.startNs + b * stepNs;
        const qint64 end = std::min(bucket.startNs + stepNs, range.endNs);
        inBucket.clear();
        latencies.clear();
        for (; it != requests.end() && it->startNs < end; ++it) {
            inBucket.push_back(&*it);
            latencies.push_back(it->durNs);
        }
        bucket.requests = qint64(inBucket.size());
        bucket.latency = DurationDistribution(latencies).percentiles();
        if (!inBucket.empty()) {
            // The slowest first; equal latencies in start order, so the choice is reproducible.
            std::stable_sort(inBucket.begin(), inBucket.end(),
                             [](const Request* a, const Request* b) { return a->durNs > b->durNs; });
            const auto slow = std::clamp<qint64>(qint64(std::ceil(slowestShare * double(inBucket.size()))), 1,
                                                 qint64(inBucket.size()));
            bucket.slowRequests = slow;
            for (qint64 s = 0; s < slow; ++s) {
                for (size_t c = 0; c < AllCategories.size(); ++c)
                    bucket.slowCriticalMeanNs[c] += double(inBucket[size_t(s)]->criticalNs[c]);
            }
            for (double& mean : bucket.slowCriticalMeanNs)
                mean /= double(slow);
        }
        buckets.push_back(bucket);
    }
    return buckets;
}

Breakdown::Overview Breakdown::overview(const std::vector<SpanRecord>& spans, const SpanFilter& filter,
                                        int maxBuckets, double slowestShare)
{
    Overview overview;
    const std::vector<Request> requests = Breakdown::requests(spans, filter);
    overview.summary = summarise(requests);
    overview.scope = filter.range;
    if (!filter.clips() && !requests.empty())
        overview.scope = {requests.front().startNs, requests.back().startNs + 1};
    if (overview.scope.isEmpty())
        return overview;
    overview.stepNs = niceStep(overview.scope.endNs - overview.scope.startNs, maxBuckets);
    // Floor division: times before 1970 round down too.
    const qint64 start = overview.scope.startNs;
    const qint64 aligned =
        start / overview.stepNs * overview.stepNs - (start % overview.stepNs < 0 ? overview.stepNs : 0);
    overview.buckets = buckets(requests, {aligned, overview.scope.endNs}, overview.stepNs, slowestShare);
    return overview;
}

qint64 Breakdown::niceStep(qint64 rangeNs, int maxBuckets)
{
    constexpr qint64 Second = 1'000'000'000;
    constexpr qint64 Minute = 60 * Second;
    constexpr qint64 Hour = 60 * Minute;
    static constexpr qint64 Steps[] = {Second, 2 * Second, 5 * Second, 10 * Second, 15 * Second, 30 * Second,
                                       Minute, 2 * Minute, 5 * Minute, 10 * Minute, 15 * Minute, 30 * Minute,
                                       Hour,   2 * Hour,   6 * Hour,   12 * Hour,   24 * Hour};
    const qint64 wanted =
        std::max<qint64>(1, (std::max<qint64>(rangeNs, 1) + maxBuckets - 1) / std::max(maxBuckets, 1));
    if (wanted <= Second) {
        for (qint64 decade = 1;; decade *= 10) {
            for (const qint64 step : {decade, 2 * decade, 5 * decade}) {
                if (step >= wanted)
                    return step;
            }
        }
    }
    for (const qint64 step : Steps) {
        if (step >= wanted)
            return step;
    }
    const qint64 Day = 24 * Hour;
    return (wanted + Day - 1) / Day * Day;
}

} // namespace lundi
