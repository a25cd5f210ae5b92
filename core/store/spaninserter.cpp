#include "spaninserter.h"
#include "statement.h"

#include <limits>

namespace lundi {

namespace {

constexpr size_t BatchSize = 8192;
constexpr int RowsPerInsert = 64; // 12 parameters a row, well under SQLite's limit
constexpr int Columns = 12;

std::string insertSql(int rows)
{
    std::string sql =
        "INSERT INTO spans(id, track_id, parent_id, name_id, cat_id, category, start_ns, dur_ns,"
        " depth, status, trace_id, attributes) VALUES";
    for (int row = 0; row < rows; ++row)
        sql += row ? ",(?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?)";
    return sql;
}

} // namespace

void SpanInserter::Batch::clear()
{
    rows.clear();
    text.clear();
}

SpanInserter::SpanInserter(Connection& connection)
    : m_insertOne(connection, insertSql(1)), m_insertMany(connection, insertSql(RowsPerInsert))
{
    m_filling.rows.reserve(BatchSize);
}

SpanInserter::~SpanInserter()
{
    if (!m_thread.joinable())
        return;
    {
        std::unique_lock lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void SpanInserter::add(SpanId id, const SpanSpec& span, Category category, int depth)
{
    m_filling.rows.push_back({id, span.track, span.parent, span.name, span.cat, span.startNs, span.durNs,
                              quint32(span.traceId.size()), quint32(span.attributesJson.size()), category,
                              span.status,
                              quint16(std::min(depth, int(std::numeric_limits<quint16>::max())))});
    m_filling.text.append(span.traceId);
    m_filling.text.append(span.attributesJson);
    if (m_filling.rows.size() >= BatchSize)
        handOver();
}

void SpanInserter::handOver()
{
    if (!m_thread.joinable())
        m_thread = std::thread(&SpanInserter::run, this);
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_busy; });
    if (m_error)
        std::rethrow_exception(m_error);
    std::swap(m_filling, m_handed);
    m_filling.clear();
    m_busy = true;
    lock.unlock();
    m_changed.notify_all();
}

void SpanInserter::flush()
{
    if (!m_filling.rows.empty()) {
        if (m_thread.joinable()) {
            handOver();
        } else {
            write(m_filling); // a small import: no thread needed
            m_filling.clear();
        }
    }
    if (!m_thread.joinable())
        return;
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_busy; });
    if (m_error)
        std::rethrow_exception(m_error);
}

void SpanInserter::bind(Statement& insert, int first, const Row& row, std::string_view& text)
{
    insert.bind(first, row.id).bind(first + 1, row.track);
    row.parent ? insert.bind(first + 2, row.parent) : insert.bindNull(first + 2);
    insert.bind(first + 3, row.name);
    row.cat ? insert.bind(first + 4, row.cat) : insert.bindNull(first + 4);
    insert.bind(first + 5, qint64(row.category))
        .bind(first + 6, row.startNs)
        .bind(first + 7, row.durNs)
        .bind(first + 8, qint64(row.depth))
        .bind(first + 9, qint64(row.status));
    const std::string_view traceId = text.substr(0, row.traceIdLength);
    const std::string_view attributes = text.substr(row.traceIdLength, row.attributesLength);
    text.remove_prefix(row.traceIdLength + row.attributesLength);
    traceId.empty() ? insert.bindNull(first + 10) : insert.bind(first + 10, traceId);
    attributes.empty() ? insert.bindNull(first + 11) : insert.bind(first + 11, attributes);
}

void SpanInserter::write(const Batch& batch)
{
    std::string_view text = batch.text;
    size_t next = 0;
    for (; next + RowsPerInsert <= batch.rows.size(); next += RowsPerInsert) {
        for (int row = 0; row < RowsPerInsert; ++row)
            bind(m_insertMany, 1 + row * Columns, batch.rows[next + size_t(row)], text);
        m_insertMany.run();
    }
    for (; next < batch.rows.size(); ++next) {
        bind(m_insertOne, 1, batch.rows[next], text);
        m_insertOne.run();
    }
}

void SpanInserter::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [this] { return m_busy || m_stop; });
        if (m_stop)
            return;
        lock.unlock();
        try {
            write(m_handed);
        } catch (...) {
            lock.lock();
            m_error = std::current_exception();
            m_busy = false;
            m_changed.notify_all();
            continue;
        }
        lock.lock();
        m_busy = false;
        m_changed.notify_all();
    }
}

} // namespace lundi
