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

// Inserts spans on a thread of its own, in batches, so that a bulk import parses and nests on
// one core while SQLite writes on the other. The connection is used by one thread at a time:
// the owner calls flush() before it touches the connection itself.
class SpanInserter
{
  public:
    explicit SpanInserter(Connection& connection);
    ~SpanInserter(); // drops what was not flushed
    SpanInserter(const SpanInserter&) = delete;
    SpanInserter& operator=(const SpanInserter&) = delete;

    void add(SpanId id, const SpanSpec& span, Category category, int depth);
    // Returns once every span added so far is written; rethrows what the writing thread threw.
    void flush();

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
        quint16 depth;
    };
    struct Batch
    {
        std::vector<Row> rows;
        std::string text; // trace ids and attributes, back to back
        void clear();
    };

    void handOver();
    void write(const Batch& batch);
    static void bind(Statement& insert, int first, const Row& row, std::string_view& text);
    void run();

    Statement m_insertOne;
    Statement m_insertMany; // RowsPerInsert rows in one statement: a third less work per row
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
