#include "baselinediff.h"

#include "criticalpath.h"
#include "criticalpathsummary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <future>
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

// A source side takes that source's spans out of the incident's, so that each side walks its
// own spans rather than all of them with a filter that hides the others.
SideSummary summarise(const std::vector<SpanRecord>& spans, const QList<Track>& tracks,
                      const SpanSelection& selection)
{
    if (!selection.source)
        return summarise(spans, selection.filter(tracks));
    std::vector<bool> own;
    for (const Track& track : tracks) {
        if (track.source != *selection.source || track.id < 0)
            continue;
        if (size_t(track.id) >= own.size())
            own.resize(size_t(track.id) + 1);
        own[size_t(track.id)] = true;
    }
    std::vector<SpanRecord> ownSpans;
    for (const SpanRecord& span : spans) {
        if (span.track >= 0 && size_t(span.track) < own.size() && own[size_t(span.track)])
            ownSpans.push_back(span);
    }
    return summarise(ownSpans, {});
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

double noiseOf(const BaselineDiff::Side& baseline, const BaselineDiff::Side& incident)
{
    return BaselineDiff::MinimumShare * double(std::max(baseline.meanNs, incident.meanNs));
}

bool isNoise(const BaselineDiff::Contributor& row, double noise)
{
    const qint64 largest =
        std::max({std::abs(row.deltaP50Ns()), std::abs(row.deltaP95Ns()), std::abs(row.deltaMeanNs())});
    return largest == 0 || double(largest) < noise;
}

// Keeps the rows that changed more than noise, the one that grew most first, with their share.
void rank(std::vector<BaselineDiff::Contributor>& rows, const BaselineDiff::Side& baseline,
          const BaselineDiff::Side& incident)
{
    const double noise = noiseOf(baseline, incident);
    std::erase_if(rows, [noise](const BaselineDiff::Contributor& row) { return isNoise(row, noise); });
    const qint64 total = incident.meanNs - baseline.meanNs;
    for (BaselineDiff::Contributor& row : rows)
        row.share = total != 0 ? double(row.deltaMeanNs()) / double(total) : 0;
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.deltaMeanNs() != b.deltaMeanNs() ? a.deltaMeanNs() > b.deltaMeanNs()
                                                  : a.deltaP95Ns() > b.deltaP95Ns();
    });
}

BaselineDiff compareSides(const SideSummary& before, const SideSummary& after)
{
    BaselineDiff diff;
    diff.flame = FlameDiff::compare(before.tree, after.tree);
    diff.baseline = sideOf(before.critical);
    diff.incident = sideOf(after.critical);

    // Each side's critical-path nodes as nodes of the union of both span trees (where the calls
    // are counted), found by (parent, frame): both trees have their parents first.
    const FlameTree& flameTree = diff.flame.tree(FlameDiff::Widths::Incident);
    const auto key = [](qint32 parent, qint64 frame) {
        return (quint64(quint32(parent)) << 32) | quint64(frame);
    };
    std::unordered_map<quint64, qint32> childOf;
    childOf.reserve(flameTree.nodes().size());
    for (size_t n = 1; n < flameTree.nodes().size(); ++n)
        childOf.emplace(key(flameTree.nodes()[n].parent, flameTree.nodes()[n].frame), qint32(n));
    std::vector<std::pair<Observed, Observed>> observedAt(flameTree.nodes().size());
    std::vector<Category> categoryAt(flameTree.nodes().size());
    // A path no span tree has (a range side's trace reaching past the range, where span time is
    // clipped): matched by its frames.
    std::map<std::vector<StringId>, std::pair<Observed, Observed>> elsewhere;
    std::map<std::vector<StringId>, Category> elsewhereCategory;
    const auto collect = [&](const CriticalPathSummary& summary, bool isBaseline) {
        const std::vector<FlameTree::Node>& nodes = summary.tree().nodes();
        std::vector<qint32> unionOf(nodes.size(), -1);
        unionOf[0] = 0;
        for (size_t n = 1; n < nodes.size(); ++n) {
            const qint32 parent = unionOf[size_t(nodes[n].parent)];
            const auto it = parent >= 0 ? childOf.find(key(parent, nodes[n].frame)) : childOf.end();
            unionOf[n] = it != childOf.end() ? it->second : -1;
        }
        for (const CriticalPathSummary::PathRow& row : summary.paths()) {
            const Observed observed{row.perTrace, row.criticalNs, row.traces};
            const qint32 node = unionOf[size_t(row.node)];
            if (node >= 0) {
                (isBaseline ? observedAt[size_t(node)].first : observedAt[size_t(node)].second) = observed;
                categoryAt[size_t(node)] = row.category;
            } else {
                const std::vector<StringId> path = summary.callPath(row.node);
                (isBaseline ? elsewhere[path].first : elsewhere[path].second) = observed;
                elsewhereCategory.try_emplace(path, row.category);
            }
        }
    };
    collect(before.critical, true);
    collect(after.critical, false);
    // Only rows above the noise get their path: of thousands, most do not change.
    const double noise = noiseOf(diff.baseline, diff.incident);
    for (size_t n = 1; n < observedAt.size(); ++n) {
        const auto& [b, a] = observedAt[n];
        if (b.traces == 0 && a.traces == 0)
            continue;
        const FlameDiff::Change& change = diff.flame.changes()[n];
        BaselineDiff::Contributor row =
            contributor(b, a, change.baselineCount, change.incidentCount, diff.baseline, diff.incident);
        if (isNoise(row, noise))
            continue;
        for (qint32 at = qint32(n); at > 0; at = flameTree.nodes()[size_t(at)].parent)
            row.path.push_back(flameTree.nodes()[size_t(at)].frame);
        std::reverse(row.path.begin(), row.path.end());
        row.category = categoryAt[n];
        diff.paths.push_back(std::move(row));
    }
    for (const auto& [path, observed] : elsewhere) {
        BaselineDiff::Contributor row = contributor(observed.first, observed.second, 0, 0, diff.baseline, diff.incident);
        row.path = path;
        row.category = elsewhereCategory[path];
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
        BaselineDiff::Contributor row = contributor({b.perTrace, b.criticalNs, before.tracesByCategory[c]},
                                      {a.perTrace, a.criticalNs, after.tracesByCategory[c]}, baselineCalls[c],
                                      incidentCalls[c], diff.baseline, diff.incident);
        row.category = AllCategories[c];
        diff.categories.push_back(std::move(row));
    }
    rank(diff.categories, diff.baseline, diff.incident);
    return diff;
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
    // The sides are independent: the baseline's on a thread of its own (whose exceptions, such as
    // running out of memory, get() passes on).
    auto baselineSide = std::async(std::launch::async, [&] { return summarise(spans, tracks, baseline); });
    const SideSummary after = summarise(spans, tracks, incident);
    return compareSides(baselineSide.get(), after);
}

BaselineDiff BaselineDiff::compute(const std::vector<SpanRecord>& spans, const SpanFilter& baseline,
                                   const SpanFilter& incident)
{
    auto baselineSide = std::async(std::launch::async, [&] { return summarise(spans, baseline); });
    const SideSummary after = summarise(spans, incident);
    return compareSides(baselineSide.get(), after);
}

} // namespace lundi
