#pragma once

#include "model.h"

#include <QSet>

namespace lundi {

// Which spans an aggregation looks at: those of visible tracks, clipped to a time range.
struct SpanFilter
{
    TimeRange range;            // empty: all time, nothing clipped
    QSet<TrackId> hiddenTracks; // spans of these tracks are left out

    bool clips() const { return !range.isEmpty(); }
    bool acceptsTrack(TrackId track) const { return !hiddenTracks.contains(track); }
};

} // namespace lundi
