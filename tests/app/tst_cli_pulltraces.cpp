// lundi-cli pull-traces end to end against the test server on 127.0.0.1 answering as Jaeger's
// query API (v1 and v3) and Grafana Tempo do, with real answers of those APIs from the shared
// corpus: a trace by id and the traces of a search land as one source of the importer's format
// with as many spans as the served JSON holds (counted here with QJsonDocument); the search's
// parameters reach the server as each API names them; a trace that is not there is said so.

#include "clirun.h"
#include "store/store.h"
#include "support/httptestserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <map>

using namespace lundi;
using namespace lundi::test;

namespace {

QByteArray corpus(const char* path)
{
    QFile file(QStringLiteral(LUNDI_CORPUS_DIR "/") + QLatin1String(path));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", path);
    return file.readAll();
}

QJsonObject object(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

// Spans of Jaeger's {"data": [trace, ...]}.
int jaegerSpans(const QByteArray& json)
{
    int spans = 0;
    for (const QJsonValue trace : object(json)[QStringLiteral("data")].toArray())
        spans += int(trace[QStringLiteral("spans")].toArray().size());
    return spans;
}

// Spans of an OTLP/JSON export, its resource spans under resourceSpans or Tempo's batches.
int otlpSpans(const QJsonObject& document)
{
    int spans = 0;
    for (const char* key : {"resourceSpans", "batches"}) {
        for (const QJsonValue resource : document[QLatin1String(key)].toArray()) {
            for (const QJsonValue scope : resource[QStringLiteral("scopeSpans")].toArray())
                spans += int(scope[QStringLiteral("spans")].toArray().size());
        }
    }
    return spans;
}

// Tempo answers /api/traces/ID with the resource spans under "batches".
QJsonObject tempoTrace(const QByteArray& otlp)
{
    QJsonObject trace = object(otlp);
    trace[QStringLiteral("batches")] = trace.take(QStringLiteral("resourceSpans"));
    return trace;
}

TestResponse json(const QJsonObject& object, int status = 200)
{
    return {status,
            {{"Content-Type", "application/json"}},
            QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString()};
}

TestResponse bytes(const QByteArray& body)
{
    return {200, {{"Content-Type", "application/json"}}, body.toStdString()};
}

std::map<QString, QString> parametersOf(const TestRequest& request)
{
    std::map<QString, QString> parameters;
    for (const auto& [name, value] :
         QUrlQuery(QString::fromStdString(request.query)).queryItems(QUrl::FullyDecoded))
        parameters[name] = value;
    return parameters;
}

const char* const JaegerAnswer = "jaeger-json/jaeger_query_otlp2jaeger_out.json";
const char* const JaegerDownload = "jaeger-json/jaegerui_otlp2jaeger_out.json";
const char* const OtlpExample = "otlp-json/jaeger_otlp_integration_example.json"; // 5 spans, 3 services
const char* const OtlpTwoTraces = "otlp-json/jaeger_otlp_memstore_traces.json";
const char* const OtlpProtoExample = "otlp-json/otelproto_examples_trace.json";

} // namespace

class TestPullTraces : public QObject
{
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newDb() { return m_dir.filePath(QStringLiteral("pull%1.lundi").arg(++m_files)); }

    // Runs pull-traces; on success checks the one source it wrote and returns its span count.
    qint64 pull(const QStringList& arguments, const QString& format, const QString& originEnd)
    {
        const QString path = newDb();
        const CliRun run = cli(QStringList{QStringLiteral("pull-traces")} + arguments +
                               QStringList{QStringLiteral("--db"), path});
        if (run.status != 0) {
            qWarning("%s", run.err.constData());
            return -1;
        }
        const Store store(path);
        const QList<Source> sources = store.sources();
        if (sources.size() != 1 || sources[0].format != format || !sources[0].origin.endsWith(originEnd)) {
            qWarning() << sources.size()
                       << (sources.isEmpty() ? QString() : sources[0].format + sources[0].origin);
            return -1;
        }
        return store.counts().spans;
    }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void jaegerTraceById_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("Jaeger v2 query API") << QString::fromLatin1(JaegerAnswer);
        QTest::newRow("Jaeger UI API form") << QString::fromLatin1(JaegerDownload);
    }

    void jaegerTraceById()
    {
        QFETCH(QString, file);
        const QByteArray answer = corpus(qPrintable(file));
        const QString traceId =
            object(answer)[QStringLiteral("data")][0][QStringLiteral("traceID")].toString();
        HttpTestServer server;
        server.route("/jaeger/api/traces/" + traceId.toStdString(),
                     [&](const TestRequest&) { return bytes(answer); });
        const QString url = QString::fromStdString(server.url("/jaeger"));
        QCOMPARE(pull({url, QStringLiteral("--trace"), traceId}, QStringLiteral("jaeger-json"),
                      QStringLiteral("/jaeger/api/traces/") + traceId),
                 qint64(jaegerSpans(answer)));
    }

    void jaegerSearch()
    {
        const QByteArray answer = corpus(JaegerAnswer);
        HttpTestServer server;
        server.route("/api/traces", [&](const TestRequest&) { return bytes(answer); });
        QCOMPARE(pull({QString::fromStdString(server.url("")), QStringLiteral("--service"),
                       QStringLiteral("telemetrygen"), QStringLiteral("--operation"),
                       QStringLiteral("GET /api?x=1&y"), QStringLiteral("--start"),
                       QStringLiteral("2026-11-23T08:00:00Z"), QStringLiteral("--end"),
                       QStringLiteral("1795424400.5"), QStringLiteral("--min-duration"),
                       QStringLiteral("250ms"), QStringLiteral("--limit"), QStringLiteral("20")},
                      QStringLiteral("jaeger-json"), QStringLiteral("limit=20")),
                 qint64(jaegerSpans(answer)));
        auto parameters = parametersOf(server.exchanges().at(0).request);
        QCOMPARE(parameters[QStringLiteral("service")], QStringLiteral("telemetrygen"));
        QCOMPARE(parameters[QStringLiteral("operation")], QStringLiteral("GET /api?x=1&y"));
        // Microseconds.
        QCOMPARE(parameters[QStringLiteral("start")], QStringLiteral("1795420800000000"));
        QCOMPARE(parameters[QStringLiteral("end")], QStringLiteral("1795424400500000"));
        QCOMPARE(parameters[QStringLiteral("minDuration")], QStringLiteral("250ms"));
        QCOMPARE(parameters[QStringLiteral("limit")], QStringLiteral("20"));
    }

    void jaegerV3_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("search");
        QTest::newRow("by id") << QString::fromLatin1(OtlpExample) << false;
        QTest::newRow("search, two traces") << QString::fromLatin1(OtlpTwoTraces) << true;
    }

    // The API v3 answers OTLP/JSON in {"result": ...}.
    void jaegerV3()
    {
        QFETCH(QString, file);
        QFETCH(bool, search);
        const QJsonObject otlp = object(corpus(qPrintable(file)));
        const QString traceId = otlp[QStringLiteral("resourceSpans")][0][QStringLiteral("scopeSpans")][0]
                                    [QStringLiteral("spans")][0][QStringLiteral("traceId")]
                                        .toString();
        HttpTestServer server;
        const QJsonObject answer{{QStringLiteral("result"), otlp}};
        server.route(search ? "/api/v3/traces" : "/api/v3/traces/" + traceId.toStdString(),
                     [&](const TestRequest&) { return json(answer); });
        QStringList arguments{QString::fromStdString(server.url("")), QStringLiteral("--api"),
                              QStringLiteral("jaeger-v3")};
        arguments += search ? QStringList{QStringLiteral("--service"), QStringLiteral("example-service-1"),
                                          QStringLiteral("--start"),   QStringLiteral("1700000000"),
                                          QStringLiteral("--end"),     QStringLiteral("1700003600")}
                            : QStringList{QStringLiteral("--trace"), traceId};
        QCOMPARE(pull(arguments, QStringLiteral("otlp-json"), search ? QStringLiteral("Z") : traceId),
                 qint64(otlpSpans(otlp)));
        if (search) {
            auto parameters = parametersOf(server.exchanges().at(0).request);
            QCOMPARE(parameters[QStringLiteral("query.service_name")], QStringLiteral("example-service-1"));
            QCOMPARE(parameters[QStringLiteral("query.start_time_min")],
                     QStringLiteral("2023-11-14T22:13:20.000Z"));
            QCOMPARE(parameters[QStringLiteral("query.start_time_max")],
                     QStringLiteral("2023-11-14T23:13:20.000Z"));
        }
    }

    void tempoTraceById()
    {
        const QJsonObject trace = tempoTrace(corpus(OtlpExample));
        HttpTestServer server;
        server.route("/api/traces/00000000000000000000000000000011",
                     [&](const TestRequest&) { return json(trace); });
        QCOMPARE(
            pull({QString::fromStdString(server.url("")), QStringLiteral("--api"), QStringLiteral("tempo"),
                  QStringLiteral("--trace"), QStringLiteral("00000000000000000000000000000011")},
                 QStringLiteral("otlp-json"), QStringLiteral("/api/traces/00000000000000000000000000000011")),
            qint64(otlpSpans(trace)));
        // Tempo answers protobuf unless asked for JSON.
        QCOMPARE(server.exchanges().at(0).request.header("Accept"), std::string("application/json"));
    }

    // Tempo's search answers trace ids; each trace is then fetched, all into one source.
    void tempoSearch()
    {
        const QJsonObject first = tempoTrace(corpus(OtlpExample));
        const QJsonObject second = tempoTrace(corpus(OtlpProtoExample));
        HttpTestServer server;
        server.route("/tempo/api/search", [](const TestRequest&) {
            return json({{QStringLiteral("traces"),
                          QJsonArray{QJsonObject{{QStringLiteral("traceID"),
                                                  QStringLiteral("00000000000000000000000000000011")},
                                                 {QStringLiteral("rootServiceName"),
                                                  QStringLiteral("example-service-1")}},
                                     QJsonObject{{QStringLiteral("traceID"),
                                                  QStringLiteral("5B8EFFF798038103D269B633813FC60C")}}}},
                         {QStringLiteral("metrics"), QJsonObject{{QStringLiteral("inspectedTraces"), 2}}}});
        });
        server.route("/tempo/api/traces/00000000000000000000000000000011",
                     [&](const TestRequest&) { return json(first); });
        server.route("/tempo/api/traces/5B8EFFF798038103D269B633813FC60C",
                     [&](const TestRequest&) { return json(second); });
        QCOMPARE(
            pull({QString::fromStdString(server.url("/tempo/")), QStringLiteral("--api"),
                  QStringLiteral("tempo"), QStringLiteral("--service"), QStringLiteral("example-service-1"),
                  QStringLiteral("--start"), QStringLiteral("1700000000"), QStringLiteral("--end"),
                  QStringLiteral("1700003600.2"), QStringLiteral("--min-duration"), QStringLiteral("1.5s")},
                 QStringLiteral("otlp-json"), QStringLiteral("minDuration=1500ms")),
            qint64(otlpSpans(first) + otlpSpans(second)));
        const std::vector<TestExchange> exchanges = server.exchanges();
        QCOMPARE(exchanges.size(), size_t(3));
        auto parameters = parametersOf(exchanges[0].request);
        QCOMPARE(parameters[QStringLiteral("tags")], QStringLiteral("service.name=example-service-1"));
        QCOMPARE(parameters[QStringLiteral("start")], QStringLiteral("1700000000"));
        QCOMPARE(parameters[QStringLiteral("end")],
                 QStringLiteral("1700003601")); // whole seconds, rounded up
    }

    void traceNotFound_data()
    {
        QTest::addColumn<QString>("api");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("jaeger")
            << QStringLiteral("jaeger") << QStringLiteral("/api/traces/")
            << QByteArray(
                   R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]})");
        QTest::newRow("jaeger-v3") << QStringLiteral("jaeger-v3") << QStringLiteral("/api/v3/traces/")
                                   << QByteArray(R"({"error":{"httpCode":404,"message":"trace not found"}})");
        QTest::newRow("tempo") << QStringLiteral("tempo") << QStringLiteral("/api/traces/")
                               << QByteArray("trace not found\n");
    }

    void traceNotFound()
    {
        QFETCH(QString, api);
        QFETCH(QString, path);
        QFETCH(QByteArray, answer);
        HttpTestServer server;
        server.route(QString(path + QStringLiteral("*")).toStdString(), [&](const TestRequest&) {
            return TestResponse{404, {}, answer.toStdString()};
        });
        const QString url = QString::fromStdString(server.url(""));
        const QString db = newDb();
        const CliRun run =
            cli({QStringLiteral("pull-traces"), url, QStringLiteral("--api"), api, QStringLiteral("--trace"),
                 QStringLiteral("abc123"), QStringLiteral("--db"), db});
        QCOMPARE(run.status, 1);
        QVERIFY2(run.err.contains("trace abc123 not found"), run.err.constData());
        QVERIFY2(run.err.contains((url + path + QStringLiteral("abc123")).toUtf8()), run.err.constData());
        QVERIFY(!QFile::exists(db));
    }

    void refusals()
    {
        HttpTestServer server;
        server.route("/api/traces", [](const TestRequest&) {
            return json({{QStringLiteral("data"), QJsonArray{}}, {QStringLiteral("errors"), QJsonValue()}});
        });
        const QString url = QString::fromStdString(server.url(""));
        const CliRun empty =
            cli({QStringLiteral("pull-traces"), url, QStringLiteral("--service"), QStringLiteral("s"),
                 QStringLiteral("--start"), QStringLiteral("1700000000"), QStringLiteral("--end"),
                 QStringLiteral("1700000060"), QStringLiteral("--db"), newDb()});
        QCOMPARE(empty.status, 1);
        QVERIFY2(empty.err.contains("no trace matched the search"), empty.err.constData());
        for (const QStringList& bad : {QStringList{url, QStringLiteral("--trace"), QStringLiteral("not-hex")},
                                       QStringList{url, QStringLiteral("--service"), QStringLiteral("s")},
                                       QStringList{url, QStringLiteral("--trace"), QStringLiteral("ab"),
                                                   QStringLiteral("--api"), QStringLiteral("zipkin")},
                                       QStringList{url}}) {
            const CliRun run = cli(QStringList{QStringLiteral("pull-traces")} + bad +
                                   QStringList{QStringLiteral("--db"), newDb()});
            QVERIFY2(run.status == 2, run.err.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestPullTraces)
#include "tst_cli_pulltraces.moc"
