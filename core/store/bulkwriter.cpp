#include "bulkwriter.h"
#include "store.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

namespace lundi {

BulkWriter::BulkWriter(Store& store)
    : m_store(store), m_foreignKeysOff(store.connection()), m_transaction(store.connection()),
      m_insertSource(store.connection(),
                     "INSERT INTO sources(format, origin, sha256, imported_at_ns, clock_offset_ns)"
                     " VALUES(?1, ?2, '', ?3, ?4)"),
      m_finishSource(store.connection(),
                     "UPDATE sources SET sha256 = ?2, warnings = ?3, metadata = ?4 WHERE id = ?1"),
      m_findString(store.connection(), "SELECT id FROM strings WHERE text = ?1"),
      m_insertString(store.connection(), "INSERT INTO strings(text) VALUES(?1)"),
      m_insertTrack(
          store.connection(),
          "INSERT INTO tracks(source_id, kind, name, process, thread, sort_index) VALUES(?1,?2,?3,?4,?5,?6)"),
      m_updateTrack(
          store.connection(),
          "UPDATE tracks SET kind = ?2, name = ?3, process = ?4, thread = ?5, sort_index = ?6 WHERE id = ?1"),
      m_rows(store.connection())
{
    // The writer assigns span and series ids itself, so that their rows can wait in a batch.
    Statement lastSpan(store.connection(), "SELECT coalesce(max(id), 0) + 1 FROM spans");
    lastSpan.step();
    m_nextSpan = lastSpan.int64(0);
    Statement lastSeries(store.connection(), "SELECT coalesce(max(id), 0) + 1 FROM series");
    lastSeries.step();
    m_nextSeries = lastSeries.int64(0);
}

BulkWriter::ForeignKeysOff::ForeignKeysOff(Connection& connection) : connection(connection)
{
    connection.exec("PRAGMA foreign_keys = OFF");
}

BulkWriter::ForeignKeysOff::~ForeignKeysOff()
{
    sqlite3_exec(connection.handle(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
}

SourceId BulkWriter::addSource(const QString& format, const QString& origin, qint64 importedAtNs,
                               qint64 clockOffsetNs)
{
    m_rows.flush();
    m_insertSource.bind(1, format).bind(2, origin).bind(3, importedAtNs).bind(4, clockOffsetNs).run();
    return sqlite3_last_insert_rowid(m_store.connection().handle());
}

void BulkWriter::finishSource(SourceId source, const QString& sha256, const QStringList& warnings,
                              const QByteArray& metadataJson)
{
    m_rows.flush();
    const QByteArray warningsJson =
        QJsonDocument(QJsonArray::fromStringList(warnings)).toJson(QJsonDocument::Compact);
    m_finishSource.bind(1, source)
        .bind(2, sha256)
        .bind(3, std::string_view(warningsJson.constData(), size_t(warningsJson.size())))
        .bind(4, std::string_view(metadataJson.constData(), size_t(metadataJson.size())))
        .run();
}

StringId BulkWriter::intern(std::string_view text)
{
    if (auto it = m_strings.find(text); it != m_strings.end())
        return it->second;
    m_rows.flush();
    StringId id = 0;
    m_findString.bind(1, text);
    if (m_findString.step()) {
        id = m_findString.int64(0);
        m_findString.reset();
    } else {
        m_findString.reset();
        m_insertString.bind(1, text).run();
        id = sqlite3_last_insert_rowid(m_store.connection().handle());
    }
    m_strings.emplace(std::string(text), id);
    return id;
}

// Both track statements take the spec as parameters 2 to 6.
void BulkWriter::runWithTrack(Statement& statement, const TrackSpec& track)
{
    statement.bind(2, qint64(track.kind))
        .bind(3, track.name)
        .bind(4, track.process)
        .bind(5, track.thread)
        .bind(6, qint64(track.sortIndex))
        .run();
}

TrackId BulkWriter::addTrack(SourceId source, const TrackSpec& track)
{
    m_rows.flush();
    runWithTrack(m_insertTrack.bind(1, source), track);
    return sqlite3_last_insert_rowid(m_store.connection().handle());
}

void BulkWriter::updateTrack(TrackId track, const TrackSpec& spec)
{
    m_rows.flush();
    runWithTrack(m_updateTrack.bind(1, track), spec);
}

SpanId BulkWriter::addSpan(const SpanSpec& span, Category category, int depth)
{
    const SpanId id = m_nextSpan++;
    m_rows.addSpan(id, span, category, depth);
    return id;
}

void BulkWriter::addFlow(SourceId source, SpanId from, SpanId to, StringId name)
{
    m_rows.addFlow(source, from, to, name);
}

SeriesId BulkWriter::addSeries(SourceId source, const SeriesSpec& series)
{
    const SeriesId id = m_nextSeries++;
    m_rows.addSeries(id, source, series);
    return id;
}

void BulkWriter::addSample(SeriesId series, qint64 timeNs, double value)
{
    m_rows.addSample(series, timeNs, value);
}

BulkWriter::Mark BulkWriter::mark()
{
    m_rows.flush();
    const auto next = [this](const char* sql) {
        Statement query(m_store.connection(), sql);
        query.step();
        return query.int64(0);
    };
    return {next("SELECT coalesce(max(id), 0) + 1 FROM tracks"), m_nextSpan,
            next("SELECT coalesce(max(id), 0) + 1 FROM flows"), m_nextSeries};
}

void BulkWriter::rewind(const Mark& mark)
{
    m_rows.discard();
    const auto drop = [this](const char* sql, qint64 first) {
        Statement(m_store.connection(), sql).bind(1, first).run();
    };
    drop("DELETE FROM flows WHERE id >= ?1", mark.flow);
    drop("DELETE FROM spans WHERE id >= ?1", mark.span);
    drop("DELETE FROM sample_blocks WHERE series_id >= ?1", mark.series);
    drop("DELETE FROM series WHERE id >= ?1", mark.series);
    drop("DELETE FROM tracks WHERE id >= ?1", mark.track);
    m_nextSpan = mark.span;
    m_nextSeries = mark.series;
}

void BulkWriter::commit()
{
    m_rows.finish();
    m_transaction.commit();
}

} // namespace lundi
