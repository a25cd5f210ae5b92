#pragma once

#include "timelinelayout.h"

#include <QList>

#include <memory>
#include <vector>

namespace lundi {

class Store;

// What the views draw from, read from an incident file in one go and never changed after:
// it is shared between the GUI thread and the threads that aggregate it.
struct IncidentSnapshot
{
    QString path;
    IncidentCounts counts;
    QList<Source> sources;
    QList<Track> tracks;
    QList<Series> series;
    std::vector<QString> strings;  // indexed by StringId
    std::vector<SpanRecord> spans; // in id order, parents first
    TimeRange timeRange;
    TimelineLayout timeline;

    static std::shared_ptr<const IncidentSnapshot> load(const Store& store);

    QString name(StringId id) const;
    const Track* track(TrackId id) const;
    // The index of a span in spans, or -1.
    qint32 indexOf(SpanId id) const;
    // Where a first look should go: the last stretch of time with spans in it when a gap of a
    // twentieth of the incident or more comes before it (a baseline a week before the incident
    // hour), else the whole time range.
    TimeRange latestActivity() const;
};

} // namespace lundi
