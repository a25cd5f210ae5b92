#pragma once

#include "analysis/baselinediff.h"
#include "analysis/breakdown.h"
#include "analysis/metriccatalog.h"
#include "analysis/spanselection.h"
#include "analysis/suspects.h"

#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace lundi {

class Store;

// What the PDF report says, computed once from an incident: the same analyses the CLI prints
// (Suspects, BaselineDiff, Breakdown, CriticalPathSummary, Correlation, MetricCatalog), their
// figures and the sentences that read them, in the report's order. Plain data: ReportWriter
// lays it out, and tests read it. Nothing in it depends on the clock or the locale, so the same
// incident and options give the same report.
struct Report
{
    struct Options
    {
        // As lundi-cli suspects takes them: without an incident, the incident is what the
        // baseline is not (the other sources, or the time after the baseline range); without
        // either, everything and no baseline.
        std::optional<SpanSelection> baseline;
        std::optional<SpanSelection> incident;
        QString title; // empty: named after the incident file
        std::optional<qint64> sloNs;
    };

    // One side of the comparison: its requests (root spans), over time.
    struct Side
    {
        QString label; // "2026-11-23 08:00 to 09:00 UTC", "source 2 (api.json)"
        SpanFilter filter;
        TimeRange window;   // the range, or from its first request's start to its last one's
        QString windowText; // "2026-11-23 08:00 to 09:00 UTC"
        Breakdown::Overview overview;
    };

    struct SourceRow
    {
        Source source;
        QString name; // the origin's file name, or the URL
    };

    // The latency of the incident's requests over time, and the metric that moved with it.
    struct Timeline
    {
        // The incident's window, or its latest stretch of activity when a gap comes before it.
        TimeRange window;
        QString focus; // what the window is when it is not the incident's
        Breakdown::Overview overview;
        // Where the change started: the first bucket whose p95 exceeds the reference.
        std::optional<qint64> changeStartNs;
        std::optional<qint64> changeEndNs; // the end of the last such bucket
        qint64 referenceNs = 0;            // the SLO, else the baseline's p95; 0: none
        QString referenceLabel;
        // The metrics drawn under it: the one correlated most, or for an incident without
        // requests the ones that varied most.
        struct Metric
        {
            QString title;
            QString why; // "ρ = 0.94 with the latency of the slowest requests' DLP calls"
            MetricCatalog::Plot plot;
        };
        std::vector<Metric> metrics;
    };

    // A row of the top contributors: a category or a call path, its critical-path time per
    // request on each side, and its part of the change of the mean latency.
    struct Contributor
    {
        Category category = Category::Other;
        QString name;   // the call path from the root, " › " between frames; empty for a category
        QString status; // new, missing, changed; empty without a baseline
        qint64 baselineNs = 0;
        qint64 incidentNs = 0;
        double share = 0; // of the regression, or without a baseline of the mean latency
    };

    // An HTTP probe target (sources of format probe-http): each run's phases, in the order the
    // probe lays them end to end.
    static constexpr std::array<const char*, 5> ProbePhases{"resolve", "connect", "tls", "processing",
                                                            "transfer"};
    struct ProbeTarget
    {
        QString target; // the root span's name, "GET https://host/path"
        qint64 runs = 0;
        qint64 failures = 0; // runs whose root span has the error status
        std::array<qint64, ProbePhases.size()> phaseP50Ns{};
        DurationDistribution::Percentiles total;
    };

    // A compliance check (a span name of category compliance) in the incident.
    struct ComplianceCheck
    {
        QString name;
        qint64 count = 0;
        DurationDistribution::Percentiles duration;
        qint64 criticalNs = 0;    // on the requests' critical paths
        double criticalShare = 0; // of the requests' summed latency
    };

    struct Correlated
    {
        QString title; // as PromQL writes the series, with what was correlated ("rate", "p95")
        double rho = 0;
        qint64 lagNs = 0;
        qint64 points = 0;
    };

    // 1. Title block
    QString title;
    QString generatedBy; // "Lundi 0.1.0"
    QString incidentFile;
    Side incident;
    std::optional<Side> baseline;
    std::optional<qint64> sloNs;

    // 2. Executive summary, in plain sentences.
    QStringList whatHappened;
    QString headline; // the first suspect in one sentence, with its numbers
    qint64 affected = 0;
    QString affectedMeaning; // "longer than the 10 s SLO"
    Suspects::Result suspects;
    std::vector<QString> suspectNames; // indexed like suspects.suspects

    // 4. Timeline
    Timeline timeline;

    // 5. Top contributors, most growth (or time) first.
    std::vector<Contributor> categories;
    std::vector<Contributor> paths;

    // 6. Evidence
    // The differential flame graph (with a baseline) or the flame graph of the incident.
    std::shared_ptr<const BaselineDiff> diff;
    std::shared_ptr<const FlameTree> flame;
    std::shared_ptr<const std::vector<QString>> names; // indexed by StringId
    std::vector<ProbeTarget> probes;
    std::vector<ComplianceCheck> compliance;
    double complianceShare = 0; // the category's share of the requests' critical path
    std::vector<Correlated> correlated;
    QString correlationNote; // what correlation left out, or why nothing was ranked

    // 7. Caveats, 8. Appendix
    QStringList caveats;
    std::vector<SourceRow> sources;
    QString rulesOrigin;
    QStringList rules;

    static constexpr int MaxPaths = 10;
    static constexpr int MaxCorrelated = 10;
    static constexpr int MaxCompliance = 8;

    static Report build(const Store& store, const Options& options);

    // How the report writes numbers, whatever the machine's locale: "4,146", "89.3%".
    static QString count(qint64 n);
    static QString percent(double share);
};

} // namespace lundi
