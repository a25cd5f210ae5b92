#pragma once

#include "model.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class QTemporaryFile;

namespace lundi {

class ImportControl;
class Sink;

// Spans that name their parent by id (OTLP, Jaeger) arrive in any order: a child is exported
// before its parent, a trace's spans are spread over several services. The assembler keeps them
// until the end of the input and hands them to the sink parents first, each trace as a tree:
// a self-parent or a cycle is broken, a span whose parent is missing becomes a root, and spans
// that share an id are kept apart, each with a warning that counts them. While it waits, the
// spans' attributes (most of their bytes) lie in a temporary file, not in memory.
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
        bool followsFrom = false; // parentId is a FOLLOWS_FROM reference
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

    TraceAssembler();
    ~TraceAssembler();

    void add(PendingSpan span);
    void addLink(PendingLink link);
    qint64 spanCount() const { return qint64(m_spans.size()); }

    // Writes every span (parents first, then children by start time) and the links whose ends
    // both arrived, with the warnings. Reports progress every few thousand spans.
    void finish(Sink& sink, ImportControl& control);

  private:
    // Where a span's attributes lie in the spill file.
    struct Spilled
    {
        qint64 offset = 0;
        qint64 size = 0;
    };

    std::vector<PendingSpan> m_spans; // their attributesJson emptied into m_spill
    std::vector<Spilled> m_attributes;
    std::vector<PendingLink> m_links;
    std::unique_ptr<QTemporaryFile> m_spill; // opened with the first attributes
    qint64 m_spilled = 0;
};

} // namespace lundi
