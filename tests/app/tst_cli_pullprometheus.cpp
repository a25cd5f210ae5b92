// lundi-cli pull-prometheus end to end against the test server on 127.0.0.1 speaking the query
// API as Prometheus does (its JSON, its limit of 11,000 points a series, its errors): the series
// and their samples land at their exact nanoseconds, NaN and ±Inf included; a path prefix is
// kept; a long window is asked for in parts without a sample twice; a long query goes as a POST;
// 400, 422, 404, 503, a timeout and a refused port end in one sentence and an untouched incident;
// secrets reach neither the incident nor its origin.

#include "clirun.h"
#include "store/store.h"
#include "support/httptestserver.h"
#include "support/incidentfiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <atomic>
#include <cmath>
#include <map>
#include <memory>
#include <thread>

using namespace lundi;
using namespace lundi::test;

namespace {

const QString Metric = QStringLiteral("lundi_test_metric");

// The parameters of a query_range request, from its query string or its POSTed form.
std::map<QString, QString> parametersOf(const TestRequest& request)
{
    const std::string& encoded = request.method == "POST" ? request.body : request.query;
    std::map<QString, QString> parameters;
    for (const auto& [name, value] :
         QUrlQuery(QString::fromStdString(encoded)).queryItems(QUrl::FullyDecoded))
        parameters[name] = value;
    return parameters;
}

// Seconds with up to 3 decimals, as Prometheus reads and writes them, in milliseconds.
qint64 milliseconds(const QString& seconds)
{
    return qint64(std::llround(seconds.toDouble() * 1000));
}

QString secondsText(qint64 ms)
{
    return ms % 1000 ? QString::number(ms / 1000) + QLatin1Char('.') +
                           QString::number(ms % 1000).rightJustified(3, QLatin1Char('0'))
                     : QString::number(ms / 1000);
}

// The value of the named series at a time: every tenth step a NaN, +Inf or -Inf.
QString valueAt(qint64 ms, qint64 stepMs)
{
    switch ((ms / stepMs) % 10) {
    case 3:
        return QStringLiteral("NaN");
    case 5:
        return QStringLiteral("+Inf");
    case 7:
        return QStringLiteral("-Inf");
    default:
        return QString::number(double(ms % 100'000) / 8.0);
    }
}

double number(const QString& text)
{
    if (text == QLatin1String("NaN"))
        return std::nan("");
    if (text == QLatin1String("+Inf"))
        return INFINITY;
    if (text == QLatin1String("-Inf"))
        return -INFINITY;
    return text.toDouble();
}

std::string json(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

TestResponse jsonResponse(int status, const QJsonObject& object)
{
    return {status, {{"Content-Type", "application/json"}}, json(object)};
}

// Prometheus's query_range: two series, one named (lundi_test_metric{job="a"}) and one without
// a name ({job="b"}), at start, start + step, ... up to end; more than 11,000 points refused as
// Prometheus refuses them. earlier: also answer the step before start, as a server that aligns
// its start to the step (VictoriaMetrics) does.
TestResponse queryRange(const TestRequest& request, bool earlier = false)
{
    auto parameters = parametersOf(request);
    const qint64 start = milliseconds(parameters[QStringLiteral("start")]);
    const qint64 end = milliseconds(parameters[QStringLiteral("end")]);
    const qint64 step = milliseconds(parameters[QStringLiteral("step")]);
    if (step <= 0 || end < start)
        return jsonResponse(400, {{QStringLiteral("status"), QStringLiteral("error")},
                                  {QStringLiteral("errorType"), QStringLiteral("bad_data")},
                                  {QStringLiteral("error"), QStringLiteral("bad start, end or step")}});
    if ((end - start) / step > 11'000)
        return jsonResponse(
            400, {{QStringLiteral("status"), QStringLiteral("error")},
                  {QStringLiteral("errorType"), QStringLiteral("bad_data")},
                  {QStringLiteral("error"), QStringLiteral("exceeded maximum resolution of 11,000 points per "
                                                           "timeseries. Try decreasing the query resolution "
                                                           "(?step=XX)")}});
    QJsonArray named;
    QJsonArray unnamed;
    for (qint64 t = earlier ? start - step : start; t <= end; t += step) {
        // Times as JSON numbers, values as strings, as the API writes them.
        named.append(QJsonArray{QJsonValue(secondsText(t).toDouble()), valueAt(t, step)});
        unnamed.append(QJsonArray{QJsonValue(secondsText(t).toDouble()), QStringLiteral("1.5")});
    }
    const QJsonArray result{
        QJsonObject{{QStringLiteral("metric"), QJsonObject{{QStringLiteral("__name__"), Metric},
                                                           {QStringLiteral("job"), QStringLiteral("a")}}},
                    {QStringLiteral("values"), named}},
        QJsonObject{{QStringLiteral("metric"), QJsonObject{{QStringLiteral("job"), QStringLiteral("b")}}},
                    {QStringLiteral("values"), unnamed}}};
    return jsonResponse(
        200, {{QStringLiteral("status"), QStringLiteral("success")},
              {QStringLiteral("data"), QJsonObject{{QStringLiteral("resultType"), QStringLiteral("matrix")},
                                                   {QStringLiteral("result"), result}}}});
}

} // namespace

class TestPullPrometheus : public QObject
{
    Q_OBJECT

  private:
    QString db(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    QTemporaryDir m_dir;

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void seriesLandAtTheirExactTimes_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("method");
        QTest::newRow("GET") << Metric + QStringLiteral(" + 0 * on() group_left vector(1)")
                             << QStringLiteral("GET");
        // Over 8,000 bytes of URL: a form in a POST instead.
        QTest::newRow("POST") << Metric + QStringLiteral(" + 0").repeated(3000) << QStringLiteral("POST");
    }

    void seriesLandAtTheirExactTimes()
    {
        QFETCH(QString, query);
        QFETCH(QString, method);
        HttpTestServer server;
        server.route("/prometheus/api/v1/query_range", [](const TestRequest& r) { return queryRange(r); });
        const QString path = db("exact.lundi") + method;
        // A start with a fraction of a second: times come back as 1700000000.125 and must stay exact.
        const CliRun run = cli(
            {QStringLiteral("pull-prometheus"), QString::fromStdString(server.url("/prometheus")),
             QStringLiteral("--query"), query, QStringLiteral("--start"), QStringLiteral("1700000000.125"),
             QStringLiteral("--end"), QStringLiteral("2023-11-14T22:15:00.125Z"), QStringLiteral("--step"),
             QStringLiteral("10s"), QStringLiteral("--db"), path});
        QVERIFY2(run.status == 0, run.err.constData());

        const std::vector<TestExchange> exchanges = server.exchanges();
        QCOMPARE(exchanges.size(), size_t(1));
        QCOMPARE(QString::fromStdString(exchanges[0].request.method), method);
        // The path prefix is kept; the query arrives as typed, '+' and all.
        QCOMPARE(exchanges[0].request.path, std::string("/prometheus/api/v1/query_range"));
        auto parameters = parametersOf(exchanges[0].request);
        QCOMPARE(parameters[QStringLiteral("query")], query);
        QCOMPARE(parameters[QStringLiteral("step")], QStringLiteral("10"));

        const Store store(path);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].format, QStringLiteral("prometheus-pull"));
        QVERIFY2(sources[0].origin.contains(QLatin1String("/prometheus/api/v1/query_range?query=")),
                 qPrintable(sources[0].origin));
        // The summary names it as stored, its %-escapes untouched.
        QCOMPARE(QString::fromUtf8(run.out),
                 sources[0].origin +
                     QStringLiteral(": prometheus-pull, 0 tracks, 0 spans, 0 flows, 2 series, "
                                    "22 samples, 0 warnings\n"));
        const QList<Series> series = store.series();
        QCOMPARE(series.size(), 2);
        const Series* named = seriesNamed(series, Metric);
        const Series* unnamed = seriesNamed(series, query); // no __name__: the query names it
        QVERIFY(named && unnamed);
        QCOMPARE(named->labelsJson, QByteArray(R"({"job":"a"})"));
        QCOMPARE(unnamed->labelsJson, QByteArray(R"({"job":"b"})"));

        // 1700000000.125 to 1700000100.125 (the RFC 3339 end) every 10 s: 11 points.
        const std::vector<Sample> samples = store.samples(named->id);
        QCOMPARE(samples.size(), size_t(11));
        int specials = 0;
        for (size_t i = 0; i < samples.size(); ++i) {
            const qint64 ms = 1'700'000'000'125 + qint64(i) * 10'000;
            QCOMPARE(samples[i].timeNs, ms * 1'000'000);
            const double expected = number(valueAt(ms, 10'000));
            if (std::isnan(expected)) {
                QVERIFY(std::isnan(samples[i].value));
                ++specials;
            } else {
                QCOMPARE(samples[i].value, expected);
                specials += std::isinf(expected);
            }
        }
        QCOMPARE(specials, 3); // NaN, +Inf and -Inf each once
        for (const Sample& sample : store.samples(unnamed->id))
            QCOMPARE(sample.value, 1.5);
    }

    void longWindowsArePulledInParts_data()
    {
        QTest::addColumn<bool>("earlier");
        QTest::newRow("Prometheus") << false;
        QTest::newRow("a server that aligns its start to the step") << true;
    }

    // 25,001 steps: three requests of at most 11,000 points, put together with no time twice.
    void longWindowsArePulledInParts()
    {
        QFETCH(bool, earlier);
        HttpTestServer server;
        server.route("/api/v1/query_range",
                     [earlier](const TestRequest& r) { return queryRange(r, earlier); });
        const QString path = db(earlier ? "aligned.lundi" : "parts.lundi");
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), QString::fromStdString(server.url("/")),
                 QStringLiteral("--query"), Metric, QStringLiteral("--start"), QStringLiteral("1700000000"),
                 QStringLiteral("--end"), QStringLiteral("1700025000"), QStringLiteral("--step"),
                 QStringLiteral("1"), QStringLiteral("--db"), path});
        QVERIFY2(run.status == 0, run.err.constData());
        const std::vector<TestExchange> exchanges = server.exchanges();
        QCOMPARE(exchanges.size(), size_t(3));
        for (const TestExchange& exchange : exchanges)
            QCOMPARE(exchange.status, 200); // none went over the limit
        QCOMPARE(parametersOf(exchanges[1].request)[QStringLiteral("start")], QStringLiteral("1700011000"));

        const Store store(path);
        for (const Series& series : store.series()) {
            const std::vector<Sample> samples = store.samples(series.id);
            // The aligned server's first part also has the step before the start.
            QCOMPARE(samples.size(), size_t(earlier ? 25'002 : 25'001));
            const qint64 first = (1'700'000'000 - (earlier ? 1 : 0)) * 1'000'000'000LL;
            for (size_t i = 0; i < samples.size(); ++i)
                QCOMPARE(samples[i].timeNs, first + qint64(i) * 1'000'000'000);
        }
    }

    void errorsEndInOneSentence_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorType");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("400 bad query") << 400 << QStringLiteral("bad_data")
                                       << QStringLiteral("invalid parameter \"query\": 1:10: parse error: "
                                                         "unexpected character: '!'");
        QTest::newRow("422 execution") << 422 << QStringLiteral("execution")
                                       << QStringLiteral("query processing would load too many samples into "
                                                         "memory in query execution");
    }

    void errorsEndInOneSentence()
    {
        QFETCH(int, status);
        QFETCH(QString, errorType);
        QFETCH(QString, sentence);
        HttpTestServer server;
        server.route("/api/v1/query_range", [&](const TestRequest&) {
            return jsonResponse(status, {{QStringLiteral("status"), QStringLiteral("error")},
                                         {QStringLiteral("errorType"), errorType},
                                         {QStringLiteral("error"), sentence}});
        });
        const QString path = db("refused.lundi");
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), QString::fromStdString(server.url("")),
                 QStringLiteral("--query"), QStringLiteral("up!"), QStringLiteral("--start"),
                 QStringLiteral("1700000000"), QStringLiteral("--end"), QStringLiteral("1700000600"),
                 QStringLiteral("--step"), QStringLiteral("15s"), QStringLiteral("--db"), path});
        QCOMPARE(run.status, 1);
        QVERIFY2(run.err.contains(sentence.toUtf8()), run.err.constData());
        QVERIFY2(run.err.contains(errorType.toUtf8()), run.err.constData());
        QCOMPARE(server.exchanges().size(), size_t(1)); // a refusal is not asked again
        QVERIFY(!QFile::exists(path));
    }

    // 503 is asked again after a pause that doubles; twice is within the retries, always is not.
    void unavailableIsAskedAgain_data()
    {
        QTest::addColumn<int>("unavailable");
        QTest::addColumn<int>("expectedStatus");
        QTest::newRow("twice, then an answer") << 2 << 0;
        QTest::newRow("always") << 1000 << 1;
    }

    void unavailableIsAskedAgain()
    {
        QFETCH(int, unavailable);
        QFETCH(int, expectedStatus);
        HttpTestServer server;
        auto asked = std::make_shared<std::atomic<int>>(0);
        server.route("/api/v1/query_range", [asked, unavailable](const TestRequest& r) {
            if (++*asked <= unavailable)
                return jsonResponse(503, {{QStringLiteral("status"), QStringLiteral("error")},
                                          {QStringLiteral("errorType"), QStringLiteral("unavailable")},
                                          {QStringLiteral("error"), QStringLiteral("too many queries")}});
            return queryRange(r);
        });
        const QString path = db("unavailable.lundi") + QString::number(unavailable);
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), QString::fromStdString(server.url("")),
                 QStringLiteral("--query"), Metric, QStringLiteral("--start"), QStringLiteral("1700000000"),
                 QStringLiteral("--end"), QStringLiteral("1700000060"), QStringLiteral("--step"),
                 QStringLiteral("15s"), QStringLiteral("--db"), path});
        QVERIFY2(run.status == expectedStatus, run.err.constData());
        if (expectedStatus == 0) {
            QCOMPARE(server.exchanges().size(), size_t(3));
            QCOMPARE(Store(path).counts().samples, qint64(2 * 5));
        } else {
            QCOMPARE(server.exchanges().size(), size_t(4)); // the first try and 3 more
            QVERIFY2(run.err.contains("unavailable") && run.err.contains("4 tries"), run.err.constData());
            QVERIFY(!QFile::exists(path));
        }
    }

    void noAnswerEndsInOneSentence_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected");
        QTest::newRow("timeout") << QStringLiteral("/slow") << QStringLiteral("no answer within 0.3 s");
        QTest::newRow("no API there")
            << QStringLiteral("/nothing") << QStringLiteral("no Prometheus query API here");
        QTest::newRow("refused") << QString() << QStringLiteral("127.0.0.1");
    }

    void noAnswerEndsInOneSentence()
    {
        QFETCH(QString, target);
        QFETCH(QString, expected);
        HttpTestServer server;
        server.route("/slow/api/v1/query_range", [](const TestRequest&) {
            std::this_thread::sleep_for(std::chrono::seconds(2)); // longer than --timeout
            return TestResponse{};
        });
        const QString url = target.isEmpty() ? QStringLiteral("http://127.0.0.1:%1").arg(closedLoopbackPort())
                                             : QString::fromStdString(server.url(target.toStdString()));
        const QString path = db("noanswer.lundi");
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), url, QStringLiteral("--query"), Metric,
                 QStringLiteral("--start"), QStringLiteral("1700000000"), QStringLiteral("--end"),
                 QStringLiteral("1700000060"), QStringLiteral("--step"), QStringLiteral("15s"),
                 QStringLiteral("--timeout"), QStringLiteral("300ms"), QStringLiteral("--db"), path});
        QCOMPARE(run.status, 1);
        QVERIFY2(run.err.contains(expected.toUtf8()), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1); // one sentence
        QVERIFY(!QFile::exists(path));
    }

    // The header's value and the URL's credentials and token go to the server, never to the file.
    void secretsStayOutOfTheIncident()
    {
        HttpTestServer server;
        server.route("/api/v1/query_range", [](const TestRequest& r) { return queryRange(r); });
        const QString url =
            QStringLiteral("http://lundi:pass-4712@127.0.0.1:%1/?access_token=tok-4713").arg(server.port());
        const QString path = db("secrets.lundi");
        const CliRun run =
            cli({QStringLiteral("pull-prometheus"), url, QStringLiteral("--query"), Metric,
                 QStringLiteral("--start"), QStringLiteral("1700000000"), QStringLiteral("--end"),
                 QStringLiteral("1700000060"), QStringLiteral("--step"), QStringLiteral("15s"),
                 QStringLiteral("--header"), QStringLiteral("Authorization: Bearer secret-4711"),
                 QStringLiteral("--db"), path});
        QVERIFY2(run.status == 0, run.err.constData());
        const TestRequest request = server.exchanges().at(0).request;
        QCOMPARE(request.header("Authorization"), std::string("Bearer secret-4711"));
        QCOMPARE(request.parameter("access_token"), std::string("tok-4713"));

        const QString origin = Store(path).sources().at(0).origin;
        QVERIFY2(origin.contains(QLatin1String("REDACTED")), qPrintable(origin));
        const QByteArray bytes = incidentBytes(path);
        QVERIFY(bytes.contains(Metric.toUtf8()));
        for (const char* secret : {"secret-4711", "pass-4712", "tok-4713"})
            QVERIFY2(!bytes.contains(secret) && !run.out.contains(secret), secret);
    }
};

QTEST_GUILESS_MAIN(TestPullPrometheus)
#include "tst_cli_pullprometheus.moc"
