#pragma once

#include "model.h"
#include "statement.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lundi {

class Connection;

// Inserts the rows an import has many of (spans, samples, series, flows) on a thread of its
// own and in batches, so that a bulk import parses on one core while SQLite writes on the other. The
// connection is used by one thread at a time: the owner calls flush() before it touches the
// connection itself. Samples gather per series into blocks (sampleblock.h), in any order and
// interleaved across series; a block is written when full, or by finish().
class RowInserter
{
  public:
    explicit RowInserter(Connection& connection);
    ~RowInserter(); // drops what was not flushed
    RowInserter(const RowInserter&) = delete;
    RowInserter& operator=(const RowInserter&) = delete;

    void addSpan(SpanId id, const SpanSpec& span, Category category, int depth);
    void addSample(SeriesId series, qint64 timeNs, double value);
    void addSeries(SeriesId id, SourceId source, const SeriesSpec& series);
    void addFlow(SourceId source, SpanId from, SpanId to, StringId name);
    // Returns once every row added so far is written, but for the samples of blocks not yet full
    // (they need no other row, and a flush per interned string would cut them small); rethrows
    // what the writing thread threw.
    void flush();
    // Flushes the samples of blocks not yet full too.
    void finish();
    // Drops every row not written yet and returns once the writing thread is idle.
    void discard();

  private:
    struct Row
    {
        SpanId id;
        TrackId track;
        SpanId parent;
        StringId name;
        StringId cat;
        qint64 startNs;
        qint64 durNs;
        quint32 traceIdLength;
        quint32 attributesLength;
        Category category;
        SpanStatus status;
        SpanKind kind;
        bool followsFrom;
        quint16 depth;
    };
    struct SampleRun
    {
        SeriesId series;
        std::vector<Sample> samples; // in the order added; sorted by time as written
    };
    struct SeriesRow
    {
        SeriesId id;
        SourceId source;
        TrackId track;
        std::string name;
        std::string labels;
        std::string unit;
    };
    struct FlowRow
    {
        SourceId source;
        SpanId from;
        SpanId to;
        StringId name;
    };
    struct Batch
    {
        std::vector<Row> rows;
        std::string text; // trace ids and attributes, back to back
        std::vector<SampleRun> blocks;
        size_t blockSamples = 0;
        std::vector<SeriesRow> series;
        std::vector<FlowRow> flows;
        bool full() const;
        void clear();
    };

    void closeBlock(SeriesId series);
    void closeBlocks();
    void closeStaleBlocks();
    void handOver();
    // Returns once the writing thread has written what it was handed; rethrows what it threw.
    void waitIdle();
    void write(Batch& batch);
    static void bind(Statement& insert, int first, const Row& row, std::string_view& text);
    void run();

    Statement m_insertOne;
    Statement m_insertMany; // RowsPerInsert rows in one statement: a third less work per row
    Statement m_insertBlock;
    Statement m_insertSeries;
    Statement m_insertFlow;
    struct OpenBlock
    {
        std::vector<Sample> samples;
        quint32 check = 0; // the last stale check before its latest sample
    };
    std::vector<OpenBlock> m_open;      // each series' block being filled, by SeriesId
    std::vector<SeriesId> m_openSeries; // those with samples, and some whose block was closed since
    size_t m_openSamples = 0;
    size_t m_samplesSinceCheck = 0;
    quint32 m_check = 0;
    std::string m_times; // a block's packed times and values, reused by the writing thread
    std::string m_values;
    Batch m_filling;
    Batch m_handed;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_busy = false; // m_handed is being written
    bool m_stop = false;
    std::exception_ptr m_error;
    std::thread m_thread; // started with the first full batch
};

} // namespace lundi
