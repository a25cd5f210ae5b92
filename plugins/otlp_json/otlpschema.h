#pragma once

// The part of the OTLP/JSON schema (protobuf's JSON mapping of the OTLP messages) that
// OtlpReader walks: the member names it reads, what each object and list holds, and the JSON
// type each member must have.

#include <QString>

#include <string_view>

namespace lundi::otlp {

enum class ValueType : quint8 { Null, Bool, Number, String, Object, Array };

// The member names Lundi reads, in protobuf's JSON spelling (snake_case is read too).
enum class Field : quint8 {
    Other,
    ResourceSpans,
    ResourceMetrics,
    ResourceLogs,
    ResourceProfiles,
    Result,
    Resource,
    ScopeSpans,
    ScopeMetrics,
    Scope,
    Attributes,
    Name,
    Version,
    Spans,
    TraceId,
    SpanId,
    ParentSpanId,
    Kind,
    StartTimeUnixNano,
    EndTimeUnixNano,
    Events,
    Links,
    Status,
    TimeUnixNano,
    Message,
    Code,
    Key,
    Value,
    StringValue,
    BoolValue,
    IntValue,
    DoubleValue,
    BytesValue,
    ArrayValue,
    KvlistValue,
    Values,
    Metrics,
    Unit,
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
    DataPoints,
    AggregationTemporality,
    IsMonotonic,
    AsDouble,
    AsInt,
    Count,
    Min,
    Max,
    BucketCounts,
    ExplicitBounds,
    Scale,
    ZeroCount,
    Positive,
    Negative,
    Offset,
    QuantileValues,
    Quantile,
    Flags,
    Exemplars
};

// What an open JSON object or array is: which message of the schema, or which list of them.
enum class Frame : quint8 {
    Skipped, // a value Lundi does not read (never on the stack)
    Document,
    ResourceSpansList,
    ResourceSpans,
    ResourceMetricsList,
    ResourceMetrics,
    Resource,
    ScopeSpansList,
    ScopeSpans,
    ScopeMetricsList,
    ScopeMetrics,
    Scope,
    SpanList,
    Span,
    EventList,
    Event,
    LinkList,
    Link,
    Status,
    AttributeList,
    KeyValueList,
    KeyValue,
    AnyValue,
    ArrayValue,
    ValueList,
    KvList,
    MetricList,
    Metric,
    MetricData,
    PointList,
    Point,
    NumberList,
    Buckets,
    QuantileList,
    Quantile,
    ExemplarList,
    Exemplar
};

// What OTLP/JSON has as the value of a member of an object: the JSON type (Number also takes
// the strings that int64, enums and non-finite doubles are written as) and, for an object or
// array, the frame it opens. Null type: a member Lundi does not read.
struct Expectation
{
    ValueType type = ValueType::Null;
    Frame frame = Frame::Skipped;
};

Field fieldOf(std::string_view key);
// A field's name as protobuf's JSON mapping writes it, for sentences.
QString nameOf(Field field);
// "a string", "an array": a JSON type for sentences.
QString typeName(ValueType type);
Expectation expectation(Frame frame, Field field);
// The frame of each item of a list, or Skipped for a list of numbers.
Frame itemOf(Frame list);
bool isList(Frame frame);

} // namespace lundi::otlp
