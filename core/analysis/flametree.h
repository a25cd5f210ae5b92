#pragma once

#include "model.h"

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
        // A StringId (> 0), or -TrackId for the track nodes of Roots::ByTrack, or 0 for the root.
        qint64 frame = 0;
        qint32 parent = -1;
        Category category = Category::Other;
        qint64 totalNs = 0;
        qint64 selfNs = 0;
        qint64 count = 0;
        std::vector<qint32> children;
    };

    // spans must be in id order, with every parent before its children (Store::spanRecords()).
    static FlameTree build(const std::vector<SpanRecord>& spans, Roots roots = Roots::Merged);

    // Node 0 is the root; its total is the sum of its children's.
    const std::vector<Node>& nodes() const { return m_nodes; }
    const Node& root() const { return m_nodes.front(); }

  private:
    std::vector<Node> m_nodes;
};

} // namespace lundi
