#pragma once

#include "connection.h"
#include "model.h"

#include <QList>

#include <optional>
#include <vector>

namespace lundi {

// An incident file: opens (or creates) it, brings its schema up to date, and answers the
// typed queries that analysis, views and the CLI read through. Writes go through BulkWriter.
class Store
{
  public:
    static constexpr int SchemaVersion = 1;

    explicit Store(const QString& path);

    Connection& connection() { return m_connection; }
    const QString& path() const { return m_connection.path(); }

    IncidentCounts counts() const;
    QList<Source> sources() const;
    QList<Track> tracks() const;
    TimeRange timeRange() const;
    // Every span in id order (a parent always precedes its children).
    std::vector<SpanRecord> spanRecords() const;
    // The spans of one track in start order (longer first at equal starts), with attributes.
    std::vector<Span> spansOfTrack(TrackId track) const;
    std::optional<Span> span(SpanId id) const;
    QList<Flow> flows() const;
    QList<Series> series() const;
    std::vector<Sample> samples(SeriesId series) const;
    // The interned strings, indexed by StringId (index 0 is empty).
    std::vector<QString> strings() const;
    // Writes a compact copy of the incident to path, which must not exist yet.
    void saveCopy(const QString& path) const;

  private:
    void migrate();
    qint64 scalar(std::string_view sql) const;

    mutable Connection m_connection;
};

} // namespace lundi
