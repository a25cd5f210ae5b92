// Suspects on requests built so that the answer is known: every request goes through the same
// path (auth, a database query, a network hop, a GPU kernel with a cache prefetch running beside
// it, and the handler's own work), and one part of it is made slow. That part must rank first,
// with and without a baseline, and the prefetch, which runs in parallel and never holds a
// request up, must never rank at all.

#include "analysis/suspects.h"

#include <QRandomGenerator>
#include <QTest>

using namespace lundi;

namespace {

constexpr qint64 Ms = 1'000'000;

// The parts of a request, each a name of its own (StringId = index).
enum Part : StringId { Root = 1, Auth, Query, Hop, Kernel, Prefetch, PartCount };

const std::vector<QString> Names{QString(),
                                 QStringLiteral("POST /v1/ask"),
                                 QStringLiteral("auth.verify_token"),
                                 QStringLiteral("SELECT inventory"),
                                 QStringLiteral("HTTP POST vector-store"),
                                 QStringLiteral("decode"),
                                 QStringLiteral("cache.prefetch")};

Category categoryOf(Part part)
{
    switch (part) {
    case Root:
        return Category::Api;
    case Auth:
        return Category::Compliance;
    case Query:
        return Category::Storage;
    case Hop:
    case Prefetch:
        return Category::Network;
    case Kernel:
        return Category::Gpu;
    default:
        return Category::Other;
    }
}

struct Requests
{
    std::vector<SpanRecord> spans;
    std::vector<Sample> slowness; // a metric that follows how slow the planted part was

    // One request from startNs: the planted part (if any) takes `factor` times longer.
    void add(qint64 startNs, Part slow, double factor, QRandomGenerator& random)
    {
        const auto ms = [&](Part part, double base) {
            const double jitter = 0.8 + 0.4 * random.generateDouble();
            return qint64(base * jitter * (part == slow ? factor : 1.0) * double(Ms));
        };
        const SpanId root = SpanId(spans.size()) + 1;
        const auto child = [&](Part part, qint64 start, qint64 dur) {
            SpanRecord span;
            span.id = SpanId(spans.size()) + 1;
            span.parent = part == Root ? 0 : root;
            span.track = 1;
            span.name = part;
            span.category = categoryOf(part);
            span.startNs = start;
            span.durNs = dur;
            spans.push_back(span);
            return start + dur;
        };
        const size_t rootIndex = spans.size();
        child(Root, startNs, 0);
        qint64 at = startNs + ms(Root, 5); // the handler's own work before its first call
        at = child(Auth, at, ms(Auth, 10));
        at = child(Query, at, ms(Query, 20));
        at = child(Hop, at, ms(Hop, 30));
        const qint64 kernel = ms(Kernel, 100);
        child(Kernel, at, kernel);
        child(Prefetch, at, kernel * 99 / 100); // beside the kernel, always done before it
        at += kernel + ms(Root, 5);
        spans[rootIndex].durNs = at - startNs;
        slowness.push_back({at, slow == PartCount ? 1.0 : factor});
    }
};

// Requests a second apart from startNs; the planted part of each is 20 to 40 times slower.
void addRequests(Requests& requests, qint64 startNs, int count, Part slow, QRandomGenerator& random)
{
    for (int i = 0; i < count; ++i)
        requests.add(startNs + i * 1000 * Ms, slow,
                     slow == PartCount ? 1.0 : 20 + 20 * random.generateDouble(), random);
}

SpanFilter rangeFilter(qint64 startNs, qint64 endNs)
{
    SpanFilter filter;
    filter.range = {startNs, endNs};
    return filter;
}

constexpr qint64 Hour = 3600'000 * Ms;

} // namespace

class TestSuspects : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void plantedCauseRanksFirst_data()
    {
        QTest::addColumn<int>("slow");
        QTest::addColumn<bool>("withBaseline");
        QTest::addColumn<quint32>("seed");
        const std::pair<const char*, Part> causes[] = {{"slow network hop", Hop},
                                                       {"slow GPU kernel", Kernel},
                                                       {"slow compliance check", Auth},
                                                       {"lock in the database", Query},
                                                       {"slow API handler", Root}};
        for (const auto& [cause, part] : causes) {
            for (const bool baseline : {false, true}) {
                for (const quint32 seed : {1u, 2u, 3u})
                    QTest::addRow("%s, %s baseline, seed %u", cause, baseline ? "with" : "without", seed)
                        << int(part) << baseline << seed;
            }
        }
    }

    void plantedCauseRanksFirst()
    {
        QFETCH(int, slow);
        QFETCH(bool, withBaseline);
        QFETCH(quint32, seed);
        QRandomGenerator random(seed);
        Requests requests;
        // A normal hour, then an hour in which every request is slow in one place.
        addRequests(requests, 0, 200, PartCount, random);
        addRequests(requests, Hour, 200, Part(slow), random);

        const Suspects::Result result =
            Suspects::find(requests.spans, Names, rangeFilter(Hour, 2 * Hour),
                           withBaseline ? std::optional(rangeFilter(0, Hour)) : std::nullopt);
        QCOMPARE(result.incident.traces, 200);
        QCOMPARE(result.incident.slowTraces, 10);
        QVERIFY(!result.suspects.empty());
        const Suspects::Suspect& first = result.suspects.front();
        QCOMPARE(Names[first.name], Names[size_t(slow)]);
        QCOMPARE(first.category, categoryOf(Part(slow)));
        QCOMPARE(first.rank, 1);
        QCOMPARE(first.slowTracesWithIt, 10);
        QVERIFY2(first.share > 0.5, qPrintable(first.evidence));
        QVERIFY(first.evidence.startsWith(categoryName(first.category) + QStringLiteral(" · ") +
                                          Names[first.name]));
        QCOMPARE(first.baselineShare.has_value(), withBaseline);
        if (withBaseline) {
            // Only what grew is a suspect: the other parts vary by chance, far less than it.
            for (size_t i = 1; i < result.suspects.size(); ++i)
                QVERIFY2(result.suspects[i].contributionNs < first.contributionNs / 20,
                         qPrintable(result.suspects[i].evidence));
            QVERIFY(first.baselineCriticalNs > 0);
            QCOMPARE(first.contributionNs, first.criticalNs - first.baselineCriticalNs);
            QVERIFY(first.evidence.contains(QStringLiteral("up from")));
        }
        for (const Suspects::Suspect& suspect : result.suspects)
            QVERIFY2(suspect.name != Prefetch, qPrintable(suspect.evidence));
    }

    // The critical path of the slowest requests adds up: with nothing planted, the suspects'
    // times are the parts of the path and sum to the slow requests' mean latency.
    void timesAddUpToTheSlowLatency()
    {
        QRandomGenerator random(7);
        Requests requests;
        addRequests(requests, 0, 100, PartCount, random);
        const Suspects::Result result = Suspects::find(requests.spans, Names, {}, std::nullopt);
        QCOMPARE(result.incident.slowTraces, 5);
        qint64 sum = 0;
        for (const Suspects::Suspect& suspect : result.suspects) {
            sum += suspect.criticalNs;
            QVERIFY(suspect.name != Prefetch);
        }
        // Each frame's mean is rounded down on its own: at most a nanosecond each.
        QVERIFY2(std::abs(sum - result.incident.meanSlowNs) <= qint64(result.suspects.size()),
                 qPrintable(QStringLiteral("%1 vs %2").arg(sum).arg(result.incident.meanSlowNs)));
        QCOMPARE(result.suspects.front().name, StringId(Kernel));
    }

    void noSuspectsAgainstItself()
    {
        QRandomGenerator random(11);
        Requests requests;
        addRequests(requests, 0, 100, Hop, random);
        const Suspects::Result result = Suspects::find(requests.spans, Names, {}, SpanFilter{});
        QCOMPARE(result.incident.traces, 100);
        QVERIFY(result.suspects.empty());
    }

    void noRequestsNoSuspects()
    {
        const Suspects::Result result = Suspects::find({}, Names, {}, std::nullopt);
        QCOMPARE(result.incident.traces, 0);
        QVERIFY(result.suspects.empty());
    }

    // A metric that rose with the planted slowness is named in the evidence, with its ρ and
    // its means before and after.
    void metricThatMovedIsEvidence()
    {
        QRandomGenerator random(5);
        Requests requests;
        addRequests(requests, 0, 200, PartCount, random);
        addRequests(requests, Hour, 200, Auth, random);
        Correlation::Input metric;
        metric.series = 42;
        metric.name = QStringLiteral("dlp_requests_in_flight");
        metric.labelsJson = "{}";
        metric.values = requests.slowness;
        Correlation::Input unrelated;
        unrelated.series = 43;
        unrelated.name = QStringLiteral("gpu_util");
        unrelated.labelsJson = "{}";
        for (const Sample& sample : requests.slowness)
            unrelated.values.push_back({sample.timeNs, random.generateDouble()});

        const Suspects::Result result = Suspects::find(requests.spans, Names, rangeFilter(Hour, 2 * Hour),
                                                       rangeFilter(0, Hour), {unrelated, metric});
        QVERIFY(!result.suspects.empty());
        const Suspects::Suspect& first = result.suspects.front();
        QCOMPARE(first.name, StringId(Auth));
        QVERIFY(first.moved);
        QCOMPARE(first.moved->series, SeriesId(42));
        QVERIFY2(first.moved->rho > 0.8, qPrintable(first.evidence));
        QCOMPARE(first.moved->baselineMean.value(), 1.0);
        QVERIFY(first.moved->incidentMean.value() > 20);
        QVERIFY2(first.evidence.contains(QStringLiteral("dlp_requests_in_flight rose from 1 to")),
                 qPrintable(first.evidence));
    }
};

QTEST_GUILESS_MAIN(TestSuspects)
#include "tst_suspects.moc"
