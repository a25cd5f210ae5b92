// lundi-bench-window [SPANS]: the whole workbench window over a million spans (the call trees
// of calltrees.h on 8 service tracks, 64 overlapping clocks), offscreen at 1600x1000. Measures
// the time from asking the window to open the incident to its first picture with the flame
// graph drawn, the same with the flame chart in front, a time range re-aggregated, a search
// matched, and the peak memory of the whole process (window, snapshot, layout, flame tree).

#include "benchclock.h"
#include "benchincident.h"

#include "flamechartview.h"
#include "mainwindow.h"
#include "workbench.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

using namespace lundi;
using namespace lundi::bench;

namespace {

// Waits for the window to settle; a bench that cannot measure stops.
void settle(const MainWindow& window)
{
    if (!QTest::qWaitFor([&] { return window.isSettled(); }, 60000)) {
        std::fprintf(stderr, "lundi-bench-window: the window did not settle within a minute\n");
        std::exit(1);
    }
}

// Opens the incident in a new window showing `view` and returns the milliseconds until the
// window is settled and painted.
double firstPicture(const QString& path, MainWindow::View view, QImage& picture)
{
    MainWindow window(MainWindow::Session::Fresh);
    window.resize(1600, 1000);
    window.showView(view);
    window.show();
    QApplication::processEvents();
    const auto start = Clock::now();
    window.openIncident(path);
    settle(window);
    picture = window.grab().toImage();
    return msSince(start);
}

// What the process holds in memory now (VmRSS), in MB.
double residentMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toDouble() / 1024.0;
    }
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    if (argc > 2 || count < 1) {
        std::fprintf(stderr, "usage: lundi-bench-window [SPANS]\n");
        return 2;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("window.lundi"));
    writeIncident(path, count, {64, 8, TrackKind::Service});
    if (Store(path).counts().spans != count) {
        std::fprintf(stderr, "lundi-bench-window: the incident does not hold %lld spans\n", count);
        return 1;
    }

    std::printf("The window over %lld spans, 1600x1000 offscreen\n", count);
    QImage picture;
    for (const auto& [view, name] : {std::pair(MainWindow::View::FlameGraph, "flame graph"),
                                     std::pair(MainWindow::View::FlameChart, "flame chart")}) {
        std::vector<double> times;
        for (int run = 0; run < 3; ++run)
            times.push_back(firstPicture(path, view, picture));
        std::printf("  first picture, %-11s median %6.0f ms, worst %6.0f ms of 3 (target: under 1000 ms)\n",
                    name, median(times), worst(times));
    }

    MainWindow window(MainWindow::Session::Fresh);
    window.resize(1600, 1000);
    window.show();
    window.openIncident(path);
    settle(window);
    Workbench& workbench = *window.workbench();
    const TimeRange whole = workbench.snapshot()->timeRange;
    std::vector<double> ranges;
    for (int run = 1; run <= 5; ++run) {
        const auto start = Clock::now();
        workbench.state()->setTimeRange(
            {whole.startNs, whole.startNs + (whole.endNs - whole.startNs) * run / 6});
        settle(window);
        window.grab();
        ranges.push_back(msSince(start));
    }
    std::printf("  a time range re-aggregated and drawn: median %.0f ms, worst %.0f ms of 5\n",
                median(ranges), worst(ranges));
    std::vector<double> searches;
    for (const char* pattern : {"parse", "db", "render|json", "^x", "s$"}) {
        const auto start = Clock::now();
        workbench.state()->setSearch(QString::fromLatin1(pattern));
        settle(window);
        window.grab();
        searches.push_back(msSince(start));
    }
    std::printf("  a search matched and drawn: median %.0f ms, worst %.0f ms of 5\n", median(searches),
                worst(searches));

    std::printf("  resident memory with the window open: %.0f MB (target: under 400 MB)\n", residentMb());
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("  peak memory of the process: %.0f MB (writing the incident and four windows included)\n",
                usage.ru_maxrss / 1024.0);
    return 0;
}
