#include "spanarchive.h"
#include "importerror.h"

#include <QTemporaryFile>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <tuple>

namespace lundi {

namespace {

// An entry as it lies in the file: 20 bytes.
#pragma pack(push, 4)
struct Record
{
    quint64 mixed;
    SpanId id;
    quint32 check;
};
#pragma pack(pop)
static_assert(sizeof(Record) == 20);

// Records of a run are read a block at a time: one key of each block stays in memory.
constexpr qint64 Block = 128;
// The filter's size when full: with each key's 4 bits in one 64-bit word, about 3 % false
// positives. It is made for twice the keys it holds, so it is at most half full when made again.
constexpr qint64 FilterBitsPerKey = 8;

bool keyLess(SpanKey a, SpanKey b)
{
    return std::tie(a.mixed, a.check) < std::tie(b.mixed, b.check);
}

// Four bits of a 64-bit word, from the part of the key that did not choose the word.
quint64 filterBits(SpanKey key)
{
    return (1ull << (key.check & 63)) | (1ull << (key.check >> 6 & 63)) | (1ull << (key.check >> 12 & 63)) |
           (1ull << (key.check >> 18 & 63));
}

} // namespace

SpanArchive::SpanArchive() = default;
SpanArchive::~SpanArchive() = default;
SpanArchive::SpanArchive(SpanArchive&&) noexcept = default;
SpanArchive& SpanArchive::operator=(SpanArchive&&) noexcept = default;

void SpanArchive::add(std::vector<Entry> entries)
{
    if (entries.empty())
        return;
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return keyLess(a.key, b.key); });
    if (!m_file) {
        m_file = std::make_unique<QTemporaryFile>();
        if (!m_file->open())
            throw ImportError(
                QStringLiteral("cannot write a temporary file (%1)").arg(m_file->errorString()));
    }
    Run run;
    run.offset = m_size;
    run.count = qint64(entries.size());
    std::vector<Record> records;
    records.reserve(size_t(std::min<qint64>(run.count, 1 << 16)));
    for (size_t i = 0; i < entries.size(); ++i) {
        if (i % Block == 0)
            run.fences.push_back(entries[i].key);
        records.push_back({entries[i].key.mixed, entries[i].id, entries[i].key.check});
        if (records.size() == records.capacity() || i + 1 == entries.size()) {
            const auto bytes = qint64(records.size() * sizeof(Record));
            if (m_file->write(reinterpret_cast<const char*>(records.data()), bytes) != bytes)
                throw ImportError(QStringLiteral("cannot write a temporary file (%1); is the disk full?")
                                      .arg(m_file->errorString()));
            records.clear();
        }
    }
    if (!m_file->flush())
        throw ImportError(QStringLiteral("cannot write a temporary file (%1); is the disk full?")
                              .arg(m_file->errorString()));
    m_runs.push_back(std::move(run));
    m_size += qint64(entries.size());
    if (m_size > m_filterKeys) {
        // Twice the keys, so that the filter is filled again from the disk a few times at most.
        rebuildFilter(m_size * 2);
    } else {
        for (const Entry& entry : entries)
            remember(entry.key);
    }
}

std::optional<SpanId> SpanArchive::find(SpanKey key) const
{
    if (m_runs.empty() || !mayHold(key))
        return std::nullopt;
    Record block[Block];
    for (const Run& run : m_runs) {
        const auto after = std::upper_bound(run.fences.begin(), run.fences.end(), key, keyLess);
        if (after == run.fences.begin())
            continue;
        const qint64 first = qint64(after - run.fences.begin() - 1) * Block;
        const qint64 count = std::min(Block, run.count - first);
        read(block, (run.offset + first) * qint64(sizeof(Record)), count * qint64(sizeof(Record)));
        const auto found = std::lower_bound(block, block + count, key, [](const Record& record, SpanKey k) {
            return keyLess({record.mixed, record.check}, k);
        });
        if (found != block + count && found->mixed == key.mixed && found->check == key.check)
            return SpanId(found->id); // a copy: a packed member cannot be bound to a reference
    }
    return std::nullopt;
}

size_t SpanArchive::filterWord(SpanKey key) const
{
    // The high half of a 128-bit product: a word of any count of them, chosen by every bit.
    const unsigned __int128 product =
        static_cast<unsigned __int128>(key.mixed * 0x9E37'79B9'7F4A'7C15ull) * m_filter.size();
    return size_t(product >> 64);
}

bool SpanArchive::mayHold(SpanKey key) const
{
    const quint64 bits = filterBits(key);
    return (m_filter[filterWord(key)] & bits) == bits;
}

void SpanArchive::remember(SpanKey key)
{
    m_filter[filterWord(key)] |= filterBits(key);
}

void SpanArchive::rebuildFilter(qint64 keys)
{
    m_filterKeys = keys;
    m_filter.assign(size_t(std::max<qint64>(1, keys * FilterBitsPerKey / 64)), 0);
    std::vector<Record> records(1 << 16);
    for (qint64 at = 0; at < m_size; at += qint64(records.size())) {
        const qint64 count = std::min(qint64(records.size()), m_size - at);
        read(records.data(), at * qint64(sizeof(Record)), count * qint64(sizeof(Record)));
        for (qint64 i = 0; i < count; ++i)
            remember({records[size_t(i)].mixed, records[size_t(i)].check});
    }
}

void SpanArchive::read(void* into, qint64 offset, qint64 bytes) const
{
    auto* to = static_cast<char*>(into);
    while (bytes > 0) {
        const ssize_t n = pread(m_file->handle(), to, size_t(bytes), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw ImportError(QStringLiteral("cannot read a temporary file (%1)")
                                  .arg(n < 0 ? qt_error_string(errno) : QStringLiteral("it ends early")));
        to += n;
        offset += n;
        bytes -= n;
    }
}

} // namespace lundi
