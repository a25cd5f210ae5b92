// MetricMath: counters as rates and histograms as quantiles, checked against what PromQL's
// rate() (without extrapolation: between each two scrapes) and histogram_quantile() answer for
// the same buckets, worked out by hand in the rows.

#include "analysis/metricmath.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace lundi;
using Samples = std::vector<Sample>;
using Buckets = std::vector<MetricMath::Bucket>;

Q_DECLARE_METATYPE(Samples)
Q_DECLARE_METATYPE(Buckets)

namespace {

constexpr double Inf = std::numeric_limits<double>::infinity();
constexpr qint64 S = 1'000'000'000;

} // namespace

class TestMetricMath : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void rates_data()
    {
        QTest::addColumn<Samples>("counter");
        QTest::addColumn<Samples>("rates");
        QTest::newRow("steady") << Samples{{0, 10}, {10 * S, 30}, {20 * S, 50}}
                                << Samples{{10 * S, 2}, {20 * S, 2}};
        // 40 -> 5: the process restarted and counted 5 since; the rate is not negative.
        QTest::newRow("reset") << Samples{{0, 20}, {10 * S, 40}, {20 * S, 5}, {30 * S, 25}}
                               << Samples{{10 * S, 2}, {20 * S, 0.5}, {30 * S, 2}};
        QTest::newRow("uneven interval")
            << Samples{{0, 0}, {2 * S, 1}, {6 * S, 9}} << Samples{{2 * S, 0.5}, {6 * S, 2}};
        QTest::newRow("repeated time skipped") << Samples{{0, 0}, {0, 5}, {4 * S, 8}} << Samples{{4 * S, 2}};
        QTest::newRow("one sample") << Samples{{0, 3}} << Samples{};
        QTest::newRow("none") << Samples{} << Samples{};
    }

    void rates()
    {
        QFETCH(Samples, counter);
        QFETCH(Samples, rates);
        const Samples got = MetricMath::rates(counter);
        QCOMPARE(got.size(), rates.size());
        for (size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].timeNs, rates[i].timeNs);
            QCOMPARE(got[i].value, rates[i].value);
        }
    }

    void quantile_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<Buckets>("buckets");
        QTest::addColumn<double>("value"); // NaN: none
        QTest::addColumn<bool>("aboveFiniteBounds");
        // 100 observations: 10 <= 0.1, 50 <= 0.5, 90 <= 1, 100 in all.
        const Buckets fourBuckets{{0.1, 10}, {0.5, 50}, {1, 90}, {Inf, 100}};
        // rank 50 is the last of (0.1, 0.5]: its upper bound.
        QTest::newRow("median at a bound") << 0.5 << fourBuckets << 0.5 << false;
        // rank 30: 20 of the 40 in (0.1, 0.5], half way: 0.1 + 0.4 * 0.5.
        QTest::newRow("interpolated") << 0.3 << fourBuckets << 0.3 << false;
        // rank 5 in the first bucket, which starts at 0: 0.1 * 5 / 10.
        QTest::newRow("first bucket from zero") << 0.05 << fourBuckets << 0.05 << false;
        // rank 95 lies in +Inf: only "above 1" is known, and 1 is what histogram_quantile says.
        QTest::newRow("in +Inf") << 0.95 << fourBuckets << 1.0 << true;
        QTest::newRow("p99 in +Inf") << 0.99 << fourBuckets << 1.0 << true;
        // rank 90 is the last of (0.5, 1]: still finite.
        QTest::newRow("at the highest finite bound") << 0.9 << fourBuckets << 1.0 << false;
        QTest::newRow("no observations") << 0.5 << Buckets{{1, 0}, {Inf, 0}} << qQNaN() << false;
        QTest::newRow("no +Inf bucket") << 0.5 << Buckets{{1, 5}, {2, 10}} << qQNaN() << false;
        QTest::newRow("one bucket") << 0.5 << Buckets{{Inf, 10}} << qQNaN() << false;
        // A negative first bound is returned as it is, as histogram_quantile() does.
        QTest::newRow("negative first bound")
            << 0.1 << Buckets{{-1, 10}, {0, 20}, {Inf, 20}} << -1.0 << false;
        // A count that drops (a scrape mid-update) is taken as the one before: 10, 10, 20.
        QTest::newRow("not monotonic")
            << 0.75 << Buckets{{1, 10}, {2, 8}, {3, 20}, {Inf, 20}} << 2.5 << false;
        QTest::newRow("q above 1") << 1.5 << fourBuckets << Inf << false;
    }

    void quantile()
    {
        QFETCH(double, q);
        QFETCH(Buckets, buckets);
        QFETCH(double, value);
        QFETCH(bool, aboveFiniteBounds);
        const MetricMath::Quantile got = MetricMath::histogramQuantile(q, buckets);
        if (std::isnan(value))
            QVERIFY2(std::isnan(got.value), qPrintable(QString::number(got.value)));
        else
            QCOMPARE(got.value, value);
        QCOMPARE(got.aboveFiniteBounds, aboveFiniteBounds);
    }

    // Three scrapes of a histogram with bounds 1 and 2: the quantile of what was observed
    // between scrapes, not since the start.
    void quantilesOverTime()
    {
        MetricMath::HistogramSeries histogram;
        histogram.upperBounds = {1, 2, Inf};
        // Scrape 1: 10 observations <= 1. Scrape 2: 10 more, all in (1, 2]. Scrape 3: 10 more,
        // all above 2. Scrape 4: a restart, then 4 observations <= 1.
        histogram.samples = {
            {{0, 10}, {15 * S, 10}, {30 * S, 10}, {45 * S, 4}},
            {{0, 10}, {15 * S, 20}, {30 * S, 20}, {45 * S, 4}},
            {{0, 10}, {15 * S, 20}, {30 * S, 30}, {45 * S, 4}},
        };
        const auto points = MetricMath::quantilesOverTime(0.5, histogram);
        QCOMPARE(points.size(), size_t(3));
        QCOMPARE(points[0].timeNs, 15 * S);
        QCOMPARE(points[0].quantile.value, 1.5); // rank 5 of 10 in (1, 2]
        QVERIFY(!points[0].quantile.aboveFiniteBounds);
        QCOMPARE(points[1].timeNs, 30 * S);
        QCOMPARE(points[1].quantile.value, 2.0);
        QVERIFY(points[1].quantile.aboveFiniteBounds);
        QCOMPARE(points[2].timeNs, 45 * S);
        QCOMPARE(points[2].quantile.value, 0.5); // rank 2 of 4 in [0, 1]
    }

    void singleScrapeUsesAllObservations()
    {
        MetricMath::HistogramSeries histogram;
        histogram.upperBounds = {1, Inf};
        histogram.samples = {{{7 * S, 4}}, {{7 * S, 4}}};
        const auto points = MetricMath::quantilesOverTime(0.5, histogram);
        QCOMPARE(points.size(), size_t(1));
        QCOMPARE(points[0].timeNs, 7 * S);
        QCOMPARE(points[0].quantile.value, 0.5);
    }

    // A scrape time one bucket lacks cannot give a quantile; the others still do, and a scrape
    // without a new observation has no point.
    void incompleteAndIdleScrapes()
    {
        MetricMath::HistogramSeries histogram;
        histogram.upperBounds = {1, Inf};
        histogram.samples = {{{0, 0}, {10 * S, 2}, {20 * S, 2}, {30 * S, 4}, {40 * S, 4}},
                             {{0, 0}, {10 * S, 2}, {30 * S, 4}, {40 * S, 4}}};
        const auto points = MetricMath::quantilesOverTime(0.5, histogram);
        QCOMPARE(points.size(), size_t(2));
        QCOMPARE(points[0].timeNs, 10 * S);
        QCOMPARE(points[1].timeNs, 30 * S);
        QCOMPARE(points[1].quantile.value, 0.5);
    }
};

QTEST_GUILESS_MAIN(TestMetricMath)
#include "tst_metricmath.moc"
