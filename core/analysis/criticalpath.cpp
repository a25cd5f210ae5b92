#include "criticalpath.h"
#include "spanrecordindex.h"

#include <algorithm>
#include <cmath>

namespace lundi {

namespace {

qint64 endOf(const SpanRecord& span)
{
    return span.startNs + span.durNs;
}

// A span the walk is in: its interval (clipped to its parent's), and how far back from its end
// the path has come.
struct Frame
{
    qint32 span = 0;
    qint64 startNs = 0;
    qint64 endNs = 0;
    qint64 reachedNs = 0; // the path covers [reachedNs, endNs) of this span already
    qint64 toleranceNs = 0;
    qint32 next = 0; // the next child to consider, in m_children
};

} // namespace

CriticalPath::CriticalPath(const std::vector<SpanRecord>& spans, const SpanFilter& filter, Options options)
    : m_spans(spans), m_options(options)
{
    const qint32 count = qint32(spans.size());
    const SpanRecordIndex index(spans);
    // The nearest kept ancestor-or-self of each span, as the flame tree hangs spans of hidden
    // tracks: parents come first, so one pass settles it.
    std::vector<qint32> nearestKept(size_t(count), -1);
    std::vector<qint32> parentOf(size_t(count), -1); // the nearest kept ancestor; -1: a root
    std::vector<qint32> childCount(size_t(count) + 1, 0);
    for (qint32 i = 0; i < count; ++i) {
        const SpanRecord& span = spans[size_t(i)];
        const qint32 parent = span.parent ? index.find(span.parent) : -1;
        const qint32 keptParent = parent >= 0 ? nearestKept[size_t(parent)] : -1;
        if (!filter.acceptsTrack(span.track)) {
            nearestKept[size_t(i)] = keptParent;
            continue;
        }
        nearestKept[size_t(i)] = i;
        // The parent does not wait for a message it produced, nor for a span that follows from it.
        const bool blocking = !span.followsFrom && !(parent >= 0 && span.kind == SpanKind::Consumer &&
                                                     spans[size_t(parent)].kind == SpanKind::Producer);
        if (keptParent < 0) {
            if (span.durNs > 0) // an instant is no request
                m_roots.push_back(i);
        } else if (blocking) {
            parentOf[size_t(i)] = keptParent;
            ++childCount[size_t(keptParent)];
        }
    }
    m_firstChild.assign(size_t(count) + 1, 0);
    for (qint32 i = 0; i < count; ++i)
        m_firstChild[size_t(i) + 1] = m_firstChild[size_t(i)] + childCount[size_t(i)];
    m_children.resize(size_t(m_firstChild.back()));
    std::vector<qint32> fill(m_firstChild.begin(), m_firstChild.end() - 1);
    for (qint32 i = 0; i < count; ++i)
        if (parentOf[size_t(i)] >= 0)
            m_children[size_t(fill[size_t(parentOf[size_t(i)])]++)] = i;
    const auto laterEnd = [&spans](qint32 a, qint32 b) {
        const SpanRecord& x = spans[size_t(a)];
        const SpanRecord& y = spans[size_t(b)];
        if (endOf(x) != endOf(y))
            return endOf(x) > endOf(y);
        // Of children that end together, the longer one explains more of the parent's wait.
        if (x.startNs != y.startNs)
            return x.startNs < y.startNs;
        return a < b;
    };
    for (qint32 i = 0; i < count; ++i)
        if (childCount[size_t(i)] > 1)
            std::sort(m_children.begin() + m_firstChild[size_t(i)],
                      m_children.begin() + m_firstChild[size_t(i) + 1], laterEnd);
}

CriticalPath::Trace CriticalPath::trace(qint32 rootIndex) const
{
    const SpanRecord& root = m_spans[size_t(rootIndex)];
    Trace trace;
    trace.root = root.id;
    trace.rootName = root.name;
    trace.track = root.track;
    trace.startNs = root.startNs;
    trace.durationNs = std::max<qint64>(root.durNs, 0);

    const auto emit = [&](qint32 span, qint64 startNs, qint64 endNs) {
        if (endNs > startNs) {
            const SpanRecord& record = m_spans[size_t(span)];
            trace.sections.push_back({record.id, record.name, record.category, startNs, endNs});
        }
    };
    const auto frameOf = [this](qint32 span, qint64 startNs, qint64 endNs) {
        return Frame{span,
                     startNs,
                     endNs,
                     endNs,
                     qint64(std::llround(m_options.skewTolerance * double(endNs - startNs))),
                     m_firstChild[size_t(span)]};
    };

    // The path is walked back from the root's end; sections come out latest first.
    std::vector<Frame> stack{frameOf(rootIndex, root.startNs, root.startNs + trace.durationNs)};
    while (!stack.empty()) {
        Frame& frame = stack.back();
        const qint32 last = m_firstChild[size_t(frame.span) + 1];
        qint32 found = -1;
        qint64 childStart = 0;
        qint64 childEnd = 0;
        while (frame.next < last) {
            const SpanRecord& child = m_spans[size_t(m_children[size_t(frame.next)])];
            // Clipped to the parent: an overflowing child counts only where the parent waited.
            const qint64 start = std::max(child.startNs, frame.startNs);
            const qint64 end = std::min(endOf(child), frame.endNs);
            if (end <= frame.startNs) { // children come latest end first: none of the rest fits
                frame.next = last;
                break;
            }
            // t only moves back, so a child passed over here never fits later either.
            const bool fits =
                end <= frame.reachedNs + frame.toleranceNs && start < frame.reachedNs && end > start;
            if (fits) {
                found = m_children[size_t(frame.next)];
                childStart = start;
                childEnd = std::min(end, frame.reachedNs); // a skewed overlap is cut off
            }
            ++frame.next;
            if (fits)
                break;
        }
        if (found < 0) {
            emit(frame.span, frame.startNs, frame.reachedNs);
            stack.pop_back();
            continue;
        }
        emit(frame.span, childEnd, frame.reachedNs);
        frame.reachedNs = childStart;
        stack.push_back(frameOf(found, childStart, childEnd)); // frame is invalid from here
    }
    std::reverse(trace.sections.begin(), trace.sections.end());
    return trace;
}

std::vector<CriticalPath::Trace> CriticalPath::compute(const std::vector<SpanRecord>& spans,
                                                       const Selection& selection, Options options,
                                                       const TraceIds& traceIds)
{
    const CriticalPath paths(spans, selection.filter, options);
    const TimeRange range = selection.filter.range;
    std::vector<qint32> picked;
    picked.reserve(paths.roots().size());
    for (const qint32 root : paths.roots()) {
        const SpanRecord& span = spans[size_t(root)];
        if (selection.filter.clips() && (span.startNs < range.startNs || span.startNs >= range.endNs))
            continue;
        if (!selection.trace.isEmpty()) {
            const auto id = traceIds.find(span.id);
            if (id != traceIds.end() ? id->second != selection.trace
                                     : QString::number(span.id) != selection.trace)
                continue;
        }
        picked.push_back(root);
    }
    if (selection.slowestShare < 1 && !picked.empty()) {
        const size_t keep = std::clamp<size_t>(
            size_t(std::ceil(selection.slowestShare * double(picked.size()))), 1, picked.size());
        const auto slower = [&spans](qint32 a, qint32 b) {
            const qint64 x = spans[size_t(a)].durNs;
            const qint64 y = spans[size_t(b)].durNs;
            return x != y ? x > y : a < b;
        };
        std::partial_sort(picked.begin(), picked.begin() + qsizetype(keep), picked.end(), slower);
        picked.resize(keep);
    }
    std::vector<Trace> traces;
    traces.reserve(picked.size());
    for (const qint32 root : picked) {
        traces.push_back(paths.trace(root));
        if (const auto id = traceIds.find(traces.back().root); id != traceIds.end())
            traces.back().traceId = id->second;
    }
    return traces;
}

} // namespace lundi
