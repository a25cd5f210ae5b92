// lundi-cli scrape end to end against the test server on 127.0.0.1 serving a real exporter's
// /metrics (nvidia_gpu_exporter on an H100, from the shared corpus): one source that grows per
// scrape, each series of the body one series of the source whatever the number of scrapes (its
// samples at the scrapes' start times), up and scrape_duration_seconds beside them; a failing
// endpoint is recorded as up 0 with its reason; header values stay out of the incident.

#include "clirun.h"
#include "store/store.h"
#include "support/httptestserver.h"
#include "support/incidentfiles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace lundi;
using namespace lundi::test;

namespace {

const char* const Exposition = "prometheus/nvgpuexp_h100_load.prom";

// The series of a scrape without timestamps: one a sample line.
int sampleLines(const QByteArray& exposition)
{
    int lines = 0;
    for (const QByteArray& line : exposition.split('\n'))
        lines += !line.trimmed().isEmpty() && !line.startsWith('#');
    return lines;
}

} // namespace

class TestScrape : public QObject
{
    Q_OBJECT

  private:
    QTemporaryDir m_dir;

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void seriesGrowAcrossScrapes()
    {
        const QString file = QStringLiteral(LUNDI_CORPUS_DIR "/") + QLatin1String(Exposition);
        QFile exposition(file);
        QVERIFY(exposition.open(QIODevice::ReadOnly));
        const int perScrape = sampleLines(exposition.readAll());
        QVERIFY(perScrape > 50);
        HttpTestServer server;
        server.serveFile("/metrics", file.toStdString(), "text/plain; version=0.0.4");
        const QString db = m_dir.filePath(QStringLiteral("scrape.lundi"));
        const CliRun run =
            cli({QStringLiteral("scrape"), QString::fromStdString(server.url("/metrics")),
                 QStringLiteral("--every"), QStringLiteral("200ms"), QStringLiteral("--count"),
                 QStringLiteral("3"), QStringLiteral("--header"),
                 QStringLiteral("Authorization: Bearer scrape-secret-99"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, run.err.constData());
        QCOMPARE(server.requestCount("/metrics"), 3);
        QCOMPARE(server.exchanges().at(0).request.header("Authorization"),
                 std::string("Bearer scrape-secret-99"));
        // Asked as Prometheus asks: OpenMetrics first.
        QVERIFY(
            server.exchanges().at(0).request.header("Accept").starts_with("application/openmetrics-text"));

        const Store store(db);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].format, QStringLiteral("prometheus-scrape"));
        QCOMPARE(sources[0].origin, QString::fromStdString(server.url("/metrics")));
        // "Its samples are dated <time>" once, not once a scrape.
        QVERIFY2(sources[0].warnings.size() == 1, qPrintable(sources[0].warnings.join(QLatin1Char('|'))));

        const QList<Series> series = store.series();
        QCOMPARE(series.size(), perScrape + 2); // and up, scrape_duration_seconds
        const Series* up = seriesNamed(series, QStringLiteral("up"));
        QVERIFY(up && seriesNamed(series, QStringLiteral("scrape_duration_seconds")));
        std::vector<qint64> scrapeTimes;
        for (const Sample& sample : store.samples(up->id)) {
            QCOMPARE(sample.value, 1.0);
            scrapeTimes.push_back(sample.timeNs);
        }
        QCOMPARE(scrapeTimes.size(), size_t(3));
        QVERIFY(scrapeTimes[0] < scrapeTimes[1] && scrapeTimes[1] < scrapeTimes[2]);
        for (const Series& one : series) {
            std::vector<qint64> times;
            for (const Sample& sample : store.samples(one.id))
                times.push_back(sample.timeNs);
            QCOMPARE(times, scrapeTimes);
        }
        QCOMPARE(store.counts().samples, qint64(3 * (perScrape + 2)));

        QVERIFY(!incidentBytes(db).contains("scrape-secret-99"));
    }

    void failuresAreRecorded()
    {
        HttpTestServer server;
        const QString db = m_dir.filePath(QStringLiteral("failing.lundi"));
        const CliRun run = cli({QStringLiteral("scrape"), QString::fromStdString(server.url("/status/500")),
                                QStringLiteral("--every"), QStringLiteral("100ms"), QStringLiteral("--count"),
                                QStringLiteral("2"), QStringLiteral("--db"), db});
        QCOMPARE(run.status, 1);
        QVERIFY2(run.out.contains("FAIL status 500"), run.out.constData());
        const Store store(db);
        const QList<Series> series = store.series();
        const Series* up = seriesNamed(series, QStringLiteral("up"));
        QVERIFY(up);
        const std::vector<Sample> samples = store.samples(up->id);
        QCOMPARE(samples.size(), size_t(2));
        for (const Sample& sample : samples)
            QCOMPARE(sample.value, 0.0);
        const QStringList warnings = store.sources().at(0).warnings;
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(QLatin1String("failed: status 500")), qPrintable(warnings[0]));
    }

    // A body the importer refuses writes nothing of itself: up 0 and the importer's sentence.
    void refusedBodies()
    {
        HttpTestServer server;
        server.route("/metrics", [](const TestRequest&) {
            return TestResponse{
                200, {{"Content-Type", "text/plain"}}, "ok_metric 1\nbroken_metric{a=\"1\" 2\n"};
        });
        const QString db = m_dir.filePath(QStringLiteral("refused.lundi"));
        const CliRun run = cli({QStringLiteral("scrape"), QString::fromStdString(server.url("/metrics")),
                                QStringLiteral("--count"), QStringLiteral("1"), QStringLiteral("--db"), db});
        QCOMPARE(run.status, 1);
        const Store store(db);
        const QList<Series> series = store.series();
        QVERIFY(!seriesNamed(series, QStringLiteral("ok_metric")));
        const Series* up = seriesNamed(series, QStringLiteral("up"));
        QVERIFY(up);
        QCOMPARE(store.samples(up->id).at(0).value, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestScrape)
#include "tst_cli_scrape.moc"
