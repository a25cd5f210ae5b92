#pragma once

#include "flametree.h"

#include <vector>

namespace lundi {

// Two flame trees compared stack by stack: the union of their call paths (matched by the path
// of frame names from the root), each with its time in both. What is compared is a path's share
// of its own tree's time, not its time, so that more traffic alone, which makes every stack
// wider, changes nothing.
class FlameDiff
{
  public:
    enum class Widths {
        Incident, // a stack that vanished has no width: what the incident looks like
        Baseline, // what the baseline looked like, so vanished stacks stay visible
    };

    struct Change
    {
        qint64 baselineNs = 0; // total time of the path in each tree
        qint64 incidentNs = 0;
        qint64 baselineCount = 0;
        qint64 incidentCount = 0;
        double baselineShare = 0; // of the root's total of its tree, 0 to 1
        double incidentShare = 0;

        // The change in share of time, -1 to 1: positive grew, negative shrank.
        double shareChange() const { return incidentShare - baselineShare; }
        bool isNew() const { return baselineCount == 0 && incidentCount > 0; }
        bool isMissing() const { return incidentCount == 0 && baselineCount > 0; }
    };

    // A change of share smaller than this, in either direction, is no change (a tenth of a
    // percentage point): the rounding of a sampled profile, not a regression.
    static constexpr double UnchangedShare = 0.001;

    // Both trees must name frames by the same StringIds (spans of one incident). Track nodes of
    // Roots::ByTrack are matched by track id, so compare trees built with Roots::Merged when the
    // two sides are different sources.
    static FlameDiff compare(const FlameTree& baseline, const FlameTree& incident);

    // The union of both trees' paths, with the totals, self times and counts of one side; a path
    // the other side lacks has zeros. Both trees have the same nodes in the same order.
    const FlameTree& tree(Widths widths) const
    {
        return widths == Widths::Incident ? m_incidentTree : m_baselineTree;
    }
    // Indexed like the nodes of tree().
    const std::vector<Change>& changes() const { return m_changes; }
    // The largest change of share of any node below the root, in either direction (0 to 1).
    double largestChange() const { return m_largestChange; }

  private:
    FlameTree m_incidentTree;
    FlameTree m_baselineTree;
    std::vector<Change> m_changes;
    double m_largestChange = 0;
};

} // namespace lundi
