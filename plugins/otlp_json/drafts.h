#pragma once

// What OtlpReader collects of one resource, scope, span or metric while it reads, for
// SpanWriter and MetricWriter to write once everything they depend on has been read (the
// fields of a JSON object come in any order: a resource may follow its spans).

#include "model.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lundi::otlp {

// An OTLP attribute list as the members of a JSON object ("key":value,...; braces left out),
// each value flattened from its AnyValue (arrays and key-value lists as JSON arrays and objects),
// with where each member lies.
struct Attributes
{
    struct Member
    {
        size_t keyBegin = 0; // the quoted key
        size_t keyEnd = 0;   // its ':' follows, then the value up to valueEnd
        size_t valueEnd = 0;
    };

    std::string members;
    std::vector<Member> index;

    std::string_view key(const Member& member) const
    {
        return std::string_view(members).substr(member.keyBegin, member.keyEnd - member.keyBegin);
    }
    std::string_view value(const Member& member) const
    {
        return std::string_view(members).substr(member.keyEnd + 1, member.valueEnd - member.keyEnd - 1);
    }
    void clear()
    {
        members.clear();
        index.clear();
    }
};

struct ResourceDraft
{
    Attributes attributes;
    std::string serviceName; // from a string-valued "service.name"
    bool hasServiceName = false;
    bool done = false; // its object was read (or its entry ended without one)
};

struct ScopeDraft
{
    std::string name;
    std::string version;
    Attributes attributes;
    bool done = false;
};

struct SpanDraft
{
    std::string traceId; // normalised: lower-case hex
    std::string spanId;
    std::string parentId;
    std::string name;
    qint64 startNs = 0;
    qint64 endNs = 0;
    bool hasStart = false;
    bool hasEnd = false;
    qint64 kind = 0;       // SpanKind
    qint64 statusCode = 0; // Status.StatusCode
    std::string statusMessage;
    Attributes attributes;
    std::string events; // JSON objects separated by commas, brackets left out
    // Trace and span id of each linked span.
    std::vector<std::pair<std::string, std::string>> links;

    // Empties it for the next span, keeping the buffers.
    void clear()
    {
        traceId.clear();
        spanId.clear();
        parentId.clear();
        name.clear();
        startNs = endNs = kind = statusCode = 0;
        hasStart = hasEnd = false;
        statusMessage.clear();
        attributes.clear();
        events.clear();
        links.clear();
    }
};

enum class MetricType : quint8 { None, Gauge, Sum, Histogram, ExponentialHistogram, Summary };

// The buckets on one side of zero of an exponential histogram data point.
struct ExponentialBuckets
{
    qint64 offset = 0;
    std::vector<double> counts;
};

// A measurement that a data point was sampled from, with the span it was taken in.
struct ExemplarDraft
{
    qint64 timeNs = 0;
    bool hasTime = false;
    double value = 0;
    bool hasValue = false;
    std::string traceId; // normalised: lower-case hex
    std::string spanId;
};

// One data point of any metric type; the fields its type does not have stay empty.
struct PointDraft
{
    Attributes attributes;
    qint64 startNs = 0;
    qint64 timeNs = 0;
    bool hasStart = false;
    bool hasTime = false;
    double value = 0; // gauge and sum
    bool hasValue = false;
    double count = 0, sum = 0, min = 0, max = 0, zeroCount = 0;
    bool hasCount = false, hasSum = false, hasMin = false, hasMax = false, hasZeroCount = false;
    std::vector<double> bucketCounts; // histogram
    std::vector<double> explicitBounds;
    qint64 scale = 0; // exponential histogram
    ExponentialBuckets positive, negative;
    std::vector<std::pair<double, double>> quantiles; // summary: quantile, value
    std::vector<ExemplarDraft> exemplars;
    qint64 flags = 0;

    void clear()
    {
        attributes.clear();
        startNs = timeNs = 0;
        hasStart = hasTime = hasValue = hasCount = hasSum = hasMin = hasMax = hasZeroCount = false;
        value = count = sum = min = max = zeroCount = 0;
        bucketCounts.clear();
        explicitBounds.clear();
        scale = 0;
        positive.offset = negative.offset = 0;
        positive.counts.clear();
        negative.counts.clear();
        quantiles.clear();
        exemplars.clear();
        flags = 0;
    }
};

struct MetricDraft
{
    std::string name;
    std::string unit;
    MetricType type = MetricType::None;
    bool monotonic = false;
    qint64 temporality = 0; // AggregationTemporality
    // Reused across metrics to keep their buffers: only the first pointCount are this metric's.
    std::vector<PointDraft> points;
    size_t pointCount = 0;

    void clear()
    {
        name.clear();
        unit.clear();
        type = MetricType::None;
        monotonic = false;
        temporality = 0;
        pointCount = 0;
    }
    // A fresh point at the end of this metric's.
    PointDraft& addPoint()
    {
        if (pointCount == points.size())
            points.emplace_back();
        PointDraft& point = points[pointCount++];
        point.clear();
        return point;
    }
};

} // namespace lundi::otlp
