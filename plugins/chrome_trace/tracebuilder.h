#pragma once

#include "traceevents.h"

#include <QString>

#include <vector>

namespace lundi {
class ImportControl;
class Sink;
} // namespace lundi

namespace lundi::chrome {

// Turns the events of a whole trace into tracks, properly nested spans and flows: matches B/E
// (and async b/e, S/F) pairs per lane, nests each lane's slices by time, binds flow events to
// their slices, and reports what it had to mend or leave out as warnings. PyTorch profiler
// (Kineto) traces get a GPU track per stream under its device, launch-to-kernel flows, and
// their times moved to the epoch by baseTimeNanoseconds.
class TraceBuilder
{
  public:
    TraceBuilder(TraceEvents& events, Sink& sink, const ImportControl& control, qint64 inputSize);
    void build();

  private:
    // Where a lane's slices ended up, for binding flows: by position in start order.
    struct Placed
    {
        std::vector<qint64> starts;
        std::vector<qint64> ends;
        std::vector<qint32> parents;
        std::vector<SpanId> spans;
    };

    qint64 baseTime();
    const std::string* threadName(const Lane& lane) const;
    QString deviceOf(const Lane& lane) const;
    void matchMarks(Lane& lane);
    std::vector<size_t> laneOrder() const;
    TrackSpec trackFor(const Lane& lane, const QString& device, int sortIndex) const;
    void addSpans(Lane& lane, TrackId track, bool flat, Placed* placed);
    void addCorrelationFlows();
    SpanId bind(const FlowStep& step) const;
    void addFlows();
    void warn();
    ArgsRef mergeArgs(ArgsRef begin, ArgsRef end);
    void problem(const char* sentence) { ++m_events.problems[sentence]; }

    TraceEvents& m_events;
    Sink& m_sink;
    const ImportControl& m_control;
    qint64 m_inputSize;
    std::vector<Placed> m_placed;   // by lane; filled only for lanes that flows refer to
    std::vector<QString> m_devices; // by lane: the device of a GPU lane ("GPU 0"), else empty
    qint64 m_baseNs = 0;
    qint64 m_spansAdded = 0;
};

} // namespace lundi::chrome
