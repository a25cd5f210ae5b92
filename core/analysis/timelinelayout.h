#pragma once

#include "model.h"

#include <QList>

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
        qint32 span = -1; // index into the span list; -1: spans narrower than a pixel, merged
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
    // The span of a row that covers timeNs, or -1.
    qint32 spanAt(int row, qint64 timeNs) const;

  private:
    std::vector<Lane> m_lanes;
    // Implementation data: rows of span indices in start order, and what finding them needs.
};

} // namespace lundi
