#include "store.h"
#include "sampleblock.h"
#include "schema.h"
#include "statement.h"
#include "storeerror.h"
#include "transaction.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>

namespace lundi {

namespace {

// "LUND" in the header's application id (byte 68): file managers tell an incident from any SQLite
// database by its content (packaging/org.lundi.Lundi.mime.xml matches it).
constexpr qint64 applicationId = 0x4c554e44;

} // namespace

Store::Store(const QString& path) : m_connection(path)
{
    m_connection.exec("PRAGMA foreign_keys = ON");
    // Before switching to WAL, which rewrites the header: a file from a newer Lundi is refused untouched.
    migrate();
    if (scalar("PRAGMA application_id") != applicationId)
        m_connection.exec(
            QByteArray("PRAGMA application_id = " + QByteArray::number(applicationId)).constData());
    m_connection.exec("PRAGMA journal_mode = WAL");
    m_connection.exec("PRAGMA synchronous = NORMAL");
    // Bulk imports touch many pages; a 64 MiB cache keeps SQLite from spilling mid-import.
    m_connection.exec("PRAGMA cache_size = -65536");
}

void Store::migrate()
{
    const int version = int(scalar("PRAGMA user_version"));
    const auto steps = schemaMigrations();
    if (version > int(steps.size()))
        throw StoreError(
            QStringLiteral("%1: this incident file was written by a newer Lundi (schema %2; this "
                           "build reads up to %3).")
                .arg(QFileInfo(path()).fileName())
                .arg(version)
                .arg(steps.size()));
    if (version == int(steps.size()))
        return;
    Transaction transaction(m_connection);
    for (int step = version; step < int(steps.size()); ++step)
        m_connection.exec(steps[step]);
    m_connection.exec(
        QByteArray("PRAGMA user_version = " + QByteArray::number(qsizetype(steps.size()))).constData());
    transaction.commit();
}

qint64 Store::scalar(std::string_view sql) const
{
    Statement query(m_connection, sql);
    return query.step() ? query.int64(0) : 0;
}

IncidentCounts Store::counts(SpanCounting spans) const
{
    IncidentCounts counts;
    counts.sources = scalar("SELECT count(*) FROM sources");
    counts.tracks = scalar("SELECT count(*) FROM tracks");
    if (spans == SpanCounting::Count)
        counts.spans = scalar("SELECT count(*) FROM spans");
    counts.flows = scalar("SELECT count(*) FROM flows");
    counts.series = scalar("SELECT count(*) FROM series");
    counts.samples = scalar("SELECT coalesce(sum(count), 0) FROM sample_blocks");
    return counts;
}

QList<Source> Store::sources(SpanCounting counting) const
{
    // One pass over spans and samples for all sources, not one per source.
    QHash<SourceId, qint64> spans;
    if (counting == SpanCounting::Count) {
        Statement spanCounts(m_connection,
                             "SELECT t.source_id, count(*) FROM spans s JOIN tracks t ON t.id = s.track_id"
                             " GROUP BY t.source_id");
        while (spanCounts.step())
            spans.insert(spanCounts.int64(0), spanCounts.int64(1));
    }
    QHash<SourceId, qint64> samples;
    Statement sampleCounts(m_connection, "SELECT r.source_id, sum(b.count) FROM sample_blocks b JOIN series r"
                                         " ON r.id = b.series_id GROUP BY r.source_id");
    while (sampleCounts.step())
        samples.insert(sampleCounts.int64(0), sampleCounts.int64(1));

    QList<Source> sources;
    Statement query(m_connection,
                    "SELECT id, format, origin, sha256, imported_at_ns, clock_offset_ns, warnings,"
                    " metadata FROM sources ORDER BY id");
    while (query.step()) {
        Source source;
        source.id = query.int64(0);
        source.format = query.text(1);
        source.origin = query.text(2);
        source.sha256 = query.text(3);
        source.importedAtNs = query.int64(4);
        source.clockOffsetNs = query.int64(5);
        for (const QJsonValue& warning : QJsonDocument::fromJson(query.text(6).toUtf8()).array())
            source.warnings.append(warning.toString());
        source.metadataJson = query.text(7).toUtf8();
        source.spanCount = spans.value(source.id);
        source.sampleCount = samples.value(source.id);
        sources.append(source);
    }
    return sources;
}

std::vector<std::pair<QString, SourceId>> Store::contentHashes() const
{
    std::vector<std::pair<QString, SourceId>> hashes;
    Statement query(m_connection, "SELECT sha256, id FROM sources ORDER BY id");
    while (query.step())
        hashes.emplace_back(query.text(0), query.int64(1));
    return hashes;
}

QList<Track> Store::tracks() const
{
    QList<Track> tracks;
    Statement query(m_connection, "SELECT id, source_id, kind, name, process, thread, sort_index FROM tracks"
                                  " ORDER BY source_id, sort_index, id");
    while (query.step()) {
        tracks.append({query.int64(0), query.int64(1), TrackKind(query.int64(2)), query.text(3),
                       query.text(4), query.text(5), int(query.int64(6))});
    }
    return tracks;
}

std::vector<qint64> Store::trackOffsets() const
{
    std::vector<qint64> offsets(size_t(scalar("SELECT coalesce(max(id), 0) + 1 FROM tracks")), 0);
    Statement query(m_connection,
                    "SELECT t.id, s.clock_offset_ns FROM tracks t JOIN sources s ON s.id = t.source_id");
    while (query.step())
        offsets[size_t(query.int64(0))] = query.int64(1);
    return offsets;
}

void Store::setClockOffset(SourceId source, qint64 offsetNs)
{
    Statement update(m_connection, "UPDATE sources SET clock_offset_ns = ?2 WHERE id = ?1");
    update.bind(1, source).bind(2, offsetNs).run();
    if (sqlite3_changes(m_connection.handle()) == 0)
        throw StoreError(QStringLiteral("%1: there is no source %2.").arg(path()).arg(source));
}

namespace {

// The first and last sample, each moved by its source's clock offset.
constexpr std::string_view SampleRange =
    "SELECT min(m.lo + o.clock_offset_ns), max(m.hi + o.clock_offset_ns) FROM (SELECT series_id,"
    " min(start_ns) AS lo, max(end_ns) AS hi FROM sample_blocks GROUP BY series_id) m"
    " JOIN series r ON r.id = m.series_id JOIN sources o ON o.id = r.source_id";

} // namespace

TimeRange Store::timeRange() const
{
    // Spans and samples both place an incident in time; either may be absent.
    Statement query(m_connection, "SELECT min(lo), max(hi) FROM ("
                                  " SELECT min(s.start_ns + o.clock_offset_ns) AS lo,"
                                  "  max(s.start_ns + s.dur_ns + o.clock_offset_ns) AS hi FROM spans s"
                                  " JOIN tracks t ON t.id = s.track_id JOIN sources o ON o.id = t.source_id"
                                  " UNION ALL " +
                                      std::string(SampleRange) + ")");
    if (!query.step() || query.isNull(0))
        return {};
    return {query.int64(0), query.int64(1)};
}

std::optional<TimeRange> Store::sampleTimeRange() const
{
    Statement query(m_connection, SampleRange);
    if (!query.step() || query.isNull(0))
        return std::nullopt;
    return TimeRange{query.int64(0), query.int64(1)};
}

std::vector<SpanRecord> Store::spanRecords() const
{
    const std::vector<qint64> offsets = trackOffsets();
    std::vector<SpanRecord> spans;
    spans.reserve(size_t(scalar("SELECT count(*) FROM spans")));
    Statement query(
        m_connection,
        "SELECT id, parent_id, track_id, name_id, category, start_ns, dur_ns, kind, follows_from FROM spans"
        " ORDER BY id");
    while (query.step()) {
        const TrackId track = query.int64(2);
        spans.push_back({query.int64(0), query.int64(1), track, query.int64(3), Category(query.int64(4)),
                         query.int64(5) + offsets[size_t(track)], query.int64(6), SpanKind(query.int64(7)),
                         query.int64(8) != 0});
    }
    return spans;
}

std::unordered_map<SpanId, QString> Store::rootTraceIds() const
{
    std::unordered_map<SpanId, QString> ids;
    // Read from the partial index spans_trace_roots alone (parent_id in it makes it covering).
    Statement query(m_connection,
                    "SELECT id, trace_id FROM spans WHERE parent_id IS NULL AND trace_id IS NOT NULL");
    while (query.step())
        ids.emplace(query.int64(0), query.text(1));
    return ids;
}

namespace {

// The columns spanFrom() reads, in its order.
constexpr std::string_view SpanColumns =
    "SELECT s.id, s.parent_id, s.track_id, n.text, c.text, s.category, s.start_ns + o.clock_offset_ns,"
    " s.dur_ns, s.depth, s.status, s.trace_id, s.attributes FROM spans s JOIN strings n ON n.id = s.name_id"
    " LEFT JOIN strings c ON c.id = s.cat_id JOIN tracks t ON t.id = s.track_id"
    " JOIN sources o ON o.id = t.source_id";

Span spanFrom(const Statement& query)
{
    Span span;
    span.id = query.int64(0);
    span.parent = query.int64(1);
    span.track = query.int64(2);
    span.name = query.text(3);
    span.cat = query.text(4);
    span.category = Category(query.int64(5));
    span.startNs = query.int64(6);
    span.durNs = query.int64(7);
    span.depth = int(query.int64(8));
    span.status = SpanStatus(query.int64(9));
    span.traceId = query.text(10);
    span.attributesJson = query.text(11).toUtf8();
    return span;
}

} // namespace

std::vector<Span> Store::spansOfTrack(TrackId track) const
{
    std::vector<Span> spans;
    Statement query(m_connection, std::string(SpanColumns) +
                                      " WHERE s.track_id = ?1 ORDER BY s.start_ns, s.dur_ns DESC, s.id");
    query.bind(1, track);
    while (query.step())
        spans.push_back(spanFrom(query));
    return spans;
}

std::optional<Span> Store::span(SpanId id) const
{
    Statement query(m_connection, std::string(SpanColumns) + " WHERE s.id = ?1");
    query.bind(1, id);
    if (!query.step())
        return std::nullopt;
    return spanFrom(query);
}

QList<Flow> Store::flows() const
{
    QList<Flow> flows;
    Statement query(
        m_connection,
        "SELECT from_span, to_span, coalesce(n.text, '') FROM flows f LEFT JOIN strings n ON n.id = f.name_id"
        " ORDER BY f.id");
    while (query.step())
        flows.append({query.int64(0), query.int64(1), query.text(2)});
    return flows;
}

QList<Series> Store::series() const
{
    QList<Series> series;
    Statement query(
        m_connection,
        "SELECT id, source_id, coalesce(track_id, 0), name, labels, unit FROM series ORDER BY id");
    while (query.step())
        series.append({query.int64(0), query.int64(1), query.int64(2), query.text(3), query.text(4).toUtf8(),
                       query.text(5)});
    return series;
}

std::vector<Sample> Store::samples(SeriesId series) const
{
    std::vector<Sample> samples;
    // The room for the samples from the bytes that hold them, which a damaged count cannot inflate.
    Statement offset(m_connection, "SELECT o.clock_offset_ns, (SELECT sum(length(\"values\")) / 8 FROM"
                                   " sample_blocks WHERE series_id = ?1) FROM series r JOIN sources o"
                                   " ON o.id = r.source_id WHERE r.id = ?1");
    offset.bind(1, series);
    if (!offset.step())
        return samples;
    samples.reserve(size_t(offset.int64(1)));
    // Blocks in the order written, each sorted by time: a stable sort of them all puts samples
    // at the same time in the order they were added, and is needed only when blocks overlap.
    Statement blocks(
        m_connection,
        "SELECT count, times, \"values\" FROM sample_blocks WHERE series_id = ?1 ORDER BY rowid");
    blocks.bind(1, series);
    while (blocks.step()) {
        if (!SampleBlock::unpack(blocks.blob(1), blocks.blob(2), blocks.int64(0), offset.int64(0), samples))
            throw StoreError(QStringLiteral("%1: the samples of series %2 are damaged; the incident file "
                                            "cannot be read whole.")
                                 .arg(QFileInfo(path()).fileName())
                                 .arg(series));
    }
    const auto earlier = [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; };
    if (!std::is_sorted(samples.begin(), samples.end(), earlier))
        std::stable_sort(samples.begin(), samples.end(), earlier);
    return samples;
}

std::vector<QString> Store::strings() const
{
    std::vector<QString> strings(size_t(scalar("SELECT coalesce(max(id), 0) + 1 FROM strings")));
    Statement query(m_connection, "SELECT id, text FROM strings");
    while (query.step())
        strings[size_t(query.int64(0))] = query.text(1);
    return strings;
}

void Store::saveCopy(const QString& path) const
{
    // VACUUM INTO writes a consistent, compact copy even while this connection reads.
    Statement query(m_connection, "VACUUM INTO ?1");
    query.bind(1, path);
    query.step();
}

} // namespace lundi
