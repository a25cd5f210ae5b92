#include "report.h"

#include "analysis/correlation.h"
#include "analysis/criticalpathsummary.h"
#include "analysis/flametree.h"
#include "analysis/incidentsnapshot.h"
#include "classifier.h"
#include "store/store.h"
#include "timeformat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <unordered_map>

namespace lundi {

namespace {

// Buckets of the timeline: one a minute over an hour, a round step over longer windows.
constexpr int TimelineBuckets = 120;
// Metrics drawn under the timeline of an incident without requests.
constexpr int MetricsWithoutRequests = 3;
constexpr int MaxWarnings = 20;

QDateTime utcOf(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000 - (ns % 1'000'000 < 0 ? 1 : 0), QTimeZone::utc());
}

QString clockText(qint64 ns)
{
    const QDateTime time = utcOf(ns);
    return time.toString(time.time().msec()     ? QStringLiteral("HH:mm:ss.zzz")
                         : time.time().second() ? QStringLiteral("HH:mm:ss")
                                                : QStringLiteral("HH:mm"));
}

// "2026-11-23 08:00 to 09:00 UTC", the date again where the end falls on another day.
QString rangeText(TimeRange range)
{
    const QDateTime start = utcOf(range.startNs);
    const QDateTime end = utcOf(range.endNs);
    const QString day = QStringLiteral("yyyy-MM-dd ");
    return QStringLiteral("%1 %2 to %3 UTC")
        .arg(start.toString(QStringLiteral("yyyy-MM-dd")), clockText(range.startNs),
             start.date() == end.date() ? clockText(range.endNs)
                                        : end.toString(day) + clockText(range.endNs));
}

qint64 floorTo(qint64 ns, qint64 unit)
{
    return ns / unit * unit - (ns % unit < 0 ? unit : 0);
}

// Out to whole minutes (seconds for a window under ten minutes), so that it reads as people
// name a window.
TimeRange roundedOut(TimeRange range)
{
    constexpr qint64 Second = 1'000'000'000;
    const qint64 unit = range.endNs - range.startNs > 600 * Second ? 60 * Second : Second;
    const qint64 end = floorTo(range.endNs, unit);
    return {floorTo(range.startNs, unit), end < range.endNs ? end + unit : end};
}

QString sourceName(const Source& source)
{
    return source.origin.contains(QLatin1String("://")) ? source.origin : QFileInfo(source.origin).fileName();
}

QString sourceLabel(SourceId id, const QList<Source>& sources)
{
    for (const Source& source : sources) {
        if (source.id == id)
            return QStringLiteral("source %1 (%2)").arg(id).arg(sourceName(source));
    }
    return QStringLiteral("source %1").arg(id);
}

QString selectionLabel(const SpanSelection& selection, const QList<Source>& sources)
{
    return selection.source ? sourceLabel(*selection.source, sources) : rangeText(selection.range);
}

QString metricTitle(const QString& name, const QByteArray& labelsJson, const QString& transform)
{
    MetricCatalog::Metric metric;
    metric.name = name;
    metric.labelsJson = labelsJson;
    return transform.isEmpty() ? metric.title() : QStringLiteral("%1 (%2)").arg(metric.title(), transform);
}

QString pathText(const std::vector<StringId>& path, const std::vector<QString>& names)
{
    QStringList frames;
    for (const StringId frame : path)
        frames.append(names[size_t(frame)]);
    return frames.join(QStringLiteral(" › "));
}

// The requests' latency samples that correlation ranks the series against: each trace's
// duration, dated at its end.
std::vector<Sample> latencyOf(const std::vector<CriticalPath::Trace>& traces)
{
    std::vector<Sample> latency;
    latency.reserve(traces.size());
    for (const CriticalPath::Trace& trace : traces)
        latency.push_back({trace.startNs + trace.durationNs, double(trace.durationNs)});
    std::stable_sort(latency.begin(), latency.end(),
                     [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
    return latency;
}

Report::Side sideOf(const QString& label, const SpanFilter& filter, const std::vector<SpanRecord>& spans)
{
    Report::Side side{label, filter, filter.range, {}, Breakdown::overview(spans, filter, TimelineBuckets)};
    if (!filter.clips())
        side.window = side.overview.scope;
    return side;
}

// A metric's plot cut to a window, a step of margin on either side.
MetricCatalog::Plot clipped(MetricCatalog::Plot plot, TimeRange window)
{
    const auto outside = [window](qint64 t) { return t < window.startNs || t > window.endNs; };
    for (MetricCatalog::Line& line : plot.lines) {
        std::erase_if(line.points, [&](const Sample& sample) { return outside(sample.timeNs); });
        std::erase_if(line.aboveFiniteBoundsNs, outside);
    }
    std::erase_if(plot.exemplars, [&](const MetricCatalog::Exemplar& e) { return outside(e.timeNs); });
    return plot;
}

QString headlineOf(const Suspects::Result& result, const QString& name)
{
    const Suspects::Suspect& suspect = result.suspects.front();
    QString text = QStringLiteral("The main cause is %1 (%2): %3 of the %4 that the slowest %5 of requests "
                                  "took on average (%6)")
                       .arg(name, categoryName(suspect.category), TimeFormat::duration(suspect.criticalNs),
                            TimeFormat::duration(result.incident.meanSlowNs),
                            QString::number(Suspects::SlowestShare * 100) + QLatin1Char('%'),
                            Report::percent(suspect.share));
    if (result.baseline)
        text += suspect.baselineCriticalNs > 0
                    ? QStringLiteral(", up from %1 in the baseline")
                          .arg(TimeFormat::duration(suspect.baselineCriticalNs))
                    : QStringLiteral(", where the baseline's slow requests spent none");
    return text +
           QStringLiteral("; it held up %1 of those %2 requests.")
               .arg(Report::count(suspect.slowTracesWithIt), Report::count(result.incident.slowTraces));
}

QString ruleText(const Classifier::Rule& rule)
{
    QStringList conditions;
    if (!rule.name.pattern().isEmpty())
        conditions.append(QStringLiteral("name ~ %1").arg(rule.name.pattern()));
    if (!rule.cat.pattern().isEmpty())
        conditions.append(QStringLiteral("cat ~ %1").arg(rule.cat.pattern()));
    for (const auto& [key, value] : rule.attributes) {
        conditions.append(value.pattern().isEmpty()
                              ? QStringLiteral("attribute %1").arg(key.pattern())
                              : QStringLiteral("attribute %1 = %2").arg(key.pattern(), value.pattern()));
    }
    return QStringLiteral("%1: %2").arg(categoryName(rule.category),
                                        conditions.isEmpty() ? QStringLiteral("any span")
                                                             : conditions.join(QStringLiteral("; ")));
}

} // namespace

// As English writes numbers, whatever the machine's locale: the report must not change with it.
QString Report::count(qint64 n)
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(n);
}

// As Suspects writes a share, so that the report's figures read as the CLI's.
QString Report::percent(double share)
{
    return QString::number(share * 100, 'f', 1) + QLatin1Char('%');
}

Report Report::build(const Store& store, const Options& options)
{
    Report report;
    const QList<Source> sources = store.sources();
    const QList<Track> tracks = store.tracks();
    // Held as a snapshot of the incident for latestActivity(), the views' first look.
    IncidentSnapshot snapshot;
    snapshot.spans = store.spanRecords();
    snapshot.timeRange = store.timeRange();
    const std::vector<SpanRecord>& spans = snapshot.spans;
    const auto names = std::make_shared<const std::vector<QString>>(store.strings());
    const CriticalPath::TraceIds traceIds = store.rootTraceIds();
    const std::vector<Correlation::Input> inputs = Correlation::inputs(store);
    const TimeRange all = snapshot.timeRange;
    report.names = names;
    report.incidentFile = QFileInfo(store.path()).fileName();
    report.title = options.title.isEmpty()
                       ? QStringLiteral("Incident report: %1").arg(QFileInfo(store.path()).completeBaseName())
                       : options.title;
    const QString version = QCoreApplication::applicationVersion();
    report.generatedBy =
        version.isEmpty() ? QStringLiteral("Lundi") : QStringLiteral("Lundi %1").arg(version);
    report.sloNs = options.sloNs;
    for (const Source& source : sources)
        report.sources.push_back({source, sourceName(source)});

    // The sides, as lundi-cli suspects picks them.
    SpanFilter incidentFilter;
    QString incidentLabel = QStringLiteral("the whole incident");
    if (options.incident) {
        incidentFilter = options.incident->filter(tracks);
        incidentLabel = selectionLabel(*options.incident, sources);
    } else if (options.baseline) {
        incidentFilter = options.baseline->complement(tracks, all);
        incidentLabel =
            options.baseline->source
                ? QStringLiteral("every source but %1").arg(sourceLabel(*options.baseline->source, sources))
            : incidentFilter.range.startNs >= options.baseline->range.endNs
                ? QStringLiteral("after the baseline")
                : QStringLiteral("before the baseline");
    }
    std::optional<SpanFilter> baselineFilter;
    if (options.baseline)
        baselineFilter = options.baseline->filter(tracks);

    // The analyses are independent of each other: the heavy ones on threads of their own.
    auto suspects = std::async(std::launch::async, [&] {
        return Suspects::find(spans, *names, incidentFilter, baselineFilter, inputs, traceIds);
    });
    auto diff = std::async(std::launch::async, [&]() -> std::shared_ptr<const BaselineDiff> {
        if (!options.baseline)
            return nullptr;
        if (options.incident)
            return std::make_shared<const BaselineDiff>(
                BaselineDiff::compute(spans, tracks, *options.baseline, *options.incident));
        return std::make_shared<const BaselineDiff>(
            BaselineDiff::compute(spans, *baselineFilter, incidentFilter));
    });
    CriticalPathSelection selection;
    selection.filter = incidentFilter;
    const std::vector<CriticalPath::Trace> traces = CriticalPath::compute(spans, selection, {}, traceIds);
    const CriticalPathSummary critical = CriticalPathSummary::build(spans, traces, incidentFilter);
    // The incident's window is where its requests are, whatever range was asked for (a range
    // after the baseline may run for days before them), rounded out to whole minutes.
    SpanFilter incidentScope = incidentFilter;
    if (!traces.empty()) {
        TimeRange activity{traces.front().startNs, traces.front().startNs};
        for (const CriticalPath::Trace& trace : traces) {
            activity.startNs = std::min(activity.startNs, trace.startNs);
            activity.endNs = std::max(activity.endNs, trace.startNs + trace.durationNs);
        }
        activity = roundedOut(activity);
        // Within the range asked for, where another request could start; its ends at the
        // incident's are no bounds.
        if (incidentFilter.clips() && incidentFilter.range.startNs > all.startNs)
            activity.startNs = std::max(activity.startNs, incidentFilter.range.startNs);
        if (incidentFilter.clips() && incidentFilter.range.endNs < all.endNs)
            activity.endNs = std::min(activity.endNs, incidentFilter.range.endNs);
        incidentScope.range = activity;
    }
    report.incident = sideOf(incidentLabel, incidentScope, spans);
    if (report.incident.window.isEmpty())
        report.incident.window = store.sampleTimeRange().value_or(all);
    report.incident.windowText = rangeText(report.incident.window);
    // The timeline draws the incident's latest stretch of activity when a gap comes before it (a
    // whole incident that holds its baseline week): over the whole, its buckets would be hours.
    report.timeline.window = report.incident.window;
    report.timeline.overview = report.incident.overview;
    const TimeRange latest = snapshot.latestActivity();
    if (latest.startNs > report.incident.window.startNs && latest.startNs < report.incident.window.endNs) {
        report.timeline.window.startNs = roundedOut(latest).startNs;
        SpanFilter focus = incidentScope;
        focus.range = report.timeline.window;
        report.timeline.overview = Breakdown::overview(spans, focus, TimelineBuckets);
        report.timeline.focus = QStringLiteral("the incident's latest stretch of activity, from %1")
                                    .arg(rangeText(report.timeline.window));
    }
    if (baselineFilter) {
        report.baseline = sideOf(selectionLabel(*options.baseline, sources), *baselineFilter, spans);
        report.baseline->windowText = rangeText(report.baseline->window);
    }
    if (!options.baseline)
        report.flame = std::make_shared<const FlameTree>(
            FlameTree::build(spans, FlameTree::Roots::Merged, incidentFilter));
    const Correlation::Result correlation = Correlation::rank(latencyOf(traces), inputs, {});
    report.suspects = suspects.get();
    report.diff = diff.get();
    for (const Suspects::Suspect& suspect : report.suspects.suspects)
        report.suspectNames.push_back((*names)[size_t(suspect.name)]);

    // 2. What happened, how long, how many requests, and the headline.
    const Side& incident = report.incident;
    const DurationDistribution& latency = incident.overview.summary.latency;
    const qint64 requests = incident.overview.summary.requests;
    if (requests == 0) {
        report.whatHappened.append(
            QStringLiteral("The incident (%1) holds no requests: no traces, only metrics. The timeline shows "
                           "the metrics that varied most.")
                .arg(rangeText(incident.window)));
    } else {
        const auto p = latency.percentiles();
        report.whatHappened.append(
            QStringLiteral("From %1 (%2), %3 requests were served: half took longer than %4, one in twenty "
                           "longer than %5, one in a hundred longer than %6.")
                .arg(rangeText(incident.window),
                     TimeFormat::duration(incident.window.endNs - incident.window.startNs), count(requests),
                     TimeFormat::duration(p.p50), TimeFormat::duration(p.p95), TimeFormat::duration(p.p99)));
    }
    if (report.baseline && report.baseline->overview.summary.requests > 0 && requests > 0) {
        const auto before = report.baseline->overview.summary.latency.percentiles();
        const auto after = latency.percentiles();
        QString text = QStringLiteral("In the baseline (%1), %2 requests: p50 %3, p95 %4.")
                           .arg(report.baseline->label, count(report.baseline->overview.summary.requests),
                                TimeFormat::duration(before.p50), TimeFormat::duration(before.p95));
        if (before.p50 > 0)
            text += QStringLiteral(" The median request became %1 times as slow.")
                        .arg(QString::number(double(after.p50) / double(before.p50), 'f', 1));
        report.whatHappened.append(text);
    }
    // The reference a request is measured against: the SLO, else what the baseline's slowest
    // twentieth took.
    qint64 reference = 0;
    if (options.sloNs) {
        reference = *options.sloNs;
        report.timeline.referenceLabel = QStringLiteral("the %1 SLO").arg(TimeFormat::duration(reference));
    } else if (report.baseline && report.baseline->overview.summary.requests > 0) {
        reference = report.baseline->overview.summary.latency.percentiles().p95;
        report.timeline.referenceLabel =
            QStringLiteral("the baseline's p95 (%1)").arg(TimeFormat::duration(reference));
    }
    report.timeline.referenceNs = reference;
    if (reference > 0 && requests > 0) {
        report.affected = latency.countOver(reference);
        report.affectedMeaning = QStringLiteral("longer than %1").arg(report.timeline.referenceLabel);
        report.whatHappened.append(QStringLiteral("%1 requests (%2) took longer than %3.")
                                       .arg(count(report.affected), percent(latency.shareOver(reference)),
                                            report.timeline.referenceLabel));
        for (const Breakdown::Bucket& bucket : report.timeline.overview.buckets) {
            if (bucket.requests == 0 || bucket.latency.p95 <= reference)
                continue;
            if (!report.timeline.changeStartNs)
                report.timeline.changeStartNs = bucket.startNs;
            report.timeline.changeEndNs = bucket.startNs + report.timeline.overview.stepNs;
        }
        if (report.timeline.changeStartNs) {
            const TimeRange over{*report.timeline.changeStartNs,
                                 std::min(*report.timeline.changeEndNs, incident.window.endNs)};
            report.whatHappened.append(QStringLiteral("The p95 latency was above %1 from %2 (%3).")
                                           .arg(report.timeline.referenceLabel, rangeText(over),
                                                TimeFormat::duration(over.endNs - over.startNs)));
        } else {
            report.whatHappened.append(QStringLiteral("The p95 latency stayed within %1 throughout.")
                                           .arg(report.timeline.referenceLabel));
        }
    } else if (requests > 0) {
        report.affected = report.suspects.incident.slowTraces;
        report.affectedMeaning = QStringLiteral("the slowest 5%");
        report.whatHappened.append(
            QStringLiteral("The slowest 5% (%1 requests) took %2 on average; without a "
                           "baseline or an SLO, no request counts as late.")
                .arg(count(report.suspects.incident.slowTraces),
                     TimeFormat::duration(report.suspects.incident.meanSlowNs)));
    }
    if (!report.suspects.suspects.empty())
        report.headline = headlineOf(report.suspects, report.suspectNames.front());
    else if (requests > 0)
        report.headline = report.baseline
                              ? QStringLiteral("No cause stands out: nothing on the slowest requests' "
                                               "critical path grew by 1% of their latency or more.")
                              : QStringLiteral("No cause stands out.");

    // 4. The metric under the timeline: the one that moved with the headline cause, else the one
    // correlated most with latency; without requests, those that varied most.
    const std::vector<MetricCatalog::Metric> catalog = MetricCatalog::build(store.series(), sources);
    const auto samplesOf = [&store](SeriesId id) { return store.samples(id); };
    const auto metricOf = [&catalog](SeriesId id) -> const MetricCatalog::Metric* {
        for (const MetricCatalog::Metric& metric : catalog) {
            if (metric.series.front() == id)
                return &metric;
        }
        return nullptr;
    };
    const auto addMetric = [&](SeriesId id, const QString& why) {
        if (const MetricCatalog::Metric* metric = metricOf(id)) {
            report.timeline.metrics.push_back(
                {metric->transform().isEmpty()
                     ? metric->title()
                     : QStringLiteral("%1 (%2)").arg(metric->title(), metric->transform()),
                 why, clipped(MetricCatalog::plot(*metric, samplesOf), report.timeline.window)});
        }
    };
    if (!report.suspects.suspects.empty() && report.suspects.suspects.front().moved) {
        const Suspects::Moved& moved = *report.suspects.suspects.front().moved;
        addMetric(moved.series, QStringLiteral("moved with the time of %1 per slow request (ρ = %2)")
                                    .arg(report.suspectNames.front(), QString::number(moved.rho, 'f', 2)));
    } else if (!correlation.rows.empty()) {
        const Correlation::Row& row = correlation.rows.front();
        addMetric(
            row.series,
            QStringLiteral("correlated most with latency (ρ = %1)").arg(QString::number(row.rho, 'f', 2)));
    } else if (requests == 0) {
        // The coefficient of variation over the window: what changed most for its size.
        std::vector<std::pair<double, SeriesId>> varied;
        for (const Correlation::Input& input : inputs) {
            double sum = 0, squares = 0;
            qint64 n = 0;
            for (const Sample& sample : input.values) {
                if (std::isfinite(sample.value)) {
                    sum += sample.value;
                    squares += sample.value * sample.value;
                    ++n;
                }
            }
            if (n < 2 || sum == 0)
                continue;
            const double mean = sum / double(n);
            varied.emplace_back(std::sqrt(std::max(0.0, squares / double(n) - mean * mean)) / std::abs(mean),
                                input.series);
        }
        std::stable_sort(varied.begin(), varied.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        for (size_t i = 0; i < varied.size() && i < size_t(MetricsWithoutRequests); ++i)
            addMetric(varied[i].second, QStringLiteral("varied most (coefficient of variation %1)")
                                            .arg(QString::number(varied[i].first, 'f', 2)));
    }

    // 5. Top contributors.
    if (report.diff) {
        const auto contributorOf = [&](const BaselineDiff::Contributor& row) {
            return Contributor{
                row.category,       pathText(row.path, *names), contributorStatusName(row.status),
                row.baselineMeanNs, row.incidentMeanNs,         row.share};
        };
        for (const BaselineDiff::Contributor& row : report.diff->categories)
            report.categories.push_back(contributorOf(row));
        for (const BaselineDiff::Contributor& row : report.diff->paths) {
            if (report.paths.size() < size_t(MaxPaths))
                report.paths.push_back(contributorOf(row));
        }
    } else if (critical.traceCount() > 0) {
        const auto mean = [&](qint64 ns) {
            return qint64(std::llround(double(ns) / double(critical.traceCount())));
        };
        for (const CriticalPathSummary::CategoryRow& row : critical.categories()) {
            if (row.criticalNs > 0)
                report.categories.push_back({row.category, {}, {}, 0, mean(row.criticalNs), row.share});
        }
        std::stable_sort(
            report.categories.begin(), report.categories.end(),
            [](const Contributor& a, const Contributor& b) { return a.incidentNs > b.incidentNs; });
        for (const CriticalPathSummary::PathRow& row : critical.paths()) {
            if (report.paths.size() < size_t(MaxPaths))
                report.paths.push_back({row.category,
                                        pathText(critical.callPath(row.node), *names),
                                        {},
                                        0,
                                        mean(row.criticalNs),
                                        row.share});
        }
    }

    // 6. Evidence: probes, compliance checks, correlated metrics.
    std::unordered_map<TrackId, bool> probeTracks;
    for (const Track& track : tracks) {
        for (const Source& source : sources) {
            if (source.id == track.source && source.format == QLatin1String("probe-http") &&
                incidentFilter.acceptsTrack(track.id))
                probeTracks.emplace(track.id, true);
        }
    }
    std::map<QString, std::pair<ProbeTarget, std::array<std::vector<qint64>, ProbePhases.size()>>> probes;
    std::map<QString, std::vector<qint64>> probeTotals;
    for (const auto& [track, unused] : probeTracks) {
        const std::vector<Span> trackSpans = store.spansOfTrack(track);
        std::unordered_map<SpanId, QString> targetOf;
        for (const Span& span : trackSpans) {
            if (span.parent == 0) {
                if (incidentFilter.clips() && (span.startNs < incidentFilter.range.startNs ||
                                               span.startNs >= incidentFilter.range.endNs))
                    continue;
                targetOf.emplace(span.id, span.name);
                auto& [target, phases] = probes[span.name];
                target.target = span.name;
                ++target.runs;
                target.failures += span.status == SpanStatus::Error ? 1 : 0;
                probeTotals[span.name].push_back(span.durNs);
                continue;
            }
            const auto root = targetOf.find(span.parent);
            if (root == targetOf.end())
                continue;
            for (size_t phase = 0; phase < ProbePhases.size(); ++phase) {
                if (span.name == QLatin1String(ProbePhases[phase]))
                    probes[root->second].second[phase].push_back(span.durNs);
            }
        }
    }
    for (auto& [name, probe] : probes) {
        auto& [target, phases] = probe;
        for (size_t phase = 0; phase < phases.size(); ++phase)
            target.phaseP50Ns[phase] = DurationDistribution(std::move(phases[phase])).percentile(50);
        target.total = DurationDistribution(std::move(probeTotals[name])).percentiles();
        report.probes.push_back(target);
    }

    std::map<StringId, std::vector<qint64>> complianceDurations;
    for (const SpanRecord& span : spans) {
        if (span.category != Category::Compliance || !incidentFilter.acceptsTrack(span.track))
            continue;
        if (incidentFilter.clips() &&
            (span.startNs < incidentFilter.range.startNs || span.startNs >= incidentFilter.range.endNs))
            continue;
        complianceDurations[span.name].push_back(span.durNs);
    }
    std::map<StringId, qint64> complianceCritical;
    for (const CriticalPathSummary::PathRow& row : critical.paths()) {
        if (row.category == Category::Compliance)
            complianceCritical[row.name] += row.criticalNs;
    }
    for (auto& [name, durations] : complianceDurations) {
        const qint64 criticalNs = complianceCritical[name];
        ComplianceCheck check{(*names)[size_t(name)], qint64(durations.size()),
                              DurationDistribution(std::move(durations)).percentiles(), criticalNs,
                              critical.totalNs() > 0 ? double(criticalNs) / double(critical.totalNs()) : 0};
        report.compliance.push_back(check);
    }
    std::stable_sort(report.compliance.begin(), report.compliance.end(),
                     [](const ComplianceCheck& a, const ComplianceCheck& b) {
                         return a.criticalNs != b.criticalNs ? a.criticalNs > b.criticalNs
                                                             : a.count > b.count;
                     });
    if (report.compliance.size() > size_t(MaxCompliance))
        report.compliance.resize(size_t(MaxCompliance));
    report.complianceShare = critical.categories()[size_t(Category::Compliance)].share;

    for (const Correlation::Row& row : correlation.rows) {
        if (report.correlated.size() < size_t(MaxCorrelated))
            report.correlated.push_back(
                {metricTitle(row.name, row.labelsJson, row.transform), row.rho, row.lagNs, row.n});
    }
    if (inputs.empty())
        report.correlationNote = QStringLiteral("The incident has no metrics to correlate.");
    else if (correlation.latencySteps == 0)
        report.correlationNote =
            QStringLiteral("No request ends in the incident window: nothing to correlate.");
    else
        report.correlationNote =
            QStringLiteral(
                "%1 series ranked by Spearman's ρ with the requests' latency, each at the lag (within "
                "±%2 steps of %3) where it is strongest; a negative lag means the series moved first. "
                "Left out: %4 with too few points, %5 that never changed.")
                .arg(count(qint64(correlation.rows.size())))
                .arg(correlation.maxLagSteps)
                .arg(TimeFormat::duration(correlation.stepNs), count(correlation.tooFewPoints),
                     count(correlation.constantSeries));

    // 7. Caveats.
    bool traced = false;
    for (const Source& source : sources) {
        if (source.format == QLatin1String("folded"))
            report.caveats.append(QStringLiteral("%1 is a sampled profile: its times are sample counts, not "
                                                 "measured durations.")
                                      .arg(sourceName(source)));
        else if (source.spanCount > 0)
            traced = true;
    }
    if (traced)
        report.caveats.append(
            QStringLiteral("Counts are those of the recorded traces: where the services sample "
                           "their traces, the traffic was larger than counted here, and the "
                           "percentiles are those of the sample."));
    QStringList moved;
    for (const Source& source : sources) {
        if (source.clockOffsetNs != 0)
            moved.append(QStringLiteral("%1 by %2%3")
                             .arg(sourceName(source),
                                  source.clockOffsetNs > 0 ? QStringLiteral("+") : QString(),
                                  TimeFormat::duration(source.clockOffsetNs)));
    }
    report.caveats.append(
        moved.isEmpty() ? QStringLiteral("No source was moved in time: each lies where its own clock put it, "
                                         "so a skew between the hosts' clocks shifts their spans and "
                                         "samples against each other.")
                        : QStringLiteral("Sources moved in time to line up with the others (clock "
                                         "offsets): %1.")
                              .arg(moved.join(QStringLiteral(", "))));
    qint64 aboveBounds = 0;
    QStringList histograms;
    for (const MetricCatalog::Metric& metric : catalog) {
        if (metric.kind != MetricCatalog::Kind::Histogram)
            continue;
        const MetricCatalog::Plot plot = clipped(MetricCatalog::plot(metric, samplesOf), incident.window);
        qint64 points = 0;
        for (const MetricCatalog::Line& line : plot.lines)
            points += qint64(line.aboveFiniteBoundsNs.size());
        if (points > 0) {
            aboveBounds += points;
            histograms.append(metric.title());
        }
    }
    if (aboveBounds > 0)
        report.caveats.append(
            QStringLiteral("%1 quantile points of %2 histogram series fell in the +Inf bucket in "
                           "the incident window: they are drawn at the highest finite bound, and "
                           "the real values are higher (%3).")
                .arg(count(aboveBounds), count(histograms.size()), histograms.join(QStringLiteral(", "))));
    // A trace with more than one root lost the parents of all but one: those spans count as
    // requests of their own.
    std::unordered_map<QString, qint64> rootsOfTrace;
    for (const auto& [root, trace] : traceIds)
        ++rootsOfTrace[trace];
    qint64 orphans = 0, orphanTraces = 0;
    for (const auto& [trace, roots] : rootsOfTrace) {
        if (roots > 1) {
            orphans += roots - 1;
            ++orphanTraces;
        }
    }
    if (traced || orphans > 0)
        report.caveats.append(
            orphans > 0 ? QStringLiteral("%1 spans in %2 traces name a parent that was not recorded: "
                                         "each counts as a request of its own, shorter than the "
                                         "request it belonged to.")
                              .arg(count(orphans), count(orphanTraces))
                        : QStringLiteral("Every trace has one root span: no span lost its parent."));
    QStringList warnings;
    for (const Source& source : sources) {
        for (const QString& warning : source.warnings)
            warnings.append(QStringLiteral("%1: %2").arg(sourceName(source), warning));
    }
    if (warnings.isEmpty())
        report.caveats.append(QStringLiteral("The importers warned about nothing."));
    for (qsizetype i = 0; i < warnings.size() && i < MaxWarnings; ++i)
        report.caveats.append(QStringLiteral("Importer warning, %1").arg(warnings[i]));
    if (warnings.size() > MaxWarnings)
        report.caveats.append(QStringLiteral("And %1 more importer warnings (lundi-cli info lists them all).")
                                  .arg(count(warnings.size() - MaxWarnings)));

    // 8. Appendix: the rules.
    try {
        const Classifier classifier = Classifier::standard();
        const QString user = Classifier::userRulesPath();
        report.rulesOrigin = QFileInfo::exists(user) ? user : QStringLiteral("the built-in rules");
        for (const Classifier::Rule& rule : classifier.rules())
            report.rules.append(ruleText(rule));
    } catch (const RulesError& error) {
        report.rulesOrigin = QString::fromUtf8(error.what());
    }
    return report;
}

} // namespace lundi
