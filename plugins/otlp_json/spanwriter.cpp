#include "spanwriter.h"
#include "fieldvalues.h"
#include "sentences.h"

#include "ingest/sink.h"

#include <algorithm>
#include <array>

namespace lundi::otlp {

namespace {

// SpanKind by number, as the lower-case words of Jaeger's span.kind tag (which the
// classification rules read); 0 is SPAN_KIND_UNSPECIFIED.
constexpr std::array<std::string_view, 6> KindWords = {"",           "\"internal\"", "\"server\"",
                                                       "\"client\"", "\"producer\"", "\"consumer\""};

// The resource attributes that say where a span ran, copied into each span's attributes so
// that Details shows them (the whole resource is in the source's metadata).
constexpr std::array<std::string_view, 4> IdentityKeys = {"\"service.version\"", "\"service.instance.id\"",
                                                          "\"host.name\"", "\"k8s.pod.name\""};

// FNV-1a over the attribute keys in order (SpanSpec::attributeKeys).
class KeyHash
{
  public:
    void add(std::string_view key)
    {
        for (const char c : key)
            m_hash = (m_hash ^ quint8(c)) * 0x100000001b3ull;
        m_hash = (m_hash ^ 0xff) * 0x100000001b3ull;
    }
    quint64 value() const { return m_hash | 2; }

  private:
    quint64 m_hash = 0xcbf29ce484222325ull;
};

} // namespace

SpanWriter::SpanWriter(Sink& sink, const ImportControl& control) : m_sink(sink), m_assembler(sink, control) {}

TrackId SpanWriter::trackOf(const ResourceDraft& resource)
{
    // Spans come in batches of one resource.
    const std::string& service = resource.hasServiceName ? resource.serviceName : m_noService;
    if (m_lastTrack && service == m_lastService)
        return m_lastTrack;
    const bool named = !service.empty();
    auto [it, inserted] = m_tracks.try_emplace(service, 0);
    if (inserted) {
        const QString name =
            named ? QString::fromStdString(resource.serviceName) : QStringLiteral("unknown service");
        it->second = m_sink.addTrack({TrackKind::Service, name, name, {}, int(m_tracks.size() - 1)});
    }
    m_lastService = service;
    m_lastTrack = it->second;
    return it->second;
}

const std::vector<std::pair<std::string, std::string>>& SpanWriter::contextOf(const ResourceDraft& resource,
                                                                              const ScopeDraft& scope)
{
    // The same for every span of a scope: made once.
    if (m_context.valid && m_context.resource == resource.attributes.members &&
        m_context.scope == scope.name && m_context.version == scope.version)
        return m_context.members;
    m_context.valid = true;
    m_context.resource = resource.attributes.members;
    m_context.scope = scope.name;
    m_context.version = scope.version;
    m_context.members.clear();
    const auto quoted = [](const std::string& text) {
        std::string json;
        appendJsonString(json, text);
        return json;
    };
    if (!scope.name.empty())
        m_context.members.emplace_back("\"otel.scope.name\"", quoted(scope.name));
    if (!scope.version.empty())
        m_context.members.emplace_back("\"otel.scope.version\"", quoted(scope.version));
    for (const Attributes::Member& member : resource.attributes.index) {
        const std::string_view key = resource.attributes.key(member);
        if (std::find(IdentityKeys.begin(), IdentityKeys.end(), key) != IdentityKeys.end())
            m_context.members.emplace_back(key, resource.attributes.value(member));
    }
    return m_context.members;
}

void SpanWriter::write(const SpanDraft& span, const ResourceDraft& resource, const ScopeDraft& scope)
{
    if (!span.hasStart) {
        ++m_withoutStart;
        return;
    }
    // Reused, so that its strings keep their buffers from span to span.
    TraceAssembler::PendingSpan& pending = m_pending;
    pending.durNs = 0;
    pending.status = SpanStatus::Unset;
    pending.kind = SpanKind::Unspecified;
    pending.attributesJson.clear();
    pending.attributeKeys = 0;
    pending.traceId = span.traceId;
    pending.spanId = span.spanId;
    pending.parentId = span.parentId;
    pending.track = trackOf(resource);
    if (!resource.hasServiceName || resource.serviceName.empty())
        ++m_withoutService;
    if (span.name.empty())
        ++m_withoutName;
    pending.name = m_sink.intern(span.name.empty() ? std::string_view("(no name)") : span.name);
    pending.startNs = span.startNs;
    if (!span.hasEnd)
        ++m_withoutEnd;
    else if (span.endNs < span.startNs)
        ++m_endBeforeStart;
    else
        pending.durNs = span.endNs - span.startNs;
    if (span.statusCode == 1)
        pending.status = SpanStatus::Ok;
    else if (span.statusCode == 2)
        pending.status = SpanStatus::Error;
    else if (span.statusCode != 0)
        ++m_unknownStatus;

    // The span's own attributes, then what OTLP keeps beside them.
    std::string& json = pending.attributesJson;
    json.assign(1, '{');
    json += span.attributes.members;
    KeyHash keys;
    for (const Attributes::Member& member : span.attributes.index)
        keys.add(span.attributes.key(member));
    bool clashed = false;
    const auto add = [&](std::string_view quotedKey, std::string_view value) {
        // A span attribute of the same name stays; a JSON object has each key once.
        const auto& own = span.attributes.index;
        if (std::any_of(own.begin(), own.end(),
                        [&](const Attributes::Member& m) { return span.attributes.key(m) == quotedKey; })) {
            clashed = true;
            return;
        }
        if (json.size() > 1)
            json.push_back(',');
        json += quotedKey;
        json.push_back(':');
        json += value;
        keys.add(quotedKey);
    };
    if (span.kind > 0 && span.kind < qint64(KindWords.size())) {
        add("\"span.kind\"", KindWords[size_t(span.kind)]);
        pending.kind = SpanKind(span.kind);
    } else if (span.kind != 0)
        ++m_unknownKind;
    if (!span.statusMessage.empty()) {
        // OpenTelemetry's name for the status message outside OTLP (Jaeger, Zipkin).
        std::string message;
        appendJsonString(message, span.statusMessage);
        add("\"otel.status_description\"", message);
    }
    if (!span.events.empty())
        add("\"events\"", '[' + span.events + ']');
    for (const auto& [key, value] : contextOf(resource, scope))
        add(key, value);
    m_clashes += clashed;
    if (json.size() > 1) {
        json.push_back('}');
        pending.attributeKeys = keys.value();
    } else {
        json.clear();
    }
    for (const auto& [traceId, spanId] : span.links) {
        if (!m_linkName)
            m_linkName = m_sink.intern("link");
        m_assembler.addLink(
            {traceId.empty() ? span.traceId : traceId, spanId, span.traceId, span.spanId, m_linkName});
    }
    m_assembler.add(pending);
}

void SpanWriter::finish()
{
    m_assembler.finish();
    const auto warn = [this](qint64 count, const char* singular, const char* plural) {
        if (count)
            m_sink.warn(countSentence(count, singular, plural));
    };
    warn(m_withoutStart, "1 span had no \"startTimeUnixNano\"; it was left out.",
         "%1 spans had no \"startTimeUnixNano\"; they were left out.");
    warn(
        m_withoutService,
        "1 span came from a resource without \"service.name\"; it is on the track \"unknown service\".",
        "%1 spans came from a resource without \"service.name\"; they are on the track \"unknown service\".");
    warn(m_withoutEnd, "1 span had no \"endTimeUnixNano\"; it is shown with no duration.",
         "%1 spans had no \"endTimeUnixNano\"; they are shown with no duration.");
    warn(m_endBeforeStart, "1 span ended before it started; it is shown with no duration.",
         "%1 spans ended before they started; they are shown with no duration.");
    warn(m_withoutName, "1 span had no name; it is shown as \"(no name)\".",
         "%1 spans had no name; they are shown as \"(no name)\".");
    warn(m_unknownKind, "1 span had a \"kind\" that OTLP does not define; its kind was left out.",
         "%1 spans had a \"kind\" that OTLP does not define; their kind was left out.");
    warn(m_clashes,
         "1 span had an attribute named as one Lundi adds from the span's other fields (\"span.kind\", "
         "\"events\", \"otel.scope.name\" and the like); the span's own attribute was kept.",
         "%1 spans had an attribute named as one Lundi adds from the span's other fields (\"span.kind\", "
         "\"events\", \"otel.scope.name\" and the like); the span's own attribute was kept.");
    warn(m_unknownStatus,
         "1 span had a status \"code\" that OTLP does not define; its status is shown as unset.",
         "%1 spans had a status \"code\" that OTLP does not define; their status is shown as unset.");
}

} // namespace lundi::otlp
