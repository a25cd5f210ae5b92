// lundi-bench-diff [SPANS] [RUNS]: BaselineDiff of two sources of SPANS spans each (issue 5's
// target: two 1M-span sources under 1 s), the whole comparison: both sides' span flame trees,
// their critical paths and summaries, the flame diff and the contributors. The sources have the
// shape of the generated Chrome trace (calltrees.h), from different seeds, so their stacks
// differ. Prints medians.

#include "benchclock.h"
#include "benchincident.h"

#include "analysis/baselinediff.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

int main(int argc, char** argv)
{
    const qint64 count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    if (argc > 3 || count < 1 || runs < 1) {
        std::fprintf(stderr, "usage: lundi-bench-diff [SPANS] [RUNS]\n");
        return 2;
    }

    // Source 1 on tracks 1-8, source 2 on tracks 9-16, its ids after source 1's (one incident).
    constexpr int Tracks = 8;
    std::vector<SpanRecord> spans = spanRecords(count, {Tracks, Tracks, TrackKind::Thread, 42}, true);
    const SpanId offset = SpanId(spans.size());
    for (SpanRecord span : spanRecords(count, {Tracks, Tracks, TrackKind::Thread, 43}, true)) {
        span.id += offset;
        span.parent = span.parent ? span.parent + offset : 0;
        span.track += Tracks;
        spans.push_back(span);
    }
    QList<Track> tracks;
    for (int t = 1; t <= 2 * Tracks; ++t)
        tracks.append(
            {t, t <= Tracks ? 1 : 2, TrackKind::Thread, QStringLiteral("thread-%1").arg(t), {}, {}, t});

    // CPU time too: on a shared machine the wall clock says as much about the neighbours.
    std::vector<double> times, cpuTimes;
    BaselineDiff diff;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        const std::clock_t cpuStart = std::clock();
        diff = BaselineDiff::compute(spans, tracks, {SourceId(1), {}}, {SourceId(2), {}});
        times.push_back(msSince(start) / 1000);
        cpuTimes.push_back(double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
    }
    std::printf("BaselineDiff of two sources of %lld spans (%lld and %lld traces, %zu union nodes, %zu "
                "contributing paths), median of %d runs\n",
                count, diff.baseline.traces, diff.incident.traces,
                diff.flame.tree(FlameDiff::Widths::Incident).nodes().size(), diff.paths.size(), runs);
    std::printf(
        "  in memory:         %.3f s  (worst %.3f s; target: under 1 s); CPU time %.3f s (two threads)\n",
        median(times), worst(times), median(cpuTimes));
    return 0;
}
