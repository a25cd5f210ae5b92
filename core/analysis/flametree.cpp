#include "flametree.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace lundi {

namespace {

// Where each span id sits in the id-ordered span list: a dense table when ids are compact
// (one import, or a few), a binary search otherwise.
class SpanIndex
{
  public:
    explicit SpanIndex(const std::vector<SpanRecord>& spans) : m_spans(spans)
    {
        if (spans.empty())
            return;
        m_first = spans.front().id;
        const qint64 range = spans.back().id - m_first + 1;
        if (range <= qint64(spans.size()) * 4) {
            m_dense.assign(size_t(range), -1);
            for (size_t i = 0; i < spans.size(); ++i)
                m_dense[size_t(spans[i].id - m_first)] = qint32(i);
        }
    }

    qint32 find(SpanId id) const
    {
        if (id < m_first)
            return -1;
        if (!m_dense.empty())
            return id - m_first < qint64(m_dense.size()) ? m_dense[size_t(id - m_first)] : -1;
        const auto it =
            std::lower_bound(m_spans.begin(), m_spans.end(), id,
                             [](const SpanRecord& span, SpanId value) { return span.id < value; });
        return it != m_spans.end() && it->id == id ? qint32(it - m_spans.begin()) : -1;
    }

  private:
    const std::vector<SpanRecord>& m_spans;
    SpanId m_first = 0;
    std::vector<qint32> m_dense;
};

struct Coverage
{
    qint64 covered = 0; // union of the children's intervals, clipped to the span
    qint64 reach = 0;   // the furthest end of a child seen so far
    qint64 lastStart = 0;
    bool unordered = false; // children arrived out of start order: recount exactly
};

} // namespace

FlameTree FlameTree::build(const std::vector<SpanRecord>& spans, Roots roots)
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

    const SpanIndex index(spans);
    std::vector<qint32> nodeOf(spans.size());
    std::vector<qint32> parentOf(spans.size());
    std::vector<Coverage> coverage(spans.size());
    bool anyUnordered = false;

    for (size_t i = 0; i < spans.size(); ++i) {
        const SpanRecord& span = spans[i];
        const qint32 parent = span.parent ? index.find(span.parent) : -1;
        parentOf[i] = parent;
        qint32 parentNode = 0;
        if (parent >= 0) {
            parentNode = nodeOf[size_t(parent)];
            const SpanRecord& up = spans[size_t(parent)];
            Coverage& cover = coverage[size_t(parent)];
            if (span.startNs < cover.lastStart) {
                cover.unordered = anyUnordered = true;
            } else {
                cover.lastStart = span.startNs;
                const qint64 begin = std::max({span.startNs, up.startNs, cover.reach});
                const qint64 end = std::min(span.startNs + span.durNs, up.startNs + up.durNs);
                if (end > begin)
                    cover.covered += end - begin;
                cover.reach = std::max(cover.reach, end);
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
            if (parentOf[i] >= 0 && coverage[size_t(parentOf[i])].unordered)
                children.emplace_back(parentOf[i], i);
        }
        std::sort(children.begin(), children.end(), [&](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : spans[a.second].startNs < spans[b.second].startNs;
        });
        for (const auto& [parent, i] : children) {
            Coverage& cover = coverage[size_t(parent)];
            if (cover.unordered) { // first child of this parent in the sorted run
                cover = {};
                cover.reach = std::numeric_limits<qint64>::min();
            }
            const SpanRecord& up = spans[size_t(parent)];
            const qint64 begin = std::max({spans[i].startNs, up.startNs, cover.reach});
            const qint64 end = std::min(spans[i].startNs + spans[i].durNs, up.startNs + up.durNs);
            if (end > begin)
                cover.covered += end - begin;
            cover.reach = std::max(cover.reach, end);
        }
    }

    for (size_t i = 0; i < spans.size(); ++i) {
        Node& node = tree.m_nodes[size_t(nodeOf[i])];
        node.totalNs += spans[i].durNs;
        node.selfNs += std::max<qint64>(0, spans[i].durNs - coverage[i].covered);
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

} // namespace lundi
