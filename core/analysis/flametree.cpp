#include "flametree.h"
#include "spanrecordindex.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace lundi {

namespace {

struct Coverage
{
    qint64 covered = 0; // union of the children's intervals, clipped to the span
    qint64 reach = 0;   // the furthest end of a child seen so far
    qint64 lastStart = 0;
    bool unordered = false; // children arrived out of start order: recount exactly
};

// Every span as it is: the fast path, with no filter to consult.
struct AllSpans
{
    static bool keeps(const SpanRecord&) { return true; }
    static qint64 start(const SpanRecord& span) { return span.startNs; }
    static qint64 end(const SpanRecord& span) { return span.startNs + span.durNs; }
};

// The spans of visible tracks that meet the range, clipped to it.
struct FilteredSpans
{
    const SpanFilter& filter;

    bool keeps(const SpanRecord& span) const
    {
        if (!filter.acceptsTrack(span.track))
            return false;
        if (!filter.clips())
            return true;
        // A span of no duration is kept where it happened; any other must overlap the range.
        if (span.durNs <= 0)
            return span.startNs >= filter.range.startNs && span.startNs < filter.range.endNs;
        return span.startNs < filter.range.endNs && span.startNs + span.durNs > filter.range.startNs;
    }
    qint64 start(const SpanRecord& span) const
    {
        return filter.clips() ? std::max(span.startNs, filter.range.startNs) : span.startNs;
    }
    qint64 end(const SpanRecord& span) const
    {
        const qint64 end = span.startNs + span.durNs;
        return filter.clips() ? std::max(start(span), std::min(end, filter.range.endNs)) : end;
    }
};

} // namespace

template <class View>
FlameTree FlameTree::aggregate(const std::vector<SpanRecord>& spans, Roots roots, const View& view)
{
    FlameTree tree;
    tree.m_nodes.emplace_back();
    std::unordered_map<quint64, qint32> childOf; // (parent node, frame) -> node
    childOf.reserve(1024);
    const auto child = [&](qint32 parent, qint64 frame, Category category) {
        // Frames fit 31 bits; the top bit tells track frames from names.
        const quint64 code = frame >= 0 ? quint64(frame) : (quint64(1) << 31) | quint64(-frame);
        const quint64 key = (quint64(quint32(parent)) << 32) | code;
        auto [it, inserted] = childOf.try_emplace(key, qint32(tree.m_nodes.size()));
        if (inserted) {
            Node node;
            node.frame = frame;
            node.parent = parent;
            node.category = category;
            tree.m_nodes[size_t(parent)].children.push_back(it->second);
            tree.m_nodes.push_back(std::move(node));
        }
        return it->second;
    };

    const SpanRecordIndex index(spans);
    // Kept spans get a node; a span left out gets -1 and passes its nearest kept ancestor
    // (parentOf) on to its children.
    std::vector<qint32> nodeOf(spans.size());
    std::vector<qint32> parentOf(spans.size());
    std::vector<Coverage> coverage(spans.size());
    bool anyUnordered = false;

    for (size_t i = 0; i < spans.size(); ++i) {
        const SpanRecord& span = spans[i];
        qint32 parent = span.parent ? index.find(span.parent) : -1;
        if (parent >= 0 && nodeOf[size_t(parent)] < 0)
            parent = parentOf[size_t(parent)];
        parentOf[i] = parent;
        if (!view.keeps(span)) {
            nodeOf[i] = -1;
            continue;
        }
        const qint64 start = view.start(span);
        const qint64 end = view.end(span);
        qint32 parentNode = 0;
        if (parent >= 0) {
            parentNode = nodeOf[size_t(parent)];
            const SpanRecord& up = spans[size_t(parent)];
            Coverage& cover = coverage[size_t(parent)];
            if (start < cover.lastStart) {
                cover.unordered = anyUnordered = true;
            } else {
                cover.lastStart = start;
                const qint64 begin = std::max({start, view.start(up), cover.reach});
                const qint64 clippedEnd = std::min(end, view.end(up));
                if (clippedEnd > begin)
                    cover.covered += clippedEnd - begin;
                cover.reach = std::max(cover.reach, clippedEnd);
            }
        } else if (roots == Roots::ByTrack) {
            parentNode = child(0, -span.track, Category::Other);
        }
        nodeOf[i] = child(parentNode, span.name, span.category);
    }

    if (anyUnordered) {
        // Rare: some parent's children are not in start order. Recount those parents exactly.
        std::vector<std::pair<qint32, size_t>> children;
        for (size_t i = 0; i < spans.size(); ++i) {
            if (nodeOf[i] >= 0 && parentOf[i] >= 0 && coverage[size_t(parentOf[i])].unordered)
                children.emplace_back(parentOf[i], i);
        }
        std::sort(children.begin(), children.end(), [&](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first
                                      : view.start(spans[a.second]) < view.start(spans[b.second]);
        });
        for (const auto& [parent, i] : children) {
            Coverage& cover = coverage[size_t(parent)];
            if (cover.unordered) { // first child of this parent in the sorted run
                cover = {};
                cover.reach = std::numeric_limits<qint64>::min();
            }
            const SpanRecord& up = spans[size_t(parent)];
            const qint64 begin = std::max({view.start(spans[i]), view.start(up), cover.reach});
            const qint64 end = std::min(view.end(spans[i]), view.end(up));
            if (end > begin)
                cover.covered += end - begin;
            cover.reach = std::max(cover.reach, end);
        }
    }

    for (size_t i = 0; i < spans.size(); ++i) {
        if (nodeOf[i] < 0)
            continue;
        const qint64 duration = view.end(spans[i]) - view.start(spans[i]);
        Node& node = tree.m_nodes[size_t(nodeOf[i])];
        node.totalNs += duration;
        node.selfNs += std::max<qint64>(0, duration - coverage[i].covered);
        ++node.count;
    }
    // Track nodes and the root hold no spans of their own: their total is their children's.
    for (size_t n = tree.m_nodes.size(); n-- > 1;) {
        Node& node = tree.m_nodes[n];
        if (node.frame <= 0)
            for (qint32 c : node.children)
                node.totalNs += tree.m_nodes[size_t(c)].totalNs;
    }
    for (qint32 c : tree.m_nodes.front().children)
        tree.m_nodes.front().totalNs += tree.m_nodes[size_t(c)].totalNs;
    return tree;
}

FlameTree FlameTree::build(const std::vector<SpanRecord>& spans, Roots roots, const SpanFilter& filter)
{
    if (!filter.clips() && filter.hiddenTracks.isEmpty())
        return aggregate(spans, roots, AllSpans());
    return aggregate(spans, roots, FilteredSpans{filter});
}

} // namespace lundi
