// lundi-bench-correlation [SERIES] [RUNS]: Correlation over 1,000 metric series of 6 hours at a
// 15 s scrape interval (1,440 samples each) against 20,000 root spans, lags of ±10 steps:
// (a) from series already in memory (Correlation::rank: resampling, ranking, every lag), and
// (b) from an incident file (Correlation::compute: reading the spans and every series too).
// Prints medians.

#include "benchclock.h"

#include "analysis/correlation.h"
#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "ingest/sink.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace lundi;
using namespace lundi::bench;

namespace {

constexpr qint64 T0 = 1'763'884'800'000'000'000; // 2025-11-23 08:00 UTC
constexpr qint64 Step = 15'000'000'000;
constexpr int Samples = 6 * 3600 / 15;
constexpr int Requests = 20'000;
constexpr qint64 Hours6 = qint64(Samples) * Step;

struct Data
{
    std::vector<Sample> latency; // root spans: end, duration
    std::vector<qint64> starts;  // of the same spans
    std::vector<Correlation::Input> series;
};

// Latency follows a slow wave plus noise; each series is the wave at its own lag and noise level,
// so that ranking has real work (no two series alike).
Data generate(int seriesCount)
{
    std::mt19937_64 random(1);
    std::normal_distribution<double> noise;
    std::uniform_int_distribution<qint64> when(0, Hours6 - 1);
    const auto wave = [](qint64 t) { return std::sin(double(t - T0) / 1.2e12) + 1.5; };
    Data data;
    for (int i = 0; i < Requests; ++i) {
        const qint64 end = T0 + when(random);
        const double seconds = std::max(0.01, wave(end) + 0.3 * noise(random));
        data.latency.push_back({end, std::round(seconds * 1e9)});
    }
    std::sort(data.latency.begin(), data.latency.end(),
              [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
    for (const Sample& root : data.latency)
        data.starts.push_back(root.timeNs - qint64(root.value));
    for (int s = 0; s < seriesCount; ++s) {
        Correlation::Input input{s + 1, QStringLiteral("series_%1").arg(s), "{}", {}, {}};
        const qint64 lag = (s % 21 - 10) * Step;
        const double level = 0.05 * (s % 40);
        for (int k = 0; k < Samples; ++k) {
            const qint64 t = T0 + k * Step + 1'000'000'000;
            input.values.push_back({t, std::round((wave(t - lag) + level * noise(random)) * 1000) / 1000});
        }
        data.series.push_back(std::move(input));
    }
    return data;
}

void writeIncident(const QString& path, const Data& data)
{
    Store store(path);
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier)
        .importGenerated(QStringLiteral("bench"), QStringLiteral("bench"), "bench", {}, [&](Sink& sink) {
            const TrackId track = sink.addTrack({TrackKind::Service, QStringLiteral("api"), {}, {}, 0});
            const StringId name = sink.intern("GET /");
            for (size_t i = 0; i < data.latency.size(); ++i) {
                SpanSpec span;
                span.track = track;
                span.name = name;
                span.startNs = data.starts[i];
                span.durNs = qint64(data.latency[i].value);
                sink.addSpan(span);
            }
            for (const Correlation::Input& input : data.series) {
                const SeriesId id = sink.addSeries({input.name, "{}", {}});
                for (const Sample& sample : input.values)
                    sink.addSample(id, sample.timeNs, sample.value);
            }
        });
}

} // namespace

int main(int argc, char** argv)
{
    const int seriesCount = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    if (argc > 3 || seriesCount < 1 || runs < 1) {
        std::fprintf(stderr, "usage: lundi-bench-correlation [SERIES] [RUNS]\n");
        return 2;
    }
    const Data data = generate(seriesCount);
    const TimeRange range{T0, T0 + Hours6};

    std::vector<double> inMemory;
    Correlation::Result result;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        result = Correlation::rank(data.latency, data.series, range);
        inMemory.push_back(msSince(start) / 1000);
    }
    std::printf("Correlation of %d series x %d samples (step %lld s, lags +-%d steps) against %d root spans, "
                "median of %d runs\n",
                seriesCount, Samples, result.stepNs / 1'000'000'000, result.maxLagSteps, Requests, runs);
    std::printf("  in memory:         %.3f s  (target: under 1 s; %zu rows, strongest rho %.3f at lag %d)\n",
                median(inMemory), result.rows.size(), result.rows.empty() ? 0.0 : result.rows[0].rho,
                result.rows.empty() ? 0 : result.rows[0].lagSteps);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("correlation.lundi"));
    std::vector<double> fromFile;
    try {
        writeIncident(path, data);
        const Store store(path);
        for (int run = 0; run < runs; ++run) {
            const auto start = Clock::now();
            result = Correlation::compute(store, range);
            fromFile.push_back(msSince(start) / 1000);
        }
    } catch (const StoreError& error) {
        std::fprintf(stderr, "lundi-bench-correlation: %s\n", qPrintable(error.sentence()));
        return 1;
    }
    std::printf("  from the incident: %.3f s  (reading %d spans and %lld samples too)\n", median(fromFile),
                Requests, qint64(seriesCount) * Samples);
    return 0;
}
