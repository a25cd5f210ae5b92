#pragma once

#include "skippedlines.h"

#include "model.h"

#include <QHash>

#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lundi {
class Sink;
} // namespace lundi

namespace lundi::folded {

// The stacks of a folded profile merged by common prefix, as a flame graph merges them: one node
// per distinct path from a root frame, holding the synthetic time of every stack through it,
// per part of the profile (one, or the baseline and the incident of a differential profile).
// The frames are views into the input, which must outlive the tree.
class StackTree
{
  public:
    static constexpr int MaxDepth = 65'535; // the store keeps a span's depth in 16 bits
    static constexpr int MaxFrameBytes = 64 * 1024;
    // Each node becomes a span (two in a differential profile) and holds 24 to 32 bytes here:
    // 6 million keep an import under 400 MB, far above a realistic profile (a 100 MB perf
    // profile has about 400,000).
    static constexpr qint64 MaxNodes = 6'000'000;

    explicit StackTree(int parts);

    int parts() const { return m_parts; }
    // The distinct stack prefixes so far, each a node.
    qint64 nodes() const { return qint64(m_nodes.size()) - 1; }
    // Adds a stack ("a;b;c", empty frames ignored) with its time in each part; on a problem,
    // adds nothing and says why.
    std::optional<SkipReason> add(std::string_view stack, const qint64* ns);
    qint64 totalNs(int part) const { return m_weights[size_t(part)]; }

    // Interns the frames of every node with time, in name order, before any span is written
    // (a new string makes the store wait for the spans in flight).
    void internFrames(Sink& sink);
    // Writes one part's nodes with time as spans on the track, depth first so that parents come
    // before children, siblings in name order left to right from time 0; calls progress() every
    // few thousand spans.
    void write(Sink& sink, int part, TrackId track, const std::function<void()>& progress) const;

  private:
    struct Node
    {
        quint32 parent;
        quint32 frame;
        quint32 firstChild; // 0: none (node 0 is the root of all stacks, nobody's child)
        quint32 nextSibling;
    };

    struct ViewHash
    {
        size_t operator()(std::string_view text) const
        {
            return qHash(QByteArrayView(text.data(), qsizetype(text.size())));
        }
    };

    qint64 weight(quint32 node, int part) const
    {
        return m_weights[size_t(node) * size_t(m_parts) + size_t(part)];
    }
    quint32 frameOf(std::string_view name);
    quint32 child(quint32 parent, quint32 frame);
    void growSlots();

    int m_parts;
    std::vector<Node> m_nodes;
    std::vector<qint64> m_weights; // m_parts per node
    std::vector<std::string_view> m_frames;
    std::unordered_map<std::string_view, quint32, ViewHash> m_frameIds;
    // Open addressing from (parent, frame) to a child node: millions of nodes, no allocation each.
    std::vector<quint32> m_slots; // node index, 0: empty
    // The path of the stack added last, to skip the lookups of the prefix the next one shares
    // with it (perf's folded output is sorted, so neighbours share most of their frames).
    std::string_view m_lastStack;
    std::vector<quint32> m_lastPath;
    // Filled by internFrames().
    std::vector<StringId> m_frameStrings;
    std::vector<quint32> m_frameRanks; // position in name order
};

} // namespace lundi::folded
