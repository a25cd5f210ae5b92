// MetricCatalog: what the plots draw of real imports. An OpenMetrics exposition written here
// (three scrapes of a histogram with an exemplar, a counter that resets) goes through the real
// Prometheus importer, and the catalog must group the buckets into one histogram, read the
// counter as a rate and find the exemplar's trace; the values are worked out in the comments.
// A real corpus dump (node_exporter's histogram with an extra dimension) is grouped too.

#include "analysis/metriccatalog.h"
#include "plugins/importfixture.h"

#include <QTest>

#include <cmath>

using namespace lundi;

namespace {

constexpr qint64 S = 1'000'000'000;

const QByteArray Exposition = R"(# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{path="/",le="0.1"} 0 100
http_request_duration_seconds_bucket{path="/",le="1"} 0 100
http_request_duration_seconds_bucket{path="/",le="+Inf"} 0 100
http_request_duration_seconds_bucket{path="/",le="0.1"} 8 115
http_request_duration_seconds_bucket{path="/",le="1"} 10 115
http_request_duration_seconds_bucket{path="/",le="+Inf"} 10 115
http_request_duration_seconds_bucket{path="/",le="0.1"} 8 130
http_request_duration_seconds_bucket{path="/",le="1"} 10 130
http_request_duration_seconds_bucket{path="/",le="+Inf"} 20 130 # {trace_id="4BF92F3577B34DA6A3CE929D0E0E4736"} 7.5 129.5
http_request_duration_seconds_count{path="/"} 20 130
http_request_duration_seconds_sum{path="/"} 80.4 130
# TYPE requests counter
requests_total{path="/"} 100 100
requests_total{path="/"} 250 115
requests_total{path="/"} 10 130
# TYPE temperature_celsius gauge
# UNIT temperature_celsius celsius
temperature_celsius 21.5 100
# EOF
)";

} // namespace

class TestMetricCatalog : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void exposition()
    {
        test::Fixture fixture;
        fixture.importAs(QStringLiteral("scrapes.om"), Exposition);
        const Store store = fixture.store();
        const auto metrics = MetricCatalog::build(store.series(), store.sources());
        QStringList titles;
        for (const MetricCatalog::Metric& metric : metrics)
            titles.append(QStringLiteral("%1 [%2]").arg(metric.title(), metric.transform()));
        QCOMPARE(titles, (QStringList{
                             QStringLiteral("http_request_duration_seconds{path=\"/\"} [p50, p95, p99]"),
                             QStringLiteral("http_request_duration_seconds_count{path=\"/\"} [rate]"),
                             QStringLiteral("http_request_duration_seconds_sum{path=\"/\"} [rate]"),
                             QStringLiteral("requests_total{path=\"/\"} [rate]"),
                             QStringLiteral("temperature_celsius []"),
                         }));
        const auto samplesOf = [&](SeriesId id) { return store.samples(id); };

        const MetricCatalog::Metric& histogram = metrics[0];
        QCOMPARE(histogram.upperBounds, (std::vector<double>{0.1, 1, qInf()}));
        QCOMPARE(histogram.unit, QStringLiteral("s")); // from the name: the dump has no # UNIT
        const MetricCatalog::Plot plot = MetricCatalog::plot(histogram, samplesOf);
        QCOMPARE(plot.unit, QStringLiteral("s"));
        QCOMPARE(plot.lines.size(), size_t(3));
        QCOMPARE(plot.highestFiniteBound, 1.0);
        // 100 -> 115: 8 new observations <= 0.1 and 2 in (0.1, 1]. p50: rank 5 of 8 in the first
        // bucket, 0.1 * 5/8; p95: rank 9.5, 1.5 of 2 into (0.1, 1]; p99: rank 9.9.
        // 115 -> 130: 10 new, all above 1: every quantile is only "> 1".
        const std::array<double, 3> at115{0.0625, 0.1 + 0.9 * 0.75, 0.1 + 0.9 * 0.95};
        for (size_t q = 0; q < 3; ++q) {
            const MetricCatalog::Line& line = plot.lines[q];
            QCOMPARE(line.points.size(), size_t(2));
            QCOMPARE(line.points[0].timeNs, 115 * S);
            QVERIFY2(std::abs(line.points[0].value - at115[q]) < 1e-12, qPrintable(line.label));
            QCOMPARE(line.points[1].timeNs, 130 * S);
            QCOMPARE(line.points[1].value, 1.0);
            QCOMPARE(line.aboveFiniteBoundsNs, std::vector<qint64>{130 * S});
        }
        QCOMPARE(plot.lines[1].label, QStringLiteral("p95"));
        QCOMPARE(plot.pointsAboveFiniteBounds, qint64(3));
        QCOMPARE(plot.exemplars.size(), size_t(1));
        QCOMPARE(plot.exemplars[0].timeNs, 129 * S + S / 2);
        QCOMPARE(plot.exemplars[0].value, 7.5);
        QCOMPARE(plot.exemplars[0].traceId, QStringLiteral("4bf92f3577b34da6a3ce929d0e0e4736"));

        // 100 -> 250 in 15 s; then a reset: 10 counted since.
        const MetricCatalog::Plot rate = MetricCatalog::plot(metrics[3], samplesOf);
        QCOMPARE(rate.unit, QStringLiteral("/s"));
        QCOMPARE(rate.lines.size(), size_t(1));
        QCOMPARE(rate.lines[0].points.size(), size_t(2));
        QCOMPARE(rate.lines[0].points[0].value, 10.0);
        QCOMPARE(rate.lines[0].points[1].value, 10.0 / 15);

        const MetricCatalog::Plot gauge = MetricCatalog::plot(metrics[4], samplesOf);
        QCOMPARE(gauge.unit, QStringLiteral("celsius"));
        QCOMPARE(gauge.lines[0].points.size(), size_t(1));
        QCOMPARE(gauge.lines[0].points[0].value, 21.5);

        // Correlation reads a histogram as its p95.
        const std::vector<Sample> p95 = MetricCatalog::values(histogram, samplesOf);
        QCOMPARE(p95.size(), size_t(2));
        QVERIFY(std::abs(p95[0].value - at115[1]) < 1e-12);
    }

    // node_exporter's textfile fixture: one histogram family with an extra label, so two
    // histograms, each of its buckets in bound order.
    void corpusHistogram()
    {
        test::Fixture fixture;
        fixture.import(
            QStringLiteral(LUNDI_CORPUS_DIR "/prometheus/nodeexporter_textfile_histogram_extra_dim.prom"));
        const Store store = fixture.store();
        int histograms = 0;
        for (const MetricCatalog::Metric& metric : MetricCatalog::build(store.series(), store.sources())) {
            if (metric.kind != MetricCatalog::Kind::Histogram)
                continue;
            ++histograms;
            QVERIFY(std::is_sorted(metric.upperBounds.begin(), metric.upperBounds.end()));
            QVERIFY(std::isinf(metric.upperBounds.back()));
            QCOMPARE(metric.series.size(), metric.upperBounds.size());
            QVERIFY(!QString::fromUtf8(metric.labelsJson).contains(QLatin1String("\"le\"")));
            const auto samplesOf = [&](SeriesId id) { return store.samples(id); };
            const MetricCatalog::Plot plot = MetricCatalog::plot(metric, samplesOf);
            // One scrape: a point per quantile, from all its observations. Both label sets count
            // the same: of 1,691,853 observations, 7 are <= 102400 and 1,412,839 <= 409600, so
            // the median (rank 845,926.5) is 102400 + 307200 * 845919.5 / 1412832; the p99 (rank
            // 1,674,934.47) lies in (409600, 1638400] with 1,412,839 below and 1,691,850 at its end.
            for (const MetricCatalog::Line& line : plot.lines)
                QCOMPARE(line.points.size(), size_t(1));
            QVERIFY(std::abs(plot.lines[0].points[0].value - (102400 + 307200 * 845919.5 / 1412832)) < 1e-6);
            QVERIFY(std::abs(plot.lines[2].points[0].value -
                             (409600 + 1228800 * (1674934.47 - 1412839) / (1691850 - 1412839))) < 1e-6);
            QVERIFY(plot.lines[2].aboveFiniteBoundsNs.empty());
        }
        QCOMPARE(histograms, 2);
    }

    // opentelemetry-proto's example: a histogram of two observations, one <= 1 and one above, so
    // the median is the bound itself and p95 and p99 are only known to be above it.
    void corpusOtlpHistogram()
    {
        test::Fixture fixture;
        fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/otlp-json/otelproto_examples_metrics.json"));
        const Store store = fixture.store();
        const auto metrics = MetricCatalog::build(store.series(), store.sources());
        const auto histogram =
            std::find_if(metrics.begin(), metrics.end(), [](const MetricCatalog::Metric& m) {
                return m.kind == MetricCatalog::Kind::Histogram && m.name == QLatin1String("my.histogram");
            });
        QVERIFY(histogram != metrics.end());
        QCOMPARE(histogram->upperBounds, (std::vector<double>{1, qInf()}));
        QVERIFY(QString::fromUtf8(histogram->labelsJson).contains(QLatin1String("my.histogram.attr")));
        const MetricCatalog::Plot plot =
            MetricCatalog::plot(*histogram, [&](SeriesId id) { return store.samples(id); });
        QCOMPARE(plot.lines.size(), size_t(3));
        QCOMPARE(plot.lines[0].points.size(), size_t(1));
        QCOMPARE(plot.lines[0].points[0].value, 1.0);
        QVERIFY(plot.lines[0].aboveFiniteBoundsNs.empty());
        QCOMPARE(plot.lines[2].points[0].value, 1.0);
        QCOMPARE(plot.lines[2].aboveFiniteBoundsNs.size(), size_t(1));
        QCOMPARE(plot.pointsAboveFiniteBounds, qint64(2));
    }

    // OTLP keeps a histogram's exemplars on the metric ("NAME:exemplar"), not on a bucket.
    void otlpExemplars()
    {
        test::Fixture fixture;
        fixture.importJson(
            R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"rpc.duration","unit":"s",
          "histogram":{"aggregationTemporality":2,"dataPoints":[{"timeUnixNano":"1000000000000","count":"3",
          "sum":2.5,"bucketCounts":["1","2"],"explicitBounds":[0.5],
          "exemplars":[{"timeUnixNano":"999000000000","asDouble":1.7,
            "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}}]}]}]})");
        const Store store = fixture.store();
        const auto metrics = MetricCatalog::build(store.series(), store.sources());
        const auto histogram =
            std::find_if(metrics.begin(), metrics.end(), [](const MetricCatalog::Metric& m) {
                return m.kind == MetricCatalog::Kind::Histogram;
            });
        QVERIFY(histogram != metrics.end());
        QCOMPARE(histogram->unit, QStringLiteral("s")); // its _sum's
        QCOMPARE(histogram->exemplars.size(), size_t(1));
        QCOMPARE(histogram->exemplars[0].traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
        const MetricCatalog::Plot plot =
            MetricCatalog::plot(*histogram, [&](SeriesId id) { return store.samples(id); });
        QCOMPARE(plot.exemplars.size(), size_t(1));
        QCOMPARE(plot.exemplars[0].value, 1.7);
        QCOMPARE(plot.exemplars[0].timeNs, qint64(999) * S);
    }

    void traceIds_data()
    {
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<QString>("traceId");
        QTest::newRow("OpenMetrics") << QByteArray(R"({"le":"1","trace_id":"ABC"})") << QStringLiteral("abc");
        QTest::newRow("camel case") << QByteArray(R"({"traceId":"def"})") << QStringLiteral("def");
        QTest::newRow("none") << QByteArray(R"({"span_id":"1"})") << QString();
        QTest::newRow("not JSON") << QByteArray("{") << QString();
    }

    void traceIds()
    {
        QFETCH(QByteArray, labels);
        QFETCH(QString, traceId);
        QCOMPARE(MetricCatalog::traceIdOf(labels), traceId);
    }
};

QTEST_GUILESS_MAIN(TestMetricCatalog)
#include "tst_metriccatalog.moc"
