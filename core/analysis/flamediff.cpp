#include "flamediff.h"

#include <cmath>
#include <unordered_map>

namespace lundi {

FlameDiff FlameDiff::compare(const FlameTree& baseline, const FlameTree& incident)
{
    FlameDiff diff;
    std::vector<FlameTree::Node>& baselineNodes = diff.m_baselineTree.m_nodes;
    std::vector<FlameTree::Node>& incidentNodes = diff.m_incidentTree.m_nodes;
    baselineNodes.reserve(std::max(baseline.nodes().size(), incident.nodes().size()));
    incidentNodes.reserve(baselineNodes.capacity());
    baselineNodes.emplace_back();
    incidentNodes.emplace_back();

    std::unordered_map<quint64, qint32> unionChild; // (union parent, frame) -> union node
    unionChild.reserve(baselineNodes.capacity());
    // Each side's nodes come after their parents, so a parent is in the union before its
    // children, and the union keeps that order.
    const auto merge = [&](const FlameTree& side, bool isBaseline) {
        const std::vector<FlameTree::Node>& nodes = side.nodes();
        std::vector<qint32> unionOf(nodes.size());
        for (size_t n = 1; n < nodes.size(); ++n) {
            const FlameTree::Node& node = nodes[n];
            const qint32 parent = unionOf[size_t(node.parent)];
            // Frames fit 31 bits; the top bit tells track frames from names (as FlameTree does).
            const quint64 code =
                node.frame >= 0 ? quint64(node.frame) : (quint64(1) << 31) | quint64(-node.frame);
            const quint64 key = (quint64(quint32(parent)) << 32) | code;
            const auto [it, inserted] = unionChild.try_emplace(key, qint32(baselineNodes.size()));
            if (inserted) {
                FlameTree::Node empty;
                empty.frame = node.frame;
                empty.parent = parent;
                empty.category = node.category;
                baselineNodes[size_t(parent)].children.push_back(it->second);
                incidentNodes[size_t(parent)].children.push_back(it->second);
                baselineNodes.push_back(empty);
                incidentNodes.push_back(std::move(empty));
            }
            unionOf[n] = it->second;
            FlameTree::Node& into = (isBaseline ? baselineNodes : incidentNodes)[size_t(it->second)];
            into.totalNs = node.totalNs;
            into.selfNs = node.selfNs;
            into.count = node.count;
        }
    };
    merge(baseline, true);
    merge(incident, false);
    baselineNodes.front().totalNs = baseline.root().totalNs;
    incidentNodes.front().totalNs = incident.root().totalNs;

    const double baselineAll = double(baseline.root().totalNs);
    const double incidentAll = double(incident.root().totalNs);
    diff.m_changes.resize(baselineNodes.size());
    for (size_t n = 0; n < baselineNodes.size(); ++n) {
        Change& change = diff.m_changes[n];
        change.baselineNs = baselineNodes[n].totalNs;
        change.incidentNs = incidentNodes[n].totalNs;
        change.baselineCount = baselineNodes[n].count;
        change.incidentCount = incidentNodes[n].count;
        change.baselineShare = baselineAll > 0 ? double(change.baselineNs) / baselineAll : 0;
        change.incidentShare = incidentAll > 0 ? double(change.incidentNs) / incidentAll : 0;
        if (n > 0)
            diff.m_largestChange = std::max(diff.m_largestChange, std::abs(change.shareChange()));
    }
    return diff;
}

} // namespace lundi
