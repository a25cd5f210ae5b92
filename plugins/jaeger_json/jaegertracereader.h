#pragma once

#include "tagobject.h"

#include "ingest/traceassembler.h"
#include "model.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <QByteArray>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace lundi {
class ImportControl;
class Sink;
} // namespace lundi

namespace lundi::jaeger {

// The SAX handler over Jaeger's JSON: the query API's and the UI's download {"data": [trace, ...]},
// {"data": trace}, a bare trace {"traceID", "spans", "processes", "warnings"}, and a top-level
// array of spans that carry their "process" (the anonymizer's form) or of traces. Each span goes
// to the TraceAssembler once its trace's processes are known (they may follow the spans); tags,
// logs and span warnings become its attributes, processes the service tracks.
class JaegerTraceReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JaegerTraceReader>
{
  public:
    JaegerTraceReader(Sink& sink, const ImportControl& control, const rapidjson::MemoryStream& stream,
                      TraceAssembler& assembler);

    // Reads the whole input; throws ImportError on JSON that is no Jaeger trace, on a wrong-typed
    // or absurd field, and on JSON that is cut short. Warns about what it had to leave out.
    void read(qsizetype bomLength);
    // The processes seen ({"processes": [{"serviceName", "tags"}, ...]}, distinct ones).
    QByteArray metadataJson() const;

    // SAX callbacks (numbers arrive as text: kParseNumbersAsStringsFlag).
    bool Null();
    bool Bool(bool value);
    bool RawNumber(const char* text, rapidjson::SizeType length, bool copy);
    bool String(const char* text, rapidjson::SizeType length, bool copy);
    bool StartObject();
    bool Key(const char* text, rapidjson::SizeType length, bool copy);
    bool EndObject(rapidjson::SizeType members);
    bool StartArray();
    bool EndArray(rapidjson::SizeType elements);

  private:
    // What the value being read is part of; objects and arrays alike.
    enum class Context : quint8 {
        Trace, // also the top-level object, which may instead wrap traces in "data"
        Traces,
        Items, // a top-level array: spans with their process, or traces
        Spans,
        Span,
        References,
        Reference,
        Tags,
        Tag,
        Logs,
        Log,
        Processes,
        Process,
        TraceWarnings,
        SpanWarnings,
        Errors,
        Error,
    };

    enum class Field : quint8 {
        Other,
        Data,
        Errors,
        TraceId,
        Spans,
        Processes,
        Warnings,
        SpanId,
        ParentSpanId,
        OperationName,
        References,
        StartTime,
        Duration,
        Tags,
        Logs,
        ProcessId,
        Process,
        RefType,
        Key,
        Type,
        Value,
        ServiceName,
        Timestamp,
        Fields,
        Message,
    };

    enum class TagTarget : quint8 { Span, Log, Process };

    struct Reference
    {
        bool followsFrom = false;
        bool known = true; // refType CHILD_OF or FOLLOWS_FROM
        std::string traceId;
        std::string spanId;
    };

    // The span being read.
    struct SpanState
    {
        std::string traceId;
        std::string spanId;
        std::string parentSpanId;
        std::string operationName;
        std::string processId;
        std::string service; // of an embedded process
        bool hasProcess = false;
        bool hasStart = false;
        bool hasDuration = false;
        qint64 startNs = 0;
        qint64 durNs = 0;
        SpanStatus status = SpanStatus::Unset;
        SpanKind kind = SpanKind::Unspecified;
        bool hasEvents = false;
        std::string processTags; // of an embedded process
        std::vector<Reference> references;
        std::vector<std::string> warnings;
        qint64 offset = 0; // where it starts, for sentences about it
        void clear();
    };

    struct ProcessInfo
    {
        std::string service;
        std::string tagsJson;
    };

    // A span waiting for its trace's processes: index into TraceState::processIds, or -1 when
    // its track is known already.
    struct BufferedSpan
    {
        TraceAssembler::PendingSpan span;
        int process = -1;
        qint64 offset = 0;
    };

    // The trace being read: its spans wait for its processes map, which may come after them.
    struct TraceState
    {
        std::string traceId;
        std::vector<BufferedSpan> spans;
        std::vector<TraceAssembler::PendingLink> links;
        std::unordered_map<std::string, ProcessInfo> processes;
        std::vector<std::string> processIds;
        std::unordered_map<std::string, int> processIndex;
        bool hasSpans = false;
        void clear();
    };

    static Field fieldOf(std::string_view key);
    bool scalar(TagObject::ValueKind kind, std::string_view text);
    bool startContainer(bool isObject);
    void enter(Context context);
    void skipValue();
    [[noreturn]] void wrongType(const char* sentence) const;
    [[noreturn]] void refuse(const QString& sentence) const;
    std::optional<qint64> timeField(std::string_view text, TagObject::ValueKind kind, const char* name) const;
    void beginSpan();
    void finishSpan();
    void finishTag();
    void finishLog();
    void finishReference();
    void finishProcess();
    void finishTrace();
    void becomeTrace();
    TrackId trackFor(const std::string& service, const std::string& tagsJson);
    void warnAboutProblems();
    void problem(std::string_view sentence) { ++m_problems[sentence]; }
    qint64 offset() const { return qint64(m_stream.Tell()) + m_bomLength; }

    Sink& m_sink;
    const ImportControl& m_control;
    const rapidjson::MemoryStream& m_stream;
    TraceAssembler& m_assembler;
    qsizetype m_bomLength = 0;

    std::vector<Context> m_contexts;
    int m_skipDepth = 0; // > 0 while inside a value that is not read
    Field m_field = Field::Other;
    bool m_rootIsObject = false;
    bool m_sawData = false;  // the top-level object wraps traces in "data"
    bool m_sawSpans = false; // some object had "spans": traces were read
    qint64 m_spanCount = 0;
    qint64 m_traceCount = 0;

    TraceState m_trace;
    SpanState m_span;
    bool m_spanInTrace = false;
    TagObject m_attributes;
    TagObject m_fields;      // of the log being read
    TagObject m_processTags; // of the process being read
    TagTarget m_tagTarget = TagTarget::Span;
    TagObject::Tag m_tag;
    bool m_tagValueDropped = false;
    Reference m_reference;
    std::string m_refType;
    std::optional<qint64> m_logTimeNs;
    std::string m_logName; // its field "event"
    rapidjson::StringBuffer m_eventsBuffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_events;
    rapidjson::StringBuffer m_warningsBuffer;
    std::string m_processKey;
    std::string m_service;
    std::string m_idText;

    std::unordered_map<std::string, TrackId> m_tracks;
    std::unordered_set<std::string> m_processesSeen;
    std::string m_processList; // the metadata's processes, as JSON objects separated by commas
    bool m_processesLeftOut = false;
    std::map<std::string_view, qint64> m_problems;
    std::vector<std::string> m_traceWarnings;
    qint64 m_traceWarningCount = 0;
    qint64 m_spansWithWarnings = 0;
    std::string m_firstSpanWarning;
    std::vector<std::string> m_errors; // the query's own "errors"
    StringId m_followsFrom = 0;
    StringId m_childOf = 0;
};

} // namespace lundi::jaeger
