#include "stacktree.h"
#include "foldedline.h"

#include "ingest/sink.h"

#include <algorithm>
#include <cstring>

namespace lundi::folded {

namespace {

// splitmix64's finaliser: (parent, frame) pairs are far from random, slots must be.
quint64 mix(quint64 key)
{
    key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ULL;
    key = (key ^ (key >> 27)) * 0x94d049bb133111ebULL;
    return key ^ (key >> 31);
}

quint64 slotKey(quint32 parent, quint32 frame)
{
    return mix(quint64(parent) << 32 | frame);
}

// How many leading bytes two texts share, compared eight at a time.
size_t sharedPrefix(std::string_view a, std::string_view b)
{
    const size_t size = std::min(a.size(), b.size());
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 x;
        quint64 y;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        if (x != y)
            break;
    }
    while (i < size && a[i] == b[i])
        ++i;
    return i;
}

} // namespace

StackTree::StackTree(int parts)
    : m_parts(parts), m_nodes(1, Node{0, 0, 0, 0}), m_weights(size_t(parts), 0), m_slots(1024, 0)
{
}

quint32 StackTree::frameOf(std::string_view name)
{
    const auto [it, inserted] = m_frameIds.try_emplace(name, quint32(m_frames.size()));
    if (inserted)
        m_frames.push_back(name);
    return it->second;
}

quint32 StackTree::child(quint32 parent, quint32 frame)
{
    const size_t mask = m_slots.size() - 1;
    for (size_t slot = slotKey(parent, frame) & mask;; slot = (slot + 1) & mask) {
        const quint32 node = m_slots[slot];
        if (!node) {
            const quint32 created = quint32(m_nodes.size());
            m_nodes.push_back({parent, frame, 0, m_nodes[parent].firstChild});
            m_nodes[parent].firstChild = created;
            m_weights.resize(m_weights.size() + size_t(m_parts), 0);
            m_slots[slot] = created;
            if (m_nodes.size() * 4 > m_slots.size() * 3)
                growSlots();
            return created;
        }
        if (m_nodes[node].parent == parent && m_nodes[node].frame == frame)
            return node;
    }
}

void StackTree::growSlots()
{
    std::vector<quint32> slots(m_slots.size() * 2, 0);
    const size_t mask = slots.size() - 1;
    for (quint32 node = 1; node < m_nodes.size(); ++node) {
        size_t slot = slotKey(m_nodes[node].parent, m_nodes[node].frame) & mask;
        while (slots[slot])
            slot = (slot + 1) & mask;
        slots[slot] = node;
    }
    m_slots.swap(slots);
}

std::optional<SkipReason> StackTree::add(std::string_view stack, const qint64* ns)
{
    for (int part = 0; part < m_parts; ++part) {
        if (ns[part] > MaxProfileNs - m_weights[size_t(part)])
            return SkipReason::CountTooLarge;
    }
    if (std::count(stack.begin(), stack.end(), ';') >= MaxDepth)
        return SkipReason::TooDeep;

    // A frame of the last stack is this one's too where the text up to its end is the same and
    // both stacks have a frame boundary right after it.
    const size_t shared = sharedPrefix(stack, m_lastStack);
    const bool boundaryAtShared = shared == m_lastStack.size() || m_lastStack[shared] == ';';
    bool reusing = true;
    size_t depth = 0;
    quint32 node = 0;
    for (size_t start = 0; start <= stack.size();) {
        const size_t semicolon = stack.find(';', start);
        const size_t end = semicolon == std::string_view::npos ? stack.size() : semicolon;
        const std::string_view frame = stack.substr(start, end - start);
        start = end + 1;
        if (frame.empty())
            continue;
        if (frame.size() > size_t(MaxFrameBytes)) {
            m_lastStack = {}; // the path is half this stack's now
            return SkipReason::FrameTooLong;
        }
        reusing =
            reusing && depth < m_lastPath.size() && (end < shared || (end == shared && boundaryAtShared));
        node = reusing ? m_lastPath[depth] : child(node, frameOf(frame));
        if (depth < m_lastPath.size())
            m_lastPath[depth] = node;
        else
            m_lastPath.push_back(node);
        ++depth;
    }
    if (!depth)
        return SkipReason::NoFrame;
    m_lastPath.resize(depth);
    m_lastStack = stack;
    for (int part = 0; part < m_parts; ++part) {
        m_weights[size_t(part)] += ns[part];
        for (const quint32 onPath : m_lastPath)
            m_weights[size_t(onPath) * size_t(m_parts) + size_t(part)] += ns[part];
    }
    return std::nullopt;
}

void StackTree::internFrames(Sink& sink)
{
    std::vector<bool> used(m_frames.size());
    for (quint32 node = 1; node < m_nodes.size(); ++node) {
        for (int part = 0; part < m_parts; ++part)
            used[m_nodes[node].frame] = used[m_nodes[node].frame] || weight(node, part) > 0;
    }
    std::vector<quint32> byName;
    for (quint32 frame = 0; frame < m_frames.size(); ++frame) {
        if (used[frame])
            byName.push_back(frame);
    }
    std::sort(byName.begin(), byName.end(), [&](quint32 a, quint32 b) { return m_frames[a] < m_frames[b]; });
    m_frameRanks.assign(m_frames.size(), 0);
    m_frameStrings.assign(m_frames.size(), 0);
    for (quint32 rank = 0; rank < byName.size(); ++rank) {
        m_frameRanks[byName[rank]] = rank;
        m_frameStrings[byName[rank]] = sink.intern(m_frames[byName[rank]]);
    }
    // The lookups are over: their memory goes back before the store needs its own.
    m_slots = {};
    m_frameIds = {};
    m_lastPath = {};
}

void StackTree::write(Sink& sink, int part, TrackId track, const std::function<void()>& progress) const
{
    struct Pending
    {
        quint32 node;
        SpanId parent;
        qint64 startNs;
    };
    std::vector<Pending> pending; // an explicit stack: 10k-deep profiles must not recurse
    std::vector<quint32> children;
    const auto pushChildren = [&](quint32 node, SpanId span, qint64 startNs) {
        children.clear();
        for (quint32 child = m_nodes[node].firstChild; child; child = m_nodes[child].nextSibling) {
            if (weight(child, part) > 0)
                children.push_back(child);
        }
        std::sort(children.begin(), children.end(), [&](quint32 a, quint32 b) {
            return m_frameRanks[m_nodes[a].frame] < m_frameRanks[m_nodes[b].frame];
        });
        // Pushed right to left, so that the leftmost comes off first.
        qint64 endNs = startNs;
        for (const quint32 child : children)
            endNs += weight(child, part);
        for (auto child = children.rbegin(); child != children.rend(); ++child) {
            endNs -= weight(*child, part);
            pending.push_back({*child, span, endNs});
        }
    };

    pushChildren(0, 0, 0);
    SpanSpec span;
    span.track = track;
    qint64 written = 0;
    while (!pending.empty()) {
        const Pending next = pending.back();
        pending.pop_back();
        span.parent = next.parent;
        span.name = m_frameStrings[m_nodes[next.node].frame];
        span.startNs = next.startNs;
        span.durNs = weight(next.node, part);
        pushChildren(next.node, sink.addSpan(span), next.startNs);
        if (++written % 4096 == 0)
            progress();
    }
}

} // namespace lundi::folded
