// lundi-bench-flametree [SPANS] [RUNS]: FlameTree over a million spans, (a) from spans already in
// memory and (b) read back from an incident file with Store::spanRecords(). The spans have
// the shape of the generated Chrome trace (calltrees.h). Prints medians.

#include "calltrees.h"

#include "analysis/flametree.h"
#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lundi;

namespace {

constexpr int Threads = 8;
constexpr uint64_t Seed = 42;

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Ids in pre-order, so parents come first and siblings in start order, as the store hands them.
std::vector<SpanRecord> spansInMemory(qint64 count)
{
    std::vector<SpanRecord> spans;
    spans.reserve(size_t(count));
    bench::generateCallTrees(count, Threads, Seed, [&](int thread, const std::vector<bench::CallNode>& tree) {
        const SpanId base = SpanId(spans.size()) + 1;
        for (const bench::CallNode& node : tree)
            spans.push_back({SpanId(spans.size()) + 1, node.parent >= 0 ? base + node.parent : 0,
                             TrackId(thread + 1), StringId(node.name + 1), Category::Other, node.startNs,
                             node.durNs});
    });
    return spans;
}

// Writes the same spans through the ingest path (StoreSink, BulkWriter) into a new incident.
void writeStore(const QString& path, qint64 count)
{
    Store store(path);
    const ImporterRegistry registry(QStringList{});
    const Classifier classifier = Classifier::standard();
    Ingestor ingestor(store, registry, classifier);
    ingestor.importGenerated(QStringLiteral("lundi-bench"), QStringLiteral("lundi-bench-flametree"),
                             QByteArray::number(count), {}, [count](Sink& sink) {
                                 std::vector<TrackId> tracks;
                                 for (int thread = 0; thread < Threads; ++thread) {
                                     TrackSpec track;
                                     track.name = QStringLiteral("worker-%1").arg(thread);
                                     tracks.push_back(sink.addTrack(track));
                                 }
                                 std::vector<StringId> names, cats;
                                 for (int name = 0; name < bench::NameCount; ++name) {
                                     names.push_back(sink.intern(bench::frameName(name)));
                                     cats.push_back(sink.intern(bench::frameCat(name)));
                                 }
                                 std::vector<SpanId> ids;
                                 bench::generateCallTrees(
                                     count, Threads, Seed,
                                     [&](int thread, const std::vector<bench::CallNode>& tree) {
                                         ids.clear();
                                         for (const bench::CallNode& node : tree) {
                                             SpanSpec span;
                                             span.track = tracks[size_t(thread)];
                                             span.parent = node.parent >= 0 ? ids[size_t(node.parent)] : 0;
                                             span.name = names[size_t(node.name)];
                                             span.cat = cats[size_t(node.name)];
                                             span.startNs = node.startNs;
                                             span.durNs = node.durNs;
                                             ids.push_back(sink.addSpan(span));
                                         }
                                     });
                             });
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

    const std::vector<SpanRecord> spans = spansInMemory(count);
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
        writeStore(path, count);
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
