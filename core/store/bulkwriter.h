#pragma once

#include "model.h"
#include "rowinserter.h"
#include "statement.h"
#include "transaction.h"

#include <string>
#include <string_view>
#include <unordered_map>

namespace lundi {

class Store;

// All writes of one import, in one transaction: nothing reaches the incident until commit(),
// and destroying an uncommitted writer rolls everything back. Spans and samples are written on
// a thread of their own (RowInserter); every other write waits for them first.
class BulkWriter
{
  public:
    explicit BulkWriter(Store& store);

    SourceId addSource(const QString& format, const QString& origin, qint64 importedAtNs,
                       qint64 clockOffsetNs);
    void finishSource(SourceId source, const QString& sha256, const QStringList& warnings,
                      const QByteArray& metadataJson);

    StringId intern(std::string_view text);
    TrackId addTrack(SourceId source, const TrackSpec& track);
    void updateTrack(TrackId track, const TrackSpec& spec);
    SpanId addSpan(const SpanSpec& span, Category category, int depth);
    void addFlow(SourceId source, SpanId from, SpanId to, StringId name);
    SeriesId addSeries(SourceId source, const SeriesSpec& series);
    void addSample(SeriesId series, qint64 timeNs, double value);

    void commit();

    // Where the tracks, spans, flows, series and samples written from now on begin: rewind() drops
    // them all again (sources and strings stay), for an importer that wrote ahead on a wrong guess.
    struct Mark
    {
        TrackId track = 0;
        SpanId span = 0;
        qint64 flow = 0;
        SeriesId series = 0;
    };
    Mark mark();
    void rewind(const Mark& mark);

  private:
    struct StringHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    // The writer assigns every id itself, each parent before its children, so checking four
    // references per span would only cost time (a quarter of a bulk import). SQLite switches
    // the check only outside a transaction, hence before BEGIN and after COMMIT or ROLLBACK.
    struct ForeignKeysOff
    {
        explicit ForeignKeysOff(Connection& connection);
        ~ForeignKeysOff();
        Connection& connection;
    };

    static void runWithTrack(Statement& statement, const TrackSpec& track);

    Store& m_store;
    ForeignKeysOff m_foreignKeysOff;
    Transaction m_transaction;
    Statement m_insertSource;
    Statement m_finishSource;
    Statement m_findString;
    Statement m_insertString;
    Statement m_insertTrack;
    Statement m_updateTrack;
    std::unordered_map<std::string, StringId, StringHash, std::equal_to<>> m_strings;
    SpanId m_nextSpan = 1;
    SeriesId m_nextSeries = 1;
    RowInserter m_rows; // last: stops before the transaction rolls back
};

} // namespace lundi
