#include "jaegertracereader.h"
#include "jaegerfields.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"
#include "ingest/sink.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>

namespace lundi::jaeger {

namespace {

using rapidjson::SizeType;
using ValueKind = TagObject::ValueKind;

constexpr unsigned ParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;

// Beyond these, a value is no trace data but damage: refused rather than stored.
constexpr size_t MaxString = size_t(16) << 20;
constexpr size_t MaxAttributes = size_t(16) << 20; // one span's tags, logs and warnings as JSON
constexpr size_t MaxListedProcesses = 1000;
constexpr size_t MaxServices = 10'000; // tracks: a real system has hundreds
constexpr int SpansPerProgress = 4096;

// OpenTelemetry's name for a service that does not say its own.
const std::string UnknownService = "unknown_service";
const std::string NoParent(16, '0');

template <size_t N> bool is(std::string_view text, const char (&word)[N])
{
    return text.size() == N - 1 && std::memcmp(text.data(), word, N - 1) == 0;
}

bool equalsIgnoringCase(std::string_view text, std::string_view word)
{
    return text.size() == word.size() &&
           std::equal(text.begin(), text.end(), word.begin(),
                      [](char a, char b) { return (a >= 'A' && a <= 'Z' ? char(a - 'A' + 'a') : a) == b; });
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// A value quoted in a sentence, cut to a readable length.
QString quoted(std::string_view text)
{
    constexpr size_t Shown = 40;
    return QLatin1Char('"') + fromStd(text.substr(0, Shown)) +
           (text.size() > Shown ? QStringLiteral("...\"") : QStringLiteral("\""));
}

} // namespace

void JaegerTraceReader::SpanState::clear()
{
    traceId.clear();
    spanId.clear();
    parentSpanId.clear();
    operationName.clear();
    processId.clear();
    service.clear();
    processTags.clear();
    hasProcess = hasStart = hasDuration = hasEvents = false;
    startNs = durNs = 0;
    status = SpanStatus::Unset;
    kind = SpanKind::Unspecified;
    references.clear();
    warnings.clear();
    offset = 0;
}

void JaegerTraceReader::TraceState::clear()
{
    traceId.clear();
    spans.clear();
    links.clear();
    processes.clear();
    processIds.clear();
    processIndex.clear();
    hasSpans = false;
}

JaegerTraceReader::JaegerTraceReader(Sink& sink, const ImportControl& control,
                                     const rapidjson::MemoryStream& stream, TraceAssembler& assembler)
    : m_sink(sink), m_control(control), m_stream(stream), m_assembler(assembler), m_events(m_eventsBuffer)
{
}

JaegerTraceReader::Field JaegerTraceReader::fieldOf(std::string_view key)
{
    switch (key.size()) {
    case 3:
        return is(key, "key") ? Field::Key : is(key, "msg") ? Field::Message : Field::Other;
    case 4:
        return is(key, "tags")   ? Field::Tags
               : is(key, "type") ? Field::Type
               : is(key, "logs") ? Field::Logs
               : is(key, "data") ? Field::Data
                                 : Field::Other;
    case 5:
        return is(key, "value") ? Field::Value : is(key, "spans") ? Field::Spans : Field::Other;
    case 6:
        return is(key, "spanID")   ? Field::SpanId
               : is(key, "fields") ? Field::Fields
               : is(key, "errors") ? Field::Errors
                                   : Field::Other;
    case 7:
        return is(key, "traceID")   ? Field::TraceId
               : is(key, "refType") ? Field::RefType
               : is(key, "process") ? Field::Process
                                    : Field::Other;
    case 8:
        return is(key, "duration") ? Field::Duration : is(key, "warnings") ? Field::Warnings : Field::Other;
    case 9:
        return is(key, "startTime")   ? Field::StartTime
               : is(key, "processID") ? Field::ProcessId
               : is(key, "timestamp") ? Field::Timestamp
               : is(key, "processes") ? Field::Processes
                                      : Field::Other;
    case 10:
        return is(key, "references") ? Field::References : Field::Other;
    case 11:
        return is(key, "serviceName") ? Field::ServiceName : Field::Other;
    case 12:
        return is(key, "parentSpanID") ? Field::ParentSpanId : Field::Other;
    case 13:
        return is(key, "operationName") ? Field::OperationName : Field::Other;
    default:
        return Field::Other;
    }
}

void JaegerTraceReader::read(qsizetype bomLength)
{
    m_bomLength = bomLength;
    rapidjson::MemoryStream& stream = const_cast<rapidjson::MemoryStream&>(m_stream);
    rapidjson::Reader reader;
    const rapidjson::ParseResult result = reader.Parse<ParseFlags>(stream, *this);
    if (result.IsError()) {
        const qint64 at = qint64(result.Offset()) + bomLength;
        // An escape is reported where it starts, a few bytes before the end that cut it.
        const bool inEscape = result.Code() == rapidjson::kParseErrorStringEscapeInvalid ||
                              result.Code() == rapidjson::kParseErrorStringUnicodeEscapeInvalidHex ||
                              result.Code() == rapidjson::kParseErrorStringUnicodeSurrogateInvalid;
        if (result.Offset() + (inEscape ? 12 : 0) >= stream.size_)
            throw ImportError(QStringLiteral("the JSON ends before its traces do (the file is cut short)"),
                              at);
        throw ImportError(QStringLiteral("this is not valid JSON: %1")
                              .arg(QString::fromUtf8(rapidjson::GetParseError_En(result.Code())))
                              .chopped(1),
                          at);
    }
    if (m_spanCount == 0) {
        if (!m_errors.empty()) {
            QStringList errors;
            for (const std::string& error : m_errors)
                errors.append(fromStd(error));
            throw ImportError(QStringLiteral("the file holds no traces; Jaeger answered: %1")
                                  .arg(errors.join(QStringLiteral("; "))),
                              0);
        }
        m_sink.warn(QStringLiteral("The file holds no spans."));
    } else if (!m_errors.empty()) {
        m_sink.warn(QStringLiteral("Jaeger's answer also reports %1 errors, e.g. %2.")
                        .arg(m_errors.size())
                        .arg(quoted(m_errors.front())));
    }
    warnAboutProblems();
}

void JaegerTraceReader::warnAboutProblems()
{
    if (m_traceWarningCount) {
        QStringList shown;
        for (const std::string& warning : m_traceWarnings)
            shown.append(quoted(warning));
        m_sink.warn(
            QStringLiteral("Jaeger noted %1 warnings about the traces: %2%3.")
                .arg(m_traceWarningCount)
                .arg(shown.join(QStringLiteral(", ")))
                .arg(m_traceWarningCount > qint64(shown.size()) ? QStringLiteral(", ...") : QString()));
    }
    if (m_spansWithWarnings)
        m_sink.warn(
            QStringLiteral("%1 spans carry Jaeger's warnings, e.g. %2; each keeps them in its attribute "
                           "\"jaeger.warnings\".")
                .arg(m_spansWithWarnings)
                .arg(quoted(m_firstSpanWarning)));
    if (m_processesLeftOut)
        m_sink.warn(
            QStringLiteral("The source's metadata lists the first %1 distinct processes; later ones were "
                           "left out.")
                .arg(MaxListedProcesses));
    for (const auto& [sentence, count] : m_problems)
        m_sink.warn(fromStd(sentence) + (count > 1 ? QStringLiteral(" (%1 times)").arg(count) : QString()));
}

QByteArray JaegerTraceReader::metadataJson() const
{
    return QByteArrayLiteral("{\"traces\":") + QByteArray::number(m_traceCount) +
           QByteArrayLiteral(",\"processes\":[") +
           QByteArray(m_processList.data(), qsizetype(m_processList.size())) + QByteArrayLiteral("]}");
}

void JaegerTraceReader::refuse(const QString& sentence) const
{
    throw ImportError(sentence, offset());
}

void JaegerTraceReader::wrongType(const char* sentence) const
{
    refuse(QString::fromUtf8(sentence));
}

void JaegerTraceReader::enter(Context context)
{
    m_contexts.push_back(context);
    m_field = Field::Other;
}

void JaegerTraceReader::skipValue()
{
    m_skipDepth = 1;
}

std::optional<qint64> JaegerTraceReader::timeField(std::string_view text, ValueKind kind,
                                                   const char* name) const
{
    if (kind == ValueKind::Number || kind == ValueKind::String) {
        if (const auto ns = microsecondsToNs(text))
            return ns;
        refuse(QStringLiteral("%1 is %2, not a whole number of microseconds since 1970 before the year 2262")
                   .arg(QLatin1String(name),
                        kind == ValueKind::String ? quoted(text) : fromStd(text.substr(0, 40))));
    }
    if (kind == ValueKind::Null)
        return std::nullopt;
    refuse(QStringLiteral("%1 is %2, not a number of microseconds").arg(QLatin1String(name), fromStd(text)));
}

bool JaegerTraceReader::Null()
{
    return scalar(ValueKind::Null, "null");
}

bool JaegerTraceReader::Bool(bool value)
{
    return scalar(ValueKind::Bool, value ? "true" : "false");
}

bool JaegerTraceReader::RawNumber(const char* text, SizeType length, bool)
{
    if (length > MaxString)
        refuse(QStringLiteral("a number of %1 digits is no trace data; the file is probably damaged")
                   .arg(length));
    return scalar(ValueKind::Number, {text, length});
}

bool JaegerTraceReader::String(const char* text, SizeType length, bool)
{
    if (length > MaxString)
        refuse(
            QStringLiteral("a string of %1 MB is longer than the 16 MiB that Lundi reads as one value of a "
                           "trace; the file is probably damaged")
                .arg(double(length) / 1e6, 0, 'f', 1));
    return scalar(ValueKind::String, {text, length});
}

bool JaegerTraceReader::scalar(ValueKind kind, std::string_view text)
{
    if (m_skipDepth)
        return true;
    if (m_contexts.empty())
        refuse(QStringLiteral("the JSON is a single value, not a Jaeger trace"));
    const bool isString = kind == ValueKind::String;
    const bool isNull = kind == ValueKind::Null;
    // Go writes an empty list as null: a null array, object or field means none.
    const auto assignString = [&](std::string& target, const char* sentence) {
        if (isString)
            target.assign(text);
        else if (!isNull)
            wrongType(sentence);
    };
    switch (m_contexts.back()) {
    case Context::Trace:
        switch (m_field) {
        case Field::TraceId:
            assignString(m_trace.traceId, "a trace's \"traceID\" is not a string");
            break;
        case Field::Data:
            if (m_contexts.size() == 1 && isNull)
                m_sawData = true;
            else if (m_contexts.size() == 1)
                wrongType("\"data\" is neither a list of traces nor a trace");
            break;
        case Field::Spans:
            if (!isNull)
                wrongType("\"spans\" is not a list of spans");
            m_trace.hasSpans = true;
            break;
        case Field::Processes:
        case Field::Warnings:
            if (!isNull)
                wrongType(m_field == Field::Processes ? "\"processes\" is not an object of processes by id"
                                                      : "a trace's \"warnings\" are not a list of strings");
            break;
        default:
            break;
        }
        break;
    case Context::Span:
        switch (m_field) {
        case Field::TraceId:
            assignString(m_span.traceId, "a span's \"traceID\" is not a string");
            break;
        case Field::SpanId:
            assignString(m_span.spanId, "a span's \"spanID\" is not a string");
            break;
        case Field::ParentSpanId:
            assignString(m_span.parentSpanId, "a span's \"parentSpanID\" is not a string");
            break;
        case Field::OperationName:
            assignString(m_span.operationName, "a span's \"operationName\" is not a string");
            break;
        case Field::ProcessId:
            assignString(m_span.processId, "a span's \"processID\" is not a string");
            break;
        case Field::StartTime:
            if (const auto ns = timeField(text, kind, "a span's \"startTime\"")) {
                m_span.startNs = *ns;
                m_span.hasStart = true;
            }
            break;
        case Field::Duration:
            if (const auto ns = timeField(text, kind, "a span's \"duration\"")) {
                m_span.durNs = *ns;
                m_span.hasDuration = true;
            }
            break;
        case Field::References:
        case Field::Tags:
        case Field::Logs:
        case Field::Warnings:
        case Field::Process:
            if (!isNull)
                wrongType(m_field == Field::Process
                              ? "a span's \"process\" is not an object"
                              : "a span's \"references\", \"tags\", \"logs\" or \"warnings\" "
                                "are not a list");
            break;
        default:
            break;
        }
        break;
    case Context::Reference:
        if (m_field == Field::RefType)
            assignString(m_refType, "a reference's \"refType\" is not a string");
        else if (m_field == Field::TraceId)
            assignString(m_reference.traceId, "a reference's \"traceID\" is not a string");
        else if (m_field == Field::SpanId)
            assignString(m_reference.spanId, "a reference's \"spanID\" is not a string");
        break;
    case Context::Tag:
        if (m_field == Field::Key) {
            if (!isString)
                wrongType("a tag's \"key\" is not a string");
            m_tag.key.assign(text);
            m_tag.hasKey = true;
        } else if (m_field == Field::Type) {
            assignString(m_tag.type, "a tag's \"type\" is not a string");
        } else if (m_field == Field::Value) {
            m_tag.value.assign(text);
            m_tag.kind = kind;
        }
        break;
    case Context::Log:
        if (m_field == Field::Timestamp)
            m_logTimeNs = timeField(text, kind, "a log's \"timestamp\"");
        else if (m_field == Field::Fields && !isNull)
            wrongType("a log's \"fields\" are not a list");
        break;
    case Context::Process:
        if (m_field == Field::ServiceName)
            assignString(m_service, "a process's \"serviceName\" is not a string");
        else if (m_field == Field::Tags && !isNull)
            wrongType("a process's \"tags\" are not a list");
        break;
    case Context::TraceWarnings:
        if (isString) {
            if (++m_traceWarningCount <= 5)
                m_traceWarnings.emplace_back(text);
        }
        break;
    case Context::SpanWarnings:
        if (isString)
            m_span.warnings.emplace_back(text);
        break;
    case Context::Error:
        if (m_field == Field::Message && isString)
            m_errors.emplace_back(text);
        break;
    case Context::Processes:
        if (!isNull)
            wrongType("an entry of \"processes\" is not a process object");
        break;
    case Context::Errors:
        break;
    case Context::Traces:
        wrongType("an item of \"data\" is not a trace object");
    case Context::Items:
        wrongType("an item of the top-level list is not a span or trace object");
    case Context::Spans:
        wrongType("an item of \"spans\" is not a span object");
    case Context::References:
        wrongType("an item of \"references\" is not a reference object");
    case Context::Tags:
        wrongType("an item of \"tags\" or \"fields\" is not a key/value object");
    case Context::Logs:
        wrongType("an item of \"logs\" is not a log object");
    }
    return true;
}

bool JaegerTraceReader::Key(const char* text, SizeType length, bool)
{
    if (length > MaxString)
        refuse(QStringLiteral("a key of %1 MB is no trace data; the file is probably damaged")
                   .arg(double(length) / 1e6, 0, 'f', 1));
    if (m_skipDepth)
        return true;
    const std::string_view key(text, length);
    const Context context = m_contexts.back();
    if (context == Context::Processes) {
        m_processKey.assign(key);
        return true;
    }
    m_field = fieldOf(key);
    if (context == Context::Trace && m_contexts.size() == 1 && !m_sawData &&
        (m_field == Field::SpanId || m_field == Field::OperationName || m_field == Field::StartTime ||
         m_field == Field::References))
        refuse(
            QStringLiteral("the file holds a single span; Jaeger JSON is {\"data\": [traces]}, a trace with "
                           "\"spans\", or a list of spans"));
    // An item of a top-level list is a span until it shows it is a trace.
    if (context == Context::Span && !m_spanInTrace &&
        (m_field == Field::Spans || m_field == Field::Processes))
        becomeTrace();
    return true;
}

bool JaegerTraceReader::StartObject()
{
    return startContainer(true);
}

bool JaegerTraceReader::StartArray()
{
    return startContainer(false);
}

bool JaegerTraceReader::startContainer(bool isObject)
{
    if (m_skipDepth) {
        ++m_skipDepth;
        return true;
    }
    if (m_contexts.empty()) {
        m_rootIsObject = isObject;
        m_trace.clear();
        enter(isObject ? Context::Trace : Context::Items);
        return true;
    }
    const bool isRoot = m_contexts.size() == 1;
    const Field field = m_field;
    switch (m_contexts.back()) {
    case Context::Trace:
        if (field == Field::Data && isRoot) {
            if (m_trace.hasSpans)
                refuse(QStringLiteral("the object has both \"data\" and \"spans\""));
            m_sawData = true;
            m_trace.clear();
            enter(isObject ? Context::Trace : Context::Traces);
        } else if (field == Field::Spans) {
            if (isObject)
                wrongType("\"spans\" is an object, not a list of spans");
            if (isRoot && m_sawData)
                refuse(QStringLiteral("the object has both \"data\" and \"spans\""));
            m_trace.hasSpans = true;
            m_sawSpans = true;
            enter(Context::Spans);
        } else if (field == Field::Processes) {
            if (!isObject)
                wrongType("\"processes\" is a list, not an object of processes by id");
            enter(Context::Processes);
        } else if (field == Field::Warnings) {
            if (isObject)
                wrongType("a trace's \"warnings\" are an object, not a list of strings");
            enter(Context::TraceWarnings);
        } else if (field == Field::Errors && isRoot && !isObject) {
            enter(Context::Errors);
        } else if (field == Field::TraceId) {
            wrongType("a trace's \"traceID\" is not a string");
        } else {
            skipValue();
        }
        break;
    case Context::Traces:
        if (!isObject)
            wrongType("an item of \"data\" is not a trace object");
        m_trace.clear();
        enter(Context::Trace);
        break;
    case Context::Items:
    case Context::Spans:
        if (!isObject)
            wrongType(m_contexts.back() == Context::Spans
                          ? "an item of \"spans\" is not a span object"
                          : "an item of the top-level list is not a span or trace object");
        m_spanInTrace = m_contexts.back() == Context::Spans;
        enter(Context::Span);
        beginSpan();
        break;
    case Context::Span:
        switch (field) {
        case Field::References:
        case Field::Tags:
        case Field::Logs:
        case Field::Warnings:
            if (isObject)
                wrongType("a span's \"references\", \"tags\", \"logs\" or \"warnings\" are an object, not a "
                          "list");
            m_tagTarget = TagTarget::Span;
            enter(field == Field::References ? Context::References
                  : field == Field::Tags     ? Context::Tags
                  : field == Field::Logs     ? Context::Logs
                                             : Context::SpanWarnings);
            break;
        case Field::Process:
            if (!isObject)
                wrongType("a span's \"process\" is a list, not an object");
            m_service.clear();
            m_processTags.clear();
            enter(Context::Process);
            break;
        case Field::TraceId:
        case Field::SpanId:
        case Field::ParentSpanId:
        case Field::OperationName:
        case Field::ProcessId:
        case Field::StartTime:
        case Field::Duration:
            wrongType("a span's \"traceID\", \"spanID\", \"operationName\", \"processID\", \"startTime\" or "
                      "\"duration\" is an object or a list");
        default:
            skipValue();
        }
        break;
    case Context::References:
        if (!isObject)
            wrongType("an item of \"references\" is not a reference object");
        m_reference = {};
        m_refType.clear();
        enter(Context::Reference);
        break;
    case Context::Tags:
        if (!isObject)
            wrongType("an item of \"tags\" or \"fields\" is not a key/value object");
        m_tag.clear();
        m_tagValueDropped = false;
        enter(Context::Tag);
        break;
    case Context::Tag:
        if (field == Field::Key || field == Field::Type)
            wrongType("a tag's \"key\" or \"type\" is not a string");
        m_tagValueDropped = m_tagValueDropped || field == Field::Value;
        skipValue();
        break;
    case Context::Logs:
        if (!isObject)
            wrongType("an item of \"logs\" is not a log object");
        m_fields.clear();
        m_logTimeNs.reset();
        m_logName.clear();
        enter(Context::Log);
        break;
    case Context::Log:
        if (field == Field::Fields) {
            if (isObject)
                wrongType("a log's \"fields\" are an object, not a list");
            m_tagTarget = TagTarget::Log;
            enter(Context::Tags);
        } else if (field == Field::Timestamp) {
            wrongType("a log's \"timestamp\" is an object or a list");
        } else {
            skipValue();
        }
        break;
    case Context::Processes:
        if (!isObject)
            wrongType("an entry of \"processes\" is not a process object");
        m_service.clear();
        m_processTags.clear();
        enter(Context::Process);
        break;
    case Context::Process:
        if (field == Field::Tags) {
            if (isObject)
                wrongType("a process's \"tags\" are an object, not a list");
            m_tagTarget = TagTarget::Process;
            enter(Context::Tags);
        } else if (field == Field::ServiceName) {
            wrongType("a process's \"serviceName\" is not a string");
        } else {
            skipValue();
        }
        break;
    case Context::Errors:
        if (isObject)
            enter(Context::Error);
        else
            skipValue();
        break;
    case Context::Reference:
    case Context::TraceWarnings:
    case Context::SpanWarnings:
    case Context::Error:
        skipValue();
        break;
    }
    return true;
}

bool JaegerTraceReader::EndObject(SizeType)
{
    if (m_skipDepth) {
        --m_skipDepth;
        return true;
    }
    const Context context = m_contexts.back();
    m_contexts.pop_back();
    switch (context) {
    case Context::Trace:
        if (!m_contexts.empty() || !m_sawData) {
            if (m_contexts.empty() && !m_trace.hasSpans)
                refuse(QStringLiteral("the JSON object has no \"data\" and no \"spans\", so it is no Jaeger "
                                      "trace"));
            finishTrace();
        }
        break;
    case Context::Span:
        finishSpan();
        break;
    case Context::Reference:
        finishReference();
        break;
    case Context::Tag:
        finishTag();
        break;
    case Context::Log:
        finishLog();
        break;
    case Context::Process:
        finishProcess();
        break;
    default:
        break;
    }
    return true;
}

bool JaegerTraceReader::EndArray(SizeType)
{
    if (m_skipDepth) {
        --m_skipDepth;
        return true;
    }
    m_contexts.pop_back();
    return true;
}

void JaegerTraceReader::becomeTrace()
{
    m_contexts.back() = Context::Trace;
    std::string traceId = std::move(m_span.traceId);
    m_trace.clear();
    m_trace.traceId = std::move(traceId);
}

void JaegerTraceReader::beginSpan()
{
    m_span.clear();
    m_span.offset = offset();
    m_attributes.clear();
    m_eventsBuffer.Clear();
    m_events.Reset(m_eventsBuffer);
}

void JaegerTraceReader::finishTag()
{
    if (!m_tag.hasKey) {
        problem("A tag or log field without a \"key\" was left out.");
        return;
    }
    if (m_tagValueDropped)
        problem("A tag's value is an object or a list; it was kept as null.");
    TagObject* target = &m_attributes;
    if (m_tagTarget == TagTarget::Log) {
        // OpenTracing names a log by its field "event": the event's name, as OTLP has it.
        if (m_tag.key == "event" && m_tag.kind == ValueKind::String && m_logName.empty() &&
            !m_tag.value.empty()) {
            m_logName = std::move(m_tag.value);
            return;
        }
        target = &m_fields;
    } else if (m_tagTarget == TagTarget::Process) {
        target = &m_processTags;
    } else if (m_tag.key == "span.kind") {
        for (char& c : m_tag.value)
            c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
        static constexpr std::pair<std::string_view, SpanKind> Kinds[] = {{"internal", SpanKind::Internal},
                                                                          {"server", SpanKind::Server},
                                                                          {"client", SpanKind::Client},
                                                                          {"producer", SpanKind::Producer},
                                                                          {"consumer", SpanKind::Consumer}};
        for (const auto& [word, kind] : Kinds)
            if (m_tag.value == word)
                m_span.kind = kind;
    } else if (m_tag.key == "error") {
        if (m_tag.value == "true")
            m_span.status = SpanStatus::Error;
    } else if (m_tag.key == "otel.status_code") {
        if (equalsIgnoringCase(m_tag.value, "error"))
            m_span.status = SpanStatus::Error;
        else if (equalsIgnoringCase(m_tag.value, "ok") && m_span.status != SpanStatus::Error)
            m_span.status = SpanStatus::Ok;
    }
    switch (target->add(m_tag)) {
    case TagObject::Outcome::Added:
        break;
    case TagObject::Outcome::Mistyped:
        problem("A tag's value does not fit its \"type\"; it was kept as a string.");
        break;
    case TagObject::Outcome::Repeated:
        problem(
            "A key repeats within one span's tags, one log's fields or one process's tags; the first value "
            "was kept.");
        break;
    }
    if (target->size() > MaxAttributes)
        refuse(
            QStringLiteral("a span's or process's tags take more than 16 MiB; the file is probably damaged"));
}

void JaegerTraceReader::finishLog()
{
    // As the OTLP importer writes a span's events.
    if (!m_span.hasEvents) {
        m_events.StartArray();
        m_span.hasEvents = true;
    }
    m_events.StartObject();
    m_events.Key("name");
    m_events.String(m_logName.data(), SizeType(m_logName.size()));
    if (m_logTimeNs) {
        m_events.Key("time_ns");
        m_events.Int64(*m_logTimeNs);
    }
    if (!m_fields.isEmpty()) {
        m_events.Key("attributes");
        const std::string_view fields = m_fields.finish();
        m_events.RawValue(fields.data(), fields.size(), rapidjson::kObjectType);
    }
    m_events.EndObject();
    if (m_eventsBuffer.GetSize() + m_attributes.size() > MaxAttributes)
        refuse(QStringLiteral("a span's tags and logs take more than 16 MiB; the file is probably damaged"));
}

void JaegerTraceReader::finishReference()
{
    const bool childOf = equalsIgnoringCase(m_refType, "child_of");
    if (!childOf && !equalsIgnoringCase(m_refType, "follows_from")) {
        problem("A reference's \"refType\" is neither CHILD_OF nor FOLLOWS_FROM; it was ignored.");
        return;
    }
    if (m_reference.spanId.empty()) {
        problem("A reference without a \"spanID\" was ignored.");
        return;
    }
    m_reference.followsFrom = !childOf;
    m_span.references.push_back(std::move(m_reference));
}

void JaegerTraceReader::finishProcess()
{
    std::string tags(m_processTags.isEmpty() ? std::string_view() : m_processTags.finish());
    if (m_contexts.back() == Context::Span) {
        m_span.service = std::move(m_service);
        m_span.processTags = std::move(tags);
        m_span.hasProcess = true;
    } else {
        m_trace.processes[m_processKey] = {std::move(m_service), std::move(tags)};
    }
    m_service.clear();
}

void JaegerTraceReader::finishSpan()
{
    SpanState& s = m_span;
    if (s.spanId.empty())
        refuse(QStringLiteral("a span has no \"spanID\""));
    if (!s.hasStart)
        refuse(QStringLiteral("the span %1 has no \"startTime\"").arg(quoted(s.spanId)));
    if (!s.hasDuration)
        refuse(QStringLiteral("the span %1 has no \"duration\"").arg(quoted(s.spanId)));
    if (s.durNs > std::numeric_limits<qint64>::max() - s.startNs)
        refuse(QStringLiteral("the span %1 ends after the year 2262").arg(quoted(s.spanId)));

    BufferedSpan buffered;
    buffered.offset = s.offset;
    TraceAssembler::PendingSpan& span = buffered.span;
    normaliseId(s.traceId, 32, span.traceId);
    normaliseId(s.spanId, 16, span.spanId);
    std::string ownTrace = span.traceId;
    if (ownTrace.empty())
        normaliseId(m_trace.traceId, 32, ownTrace);

    // The parent is the first CHILD_OF in the span's own trace, as Jaeger's model has it, else the
    // legacy parentSpanID; failing both, the first FOLLOWS_FROM, as Jaeger's UI nests the span.
    // Every FOLLOWS_FROM and every other CHILD_OF (another trace, a second parent) is a flow.
    std::vector<TraceAssembler::PendingLink>* links = m_spanInTrace ? &m_trace.links : nullptr;
    int parent = -1;
    int firstFollows = -1;
    for (int i = 0; i < int(s.references.size()); ++i) {
        Reference& reference = s.references[size_t(i)];
        normaliseId(reference.traceId, 32, m_idText);
        reference.traceId = m_idText.empty() ? ownTrace : m_idText;
        normaliseId(reference.spanId, 16, m_idText);
        reference.spanId = m_idText;
        const bool sameTrace = ownTrace.empty() || reference.traceId == ownTrace;
        if (sameTrace && reference.spanId != NoParent) {
            if (!reference.followsFrom && parent < 0)
                parent = i;
            else if (reference.followsFrom && firstFollows < 0)
                firstFollows = i;
        }
    }
    if (parent >= 0) {
        span.parentId = s.references[size_t(parent)].spanId;
    } else if (normaliseId(s.parentSpanId, 16, m_idText); !m_idText.empty() && m_idText != NoParent) {
        span.parentId = m_idText;
    } else if (firstFollows >= 0) {
        span.parentId = s.references[size_t(firstFollows)].spanId;
        span.followsFrom = true;
    }
    for (int i = 0; i < int(s.references.size()); ++i) {
        Reference& reference = s.references[size_t(i)];
        if (i == parent || reference.spanId == NoParent)
            continue;
        StringId& name = reference.followsFrom ? m_followsFrom : m_childOf;
        if (!name)
            name = m_sink.intern(reference.followsFrom ? "follows from" : "child of");
        TraceAssembler::PendingLink link{std::move(reference.traceId), std::move(reference.spanId), ownTrace,
                                         span.spanId, name};
        if (links)
            links->push_back(std::move(link));
        else
            m_assembler.addLink(std::move(link));
    }

    if (s.hasEvents) {
        m_events.EndArray();
        if (!m_attributes.addJson("events", {m_eventsBuffer.GetString(), m_eventsBuffer.GetSize()}))
            problem("A span has a tag named \"events\" and logs; the tag was kept and the logs left out.");
    }
    if (!s.warnings.empty()) {
        m_warningsBuffer.Clear();
        rapidjson::Writer<rapidjson::StringBuffer> warnings(m_warningsBuffer);
        warnings.StartArray();
        for (const std::string& warning : s.warnings)
            warnings.String(warning.data(), SizeType(warning.size()));
        warnings.EndArray();
        if (m_attributes.addJson("jaeger.warnings",
                                 {m_warningsBuffer.GetString(), m_warningsBuffer.GetSize()}) &&
            m_spansWithWarnings++ == 0)
            m_firstSpanWarning = s.warnings.front();
    }
    if (!m_attributes.isEmpty()) {
        span.attributesJson.assign(m_attributes.finish());
        span.attributeKeys = m_attributes.keysHash();
    }
    span.name = m_sink.intern(s.operationName);
    span.startNs = s.startNs;
    span.durNs = s.durNs;
    span.status = s.status;
    span.kind = s.kind;

    if (s.hasProcess) {
        span.track = trackFor(s.service, s.processTags);
    } else if (m_spanInTrace) {
        const auto [it, inserted] =
            m_trace.processIndex.try_emplace(s.processId, int(m_trace.processIds.size()));
        if (inserted)
            m_trace.processIds.push_back(s.processId);
        buffered.process = it->second;
    } else {
        problem(
            "A span of the top-level list has no \"process\"; it is shown on the track \"unknown_service\".");
        span.track = trackFor({}, {});
    }

    if (m_spanInTrace) {
        m_trace.spans.push_back(std::move(buffered));
    } else {
        if (span.traceId.empty())
            refuse(QStringLiteral("the span %1 has no \"traceID\"").arg(quoted(s.spanId)));
        m_assembler.add(std::move(span));
    }
    if (++m_spanCount % SpansPerProgress == 0)
        m_control.progress(offset());
}

void JaegerTraceReader::finishTrace()
{
    ++m_traceCount;
    std::string traceId;
    normaliseId(m_trace.traceId, 32, traceId);
    // New services get their tracks in the order they start in, so the caller comes before its callees.
    const size_t processes = m_trace.processIds.size();
    std::vector<qint64> firstStart(processes, std::numeric_limits<qint64>::max());
    for (const BufferedSpan& buffered : m_trace.spans) {
        if (buffered.process >= 0)
            firstStart[size_t(buffered.process)] =
                std::min(firstStart[size_t(buffered.process)], buffered.span.startNs);
    }
    std::vector<size_t> order(processes);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return firstStart[a] < firstStart[b]; });
    std::vector<TrackId> tracks(processes);
    std::vector<bool> listed(processes);
    for (const size_t i : order) {
        const auto process = m_trace.processes.find(m_trace.processIds[i]);
        listed[i] = process != m_trace.processes.end();
        tracks[i] =
            listed[i] ? trackFor(process->second.service, process->second.tagsJson) : trackFor({}, {});
    }
    for (BufferedSpan& buffered : m_trace.spans) {
        TraceAssembler::PendingSpan& span = buffered.span;
        if (span.traceId.empty()) {
            if (traceId.empty())
                throw ImportError(QStringLiteral("a span has no \"traceID\", and neither has its trace"),
                                  buffered.offset);
            span.traceId = traceId;
        }
        if (buffered.process >= 0) {
            span.track = tracks[size_t(buffered.process)];
            if (!listed[size_t(buffered.process)])
                problem(
                    "A span's \"processID\" is not among its trace's \"processes\"; it is shown on the track "
                    "\"unknown_service\".");
        }
        m_assembler.add(std::move(span));
    }
    for (TraceAssembler::PendingLink& link : m_trace.links) {
        if (link.fromTraceId.empty())
            link.fromTraceId = traceId;
        if (link.toTraceId.empty())
            link.toTraceId = traceId;
        m_assembler.addLink(std::move(link));
    }
    m_trace.clear();
}

TrackId JaegerTraceReader::trackFor(const std::string& service, const std::string& tagsJson)
{
    if (service.empty())
        problem("A process has no \"serviceName\"; its spans are shown on the track \"unknown_service\".");
    const std::string& name = service.empty() ? UnknownService : service;
    auto [track, inserted] = m_tracks.try_emplace(name, 0);
    if (inserted) {
        if (m_tracks.size() > MaxServices)
            refuse(QStringLiteral("the traces name more than %1 services; the file is probably damaged or "
                                  "generated")
                       .arg(MaxServices));
        TrackSpec spec;
        spec.kind = TrackKind::Service;
        spec.name = QString::fromStdString(name);
        spec.sortIndex = int(m_tracks.size()) - 1;
        track->second = m_sink.addTrack(spec);
    }
    // The source's metadata keeps each distinct process: its tags say host, version, client.
    if (!service.empty()) {
        std::string key = service + '\x1f' + tagsJson;
        if (m_processesSeen.size() < MaxListedProcesses) {
            if (m_processesSeen.insert(std::move(key)).second) {
                rapidjson::StringBuffer buffer;
                rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
                writer.StartObject();
                writer.Key("serviceName");
                writer.String(service.data(), SizeType(service.size()));
                writer.Key("tags");
                const std::string_view tags = tagsJson.empty() ? std::string_view("{}") : tagsJson;
                writer.RawValue(tags.data(), tags.size(), rapidjson::kObjectType);
                writer.EndObject();
                if (!m_processList.empty())
                    m_processList += ',';
                m_processList.append(buffer.GetString(), buffer.GetSize());
            }
        } else {
            m_processesLeftOut = m_processesLeftOut || !m_processesSeen.contains(key);
        }
    }
    return track->second;
}

} // namespace lundi::jaeger
