#pragma once

#include "durationdistribution.h"
#include "flamediff.h"
#include "spanselection.h"

#include <QList>

#include <vector>

namespace lundi {

// An incident compared with its baseline, each side a source or a time range of one incident:
// the differential flame tree of all their span time, and the call paths and categories that
// explain the regression of the traces' critical-path time (CriticalPathSummary of each side).
//
// Everything is per trace, so that more traffic alone explains nothing: a path's or a category's
// critical-path time at p50 and p95 over the side's traces, and its mean, which adds up: the
// paths' mean changes sum to the change of the mean trace latency, and a contributor's share is
// its part of that change. The change of the mean is split into what the number of calls per
// trace explains (at the baseline's time per call) and what the time per call explains.
struct BaselineDiff
{
    // A change under this share of the slower side's mean trace latency is noise, not a
    // contributor.
    static constexpr double MinimumShare = 0.01;

    struct Side
    {
        qint64 traces = 0;
        qint64 meanNs = 0; // the traces' mean latency
        DurationDistribution::Percentiles latency;
    };

    struct Contributor
    {
        enum class Status {
            Changed,
            New,     // no calls in the baseline
            Missing, // no calls in the incident
        };

        std::vector<StringId> path; // from the root; empty for a category
        Category category = Category::Other;
        Status status = Status::Changed;
        // Critical-path time per trace, traces without it counting as 0.
        DurationDistribution::Percentiles baseline;
        DurationDistribution::Percentiles incident;
        qint64 baselineMeanNs = 0;
        qint64 incidentMeanNs = 0;
        double share = 0;       // of the change of the mean trace latency; 0 when that did not change
        qint64 fromCallsNs = 0; // the part of the mean's change that the calls per trace explain
        qint64 fromTimeNs = 0;  // the part that the time per call explains
        // Spans on this path (or of this category), on the critical path or not.
        qint64 baselineCalls = 0;
        qint64 incidentCalls = 0;
        // Traces with critical-path time here.
        qint64 baselineTraces = 0;
        qint64 incidentTraces = 0;

        qint64 deltaP50Ns() const { return incident.p50 - baseline.p50; }
        qint64 deltaP95Ns() const { return incident.p95 - baseline.p95; }
        qint64 deltaMeanNs() const { return incidentMeanNs - baselineMeanNs; }
    };

    FlameDiff flame;
    Side baseline;
    Side incident;
    // The call paths with critical-path time of their own that changed, the one that grew most
    // first (those that shrank last).
    std::vector<Contributor> paths;
    // The categories that changed, in the same order.
    std::vector<Contributor> categories;

    // spans in id order, parents first (Store::spanRecords()); tracks tell a source's spans. A
    // range side takes the traces whose root starts in it, and the span time inside it.
    static BaselineDiff compute(const std::vector<SpanRecord>& spans, const QList<Track>& tracks,
                                const SpanSelection& baseline, const SpanSelection& incident);
    // The same with each side a filter, such as every source but the baseline's.
    static BaselineDiff compute(const std::vector<SpanRecord>& spans, const SpanFilter& baseline,
                                const SpanFilter& incident);
};

QString contributorStatusName(BaselineDiff::Contributor::Status status);

} // namespace lundi
