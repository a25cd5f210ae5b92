#include "suspects.h"

#include "timeformat.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace lundi {

namespace {

// A frame: a span name in its category (the same name may be classified apart by its
// attributes, and is then two suspects).
using FrameKey = quint64;

FrameKey frameKey(StringId name, Category category)
{
    return (quint64(name) << 8) | quint64(category);
}

StringId nameOf(FrameKey key)
{
    return StringId(key >> 8);
}

Category categoryOf(FrameKey key)
{
    return Category(key & 0xff);
}

struct FrameTally
{
    qint64 slowNs = 0; // summed over the slow traces
    qint64 slowTraces = 0;
    TimeRange range{std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()};
    SpanId slowestRoot = 0;
    qint64 slowestNs = -1;
};

struct SideTally
{
    Suspects::Side side;
    TimeRange range; // of all its traces
    std::vector<CriticalPath::Trace> traces;
    std::unordered_map<FrameKey, FrameTally> frames;
};

// Each frame's critical-path time in one trace.
std::unordered_map<FrameKey, qint64> frameTimes(const CriticalPath::Trace& trace)
{
    std::unordered_map<FrameKey, qint64> times;
    for (const CriticalPath::Section& section : trace.sections)
        times[frameKey(section.name, section.category)] += section.endNs - section.startNs;
    return times;
}

SideTally tally(const std::vector<SpanRecord>& spans, const SpanFilter& filter,
                const CriticalPath::TraceIds& traceIds)
{
    SideTally tally;
    tally.side.filter = filter;
    CriticalPath::Selection selection;
    selection.filter = filter;
    tally.traces = CriticalPath::compute(spans, selection, {}, traceIds);
    tally.side.traces = qint64(tally.traces.size());
    if (tally.traces.empty())
        return tally;
    tally.range = {std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()};
    for (const CriticalPath::Trace& trace : tally.traces) {
        tally.range.startNs = std::min(tally.range.startNs, trace.startNs);
        tally.range.endNs = std::max(tally.range.endNs, trace.startNs + trace.durationNs);
    }

    std::vector<const CriticalPath::Trace*> slow;
    slow.reserve(tally.traces.size());
    for (const CriticalPath::Trace& trace : tally.traces)
        slow.push_back(&trace);
    const size_t keep =
        std::clamp<size_t>(size_t(std::ceil(Suspects::SlowestShare * double(slow.size()))), 1, slow.size());
    std::partial_sort(slow.begin(), slow.begin() + qsizetype(keep), slow.end(),
                      [](const CriticalPath::Trace* a, const CriticalPath::Trace* b) {
                          return a->durationNs != b->durationNs ? a->durationNs > b->durationNs
                                                                : a->root < b->root;
                      });
    slow.resize(keep);

    qint64 slowNs = 0;
    for (const CriticalPath::Trace* trace : slow) {
        slowNs += trace->durationNs;
        for (const auto& [key, ns] : frameTimes(*trace)) {
            FrameTally& frame = tally.frames[key];
            frame.slowNs += ns;
            ++frame.slowTraces;
            frame.range.startNs = std::min(frame.range.startNs, trace->startNs);
            frame.range.endNs = std::max(frame.range.endNs, trace->startNs + trace->durationNs);
            if (trace->durationNs > frame.slowestNs) {
                frame.slowestNs = trace->durationNs;
                frame.slowestRoot = trace->root;
            }
        }
    }
    tally.side.slowTraces = qint64(keep);
    tally.side.meanSlowNs = slowNs / qint64(keep);
    return tally;
}

double meanWithin(const std::vector<Sample>& samples, TimeRange range)
{
    double sum = 0;
    qint64 n = 0;
    for (const Sample& sample : samples) {
        if (sample.timeNs >= range.startNs && sample.timeNs < range.endNs && std::isfinite(sample.value)) {
            sum += sample.value;
            ++n;
        }
    }
    return n ? sum / double(n) : std::numeric_limits<double>::quiet_NaN();
}

// The series that moved most with the frame's time in each incident trace (dated at the
// trace's end, as its latency is), if any moved enough to count as evidence.
std::optional<Suspects::Moved> movedWith(FrameKey key, const SideTally& incident, const SideTally* baseline,
                                         const std::vector<Correlation::Input>& metrics)
{
    std::vector<Sample> frameTime;
    frameTime.reserve(incident.traces.size());
    for (const CriticalPath::Trace& trace : incident.traces) {
        qint64 ns = 0;
        for (const CriticalPath::Section& section : trace.sections) {
            if (frameKey(section.name, section.category) == key)
                ns += section.endNs - section.startNs;
        }
        frameTime.push_back({trace.startNs + trace.durationNs, double(ns)});
    }
    std::sort(frameTime.begin(), frameTime.end(),
              [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
    const Correlation::Result ranked = Correlation::rank(frameTime, metrics, incident.range);
    const auto row = std::find_if(ranked.rows.begin(), ranked.rows.end(), [](const Correlation::Row& r) {
        return std::abs(r.rho) >= Suspects::MinimumRho;
    });
    if (row == ranked.rows.end())
        return std::nullopt;
    Suspects::Moved moved;
    moved.series = row->series;
    moved.title = row->name + QString::fromUtf8(row->labelsJson == "{}" ? QByteArray() : row->labelsJson);
    if (!row->transform.isEmpty())
        moved.title += QStringLiteral(" (%1)").arg(row->transform);
    moved.rho = row->rho;
    moved.lagNs = row->lagNs;
    const auto input = std::find_if(metrics.begin(), metrics.end(),
                                    [&](const Correlation::Input& m) { return m.series == row->series; });
    const double incidentMean = meanWithin(input->values, incident.range);
    if (std::isfinite(incidentMean))
        moved.incidentMean = incidentMean;
    if (baseline && !baseline->traces.empty()) {
        const double baselineMean = meanWithin(input->values, baseline->range);
        if (std::isfinite(baselineMean))
            moved.baselineMean = baselineMean;
    }
    return moved;
}

QString percent(double share)
{
    return QString::number(share * 100, 'f', 1) + QLatin1Char('%');
}

QString value(double v)
{
    return QString::number(v, 'g', 3);
}

QString evidence(const Suspects::Suspect& suspect, const QString& name, const Suspects::Side& incident,
                 bool withBaseline, bool inBaseline)
{
    QString text =
        QStringLiteral("%1 · %2: %3 of the %4 critical path of the slowest %5 of requests (%6)")
            .arg(categoryName(suspect.category), name, TimeFormat::duration(suspect.criticalNs),
                 TimeFormat::duration(incident.meanSlowNs),
                 QString::number(Suspects::SlowestShare * 100) + QLatin1Char('%'), percent(suspect.share));
    if (withBaseline) {
        text += inBaseline ? QStringLiteral(", up from %1 in the baseline")
                                 .arg(TimeFormat::duration(suspect.baselineCriticalNs))
                           : QStringLiteral(", not on the baseline's slow paths");
    }
    text += QStringLiteral("; on the path of %1 of %2 slow requests")
                .arg(suspect.slowTracesWithIt)
                .arg(incident.slowTraces);
    if (const auto& moved = suspect.moved) {
        const QString rho = QStringLiteral("ρ = %1").arg(moved->rho, 0, 'f', 2);
        QString lag;
        if (moved->lagNs)
            lag = QStringLiteral(", %1 %2").arg(TimeFormat::duration(std::abs(moved->lagNs)),
                                                moved->lagNs > 0 ? QStringLiteral("later")
                                                                 : QStringLiteral("earlier"));
        if (moved->baselineMean && moved->incidentMean && *moved->baselineMean != *moved->incidentMean)
            text += QStringLiteral("; %1 %2 from %3 to %4 at the same time (%5%6)")
                        .arg(moved->title,
                             *moved->incidentMean > *moved->baselineMean ? QStringLiteral("rose")
                                                                         : QStringLiteral("fell"),
                             value(*moved->baselineMean), value(*moved->incidentMean), rho, lag);
        else if (withBaseline && !moved->baselineMean)
            text += QStringLiteral("; %1 appeared at the same time (%2%3)").arg(moved->title, rho, lag);
        else
            text += QStringLiteral("; %1 moved with it (%2%3)").arg(moved->title, rho, lag);
    }
    return text;
}

} // namespace

Suspects::Result Suspects::find(const std::vector<SpanRecord>& spans, const std::vector<QString>& names,
                                const SpanFilter& incidentFilter,
                                const std::optional<SpanFilter>& baselineFilter,
                                const std::vector<Correlation::Input>& metrics,
                                const CriticalPath::TraceIds& traceIds)
{
    const SideTally incident = tally(spans, incidentFilter, traceIds);
    std::optional<SideTally> baseline;
    if (baselineFilter)
        baseline = tally(spans, *baselineFilter, traceIds);

    Result result;
    result.incident = incident.side;
    if (baseline)
        result.baseline = baseline->side;
    if (!incident.side.slowTraces)
        return result;

    const qint64 noise = qint64(MinimumShare * double(incident.side.meanSlowNs));
    for (const auto& [key, frame] : incident.frames) {
        Suspect suspect;
        suspect.category = categoryOf(key);
        suspect.name = nameOf(key);
        suspect.criticalNs = frame.slowNs / incident.side.slowTraces;
        suspect.share = double(suspect.criticalNs) / double(std::max<qint64>(incident.side.meanSlowNs, 1));
        suspect.contributionNs = suspect.criticalNs;
        if (baseline) {
            const auto base = baseline->frames.find(key);
            if (base != baseline->frames.end() && baseline->side.slowTraces) {
                suspect.baselineCriticalNs = base->second.slowNs / baseline->side.slowTraces;
                suspect.baselineShare = double(suspect.baselineCriticalNs) /
                                        double(std::max<qint64>(baseline->side.meanSlowNs, 1));
            } else {
                suspect.baselineShare = 0;
            }
            suspect.contributionNs = suspect.criticalNs - suspect.baselineCriticalNs;
        }
        if (suspect.contributionNs <= 0 || suspect.contributionNs < noise)
            continue;
        suspect.slowTracesWithIt = frame.slowTraces;
        suspect.range = frame.range;
        suspect.slowestRoot = frame.slowestRoot;
        result.suspects.push_back(suspect);
    }
    std::sort(result.suspects.begin(), result.suspects.end(), [](const Suspect& a, const Suspect& b) {
        return a.contributionNs != b.contributionNs ? a.contributionNs > b.contributionNs : a.name < b.name;
    });
    if (result.suspects.size() > size_t(MaximumSuspects))
        result.suspects.resize(MaximumSuspects);

    for (size_t i = 0; i < result.suspects.size(); ++i) {
        Suspect& suspect = result.suspects[i];
        suspect.rank = int(i) + 1;
        const FrameKey key = frameKey(suspect.name, suspect.category);
        if (!metrics.empty())
            suspect.moved = movedWith(key, incident, baseline ? &*baseline : nullptr, metrics);
        const bool inBaseline = baseline && baseline->frames.contains(key);
        suspect.evidence = evidence(suspect, names.at(size_t(suspect.name)), incident.side,
                                    baseline.has_value(), inBaseline);
    }
    return result;
}

} // namespace lundi
