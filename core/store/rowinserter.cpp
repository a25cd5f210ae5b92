#include "rowinserter.h"
#include "sampleblock.h"
#include "statement.h"

#include <algorithm>
#include <limits>

namespace lundi {

namespace {

constexpr size_t BatchSize = 8192;
constexpr size_t SampleBatchSize = 65536;
// Samples in blocks not yet full, over all series: beyond this (16 MiB) every open block is
// written, so that an import of very many series stays within its memory.
constexpr size_t MaxOpenSamples = size_t(1) << 20;
// Every so many samples, the blocks of series that had none since the last look are written: a
// dump that gives one series after another (a TSDB dump) has its blocks written as it goes, on
// the writing thread, not all at the end.
constexpr size_t StaleCheckInterval = 65536;
constexpr int RowsPerInsert = 64; // 14 parameters a row, well under SQLite's limit
constexpr int Columns = 14;

std::string insertSql(int rows)
{
    std::string sql =
        "INSERT INTO spans(id, track_id, parent_id, name_id, cat_id, category, start_ns, dur_ns,"
        " depth, status, trace_id, attributes, kind, follows_from) VALUES";
    for (int row = 0; row < rows; ++row)
        sql += row ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    return sql;
}

} // namespace

bool RowInserter::Batch::full() const
{
    return rows.size() >= BatchSize || blockSamples >= SampleBatchSize || series.size() >= BatchSize ||
           flows.size() >= BatchSize;
}

void RowInserter::Batch::clear()
{
    rows.clear();
    text.clear();
    blocks.clear();
    blockSamples = 0;
    series.clear();
    flows.clear();
}

RowInserter::RowInserter(Connection& connection)
    : m_insertOne(connection, insertSql(1)), m_insertMany(connection, insertSql(RowsPerInsert)),
      m_insertBlock(connection,
                    "INSERT INTO sample_blocks(series_id, start_ns, end_ns, count, times, \"values\")"
                    " VALUES(?1,?2,?3,?4,?5,?6)"),
      m_insertSeries(
          connection,
          "INSERT INTO series(id, source_id, track_id, name, labels, unit) VALUES(?1,?2,?3,?4,?5,?6)"),
      m_insertFlow(connection,
                   "INSERT INTO flows(source_id, from_span, to_span, name_id) VALUES(?1,?2,?3,?4)")
{
    m_filling.rows.reserve(BatchSize);
}

RowInserter::~RowInserter()
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

void RowInserter::addSpan(SpanId id, const SpanSpec& span, Category category, int depth)
{
    m_filling.rows.push_back({id, span.track, span.parent, span.name, span.cat, span.startNs, span.durNs,
                              quint32(span.traceId.size()), quint32(span.attributesJson.size()), category,
                              span.status, span.kind, span.followsFrom,
                              quint16(std::min(depth, int(std::numeric_limits<quint16>::max())))});
    m_filling.text.append(span.traceId);
    m_filling.text.append(span.attributesJson);
    if (m_filling.full())
        handOver();
}

void RowInserter::addSample(SeriesId series, qint64 timeNs, double value)
{
    // Series ids are dense and count from 1, so that a vector finds the block for each sample.
    if (size_t(series) >= m_open.size())
        m_open.resize(size_t(series) + 1);
    OpenBlock& block = m_open[size_t(series)];
    if (block.samples.empty())
        m_openSeries.push_back(series);
    block.samples.push_back({timeNs, value});
    block.check = m_check;
    ++m_openSamples;
    if (block.samples.size() >= SampleBlock::MaxSamples)
        closeBlock(series);
    else if (m_openSamples >= MaxOpenSamples)
        closeBlocks();
    else if (++m_samplesSinceCheck >= StaleCheckInterval)
        closeStaleBlocks();
}

void RowInserter::addSeries(SeriesId id, SourceId source, const SeriesSpec& series)
{
    m_filling.series.push_back({id, source, series.track, series.name.toStdString(),
                                series.labelsJson.toStdString(), series.unit.toStdString()});
    if (m_filling.full())
        handOver();
}

void RowInserter::addFlow(SourceId source, SpanId from, SpanId to, StringId name)
{
    m_filling.flows.push_back({source, from, to, name});
    if (m_filling.full())
        handOver();
}

void RowInserter::closeBlock(SeriesId series)
{
    std::vector<Sample>& block = m_open[size_t(series)].samples;
    if (block.empty())
        return;
    m_openSamples -= block.size();
    m_filling.blockSamples += block.size();
    m_filling.blocks.push_back({series, std::move(block)});
    block = {};
    if (m_filling.full())
        handOver();
}

void RowInserter::closeBlocks()
{
    for (const SeriesId series : m_openSeries)
        closeBlock(series);
    m_openSeries.clear();
}

void RowInserter::closeStaleBlocks()
{
    std::erase_if(m_openSeries, [this](SeriesId series) {
        const OpenBlock& block = m_open[size_t(series)];
        if (!block.samples.empty() && block.check == m_check)
            return false;
        closeBlock(series);
        return true;
    });
    ++m_check;
    m_samplesSinceCheck = 0;
}

void RowInserter::handOver()
{
    if (!m_thread.joinable())
        m_thread = std::thread(&RowInserter::run, this);
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

void RowInserter::flush()
{
    if (!m_filling.rows.empty() || !m_filling.blocks.empty() || !m_filling.series.empty() ||
        !m_filling.flows.empty()) {
        if (m_thread.joinable()) {
            handOver();
        } else {
            write(m_filling); // a small import: no thread needed
            m_filling.clear();
        }
    }
    waitIdle();
}

void RowInserter::waitIdle()
{
    if (!m_thread.joinable())
        return;
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_busy; });
    if (m_error)
        std::rethrow_exception(m_error);
}

void RowInserter::finish()
{
    closeBlocks();
    flush();
}

void RowInserter::discard()
{
    m_filling.clear();
    for (const SeriesId series : m_openSeries)
        m_open[size_t(series)].samples = {};
    m_openSeries.clear();
    m_openSamples = 0;
    waitIdle();
}

void RowInserter::bind(Statement& insert, int first, const Row& row, std::string_view& text)
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
    insert.bind(first + 12, qint64(row.kind)).bind(first + 13, qint64(row.followsFrom));
}

void RowInserter::write(Batch& batch)
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
    // Series before the samples that refer to them, flows after the spans they join.
    for (const SeriesRow& series : batch.series) {
        m_insertSeries.bind(1, series.id).bind(2, series.source);
        series.track ? m_insertSeries.bind(3, series.track) : m_insertSeries.bindNull(3);
        m_insertSeries.bind(4, std::string_view(series.name))
            .bind(5, std::string_view(series.labels))
            .bind(6, std::string_view(series.unit))
            .run();
    }
    for (const FlowRow& flow : batch.flows) {
        m_insertFlow.bind(1, flow.source).bind(2, flow.from).bind(3, flow.to);
        flow.name ? m_insertFlow.bind(4, flow.name) : m_insertFlow.bindNull(4);
        m_insertFlow.run();
    }
    for (SampleRun& block : batch.blocks) {
        // Stable: samples at the same time stay in the order they came, as they read back.
        std::vector<Sample>& samples = block.samples;
        const auto earlier = [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; };
        if (!std::is_sorted(samples.begin(), samples.end(), earlier))
            std::stable_sort(samples.begin(), samples.end(), earlier);
        SampleBlock::pack(samples, m_times, m_values);
        m_insertBlock.bind(1, block.series)
            .bind(2, samples.front().timeNs)
            .bind(3, samples.back().timeNs)
            .bind(4, qint64(samples.size()))
            .bindBlob(5, m_times)
            .bindBlob(6, m_values)
            .run();
    }
}

void RowInserter::run()
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
