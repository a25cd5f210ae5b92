#pragma once

// The lundi-cli commands, one function each: main() picks one by name.

#include <QStringList>

namespace lundi::cli {

// importcommands.cpp: getting data in, and what an incident holds.
int runImport(const QStringList& arguments);
int runInfo(const QStringList& arguments);
int runOffset(const QStringList& arguments);
int runDemo(const QStringList& arguments);
int runFormats(const QStringList& arguments);
// flamecommands.cpp: time by call stack.
int runTop(const QStringList& arguments);
int runFlame(const QStringList& arguments);
// diffcommand.cpp: the incident against a baseline.
int runDiff(const QStringList& arguments);
// sqlcommand.cpp: read-only SQL on the incident.
int runSql(const QStringList& arguments);
// classifycommand.cpp: new classification rules without a re-import.
int runClassify(const QStringList& arguments);
// breakdowncommand.cpp: time by category, and latency.
int runBreakdown(const QStringList& arguments);
// suspectscommand.cpp: the bottlenecks, ranked, with their evidence.
int runSuspects(const QStringList& arguments);
// correlatecommand.cpp: metric series against root-span latency.
int runCorrelate(const QStringList& arguments);

// criticalpathcommand.cpp: the chain of spans behind each trace's latency.
int runCriticalPath(const QStringList& arguments);
// reportcommand.cpp: the PDF report.
int runReport(const QStringList& arguments);

// pullcommands.cpp: a cluster's slice of the incident, from its query APIs.
int runPullPrometheus(const QStringList& arguments);
int runPullTraces(const QStringList& arguments);
// scrapecommand.cpp: a /metrics endpoint scraped at an interval.
int runScrape(const QStringList& arguments);

// probecommand.cpp: live probes (probe http|tcp ...), each run one growing source of the incident.
int runProbe(const QStringList& arguments);

} // namespace lundi::cli
