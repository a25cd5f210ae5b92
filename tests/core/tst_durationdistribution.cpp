// DurationDistribution: nearest-rank percentiles, the count over a threshold and the 1-2-5
// histogram, on inputs small enough to check by hand.

#include "analysis/durationdistribution.h"

#include <QTest>

#include <numeric>

using namespace lundi;

namespace {

using Durations = std::vector<qint64>;

Durations oneTo(qint64 n)
{
    Durations values(static_cast<size_t>(n));
    std::iota(values.begin(), values.end(), 1);
    return values;
}

constexpr qint64 Ms = 1'000'000;
constexpr qint64 S = 1'000 * Ms;

} // namespace

Q_DECLARE_METATYPE(Durations)

class TestDurationDistribution : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void percentile_data()
    {
        QTest::addColumn<Durations>("values");
        QTest::addColumn<double>("p");
        QTest::addColumn<qint64>("expected");
        // sorted[ceil(p / 100 * n) - 1]
        QTest::newRow("none") << Durations{} << 50.0 << qint64(0);
        QTest::newRow("one value, p50") << Durations{7} << 50.0 << qint64(7);
        QTest::newRow("one value, p99") << Durations{7} << 99.0 << qint64(7);
        QTest::newRow("four, p50: rank 2") << Durations{40, 10, 30, 20} << 50.0 << qint64(20);
        QTest::newRow("four, p51: rank 3") << Durations{40, 10, 30, 20} << 51.0 << qint64(30);
        QTest::newRow("four, p95: rank 4") << Durations{40, 10, 30, 20} << 95.0 << qint64(40);
        QTest::newRow("four, p0: the smallest") << Durations{40, 10, 30, 20} << 0.0 << qint64(10);
        QTest::newRow("four, p100: the largest") << Durations{40, 10, 30, 20} << 100.0 << qint64(40);
        // 0.95 * 20 is 18.999... in doubles: the exact rank is 19.
        QTest::newRow("1..20, p95: rank 19") << oneTo(20) << 95.0 << qint64(19);
        QTest::newRow("1..100, p50") << oneTo(100) << 50.0 << qint64(50);
        QTest::newRow("1..100, p99") << oneTo(100) << 99.0 << qint64(99);
        QTest::newRow("1..1000, p99") << oneTo(1000) << 99.0 << qint64(990);
        QTest::newRow("1..1000, p99.9") << oneTo(1000) << 99.9 << qint64(999);
        QTest::newRow("1..101, p99: rank ceil(99.99) = 100") << oneTo(101) << 99.0 << qint64(100);
        QTest::newRow("ties") << Durations{5, 5, 5, 9} << 75.0 << qint64(5);
    }

    void percentile()
    {
        QFETCH(Durations, values);
        QFETCH(double, p);
        QFETCH(qint64, expected);
        QCOMPARE(DurationDistribution(values).percentile(p), expected);
    }

    void percentiles()
    {
        const DurationDistribution::Percentiles p = DurationDistribution(oneTo(200)).percentiles();
        QCOMPARE(p.p50, 100);
        QCOMPARE(p.p95, 190);
        QCOMPARE(p.p99, 198);
    }

    void countOver_data()
    {
        QTest::addColumn<qint64>("threshold");
        QTest::addColumn<qint64>("expected");
        // Over is strictly longer: a request of exactly the SLO meets it.
        QTest::newRow("below all") << qint64(0) << qint64(5);
        QTest::newRow("at the smallest") << qint64(1 * S) << qint64(4);
        QTest::newRow("between") << qint64(2500 * Ms) << qint64(2);
        QTest::newRow("at the largest") << qint64(4 * S) << qint64(0);
        QTest::newRow("above all") << qint64(60 * S) << qint64(0);
    }

    void countOver()
    {
        QFETCH(qint64, threshold);
        QFETCH(qint64, expected);
        const DurationDistribution distribution({4 * S, 1 * S, 2 * S, 2 * S, 3 * S});
        QCOMPARE(distribution.countOver(threshold), expected);
        QCOMPARE(distribution.shareOver(threshold), double(expected) / 5);
        QCOMPARE(DurationDistribution().shareOver(threshold), 0.0);
    }

    void histogram()
    {
        // 1-2-5 edges from 1 ms (at or below the shortest) to 100 s (the first above the longest).
        const DurationDistribution distribution({60 * S, 1 * Ms, 7 * Ms, 3 * Ms, 1500'000, 2 * Ms});
        const std::vector<DurationDistribution::Bin> bins = distribution.histogram();
        QStringList shown;
        for (const DurationDistribution::Bin& bin : bins) {
            if (bin.count)
                shown.append(QStringLiteral("[%1, %2): %3").arg(bin.lowNs).arg(bin.highNs).arg(bin.count));
        }
        QCOMPARE(shown, (QStringList{QStringLiteral("[1000000, 2000000): 2"),
                                     QStringLiteral("[2000000, 5000000): 2"),
                                     QStringLiteral("[5000000, 10000000): 1"),
                                     QStringLiteral("[50000000000, 100000000000): 1")}));
        // Contiguous, nothing lost: 1, 2, 5 ms ... 50 s are fifteen bins.
        QCOMPARE(bins.size(), size_t(15));
        for (size_t b = 1; b < bins.size(); ++b)
            QCOMPARE(bins[b].lowNs, bins[b - 1].highNs);
        qint64 total = 0;
        for (const DurationDistribution::Bin& bin : bins)
            total += bin.count;
        QCOMPARE(total, distribution.count());
    }

    void histogramEdgeCases()
    {
        QVERIFY(DurationDistribution().histogram().empty());
        // Zero lands in the first bin, [1, 2) ns.
        const auto zero = DurationDistribution({0}).histogram();
        QCOMPARE(zero.size(), size_t(1));
        QCOMPARE(zero[0].lowNs, 1);
        QCOMPARE(zero[0].count, 1);
        // An edge value starts its bin.
        const auto edge = DurationDistribution({5 * S}).histogram();
        QCOMPARE(edge.size(), size_t(1));
        QCOMPARE(edge[0].lowNs, 5 * S);
        QCOMPARE(edge[0].highNs, 10 * S);
        // The longest durations there are still end in a bin.
        const qint64 huge = std::numeric_limits<qint64>::max();
        const auto top = DurationDistribution({1, huge}).histogram();
        QCOMPARE(top.back().count, 1);
        QCOMPARE(top.front().count, 1);
    }
};

QTEST_GUILESS_MAIN(TestDurationDistribution)
#include "tst_durationdistribution.moc"
