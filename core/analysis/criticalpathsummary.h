#pragma once

#include "criticalpath.h"
#include "durationdistribution.h"
#include "flametree.h"

#include <vector>

namespace lundi {

// Critical-path time over a set of traces: where the traces' latency went, by call path and by
// category. The flame tree is that of critical-path time: a node's self time is the time its
// call path spent on the traces' critical paths itself, its total that of its subtree, its
// count the number of traces with time on it; the root's total is the traces' summed duration.
// Per trace, a path's or category's time is the sum of its sections in that trace; percentiles
// are over all the traces, those without time there counting as 0 (nearest rank, as
// DurationDistribution has it), so a path met in one trace in ten has a p50 of 0.
class CriticalPathSummary
{
  public:
    struct PathRow
    {
        qint32 node = 0; // in tree()
        StringId name = 0;
        Category category = Category::Other;
        qint64 criticalNs = 0; // over all traces
        double share = 0;      // of all traces' summed duration
        qint64 traces = 0;     // with time on this path
        DurationDistribution::Percentiles perTrace;
    };

    struct CategoryRow
    {
        Category category = Category::Other;
        qint64 criticalNs = 0;
        double share = 0;
        DurationDistribution::Percentiles perTrace;
    };

    // spans are those the traces were computed from (their names, categories and parents), with
    // the filter they were computed with: a call path passes over the spans of hidden tracks.
    static CriticalPathSummary build(const std::vector<SpanRecord>& spans,
                                     const std::vector<CriticalPath::Trace>& traces,
                                     const SpanFilter& filter = {});

    qint64 traceCount() const { return m_traceCount; }
    qint64 totalNs() const { return m_totalNs; } // the traces' summed duration
    DurationDistribution::Percentiles duration() const { return m_duration; }
    const FlameTree& tree() const { return m_tree; }
    // Every call path with critical-path time of its own, most time first.
    const std::vector<PathRow>& paths() const { return m_paths; }
    // One per category, in AllCategories order.
    const std::vector<CategoryRow>& categories() const { return m_categories; }
    // The frame names from the root down to node.
    std::vector<StringId> callPath(qint32 node) const;

  private:
    FlameTree m_tree;
    qint64 m_traceCount = 0;
    qint64 m_totalNs = 0;
    DurationDistribution::Percentiles m_duration;
    std::vector<PathRow> m_paths;
    std::vector<CategoryRow> m_categories;
};

} // namespace lundi
