#pragma once

#include "durationdistribution.h"
#include "model.h"
#include "spanfilter.h"

#include <array>
#include <vector>

namespace lundi {

// Time by category for each request, for a range, and per time bucket over an incident.
//
// A request is a root span: a span with no parent (the root of a trace that has trace ids; in
// a Chrome-style trace, each top-level span of a track). With hidden tracks, their spans are
// left out as if never recorded, as in the flame tree: a kept span whose ancestors are all
// hidden is a request of its own, and a hidden span's time is its kept parent's self time.
// A request with a range belongs to it when it starts in the range; it is never clipped: its
// latency is the whole of it. Roots of no duration (instant events) are no requests.
//
// Two times per category and request:
// - critical-path time: the time of the request's critical path (see CriticalPath) in spans of
//   that category; these sum to the request's latency.
// - self time: each span's duration less the union of its children's intervals clipped to it
//   (as in the flame tree), summed over the request's spans of that category; parallel
//   children each count, so these sum to the work done, which can exceed the latency.
class Breakdown
{
  public:
    using CategoryTimes = std::array<qint64, AllCategories.size()>;

    struct Request
    {
        SpanId root = 0;
        StringId name = 0;
        TrackId track = 0;
        qint64 startNs = 0;
        qint64 durNs = 0; // the latency
        CategoryTimes criticalNs{};
        CategoryTimes selfNs{};
    };

    struct CategoryRow
    {
        Category category = Category::Other;
        qint64 criticalNs = 0;    // over all requests
        qint64 selfNs = 0;        // over all requests
        double criticalShare = 0; // of all requests' critical-path time (their summed latency)
        double selfShare = 0;     // of all requests' self time
        // Per request, requests without time in this category counting as 0.
        DurationDistribution::Percentiles criticalPerRequest;
        DurationDistribution::Percentiles selfPerRequest;
    };

    struct Summary
    {
        qint64 requests = 0;
        qint64 criticalNs = 0; // all requests' critical-path time: their summed latency
        qint64 selfNs = 0;     // all requests' self time
        DurationDistribution latency;
        std::vector<CategoryRow> categories; // one per category, in AllCategories order
    };

    // Per time bucket, the requests that started in it.
    struct Bucket
    {
        qint64 startNs = 0;
        qint64 requests = 0;
        DurationDistribution::Percentiles latency;
        // The slowest requests of the bucket (the slowest share asked for, at least one) and the
        // mean of their critical-path time per category: the bars stack up to their mean latency.
        qint64 slowRequests = 0;
        std::array<double, AllCategories.size()> slowCriticalMeanNs{};
    };

    // What the breakdown view shows: the requests that start in the filter's range (the scope;
    // empty: from the first request's start to the last's), their summary, and buckets of a round
    // width (niceStep) aligned to multiples of it in Unix time, so that they start on the minute.
    struct Overview
    {
        TimeRange scope;
        qint64 stepNs = 0;
        Summary summary;
        std::vector<Bucket> buckets;
    };

    // The requests among spans (in id order, parents first, as Store::spanRecords() gives them),
    // in start order.
    static std::vector<Request> requests(const std::vector<SpanRecord>& spans, const SpanFilter& filter = {});
    static Summary summarise(const std::vector<Request>& requests);
    static Overview overview(const std::vector<SpanRecord>& spans, const SpanFilter& filter, int maxBuckets,
                             double slowestShare = 0.05);
    // Buckets of stepNs from range.startNs to range.endNs (the last one may be cut short);
    // requests must be in start order, and those outside the range are left out.
    static std::vector<Bucket> buckets(const std::vector<Request>& requests, TimeRange range, qint64 stepNs,
                                       double slowestShare = 0.05);
    // A bucket width that is a round duration (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1,
    // 2, 6, 12 h, 1 day...) giving at most maxBuckets buckets over rangeNs; below a second, 1-2-5.
    static qint64 niceStep(qint64 rangeNs, int maxBuckets);
};

} // namespace lundi
