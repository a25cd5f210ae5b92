#pragma once

// What TraceEventReader collects from a Chrome trace, compact enough for millions of events,
// for TraceBuilder to turn into tracks, nested spans and flows once the whole file is read (or,
// for the slices of a large plain trace, while it is read).

#include "model.h"

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace lundi::chrome {

// Where an event's args JSON sits in TraceEvents::args.
struct ArgsRef
{
    quint64 offset = 0;
    quint32 length = 0;
    quint64 keys = 0; // hash of the first-level keys in order (SpanSpec::attributeKeys)
};

// A duration (X, or B/E once matched) or an instant, on one lane.
struct Slice
{
    qint64 startNs = 0;
    qint64 durNs = 0;
    StringId name = 0;
    StringId cat = 0;
    ArgsRef args;
    quint32 order = 0; // position in the file: ties keep file order
};

// A B or E event, matched per thread after the whole file is read (files need not be sorted).
struct Mark
{
    qint64 timeNs = 0;
    StringId name = 0;
    StringId cat = 0;
    ArgsRef args;
    quint32 order = 0;
    bool begin = false;
};

// A flow event: v1 s/t/f, or a v2 bind_id on a slice (bound to the slice that carries it).
struct FlowStep
{
    qint64 timeNs = 0;
    quint32 lane = 0;
    quint32 order = 0;
    char phase = 0;         // 's', 't', 'f'; for v2 'i' (flow_in), 'o' (flow_out), 'b' (both)
    bool enclosing = false; // bind to the enclosing slice rather than the next one
    std::string key;        // cat and id (v1) or bind_id (v2)
    StringId name = 0;      // v1: the event's name (e.g. "ac2g"); v2: none
};

// A timeline lane: a thread, a process's own instants, the global instants, or an async id.
struct Lane
{
    TrackKind kind = TrackKind::Thread;
    std::string pid;
    std::string tid;   // the thread id, or the async id
    std::string title; // async lanes: the first event's name
    std::vector<Slice> slices;
    std::vector<Mark> marks;                            // B/E, or async b/e and S/F
    qint64 lastNs = std::numeric_limits<qint64>::min(); // latest time seen: closes what stays open
};

struct ProcessInfo
{
    std::string name;
    std::string labels; // Kineto: "CPU", or the device ("GPU 0", "MTIA 17")
    int sortIndex = 0;
};

// A slice whose args carry Kineto's "correlation": the id that ties a CPU-side launch to the
// device activity it caused, for traces that have no ac2g flow events.
struct Correlated
{
    qint64 correlation = 0;
    qint64 timeNs = 0;
    quint32 lane = 0;
    quint32 order = 0;
};

// A counter value, written once the whole file is read (baseTimeNanoseconds may come last).
struct CounterSample
{
    SeriesId series = 0;
    qint64 timeNs = 0;
    double value = 0;
};

struct ThreadInfo
{
    std::string name;
    int sortIndex = 0;
    bool hasSortIndex = false;
};

struct TraceEvents
{
    std::vector<Lane> lanes;
    std::string args; // every captured args object, back to back (but those written ahead)
    std::vector<FlowStep> flows;
    std::vector<Correlated> correlated;
    std::vector<CounterSample> samples;
    qint64 baseNs = 0;                            // Kineto's baseTimeNanoseconds: the epoch time of ts 0
    std::map<std::string, ProcessInfo> processes; // by pid
    std::map<std::pair<std::string, std::string>, ThreadInfo> threads; // by pid, tid
    std::map<std::string, qint64> ignored;  // events not understood, by phase (or M name)
    std::map<std::string, qint64> problems; // odd input that was skipped or mended, by kind
};

} // namespace lundi::chrome
