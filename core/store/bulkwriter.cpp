#include "bulkwriter.h"
#include "store.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

namespace lundi {

BulkWriter::BulkWriter(Store& store)
    : m_store(store), m_transaction(store.connection()),
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
      m_insertSpan(store.connection(),
                   "INSERT INTO spans(id, track_id, parent_id, name_id, cat_id, category, start_ns,"
                   " dur_ns, depth, status, trace_id) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"),
      m_insertAttributes(store.connection(), "INSERT INTO span_attributes(span_id, json) VALUES(?1, ?2)"),
      m_insertFlow(store.connection(),
                   "INSERT INTO flows(source_id, from_span, to_span, name_id) VALUES(?1, ?2, ?3, ?4)"),
      m_insertSeries(
          store.connection(),
          "INSERT INTO series(source_id, track_id, name, labels, unit) VALUES(?1, ?2, ?3, ?4, ?5)"),
      m_insertSample(store.connection(), "INSERT INTO samples(series_id, t_ns, value) VALUES(?1, ?2, ?3)")
{
    Statement last(store.connection(), "SELECT coalesce(max(id), 0) + 1 FROM spans");
    last.step();
    m_nextSpan = last.int64(0);
}

SourceId BulkWriter::addSource(const QString& format, const QString& origin, qint64 importedAtNs,
                               qint64 clockOffsetNs)
{
    m_insertSource.bind(1, format).bind(2, origin).bind(3, importedAtNs).bind(4, clockOffsetNs).run();
    return sqlite3_last_insert_rowid(m_store.connection().handle());
}

void BulkWriter::finishSource(SourceId source, const QString& sha256, const QStringList& warnings,
                              const QByteArray& metadataJson)
{
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
    m_insertSpan.bind(1, id).bind(2, span.track);
    if (span.parent)
        m_insertSpan.bind(3, span.parent);
    else
        m_insertSpan.bindNull(3);
    m_insertSpan.bind(4, span.name);
    if (span.cat)
        m_insertSpan.bind(5, span.cat);
    else
        m_insertSpan.bindNull(5);
    m_insertSpan.bind(6, qint64(category))
        .bind(7, span.startNs)
        .bind(8, span.durNs)
        .bind(9, qint64(depth))
        .bind(10, qint64(span.status));
    if (span.traceId.empty())
        m_insertSpan.bindNull(11);
    else
        m_insertSpan.bind(11, span.traceId);
    m_insertSpan.run();
    if (!span.attributesJson.empty())
        m_insertAttributes.bind(1, id).bind(2, span.attributesJson).run();
    return id;
}

void BulkWriter::addFlow(SourceId source, SpanId from, SpanId to, StringId name)
{
    m_insertFlow.bind(1, source).bind(2, from).bind(3, to);
    if (name)
        m_insertFlow.bind(4, name);
    else
        m_insertFlow.bindNull(4);
    m_insertFlow.run();
}

SeriesId BulkWriter::addSeries(SourceId source, const SeriesSpec& series)
{
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
    m_insertSample.bind(1, series).bind(2, timeNs).bind(3, value).run();
}

void BulkWriter::commit()
{
    m_transaction.commit();
}

} // namespace lundi
