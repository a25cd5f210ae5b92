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
//
// Writing ahead: a large trace is not held whole until its end. While it is read, a lane that
// has gathered many slices has its earlier ones (in start order) written, on the guess that no
// later slice of the lane sorts before them; the row inserter's thread then writes while the
// reader parses. Only plain traces are written ahead: B/E pairs, flows, Kineto's correlations or
// baseTimeNanoseconds end it. If the guess fails (a slice that sorts before what was written, a
// lane that turns out to be a GPU stream), build() or slice() throws GuessedWrong: the caller
// rewinds the sink and imports again without writing ahead, so the result is always the same.
class TraceBuilder
{
  public:
    struct GuessedWrong
    {
    };

    // writeAhead: the sink can rewind (Sink::canRewind()) and this is the first attempt.
    TraceBuilder(TraceEvents& events, Sink& sink, const ImportControl& control, qint64 inputSize,
                 bool writeAhead);
    // While the reader reads: a slice was added to the lane (at the end of its slices).
    void sliceAdded(quint32 lane);
    // While the reader reads: the trace is not plain, so nothing more is written ahead.
    void holdAll();
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

    // A lane's slices are written in start order, each nested in the enclosing slice written
    // before it; the state between two parts of the lane written at different times.
    struct Sweep
    {
        TrackId track = 0; // 0: nothing written yet
        bool flat = false;
        std::vector<std::pair<qint64, SpanId>> open; // end and span of the enclosing slices
        std::vector<qint32> openPositions;
        qint32 written = 0;
        Slice last; // the last one written: every later slice must sort after it
    };

    qint64 baseTime();
    const std::string* threadName(const Lane& lane) const;
    QString deviceOf(const Lane& lane) const;
    void matchMarks(Lane& lane);
    std::vector<size_t> laneOrder() const;
    TrackSpec trackFor(const Lane& lane, const QString& device, int sortIndex) const;
    void writeAhead(quint32 index);
    void compactArgs();
    void addSpans(const Lane& lane, Sweep& sweep, size_t count, Placed* placed);
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
    bool m_writeAhead;
    bool m_wroteAhead = false;
    std::vector<Sweep> m_sweeps; // by lane
    size_t m_compactArgsAt;
};

} // namespace lundi::chrome
