#include "otlpschema.h"

#include <array>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace lundi::otlp {

namespace {

constexpr std::pair<std::string_view, Field> Names[] = {
    {"resourceSpans", Field::ResourceSpans},
    {"batches", Field::ResourceSpans}, // Grafana Tempo's name for them (its /api/traces/ID)
    {"resourceMetrics", Field::ResourceMetrics},
    {"resourceLogs", Field::ResourceLogs},
    {"resourceProfiles", Field::ResourceProfiles},
    {"result", Field::Result},
    {"resource", Field::Resource},
    {"scopeSpans", Field::ScopeSpans},
    {"instrumentationLibrarySpans", Field::ScopeSpans}, // before OTLP 0.15
    {"scopeMetrics", Field::ScopeMetrics},
    {"instrumentationLibraryMetrics", Field::ScopeMetrics},
    {"scope", Field::Scope},
    {"instrumentationLibrary", Field::Scope},
    {"attributes", Field::Attributes},
    {"name", Field::Name},
    {"version", Field::Version},
    {"spans", Field::Spans},
    {"traceId", Field::TraceId},
    {"spanId", Field::SpanId},
    {"parentSpanId", Field::ParentSpanId},
    {"kind", Field::Kind},
    {"startTimeUnixNano", Field::StartTimeUnixNano},
    {"endTimeUnixNano", Field::EndTimeUnixNano},
    {"events", Field::Events},
    {"links", Field::Links},
    {"status", Field::Status},
    {"timeUnixNano", Field::TimeUnixNano},
    {"message", Field::Message},
    {"code", Field::Code},
    {"key", Field::Key},
    {"value", Field::Value},
    {"stringValue", Field::StringValue},
    {"boolValue", Field::BoolValue},
    {"intValue", Field::IntValue},
    {"doubleValue", Field::DoubleValue},
    {"bytesValue", Field::BytesValue},
    {"arrayValue", Field::ArrayValue},
    {"kvlistValue", Field::KvlistValue},
    {"values", Field::Values},
    {"metrics", Field::Metrics},
    {"unit", Field::Unit},
    {"gauge", Field::Gauge},
    {"sum", Field::Sum},
    {"histogram", Field::Histogram},
    {"exponentialHistogram", Field::ExponentialHistogram},
    {"summary", Field::Summary},
    {"dataPoints", Field::DataPoints},
    {"aggregationTemporality", Field::AggregationTemporality},
    {"isMonotonic", Field::IsMonotonic},
    {"asDouble", Field::AsDouble},
    {"asInt", Field::AsInt},
    {"count", Field::Count},
    {"min", Field::Min},
    {"max", Field::Max},
    {"bucketCounts", Field::BucketCounts},
    {"explicitBounds", Field::ExplicitBounds},
    {"scale", Field::Scale},
    {"zeroCount", Field::ZeroCount},
    {"positive", Field::Positive},
    {"negative", Field::Negative},
    {"offset", Field::Offset},
    {"quantileValues", Field::QuantileValues},
    {"quantile", Field::Quantile},
    {"flags", Field::Flags},
    {"exemplars", Field::Exemplars},
};

// The names by length, so that a key is compared with a handful of names: this runs for every key.
class NameTable
{
  public:
    NameTable()
    {
        for (const auto& entry : Names)
            m_byLength[entry.first.size()].push_back(entry);
    }
    Field find(std::string_view key) const
    {
        if (key.size() >= m_byLength.size())
            return Field::Other;
        for (const auto& [name, field] : m_byLength[key.size()]) {
            if (name[0] == key[0] && std::memcmp(name.data(), key.data(), key.size()) == 0)
                return field;
        }
        return Field::Other;
    }

  private:
    std::array<std::vector<std::pair<std::string_view, Field>>, 32> m_byLength;
};

} // namespace

Field fieldOf(std::string_view key)
{
    static const NameTable table;
    if (key.empty())
        return Field::Other;
    if (const Field field = table.find(key); field != Field::Other || key.find('_') == std::string_view::npos)
        return field;
    // protobuf's JSON parsers take the proto names too: resource_spans, start_time_unix_nano.
    std::string camel;
    bool upper = false;
    for (const char c : key) {
        if (c == '_') {
            upper = true;
            continue;
        }
        camel.push_back(upper && c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c);
        upper = false;
    }
    return table.find(camel);
}

QString nameOf(Field field)
{
    for (const auto& [name, f] : Names) {
        if (f == field)
            return QString::fromLatin1(name.data(), qsizetype(name.size()));
    }
    return QStringLiteral("?");
}

QString typeName(ValueType type)
{
    switch (type) {
    case ValueType::Null:
        return QStringLiteral("null");
    case ValueType::Bool:
        return QStringLiteral("a boolean");
    case ValueType::Number:
        return QStringLiteral("a number");
    case ValueType::String:
        return QStringLiteral("a string");
    case ValueType::Object:
        return QStringLiteral("an object");
    case ValueType::Array:
        return QStringLiteral("an array");
    }
    return {};
}

Expectation expectation(Frame frame, Field field)
{
    constexpr Expectation Text{ValueType::String};
    constexpr Expectation Number{ValueType::Number};
    constexpr Expectation Boolean{ValueType::Bool};
    const auto object = [](Frame f) { return Expectation{ValueType::Object, f}; };
    const auto array = [](Frame f) { return Expectation{ValueType::Array, f}; };
    switch (frame) {
    case Frame::Document:
        switch (field) {
        case Field::ResourceSpans:
            return array(Frame::ResourceSpansList);
        case Field::ResourceMetrics:
            return array(Frame::ResourceMetricsList);
        case Field::Result:
            return object(Frame::Document);
        default:
            return {};
        }
    case Frame::ResourceSpans:
    case Frame::ResourceMetrics:
        if (field == Field::Resource)
            return object(Frame::Resource);
        if (field == Field::ScopeSpans && frame == Frame::ResourceSpans)
            return array(Frame::ScopeSpansList);
        if (field == Field::ScopeMetrics && frame == Frame::ResourceMetrics)
            return array(Frame::ScopeMetricsList);
        return {};
    case Frame::Resource:
        return field == Field::Attributes ? array(Frame::AttributeList) : Expectation{};
    case Frame::ScopeSpans:
    case Frame::ScopeMetrics:
        if (field == Field::Scope)
            return object(Frame::Scope);
        if (field == Field::Spans && frame == Frame::ScopeSpans)
            return array(Frame::SpanList);
        if (field == Field::Metrics && frame == Frame::ScopeMetrics)
            return array(Frame::MetricList);
        return {};
    case Frame::Scope:
        if (field == Field::Attributes)
            return array(Frame::AttributeList);
        return field == Field::Name || field == Field::Version ? Text : Expectation{};
    case Frame::Span:
        switch (field) {
        case Field::Attributes:
            return array(Frame::AttributeList);
        case Field::Events:
            return array(Frame::EventList);
        case Field::Links:
            return array(Frame::LinkList);
        case Field::Status:
            return object(Frame::Status);
        case Field::TraceId:
        case Field::SpanId:
        case Field::ParentSpanId:
        case Field::Name:
            return Text;
        case Field::Kind:
        case Field::StartTimeUnixNano:
        case Field::EndTimeUnixNano:
            return Number;
        default:
            return {};
        }
    case Frame::Event:
        if (field == Field::Attributes)
            return array(Frame::AttributeList);
        if (field == Field::Name)
            return Text;
        return field == Field::TimeUnixNano ? Number : Expectation{};
    case Frame::Link:
        return field == Field::TraceId || field == Field::SpanId ? Text : Expectation{};
    case Frame::Status:
        if (field == Field::Message)
            return Text;
        return field == Field::Code ? Number : Expectation{};
    case Frame::KeyValue:
        if (field == Field::Key)
            return Text;
        return field == Field::Value ? object(Frame::AnyValue) : Expectation{};
    case Frame::AnyValue:
        switch (field) {
        case Field::StringValue:
        case Field::BytesValue:
            return Text;
        case Field::BoolValue:
            return Boolean;
        case Field::IntValue:
        case Field::DoubleValue:
            return Number;
        case Field::ArrayValue:
            return object(Frame::ArrayValue);
        case Field::KvlistValue:
            return object(Frame::KvList);
        default:
            return {};
        }
    case Frame::ArrayValue:
        return field == Field::Values ? array(Frame::ValueList) : Expectation{};
    case Frame::KvList:
        return field == Field::Values ? array(Frame::KeyValueList) : Expectation{};
    case Frame::Metric:
        switch (field) {
        case Field::Name:
        case Field::Unit:
            return Text;
        case Field::Gauge:
        case Field::Sum:
        case Field::Histogram:
        case Field::ExponentialHistogram:
        case Field::Summary:
            return object(Frame::MetricData);
        default:
            return {};
        }
    case Frame::MetricData:
        if (field == Field::DataPoints)
            return array(Frame::PointList);
        if (field == Field::IsMonotonic)
            return Boolean;
        return field == Field::AggregationTemporality ? Number : Expectation{};
    case Frame::Point:
        switch (field) {
        case Field::Attributes:
            return array(Frame::AttributeList);
        case Field::BucketCounts:
        case Field::ExplicitBounds:
            return array(Frame::NumberList);
        case Field::Positive:
        case Field::Negative:
            return object(Frame::Buckets);
        case Field::QuantileValues:
            return array(Frame::QuantileList);
        case Field::Exemplars:
            return array(Frame::ExemplarList);
        case Field::StartTimeUnixNano:
        case Field::TimeUnixNano:
        case Field::AsDouble:
        case Field::AsInt:
        case Field::Count:
        case Field::Sum:
        case Field::Min:
        case Field::Max:
        case Field::Scale:
        case Field::ZeroCount:
        case Field::Flags:
            return Number;
        default:
            return {};
        }
    case Frame::Buckets:
        if (field == Field::BucketCounts)
            return array(Frame::NumberList);
        return field == Field::Offset ? Number : Expectation{};
    case Frame::Quantile:
        return field == Field::Quantile || field == Field::Value ? Number : Expectation{};
    case Frame::Exemplar:
        switch (field) {
        case Field::TimeUnixNano:
        case Field::AsDouble:
        case Field::AsInt:
            return Number;
        case Field::TraceId:
        case Field::SpanId:
            return Text;
        default:
            return {}; // filteredAttributes are not read
        }
    default:
        return {};
    }
}

Frame itemOf(Frame list)
{
    switch (list) {
    case Frame::ResourceSpansList:
        return Frame::ResourceSpans;
    case Frame::ResourceMetricsList:
        return Frame::ResourceMetrics;
    case Frame::ScopeSpansList:
        return Frame::ScopeSpans;
    case Frame::ScopeMetricsList:
        return Frame::ScopeMetrics;
    case Frame::SpanList:
        return Frame::Span;
    case Frame::EventList:
        return Frame::Event;
    case Frame::LinkList:
        return Frame::Link;
    case Frame::AttributeList:
    case Frame::KeyValueList:
        return Frame::KeyValue;
    case Frame::ValueList:
        return Frame::AnyValue;
    case Frame::MetricList:
        return Frame::Metric;
    case Frame::PointList:
        return Frame::Point;
    case Frame::QuantileList:
        return Frame::Quantile;
    case Frame::ExemplarList:
        return Frame::Exemplar;
    default:
        return Frame::Skipped;
    }
}

bool isList(Frame frame)
{
    return frame == Frame::NumberList || itemOf(frame) != Frame::Skipped;
}

} // namespace lundi::otlp
