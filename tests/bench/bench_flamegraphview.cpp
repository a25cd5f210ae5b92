// lundi-bench-flamegraphview [SPANS] [PAINTS]: the flame graph of a million spans (the call
// trees of calltrees.h), painted offscreen at 1600x900 into an image, PAINTS times at each zoom
// level: down the widest path from the root to a leaf, and back out; then at 1600x160, where the
// rows do not fit, PAINTS times at each row of a scroll from the root's edge to the far one, as
// icicle and as flame. Prints the tree's build time, the view's preparation of a new tree, and
// the median and worst paint per level and over the whole sweep, with and without a search
// highlight.

#include "benchclock.h"
#include "benchincident.h"

#include "analysis/flametree.h"
#include "flamegraphview.h"

#include <QApplication>
#include <QImage>
#include <QScrollBar>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr IncidentShape Shape{8, 8, TrackKind::Thread};

// Paints the view `paints` times at each zoom level of the sweep; returns every paint's time.
std::vector<double> sweep(FlameGraphView& view, const std::vector<qint32>& path, int paints, bool print)
{
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> all;
    const auto level = [&](const char* what) {
        std::vector<double> times;
        for (int i = 0; i < paints; ++i) {
            const auto start = Clock::now();
            view.render(&image);
            times.push_back(msSince(start));
        }
        all.insert(all.end(), times.begin(), times.end());
        if (print)
            std::printf("    %-5s depth %2d: median %6.2f ms, worst %6.2f ms\n", what,
                        int(std::find(path.begin(), path.end(), view.zoomedNode()) - path.begin()),
                        median(times), *std::max_element(times.begin(), times.end()));
    };
    level("root");
    for (size_t i = 1; i < path.size(); ++i) {
        view.zoomTo(path[i]);
        level("in");
    }
    while (view.canGoBack()) {
        view.back();
        level("out");
    }
    return all;
}

// Paints the view `paints` times at each step of a scroll by rows over the whole range.
std::vector<double> scroll(FlameGraphView& view, int paints)
{
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    auto* bar = view.findChild<QScrollBar*>();
    std::vector<double> all;
    for (int value = 0;; value = std::min(value + bar->singleStep(), bar->maximum())) {
        bar->setValue(value);
        for (int i = 0; i < paints; ++i) {
            const auto start = Clock::now();
            view.render(&image);
            all.push_back(msSince(start));
        }
        if (value == bar->maximum())
            break;
    }
    return all;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const int paints = argc > 2 ? std::atoi(argv[2]) : 20;
    if (argc > 3 || count < 1 || paints < 1) {
        std::fprintf(stderr, "usage: lundi-bench-flamegraphview [SPANS] [PAINTS]\n");
        return 2;
    }

    const std::vector<SpanRecord> spans = spanRecords(count, Shape, true);
    std::vector<double> builds;
    std::shared_ptr<const FlameTree> tree;
    for (int run = 0; run < 3; ++run) {
        const auto start = Clock::now();
        tree = std::make_shared<const FlameTree>(FlameTree::build(spans));
        builds.push_back(msSince(start));
    }
    auto names = std::make_shared<std::vector<QString>>(1);
    for (int name = 0; name < bench::NameCount; ++name)
        names->push_back(QString::fromStdString(bench::frameName(name)));

    // The widest path from the root to a leaf: the deepest zoom the sweep reaches.
    std::vector<qint32> path{0};
    for (;;) {
        const auto& children = tree->nodes()[size_t(path.back())].children;
        if (children.empty())
            break;
        path.push_back(*std::max_element(children.begin(), children.end(), [&](qint32 a, qint32 b) {
            return tree->nodes()[size_t(a)].totalNs < tree->nodes()[size_t(b)].totalNs;
        }));
    }

    FlameGraphView view;
    view.resize(1600, 900);
    const auto preparing = Clock::now();
    view.setTree(tree, names);
    const double prepared = msSince(preparing);

    std::printf("Flame graph of %lld spans (%zu nodes), 1600x900, %d paints per zoom level\n", count,
                tree->nodes().size(), paints);
    std::printf("  FlameTree::build:  %.1f ms (median of 3)\n", median(builds));
    std::printf("  setTree (child order, once per tree): %.1f ms\n", prepared);
    std::printf("  sweep, no search:\n");
    const std::vector<double> plain = sweep(view, path, paints, true);

    // A search that matches one name in eight: every box is a match or dimmed.
    std::vector<bool> matches(names->size(), false);
    for (size_t i = 1; i < matches.size(); i += 8)
        matches[i] = true;
    Highlight highlight;
    highlight.matches = std::make_shared<const std::vector<bool>>(std::move(matches));
    const auto highlighting = Clock::now();
    view.setHighlight(highlight);
    const double highlighted = msSince(highlighting);
    const std::vector<double> searched = sweep(view, path, paints, false);

    std::printf(
        "  every paint, no search:   median %.2f ms, worst %.2f ms over %zu paints (target: under 16 ms)\n",
        median(plain), *std::max_element(plain.begin(), plain.end()), plain.size());
    std::printf(
        "  every paint, with search: median %.2f ms, worst %.2f ms over %zu paints (setHighlight %.1f ms)\n",
        median(searched), *std::max_element(searched.begin(), searched.end()), searched.size(), highlighted);

    view.setHighlight({});
    view.resize(1600, 160);
    for (const bool icicle : {true, false}) {
        view.setIcicle(icicle);
        const std::vector<double> scrolled = scroll(view, paints);
        std::printf("  scroll at 1600x160, %s (range %d px): median %.2f ms, worst %.2f ms over %zu paints\n",
                    icicle ? "icicle" : "flame", view.findChild<QScrollBar*>()->maximum(), median(scrolled),
                    *std::max_element(scrolled.begin(), scrolled.end()), scrolled.size());
    }
    return 0;
}
