#pragma once

#include "model.h"
#include "spanfilter.h"

#include <unordered_map>
#include <vector>

namespace lundi {

// How CriticalPath walks a trace.
struct CriticalPathOptions
{
    // CRISP's clock-skew tolerance: a child that ends up to this share of its parent's
    // duration after the next child on the path started still counts as before it (it is
    // cut at that start). 0: Jaeger's strict rule; 0.01: CRISP's 1 %.
    double skewTolerance = 0;
};

// Which traces CriticalPath::compute() computes.
struct CriticalPathSelection
{
    // Traces whose root starts in the range (empty: all), and spans of visible tracks only.
    SpanFilter filter;
    // The slowest share of the traces left (by duration, at least one when any): 0.05 is the
    // slowest 5 %; 1 keeps all.
    double slowestShare = 1;
    // Only the trace with this trace id (every root it has) or, for traces without one, the
    // root span with this id written in decimal. Empty: all.
    QString trace;
};

// The critical path of a trace: the chain of spans that determined its end-to-end latency,
// computed as Jaeger does. Non-blocking children are left out (a CONSUMER under a PRODUCER, a
// span that FOLLOWS_FROM its parent: SpanRecord::kind and followsFrom); a child that overflows its
// parent is clipped to it and one entirely outside it (or of no duration once clipped) is left
// out. Then, from the root: take the last-finishing child, give the parent its time after that
// child's end, descend into the child, and on return go on with the last child that finished
// before the descended child started. The sections tile the root's interval exactly: they sum
// to its duration and never overlap.
//
// A trace is a root span with its descendants: the root of a trace that has trace ids (a span
// whose parent is missing is a root of its own, as the importers store it) or, in a Chrome-style
// trace, each top-level span of a track. Hidden tracks (SpanFilter) leave their spans out as if
// never recorded, as in the flame tree: a kept span hangs under its nearest kept ancestor.
//
// Iterative: traces can be 100k spans deep.
class CriticalPath
{
  public:
    using Options = CriticalPathOptions;
    using Selection = CriticalPathSelection;

    // A stretch of the path, [startNs, endNs), spent in span itself (not in a child on the path).
    struct Section
    {
        SpanId span = 0;
        StringId name = 0;
        Category category = Category::Other;
        qint64 startNs = 0;
        qint64 endNs = 0;
    };

    struct Trace
    {
        QString traceId; // empty where the trace has none (Chrome) or none was given
        SpanId root = 0;
        StringId rootName = 0;
        TrackId track = 0; // the root's
        qint64 startNs = 0;
        qint64 durationNs = 0;         // the root's: the sum of the sections
        std::vector<Section> sections; // in time order
    };

    // The trace ids of root spans, as Store::rootTraceIds() reads them.
    using TraceIds = std::unordered_map<SpanId, QString>;

    // Prepares spans (in id order, parents first, as Store::spanRecords() gives them): each
    // span's blocking children, by end time. Keeps a reference to spans.
    explicit CriticalPath(const std::vector<SpanRecord>& spans, const SpanFilter& filter = {},
                          Options options = {});

    // The index in spans of every root of some duration (an instant is no request), in id order.
    const std::vector<qint32>& roots() const { return m_roots; }
    // The path of the trace rooted at spans[rootIndex] (a root or not: any span's subtree).
    Trace trace(qint32 rootIndex) const;

    // The traces a selection picks, in root id order (the slowest share: slowest first).
    static std::vector<Trace> compute(const std::vector<SpanRecord>& spans, const Selection& selection = {},
                                      Options options = {}, const TraceIds& traceIds = {});

  private:
    const std::vector<SpanRecord>& m_spans;
    Options m_options;
    std::vector<qint32> m_roots;
    // Blocking children of span i: m_children[m_firstChild[i] .. m_firstChild[i + 1]), by end
    // time, latest first (then earlier start, then lower id).
    std::vector<qint32> m_firstChild;
    std::vector<qint32> m_children;
};

} // namespace lundi
