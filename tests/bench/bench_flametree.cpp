// lundi-bench-flametree [SPANS] [RUNS]: FlameTree over a million spans, (a) from spans already in
// memory and (b) read back from an incident file with Store::spanRecords(). The spans have
// the shape of the generated Chrome trace (calltrees.h). Prints medians.

#include "benchclock.h"
#include "benchincident.h"

#include "analysis/flametree.h"
#include "store/storeerror.h"

#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr IncidentShape Shape{8, 8, TrackKind::Thread};

double secondsSince(Clock::time_point start)
{
    return msSince(start) / 1000;
}

} // namespace

int main(int argc, char** argv)
{
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    if (argc > 3 || count < 1 || runs < 1) {
        std::fprintf(stderr, "usage: lundi-bench-flametree [SPANS] [RUNS]\n");
        return 2;
    }

    const std::vector<SpanRecord> spans = spanRecords(count, Shape, false);
    std::vector<double> inMemory;
    size_t nodes = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        const FlameTree tree = FlameTree::build(spans);
        inMemory.push_back(secondsSince(start));
        nodes = tree.nodes().size();
    }
    std::printf("FlameTree over %lld spans (%zu nodes), median of %d runs\n", count, nodes, runs);
    std::printf("  in memory:         %.3f s  (target: under 0.1 s)\n", median(inMemory));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("flametree.lundi"));
    const auto writing = Clock::now();
    try {
        writeIncident(path, count, Shape);
    } catch (const StoreError& error) {
        std::fprintf(stderr, "lundi-bench-flametree: %s\n", qPrintable(error.sentence()));
        return 1;
    }
    const double written = secondsSince(writing);

    std::vector<double> reads, totals;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        const Store store(path);
        const std::vector<SpanRecord> stored = store.spanRecords();
        reads.push_back(secondsSince(start));
        const FlameTree tree = FlameTree::build(stored);
        totals.push_back(secondsSince(start));
        if (qint64(stored.size()) != count || tree.nodes().size() != nodes) {
            std::fprintf(stderr,
                         "lundi-bench-flametree: the store gave %zu spans and %zu nodes, not %lld and %zu\n",
                         stored.size(), tree.nodes().size(), count, nodes);
            return 1;
        }
    }
    std::printf("  from the store:    %.3f s  (spanRecords %.3f s + build; target: under 0.6 s)\n",
                median(totals), median(reads));
    std::printf("  (writing the store through StoreSink took %.2f s, once)\n", written);
    return 0;
}
