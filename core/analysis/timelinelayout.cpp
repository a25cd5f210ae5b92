#include "timelinelayout.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lundi {

namespace {

// Spans come in id order; ids are usually dense, so a parent is found without a search.
qint32 indexOfId(const std::vector<SpanRecord>& spans, SpanId id)
{
    if (spans.empty() || id <= 0)
        return -1;
    const qint64 guess = id - spans.front().id;
    if (guess >= 0 && size_t(guess) < spans.size() && spans[size_t(guess)].id == id)
        return qint32(guess);
    const auto it = std::lower_bound(spans.begin(), spans.end(), id,
                                     [](const SpanRecord& span, SpanId value) { return span.id < value; });
    return it != spans.end() && it->id == id ? qint32(it - spans.begin()) : -1;
}

// An instant lasts a nanosecond, so that it is found and drawn like any other span.
qint64 endOf(const SpanRecord& span)
{
    return span.startNs + std::max<qint64>(span.durNs, 1);
}

struct Root
{
    qint64 startNs;
    qint32 lane;
    qint32 span;
};

} // namespace

TimelineLayout TimelineLayout::build(const std::vector<SpanRecord>& spans, const QList<Track>& tracks)
{
    TimelineLayout layout;
    const qint32 count = qint32(spans.size());

    QHash<TrackId, qint32> laneOfTrack;
    for (const Track& track : tracks) {
        if (!laneOfTrack.contains(track.id)) {
            laneOfTrack.insert(track.id, qint32(layout.m_lanes.size()));
            layout.m_lanes.push_back({track.id, 0, 0});
        }
    }

    // Per span: its lane, the root of its subtree (a span whose parent is absent or on another
    // track) and its depth below that root. Parents come before their children.
    std::vector<qint32> lane(size_t(count), -1);
    std::vector<qint32> root(size_t(count), -1);
    std::vector<qint32> depth(size_t(count), 0);
    // Per root: the extent and height of its subtree.
    std::vector<qint64> subStart(size_t(count), 0);
    std::vector<qint64> subEnd(size_t(count), 0);
    std::vector<qint32> subHeight(size_t(count), 0);
    std::vector<Root> roots;
    TrackId lastTrack = -1;
    qint32 lastLane = -1;
    for (qint32 i = 0; i < count; ++i) {
        const SpanRecord& span = spans[size_t(i)];
        if (span.track != lastTrack) {
            lastTrack = span.track;
            lastLane = laneOfTrack.value(span.track, -1);
        }
        if (lastLane < 0)
            continue;
        lane[size_t(i)] = lastLane;
        const qint32 parent = indexOfId(spans, span.parent);
        if (parent >= 0 && parent < i && lane[size_t(parent)] == lastLane) {
            const qint32 r = root[size_t(parent)];
            root[size_t(i)] = r;
            depth[size_t(i)] = depth[size_t(parent)] + 1;
            subStart[size_t(r)] = std::min(subStart[size_t(r)], span.startNs);
            subEnd[size_t(r)] = std::max(subEnd[size_t(r)], endOf(span));
            subHeight[size_t(r)] = std::max(subHeight[size_t(r)], depth[size_t(i)] + 1);
        } else {
            root[size_t(i)] = i;
            subStart[size_t(i)] = span.startNs;
            subEnd[size_t(i)] = endOf(span);
            subHeight[size_t(i)] = 1;
            roots.push_back({0, lastLane, i});
        }
    }
    for (Root& r : roots)
        r.startNs = subStart[size_t(r.span)];
    std::sort(roots.begin(), roots.end(), [](const Root& a, const Root& b) {
        return a.lane != b.lane         ? a.lane < b.lane
               : a.startNs != b.startNs ? a.startNs < b.startNs
                                        : a.span < b.span;
    });

    // First fit in start order: a row whose last subtree ended by this one's start is free for
    // it, since every later subtree starts later still.
    std::vector<qint32> base(size_t(count), 0); // per root: its first row in the lane
    std::vector<qint64> freeAt;
    size_t next = 0;
    for (size_t l = 0; l < layout.m_lanes.size(); ++l) {
        freeAt.clear();
        for (; next < roots.size() && roots[next].lane == qint32(l); ++next) {
            const qint32 r = roots[next].span;
            const qint32 height = subHeight[size_t(r)];
            const qint64 start = subStart[size_t(r)];
            qint32 row = 0;
            qint32 run = 0;
            while (run < height && size_t(row + run) < freeAt.size()) {
                if (freeAt[size_t(row + run)] <= start) {
                    ++run;
                } else {
                    row += run + 1;
                    run = 0;
                }
            }
            if (size_t(row + height) > freeAt.size())
                freeAt.resize(size_t(row + height), 0);
            std::fill(freeAt.begin() + row, freeAt.begin() + row + height, subEnd[size_t(r)]);
            base[size_t(r)] = row;
        }
        layout.m_lanes[l].rowCount = qint32(freeAt.size());
    }
    int rows = 0;
    for (Lane& l : layout.m_lanes) {
        l.firstRow = rows;
        rows += l.rowCount;
        layout.m_laneOfRow.insert(layout.m_laneOfRow.end(), size_t(l.rowCount),
                                  int(&l - layout.m_lanes.data()));
    }

    layout.m_rowOf.assign(size_t(count), -1);
    layout.m_rowBegin.assign(size_t(rows) + 1, 0);
    for (qint32 i = 0; i < count; ++i) {
        if (lane[size_t(i)] < 0)
            continue;
        const qint32 row = layout.m_lanes[size_t(lane[size_t(i)])].firstRow + base[size_t(root[size_t(i)])] +
                           depth[size_t(i)];
        layout.m_rowOf[size_t(i)] = row;
        ++layout.m_rowBegin[size_t(row) + 1];
    }
    lane = {};
    root = {};
    depth = {};
    subStart = {};
    subEnd = {};
    subHeight = {};
    base = {};
    roots = {};
    for (int r = 0; r < rows; ++r)
        layout.m_rowBegin[size_t(r) + 1] += layout.m_rowBegin[size_t(r)];

    const size_t placed = size_t(layout.m_rowBegin.back());
    layout.m_spans.resize(placed);
    {
        std::vector<qint64> fill(layout.m_rowBegin.begin(), layout.m_rowBegin.end() - 1);
        for (qint32 i = 0; i < count; ++i) {
            const qint32 row = layout.m_rowOf[size_t(i)];
            if (row >= 0)
                layout.m_spans[size_t(fill[size_t(row)]++)] = i;
        }
    }
    const auto byStart = [&spans](qint32 a, qint32 b) {
        const qint64 sa = spans[size_t(a)].startNs, sb = spans[size_t(b)].startNs;
        return sa != sb ? sa < sb : a < b;
    };
    layout.m_starts.resize(placed);
    layout.m_ends.resize(placed);
    layout.m_maxEnds.resize(placed);
    layout.m_names.resize(placed);
    layout.m_categories.resize(placed);
    for (int r = 0; r < rows; ++r) {
        const auto first = layout.m_spans.begin() + layout.m_rowBegin[size_t(r)];
        const auto last = layout.m_spans.begin() + layout.m_rowBegin[size_t(r) + 1];
        if (!std::is_sorted(first, last, byStart))
            std::sort(first, last, byStart);
        qint64 maxEnd = std::numeric_limits<qint64>::min();
        for (qint64 e = layout.m_rowBegin[size_t(r)]; e < layout.m_rowBegin[size_t(r) + 1]; ++e) {
            const SpanRecord& span = spans[size_t(layout.m_spans[size_t(e)])];
            layout.m_starts[size_t(e)] = span.startNs;
            layout.m_ends[size_t(e)] = endOf(span);
            maxEnd = std::max(maxEnd, endOf(span));
            layout.m_maxEnds[size_t(e)] = maxEnd;
            layout.m_names[size_t(e)] = span.name;
            layout.m_categories[size_t(e)] = span.category;
        }
    }
    return layout;
}

int TimelineLayout::rowCount() const
{
    return int(m_laneOfRow.size());
}

int TimelineLayout::rowOf(qint32 span) const
{
    return span >= 0 && size_t(span) < m_rowOf.size() ? m_rowOf[size_t(span)] : -1;
}

int TimelineLayout::laneOfRow(int row) const
{
    return row >= 0 && row < rowCount() ? m_laneOfRow[size_t(row)] : -1;
}

qint64 TimelineLayout::rowSpanCount(int row) const
{
    const auto [from, to] = rowEntries(row);
    return to - from;
}

std::pair<qint64, qint64> TimelineLayout::rowEntries(int row) const
{
    if (row < 0 || row >= rowCount())
        return {0, 0};
    return {m_rowBegin[size_t(row)], m_rowBegin[size_t(row) + 1]};
}

void TimelineLayout::boxes(int row, qint64 fromNs, qint64 toNs, double nsPerPixel,
                           std::vector<Box>& out) const
{
    const auto [begin, end] = rowEntries(row);
    if (begin == end || toNs <= fromNs)
        return;
    const auto startAt = [this](qint64 e) { return m_starts[size_t(e)]; };
    // The first entry that can reach fromNs: the latest end so far passes it.
    qint64 e = std::partition_point(m_maxEnds.begin() + begin, m_maxEnds.begin() + end,
                                    [fromNs](qint64 maxEnd) { return maxEnd <= fromNs; }) -
               m_maxEnds.begin();
    // Pixel columns are counted from the row's first start, so they stay put while the view pans.
    const qint64 origin = m_starts[size_t(begin)];
    while (e < end && startAt(e) < toNs) {
        const qint64 start = startAt(e);
        const qint64 stop = m_ends[size_t(e)];
        if (stop <= fromNs) {
            ++e;
            continue;
        }
        if (nsPerPixel <= 0 || double(stop - start) >= nsPerPixel) {
            out.push_back({start, stop, m_spans[size_t(e)], m_names[size_t(e)], m_categories[size_t(e)], 1});
            ++e;
            continue;
        }
        // A narrow span: take every span that starts in its pixel column, up to a wide one.
        const double column = std::floor(double(start - origin) / nsPerPixel);
        const qint64 columnEnd = std::min(toNs, origin + qint64(std::ceil((column + 1) * nsPerPixel)));
        const qint64 next = std::partition_point(m_starts.begin() + e, m_starts.begin() + end,
                                                 [columnEnd](qint64 s) { return s < columnEnd; }) -
                            m_starts.begin();
        qint64 last = next; // one past the merged entries
        if (last - e > 1 && double(m_ends[size_t(last - 1)] - startAt(last - 1)) >= nsPerPixel)
            --last;
        if (last - e == 1) {
            out.push_back({start, stop, m_spans[size_t(e)], m_names[size_t(e)], m_categories[size_t(e)], 1});
        } else {
            out.push_back({start, std::max(m_maxEnds[size_t(last - 1)], start + 1), -1, m_names[size_t(e)],
                           m_categories[size_t(e)], qint32(last - e)});
        }
        e = last;
    }
}

qint32 TimelineLayout::spanAt(int row, qint64 timeNs) const
{
    const auto [begin, end] = rowEntries(row);
    // The last span that starts by timeNs, then back while an earlier one may still cover it.
    qint64 e =
        std::upper_bound(m_starts.begin() + begin, m_starts.begin() + end, timeNs) - m_starts.begin() - 1;
    for (; e >= begin && m_maxEnds[size_t(e)] > timeNs; --e) {
        if (m_ends[size_t(e)] > timeNs)
            return m_spans[size_t(e)];
    }
    return -1;
}

} // namespace lundi
