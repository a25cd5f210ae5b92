#pragma once

#include "drafts.h"

#include "ingest/traceassembler.h"

#include <unordered_map>

namespace lundi {
class ImportControl;
class Sink;
} // namespace lundi

namespace lundi::otlp {

// Turns OTLP spans into Lundi spans: one Service track per service.name, the span kind, status
// message, events, scope and the resource's identity folded into the attributes, links as
// flows. A TraceAssembler writes the spans, parents first.
class SpanWriter
{
  public:
    SpanWriter(Sink& sink, const ImportControl& control);

    void write(const SpanDraft& span, const ResourceDraft& resource, const ScopeDraft& scope);
    qint64 spanCount() const { return m_assembler.spanCount(); }
    // Writes the spans and flows, and the warnings about what was odd in them.
    void finish();

  private:
    TrackId trackOf(const ResourceDraft& resource);
    // The attributes that the scope and resource add to each of their spans: quoted key, value.
    const std::vector<std::pair<std::string, std::string>>& contextOf(const ResourceDraft& resource,
                                                                      const ScopeDraft& scope);

    Sink& m_sink;
    TraceAssembler m_assembler;
    std::unordered_map<std::string, TrackId> m_tracks; // by service.name, "" when there is none
    const std::string m_noService;
    std::string m_lastService;
    TrackId m_lastTrack = 0;
    struct Context
    {
        bool valid = false;
        std::string resource; // the resource's attributes, scope name and version it was made of
        std::string scope;
        std::string version;
        std::vector<std::pair<std::string, std::string>> members;
    } m_context;
    StringId m_linkName = 0;
    TraceAssembler::PendingSpan m_pending; // scratch
    qint64 m_withoutService = 0;
    qint64 m_withoutStart = 0;
    qint64 m_withoutEnd = 0;
    qint64 m_endBeforeStart = 0;
    qint64 m_withoutName = 0;
    qint64 m_unknownKind = 0;
    qint64 m_unknownStatus = 0;
    qint64 m_clashes = 0;
};

} // namespace lundi::otlp
