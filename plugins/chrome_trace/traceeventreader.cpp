#include "traceeventreader.h"
#include "timeparse.h"
#include "toplevelscalars.h"
#include "tracebuilder.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"
#include "ingest/sink.h"

#include <rapidjson/error/en.h>

#include <charconv>
#include <cstring>

namespace lundi::chrome {

namespace {

using rapidjson::SizeType;

constexpr unsigned ParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag |
                                rapidjson::kParseTrailingCommasFlag;

// The tid of the lane of global instants ("s": "g"), which belong to no process.
const std::string GlobalLane = "global";

// Keys are matched by length first, then by a fixed-size compare: this runs for every key.
template <size_t N> bool is(std::string_view text, const char (&word)[N])
{
    return text.size() == N - 1 && std::memcmp(text.data(), word, N - 1) == 0;
}

} // namespace

void TraceEventReader::Event::clear()
{
    phase = 0;
    name.clear();
    cat.clear();
    ts.clear();
    dur.clear();
    tdur.clear();
    pid.clear();
    tid.clear();
    id.clear();
    scope.clear();
    bindId.clear();
    hasPid = hasTid = hasTs = hasDur = hasTdur = false;
    enclosing = flowIn = flowOut = false;
    hasCorrelation = false;
    correlation = 0;
    args = {};
}

TraceEventReader::TraceEventReader(Sink& sink, const ImportControl& control,
                                   const rapidjson::MemoryStream& stream)
    : m_sink(sink), m_control(control), m_stream(stream), m_argsWriter(m_argsBuffer),
      m_metaWriter(m_metaBuffer)
{
}

void TraceEventReader::read(std::string_view json, qsizetype bomLength)
{
    rapidjson::MemoryStream& stream = const_cast<rapidjson::MemoryStream&>(m_stream);
    rapidjson::Reader reader;
    const rapidjson::ParseResult result = reader.Parse<ParseFlags>(stream, *this);
    if (result.IsError()) {
        const size_t offset = result.Offset();
        const bool onlySpaceLeft =
            json.find_first_not_of(" \t\r\n", std::min(offset, json.size())) == std::string_view::npos;
        const bool betweenEvents =
            m_eventsDepth >= 0 && m_depth == m_eventsDepth && !m_inEvent && !m_capture && m_skipUntil < 0;
        if (!(onlySpaceLeft && betweenEvents)) {
            if (onlySpaceLeft && m_inEvent)
                throw ImportError(
                    QStringLiteral("the trace ends in the middle of an event (the file is cut short)"),
                    qint64(offset) + bomLength);
            throw ImportError(QStringLiteral("this is not valid JSON: %1")
                                  .arg(QString::fromUtf8(rapidjson::GetParseError_En(result.Code())))
                                  .chopped(1),
                              qint64(offset) + bomLength);
        }
        // The format lets a tracer that died leave the array open: keep what was written.
        m_sink.warn(
            QStringLiteral("The trace ends without closing its event array (a truncated trace, which the "
                           "format allows); every complete event was imported."));
        if (m_rootIsObject)
            m_metaWriter.EndObject();
    }
    if (m_sawBaseTime && !m_baseTimeRead)
        problem("The trace's \"baseTimeNanoseconds\" is not a whole number of nanoseconds since 1970; its "
                "times were left relative to the trace's own zero.");
    if (m_sampledProfile)
        m_sink.warn(
            QStringLiteral("The trace's top-level \"samples\" (a sampled CPU profile) were not imported as "
                           "stacks (Lundi does not read sampled profiles yet); they are kept in the source's "
                           "metadata."));
    if (m_rootIsObject && !m_sawEvents)
        throw ImportError(
            QStringLiteral("the JSON object has no \"traceEvents\" array, so it is no Chrome trace"), 0);
}

QByteArray TraceEventReader::metadataJson() const
{
    if (!m_rootIsObject || !m_metaWriter.IsComplete())
        return QByteArrayLiteral("{}");
    return QByteArray(m_metaBuffer.GetString(), qsizetype(m_metaBuffer.GetSize()));
}

quint32 TraceEventReader::findLane(TrackKind kind, const std::string& pid, const std::string& tid)
{
    // Consecutive events mostly share a thread: skip building the key for those.
    if (m_lastLane < m_events.lanes.size()) {
        const Lane& last = m_events.lanes[m_lastLane];
        if (last.kind == kind && last.pid == pid && last.tid == tid)
            return m_lastLane;
    }
    m_laneKey.assign(1, char('0' + int(kind)));
    m_laneKey += pid;
    m_laneKey += '\x1f';
    m_laneKey += tid;
    auto [it, inserted] = m_laneIndex.try_emplace(m_laneKey, quint32(m_events.lanes.size()));
    if (inserted) {
        Lane lane;
        lane.kind = kind;
        lane.pid = pid;
        lane.tid = tid;
        m_events.lanes.push_back(std::move(lane));
    }
    m_lastLane = it->second;
    return it->second;
}

void TraceEventReader::beginCapture(rapidjson::Writer<rapidjson::StringBuffer>& writer)
{
    m_capture = &writer;
    m_captureDepth = m_depth;
}

void TraceEventReader::rejectScalarEvents() const
{
    if (m_eventsDepth == -2)
        throw ImportError(QStringLiteral("\"traceEvents\" is a single value, not an array of events"),
                          qint64(m_stream.Tell()));
}

// Args (or id2) are copied as JSON text; the args' first-level keys are hashed on the way.
void TraceEventReader::startArgsCapture()
{
    m_argsBuffer.Clear();
    m_argsWriter.Reset(m_argsBuffer);
    m_argKeys = 0xcbf29ce484222325ull; // FNV-1a offset basis
    m_correlationNext = false;
    (m_field == Field::Args ? m_capturingArgs : m_capturingId2) = true;
}

// A value of an event field has been read completely (scalar, or captured object).
void TraceEventReader::endEventValue()
{
    if (m_capturingArgs) {
        m_capturingArgs = false;
        m_correlationNext = false;
        m_event.args = {m_events.args.size(), quint32(m_argsBuffer.GetSize()), m_argKeys | 2};
        m_events.args.append(m_argsBuffer.GetString(), m_argsBuffer.GetSize());
    } else if (m_capturingId2) {
        m_capturingId2 = false;
        m_event.id.assign(m_argsBuffer.GetString(), m_argsBuffer.GetSize());
    }
}

bool TraceEventReader::scalar(std::string_view text, bool isString)
{
    if (m_depth == 0)
        throw ImportError(
            QStringLiteral("the JSON is a single value, not a Chrome trace object or event array"), 0);
    if (m_rootIsObject && m_depth == 1) { // a top-level key's value: metadata
        rejectScalarEvents();
        if (m_field == Field::BaseTime)
            readBaseTime(text);
        isString ? m_metaWriter.String(text.data(), SizeType(text.size()), true)
                 : m_metaWriter.RawValue(text.data(), text.size(), rapidjson::kNumberType);
        return true;
    }
    if (!m_inEvent || m_depth != m_eventsDepth + 1) {
        if (m_depth == m_eventsDepth)
            problem("An item of the event array is not an object; it was skipped.");
        return true;
    }
    switch (m_field) {
    case Field::Ph:
        m_event.phase = text.size() == 1 ? text[0] : '?';
        break;
    case Field::Name:
        m_event.name.assign(text);
        break;
    case Field::Cat:
        m_event.cat.assign(text);
        break;
    case Field::Ts:
        m_event.ts.assign(text);
        m_event.hasTs = true;
        break;
    case Field::Dur:
        m_event.dur.assign(text);
        m_event.hasDur = true;
        break;
    case Field::Tdur:
        m_event.tdur.assign(text);
        m_event.hasTdur = true;
        break;
    case Field::Pid:
        m_event.pid.assign(text);
        m_event.hasPid = true;
        break;
    case Field::Tid:
        m_event.tid.assign(text);
        m_event.hasTid = true;
        break;
    case Field::Id:
        m_event.id.assign(text);
        break;
    case Field::Scope:
        m_event.scope.assign(text);
        break;
    case Field::BindingPoint:
        m_event.enclosing = text == "e";
        break;
    case Field::BindId:
        m_event.bindId.assign(text);
        break;
    case Field::Args:
    case Field::Id2: {
        startArgsCapture();
        isString ? m_argsWriter.String(text.data(), SizeType(text.size()), true)
                 : m_argsWriter.RawValue(text.data(), text.size(), rapidjson::kNumberType);
        endEventValue();
        break;
    }
    case Field::FlowIn:
    case Field::FlowOut:
    case Field::BaseTime:
    case Field::Other:
        break;
    }
    return true;
}

bool TraceEventReader::Null()
{
    if (m_capture)
        return m_capture->Null();
    if (m_skipUntil >= 0)
        return true;
    if (m_rootIsObject && m_depth == 1) {
        rejectScalarEvents();
        return m_metaWriter.Null();
    }
    if (m_depth == 0)
        return scalar("null", false);
    if (m_inEvent && m_depth == m_eventsDepth + 1 && m_field == Field::Args)
        return scalar("null", false);
    if (m_depth == m_eventsDepth && !m_inEvent)
        problem("An item of the event array is not an object; it was skipped.");
    return true;
}

bool TraceEventReader::Bool(bool value)
{
    if (m_capture)
        return m_capture->Bool(value);
    if (m_skipUntil >= 0)
        return true;
    if (m_rootIsObject && m_depth == 1) {
        rejectScalarEvents();
        return m_metaWriter.Bool(value);
    }
    if (m_inEvent && m_depth == m_eventsDepth + 1) {
        if (m_field == Field::FlowIn)
            m_event.flowIn = value;
        else if (m_field == Field::FlowOut)
            m_event.flowOut = value;
        else if (m_field == Field::Args)
            return scalar(value ? "true" : "false", false);
        return true;
    }
    return scalar(value ? "true" : "false", false);
}

bool TraceEventReader::RawNumber(const char* text, SizeType length, bool)
{
    if (m_capture) {
        if (m_correlationNext && m_depth == m_captureDepth + 1)
            readCorrelation({text, length});
        return m_capture->RawValue(text, length, rapidjson::kNumberType);
    }
    if (m_skipUntil >= 0)
        return true;
    return scalar({text, length}, false);
}

bool TraceEventReader::String(const char* text, SizeType length, bool copy)
{
    if (m_capture)
        return m_capture->String(text, length, copy);
    if (m_skipUntil >= 0)
        return true;
    return scalar({text, length}, true);
}

bool TraceEventReader::Key(const char* text, SizeType length, bool copy)
{
    if (m_capture) {
        if (m_capturingArgs && m_depth == m_captureDepth + 1) {
            // FNV-1a over the keys, so spans with the same keys are classified once.
            for (SizeType i = 0; i < length; ++i)
                m_argKeys = (m_argKeys ^ quint8(text[i])) * 0x100000001b3ull;
            m_argKeys = (m_argKeys ^ 0xff) * 0x100000001b3ull;
            m_correlationNext = is({text, length}, "correlation");
        }
        return m_capture->Key(text, length, copy);
    }
    if (m_skipUntil >= 0)
        return true;
    const std::string_view key(text, length);
    if (m_rootIsObject && m_depth == 1) {
        if (key == "traceEvents" && !m_sawEvents) {
            m_sawEvents = true;
            m_eventsDepth = -2; // set once its array starts
            return true;
        }
        m_field = key == "baseTimeNanoseconds" ? Field::BaseTime : Field::Other;
        if (m_field == Field::BaseTime) {
            m_sawBaseTime = true;
            m_builder->holdAll(); // the times written ahead would move
        }
        m_sampledProfile = m_sampledProfile || key == "samples";
        return m_metaWriter.Key(text, length, true);
    }
    if (!m_inEvent || m_depth != m_eventsDepth + 1)
        return true;
    switch (length) {
    case 1:
        m_field = key == "s" ? Field::Scope : Field::Other;
        break;
    case 2:
        m_field = is(key, "ph")   ? Field::Ph
                  : is(key, "ts") ? Field::Ts
                  : is(key, "id") ? Field::Id
                  : is(key, "bp") ? Field::BindingPoint
                                  : Field::Other;
        break;
    case 3:
        m_field = is(key, "cat")   ? Field::Cat
                  : is(key, "dur") ? Field::Dur
                  : is(key, "pid") ? Field::Pid
                  : is(key, "tid") ? Field::Tid
                  : is(key, "id2") ? Field::Id2
                                   : Field::Other;
        break;
    case 4:
        m_field = is(key, "name")   ? Field::Name
                  : is(key, "args") ? Field::Args
                  : is(key, "tdur") ? Field::Tdur
                                    : Field::Other;
        break;
    case 7:
        m_field = is(key, "bind_id") ? Field::BindId : is(key, "flow_in") ? Field::FlowIn : Field::Other;
        break;
    case 8:
        m_field = is(key, "flow_out") ? Field::FlowOut : Field::Other;
        break;
    default:
        m_field = Field::Other;
    }
    return true;
}

bool TraceEventReader::StartObject()
{
    if (m_capture) {
        ++m_depth;
        return m_capture->StartObject();
    }
    if (m_skipUntil >= 0) {
        ++m_depth;
        return true;
    }
    if (m_depth == 0) {
        m_rootIsObject = true;
        m_metaWriter.StartObject();
    } else if (m_rootIsObject && m_depth == 1) {
        if (m_eventsDepth == -2)
            throw ImportError(QStringLiteral("\"traceEvents\" is an object, not an array of events"),
                              qint64(m_stream.Tell()) - 1);
        beginCapture(m_metaWriter);
        ++m_depth;
        return m_metaWriter.StartObject();
    } else if (m_depth == m_eventsDepth && !m_inEvent) {
        m_inEvent = true;
        m_event.clear();
        m_field = Field::Other;
    } else if (m_inEvent && m_depth == m_eventsDepth + 1 &&
               (m_field == Field::Args || m_field == Field::Id2)) {
        startArgsCapture();
        beginCapture(m_argsWriter);
        ++m_depth;
        return m_argsWriter.StartObject();
    } else {
        m_skipUntil = m_depth;
    }
    ++m_depth;
    return true;
}

bool TraceEventReader::endCaptured(bool written)
{
    if (m_depth == m_captureDepth) {
        m_capture = nullptr;
        endEventValue();
    }
    return written;
}

bool TraceEventReader::endSkipped()
{
    if (m_depth == m_skipUntil)
        m_skipUntil = -1;
    return true;
}

bool TraceEventReader::EndObject(SizeType members)
{
    --m_depth;
    if (m_capture)
        return endCaptured(m_capture->EndObject(members));
    if (m_skipUntil >= 0)
        return endSkipped();
    if (m_depth == 0 && m_rootIsObject)
        return m_metaWriter.EndObject(members);
    if (m_inEvent && m_depth == m_eventsDepth) {
        m_inEvent = false;
        finishEvent();
    }
    return true;
}

bool TraceEventReader::StartArray()
{
    if (m_capture) {
        ++m_depth;
        return m_capture->StartArray();
    }
    if (m_skipUntil >= 0) {
        ++m_depth;
        return true;
    }
    if (m_depth == 0) {
        m_eventsDepth = 1;
    } else if (m_rootIsObject && m_depth == 1) {
        if (m_eventsDepth == -2) {
            m_eventsDepth = 2;
        } else {
            beginCapture(m_metaWriter);
            ++m_depth;
            return m_metaWriter.StartArray();
        }
    } else if (m_inEvent && m_depth == m_eventsDepth + 1 && m_field == Field::Args) {
        startArgsCapture();
        beginCapture(m_argsWriter);
        ++m_depth;
        return m_argsWriter.StartArray();
    } else {
        if (m_depth == m_eventsDepth && !m_inEvent)
            problem("An item of the event array is not an object; it was skipped.");
        m_skipUntil = m_depth;
    }
    ++m_depth;
    return true;
}

bool TraceEventReader::EndArray(SizeType elements)
{
    --m_depth;
    if (m_capture)
        return endCaptured(m_capture->EndArray(elements));
    if (m_skipUntil >= 0)
        return endSkipped();
    if (m_depth == m_eventsDepth - 1)
        m_eventsDepth = -1; // the event array is closed
    return true;
}

void TraceEventReader::finishEvent()
{
    const quint32 order = m_order++;
    if ((order & 0xffff) == 0)
        m_control.progress(qint64(m_stream.Tell()));
    Event& e = m_event;
    if (e.phase == 0) {
        problem("An event has no \"ph\" (phase); it was skipped.");
        return;
    }
    if (e.phase == 'M') {
        addMetadata(e);
        return;
    }
    if (!e.hasTs) {
        problem("An event has no \"ts\"; it was skipped.");
        return;
    }
    const auto ts = microsecondsToNs(e.ts);
    if (!ts) {
        problem("An event's \"ts\" is not a number of microseconds within ±292 years; it was skipped.");
        return;
    }
    const auto laneFor = [&](TrackKind kind, const std::string& tid) -> Lane& {
        Lane& lane = m_events.lanes[findLane(kind, e.pid, tid)];
        lane.lastNs = std::max(lane.lastNs, *ts);
        return lane;
    };
    const auto instant = [&](Lane& lane) {
        lane.slices.push_back(
            {*ts, 0, m_sink.intern(e.name), e.cat.empty() ? 0 : m_sink.intern(e.cat), e.args, order});
        m_builder->sliceAdded(quint32(&lane - m_events.lanes.data()));
    };

    switch (e.phase) {
    case 'X': {
        qint64 dur = 0;
        if (const auto parsed = microsecondsToNs(e.hasDur ? e.dur : e.tdur);
            parsed && (e.hasDur || e.hasTdur))
            dur = *parsed;
        else if (e.hasDur || e.hasTdur)
            problem("An X event's \"dur\" is not a number; it was taken as 0.");
        else
            problem("An X event has no \"dur\"; it was taken as 0.");
        if (dur < 0) {
            problem("An X event has a negative \"dur\"; it was taken as 0.");
            dur = 0;
        }
        if (*ts > 0 && dur > std::numeric_limits<qint64>::max() - *ts) {
            problem("An X event ends beyond the year 2262; it was skipped.");
            return;
        }
        const quint32 index = findLane(TrackKind::Thread, e.pid, e.tid);
        Lane& lane = m_events.lanes[index];
        lane.lastNs = std::max(lane.lastNs, *ts + dur);
        lane.slices.push_back(
            {*ts, dur, m_sink.intern(e.name), e.cat.empty() ? 0 : m_sink.intern(e.cat), e.args, order});
        if (e.hasCorrelation) {
            m_events.correlated.push_back({e.correlation, *ts, index, order});
            m_builder->holdAll(); // launch-to-kernel flows bind to slices once all are read
        }
        m_builder->sliceAdded(index);
        break;
    }
    case 'B':
    case 'E': {
        m_builder->holdAll(); // pairs are matched once all are read
        Lane& lane = laneFor(TrackKind::Thread, e.tid);
        // A begin becomes a span and needs a name, even "" (as an X event); an end without a
        // name (0) closes whatever is open.
        const bool begin = e.phase == 'B';
        lane.marks.push_back({*ts, e.name.empty() && !begin ? 0 : m_sink.intern(e.name),
                              e.cat.empty() ? 0 : m_sink.intern(e.cat), e.args, order, begin});
        break;
    }
    case 'i':
    case 'I':
    case 'R':
        if (e.scope == "g") {
            Lane& lane = m_events.lanes[findLane(TrackKind::Process, {}, GlobalLane)];
            lane.lastNs = std::max(lane.lastNs, *ts);
            instant(lane);
        } else if (e.scope == "p") {
            instant(laneFor(TrackKind::Process, {}));
        } else {
            instant(laneFor(TrackKind::Thread, e.tid));
        }
        break;
    case 'C':
        addCounter(e, *ts);
        break;
    case 'b':
    case 'e':
    case 'n':
    case 'S':
    case 'F':
    case 'T':
    case 'p': {
        m_builder->holdAll();
        // Async slices of one id live on a lane of their own.
        Lane& lane = laneFor(TrackKind::Async, e.cat + ':' + e.id);
        const StringId name = m_sink.intern(e.name);
        if (lane.title.empty())
            lane.title = e.name;
        const bool begin = e.phase == 'b' || e.phase == 'S';
        if (e.phase == 'n' || e.phase == 'T' || e.phase == 'p')
            instant(lane);
        else
            lane.marks.push_back({*ts, e.name.empty() && !begin ? 0 : name,
                                  e.cat.empty() ? 0 : m_sink.intern(e.cat), e.args, order, begin});
        break;
    }
    case 's':
    case 't':
    case 'f':
        m_builder->holdAll(); // flows bind to slices once all are read
        laneFor(TrackKind::Thread, e.tid);
        m_events.flows.push_back({*ts, findLane(TrackKind::Thread, e.pid, e.tid), order, e.phase,
                                  e.phase == 's' || e.enclosing, e.cat + '\x1f' + e.id,
                                  e.name.empty() ? 0 : m_sink.intern(e.name)});
        break;
    default:
        ++m_events.ignored[std::string(1, e.phase)];
        return;
    }
    if (!e.bindId.empty() && (e.flowIn || e.flowOut) && (e.phase == 'X' || e.phase == 'B')) {
        m_builder->holdAll();
        m_events.flows.push_back({*ts, findLane(TrackKind::Thread, e.pid, e.tid), order,
                                  e.flowIn && e.flowOut ? 'b'
                                  : e.flowIn            ? 'i'
                                                        : 'o',
                                  true, e.bindId});
    }
}

void TraceEventReader::addCounter(const Event& event, qint64 timeNs)
{
    const std::string_view args(m_events.args.data() + event.args.offset, event.args.length);
    for (const auto& [key, value] : TopLevelScalars::read(args)) {
        char* end = nullptr;
        const std::string text(value);
        const double number = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) {
            problem("A counter value is not a number; it was skipped.");
            continue;
        }
        const std::string seriesKey = event.pid + '\x1f' + event.name + '\x1f' + event.id + '\x1f' + key;
        auto [it, inserted] = m_series.try_emplace(seriesKey, 0);
        if (inserted) {
            rapidjson::StringBuffer labels;
            rapidjson::Writer<rapidjson::StringBuffer> writer(labels);
            writer.StartObject();
            writer.Key("pid");
            writer.String(event.pid.c_str(), SizeType(event.pid.size()));
            writer.Key("arg");
            writer.String(key.c_str(), SizeType(key.size()));
            if (!event.id.empty()) {
                writer.Key("id");
                writer.String(event.id.c_str(), SizeType(event.id.size()));
            }
            writer.EndObject();
            SeriesSpec spec;
            // A counter without a name is named after its value's key, as Perfetto shows it.
            spec.name = QString::fromStdString(!event.name.empty() ? event.name
                                               : !key.empty()      ? key
                                                                   : std::string("counter"));
            spec.labelsJson = QByteArray(labels.GetString(), qsizetype(labels.GetSize()));
            it->second = m_sink.addSeries(spec);
        }
        m_events.samples.push_back({it->second, timeNs, number});
    }
}

void TraceEventReader::addMetadata(const Event& event)
{
    const std::string_view args(m_events.args.data() + event.args.offset, event.args.length);
    const auto values = TopLevelScalars::read(args);
    const auto value = [&](std::string_view key) -> std::string {
        for (const auto& [k, v] : values) {
            if (k == key)
                return v;
        }
        return {};
    };
    const auto sortIndex = [&] { return int(std::strtol(value("sort_index").c_str(), nullptr, 10)); };
    if (event.name == "process_name") {
        m_events.processes[event.pid].name = value("name");
    } else if (event.name == "process_labels") {
        m_events.processes[event.pid].labels = value("labels");
    } else if (event.name == "process_sort_index") {
        m_events.processes[event.pid].sortIndex = sortIndex();
    } else if (event.name == "thread_name") {
        m_events.threads[{event.pid, event.tid}].name = value("name");
    } else if (event.name == "thread_sort_index") {
        ThreadInfo& thread = m_events.threads[{event.pid, event.tid}];
        thread.sortIndex = sortIndex();
        thread.hasSortIndex = true;
    } else {
        ++m_events.ignored["M " + event.name];
    }
}

void TraceEventReader::readBaseTime(std::string_view text)
{
    qint64 base = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), base);
    if (error == std::errc() && end == text.data() + text.size() && base >= 0) {
        m_events.baseNs = base;
        m_baseTimeRead = true;
    }
}

void TraceEventReader::readCorrelation(std::string_view text)
{
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), m_event.correlation);
    m_event.hasCorrelation = error == std::errc() && end == text.data() + text.size();
    m_correlationNext = false;
}

} // namespace lundi::chrome
