#pragma once

#include "correlation.h"
#include "criticalpath.h"
#include "spanselection.h"

#include <QList>

#include <optional>
#include <vector>

namespace lundi {

// The answer to "what is the bottleneck": the frames (a span name in its category) ranked by
// what they add to the critical path of the slowest requests, each with one sentence of
// evidence and where that evidence lies.
//
// The slowest requests are the slowest SlowestShare of the incident's traces (at least one).
// A frame's critical time is its critical-path time per slow trace (their mean), so that it reads
// against their mean latency. With a baseline, frames are ranked by how much that time grew
// (the incident's less the baseline's, each over its own slowest traces): a frame that did not
// grow is no suspect, however large. Without one, by the time itself.
class Suspects
{
  public:
    static constexpr double SlowestShare = 0.05;
    // A frame under this share of the slow traces' latency (or of its growth) is noise.
    static constexpr double MinimumShare = 0.01;
    static constexpr int MaximumSuspects = 10;
    // The weakest correlation that is still evidence.
    static constexpr double MinimumRho = 0.5;

    struct Side
    {
        SpanFilter filter;
        qint64 traces = 0;     // all traces of the side
        qint64 slowTraces = 0; // the slowest SlowestShare of them
        qint64 meanSlowNs = 0; // their mean latency
    };

    // The metric series that moved with a suspect's time, over the incident's traces.
    struct Moved
    {
        SeriesId series = 0;
        QString title; // as PromQL writes the series, with its transform ("rate")
        double rho = 0;
        qint64 lagNs = 0;
        std::optional<double> baselineMean; // the series' mean over the baseline, when known
        std::optional<double> incidentMean;
    };

    struct Suspect
    {
        int rank = 0;
        Category category = Category::Other;
        StringId name = 0;
        qint64 criticalNs = 0; // per slow incident trace
        double share = 0;      // of their mean latency
        qint64 baselineCriticalNs = 0;
        std::optional<double> baselineShare; // with a baseline
        qint64 contributionNs = 0;           // what ranks: the growth, or the time itself
        qint64 slowTracesWithIt = 0;         // slow incident traces whose path passes through it
        std::optional<Moved> moved;
        QString evidence;
        // Where to look: the slow traces' time span, and the slowest trace with the frame.
        TimeRange range;
        SpanId slowestRoot = 0;
    };

    struct Result
    {
        Side incident;
        std::optional<Side> baseline;
        std::vector<Suspect> suspects;
    };

    // spans in id order, parents first (Store::spanRecords()); names indexed by StringId;
    // metrics: what correlation ranks (Correlation::inputs), empty to skip that evidence.
    static Result find(const std::vector<SpanRecord>& spans, const std::vector<QString>& names,
                       const SpanFilter& incident, const std::optional<SpanFilter>& baseline,
                       const std::vector<Correlation::Input>& metrics = {},
                       const CriticalPath::TraceIds& traceIds = {});
};

} // namespace lundi
