// lundi-bench-criticalpath [TRACES] [SPANS_PER_TRACE] [RUNS]: the critical path of every trace
// (issue 5's target: 100k traces / 1M spans under 1 s), (a) from spans already in memory, and
// (b) read back from an incident file (Store::spanRecords() and rootTraceIds() included), then
// the summary over all traces (flame tree, percentiles). Prints medians.

#include "benchclock.h"

#include "analysis/breakdown.h"
#include "analysis/criticalpath.h"
#include "analysis/criticalpathsummary.h"
#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr int Names = 40;

// One request: a root and spans nested at random inside earlier ones, as services calling
// services (sequential and parallel calls, a few levels deep); a producer's consumer now and then.
struct GeneratedSpan
{
    int parent = -1; // in the trace
    int name = 0;
    qint64 startNs = 0;
    qint64 durNs = 0;
    SpanKind kind = SpanKind::Unspecified;
};

template <class Each> void generateTraces(qint64 traces, int spansPerTrace, Each each)
{
    quint64 state = 42;
    const auto next = [&state](quint64 bound) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return (state >> 33) % bound;
    };
    std::vector<GeneratedSpan> trace;
    for (qint64 t = 0; t < traces; ++t) {
        trace.clear();
        const qint64 start = t * 1'000'000;
        trace.push_back({-1, 0, start, 1'000'000 + qint64(next(50'000'000)), SpanKind::Server});
        for (int i = 1; i < spansPerTrace; ++i) {
            const int parent = int(next(quint64(i)));
            const GeneratedSpan& p = trace[size_t(parent)];
            const qint64 offset = qint64(next(quint64(p.durNs)));
            const qint64 dur = 1 + qint64(next(quint64(p.durNs - offset)));
            const SpanKind kind = p.kind == SpanKind::Producer ? SpanKind::Consumer
                                  : next(20) == 0              ? SpanKind::Producer
                                                               : SpanKind::Client;
            trace.push_back({parent, 1 + int(next(Names - 1)), p.startNs + offset, dur, kind});
        }
        each(t, trace);
    }
}

std::vector<SpanRecord> spanRecords(qint64 traces, int spansPerTrace)
{
    std::vector<SpanRecord> spans;
    spans.reserve(size_t(traces * spansPerTrace));
    generateTraces(traces, spansPerTrace, [&](qint64, const std::vector<GeneratedSpan>& trace) {
        const SpanId base = SpanId(spans.size()) + 1;
        for (const GeneratedSpan& span : trace) {
            SpanRecord record;
            record.id = SpanId(spans.size()) + 1;
            record.parent = span.parent >= 0 ? base + span.parent : 0;
            record.track = 1;
            record.name = StringId(span.name + 1);
            record.category = Category(size_t(span.name) % AllCategories.size());
            record.startNs = span.startNs;
            record.durNs = span.durNs;
            record.kind = span.kind;
            spans.push_back(record);
        }
    });
    return spans;
}

void writeIncident(const QString& path, qint64 traces, int spansPerTrace)
{
    Store store(path);
    const ImporterRegistry registry(QStringList{});
    const Classifier classifier = Classifier::standard();
    Ingestor ingestor(store, registry, classifier);
    ingestor.importGenerated(
        QStringLiteral("lundi-bench"), QStringLiteral("lundi-bench"),
        QByteArray::number(traces * spansPerTrace), {}, [&](Sink& sink) {
            TrackSpec trackSpec;
            trackSpec.kind = TrackKind::Service;
            trackSpec.name = QStringLiteral("service");
            const TrackId track = sink.addTrack(trackSpec);
            std::vector<StringId> names;
            for (int name = 0; name < Names; ++name)
                names.push_back(sink.intern("operation-" + std::to_string(name)));
            std::vector<SpanId> ids;
            char traceId[33];
            generateTraces(traces, spansPerTrace, [&](qint64 t, const std::vector<GeneratedSpan>& trace) {
                std::snprintf(traceId, sizeof traceId, "%032llx", static_cast<unsigned long long>(t));
                ids.clear();
                for (const GeneratedSpan& generated : trace) {
                    SpanSpec span;
                    span.track = track;
                    span.parent = generated.parent >= 0 ? ids[size_t(generated.parent)] : 0;
                    span.name = names[size_t(generated.name)];
                    span.startNs = generated.startNs;
                    span.durNs = generated.durNs;
                    span.kind = generated.kind;
                    span.traceId = traceId;
                    ids.push_back(sink.addSpan(span));
                }
            });
        });
}

double secondsSince(Clock::time_point start)
{
    return msSince(start) / 1000;
}

} // namespace

int main(int argc, char** argv)
{
    const qint64 traces = argc > 1 ? std::atoll(argv[1]) : 100'000;
    const int spansPerTrace = argc > 2 ? std::atoi(argv[2]) : 10;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
    if (argc > 4 || traces < 1 || spansPerTrace < 1 || runs < 1) {
        std::fprintf(stderr, "usage: lundi-bench-criticalpath [TRACES] [SPANS_PER_TRACE] [RUNS]\n");
        return 2;
    }

    const std::vector<SpanRecord> spans = spanRecords(traces, spansPerTrace);
    std::vector<double> paths, summaries;
    size_t sections = 0;
    size_t callPaths = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        const std::vector<CriticalPath::Trace> computed = CriticalPath::compute(spans);
        paths.push_back(secondsSince(start));
        const CriticalPathSummary summary = CriticalPathSummary::build(spans, computed);
        summaries.push_back(secondsSince(start));
        callPaths = summary.tree().nodes().size() - 1;
        sections = 0;
        for (const CriticalPath::Trace& trace : computed)
            sections += trace.sections.size();
        if (qint64(computed.size()) != traces || summary.traceCount() != traces) {
            std::fprintf(stderr, "lundi-bench-criticalpath: %zu traces, not %lld\n", computed.size(), traces);
            return 1;
        }
    }
    std::printf("Critical path of %lld traces, %zu spans (%zu sections, %zu call paths), median of %d runs\n",
                traces, spans.size(), sections, callPaths, runs);
    std::printf("  in memory:         %.3f s  (target: under 1 s); with the summary %.3f s\n", median(paths),
                median(summaries));

    // What the Breakdown view computes: every request's critical-path and self time by
    // category, the summary with its percentiles, and the time buckets.
    std::vector<double> breakdowns;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        const Breakdown::Overview overview = Breakdown::overview(spans, {}, 60);
        breakdowns.push_back(secondsSince(start));
        if (overview.summary.requests != traces) {
            std::fprintf(stderr, "lundi-bench-criticalpath: the breakdown has %lld requests, not %lld\n",
                         overview.summary.requests, traces);
            return 1;
        }
    }
    std::printf("  breakdown:         %.3f s  (critical-path and self time per request, summary, buckets)\n",
                median(breakdowns));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("criticalpath.lundi"));
    const auto writing = Clock::now();
    try {
        writeIncident(path, traces, spansPerTrace);
    } catch (const StoreError& error) {
        std::fprintf(stderr, "lundi-bench-criticalpath: %s\n", qPrintable(error.sentence()));
        return 1;
    }
    const double written = secondsSince(writing);

    std::vector<double> reads, totals;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        const Store store(path);
        const std::vector<SpanRecord> stored = store.spanRecords();
        const CriticalPath::TraceIds ids = store.rootTraceIds();
        reads.push_back(secondsSince(start));
        const std::vector<CriticalPath::Trace> computed = CriticalPath::compute(stored, {}, {}, ids);
        totals.push_back(secondsSince(start));
        if (qint64(computed.size()) != traces || qint64(ids.size()) != traces) {
            std::fprintf(stderr,
                         "lundi-bench-criticalpath: the store gave %zu traces and %zu ids, not %lld\n",
                         computed.size(), ids.size(), traces);
            return 1;
        }
    }
    std::printf("  from the store:    %.3f s  (spanRecords + rootTraceIds %.3f s, then the paths)\n",
                median(totals), median(reads));
    std::printf("  (writing the store through StoreSink took %.2f s, once)\n", written);
    return 0;
}
