#pragma once

#include "model.h"
#include "spanindex.h"

#include <memory>
#include <optional>
#include <vector>

class QTemporaryFile;

namespace lundi {

// Written spans by key, kept on disk: the TraceAssembler moves what its SpanIndex holds of
// written spans here now and then, so that the index stays small whatever the input's size, and
// still finds a late child's parent, a repeated id or a link's end long after the span was
// written. Each move is a run sorted by key in a temporary file (20 bytes a span); in memory stay
// one key of every block of a run and a Bloom filter of every key, 1 to 2 bytes a span, so that a
// key that is not here (the common question: a new span's own id) is mostly answered without
// reading the disk.
class SpanArchive
{
  public:
    struct Entry
    {
        SpanKey key;
        SpanId id = 0;
    };

    SpanArchive();
    ~SpanArchive();
    SpanArchive(SpanArchive&&) noexcept;
    SpanArchive& operator=(SpanArchive&&) noexcept;

    // Adds entries, whose keys are not in the archive yet, as one run. Throws ImportError when
    // the temporary file cannot be written.
    void add(std::vector<Entry> entries);
    std::optional<SpanId> find(SpanKey key) const;
    qint64 size() const { return m_size; }

  private:
    struct Run
    {
        qint64 offset = 0; // in the file, in records
        qint64 count = 0;
        std::vector<SpanKey> fences; // the first key of each block
    };

    size_t filterWord(SpanKey key) const;
    bool mayHold(SpanKey key) const;
    void remember(SpanKey key);
    // Sizes the filter for at least keys and fills it again from the runs.
    void rebuildFilter(qint64 keys);
    void read(void* into, qint64 offset, qint64 bytes) const;

    std::unique_ptr<QTemporaryFile> m_file;
    std::vector<Run> m_runs;
    qint64 m_size = 0;
    std::vector<quint64> m_filter; // a blocked Bloom filter: each key's bits in one word
    qint64 m_filterKeys = 0;       // how many keys it was sized for
};

} // namespace lundi
