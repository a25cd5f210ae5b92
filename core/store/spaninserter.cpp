#include "spaninserter.h"
#include "statement.h"

#include <limits>

namespace lundi {

namespace {

constexpr size_t BatchSize = 8192;

} // namespace

void SpanInserter::Batch::clear()
{
    rows.clear();
    text.clear();
}

SpanInserter::SpanInserter(Statement& insertSpan) : m_insertSpan(insertSpan)
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

void SpanInserter::write(const Batch& batch)
{
    Statement& insert = m_insertSpan;
    std::string_view text = batch.text;
    for (const Row& row : batch.rows) {
        insert.bind(1, row.id).bind(2, row.track);
        row.parent ? insert.bind(3, row.parent) : insert.bindNull(3);
        insert.bind(4, row.name);
        row.cat ? insert.bind(5, row.cat) : insert.bindNull(5);
        insert.bind(6, qint64(row.category))
            .bind(7, row.startNs)
            .bind(8, row.durNs)
            .bind(9, qint64(row.depth))
            .bind(10, qint64(row.status));
        const std::string_view traceId = text.substr(0, row.traceIdLength);
        const std::string_view attributes = text.substr(row.traceIdLength, row.attributesLength);
        text.remove_prefix(row.traceIdLength + row.attributesLength);
        traceId.empty() ? insert.bindNull(11) : insert.bind(11, traceId);
        attributes.empty() ? insert.bindNull(12) : insert.bind(12, attributes);
        insert.run();
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
