// lundi-bench-report [SPANS] [RUNS]: what lundi-cli report does on an incident of SPANS spans
// (the call trees of calltrees.h, written through the ingest path): Report::build (every
// analysis, from opening the file) and ReportWriter::writePdf (layout, charts, flame graph),
// without a baseline and against the first half of the incident. Issue 7's target: a 1M-span
// incident's report in under 10 s. Prints medians, CPU time and the machine's load, and exits 1
// when the median misses the target, so that a run says plainly whether it was met.

#include "benchclock.h"
#include "benchincident.h"

#include "report/report.h"
#include "report/reportwriter.h"
#include "store/storeerror.h"

#include <QApplication>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr IncidentShape Shape{8, 8, TrackKind::Thread};
constexpr double TargetSeconds = 10;

QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray("unknown");
}

} // namespace

int main(int argc, char** argv)
{
    // The charts and the flame graph are widgets: a QApplication, with no display needed.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    if (argc > 3 || count < 1 || runs < 1) {
        std::fprintf(stderr, "usage: lundi-bench-report [SPANS] [RUNS]\n");
        return 2;
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.lundi"));
    const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
    TimeRange all;
    try {
        writeIncident(path, count, Shape);
        all = Store(path).timeRange();
    } catch (const StoreError& error) {
        std::fprintf(stderr, "lundi-bench-report: %s\n", qPrintable(error.sentence()));
        return 1;
    }
    std::printf("The report of an incident of %lld spans, median of %d runs (load average before: %s)\n",
                count, runs, loadAverage().constData());

    bool met = true;
    for (const bool withBaseline : {false, true}) {
        Report::Options options;
        if (withBaseline)
            options.baseline =
                SpanSelection{std::nullopt, {all.startNs, all.startNs + (all.endNs - all.startNs) / 2}};
        std::vector<double> building, writing, totals, cpu;
        int pages = 0;
        qint64 requests = 0;
        for (int run = 0; run < runs; ++run) {
            const auto start = Clock::now();
            const std::clock_t cpuStart = std::clock();
            const Report report = Report::build(Store(path), options);
            building.push_back(msSince(start) / 1000);
            const auto written = Clock::now();
            pages = ReportWriter(report).writePdf(pdf);
            writing.push_back(msSince(written) / 1000);
            totals.push_back(msSince(start) / 1000);
            cpu.push_back(double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
            requests = report.incident.overview.summary.requests;
        }
        std::printf("  %s: %lld requests, %d pages\n",
                    withBaseline ? "against the first half" : "no baseline", requests, pages);
        std::printf("    Report::build       %.3f s\n", median(building));
        std::printf("    writePdf            %.3f s\n", median(writing));
        std::printf("    together            %.3f s  (worst %.3f s; CPU time %.3f s; target: under %.0f s)\n",
                    median(totals), worst(totals), median(cpu), TargetSeconds);
        met = met && pages > 0 && median(totals) < TargetSeconds;
    }
    std::printf("  load average after: %s\n", loadAverage().constData());
    return met ? 0 : 1;
}
