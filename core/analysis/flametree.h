#pragma once

#include "model.h"
#include "spanfilter.h"

#include <vector>

namespace lundi {

// Spans aggregated by call stack: one node per distinct path of names from a root, with the
// time of every span on that path. Self time is a span's duration less the union of its
// children's intervals, clipped to the span, so overlapping or overhanging children never
// make it negative.
class FlameTree
{
  public:
    enum class Roots {
        Merged,  // identical stacks of different tracks are one node
        ByTrack, // the first level below the root is the track
    };

    struct Node
    {
        // A StringId (> 0), or -TrackId for the track nodes of Roots::ByTrack, or 0 for the root
        // of a tree built from spans (a Sandwich's trees have the frame itself at the root).
        qint64 frame = 0;
        qint32 parent = -1;
        Category category = Category::Other;
        qint64 totalNs = 0;
        qint64 selfNs = 0;
        qint64 count = 0;
        std::vector<qint32> children;
    };

    // spans must be in id order, with every parent before its children (Store::spanRecords()).
    // The filter leaves out the spans of hidden tracks and, when it clips, the spans outside its
    // range, and clips the others to it (self time too), so the root's total is the time in the
    // range. A span whose parent was left out hangs under its nearest ancestor that was kept, or
    // becomes a root: the tree is the one those spans would give had the others never been
    // recorded, so a kept ancestor's self time includes the time of the hidden spans below it.
    static FlameTree build(const std::vector<SpanRecord>& spans, Roots roots = Roots::Merged,
                           const SpanFilter& filter = {});

    // Node 0 is the root; built from spans, its total is the sum of its children's. A node comes
    // after its parent.
    const std::vector<Node>& nodes() const { return m_nodes; }
    const Node& root() const { return m_nodes.front(); }

  private:
    friend struct Sandwich;           // builds its trees node by node
    friend class FlameDiff;           // builds the union of two trees node by node
    friend class CriticalPathSummary; // builds a tree of critical-path time node by node

    template <class View>
    static FlameTree aggregate(const std::vector<SpanRecord>& spans, Roots roots, const View& view);

    std::vector<Node> m_nodes;
};

} // namespace lundi
