// lundi-cli scrape and pull-prometheus against a real Prometheus server (Debian's prometheus,
// which scripts/dev installs), started here on a free loopback port with a temporary data folder
// and scraping itself every second: what Lundi stores must be what the server's own API says,
// read here with QJsonDocument. Without the server the test fails (CI installs it), unless
// LUNDI_ALLOW_NO_PROMETHEUS is set.

#include "clirun.h"
#include "probeengine.h"
#include "store/store.h"
#include "support/httptestserver.h"
#include "support/incidentfiles.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <future>
#include <thread>

using namespace lundi;
using namespace lundi::test;

namespace {

// One series of a query_range answer: its labels, and its values by time in milliseconds.
struct ApiSeries
{
    QJsonObject metric;
    std::vector<std::pair<qint64, QString>> values;
};

double number(const QString& text)
{
    if (text == QLatin1String("NaN"))
        return std::nan("");
    if (text.endsWith(QLatin1String("Inf")))
        return text.startsWith(QLatin1Char('-')) ? -INFINITY : INFINITY;
    return text.toDouble();
}

} // namespace

class TestCliPrometheusServer : public QObject
{
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QProcess m_server;
    QString m_url;
    ProbeEngine m_engine;

    // A GET to the server, its status and body; status 0 when no answer came in 10 s.
    std::pair<int, QByteArray> get(const QString& pathAndQuery)
    {
        HttpRequest request;
        request.url = QString(m_url + pathAndQuery).toStdString();
        request.keepBody = true;
        request.timeout = std::chrono::seconds(10);
        auto promise = std::make_shared<std::promise<HttpResult>>();
        std::future<HttpResult> future = promise->get_future();
        m_engine.fetch(request, [promise](HttpResult result) { promise->set_value(std::move(result)); });
        if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
            return {0, {}};
        const HttpResult result = future.get();
        return {result.status, QByteArray::fromStdString(result.body)};
    }

    QJsonObject api(const QString& pathAndQuery)
    {
        const auto [status, body] = get(pathAndQuery);
        const QJsonObject answer = QJsonDocument::fromJson(body).object();
        if (status != 200 || answer[QStringLiteral("status")] != QLatin1String("success"))
            qWarning("%s: %d %s", qPrintable(pathAndQuery), status, body.left(300).constData());
        return answer[QStringLiteral("data")].toObject();
    }

    // The server's own answer to a query_range.
    std::vector<ApiSeries> queryRange(const QString& query, qint64 startMs, qint64 endMs, const QString& step)
    {
        const QString path = QStringLiteral("/api/v1/query_range?query=%1&start=%2&end=%3&step=%4")
                                 .arg(QString::fromUtf8(QUrl::toPercentEncoding(query)),
                                      QString::number(double(startMs) / 1000, 'f', 3),
                                      QString::number(double(endMs) / 1000, 'f', 3), step);
        std::vector<ApiSeries> all;
        for (const QJsonValue result : api(path)[QStringLiteral("result")].toArray()) {
            ApiSeries series{result[QStringLiteral("metric")].toObject(), {}};
            for (const QJsonValue point : result[QStringLiteral("values")].toArray())
                series.values.emplace_back(qint64(std::llround(point[0].toDouble() * 1000)),
                                           point[1].toString());
            all.push_back(std::move(series));
        }
        return all;
    }

    // The store's series equal the API's: labels, and every sample's time and value.
    static void compare(const Store& store, const QString& name, const std::vector<ApiSeries>& expected)
    {
        QList<Series> stored;
        for (const Series& series : store.series()) {
            if (series.name == name)
                stored.append(series);
        }
        QCOMPARE(stored.size(), qsizetype(expected.size()));
        for (const ApiSeries& apiSeries : expected) {
            QJsonObject labels = apiSeries.metric;
            labels.remove(QStringLiteral("__name__"));
            const auto match = std::find_if(stored.begin(), stored.end(), [&](const Series& series) {
                return QJsonDocument::fromJson(series.labelsJson).object() == labels;
            });
            QVERIFY2(match != stored.end(), QJsonDocument(labels).toJson(QJsonDocument::Compact).constData());
            const std::vector<Sample> samples = store.samples(match->id);
            QCOMPARE(samples.size(), apiSeries.values.size());
            for (size_t i = 0; i < samples.size(); ++i) {
                QCOMPARE(samples[i].timeNs, apiSeries.values[i].first * 1'000'000);
                QCOMPARE(samples[i].value, number(apiSeries.values[i].second));
            }
        }
    }

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty()) {
            if (qEnvironmentVariableIsSet("LUNDI_ALLOW_NO_PROMETHEUS"))
                QSKIP("prometheus is not installed and LUNDI_ALLOW_NO_PROMETHEUS is set");
            QFAIL("prometheus is not installed (scripts/dev deps installs Debian's package)");
        }
        const quint16 port = closedLoopbackPort();
        m_url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                    "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
                                    "      - targets: ['127.0.0.1:%1']\n")
                         .arg(port)
                         .toUtf8());
        config.close();
        m_server.setProcessChannelMode(QProcess::MergedChannels);
        m_server.start(prometheus,
                       {QStringLiteral("--config.file=") + config.fileName(),
                        QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
                        QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
                        QStringLiteral("--log.level=warn")});
        QVERIFY2(m_server.waitForStarted(10'000), qPrintable(m_server.errorString()));
        // Ready, then ten scrapes of itself in its head: a minute at most on a loaded machine.
        QDeadlineTimer deadline(60'000);
        bool ready = false;
        while (!ready && !deadline.hasExpired() && m_server.state() == QProcess::Running) {
            ready = get(QStringLiteral("/-/ready")).first == 200;
            if (!ready)
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        QVERIFY2(ready, m_server.readAll().constData());
        bool scraped = false;
        while (!scraped && !deadline.hasExpired()) {
            const QJsonArray result = api(QStringLiteral(
                "/api/v1/query?query=count_over_time(up%5B1m%5D)"))[QStringLiteral("result")]
                                          .toArray();
            scraped = !result.isEmpty() && result[0][QStringLiteral("value")][1].toString().toInt() >= 10;
            if (!scraped)
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        QVERIFY2(scraped, "Prometheus did not scrape itself ten times within a minute");
    }

    void cleanupTestCase()
    {
        if (m_server.state() == QProcess::NotRunning)
            return;
        m_server.terminate();
        if (!m_server.waitForFinished(10'000)) {
            m_server.kill();
            m_server.waitForFinished(5'000);
        }
    }

    // Its own /metrics, scraped twice: the series its API reports, with the labels it reports.
    void scrapeItsMetrics()
    {
        const QString db = m_dir.filePath(QStringLiteral("scrape.lundi"));
        const CliRun run = cli({QStringLiteral("scrape"), m_url + QStringLiteral("/metrics"),
                                QStringLiteral("--every"), QStringLiteral("500ms"), QStringLiteral("--count"),
                                QStringLiteral("2"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, QByteArray(run.out + run.err).constData());
        const Store store(db);
        const QList<Series> series = store.series();
        QVERIFY2(series.size() > 100, qPrintable(QString::number(series.size())));

        const QJsonArray build =
            api(QStringLiteral("/api/v1/query?query=prometheus_build_info"))[QStringLiteral("result")]
                .toArray();
        QCOMPARE(build.size(), 1);
        QJsonObject labels = build[0][QStringLiteral("metric")].toObject();
        for (const char* added : {"__name__", "instance", "job"}) // what the server adds to what it scrapes
            labels.remove(QLatin1String(added));
        const Series* buildInfo = seriesNamed(series, QStringLiteral("prometheus_build_info"));
        QVERIFY(buildInfo);
        QCOMPARE(QJsonDocument::fromJson(buildInfo->labelsJson).object(), labels);
        QCOMPARE(store.samples(buildInfo->id).size(), size_t(2));
        QCOMPARE(store.samples(buildInfo->id).at(0).value,
                 number(build[0][QStringLiteral("value")][1].toString()));

        const Series* up = seriesNamed(series, QStringLiteral("up"));
        QVERIFY(up);
        for (const Sample& sample : store.samples(up->id))
            QCOMPARE(sample.value, 1.0);
    }

    // A query over the last minute: every sample what the API answers to the same query.
    void pullMatchesItsApi()
    {
        const qint64 endMs = (QDateTime::currentMSecsSinceEpoch() - 3'000) / 1000 * 1000;
        const qint64 startMs = endMs - 60'000;
        const QString query = QStringLiteral("prometheus_tsdb_head_series");
        const QString db = m_dir.filePath(QStringLiteral("pull.lundi"));
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), m_url, QStringLiteral("--query"), query,
                 QStringLiteral("--start"), QString::number(startMs / 1000), QStringLiteral("--end"),
                 QDateTime::fromMSecsSinceEpoch(endMs, Qt::UTC).toString(Qt::ISODate),
                 QStringLiteral("--step"), QStringLiteral("1s"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, run.err.constData());
        const std::vector<ApiSeries> expected = queryRange(query, startMs, endMs, QStringLiteral("1"));
        QCOMPARE(expected.size(), size_t(1));
        QVERIFY(expected[0].values.size() >= 3);
        const Store store(db);
        QCOMPARE(store.sources().at(0).format, QStringLiteral("prometheus-pull"));
        compare(store, query, expected);
    }

    // 20,001 steps of a millisecond: over the server's 11,000 points, so Lundi asks in parts; the
    // test asks for its own two halves and puts them together.
    void pullOverTheLimit()
    {
        // More than 11 s of data before the window's end (3 s before now), so that the parts matter.
        QDeadlineTimer deadline(60'000);
        while (!deadline.hasExpired() &&
               api(QStringLiteral("/api/v1/query?query=count_over_time(up%5B1m%5D)"))[QStringLiteral(
                   "result")][0][QStringLiteral("value")][1]
                       .toString()
                       .toInt() < 18)
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const qint64 endMs = (QDateTime::currentMSecsSinceEpoch() - 3'000) / 1000 * 1000;
        const qint64 startMs = endMs - 20'000;
        const QString db = m_dir.filePath(QStringLiteral("limit.lundi"));
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), m_url + QStringLiteral("/"), QStringLiteral("--query"),
                 QStringLiteral("up"), QStringLiteral("--start"), QString::number(startMs / 1000),
                 QStringLiteral("--end"), QString::number(endMs / 1000), QStringLiteral("--step"),
                 QStringLiteral("1ms"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, run.err.constData());
        // The server refuses the whole window in one request.
        QCOMPARE(get(QStringLiteral("/api/v1/query_range?query=up&start=%1&end=%2&step=0.001")
                         .arg(startMs / 1000)
                         .arg(endMs / 1000))
                     .first,
                 400);
        std::vector<ApiSeries> expected =
            queryRange(QStringLiteral("up"), startMs, startMs + 10'000, QStringLiteral("0.001"));
        const std::vector<ApiSeries> second =
            queryRange(QStringLiteral("up"), startMs + 10'001, endMs, QStringLiteral("0.001"));
        QCOMPARE(expected.size(), size_t(1));
        QCOMPARE(second.size(), size_t(1));
        expected[0].values.insert(expected[0].values.end(), second[0].values.begin(), second[0].values.end());
        QVERIFY2(expected[0].values.size() > 11'000, qPrintable(QString::number(expected[0].values.size())));
        compare(Store(db), QStringLiteral("up"), expected);
    }
};

QTEST_GUILESS_MAIN(TestCliPrometheusServer)
#include "tst_cli_prometheusserver.moc"
