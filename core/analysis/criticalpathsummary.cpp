#include "criticalpathsummary.h"
#include "spanrecordindex.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <unordered_map>

namespace lundi {

namespace {

// The nearest-rank percentile (as DurationDistribution computes it) of `traces` values of which
// only the non-zero ones are kept, sorted: the others are zeros not worth storing, a path by
// trace being mostly absent.
qint64 percentileWithZeros(std::span<const qint64> sortedNonZero, qint64 traces, double p)
{
    if (traces <= 0)
        return 0;
    const qint64 milli = std::clamp<qint64>(std::llround(p * 1000), 0, 100'000);
    const qint64 rank = std::max<qint64>((milli * traces + 99'999) / 100'000, 1);
    const qint64 zeros = traces - qint64(sortedNonZero.size());
    return rank <= zeros ? 0 : sortedNonZero[size_t(rank - zeros - 1)];
}

DurationDistribution::Percentiles percentilesWithZeros(std::span<qint64> nonZero, qint64 traces)
{
    std::sort(nonZero.begin(), nonZero.end());
    return {percentileWithZeros(nonZero, traces, 50), percentileWithZeros(nonZero, traces, 95),
            percentileWithZeros(nonZero, traces, 99)};
}

struct NodeNameHash
{
    size_t operator()(const std::pair<qint32, StringId>& key) const
    {
        return size_t(quint64(key.first) * 0x9E3779B97F4A7C15ull ^ quint64(key.second));
    }
};

} // namespace

CriticalPathSummary CriticalPathSummary::build(const std::vector<SpanRecord>& spans,
                                               const std::vector<CriticalPath::Trace>& traces,
                                               const SpanFilter& filter)
{
    CriticalPathSummary summary;
    summary.m_traceCount = qint64(traces.size());
    std::vector<FlameTree::Node>& nodes = summary.m_tree.m_nodes;
    nodes.emplace_back();

    const SpanRecordIndex index(spans);
    std::vector<qint32> nodeOfSpan(spans.size(), -1);
    std::unordered_map<std::pair<qint32, StringId>, qint32, NodeNameHash> childOf; // (parent, name) -> node
    std::vector<qint32> chain;
    // The node of a span's call path: its kept ancestors' names from the top, made as needed.
    const auto nodeOf = [&](qint32 span) {
        chain.clear();
        qint32 at = span;
        while (at >= 0 && nodeOfSpan[size_t(at)] < 0) {
            chain.push_back(at);
            const SpanId parent = spans[size_t(at)].parent;
            at = parent ? index.find(parent) : -1;
        }
        qint32 node = at >= 0 ? nodeOfSpan[size_t(at)] : 0;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            const SpanRecord& record = spans[size_t(*it)];
            if (filter.acceptsTrack(record.track)) {
                const auto [found, added] = childOf.try_emplace({node, record.name}, qint32(nodes.size()));
                if (added) {
                    FlameTree::Node child;
                    child.frame = record.name;
                    child.parent = node;
                    child.category = record.category;
                    nodes[size_t(node)].children.push_back(qint32(nodes.size()));
                    nodes.push_back(std::move(child));
                }
                node = found->second;
            }
            nodeOfSpan[size_t(*it)] = node;
        }
        return node;
    };

    // (node, its time in one trace) for every trace with time on the node: one flat list, not a
    // list per node, as random call trees can have a node per span.
    std::vector<std::pair<qint32, qint64>> perTrace;
    std::vector<qint64> inTrace; // by node: its time in the current trace
    std::vector<qint32> touched; // the nodes with time in the current trace
    std::vector<std::vector<qint64>> byCategory(AllCategories.size());
    std::vector<qint64> durations;
    durations.reserve(traces.size());
    for (auto& times : byCategory)
        times.reserve(traces.size());
    for (const CriticalPath::Trace& trace : traces) {
        summary.m_totalNs += trace.durationNs;
        durations.push_back(trace.durationNs);
        std::array<qint64, AllCategories.size()> categoryNs{};
        for (const CriticalPath::Section& section : trace.sections) {
            const qint32 span = index.find(section.span);
            if (span < 0)
                continue;
            const qint32 node = nodeOf(span);
            if (size_t(node) >= inTrace.size())
                inTrace.resize(nodes.size(), 0);
            if (inTrace[size_t(node)] == 0)
                touched.push_back(node);
            inTrace[size_t(node)] += section.endNs - section.startNs;
            categoryNs[size_t(section.category)] += section.endNs - section.startNs;
        }
        for (const qint32 node : touched) {
            FlameTree::Node& n = nodes[size_t(node)];
            n.selfNs += inTrace[size_t(node)];
            ++n.count;
            perTrace.emplace_back(node, inTrace[size_t(node)]);
            inTrace[size_t(node)] = 0;
        }
        touched.clear();
        for (size_t c = 0; c < AllCategories.size(); ++c)
            byCategory[c].push_back(categoryNs[c]);
    }
    // Grouped by node in one counting pass.
    std::vector<size_t> firstOf(nodes.size() + 1, 0);
    for (const auto& [node, ns] : perTrace)
        ++firstOf[size_t(node) + 1];
    for (size_t i = 1; i < firstOf.size(); ++i)
        firstOf[i] += firstOf[i - 1];
    std::vector<qint64> timesByNode(perTrace.size());
    {
        std::vector<size_t> fill(firstOf.begin(), firstOf.end() - 1);
        for (const auto& [node, ns] : perTrace)
            timesByNode[fill[size_t(node)]++] = ns;
    }

    // Nodes come after their parents: one backward pass sums each subtree.
    for (size_t i = nodes.size(); i-- > 0;) {
        nodes[i].totalNs += nodes[i].selfNs;
        if (nodes[i].parent >= 0)
            nodes[size_t(nodes[i].parent)].totalNs += nodes[i].totalNs;
    }
    nodes.front().count = summary.m_traceCount;
    summary.m_duration = DurationDistribution(std::move(durations)).percentiles();

    const double total = double(std::max<qint64>(summary.m_totalNs, 1));
    for (size_t i = 1; i < nodes.size(); ++i) {
        if (nodes[i].selfNs <= 0)
            continue;
        PathRow row;
        row.node = qint32(i);
        row.name = nodes[i].frame;
        row.category = nodes[i].category;
        row.criticalNs = nodes[i].selfNs;
        row.share = double(row.criticalNs) / total;
        row.traces = nodes[i].count;
        row.perTrace = percentilesWithZeros(
            std::span(timesByNode).subspan(firstOf[i], firstOf[i + 1] - firstOf[i]), summary.m_traceCount);
        summary.m_paths.push_back(row);
    }
    std::sort(summary.m_paths.begin(), summary.m_paths.end(), [](const PathRow& a, const PathRow& b) {
        return a.criticalNs != b.criticalNs ? a.criticalNs > b.criticalNs : a.node < b.node;
    });
    for (size_t c = 0; c < AllCategories.size(); ++c) {
        CategoryRow row;
        row.category = AllCategories[c];
        for (const qint64 ns : byCategory[c])
            row.criticalNs += ns;
        row.share = double(row.criticalNs) / total;
        row.perTrace = DurationDistribution(std::move(byCategory[c])).percentiles();
        summary.m_categories.push_back(row);
    }
    return summary;
}

std::vector<StringId> CriticalPathSummary::callPath(qint32 node) const
{
    std::vector<StringId> names;
    for (qint32 at = node; at > 0; at = m_tree.nodes()[size_t(at)].parent)
        names.push_back(m_tree.nodes()[size_t(at)].frame);
    std::reverse(names.begin(), names.end());
    return names;
}

} // namespace lundi
