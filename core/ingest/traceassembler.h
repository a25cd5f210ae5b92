#pragma once

#include "model.h"
#include "spanarchive.h"
#include "spanindex.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTemporaryFile;

namespace lundi {

class ImportControl;
class Sink;

// Spans that name their parent by id (OTLP, Jaeger) arrive in any order: a child is exported
// before its parent, a trace's spans are spread over several services. The assembler hands
// them to the sink parents first, each trace as a tree: a self-parent or a cycle is broken, a
// span whose parent is missing becomes a root, and spans that share an id are kept apart, each
// with a warning that counts them.
//
// Spans do not wait for the end of the input: they wait in batches, and when a batch is full
// every span whose parent is written (or that is a root) is written, parents first, then
// children by start time; the rest wait on, their text moved to a temporary file (about 100
// bytes of each stay in memory). Written spans stay findable for late children, links and
// repeated ids: a SpanIndex holds the latest half million or so (about 30 MB at most), and older
// ones move to a SpanArchive on disk, which keeps under 2 bytes a span in memory.
class TraceAssembler
{
  public:
    struct PendingSpan
    {
        std::string traceId; // as the importer normalised it (lower-case hex)
        std::string spanId;
        std::string parentId; // empty: a root
        TrackId track = 0;
        StringId name = 0;
        StringId cat = 0;
        qint64 startNs = 0;
        qint64 durNs = 0;
        SpanStatus status = SpanStatus::Unset;
        SpanKind kind = SpanKind::Unspecified;
        bool followsFrom = false;   // the parent is a FOLLOWS_FROM reference
        std::string attributesJson; // a JSON object, or empty
        quint64 attributeKeys = 0;
    };

    // A link between spans by id (an OTLP link, a Jaeger FOLLOWS_FROM): a flow from the linked
    // span to this one once both are known.
    struct PendingLink
    {
        std::string fromTraceId;
        std::string fromSpanId;
        std::string toTraceId;
        std::string toSpanId;
        StringId name = 0;
    };

    // Spans wait until this many have come since the last batch (or more wait than that), or
    // their attributes take BatchBytes.
    static constexpr size_t DefaultBatch = 1 << 16;
    static constexpr size_t BatchBytes = 8 << 20;
    // Written spans move from the index to the archive when this many are in the index.
    static constexpr size_t DefaultArchiveAt = 1 << 19;

    TraceAssembler(Sink& sink, const ImportControl& control, size_t batch = DefaultBatch,
                   size_t archiveAt = DefaultArchiveAt);
    ~TraceAssembler();

    void add(const PendingSpan& span);
    void addLink(const PendingLink& link);
    // The spans added since the last finish().
    qint64 spanCount() const { return m_added; }

    // Writes every span still waiting and the links whose ends both arrived, with the warnings.
    // Reports progress every few thousand spans.
    void finish();

  private:
    // A span not written yet. Its trace id and attributes lie back to back in m_text, or in the
    // spill file once it has waited through a batch.
    struct Waiting
    {
        SpanKey key;
        SpanKey parent;
        bool hasParent = false;
        bool first = false; // the first span of its id: the one children and links find
        bool spilled = false;
        bool followsFrom = false;
        SpanStatus status = SpanStatus::Unset;
        SpanKind kind = SpanKind::Unspecified;
        quint32 traceIdSize = 0;
        quint32 attributesSize = 0;
        qint64 textOffset = 0;
        TrackId track = 0;
        StringId name = 0;
        StringId cat = 0;
        qint64 startNs = 0;
        qint64 durNs = 0;
        quint64 attributeKeys = 0;
    };

    struct Link
    {
        SpanKey from;
        SpanKey to;
        StringId name = 0;
    };

    // Writes the waiting spans that can be written; at the end (last), all of them.
    void writeBatch(bool last);
    qint64 spill(const char* data, qint64 size);
    void flushSpill();
    const char* mapSpill();
    // Moves the written spans of the index to the archive; the index keeps the waiting ones.
    void archiveWritten();
    // The id of a written span, or none when no span has the key.
    std::optional<SpanId> writtenId(SpanKey key);

    Sink& m_sink;
    const ImportControl& m_control;
    const size_t m_batch;
    const size_t m_archiveAt;
    size_t m_batchEnd; // write a batch when this many spans wait
    qint64 m_added = 0;
    std::vector<Waiting> m_waiting;
    std::string m_text; // of the waiting spans not spilled
    // Value: a written span's index in m_written, or Pending | its index in m_waiting.
    SpanIndex m_index;
    std::vector<SpanId> m_written;
    SpanArchive m_archive; // written spans that left the index
    static constexpr size_t LinksInMemory = 4096;
    std::vector<Link> m_links;          // the latest links
    std::vector<qint64> m_spilledLinks; // where earlier ones lie in the spill file, LinksInMemory each
    // Opened when a span first waits through a batch, or links first fill m_links.
    std::unique_ptr<QTemporaryFile> m_spill;
    qint64 m_spilled = 0;
    qint64 m_selfParents = 0;
    qint64 m_duplicates = 0;
    qint64 m_cycles = 0;
    qint64 m_orphans = 0;
};

} // namespace lundi
