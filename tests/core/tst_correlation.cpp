// Correlation: series built so that the answer is known (latency itself shifted by three steps,
// its inverse, a series that leads it, noise, a constant, too few points), Spearman's ρ against
// values worked out by hand, and the whole path from an incident file: root spans and a counter
// written through the Ingestor, ranked by Correlation::compute.

#include "analysis/correlation.h"
#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "ingest/sink.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace lundi;
using Values = std::vector<double>;

namespace {

constexpr qint64 T0 = 1'763'884'800'000'000'000; // 2025-11-23 08:00 UTC
constexpr qint64 Step = 15'000'000'000;          // a Prometheus scrape interval
constexpr int Steps = 200;

// A fixed-seed generator, so that every run sees the same "random" series.
class Lcg
{
  public:
    explicit Lcg(quint64 seed) : m_state(seed) {}
    double next()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return double(m_state >> 11) / double(1ULL << 53);
    }

  private:
    quint64 m_state;
};

// Latency as a random walk (so that neighbouring steps are alike, as real latency is), one
// root span ending in the middle of each step.
std::vector<double> latencyWalk()
{
    Lcg random(42);
    std::vector<double> values;
    double level = 1e9;
    for (int i = 0; i < Steps; ++i) {
        level = std::max(1e8, level + (random.next() - 0.5) * 2e8);
        values.push_back(std::round(level));
    }
    return values;
}

std::vector<Sample> atSteps(const std::vector<double>& values)
{
    std::vector<Sample> samples;
    for (size_t i = 0; i < values.size(); ++i)
        samples.push_back({T0 + qint64(i) * Step + Step / 2, values[i]});
    return samples;
}

// values[i] = source[i - shift]; NaN where that is outside.
std::vector<double> shifted(const std::vector<double>& source, int shift)
{
    std::vector<double> values(source.size(), qQNaN());
    for (int i = 0; i < int(source.size()); ++i) {
        if (i - shift >= 0 && i - shift < int(source.size()))
            values[size_t(i)] = source[size_t(i - shift)];
    }
    return values;
}

const Correlation::Row* rowOf(const Correlation::Result& result, const QString& name)
{
    for (const Correlation::Row& row : result.rows) {
        if (row.name == name)
            return &row;
    }
    return nullptr;
}

} // namespace

Q_DECLARE_METATYPE(Values)

class TestCorrelation : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void spearman_data()
    {
        QTest::addColumn<Values>("x");
        QTest::addColumn<Values>("y");
        QTest::addColumn<double>("rho"); // NaN: undefined
        QTest::addColumn<qint64>("n");
        QTest::newRow("monotonic, not linear")
            << Values{1, 2, 3, 4, 5} << Values{1, 8, 27, 64, 125} << 1.0 << qint64(5);
        QTest::newRow("inverse") << Values{1, 2, 3, 4, 5} << Values{50, 40, 30, 20, 10} << -1.0 << qint64(5);
        // Ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4; Pearson of those: 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10).
        QTest::newRow("ties averaged")
            << Values{1, 2, 2, 3} << Values{1, 2, 3, 4} << 3 / std::sqrt(10.0) << qint64(4);
        QTest::newRow("NaN pair skipped")
            << Values{1, qQNaN(), 3, 4, 5} << Values{5, 100, 3, 2, 1} << -1.0 << qint64(4);
        // Wikipedia's example of Spearman's ρ (IQ against hours of TV a week): −29/165.
        QTest::newRow("textbook") << Values{106, 86, 100, 101, 99, 103, 97, 113, 112, 110}
                                  << Values{7, 0, 27, 50, 28, 29, 20, 12, 6, 17} << -29.0 / 165 << qint64(10);
        QTest::newRow("constant side") << Values{3, 3, 3, 3} << Values{1, 2, 3, 4} << qQNaN() << qint64(4);
        QTest::newRow("one pair") << Values{1} << Values{2} << qQNaN() << qint64(1);
    }

    void spearman()
    {
        QFETCH(Values, x);
        QFETCH(Values, y);
        QFETCH(double, rho);
        QFETCH(qint64, n);
        const Correlation::Coefficient got = Correlation::spearman(x, y);
        QCOMPARE(got.n, n);
        if (std::isnan(rho))
            QVERIFY2(std::isnan(got.rho), qPrintable(QString::number(got.rho)));
        else
            QVERIFY2(std::abs(got.rho - rho) < 1e-12,
                     qPrintable(QStringLiteral("%1 != %2").arg(got.rho).arg(rho)));
    }

    void resampleMeansPerStep()
    {
        const std::vector<Sample> samples{{0, 1}, {4, 3}, {5, 10}, {12, qInf()}, {12, 7}, {20, 1}};
        const Values got = Correlation::resample(samples, {0, 15}, 5);
        QCOMPARE(got.size(), size_t(3));
        QCOMPARE(got[0], 2.0);
        QCOMPARE(got[1], 10.0);
        QCOMPARE(got[2], 7.0); // +Inf is no value to average
        const Values gap = Correlation::resample(samples, {0, 20}, 10);
        QCOMPARE(gap.size(), size_t(2));
        QCOMPARE(gap[0], 14.0 / 3);
        QCOMPARE(Correlation::resample(samples, {20, 30}, 5).size(), size_t(2));
        QVERIFY(std::isnan(Correlation::resample(samples, {21, 30}, 5)[0]));
    }

    void rankFindsPlantedSeries()
    {
        const Values latency = latencyWalk();
        Lcg noise(7);
        Values random;
        for (int i = 0; i < Steps; ++i)
            random.push_back(noise.next());
        Values inverse;
        for (const double value : latency)
            inverse.push_back(-value / 1e6);
        Values leading = shifted(latency, -2);
        for (double& value : leading)
            value = std::sqrt(value); // monotonic: Spearman still sees 1
        // A few samples missing (a scrape that failed) change nothing but n.
        Values gappy = shifted(latency, 3);
        gappy[50] = gappy[51] = qQNaN();

        std::vector<Correlation::Input> inputs;
        const auto add = [&](const char* name, const Values& values) {
            inputs.push_back({qint64(inputs.size() + 1), QLatin1String(name), "{}", {}, atSteps(values)});
        };
        add("noise", random);
        add("follows by 3", shifted(latency, 3));
        add("inverse", inverse);
        add("leads by 2", leading);
        add("follows by 3, gaps", gappy);
        add("constant", Values(Steps, 4.0));
        add("too short", Values{1, 2, 3});

        const Correlation::Result result = Correlation::rank(atSteps(latency), inputs, {});
        QCOMPARE(result.stepNs, Step);
        QCOMPARE(result.latencySteps, qint64(Steps));
        QCOMPARE(result.constantSeries, qint64(1));
        QCOMPARE(result.tooFewPoints, qint64(1));
        QCOMPARE(result.rows.size(), size_t(5));

        const Correlation::Row* follows = rowOf(result, QStringLiteral("follows by 3"));
        QVERIFY(follows);
        QCOMPARE(follows->lagSteps, 3);
        QCOMPARE(follows->lagNs, 3 * Step);
        QVERIFY(follows->rho > 0.999);
        QCOMPARE(follows->n, qint64(Steps - 3));

        const Correlation::Row* gaps = rowOf(result, QStringLiteral("follows by 3, gaps"));
        QVERIFY(gaps);
        QCOMPARE(gaps->lagSteps, 3);
        QCOMPARE(gaps->n, qint64(Steps - 5));

        const Correlation::Row* inverseRow = rowOf(result, QStringLiteral("inverse"));
        QVERIFY(inverseRow);
        QCOMPARE(inverseRow->lagSteps, 0);
        QVERIFY(inverseRow->rho < -0.999);

        const Correlation::Row* leads = rowOf(result, QStringLiteral("leads by 2"));
        QVERIFY(leads);
        QCOMPARE(leads->lagSteps, -2);
        QVERIFY(leads->rho > 0.999);

        const Correlation::Row* noiseRow = rowOf(result, QStringLiteral("noise"));
        QVERIFY(noiseRow);
        QVERIFY2(std::abs(noiseRow->rho) < 0.3, qPrintable(QString::number(noiseRow->rho)));
        QCOMPARE(result.rows.back().name, QStringLiteral("noise")); // the weakest last
    }

    void rangeLimitsThePairs()
    {
        const Values latency = latencyWalk();
        std::vector<Correlation::Input> inputs{{1, QStringLiteral("same"), "{}", {}, atSteps(latency)}};
        const TimeRange firstHalf{T0, T0 + Steps / 2 * Step};
        const Correlation::Result result = Correlation::rank(atSteps(latency), inputs, firstHalf);
        QCOMPARE(result.rows.size(), size_t(1));
        QCOMPARE(result.rows[0].n, qint64(Steps / 2));
        QCOMPARE(result.rows[0].lagSteps, 0);
    }

    void constantLatencyRanksNothing()
    {
        const Values flat(Steps, 5.0);
        std::vector<Correlation::Input> inputs{{1, QStringLiteral("walk"), "{}", {}, atSteps(latencyWalk())}};
        const Correlation::Result result = Correlation::rank(atSteps(flat), inputs, {});
        QVERIFY(result.rows.empty());
    }

    // From an incident file: root spans whose durations walk, a child span that must not count,
    // and a counter (named _total, so read as one) whose increase per scrape is the latency:
    // its rate follows latency exactly.
    void computeFromIncident()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("incident.lundi")));
        const Values latency = latencyWalk();
        const ImporterRegistry registry{QStringList{}};
        const Classifier classifier = Classifier::standard();
        Ingestor(store, registry, classifier)
            .importGenerated(
                QStringLiteral("test"), QStringLiteral("planted"), "planted", {}, [&](Sink& sink) {
                    const TrackId track =
                        sink.addTrack({TrackKind::Service, QStringLiteral("api"), {}, {}, 0});
                    const SeriesId counter = sink.addSeries(
                        {QStringLiteral("work_done_total"), "{\"job\":\"api\"}", QStringLiteral("1")});
                    const SeriesId gauge =
                        sink.addSeries({QStringLiteral("temperature"), "{}", QStringLiteral("C")});
                    double total = 0;
                    for (int i = 0; i < Steps; ++i) {
                        const qint64 end = T0 + qint64(i) * Step + Step / 2;
                        SpanSpec root;
                        root.track = track;
                        root.name = sink.intern("GET /");
                        root.durNs = qint64(latency[size_t(i)]);
                        root.startNs = end - root.durNs;
                        SpanSpec child = root;
                        child.parent = sink.addSpan(root);
                        child.durNs = 1000 + (i * 7919) % 5000; // unrelated to latency
                        sink.addSpan(child);
                        total += latency[size_t(i)] / 1e6;
                        sink.addSample(counter, T0 + qint64(i) * Step + Step / 3, total);
                        sink.addSample(gauge, T0 + qint64(i) * Step + Step / 3, 20);
                    }
                });
        const Correlation::Result result = Correlation::compute(store, {});
        QCOMPARE(result.stepNs, Step);
        QCOMPARE(result.constantSeries, qint64(1)); // the temperature
        QCOMPARE(result.rows.size(), size_t(1));
        const Correlation::Row& row = result.rows.front();
        QCOMPARE(row.name, QStringLiteral("work_done_total"));
        QCOMPARE(row.transform, QStringLiteral("rate"));
        QCOMPARE(row.labelsJson, QByteArray("{\"job\":\"api\"}"));
        QCOMPARE(row.lagSteps, 0);
        QVERIFY2(row.rho > 0.99, qPrintable(QString::number(row.rho)));
        QCOMPARE(row.n, qint64(Steps - 1)); // a rate needs two samples
    }
};

QTEST_GUILESS_MAIN(TestCorrelation)
#include "tst_correlation.moc"
