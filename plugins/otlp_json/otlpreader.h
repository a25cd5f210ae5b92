#pragma once

#include "drafts.h"
#include "otlpschema.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <QByteArray>
#include <QString>

#include <string_view>
#include <unordered_set>
#include <vector>

namespace lundi {
class ImportControl;
} // namespace lundi

namespace lundi::otlp {

class MetricWriter;
class SpanWriter;

// The SAX handler over OTLP/JSON: one export request (traces, metrics, logs or profiles), or
// several one after another (JSON lines, as the collector's file exporter writes them), each
// bare or in a {"result": ...} wrapper. It follows the protobuf schema with a stack of frames,
// one per open JSON object or array, checks the type of every field it reads, and hands each
// span and metric to the writers once its resource and scope are known.
class OtlpReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, OtlpReader>
{
  public:
    OtlpReader(const ImportControl& control, SpanWriter& spans, MetricWriter& metrics);

    // Reads every document of the input; throws ImportError with the offset where it gave up.
    void read(std::string_view json, qint64 bomLength);

    // The distinct resources and scopes, as a JSON object for the source's metadata.
    QByteArray metadataJson() const;
    // Sentences about the signals that were read past (logs, profiles), if any.
    QString skippedSignals() const;

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
    struct Level
    {
        Frame frame;
        Field field;           // the member whose value this object or array is
        Field member;          // objects: the member being read
        bool top = false;      // KeyValue: a member of the attribute list itself, not of a kvlistValue
        bool hasKey = false;   // KeyValue: its key was written
        bool hasValue = false; // KeyValue, AnyValue: a value was written
        quint32 items = 0;     // arrays: the items so far
        size_t mark = 0;       // KeyValue: where its member starts in the attributes
        size_t keyEnd = 0;     // KeyValue: where its key ends (the ':')
        std::vector<double>* numbers = nullptr; // a list of numbers: where they go
    };

    void scalar(ValueType type, std::string_view text);
    void start(ValueType type);
    void end();
    Frame child(const Level& parent, ValueType type);
    void itemScalar(const Level& list, ValueType type, std::string_view text);
    void memberScalar(Level& level, ValueType type, std::string_view text);
    void anyValueScalar(Level& level, ValueType type, std::string_view text);
    void attributeKey(Level& level, std::string_view key);
    void startKeyValue(Level& level);
    void endKeyValue(Level& level);
    void startAnyValue();
    void endAnyValue();

    void keep(std::vector<std::string>& objects, std::string object);
    void beginEntry();
    void beginScope();
    void resourceDone();
    void scopeDone();
    void endEntry();
    void endSpan();
    void endEvent();
    void endMetric();
    void release();
    void counted();

    [[noreturn]] void fail(const QString& sentence) const;
    [[noreturn]] void wrongType(const Level& level, ValueType type) const;
    std::string_view needString(const Level& level, ValueType type, std::string_view text) const;
    qint64 needInteger(const Level& level, std::string_view text) const;
    qint64 needUnixNano(const Level& level, ValueType type, std::string_view text) const;
    double needDouble(const Level& level, ValueType type, std::string_view text) const;
    qint64 needEnum(const Level& level, ValueType type, std::string_view text) const;
    void needId(const Level& level, ValueType type, std::string_view text, size_t bytes,
                std::string& id) const;
    void checkLength(size_t length) const;

    const ImportControl& m_control;
    SpanWriter& m_spans;
    MetricWriter& m_metrics;
    rapidjson::MemoryStream* m_stream = nullptr;
    qint64 m_bomLength = 0;

    std::vector<Level> m_stack;
    int m_skipDepth = 0;     // inside a value Lundi does not read, this many levels deep
    int m_anyValueDepth = 0; // AnyValues nested in each other
    bool m_sawTraces = false;
    bool m_sawMetrics = false;
    qint64 m_logDocuments = 0;
    qint64 m_profileDocuments = 0;
    qint64 m_skippedSignalOffset = -1;
    quint32 m_records = 0;

    // The resource entry being read, and what of it waits for its resource or scope.
    ResourceDraft m_resource;
    std::vector<ScopeDraft> m_scopes;
    std::vector<std::pair<SpanDraft, size_t>> m_heldSpans; // with the index of their scope
    std::vector<std::pair<MetricDraft, size_t>> m_heldMetrics;

    SpanDraft m_span;
    std::string m_eventName;
    std::string m_eventTime;
    Attributes m_eventAttributes;
    std::string m_linkTraceId;
    std::string m_linkSpanId;
    MetricDraft m_metric;
    PointDraft* m_point = nullptr;
    ExponentialBuckets* m_buckets = nullptr;
    double m_quantile = 0;
    double m_quantileValue = 0;
    bool m_hasQuantile = false;

    // Where the attribute list being read goes, and whether its resource's service.name is read.
    Attributes* m_attributes = nullptr;
    bool m_attributesOfResource = false;
    std::string m_topKey;    // the key of the resource attribute being read
    std::string m_topString; // its string value
    bool m_topIsString = false;

    // The distinct resources and scopes as JSON objects, in the order they came.
    std::vector<std::string> m_resourceObjects;
    std::vector<std::string> m_scopeObjects;
    std::unordered_set<std::string> m_seenObjects;
    qint64 m_objectsLeftOut = 0;
};

} // namespace lundi::otlp
