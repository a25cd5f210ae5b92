#include "baselinediff.h"

#include "criticalpath.h"
#include "criticalpathsummary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <unordered_map>

namespace lundi {

namespace {

struct SideSummary
{
    FlameTree tree;
    CriticalPathSummary critical;
    std::array<qint64, AllCategories.size()> tracesByCategory{}; // traces with critical time there
};

SideSummary summarise(const std::vector<SpanRecord>& spans, const SpanFilter& filter)
{
    CriticalPathSelection selection;
    selection.filter = filter;
    const std::vector<CriticalPath::Trace> traces = CriticalPath::compute(spans, selection);
    // Merged roots: two sources have different tracks, but their stacks are to be matched.
    SideSummary summary{FlameTree::build(spans, FlameTree::Roots::Merged, filter),
                        CriticalPathSummary::build(spans, traces, filter),
                        {}};
    for (const CriticalPath::Trace& trace : traces) {
        std::array<bool, AllCategories.size()> seen{};
        for (const CriticalPath::Section& section : trace.sections)
            seen[size_t(section.category)] = true;
        for (size_t c = 0; c < seen.size(); ++c)
            summary.tracesByCategory[c] += seen[c] ? 1 : 0;
    }
    return summary;
}

qint64 meanOf(qint64 totalNs, qint64 traces)
{
    return traces > 0 ? qint64(std::llround(double(totalNs) / double(traces))) : 0;
}

BaselineDiff::Side sideOf(const CriticalPathSummary& summary)
{
    BaselineDiff::Side side;
    side.traces = summary.traceCount();
    side.meanNs = meanOf(summary.totalNs(), side.traces);
    side.latency = summary.duration();
    return side;
}

// What one side knows of a path or a category.
struct Observed
{
    DurationDistribution::Percentiles perTrace;
    qint64 criticalNs = 0;
    qint64 traces = 0;
};

BaselineDiff::Contributor contributor(const Observed& baseline, const Observed& incident,
                                      qint64 baselineCalls, qint64 incidentCalls,
                                      const BaselineDiff::Side& baselineSide,
                                      const BaselineDiff::Side& incidentSide)
{
    BaselineDiff::Contributor row;
    row.baseline = baseline.perTrace;
    row.incident = incident.perTrace;
    row.baselineMeanNs = meanOf(baseline.criticalNs, baselineSide.traces);
    row.incidentMeanNs = meanOf(incident.criticalNs, incidentSide.traces);
    row.baselineTraces = baseline.traces;
    row.incidentTraces = incident.traces;
    row.baselineCalls = baselineCalls;
    row.incidentCalls = incidentCalls;
    row.status = baselineCalls == 0 && incidentCalls > 0   ? BaselineDiff::Contributor::Status::New
                 : incidentCalls == 0 && baselineCalls > 0 ? BaselineDiff::Contributor::Status::Missing
                                                           : BaselineDiff::Contributor::Status::Changed;
    const qint64 delta = row.deltaMeanNs();
    if (baselineCalls > 0 && incidentCalls > 0 && baselineSide.traces > 0 && incidentSide.traces > 0) {
        // mean = calls per trace × time per call: the calls' part at the baseline's time per call.
        const double baselinePerTrace = double(baselineCalls) / double(baselineSide.traces);
        const double incidentPerTrace = double(incidentCalls) / double(incidentSide.traces);
        const double baselinePerCall = double(row.baselineMeanNs) / baselinePerTrace;
        row.fromCallsNs = qint64(std::llround((incidentPerTrace - baselinePerTrace) * baselinePerCall));
    } else {
        // A stack that appeared or vanished: its calls are the whole change.
        row.fromCallsNs = delta;
    }
    row.fromTimeNs = delta - row.fromCallsNs;
    return row;
}

// Keeps the rows that changed more than noise, the one that grew most first, with their share.
void rank(std::vector<BaselineDiff::Contributor>& rows, const BaselineDiff::Side& baseline,
          const BaselineDiff::Side& incident)
{
    const double noise = BaselineDiff::MinimumShare * double(std::max(baseline.meanNs, incident.meanNs));
    std::erase_if(rows, [noise](const BaselineDiff::Contributor& row) {
        const qint64 largest =
            std::max({std::abs(row.deltaP50Ns()), std::abs(row.deltaP95Ns()), std::abs(row.deltaMeanNs())});
        return largest == 0 || double(largest) < noise;
    });
    const qint64 total = incident.meanNs - baseline.meanNs;
    for (BaselineDiff::Contributor& row : rows)
        row.share = total != 0 ? double(row.deltaMeanNs()) / double(total) : 0;
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.deltaMeanNs() != b.deltaMeanNs() ? a.deltaMeanNs() > b.deltaMeanNs()
                                                  : a.deltaP95Ns() > b.deltaP95Ns();
    });
}

} // namespace

QString contributorStatusName(BaselineDiff::Contributor::Status status)
{
    switch (status) {
    case BaselineDiff::Contributor::Status::New:
        return QStringLiteral("new");
    case BaselineDiff::Contributor::Status::Missing:
        return QStringLiteral("missing");
    case BaselineDiff::Contributor::Status::Changed:
        break;
    }
    return QStringLiteral("changed");
}

BaselineDiff BaselineDiff::compute(const std::vector<SpanRecord>& spans, const QList<Track>& tracks,
                                   const SpanSelection& baseline, const SpanSelection& incident)
{
    const SideSummary before = summarise(spans, baseline.filter(tracks));
    const SideSummary after = summarise(spans, incident.filter(tracks));
    BaselineDiff diff;
    diff.flame = FlameDiff::compare(before.tree, after.tree);
    diff.baseline = sideOf(before.critical);
    diff.incident = sideOf(after.critical);

    // The calls of a path: its node in the union of both span trees, found by its frames.
    const FlameTree& flameTree = diff.flame.tree(FlameDiff::Widths::Incident);
    std::unordered_map<quint64, qint32> childOf;
    for (size_t n = 1; n < flameTree.nodes().size(); ++n) {
        const FlameTree::Node& node = flameTree.nodes()[n];
        childOf.emplace((quint64(quint32(node.parent)) << 32) | quint64(node.frame), qint32(n));
    }
    const auto flameNode = [&](const std::vector<StringId>& path) {
        qint32 node = 0;
        for (const StringId frame : path) {
            const auto it = childOf.find((quint64(quint32(node)) << 32) | quint64(frame));
            if (it == childOf.end())
                return -1;
            node = it->second;
        }
        return node;
    };

    // Call paths, matched by their frames.
    std::map<std::vector<StringId>, std::pair<Observed, Observed>> byPath;
    std::map<std::vector<StringId>, Category> categoryOf;
    const auto collect = [&](const CriticalPathSummary& summary, bool isBaseline) {
        for (const CriticalPathSummary::PathRow& row : summary.paths()) {
            const std::vector<StringId> path = summary.callPath(row.node);
            auto& observed = byPath[path];
            (isBaseline ? observed.first : observed.second) = {row.perTrace, row.criticalNs, row.traces};
            categoryOf.try_emplace(path, row.category);
        }
    };
    collect(before.critical, true);
    collect(after.critical, false);
    for (const auto& [path, observed] : byPath) {
        const qint32 node = flameNode(path);
        const FlameDiff::Change change = node >= 0 ? diff.flame.changes()[size_t(node)] : FlameDiff::Change{};
        Contributor row = contributor(observed.first, observed.second, change.baselineCount,
                                      change.incidentCount, diff.baseline, diff.incident);
        row.path = path;
        row.category = categoryOf[path];
        diff.paths.push_back(std::move(row));
    }
    rank(diff.paths, diff.baseline, diff.incident);

    // Categories: every one is in both summaries, in the same order.
    std::array<qint64, AllCategories.size()> baselineCalls{};
    std::array<qint64, AllCategories.size()> incidentCalls{};
    for (size_t n = 1; n < flameTree.nodes().size(); ++n) {
        const size_t category = size_t(flameTree.nodes()[n].category);
        baselineCalls[category] += diff.flame.changes()[n].baselineCount;
        incidentCalls[category] += diff.flame.changes()[n].incidentCount;
    }
    for (size_t c = 0; c < AllCategories.size(); ++c) {
        const auto& b = before.critical.categories()[c];
        const auto& a = after.critical.categories()[c];
        Contributor row = contributor({b.perTrace, b.criticalNs, before.tracesByCategory[c]},
                                      {a.perTrace, a.criticalNs, after.tracesByCategory[c]}, baselineCalls[c],
                                      incidentCalls[c], diff.baseline, diff.incident);
        row.category = AllCategories[c];
        diff.categories.push_back(std::move(row));
    }
    rank(diff.categories, diff.baseline, diff.incident);
    return diff;
}

} // namespace lundi
