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
      m_insertFlow(store.connection(),
                   "INSERT INTO flows(source_id, from_span, to_span, name_id) VALUES(?1, ?2, ?3, ?4)"),
      m_insertSeries(
          store.connection(),
          "INSERT INTO series(source_id, track_id, name, labels, unit) VALUES(?1, ?2, ?3, ?4, ?5)"),
      m_insertSample(store.connection(), "INSERT INTO samples(series_id, t_ns, value) VALUES(?1, ?2, ?3)"),
      m_spans(store.connection())
{
    Statement last(store.connection(), "SELECT coalesce(max(id), 0) + 1 FROM spans");
    last.step();
    m_nextSpan = last.int64(0);
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
    m_spans.flush();
    m_insertSource.bind(1, format).bind(2, origin).bind(3, importedAtNs).bind(4, clockOffsetNs).run();
    return sqlite3_last_insert_rowid(m_store.connection().handle());
}

void BulkWriter::finishSource(SourceId source, const QString& sha256, const QStringList& warnings,
                              const QByteArray& metadataJson)
{
    m_spans.flush();
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
    m_spans.flush();
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

TrackId BulkWriter::addTrack(SourceId source, const TrackSpec& track)
{
    m_spans.flush();
    m_insertTrack.bind(1, source)
        .bind(2, qint64(track.kind))
        .bind(3, track.name)
        .bind(4, track.process)
        .bind(5, track.thread)
        .bind(6, qint64(track.sortIndex))
        .run();
    return sqlite3_last_insert_rowid(m_store.connection().handle());
}

SpanId BulkWriter::addSpan(const SpanSpec& span, Category category, int depth)
{
    const SpanId id = m_nextSpan++;
    m_spans.add(id, span, category, depth);
    return id;
}

void BulkWriter::addFlow(SourceId source, SpanId from, SpanId to, StringId name)
{
    m_spans.flush();
    m_insertFlow.bind(1, source).bind(2, from).bind(3, to);
    if (name)
        m_insertFlow.bind(4, name);
    else
        m_insertFlow.bindNull(4);
    m_insertFlow.run();
}

SeriesId BulkWriter::addSeries(SourceId source, const SeriesSpec& series)
{
    m_spans.flush();
    m_insertSeries.bind(1, source);
    if (series.track)
        m_insertSeries.bind(2, series.track);
    else
        m_insertSeries.bindNull(2);
    m_insertSeries.bind(3, series.name)
        .bind(4, std::string_view(series.labelsJson.constData(), size_t(series.labelsJson.size())))
        .bind(5, series.unit)
        .run();
    return sqlite3_last_insert_rowid(m_store.connection().handle());
}

void BulkWriter::addSample(SeriesId series, qint64 timeNs, double value)
{
    m_spans.flush();
    m_insertSample.bind(1, series).bind(2, timeNs).bind(3, value).run();
}

void BulkWriter::commit()
{
    m_spans.flush();
    m_transaction.commit();
}

} // namespace lundi
