// Breakdown: requests (root spans) and their time by category, self time and critical-path
// time, over a range and per time bucket, on hand-made spans whose answers are worked out on
// paper next to them.

#include "lettertree.h"

#include "analysis/breakdown.h"
#include "plugins/importfixture.h"

#include <QTest>

using namespace lundi;
using namespace lundi::test;

namespace {

using Spans = std::vector<SpanRecord>;
using Requests = std::vector<Breakdown::Request>;

constexpr Category Api = Category::Api;
constexpr Category Network = Category::Network;
constexpr Category Gpu = Category::Gpu;
constexpr Category Compliance = Category::Compliance;
constexpr Category Storage = Category::Storage;

SpanRecord spanOf(SpanId id, SpanId parent, Category category, qint64 start, qint64 dur, TrackId track = 1)
{
    return span(id, parent, 'A', start, dur, track, category);
}

QString times(const Breakdown::CategoryTimes& times)
{
    QStringList parts;
    for (const Category category : AllCategories) {
        if (const qint64 ns = times[size_t(category)])
            parts.append(QStringLiteral("%1=%2").arg(categoryName(category)).arg(ns));
    }
    return parts.join(QLatin1Char(' '));
}

// "root 1 at 0 for 100: self api=50 compliance=20"
QStringList renderSelf(const Requests& requests)
{
    QStringList lines;
    for (const Breakdown::Request& request : requests)
        lines.append(QStringLiteral("root %1 at %2 for %3: self %4")
                         .arg(request.root)
                         .arg(request.startNs)
                         .arg(request.durNs)
                         .arg(times(request.selfNs)));
    return lines;
}

SpanFilter filtered(TimeRange range, QSet<TrackId> hidden = {})
{
    SpanFilter filter;
    filter.range = range;
    filter.hiddenTracks = std::move(hidden);
    return filter;
}

Breakdown::Request request(qint64 start, qint64 dur, Breakdown::CategoryTimes critical = {})
{
    Breakdown::Request made;
    made.startNs = start;
    made.durNs = dur;
    made.criticalNs = critical;
    return made;
}

Breakdown::CategoryTimes timesOf(std::initializer_list<std::pair<Category, qint64>> values)
{
    Breakdown::CategoryTimes times{};
    for (const auto& [category, ns] : values)
        times[size_t(category)] = ns;
    return times;
}

} // namespace

Q_DECLARE_METATYPE(Spans)
Q_DECLARE_METATYPE(SpanFilter)

class TestBreakdown : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void selfTime_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<SpanFilter>("filter");
        QTest::addColumn<QStringList>("expected");

        // api 0..100 holds compliance 10..40 (with storage 20..30 in it) and network 50..70.
        const Spans nested{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Compliance, 10, 30),
                           spanOf(3, 2, Storage, 20, 10), spanOf(4, 1, Network, 50, 20)};
        QTest::newRow("nested")
            << nested << SpanFilter{}
            << QStringList{
                   QStringLiteral("root 1 at 0 for 100: self api=50 network=20 compliance=20 storage=10")};

        // Two kernels in parallel: 50 each, both count (self time is work, 140 in a 100 request);
        // the parent's self is what no child covers, 10..70 covered: 40.
        QTest::newRow("parallel children each count")
            << Spans{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Gpu, 10, 50), spanOf(3, 1, Gpu, 20, 50)}
            << SpanFilter{} << QStringList{QStringLiteral("root 1 at 0 for 100: self api=40 gpu=100")};

        // A child that overhangs its parent covers only its part inside it; its own self is all of it.
        QTest::newRow("overhanging child")
            << Spans{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Network, 80, 50)} << SpanFilter{}
            << QStringList{QStringLiteral("root 1 at 0 for 100: self api=80 network=50")};

        // Children listed out of start order give the same union.
        QTest::newRow("children out of order")
            << Spans{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Gpu, 60, 30), spanOf(3, 1, Gpu, 0, 70)}
            << SpanFilter{} << QStringList{QStringLiteral("root 1 at 0 for 100: self api=10 gpu=100")};

        // Two requests on two tracks, in start order; an instant root is no request.
        QTest::newRow("requests in start order, instants left out")
            << Spans{spanOf(1, 0, Api, 500, 10, 1), spanOf(2, 0, Storage, 100, 20, 2),
                     spanOf(3, 0, Api, 300, 0, 1), spanOf(4, 2, Storage, 105, 5, 2)}
            << SpanFilter{}
            << QStringList{QStringLiteral("root 2 at 100 for 20: self storage=20"),
                           QStringLiteral("root 1 at 500 for 10: self api=10")};

        // With a range, requests that start in it, whole: one starting before is left out even
        // though it overlaps, one running past the end is kept entire.
        const Spans three{spanOf(1, 0, Api, 0, 100), spanOf(2, 0, Api, 150, 100),
                          spanOf(3, 2, Network, 160, 80), spanOf(4, 0, Api, 300, 10)};
        QTest::newRow("range: requests that start in it")
            << three << filtered({50, 300})
            << QStringList{QStringLiteral("root 2 at 150 for 100: self api=20 network=80")};
        QTest::newRow("range: start is in, end is out")
            << three << filtered({150, 151})
            << QStringList{QStringLiteral("root 2 at 150 for 100: self api=20 network=80")};
        QTest::newRow("range: nothing starts in it") << three << filtered({151, 300}) << QStringList{};

        // A (track 1) holds B (track 2) which holds C (track 1). Hiding track 2 hangs C under A,
        // and B's time outside C becomes A's self time.
        const Spans acrossTracks{spanOf(1, 0, Api, 0, 100, 1), spanOf(2, 1, Network, 10, 60, 2),
                                 spanOf(3, 2, Storage, 20, 30, 1)};
        QTest::newRow("all tracks") << acrossTracks << SpanFilter{}
                                    << QStringList{QStringLiteral(
                                           "root 1 at 0 for 100: self api=40 network=30 storage=30")};
        QTest::newRow("hidden middle track")
            << acrossTracks << filtered({}, {2})
            << QStringList{QStringLiteral("root 1 at 0 for 100: self api=70 storage=30")};
        // Hiding the root's track makes the spans below it requests of their own.
        QTest::newRow("hidden root track")
            << acrossTracks << filtered({}, {1})
            << QStringList{QStringLiteral("root 2 at 10 for 60: self network=60")};
    }

    void selfTime()
    {
        QFETCH(Spans, spans);
        QFETCH(SpanFilter, filter);
        QFETCH(QStringList, expected);
        QCOMPARE(renderSelf(Breakdown::requests(spans, filter)), expected);
    }

    void criticalPath_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<QStringList>("expected");

        // The compliance check (10..80) is 70 % of the 100 ns critical path; the storage call in
        // parallel with it (15..40) is on no path but is work (self 25); the api handler has the
        // rest, 0..10 and 80..100.
        QTest::newRow("compliance takes 70 %")
            << Spans{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Compliance, 10, 70),
                     spanOf(3, 1, Storage, 15, 25)}
            << QStringList{QStringLiteral(
                   "root 1: critical api=30 compliance=70; self api=30 compliance=70 storage=25")};

        // A network hop, then GPU work with a kernel inside: in sequence, all on the path.
        QTest::newRow("sequential")
            << Spans{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Network, 0, 20), spanOf(3, 1, Api, 20, 70),
                     spanOf(4, 3, Gpu, 30, 50)}
            << QStringList{QStringLiteral(
                   "root 1: critical api=30 network=20 gpu=50; self api=30 network=20 gpu=50")};

        // Two requests, each with its own path.
        QTest::newRow("two requests")
            << Spans{spanOf(1, 0, Api, 0, 10), spanOf(2, 0, Storage, 5, 40), spanOf(3, 2, Network, 5, 35),
                     spanOf(4, 1, Compliance, 2, 8)}
            << QStringList{
                   QStringLiteral("root 1: critical api=2 compliance=8; self api=2 compliance=8"),
                   QStringLiteral("root 2: critical network=35 storage=5; self network=35 storage=5")};
    }

    void criticalPath()
    {
        QFETCH(Spans, spans);
        QFETCH(QStringList, expected);
        QStringList lines;
        for (const Breakdown::Request& request : Breakdown::requests(spans)) {
            lines.append(QStringLiteral("root %1: critical %2; self %3")
                             .arg(request.root)
                             .arg(times(request.criticalNs), times(request.selfNs)));
            // The critical path tiles the request: its times sum to the latency.
            qint64 sum = 0;
            for (const qint64 ns : request.criticalNs)
                sum += ns;
            QCOMPARE(sum, request.durNs);
        }
        QCOMPARE(lines, expected);
    }

    void criticalPathIsNotClippedByTheRange()
    {
        // The request starts in the range and ends after it: its path is whole all the same.
        const Spans spans{spanOf(1, 0, Api, 0, 100), spanOf(2, 1, Compliance, 10, 70)};
        const Requests requests = Breakdown::requests(spans, filtered({0, 50}));
        QCOMPARE(requests.size(), size_t(1));
        QCOMPARE(times(requests[0].criticalNs), QStringLiteral("api=30 compliance=70"));
        QCOMPARE(times(requests[0].selfNs), QStringLiteral("api=30 compliance=70"));
    }

    void deepTrace()
    {
        // 200,000 spans each inside the one before: no recursion, and each span's self is 1.
        constexpr qint64 Depth = 200'000;
        Spans spans;
        spans.reserve(size_t(Depth));
        for (qint64 i = 0; i < Depth; ++i)
            spans.push_back(spanOf(i + 1, i, i % 2 ? Api : Storage, i, 2 * (Depth - i)));
        const Requests requests = Breakdown::requests(spans);
        QCOMPARE(requests.size(), size_t(1));
        // Each span but the last has self 2 (1 at each end); the last 2.
        QCOMPARE(requests[0].selfNs[size_t(Storage)] + requests[0].selfNs[size_t(Api)], 2 * Depth);
        QCOMPARE(requests[0].selfNs[size_t(Storage)], Depth);
    }

    void summarise()
    {
        // Four requests; the critical-path times sum to each latency.
        const Requests requests{
            request(0, 100, timesOf({{Api, 30}, {Compliance, 70}})),
            request(10, 200, timesOf({{Api, 200}})),
            request(20, 50, timesOf({{Api, 10}, {Compliance, 40}})),
            request(30, 150, timesOf({{Compliance, 150}})),
        };
        const Breakdown::Summary summary = Breakdown::summarise(requests);
        QCOMPARE(summary.requests, 4);
        QCOMPARE(summary.criticalNs, 500);
        QCOMPARE(summary.latency.percentiles().p50, 100); // 50 100 150 200: rank 2
        QCOMPARE(summary.latency.percentiles().p95, 200);
        QCOMPARE(summary.categories.size(), AllCategories.size());
        const Breakdown::CategoryRow& api = summary.categories[size_t(Api)];
        const Breakdown::CategoryRow& compliance = summary.categories[size_t(Compliance)];
        QCOMPARE(api.category, Api);
        QCOMPARE(api.criticalNs, 240);
        QCOMPARE(compliance.criticalNs, 260);
        QCOMPARE(compliance.criticalShare, 260.0 / 500);
        // Per request, with a request without compliance as 0: 0 40 70 150.
        QCOMPARE(compliance.criticalPerRequest.p50, 40);
        QCOMPARE(compliance.criticalPerRequest.p95, 150);
        QCOMPARE(api.criticalPerRequest.p50, 10); // 0 10 30 200
        QCOMPARE(summary.categories[size_t(Gpu)].criticalNs, 0);
        QCOMPARE(summary.categories[size_t(Gpu)].criticalShare, 0.0);

        const Breakdown::Summary none = Breakdown::summarise({});
        QCOMPARE(none.requests, 0);
        QCOMPARE(none.categories[size_t(Api)].criticalShare, 0.0);
    }

    void buckets()
    {
        // Buckets of 100 from 1000: [1000, 1100) holds 20 requests of 1..20 ns... latency, the
        // slowest 5 % of them is one (the 20); [1100, 1200) is empty; [1200, 1250) holds two.
        Requests requests;
        for (qint64 i = 1; i <= 20; ++i)
            requests.push_back(request(1000 + i, i, timesOf({{Api, i}})));
        requests[19].criticalNs = timesOf({{Api, 6}, {Compliance, 14}});
        requests.push_back(request(1200, 10, timesOf({{Gpu, 10}})));
        requests.push_back(request(1249, 30, timesOf({{Gpu, 10}, {Network, 20}})));
        requests.push_back(request(1250, 99, timesOf({{Gpu, 99}})));               // at the range's end: out
        requests.insert(requests.begin(), request(999, 99, timesOf({{Gpu, 99}}))); // before it: out

        const std::vector<Breakdown::Bucket> buckets = Breakdown::buckets(requests, {1000, 1250}, 100, 0.05);
        QCOMPARE(buckets.size(), size_t(3));
        QCOMPARE(buckets[0].startNs, 1000);
        QCOMPARE(buckets[0].requests, 20);
        QCOMPARE(buckets[0].latency.p50, 10);
        QCOMPARE(buckets[0].latency.p95, 19);
        QCOMPARE(buckets[0].latency.p99, 20);
        QCOMPARE(buckets[0].slowRequests, 1);
        QCOMPARE(buckets[0].slowCriticalMeanNs[size_t(Api)], 6.0);
        QCOMPARE(buckets[0].slowCriticalMeanNs[size_t(Compliance)], 14.0);

        QCOMPARE(buckets[1].startNs, 1100);
        QCOMPARE(buckets[1].requests, 0);
        QCOMPARE(buckets[1].slowRequests, 0);

        // Two requests: the slowest 5 % is at least one, the 30.
        QCOMPARE(buckets[2].requests, 2);
        QCOMPARE(buckets[2].slowRequests, 1);
        QCOMPARE(buckets[2].slowCriticalMeanNs[size_t(Gpu)], 10.0);
        QCOMPARE(buckets[2].slowCriticalMeanNs[size_t(Network)], 20.0);

        // The slowest half of the first bucket: 11..20, the mean of their api time, 15.5 less
        // the 20's api time that went to compliance (20 - 6 = 14) over ten.
        const auto halves = Breakdown::buckets(requests, {1000, 1100}, 100, 0.5);
        QCOMPARE(halves.size(), size_t(1));
        QCOMPARE(halves[0].slowRequests, 10);
        QCOMPARE(halves[0].slowCriticalMeanNs[size_t(Api)], (155.0 - 14.0) / 10);
        QCOMPARE(halves[0].slowCriticalMeanNs[size_t(Compliance)], 1.4);

        QVERIFY(Breakdown::buckets(requests, {}, 100).empty());
        QVERIFY(Breakdown::buckets(requests, {0, 10}, 0).empty());
    }

    void overview()
    {
        // Requests at 61 s, 90 s and 185 s of a minute-aligned clock: with a range of 61..200 s
        // and at most 3 buckets, the width is 1 min and the buckets start on the minute (60, 120,
        // 180 s), the first before the range's start.
        constexpr qint64 S = 1'000'000'000;
        const Spans spans{spanOf(1, 0, Api, 61 * S, 2 * S), spanOf(2, 1, Compliance, 61 * S, S),
                          spanOf(3, 0, Api, 90 * S, S), spanOf(4, 0, Gpu, 185 * S, 4 * S),
                          spanOf(5, 0, Api, 30 * S, S)};
        const Breakdown::Overview overview = Breakdown::overview(spans, filtered({61 * S, 200 * S}), 3, 0.05);
        QCOMPARE(overview.scope.startNs, 61 * S);
        QCOMPARE(overview.scope.endNs, 200 * S);
        QCOMPARE(overview.stepNs, 60 * S);
        QCOMPARE(overview.summary.requests, 3);
        QCOMPARE(overview.buckets.size(), size_t(3));
        QCOMPARE(overview.buckets[0].startNs, 60 * S);
        QCOMPARE(overview.buckets[0].requests, 2);
        // The slowest of the first minute is the 2 s request, half of it in compliance.
        QCOMPARE(overview.buckets[0].slowCriticalMeanNs[size_t(Compliance)], double(S));
        QCOMPARE(overview.buckets[0].slowCriticalMeanNs[size_t(Api)], double(S));
        QCOMPARE(overview.buckets[1].requests, 0);
        QCOMPARE(overview.buckets[2].startNs, 180 * S);
        QCOMPARE(overview.buckets[2].latency.p50, 4 * S);

        // No range: from the first request's start to the last one's.
        const Breakdown::Overview all = Breakdown::overview(spans, {}, 3);
        QCOMPARE(all.summary.requests, 4);
        QCOMPARE(all.scope.startNs, 30 * S);
        QCOMPARE(all.scope.endNs, 185 * S + 1);
        QCOMPARE(all.buckets.front().startNs, 0);

        // Nothing at all: an empty scope and no buckets.
        const Breakdown::Overview none = Breakdown::overview({}, {}, 3);
        QCOMPARE(none.summary.requests, 0);
        QVERIFY(none.buckets.empty());
    }

    // Every trace file of the corpus that imports: each request's critical-path times sum to its
    // latency exactly, and the requests are the roots of some duration of the stored spans,
    // counted here on their own.
    void corpus_data()
    {
        const int rows = ::test::addCorpusRows("chrome-trace") + ::test::addCorpusRows("jaeger-json") +
                         ::test::addCorpusRows("otlp-json");
        if (rows == 0)
            QSKIP("the corpus is missing");
    }

    void corpus()
    {
        QFETCH(QString, path);
        QFETCH(QString, expect);
        if (expect != QLatin1String("ok"))
            QSKIP("a file the corpus does not expect to import");
        ::test::Fixture fixture;
        fixture.import(path);
        const std::vector<SpanRecord> spans = fixture.store().spanRecords();
        qint64 roots = 0;
        for (const SpanRecord& record : spans)
            roots += record.parent == 0 && record.durNs > 0;
        const Requests requests = Breakdown::requests(spans);
        QCOMPARE(qint64(requests.size()), roots);
        for (const Breakdown::Request& request : requests) {
            qint64 critical = 0;
            for (const Category category : AllCategories) {
                critical += request.criticalNs[size_t(category)];
                QVERIFY(request.criticalNs[size_t(category)] >= 0);
            }
            QVERIFY2(critical == request.durNs, qPrintable(QStringLiteral("root %1: %2 of %3 ns")
                                                               .arg(request.root)
                                                               .arg(critical)
                                                               .arg(request.durNs)));
        }
        const Breakdown::Summary summary = Breakdown::summarise(requests);
        QCOMPARE(summary.requests, roots);
        qint64 latencies = 0;
        for (const Breakdown::Request& request : requests)
            latencies += request.durNs;
        QCOMPARE(summary.criticalNs, latencies);
    }

    void niceStep_data()
    {
        QTest::addColumn<qint64>("range");
        QTest::addColumn<int>("maxBuckets");
        QTest::addColumn<qint64>("expected");
        constexpr qint64 S = 1'000'000'000;
        QTest::newRow("an hour in 60") << 3600 * S << 60 << 60 * S;
        QTest::newRow("an hour in 100") << 3600 * S << 100 << 60 * S;
        QTest::newRow("an hour in 200: 30 s") << 3600 * S << 200 << 30 * S;
        QTest::newRow("a minute in 60") << 60 * S << 60 << S;
        QTest::newRow("10 ms in 60: 200 us") << 10'000'000LL << 60 << 200'000LL;
        QTest::newRow("a week in 60: 6 h") << 7 * 24 * 3600 * S << 60 << 6 * 3600 * S;
        QTest::newRow("a year in 60: whole days") << 365 * 24 * 3600 * S << 60 << 7 * 24 * 3600 * S;
        QTest::newRow("nothing") << qint64(0) << 60 << qint64(1);
    }

    void niceStep()
    {
        QFETCH(qint64, range);
        QFETCH(int, maxBuckets);
        QFETCH(qint64, expected);
        QCOMPARE(Breakdown::niceStep(range, maxBuckets), expected);
        QVERIFY(range <= expected * maxBuckets);
    }
};

QTEST_GUILESS_MAIN(TestBreakdown)
#include "tst_breakdown.moc"
