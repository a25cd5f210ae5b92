#include "sandwich.h"

#include <unordered_map>
#include <utility>

namespace lundi {

namespace {

// Adds nodes under parents of a tree being built, one per (parent, frame).
class Merger
{
  public:
    explicit Merger(std::vector<FlameTree::Node>& nodes) : m_nodes(nodes) {}

    qint32 child(qint32 parent, const FlameTree::Node& like)
    {
        const auto key = std::make_pair(parent, like.frame);
        auto [it, inserted] = m_childOf.try_emplace(key, qint32(m_nodes.size()));
        if (inserted) {
            FlameTree::Node node;
            node.frame = like.frame;
            node.parent = parent;
            node.category = like.category;
            m_nodes[size_t(parent)].children.push_back(it->second);
            m_nodes.push_back(std::move(node));
        }
        return it->second;
    }

  private:
    struct KeyHash
    {
        size_t operator()(const std::pair<qint32, qint64>& key) const
        {
            return std::hash<qint64>()(key.second * 1'000'003 + key.first);
        }
    };

    std::vector<FlameTree::Node>& m_nodes;
    std::unordered_map<std::pair<qint32, qint64>, qint32, KeyHash> m_childOf;
};

void add(FlameTree::Node& to, const FlameTree::Node& from)
{
    to.totalNs += from.totalNs;
    to.selfNs += from.selfNs;
    to.count += from.count;
}

} // namespace

Sandwich Sandwich::build(const FlameTree& tree, StringId frame)
{
    const std::vector<FlameTree::Node>& nodes = tree.nodes();
    Sandwich sandwich;
    std::vector<FlameTree::Node>& callers = sandwich.callers.m_nodes;
    std::vector<FlameTree::Node>& callees = sandwich.callees.m_nodes;
    callers.emplace_back().frame = frame;
    callees.emplace_back().frame = frame;
    Merger callerMerger(callers);
    Merger calleeMerger(callees);

    // Nodes come after their parents, so one pass knows whether an ancestor is the frame.
    std::vector<bool> inside(nodes.size(), false);
    std::vector<std::pair<qint32, qint32>> pending; // (node of tree, node of callees)
    bool found = false;
    for (size_t n = 1; n < nodes.size(); ++n) {
        const FlameTree::Node& node = nodes[n];
        const qint32 parent = node.parent;
        inside[n] = inside[size_t(parent)] || nodes[size_t(parent)].frame == frame;
        if (node.frame != frame || inside[n])
            continue;
        if (!found)
            callers.front().category = callees.front().category = node.category;
        found = true;
        add(callers.front(), node);
        add(callees.front(), node);

        // Callers: the path up to the root, inverted, each step carrying this call's time.
        qint32 at = 0;
        for (qint32 up = parent; up > 0; up = nodes[size_t(up)].parent) {
            at = callerMerger.child(at, nodes[size_t(up)]);
            add(callers[size_t(at)], node);
        }

        // Callees: the subtree, merged by stack under the root.
        pending.clear();
        for (qint32 c : node.children)
            pending.emplace_back(c, 0);
        while (!pending.empty()) {
            const auto [from, under] = pending.back();
            pending.pop_back();
            const qint32 to = calleeMerger.child(under, nodes[size_t(from)]);
            add(callees[size_t(to)], nodes[size_t(from)]);
            for (qint32 c : nodes[size_t(from)].children)
                pending.emplace_back(c, to);
        }
    }
    return sandwich;
}

} // namespace lundi
