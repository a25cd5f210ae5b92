#include "otlpreader.h"
#include "fieldvalues.h"
#include "metricwriter.h"
#include "otlpschema.h"
#include "spanwriter.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>

namespace lundi::otlp {

using rapidjson::SizeType;

namespace {

constexpr unsigned ParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag |
                                rapidjson::kParseStopWhenDoneFlag;

// Limits beyond which a file is no telemetry but damage or an attack; each gives a sentence.
constexpr size_t MaxString = size_t(16) << 20;
constexpr int MaxValueDepth = 100;
constexpr quint32 MaxItems = 100'000; // attributes of one item, values of one list, buckets

// Untrusted text quoted in a sentence, cut short.
QString quoted(std::string_view text)
{
    const QString whole = QString::fromUtf8(text.data(), qsizetype(std::min<size_t>(text.size(), 48)));
    return QLatin1Char('"') + whole + (text.size() > 48 ? QStringLiteral("…\"") : QStringLiteral("\""));
}

// Enum values as protobuf's JSON mapping names them, by number.
constexpr std::array<std::string_view, 6> SpanKinds = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL",
                                                       "SPAN_KIND_SERVER",      "SPAN_KIND_CLIENT",
                                                       "SPAN_KIND_PRODUCER",    "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> StatusCodes = {"STATUS_CODE_UNSET", "STATUS_CODE_OK",
                                                         "STATUS_CODE_ERROR"};
constexpr std::array<std::string_view, 3> Temporalities = {"AGGREGATION_TEMPORALITY_UNSPECIFIED",
                                                           "AGGREGATION_TEMPORALITY_DELTA",
                                                           "AGGREGATION_TEMPORALITY_CUMULATIVE"};

std::string decimal(qint64 value)
{
    char digits[24];
    return std::string(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

} // namespace

OtlpReader::OtlpReader(const ImportControl& control, SpanWriter& spans, MetricWriter& metrics)
    : m_control(control), m_spans(spans), m_metrics(metrics)
{
}

void OtlpReader::read(std::string_view json, qint64 bomLength)
{
    rapidjson::MemoryStream stream(json.data(), json.size());
    m_stream = &stream;
    m_bomLength = bomLength;
    rapidjson::Reader reader;
    // One document, or several one after another (JSON lines): each is read on its own.
    for (;;) {
        while (stream.Tell() < json.size() && (stream.Peek() == ' ' || stream.Peek() == '\t' ||
                                               stream.Peek() == '\r' || stream.Peek() == '\n'))
            stream.Take();
        if (stream.Tell() >= json.size())
            break;
        const rapidjson::ParseResult result = reader.Parse<ParseFlags>(stream, *this);
        if (result.IsError()) {
            const size_t offset = result.Offset();
            if (json.find_first_not_of(" \t\r\n", std::min(offset, json.size())) == std::string_view::npos)
                throw ImportError(
                    QStringLiteral("the file ends in the middle of a JSON document (it is cut short)"),
                    qint64(offset) + bomLength);
            throw ImportError(QStringLiteral("this is not valid JSON: %1")
                                  .arg(QString::fromUtf8(rapidjson::GetParseError_En(result.Code())))
                                  .chopped(1),
                              qint64(offset) + bomLength);
        }
    }
    m_stream = nullptr;
    if (m_sawTraces || m_sawMetrics)
        return;
    if (m_logDocuments || m_profileDocuments)
        throw ImportError(
            QStringLiteral("the file holds only OpenTelemetry %1, which Lundi does not read (it reads traces "
                           "and metrics)")
                .arg(m_logDocuments && m_profileDocuments ? QStringLiteral("logs and profiles")
                     : m_logDocuments                     ? QStringLiteral("logs")
                                                          : QStringLiteral("profiles")),
            m_skippedSignalOffset);
    throw ImportError(
        QStringLiteral(
            "the JSON has no \"resourceSpans\" or \"resourceMetrics\", so it is no OTLP/JSON export"),
        0);
}

QString OtlpReader::skippedSignals() const
{
    const auto sentence = [](qint64 documents, const char* what, const char* key) {
        return QStringLiteral("The file also holds %1 (\"%2\" in %3), which Lundi does not read; they were "
                              "skipped.")
            .arg(QLatin1String(what), QLatin1String(key),
                 documents == 1 ? QStringLiteral("1 document")
                                : QStringLiteral("%1 documents").arg(documents));
    };
    QStringList sentences;
    if (m_logDocuments)
        sentences.append(sentence(m_logDocuments, "logs", "resourceLogs"));
    if (m_profileDocuments)
        sentences.append(sentence(m_profileDocuments, "profiles", "resourceProfiles"));
    return sentences.join(QLatin1Char(' '));
}

QByteArray OtlpReader::metadataJson() const
{
    std::string json = "{";
    const auto list = [&](const char* key, const std::vector<std::string>& objects) {
        if (objects.empty())
            return;
        if (json.size() > 1)
            json.push_back(',');
        json += key;
        json += ":[";
        for (size_t i = 0; i < objects.size(); ++i) {
            if (i)
                json.push_back(',');
            json += objects[i];
        }
        json.push_back(']');
    };
    list("\"resources\"", m_resourceObjects);
    list("\"scopes\"", m_scopeObjects);
    if (m_objectsLeftOut)
        json += (json.size() > 1 ? ",\"leftOut\":" : "\"leftOut\":") + decimal(m_objectsLeftOut);
    json.push_back('}');
    return QByteArray(json.data(), qsizetype(json.size()));
}

void OtlpReader::keep(std::vector<std::string>& objects, std::string object)
{
    // Enough to say where the data came from, not a copy of every batch's header.
    constexpr size_t MaxObjects = 1000;
    if (m_seenObjects.contains(object))
        return;
    if (m_seenObjects.size() >= MaxObjects) {
        ++m_objectsLeftOut;
        return;
    }
    m_seenObjects.insert(object);
    objects.push_back(std::move(object));
}

// --- errors and typed values

void OtlpReader::fail(const QString& sentence) const
{
    throw ImportError(sentence, qint64(m_stream->Tell()) + m_bomLength);
}

void OtlpReader::wrongType(const Level& level, ValueType type) const
{
    if (isList(level.frame)) {
        const Frame item = itemOf(level.frame);
        fail(QStringLiteral("an item of \"%1\" is %2, where OTLP/JSON has %3")
                 .arg(nameOf(level.field), typeName(type),
                      item == Frame::Skipped ? QStringLiteral("a number") : QStringLiteral("an object")));
    }
    const Expectation expected = expectation(level.frame, level.member);
    fail(QStringLiteral("\"%1\" is %2, where OTLP/JSON has %3")
             .arg(nameOf(level.member), typeName(type),
                  expected.type == ValueType::Number ? QStringLiteral("a number or a string of one")
                                                     : typeName(expected.type)));
}

void OtlpReader::checkLength(size_t length) const
{
    if (length > MaxString)
        fail(QStringLiteral(
                 "a string or number of %L1 bytes is longer than the %2 MiB that Lundi takes in one "
                 "value")
                 .arg(qulonglong(length))
                 .arg(MaxString >> 20));
}

std::string_view OtlpReader::needString(const Level& level, ValueType type, std::string_view text) const
{
    if (type != ValueType::String)
        wrongType(level, type);
    return text;
}

qint64 OtlpReader::needInteger(const Level& level, std::string_view text) const
{
    const Integer integer = parseInteger(text);
    if (integer.status == IntegerStatus::NotInteger)
        fail(QStringLiteral("\"%1\" is %2, which is not a whole number")
                 .arg(nameOf(level.member), quoted(text)));
    if (integer.status == IntegerStatus::OutOfRange)
        fail(QStringLiteral("\"%1\" is %2, beyond the 64-bit integers of OTLP")
                 .arg(nameOf(level.member), quoted(text)));
    return integer.value;
}

qint64 OtlpReader::needUnixNano(const Level& level, ValueType type, std::string_view text) const
{
    const Integer integer = parseInteger(text);
    if (integer.status == IntegerStatus::NotInteger)
        fail(QStringLiteral("\"%1\" is %2 (%3), which is not a whole number of nanoseconds")
                 .arg(nameOf(level.member), quoted(text), typeName(type)));
    if (integer.status == IntegerStatus::OutOfRange || integer.value < 0)
        fail(QStringLiteral("\"%1\" is %2, outside the nanoseconds from 1970 to 2262 that Lundi can hold")
                 .arg(nameOf(level.member), quoted(text)));
    return integer.value;
}

double OtlpReader::needDouble(const Level& level, ValueType type, std::string_view text) const
{
    const std::optional<double> value = parseDouble(text);
    if (!value)
        fail(QStringLiteral("\"%1\" is %2 (%3), which is not a number")
                 .arg(nameOf(level.member), quoted(text), typeName(type)));
    return *value;
}

qint64 OtlpReader::needEnum(const Level& level, ValueType type, std::string_view text) const
{
    if (type == ValueType::String) {
        const auto names = [&]() -> std::span<const std::string_view> {
            switch (level.member) {
            case Field::Kind:
                return SpanKinds;
            case Field::Code:
                return StatusCodes;
            default:
                return Temporalities;
            }
        }();
        const auto found = std::find(names.begin(), names.end(), text);
        if (found != names.end())
            return found - names.begin();
        if (parseInteger(text).status != IntegerStatus::Ok)
            fail(QStringLiteral("\"%1\" is %2, which OTLP does not define (%3 to %4, or their number)")
                     .arg(nameOf(level.member), quoted(text), QString::fromLatin1(names.front().data()),
                          QString::fromLatin1(names.back().data())));
    }
    return needInteger(level, text);
}

void OtlpReader::needId(const Level& level, ValueType type, std::string_view text, size_t bytes,
                        std::string& id) const
{
    if (!normaliseId(needString(level, type, text), bytes, id))
        fail(QStringLiteral("\"%1\" is %2, which is neither hex nor base64 of a %3-byte id")
                 .arg(nameOf(level.member), quoted(text))
                 .arg(bytes));
}

// --- SAX callbacks

bool OtlpReader::Null()
{
    scalar(ValueType::Null, "null");
    return true;
}

bool OtlpReader::Bool(bool value)
{
    scalar(ValueType::Bool, value ? "true" : "false");
    return true;
}

bool OtlpReader::RawNumber(const char* text, SizeType length, bool)
{
    checkLength(length);
    scalar(ValueType::Number, {text, length});
    return true;
}

bool OtlpReader::String(const char* text, SizeType length, bool)
{
    checkLength(length);
    scalar(ValueType::String, {text, length});
    return true;
}

bool OtlpReader::Key(const char* text, SizeType length, bool)
{
    checkLength(length);
    if (!m_skipDepth)
        m_stack.back().member = fieldOf({text, length});
    return true;
}

bool OtlpReader::StartObject()
{
    start(ValueType::Object);
    return true;
}

bool OtlpReader::EndObject(SizeType)
{
    end();
    return true;
}

bool OtlpReader::StartArray()
{
    start(ValueType::Array);
    return true;
}

bool OtlpReader::EndArray(SizeType)
{
    end();
    return true;
}

// --- walking the schema: a frame per open object or array

Frame OtlpReader::child(const Level& parent, ValueType type)
{
    if (isList(parent.frame)) {
        const Frame item = itemOf(parent.frame);
        if (item == Frame::Skipped || type != ValueType::Object)
            wrongType(parent, type);
        return item;
    }
    if (parent.frame == Frame::Document &&
        (parent.member == Field::ResourceLogs || parent.member == Field::ResourceProfiles)) {
        ++(parent.member == Field::ResourceLogs ? m_logDocuments : m_profileDocuments);
        if (m_skippedSignalOffset < 0)
            m_skippedSignalOffset = qint64(m_stream->Tell()) + m_bomLength;
        return Frame::Skipped;
    }
    const Expectation expected = expectation(parent.frame, parent.member);
    if (expected.type == ValueType::Null)
        return Frame::Skipped;
    if (expected.type != type)
        wrongType(parent, type);
    return expected.frame;
}

void OtlpReader::start(ValueType type)
{
    if (m_skipDepth) {
        ++m_skipDepth;
        return;
    }
    if (m_stack.empty()) {
        if (type != ValueType::Object)
            fail(QStringLiteral(
                     "an OTLP/JSON document is an object such as {\"resourceSpans\": [...]}, not %1")
                     .arg(typeName(type)));
        m_stack.push_back({Frame::Document, Field::Other, Field::Other});
        return;
    }
    Level& parent = m_stack.back();
    const Frame frame = child(parent, type);
    if (frame == Frame::Skipped) {
        m_skipDepth = 1;
        return;
    }
    if (isList(parent.frame) && ++parent.items > MaxItems)
        fail(QStringLiteral("\"%1\" has more than %L2 items, more than Lundi reads in one list")
                 .arg(nameOf(parent.field))
                 .arg(MaxItems));
    const Field field = isList(parent.frame) ? parent.field : parent.member;
    const Field parentMember = parent.member;
    const Frame parentFrame = parent.frame;
    m_stack.push_back({frame, field, Field::Other});
    Level& level = m_stack.back(); // parent is no longer valid
    switch (frame) {
    case Frame::ResourceSpansList:
        m_sawTraces = true;
        break;
    case Frame::ResourceMetricsList:
        m_sawMetrics = true;
        break;
    case Frame::ResourceSpans:
    case Frame::ResourceMetrics:
        beginEntry();
        break;
    case Frame::ScopeSpans:
    case Frame::ScopeMetrics:
        beginScope();
        break;
    case Frame::Span:
        m_span.clear();
        break;
    case Frame::Event:
        m_eventName.clear();
        m_eventTime.clear();
        m_eventAttributes.clear();
        break;
    case Frame::Link:
        m_linkTraceId.clear();
        m_linkSpanId.clear();
        break;
    case Frame::AttributeList:
        m_attributesOfResource = parentFrame == Frame::Resource;
        m_attributes = parentFrame == Frame::Resource ? &m_resource.attributes
                       : parentFrame == Frame::Scope  ? &m_scopes.back().attributes
                       : parentFrame == Frame::Span   ? &m_span.attributes
                       : parentFrame == Frame::Event  ? &m_eventAttributes
                                                      : &m_point->attributes;
        break;
    case Frame::KeyValue:
        level.top = parentFrame == Frame::AttributeList;
        startKeyValue(level);
        break;
    case Frame::AnyValue:
        startAnyValue();
        break;
    case Frame::ArrayValue:
    case Frame::KvList: {
        Level& anyValue = m_stack[m_stack.size() - 2];
        if (anyValue.hasValue)
            fail(QStringLiteral("an attribute's value (an AnyValue) holds more than one value"));
        anyValue.hasValue = true;
        m_attributes->members.push_back(frame == Frame::ArrayValue ? '[' : '{');
        break;
    }
    case Frame::Metric:
        m_metric.clear();
        break;
    case Frame::MetricData:
        if (m_metric.type != MetricType::None)
            fail(QStringLiteral("a metric has more than one of \"gauge\", \"sum\", \"histogram\", "
                                "\"exponentialHistogram\" and \"summary\""));
        m_metric.type = parentMember == Field::Gauge       ? MetricType::Gauge
                        : parentMember == Field::Sum       ? MetricType::Sum
                        : parentMember == Field::Histogram ? MetricType::Histogram
                        : parentMember == Field::Summary   ? MetricType::Summary
                                                           : MetricType::ExponentialHistogram;
        break;
    case Frame::Point:
        m_point = &m_metric.addPoint();
        break;
    case Frame::Buckets:
        m_buckets = parentMember == Field::Positive ? &m_point->positive : &m_point->negative;
        break;
    case Frame::NumberList:
        level.numbers = parentFrame == Frame::Buckets         ? &m_buckets->counts
                        : parentMember == Field::BucketCounts ? &m_point->bucketCounts
                                                              : &m_point->explicitBounds;
        break;
    case Frame::Quantile:
        m_hasQuantile = false;
        m_quantile = m_quantileValue = 0;
        break;
    case Frame::Exemplar:
        m_point->exemplars.emplace_back();
        break;
    default:
        break;
    }
}

void OtlpReader::end()
{
    if (m_skipDepth) {
        --m_skipDepth;
        return;
    }
    Level& level = m_stack.back();
    switch (level.frame) {
    case Frame::ResourceSpans:
    case Frame::ResourceMetrics:
        endEntry();
        break;
    case Frame::Resource:
        resourceDone();
        break;
    case Frame::ScopeSpans:
    case Frame::ScopeMetrics:
        m_scopes.back().done = true;
        release();
        break;
    case Frame::Scope:
        scopeDone();
        break;
    case Frame::Span:
        endSpan();
        break;
    case Frame::Event:
        endEvent();
        break;
    case Frame::Link:
        if (!m_linkSpanId.empty())
            m_span.links.emplace_back(m_linkTraceId, m_linkSpanId);
        break;
    case Frame::AttributeList:
        m_attributes = nullptr;
        m_attributesOfResource = false;
        break;
    case Frame::KeyValue:
        endKeyValue(level);
        break;
    case Frame::AnyValue:
        endAnyValue();
        break;
    case Frame::ArrayValue:
        m_attributes->members.push_back(']');
        break;
    case Frame::KvList:
        m_attributes->members.push_back('}');
        break;
    case Frame::Metric:
        endMetric();
        break;
    case Frame::Point:
        counted();
        break;
    case Frame::Quantile:
        if (m_hasQuantile)
            m_point->quantiles.emplace_back(m_quantile, m_quantileValue);
        break;
    default:
        break;
    }
    m_stack.pop_back();
}

void OtlpReader::scalar(ValueType type, std::string_view text)
{
    if (m_skipDepth)
        return;
    if (m_stack.empty())
        fail(QStringLiteral("an OTLP/JSON document is an object such as {\"resourceSpans\": [...]}, not %1")
                 .arg(typeName(type)));
    Level& level = m_stack.back();
    if (isList(level.frame))
        itemScalar(level, type, text);
    else
        memberScalar(level, type, text);
}

void OtlpReader::itemScalar(const Level& list, ValueType type, std::string_view text)
{
    if (list.frame != Frame::NumberList || (type != ValueType::Number && type != ValueType::String))
        wrongType(list, type);
    if (list.numbers->size() >= MaxItems)
        fail(QStringLiteral("\"%1\" has more than %L2 items, more than Lundi reads in one list")
                 .arg(nameOf(list.field))
                 .arg(MaxItems));
    const std::optional<double> value = parseDouble(text);
    if (!value)
        fail(QStringLiteral("an item of \"%1\" is %2, which is not a number")
                 .arg(nameOf(list.field), quoted(text)));
    list.numbers->push_back(*value);
}

void OtlpReader::memberScalar(Level& level, ValueType type, std::string_view text)
{
    if (level.frame == Frame::Document &&
        (level.member == Field::ResourceLogs || level.member == Field::ResourceProfiles)) {
        child(level, type); // counts the signal
        return;
    }
    const Expectation expected = expectation(level.frame, level.member);
    if (expected.type == ValueType::Null || type == ValueType::Null)
        return; // a member Lundi does not read, or one left at its default
    const bool fits =
        expected.type == type || (expected.type == ValueType::Number && type == ValueType::String);
    if (!fits)
        wrongType(level, type);
    switch (level.frame) {
    case Frame::Scope:
        (level.member == Field::Name ? m_scopes.back().name : m_scopes.back().version).assign(text);
        break;
    case Frame::Span:
        switch (level.member) {
        case Field::TraceId:
            needId(level, type, text, 16, m_span.traceId);
            break;
        case Field::SpanId:
            needId(level, type, text, 8, m_span.spanId);
            break;
        case Field::ParentSpanId:
            needId(level, type, text, 8, m_span.parentId);
            // Some exporters write an all-zero parent for a root.
            if (m_span.parentId.find_first_not_of('0') == std::string::npos)
                m_span.parentId.clear();
            break;
        case Field::Name:
            m_span.name.assign(text);
            break;
        case Field::Kind:
            m_span.kind = needEnum(level, type, text);
            break;
        case Field::StartTimeUnixNano:
            m_span.startNs = needUnixNano(level, type, text);
            m_span.hasStart = true;
            break;
        default:
            m_span.endNs = needUnixNano(level, type, text);
            m_span.hasEnd = true;
        }
        break;
    case Frame::Event:
        if (level.member == Field::Name)
            m_eventName.assign(text);
        else
            m_eventTime = decimal(needUnixNano(level, type, text));
        break;
    case Frame::Link:
        if (level.member == Field::TraceId)
            needId(level, type, text, 16, m_linkTraceId);
        else
            needId(level, type, text, 8, m_linkSpanId);
        break;
    case Frame::Status:
        if (level.member == Field::Message)
            m_span.statusMessage.assign(text);
        else
            m_span.statusCode = needEnum(level, type, text);
        break;
    case Frame::KeyValue:
        attributeKey(level, text);
        break;
    case Frame::AnyValue:
        anyValueScalar(level, type, text);
        break;
    case Frame::Metric:
        (level.member == Field::Name ? m_metric.name : m_metric.unit).assign(text);
        break;
    case Frame::MetricData:
        if (level.member == Field::IsMonotonic)
            m_metric.monotonic = text == "true";
        else
            m_metric.temporality = needEnum(level, type, text);
        break;
    case Frame::Point: {
        PointDraft& point = *m_point;
        switch (level.member) {
        case Field::StartTimeUnixNano:
            point.startNs = needUnixNano(level, type, text);
            point.hasStart = true;
            break;
        case Field::TimeUnixNano:
            point.timeNs = needUnixNano(level, type, text);
            point.hasTime = true;
            break;
        case Field::AsDouble:
            point.value = needDouble(level, type, text);
            point.hasValue = true;
            break;
        case Field::AsInt:
            point.value = double(needInteger(level, text));
            point.hasValue = true;
            break;
        case Field::Count:
            point.count = needDouble(level, type, text);
            point.hasCount = true;
            break;
        case Field::Sum:
            point.sum = needDouble(level, type, text);
            point.hasSum = true;
            break;
        case Field::Min:
            point.min = needDouble(level, type, text);
            point.hasMin = true;
            break;
        case Field::Max:
            point.max = needDouble(level, type, text);
            point.hasMax = true;
            break;
        case Field::ZeroCount:
            point.zeroCount = needDouble(level, type, text);
            point.hasZeroCount = true;
            break;
        case Field::Scale:
            point.scale = needInteger(level, text);
            if (point.scale < -10 || point.scale > 20)
                fail(QStringLiteral("\"scale\" is %1, outside the -10 to 20 that OTLP allows")
                         .arg(point.scale));
            break;
        default:
            point.flags = needInteger(level, text);
        }
        break;
    }
    case Frame::Buckets:
        m_buckets->offset = needInteger(level, text);
        // OTLP's offset is an int32; beyond it, bucket indices would overflow.
        if (m_buckets->offset < std::numeric_limits<qint32>::min() ||
            m_buckets->offset > std::numeric_limits<qint32>::max())
            fail(QStringLiteral("\"offset\" is %1, beyond the 32-bit integers of OTLP")
                     .arg(m_buckets->offset));
        break;
    case Frame::Quantile:
        (level.member == Field::Quantile ? m_quantile : m_quantileValue) = needDouble(level, type, text);
        m_hasQuantile = m_hasQuantile || level.member == Field::Quantile;
        break;
    case Frame::Exemplar: {
        ExemplarDraft& exemplar = m_point->exemplars.back();
        switch (level.member) {
        case Field::TimeUnixNano:
            exemplar.timeNs = needUnixNano(level, type, text);
            exemplar.hasTime = true;
            break;
        case Field::AsDouble:
            exemplar.value = needDouble(level, type, text);
            exemplar.hasValue = true;
            break;
        case Field::AsInt:
            exemplar.value = double(needInteger(level, text));
            exemplar.hasValue = true;
            break;
        case Field::TraceId:
            needId(level, type, text, 16, exemplar.traceId);
            break;
        default:
            needId(level, type, text, 8, exemplar.spanId);
        }
        break;
    }
    default:
        break;
    }
}

// --- attributes: AnyValues flattened to JSON as they are read

void OtlpReader::startKeyValue(Level& level)
{
    std::string& out = m_attributes->members;
    if (!out.empty() && out.back() != '{' && out.back() != '[')
        out.push_back(',');
    level.mark = out.size();
    if (level.top) {
        m_topKey.clear();
        m_topIsString = false;
    }
}

void OtlpReader::attributeKey(Level& level, std::string_view key)
{
    if (level.hasKey)
        fail(QStringLiteral("an attribute has more than one \"key\""));
    level.hasKey = true;
    std::string& out = m_attributes->members;
    if (!level.hasValue) {
        appendJsonString(out, key);
        level.keyEnd = out.size();
        out.push_back(':');
    } else {
        // The value came first: put the key in front of it.
        std::string member;
        appendJsonString(member, key);
        level.keyEnd = level.mark + member.size();
        member.push_back(':');
        out.insert(level.mark, member);
    }
    if (level.top && m_attributesOfResource)
        m_topKey.assign(key);
}

void OtlpReader::endKeyValue(Level& level)
{
    std::string& out = m_attributes->members;
    if (!level.hasKey) {
        out.insert(level.mark, "\"\":"); // protobuf's default: an empty key
        level.keyEnd = level.mark + 2;
    }
    if (!level.hasValue)
        out += "null";
    if (!level.top)
        return;
    m_attributes->index.push_back({level.mark, level.keyEnd, out.size()});
    if (m_attributesOfResource && m_topIsString && m_topKey == "service.name") {
        m_resource.serviceName = m_topString;
        m_resource.hasServiceName = true;
    }
}

void OtlpReader::startAnyValue()
{
    if (++m_anyValueDepth > MaxValueDepth)
        fail(QStringLiteral("an attribute value nests arrays or key-value lists more than %1 levels deep")
                 .arg(MaxValueDepth));
    Level& parent = m_stack[m_stack.size() - 2];
    std::string& out = m_attributes->members;
    if (parent.frame == Frame::KeyValue) {
        if (parent.hasValue)
            fail(QStringLiteral("an attribute has more than one \"value\""));
        parent.hasValue = true;
    } else if (out.back() != '[') {
        out.push_back(','); // the next item of an arrayValue
    }
}

void OtlpReader::endAnyValue()
{
    if (!m_stack.back().hasValue)
        m_attributes->members += "null"; // an empty AnyValue
    --m_anyValueDepth;
}

void OtlpReader::anyValueScalar(Level& level, ValueType type, std::string_view text)
{
    if (level.hasValue)
        fail(QStringLiteral("an attribute's value (an AnyValue) holds more than one value"));
    level.hasValue = true;
    std::string& out = m_attributes->members;
    switch (level.member) {
    case Field::StringValue:
        appendJsonString(out, text);
        if (m_attributesOfResource && m_anyValueDepth == 1) {
            m_topString.assign(text);
            m_topIsString = true;
        }
        break;
    case Field::BoolValue:
        out += text;
        break;
    case Field::BytesValue: // base64, kept as written
        appendJsonString(out, text);
        break;
    case Field::IntValue:
        out += decimal(needInteger(level, text));
        break;
    default: { // doubleValue
        const double value = needDouble(level, type, text);
        if (type == ValueType::Number)
            out += text; // as written: RapidJSON checked it is JSON
        else if (std::isfinite(value))
            out += formatBound(value);
        else
            appendJsonString(out, text); // JSON has no NaN or Infinity
    }
    }
}

// --- resources, scopes, spans and metrics, each written once what it depends on is known

void OtlpReader::beginEntry()
{
    m_resource.attributes.clear();
    m_resource.serviceName.clear();
    m_resource.hasServiceName = false;
    m_resource.done = false;
    m_scopes.clear();
}

void OtlpReader::beginScope()
{
    m_scopes.emplace_back();
}

void OtlpReader::resourceDone()
{
    m_resource.done = true;
    if (!m_resource.attributes.members.empty())
        keep(m_resourceObjects, '{' + m_resource.attributes.members + '}');
    release();
}

void OtlpReader::scopeDone()
{
    ScopeDraft& scope = m_scopes.back();
    scope.done = true;
    if (!scope.name.empty() || !scope.attributes.members.empty()) {
        std::string object = "{\"name\":";
        appendJsonString(object, scope.name);
        object += ",\"version\":";
        appendJsonString(object, scope.version);
        object += ",\"attributes\":{" + scope.attributes.members + "}}";
        keep(m_scopeObjects, std::move(object));
    }
    release();
}

void OtlpReader::endEntry()
{
    m_resource.done = true; // with or without a resource object
    release();
}

void OtlpReader::release()
{
    if (!m_resource.done)
        return;
    // In the order they came, so that the points of a series stay in order.
    const auto releaseFrom = [this](auto& held, auto write) {
        size_t kept = 0;
        for (size_t i = 0; i < held.size(); ++i) {
            if (m_scopes[held[i].second].done)
                write(held[i].first, m_scopes[held[i].second]);
            else if (kept++ != i)
                held[kept - 1] = std::move(held[i]);
        }
        held.resize(kept);
    };
    releaseFrom(m_heldSpans, [this](const SpanDraft& span, const ScopeDraft& scope) {
        m_spans.write(span, m_resource, scope);
    });
    releaseFrom(m_heldMetrics, [this](const MetricDraft& metric, const ScopeDraft& scope) {
        m_metrics.write(metric, m_resource, scope, qint64(m_stream->Tell()) + m_bomLength);
    });
}

void OtlpReader::counted()
{
    if ((++m_records & 0xfff) == 0)
        m_control.progress(qint64(m_stream->Tell()));
}

void OtlpReader::endSpan()
{
    counted();
    const size_t scope = m_scopes.size() - 1;
    if (m_resource.done && m_scopes[scope].done)
        m_spans.write(m_span, m_resource, m_scopes[scope]);
    else
        m_heldSpans.emplace_back(m_span, scope);
}

void OtlpReader::endEvent()
{
    // Events stay with their span, as Details shows them: mostly exceptions and log lines.
    std::string& events = m_span.events;
    events += events.empty() ? "{\"name\":" : ",{\"name\":";
    appendJsonString(events, m_eventName);
    if (!m_eventTime.empty())
        events += ",\"time_ns\":" + m_eventTime; // as the Jaeger importer writes a log's time
    if (!m_eventAttributes.members.empty())
        events += ",\"attributes\":{" + m_eventAttributes.members + '}';
    events.push_back('}');
}

void OtlpReader::endMetric()
{
    const size_t scope = m_scopes.size() - 1;
    if (m_resource.done && m_scopes[scope].done) {
        m_metrics.write(m_metric, m_resource, m_scopes[scope], qint64(m_stream->Tell()) + m_bomLength);
        return;
    }
    MetricDraft& held = m_heldMetrics.emplace_back(m_metric, scope).first;
    held.points.resize(held.pointCount);
}

} // namespace lundi::otlp
