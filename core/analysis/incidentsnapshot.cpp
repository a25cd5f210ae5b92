#include "incidentsnapshot.h"

#include "store/store.h"

#include <algorithm>
#include <optional>

namespace lundi {

std::shared_ptr<const IncidentSnapshot> IncidentSnapshot::load(const Store& store)
{
    auto snapshot = std::make_shared<IncidentSnapshot>();
    snapshot->path = store.path();
    // The spans are all read anyway: count them and find their time range here, not in SQL,
    // which would take a pass over the spans table for each.
    snapshot->spans = store.spanRecords();
    snapshot->counts = store.counts(Store::SpanCounting::Skip);
    snapshot->counts.spans = qint64(snapshot->spans.size());
    snapshot->sources = store.sources(Store::SpanCounting::Skip);
    snapshot->tracks = store.tracks();
    snapshot->series = store.series();
    snapshot->strings = store.strings();

    TrackId lastTrack = 0;
    for (const Track& track : snapshot->tracks)
        lastTrack = std::max(lastTrack, track.id);
    std::vector<qint64> spansOfTrack(size_t(lastTrack) + 1);
    std::optional<TimeRange> range = store.sampleTimeRange();
    for (const SpanRecord& span : snapshot->spans) {
        if (span.track > 0 && span.track <= lastTrack)
            ++spansOfTrack[size_t(span.track)];
        const qint64 end = span.startNs + span.durNs;
        range = range ? TimeRange{std::min(range->startNs, span.startNs), std::max(range->endNs, end)}
                      : TimeRange{span.startNs, end};
    }
    snapshot->timeRange = range.value_or(TimeRange{});
    for (Source& source : snapshot->sources) {
        for (const Track& track : snapshot->tracks) {
            if (track.source == source.id)
                source.spanCount += spansOfTrack[size_t(track.id)];
        }
    }
    snapshot->timeline = TimelineLayout::build(snapshot->spans, snapshot->tracks);
    return snapshot;
}

QString IncidentSnapshot::name(StringId id) const
{
    return id > 0 && size_t(id) < strings.size() ? strings[size_t(id)] : QString();
}

const Track* IncidentSnapshot::track(TrackId id) const
{
    const auto it = std::find_if(tracks.begin(), tracks.end(), [id](const Track& t) { return t.id == id; });
    return it != tracks.end() ? &*it : nullptr;
}

qint32 IncidentSnapshot::indexOf(SpanId id) const
{
    const auto it = std::lower_bound(spans.begin(), spans.end(), id,
                                     [](const SpanRecord& span, SpanId value) { return span.id < value; });
    return it != spans.end() && it->id == id ? qint32(it - spans.begin()) : -1;
}

TimeRange IncidentSnapshot::latestActivity() const
{
    constexpr qint64 Bins = 4096;
    constexpr qint64 MinGapBins = Bins / 20;
    const qint64 width = timeRange.endNs - timeRange.startNs;
    if (spans.empty() || width < Bins)
        return timeRange;
    // How many spans cover each bin, as differences: the cost is one step per span.
    std::vector<qint32> starts(size_t(Bins) + 1);
    const auto binOf = [&](qint64 timeNs) {
        return std::clamp<qint64>((timeNs - timeRange.startNs) / (width / Bins), 0, Bins - 1);
    };
    for (const SpanRecord& span : spans) {
        ++starts[size_t(binOf(span.startNs))];
        --starts[size_t(binOf(span.startNs + span.durNs)) + 1];
    }
    qint64 covered = 0;
    qint64 gap = -1; // -1: before the first span; time with only samples in it is no gap
    qint64 lastStart = 0;
    for (qint64 bin = 0; bin < Bins; ++bin) {
        covered += starts[size_t(bin)];
        if (covered > 0) {
            if (gap >= MinGapBins)
                lastStart = bin;
            gap = 0;
        } else if (gap >= 0) {
            ++gap;
        }
    }
    if (lastStart == 0)
        return timeRange;
    // The bins are coarse (a week makes bins of minutes): start at the stretch's first span.
    const qint64 binStartNs = timeRange.startNs + lastStart * (width / Bins);
    qint64 startNs = timeRange.endNs;
    for (const SpanRecord& span : spans) {
        if (span.startNs >= binStartNs)
            startNs = std::min(startNs, span.startNs);
    }
    // A little room before the stretch, so that its first spans do not stick to the edge.
    const qint64 marginNs = (timeRange.endNs - startNs) / 50;
    return {std::max(timeRange.startNs, startNs - marginNs), timeRange.endNs};
}

} // namespace lundi
