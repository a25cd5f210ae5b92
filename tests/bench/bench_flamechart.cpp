// lundi-bench-flamechart [SPANS]: the flame chart over a million spans. Writes an incident of
// generated call trees (calltrees.h; 64 clocks on 8 tracks, so each track has about 8 requests
// at a time to pack), then measures the time from opening it to the first picture at 1600x900,
// each repaint of a zoom/pan sweep (whole incident down to microseconds and back, pans at
// several zooms, with and without a search), and the process's peak memory. Its lanes have about
// 150 rows each, so they start compact (every row of every lane on screen is drawn); the sweep
// runs once more with them expanded.

#include "benchclock.h"
#include "benchincident.h"

#include "analysis/incidentsnapshot.h"
#include "flamechartview.h"
#include "store/storeerror.h"

#include <QApplication>
#include <QImage>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr IncidentShape Shape{64, 8, TrackKind::Service};

double paintMs(FlameChartView& view, QImage& image)
{
    const auto start = Clock::now();
    view.render(&image);
    return msSince(start);
}

struct Sweep
{
    std::vector<double> ms;
    TimeRange worstWindow;
    double worst = 0;

    void add(FlameChartView& view, QImage& image)
    {
        const double t = paintMs(view, image);
        ms.push_back(t);
        if (t > worst) {
            worst = t;
            worstWindow = view.visibleWindow();
        }
    }
};

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    if (argc > 2 || count < 1) {
        std::fprintf(stderr, "usage: lundi-bench-flamechart [SPANS]\n");
        return 2;
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("flamechart.lundi"));
    const auto writing = Clock::now();
    try {
        writeIncident(path, count, Shape);
    } catch (const StoreError& error) {
        std::fprintf(stderr, "lundi-bench-flamechart: %s\n", qPrintable(error.sentence()));
        return 1;
    }
    const double written = msSince(writing);

    FlameChartView view;
    view.resize(1600, 900);
    QImage image(view.size(), QImage::Format_RGB32);

    // Opening to first picture: what the window does with a file, with the layout in it.
    const auto opening = Clock::now();
    std::shared_ptr<const IncidentSnapshot> snapshot;
    try {
        const Store store(path);
        snapshot = IncidentSnapshot::load(store);
    } catch (const StoreError& error) {
        std::fprintf(stderr, "lundi-bench-flamechart: %s\n", qPrintable(error.sentence()));
        return 1;
    }
    const double loaded = msSince(opening);
    if (qint64(snapshot->spans.size()) != count) {
        std::fprintf(stderr,
                     "lundi-bench-flamechart: the incident holds %zu spans (it counts %lld), not %lld\n",
                     snapshot->spans.size(), snapshot->counts.spans, count);
        return 1;
    }
    view.setSnapshot(snapshot);
    const double firstPaint = paintMs(view, image);
    const double firstPicture = msSince(opening);

    // The sweep: centred in the middle of the incident, from everything down to 2 µs in 30
    // steps and back, then pans at four zooms; all of it again with a search on.
    const TimeRange full = snapshot->timeRange;
    const qint64 middle = full.startNs + (full.endNs - full.startNs) / 2;
    const double fullWidth = double(full.endNs - full.startNs);
    const double narrowest = 2'000;
    std::vector<TimeRange> windows;
    for (int step = 0; step <= 60; ++step) {
        const double share = step <= 30 ? step / 30.0 : (60 - step) / 30.0;
        const qint64 w = qint64(fullWidth * std::pow(narrowest / fullWidth, share));
        windows.push_back({middle - w / 2, middle - w / 2 + w});
    }
    for (const double w : {fullWidth / 10, 1e8, 1e6, 1e4}) {
        for (int pan = 0; pan < 10; ++pan) {
            const qint64 start = middle + qint64(pan * w * 0.3);
            windows.push_back({start, start + qint64(w)});
        }
    }
    Sweep plain, searching;
    for (const TimeRange& window : windows) {
        view.setVisibleWindow(window);
        plain.add(view, image);
    }
    Highlight highlight;
    auto matches = std::make_shared<std::vector<bool>>(snapshot->strings.size(), false);
    for (size_t name = 0; name < matches->size(); name += 7)
        (*matches)[name] = true;
    highlight.matches = matches;
    view.setHighlight(highlight);
    for (const TimeRange& window : windows) {
        view.setVisibleWindow(window);
        searching.add(view, image);
    }

    view.setHighlight({});
    for (const TimelineLayout::Lane& lane : snapshot->timeline.lanes())
        view.setLaneExpanded(lane.track, true);
    Sweep expanded;
    for (const TimeRange& window : windows) {
        view.setVisibleWindow(window);
        expanded.add(view, image);
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double rssMb = usage.ru_maxrss / 1024.0;

    // The layout alone, once more, after the peak memory was read (it holds a second copy).
    const auto building = Clock::now();
    const TimelineLayout layout = TimelineLayout::build(snapshot->spans, snapshot->tracks);
    const double build = msSince(building);

    std::printf("Flame chart over %zu spans on %d tracks (%d rows), 1600x900\n", snapshot->spans.size(),
                Shape.tracks, snapshot->timeline.rowCount());
    std::printf("  first picture:     %.0f ms  (open + load + layout %.0f ms, first paint %.1f ms; target: "
                "under 1000 ms)\n",
                firstPicture, loaded, firstPaint);
    std::printf("  layout build:      %.0f ms  (of the load; target: well under 500 ms)\n", build);
    for (const auto& [name, sweep] : {std::pair{"repaint, compact: ", &plain},
                                      {"compact, search:  ", &searching},
                                      {"repaint, expanded:", &expanded}}) {
        std::printf("  %s median %.1f ms, worst %.1f ms over %zu windows (worst at a %.0f ns window; target: "
                    "under 16 ms)\n",
                    name, median(sweep->ms), sweep->worst, sweep->ms.size(),
                    double(sweep->worstWindow.endNs - sweep->worstWindow.startNs));
    }
    std::printf("  peak memory (RSS): %.0f MB  (target: under 400 MB)\n", rssMb);
    std::printf("  (writing the store through StoreSink took %.1f s, once)\n", written / 1000);
    return 0;
}
