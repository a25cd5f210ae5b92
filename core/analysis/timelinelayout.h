#pragma once

#include "model.h"

#include <QList>

#include <algorithm>
#include <utility>
#include <vector>

namespace lundi {

// Every span of an incident laid out for the flame chart: each track is a lane of rows, and
// each subtree of a track (a span whose parent is on another track, with its descendants on
// this one) is packed into the lowest rows free for its whole time, so concurrent requests of
// a service do not draw over each other. Rows keep their spans in start order so that a view
// asks only for what lies in its window, one box per pixel at most.
class TimelineLayout
{
  public:
    struct Lane
    {
        TrackId track = 0;
        int firstRow = 0;
        int rowCount = 0;
    };

    struct Box
    {
        qint64 startNs = 0;
        qint64 endNs = 0;
        qint32 span = -1;  // index into the span list; -1: spans narrower than a pixel, merged
        StringId name = 0; // of the span, or of the first merged one
        Category category = Category::Other;
        qint32 merged = 1; // how many spans the box stands for
    };

    // spans as Store::spanRecords() returns them; lanes follow the order of tracks.
    static TimelineLayout build(const std::vector<SpanRecord>& spans, const QList<Track>& tracks);

    const std::vector<Lane>& lanes() const { return m_lanes; }
    int rowCount() const;
    // The row a span (index into the span list) was laid out in.
    int rowOf(qint32 span) const;
    // The boxes of a row that meet [fromNs, toNs), in time order, appended to out. Spans
    // narrower than nsPerPixel are merged with their neighbours into boxes about a pixel wide.
    void boxes(int row, qint64 fromNs, qint64 toNs, double nsPerPixel, std::vector<Box>& out) const;
    // Calls visit(startNs, endNs, span, name, category) for the spans of a row that meet
    // [fromNs, toNs), in start order and unmerged: for a view that merges as it draws, without
    // the cost of a Box per pixel. visit returns a time: the spans that end by then add nothing
    // to what it drew, and the walk leaps over them (return a time before fromNs to see all).
    template <typename Visit> void forEachSpan(int row, qint64 fromNs, qint64 toNs, Visit&& visit) const
    {
        const auto [begin, end] = rowEntries(row);
        // A view of the row's start needs no search: a search over each of a thousand rows
        // on screen is a thousand times twenty cache misses.
        qint64 e = begin;
        if (e < end && m_maxEnds[size_t(e)] <= fromNs)
            e = std::partition_point(m_maxEnds.begin() + begin, m_maxEnds.begin() + end,
                                     [fromNs](qint64 maxEnd) { return maxEnd <= fromNs; }) -
                m_maxEnds.begin();
        while (e < end && m_starts[size_t(e)] < toNs) {
            qint64 covered = fromNs;
            if (m_ends[size_t(e)] > fromNs)
                covered = visit(m_starts[size_t(e)], m_ends[size_t(e)], m_spans[size_t(e)],
                                m_names[size_t(e)], m_categories[size_t(e)]);
            ++e;
            // The running latest end says where the spans that end by `covered` stop: a compare
            // each, far less than a visit; even a million of them take a millisecond.
            while (e < end && m_maxEnds[size_t(e)] <= covered)
                ++e;
        }
    }
    // The span of a row that covers timeNs, or -1.
    qint32 spanAt(int row, qint64 timeNs) const;

    // The lane a row belongs to (index into lanes()), or -1.
    int laneOfRow(int row) const;
    // How many spans a row holds.
    qint64 rowSpanCount(int row) const;

  private:
    // Entries [from, to) of m_starts etc. of a row.
    std::pair<qint64, qint64> rowEntries(int row) const;

    std::vector<Lane> m_lanes;
    std::vector<int> m_laneOfRow;
    // Rows one after another, each in start order: row r holds entries [m_rowBegin[r], m_rowBegin[r + 1]).
    std::vector<qint64> m_rowBegin;
    std::vector<qint64> m_starts;
    std::vector<qint64> m_ends;
    // The latest end of the row's entries up to each one, so a search by time also finds a span
    // that overlaps its successors (siblings that overlap each other share a row).
    std::vector<qint64> m_maxEnds;
    std::vector<qint32> m_spans;
    std::vector<StringId> m_names;
    std::vector<Category> m_categories;
    std::vector<qint32> m_rowOf; // by span index
};

} // namespace lundi
