#pragma once

#include "spanfilter.h"

#include <QList>

#include <optional>

namespace lundi {

// One side of a comparison: the spans of one source (all of its tracks), or the spans in a time
// range of the whole incident.
struct SpanSelection
{
    std::optional<SourceId> source;
    TimeRange range; // when source is empty

    bool operator==(const SpanSelection& other) const
    {
        return source == other.source && range.startNs == other.range.startNs &&
               range.endNs == other.range.endNs;
    }

    // The filter that keeps those spans: for a source, one that hides every other source's tracks.
    SpanFilter filter(const QList<Track>& tracks) const
    {
        SpanFilter filter;
        if (!source) {
            filter.range = range;
            return filter;
        }
        for (const Track& track : tracks) {
            if (track.source != *source)
                filter.hiddenTracks.insert(track.id);
        }
        return filter;
    }

    // What a comparison against this side as its baseline takes as the incident when none is
    // named: the other sources, or the time after a range (before it, when nothing comes after).
    // all: the incident's time range.
    SpanFilter complement(const QList<Track>& tracks, TimeRange all) const
    {
        SpanFilter filter;
        if (!source) {
            filter.range = all.endNs > range.endNs ? TimeRange{range.endNs, all.endNs}
                                                   : TimeRange{all.startNs, range.startNs};
            return filter;
        }
        for (const Track& track : tracks) {
            if (track.source == *source)
                filter.hiddenTracks.insert(track.id);
        }
        return filter;
    }
};

} // namespace lundi
