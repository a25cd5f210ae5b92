#pragma once

#include "traceevents.h"

#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <QString>

#include <string_view>
#include <unordered_map>

namespace lundi {
class ImportControl;
class Sink;
} // namespace lundi

namespace lundi::chrome {

class TraceBuilder;

// The SAX handler over a Chrome trace (JSON object or bare array form). Keeps what each event
// says in TraceEvents, writes counters straight to the sink, and forwards the raw JSON of args
// and of the other top-level keys to writers, so nothing is parsed into a DOM.
class TraceEventReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TraceEventReader>
{
  public:
    TraceEventReader(Sink& sink, const ImportControl& control, const rapidjson::MemoryStream& stream);

    // Reads the whole input; throws ImportError on JSON that is no trace.
    void read(std::string_view json, qsizetype bomLength);

    TraceEvents& events() { return m_events; }
    // Tells the builder of each slice added and of what ends writing ahead; before read().
    void setBuilder(TraceBuilder& builder) { m_builder = &builder; }
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
    enum class Field : quint8 {
        Other,
        Ph,
        Name,
        Cat,
        Ts,
        Dur,
        Tdur,
        Pid,
        Tid,
        Id,
        Id2,
        Args,
        Scope,
        BindingPoint,
        BindId,
        FlowIn,
        FlowOut,
        BaseTime // the top-level baseTimeNanoseconds
    };

    struct Event
    {
        char phase = 0;
        std::string name;
        std::string cat;
        std::string ts, dur, tdur;
        std::string pid, tid, id, scope, bindId;
        bool hasPid = false, hasTid = false, hasTs = false, hasDur = false, hasTdur = false;
        bool enclosing = false, flowIn = false, flowOut = false;
        bool hasCorrelation = false;
        qint64 correlation = 0; // args.correlation (Kineto)
        ArgsRef args;
        void clear();
    };

    bool scalar(std::string_view text, bool isString);
    void beginCapture(rapidjson::Writer<rapidjson::StringBuffer>& writer);
    void startArgsCapture();
    void endEventValue();
    bool endCaptured(bool written);
    bool endSkipped();
    void rejectScalarEvents() const;
    void finishEvent();
    void addCounter(const Event& event, qint64 timeNs);
    void addMetadata(const Event& event);
    void readBaseTime(std::string_view text);
    void readCorrelation(std::string_view text);
    quint32 findLane(TrackKind kind, const std::string& pid, const std::string& tid);
    void problem(const char* sentence) { ++m_events.problems[sentence]; }

    Sink& m_sink;
    const ImportControl& m_control;
    TraceBuilder* m_builder = nullptr;
    const rapidjson::MemoryStream& m_stream;
    TraceEvents m_events;
    std::unordered_map<std::string, quint32> m_laneIndex;
    std::unordered_map<std::string, SeriesId> m_series;
    std::string m_laneKey;
    quint32 m_lastLane = std::numeric_limits<quint32>::max();

    int m_depth = 0;
    int m_eventsDepth = -1; // depth of the events array's elements, once inside it
    bool m_rootIsObject = false;
    bool m_sawEvents = false;
    bool m_sampledProfile = false; // a top-level "samples" key (V8, Hermes)
    bool m_sawBaseTime = false;
    bool m_baseTimeRead = false;
    bool m_inEvent = false;
    int m_skipUntil = -1; // skipping a value we do not read, until the depth drops back here
    Field m_field = Field::Other;
    Event m_event;
    quint32 m_order = 0;

    // A value being copied as JSON text (args, id2, or a top-level key for the metadata).
    rapidjson::Writer<rapidjson::StringBuffer>* m_capture = nullptr;
    int m_captureDepth = -1;
    rapidjson::StringBuffer m_argsBuffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_argsWriter;
    rapidjson::StringBuffer m_metaBuffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_metaWriter;
    bool m_capturingArgs = false;
    quint64 m_argKeys = 0;
    bool m_correlationNext = false; // the args' next first-level value is their "correlation"
    bool m_capturingId2 = false;
};

} // namespace lundi::chrome
