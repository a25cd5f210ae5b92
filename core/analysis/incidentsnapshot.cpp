#include "incidentsnapshot.h"

#include "store/store.h"

#include <algorithm>

namespace lundi {

std::shared_ptr<const IncidentSnapshot> IncidentSnapshot::load(const Store& store)
{
    auto snapshot = std::make_shared<IncidentSnapshot>();
    snapshot->path = store.path();
    snapshot->counts = store.counts();
    snapshot->sources = store.sources();
    snapshot->tracks = store.tracks();
    snapshot->series = store.series();
    snapshot->strings = store.strings();
    snapshot->spans = store.spanRecords();
    snapshot->timeRange = store.timeRange();
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
