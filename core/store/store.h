#pragma once

#include "connection.h"
#include "model.h"

#include <QList>

#include <optional>
#include <unordered_map>
#include <vector>

namespace lundi {

// An incident file: opens (or creates) it, brings its schema up to date, and answers the
// typed queries that analysis, views and the CLI read through. Writes go through BulkWriter.
class Store
{
  public:
    static constexpr int SchemaVersion = 3;

    explicit Store(const QString& path);

    Connection& connection() { return m_connection; }
    const QString& path() const { return m_connection.path(); }

    // Counting spans is a pass over the whole spans table; a caller that holds every span
    // (IncidentSnapshot) counts them faster itself and skips it here.
    enum class SpanCounting { Count, Skip };

    IncidentCounts counts(SpanCounting spans = SpanCounting::Count) const;
    QList<Source> sources(SpanCounting spans = SpanCounting::Count) const;
    // The SHA-256 of each source's content, in source order.
    std::vector<std::pair<QString, SourceId>> contentHashes() const;
    QList<Track> tracks() const;
    TimeRange timeRange() const;
    // The time range of the samples alone (a single sample: start and end the same).
    std::optional<TimeRange> sampleTimeRange() const;
    // Every span in id order (a parent always precedes its children). Times here and below
    // include the source's clock offset.
    std::vector<SpanRecord> spanRecords() const;
    // The trace id of every root span that has one, by span id.
    std::unordered_map<SpanId, QString> rootTraceIds() const;
    // The spans of one track in start order (longer first at equal starts), with attributes.
    std::vector<Span> spansOfTrack(TrackId track) const;
    std::optional<Span> span(SpanId id) const;
    QList<Flow> flows() const;
    QList<Series> series() const;
    std::vector<Sample> samples(SeriesId series) const;
    // The interned strings, indexed by StringId (index 0 is empty).
    std::vector<QString> strings() const;
    // Moves a source in time without a re-import: every query adds a source's clock offset to
    // the times of its spans and samples. The one write outside a BulkWriter: a single row.
    void setClockOffset(SourceId source, qint64 offsetNs);
    // Writes a compact copy of the incident to path, which must not exist yet.
    void saveCopy(const QString& path) const;

  private:
    void migrate();
    qint64 scalar(std::string_view sql) const;
    // Each track's clock offset (that of its source), indexed by TrackId.
    std::vector<qint64> trackOffsets() const;

    mutable Connection m_connection;
};

} // namespace lundi
