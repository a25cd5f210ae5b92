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

} // namespace lundi
