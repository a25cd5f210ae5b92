#include "tracebuilder.h"

#include "ingest/importcontrol.h"
#include "ingest/sink.h"

#include <QString>

#include <algorithm>
#include <charconv>
#include <map>

namespace lundi::chrome {

namespace {

// A lane writes ahead once it holds twice this many slices, and keeps this many back: a parent
// comes after its children (live tracers write a slice when it ends), so the latest slices wait
// for theirs.
constexpr size_t KeptBack = 8192;
// Once the args arena has grown to this, the args of the slices written ahead leave it.
constexpr size_t ArgsCompaction = size_t(8) << 20;

// The order slices are written in: by start, longer first at equal starts (so that a parent
// precedes its children), then in file order. A lambda, so that std::sort inlines it.
constexpr auto inStartOrder = [](const Slice& a, const Slice& b) {
    return a.startNs != b.startNs ? a.startNs < b.startNs
           : a.durNs != b.durNs   ? a.durNs > b.durNs
                                  : a.order < b.order;
};

// Sorts the slices of a lane whose first `sorted` are in order already (those kept back when it
// last wrote ahead): the others are sorted and merged in.
void sortSlices(std::vector<Slice>& slices, size_t sorted)
{
    const auto middle = slices.begin() + qsizetype(std::min(sorted, slices.size()));
    std::sort(middle, slices.end(), inStartOrder);
    std::inplace_merge(slices.begin(), middle, slices.end(), inStartOrder);
}

// pids and tids sort as numbers where they are numbers, after that as text.
std::pair<qint64, std::string_view> idOrder(const std::string& id)
{
    qint64 number = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
    if (error == std::errc() && end == id.data() + id.size())
        return {number, {}};
    return {std::numeric_limits<qint64>::max(), id};
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

bool isNumber(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trimmed(std::string_view text)
{
    const size_t first = text.find_first_not_of(' ');
    return first == std::string_view::npos ? std::string_view()
                                           : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// Kineto labels a device's process "GPU 0" (process_labels; older traces name the process so),
// other accelerators alike ("MTIA 17"); a CPU process is labelled "CPU".
bool isDeviceName(std::string_view text)
{
    for (const std::string_view kind : {"GPU ", "MTIA ", "HPU ", "XPU ", "NPU "}) {
        if (text.starts_with(kind))
            return isNumber(text.substr(kind.size()));
    }
    return false;
}

// A CUDA stream's lane: thread name or tid "stream 7" (Kineto writes "stream 7 ").
bool isStreamName(std::string_view text)
{
    text = trimmed(text);
    constexpr std::string_view Stream = "stream ";
    if (text.size() <= Stream.size())
        return false;
    for (size_t i = 0; i < Stream.size(); ++i) {
        if (char(text[i] | 0x20) != Stream[i])
            return false;
    }
    return isNumber(text.substr(Stream.size()));
}

const char* phaseName(const std::string& phase)
{
    static const std::map<std::string, const char*> names{
        {"P", "samples"},          {"O", "object snapshots"}, {"N", "object creations"},
        {"D", "object deletions"}, {"v", "memory dumps"},     {"V", "memory dumps"},
        {"c", "clock syncs"},      {"(", "context enters"},   {")", "context exits"},
        {"?", "unknown phases"}};
    const auto it = names.find(phase);
    return it == names.end() ? "unknown phases" : it->second;
}

} // namespace

TraceBuilder::TraceBuilder(TraceEvents& events, Sink& sink, const ImportControl& control, qint64 inputSize,
                           bool writeAhead)
    : m_events(events), m_sink(sink), m_control(control), m_inputSize(inputSize), m_writeAhead(writeAhead),
      m_compactArgsAt(ArgsCompaction)
{
}

void TraceBuilder::sliceAdded(quint32 index)
{
    if (!m_writeAhead)
        return;
    if (m_sweeps.size() <= index)
        m_sweeps.resize(index + 1);
    const Lane& lane = m_events.lanes[index];
    const Sweep& sweep = m_sweeps[index];
    if (sweep.track && !inStartOrder(sweep.last, lane.slices.back()))
        throw GuessedWrong();
    if (lane.slices.size() >= 2 * KeptBack)
        writeAhead(index);
}

void TraceBuilder::holdAll()
{
    if (m_wroteAhead)
        throw GuessedWrong();
    m_writeAhead = false;
}

void TraceBuilder::writeAhead(quint32 index)
{
    Lane& lane = m_events.lanes[index];
    Sweep& sweep = m_sweeps[index];
    sortSlices(lane.slices, sweep.track ? KeptBack : 0);
    if (!sweep.track) {
        // build() gives the track its names and place; whether it is a GPU stream must not change.
        const QString device = deviceOf(lane);
        sweep.flat = !device.isEmpty();
        sweep.track = m_sink.addTrack(trackFor(lane, device, 0));
        m_wroteAhead = true;
    }
    const size_t count = lane.slices.size() - KeptBack;
    addSpans(lane, sweep, count, nullptr);
    lane.slices.erase(lane.slices.begin(), lane.slices.begin() + qsizetype(count));
    if (m_events.args.size() >= m_compactArgsAt)
        compactArgs();
}

// The slices written keep their args in the sink; while writing ahead only slices refer to the
// arena (B/E pairs, whose args merge at the end, stop it), so the rest can move up.
void TraceBuilder::compactArgs()
{
    std::string kept;
    for (Lane& lane : m_events.lanes) {
        for (Slice& slice : lane.slices) {
            const quint64 from = slice.args.offset;
            slice.args.offset = kept.size();
            kept.append(m_events.args, from, slice.args.length);
        }
    }
    m_events.args = std::move(kept);
    m_compactArgsAt = std::max(ArgsCompaction, 2 * m_events.args.size());
}

void TraceBuilder::build()
{
    m_writeAhead = false;
    m_baseNs = baseTime();
    m_devices.reserve(m_events.lanes.size());
    for (const Lane& lane : m_events.lanes)
        m_devices.push_back(deviceOf(lane));
    m_sweeps.resize(m_events.lanes.size());
    for (size_t index = 0; index < m_sweeps.size(); ++index) {
        if (m_sweeps[index].track && m_sweeps[index].flat == m_devices[index].isEmpty())
            throw GuessedWrong();
    }
    if (m_events.flows.empty())
        addCorrelationFlows();
    m_placed.resize(m_events.lanes.size());
    std::vector<bool> flowLanes(m_events.lanes.size());
    for (const FlowStep& step : m_events.flows)
        flowLanes[step.lane] = true;
    const std::vector<size_t> order = laneOrder();
    for (size_t rank = 0; rank < order.size(); ++rank) {
        const size_t index = order[rank];
        Lane& lane = m_events.lanes[index];
        matchMarks(lane);
        Sweep& sweep = m_sweeps[index];
        if (lane.slices.empty() && !sweep.track)
            continue;
        const TrackSpec spec = trackFor(lane, m_devices[index], int(rank));
        if (sweep.track) {
            m_sink.updateTrack(sweep.track, spec);
        } else {
            sweep.track = m_sink.addTrack(spec);
            sweep.flat = spec.kind == TrackKind::Gpu;
        }
        sortSlices(lane.slices, sweep.written ? KeptBack : 0);
        addSpans(lane, sweep, lane.slices.size(), flowLanes[index] ? &m_placed[index] : nullptr);
    }
    for (const CounterSample& sample : m_events.samples)
        m_sink.addSample(sample.series, sample.timeNs + m_baseNs, sample.value);
    addFlows();
    warn();
}

// Kineto writes ts relative to baseTimeNanoseconds, the epoch time of its zero: adding it puts
// the trace on absolute time, unless that would carry an event beyond the int64 range.
qint64 TraceBuilder::baseTime()
{
    const qint64 base = m_events.baseNs;
    qint64 latest = std::numeric_limits<qint64>::min();
    for (const Lane& lane : m_events.lanes)
        latest = std::max(latest, lane.lastNs);
    for (const CounterSample& sample : m_events.samples)
        latest = std::max(latest, sample.timeNs);
    if (base > 0 && latest > std::numeric_limits<qint64>::max() - base) {
        problem("The trace's \"baseTimeNanoseconds\" would move its events beyond the year 2262; its times "
                "were left relative to the trace's own zero.");
        return 0;
    }
    return base;
}

const std::string* TraceBuilder::threadName(const Lane& lane) const
{
    const auto thread = m_events.threads.find({lane.pid, lane.tid});
    return thread != m_events.threads.end() && !thread->second.name.empty() ? &thread->second.name : nullptr;
}

QString TraceBuilder::deviceOf(const Lane& lane) const
{
    if (lane.kind != TrackKind::Thread)
        return {};
    const auto process = m_events.processes.find(lane.pid);
    if (process != m_events.processes.end()) {
        if (isDeviceName(process->second.labels))
            return fromStd(process->second.labels);
        if (isDeviceName(process->second.name))
            return fromStd(process->second.name);
    }
    // Without labels, a lane named after a CUDA stream still says that its pid is a device.
    const std::string* name = threadName(lane);
    if (isStreamName(name ? *name : lane.tid))
        return QStringLiteral("GPU %1").arg(fromStd(lane.pid));
    return {};
}

std::vector<size_t> TraceBuilder::laneOrder() const
{
    std::vector<size_t> order(m_events.lanes.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const auto key = [this](size_t index) {
        const Lane& lane = m_events.lanes[index];
        const auto process = m_events.processes.find(lane.pid);
        const auto thread = m_events.threads.find({lane.pid, lane.tid});
        const int processSort = process == m_events.processes.end() ? 0 : process->second.sortIndex;
        const int threadSort = thread == m_events.threads.end() ? 0 : thread->second.sortIndex;
        // Global instants first, devices last, each device's streams together; within a process
        // its own instants, then threads, then async lanes.
        const bool global = lane.kind == TrackKind::Process && lane.pid.empty();
        const bool device = !m_devices[index].isEmpty();
        const int kindRank = lane.kind == TrackKind::Process ? 0 : lane.kind == TrackKind::Async ? 2 : 1;
        return std::tuple(!global, device, processSort, idOrder(lane.pid), kindRank, threadSort,
                          idOrder(lane.tid));
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
    return order;
}

TrackSpec TraceBuilder::trackFor(const Lane& lane, const QString& device, int sortIndex) const
{
    TrackSpec track;
    track.kind = lane.kind;
    track.sortIndex = sortIndex; // the store orders a source's tracks by it: laneOrder's order
    track.thread = fromStd(lane.tid);
    const std::string* thread = threadName(lane);
    if (!device.isEmpty()) {
        track.kind = TrackKind::Gpu;
        track.process = device;
        const std::string_view stream = thread ? trimmed(*thread) : std::string_view();
        track.name = device + QStringLiteral(" \u00b7 ") +
                     (!stream.empty()      ? fromStd(stream)
                      : isNumber(lane.tid) ? QStringLiteral("stream ") + track.thread
                                           : track.thread);
        return track;
    }
    const auto process = m_events.processes.find(lane.pid);
    track.process = process != m_events.processes.end() && !process->second.name.empty()
                        ? fromStd(process->second.name)
                        : QStringLiteral("pid %1").arg(fromStd(lane.pid));
    switch (lane.kind) {
    case TrackKind::Async:
        track.name = fromStd(lane.title) + QStringLiteral(" (async)");
        break;
    case TrackKind::Process:
        track.name = lane.pid.empty() && lane.tid == "global" ? QStringLiteral("global instants")
                                                              : track.process + QStringLiteral(" instants");
        break;
    default:
        track.name = thread ? fromStd(*thread) : QStringLiteral("tid %1").arg(track.thread);
    }
    return track;
}

ArgsRef TraceBuilder::mergeArgs(ArgsRef begin, ArgsRef end)
{
    // An E event's args belong to the slice too (V8 puts its runtime call stats there).
    if (end.length <= 2)
        return begin;
    if (begin.length <= 2)
        return end;
    std::string& arena = m_events.args;
    if (arena[begin.offset] != '{' || arena[end.offset] != '{')
        return begin;
    std::string merged = arena.substr(begin.offset, begin.length - 1);
    merged += ',';
    merged.append(arena, end.offset + 1, end.length - 1);
    const ArgsRef ref{arena.size(), quint32(merged.size()), (begin.keys * 31) ^ end.keys};
    arena += merged;
    return ref;
}

void TraceBuilder::matchMarks(Lane& lane)
{
    if (lane.marks.empty())
        return;
    std::stable_sort(lane.marks.begin(), lane.marks.end(),
                     [](const Mark& a, const Mark& b) { return a.timeNs < b.timeNs; });
    // Thread slices nest: an E closes its B and whatever opened above it. Async slices of one
    // id may overlap: an e closes only its own b.
    const bool nested = lane.kind != TrackKind::Async;
    std::vector<const Mark*> open;
    std::vector<const Mark*> pending;
    const auto close = [&](size_t at, const Mark& end) {
        const Mark& begin = *open[at];
        lane.slices.push_back({begin.timeNs, end.timeNs - begin.timeNs, begin.name, begin.cat,
                               mergeArgs(begin.args, end.args), begin.order});
        open.erase(open.begin() + qsizetype(at));
    };
    const auto matches = [](const Mark& end, const Mark* begin) {
        return !end.name || end.name == begin->name;
    };
    for (size_t first = 0; first < lane.marks.size();) {
        size_t last = first;
        while (last < lane.marks.size() && lane.marks[last].timeNs == lane.marks[first].timeNs)
            ++last;
        // Within one timestamp, in file order: an end closes the top if it matches; otherwise it
        // waits, since tracers write the ends of one instant unordered and zero-length slices
        // may come E before B. Every close lets the waiting ends try the new top.
        pending.clear();
        const auto closeWaiting = [&] {
            for (bool progress = true; progress && !open.empty();) {
                const auto it = std::find_if(pending.begin(), pending.end(),
                                             [&](const Mark* end) { return matches(*end, open.back()); });
                progress = it != pending.end();
                if (progress) {
                    close(open.size() - 1, **it);
                    pending.erase(it);
                }
            }
        };
        for (size_t i = first; i < last; ++i) {
            const Mark& mark = lane.marks[i];
            if (mark.begin) {
                open.push_back(&mark);
            } else if (!open.empty() && matches(mark, open.back())) {
                close(open.size() - 1, mark);
                closeWaiting();
            } else {
                pending.push_back(&mark);
            }
        }
        closeWaiting();
        for (const Mark* mark : pending) {
            auto it = std::find_if(open.rbegin(), open.rend(),
                                   [&](const Mark* begin) { return matches(*mark, begin); });
            if (it == open.rend()) {
                problem(nested ? "An E event matches no open B event on its thread; it was ignored."
                               : "An async end event matches no open begin; it was ignored.");
                continue;
            }
            const size_t at = size_t(open.rend() - it) - 1;
            if (nested) {
                for (size_t above = open.size() - 1; above > at; --above) {
                    problem("An E event closed a B event of another name opened after its own; both were "
                            "closed.");
                    close(above, *mark);
                }
            }
            close(at, *mark);
        }
        first = last;
    }
    for (size_t at = open.size(); at-- > 0;) {
        problem(nested ? "A B event was never closed; its slice ends at its thread's last timestamp."
                       : "An async begin was never closed; its slice ends at the lane's last timestamp.");
        Mark end;
        end.timeNs = lane.lastNs;
        close(at, end);
    }
    lane.marks.clear();
    lane.marks.shrink_to_fit();
}

// Writes the first count slices of the lane, which are in start order and sort after those
// written before. On a GPU stream (flat) kernels may overlap without nesting (concurrent kernels,
// clock skew): each is a root of its own, never the child of another kernel.
void TraceBuilder::addSpans(const Lane& lane, Sweep& sweep, size_t count, Placed* placed)
{
    const bool nests = lane.kind != TrackKind::Async;
    std::vector<std::pair<qint64, SpanId>>& open = sweep.open;
    std::vector<qint32>& openPositions = sweep.openPositions;
    if (placed) {
        placed->starts.reserve(placed->starts.size() + count);
        placed->ends.reserve(placed->ends.size() + count);
        placed->parents.reserve(placed->parents.size() + count);
        placed->spans.reserve(placed->spans.size() + count);
    }
    SpanSpec span;
    span.track = sweep.track;
    for (size_t i = 0; i < count; ++i) {
        const Slice& slice = lane.slices[i];
        const qint64 end = slice.startNs + slice.durNs;
        while (!open.empty() && end > open.back().first) {
            if (slice.startNs < open.back().first && nests)
                problem(
                    "Two slices on one thread overlap without nesting; the later one was not made a child.");
            open.pop_back();
            openPositions.pop_back();
        }
        span.parent = open.empty() ? 0 : open.back().second;
        span.name = slice.name;
        span.cat = slice.cat;
        span.startNs = slice.startNs + m_baseNs;
        span.durNs = slice.durNs;
        span.attributesJson =
            slice.args.length > 2
                ? std::string_view(m_events.args).substr(slice.args.offset, slice.args.length)
                : std::string_view();
        span.attributeKeys = slice.args.keys;
        const SpanId id = m_sink.addSpan(span);
        if (placed) {
            placed->starts.push_back(slice.startNs);
            placed->ends.push_back(end);
            placed->parents.push_back(openPositions.empty() ? -1 : openPositions.back());
            placed->spans.push_back(id);
        }
        if (!sweep.flat) {
            open.emplace_back(end, id);
            openPositions.push_back(sweep.written);
        }
        ++sweep.written;
        // While the reader reads, it reports progress itself.
        if ((++m_spansAdded & 0xffff) == 0 && !m_writeAhead)
            m_control.progress(m_inputSize);
    }
    if (count)
        sweep.last = lane.slices[count - 1];
}

// Traces without flow events still tie launches to device work by args.correlation: the id's
// CPU-side slice starts a flow that ends at each device slice of the same id, as ac2g does.
void TraceBuilder::addCorrelationFlows()
{
    std::vector<Correlated>& correlated = m_events.correlated;
    std::sort(correlated.begin(), correlated.end(), [](const Correlated& a, const Correlated& b) {
        return a.correlation != b.correlation ? a.correlation < b.correlation : a.order < b.order;
    });
    const auto onDevice = [this](const Correlated& c) { return !m_devices[c.lane].isEmpty(); };
    const StringId name = m_sink.intern("ac2g");
    for (auto first = correlated.begin(); first != correlated.end();) {
        const auto last = std::find_if(first, correlated.end(), [&](const Correlated& c) {
            return c.correlation != first->correlation;
        });
        const auto launch = std::find_if_not(first, last, onDevice);
        if (launch != last && std::any_of(first, last, onDevice)) {
            const std::string key = "ac2g\x1f" + std::to_string(first->correlation);
            m_events.flows.push_back({launch->timeNs, launch->lane, launch->order, 's', true, key, name});
            for (auto it = first; it != last; ++it) {
                if (onDevice(*it))
                    m_events.flows.push_back({it->timeNs, it->lane, it->order, 'f', true, key, name});
            }
        }
        first = last;
    }
}

SpanId TraceBuilder::bind(const FlowStep& step) const
{
    const Placed& placed = m_placed[step.lane];
    const auto& starts = placed.starts;
    if (step.enclosing) {
        // The deepest slice that contains the time: the last one starting at or before it,
        // or one of its ancestors.
        qint32 at = qint32(std::upper_bound(starts.begin(), starts.end(), step.timeNs) - starts.begin()) - 1;
        while (at >= 0 && placed.ends[size_t(at)] < step.timeNs)
            at = placed.parents[size_t(at)];
        return at >= 0 ? placed.spans[size_t(at)] : 0;
    }
    const auto next = std::lower_bound(starts.begin(), starts.end(), step.timeNs);
    return next == starts.end() ? 0 : placed.spans[size_t(next - starts.begin())];
}

void TraceBuilder::addFlows()
{
    std::vector<FlowStep>& flows = m_events.flows;
    // At one time a flow starts before it steps and steps before it ends, whatever the file's
    // order (Kineto often writes a kernel's ac2g end before its launch's start, both in one µs).
    const auto rank = [](char phase) {
        return phase == 's' || phase == 'o' ? 0 : phase == 't' || phase == 'b' ? 1 : 2;
    };
    std::stable_sort(flows.begin(), flows.end(), [&](const FlowStep& a, const FlowStep& b) {
        return a.key != b.key                   ? a.key < b.key
               : a.timeNs != b.timeNs           ? a.timeNs < b.timeNs
               : rank(a.phase) != rank(b.phase) ? rank(a.phase) < rank(b.phase)
                                                : a.order < b.order;
    });
    for (size_t first = 0; first < flows.size();) {
        size_t last = first;
        while (last < flows.size() && flows[last].key == flows[first].key)
            ++last;
        SpanId from = 0;   // v1: the chain so far; v2: the last flow_out slice
        StringId name = 0; // v1: the name of the flow's start
        // Kineto ends one launch's ac2g flow at each device activity that the launch caused.
        const bool fansOut = flows[first].key.starts_with("ac2g\x1f");
        for (size_t i = first; i < last; ++i) {
            const FlowStep& step = flows[i];
            const SpanId here = bind(step);
            if (!here) {
                problem("A flow event has no slice to bind to on its thread; it was ignored.");
                if (step.phase == 's')
                    from = 0;
                continue;
            }
            switch (step.phase) {
            case 's':
                from = here;
                name = step.name;
                break;
            case 't':
            case 'f':
                if (from) {
                    if (from != here)
                        m_sink.addFlow(from, here, name);
                } else {
                    problem("A flow step or end has no flow start before it; it was ignored.");
                }
                if (step.phase == 't')
                    from = here;
                else if (!fansOut)
                    from = 0;
                break;
            case 'i':
            case 'b':
                if (from && from != here)
                    m_sink.addFlow(from, here, name);
                if (step.phase == 'b')
                    from = here;
                break;
            case 'o':
                from = here;
                break;
            }
        }
        first = last;
    }
}

void TraceBuilder::warn()
{
    const auto times = [](qint64 count) {
        return count > 1 ? QStringLiteral(" (%1 times)").arg(count) : QString();
    };
    for (const auto& [sentence, count] : m_events.problems)
        m_sink.warn(QString::fromUtf8(sentence.data(), qsizetype(sentence.size())) + times(count));
    for (const auto& [phase, count] : m_events.ignored) {
        if (phase.starts_with("M "))
            m_sink.warn(
                QStringLiteral("%1 metadata events \"%2\" were not imported (Lundi does not read them yet).")
                    .arg(count)
                    .arg(fromStd(phase.substr(2))));
        else
            m_sink.warn(
                QStringLiteral("%1 events of phase \"%2\" (%3) were not imported (Lundi does not read them "
                               "yet).")
                    .arg(count)
                    .arg(fromStd(phase), QLatin1String(phaseName(phase))));
    }
}

} // namespace lundi::chrome
