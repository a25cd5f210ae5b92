#include "clirun.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using lundi::test::cli;
using Run = lundi::test::CliRun;

namespace {

// Two threads, known answers: handler 0-100us with auth_check 10-30 and db_query 40-90 under it;
// handler 200-230 with db_query 205-215 on the other thread.
const QByteArray SmallTrace = R"({"traceEvents":[
    {"ph":"X","name":"auth_check","ts":10,"dur":20,"pid":1,"tid":1},
    {"ph":"X","name":"db_query","ts":40,"dur":50,"pid":1,"tid":1,"args":{"db.system":"postgresql"}},
    {"ph":"X","name":"handler","cat":"http","ts":0,"dur":100,"pid":1,"tid":1},
    {"ph":"X","name":"db_query","ts":205,"dur":10,"pid":1,"tid":2},
    {"ph":"X","name":"handler","ts":200,"dur":30,"pid":1,"tid":2},
    {"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"worker"}}]})";

// Two requests, worked out on paper. Thread 1: a handler of 1000 us whose auth check (0-700,
// compliance) and then database query (700-900, storage) run in sequence: compliance is 70 % of
// its critical path. Thread 2: a handler of 100 us with an 80 us query in it.
const QByteArray TwoRequests = R"({"traceEvents":[
    {"ph":"X","name":"handler","cat":"http","ts":0,"dur":1000,"pid":1,"tid":1},
    {"ph":"X","name":"auth_check","ts":0,"dur":700,"pid":1,"tid":1},
    {"ph":"X","name":"db_query","ts":700,"dur":200,"pid":1,"tid":1,"args":{"db.system":"postgresql"}},
    {"ph":"X","name":"handler","cat":"http","ts":2000,"dur":100,"pid":1,"tid":2},
    {"ph":"X","name":"db_query","ts":2010,"dur":80,"pid":1,"tid":2,"args":{"db.system":"postgresql"}}]})";

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void init();
    void importSummarizes();
    void infoJson();
    void topJson_data();
    void topJson();
    void topText();
    void flameFolded_data();
    void flameFolded();
    void reimportIsRefused();
    void badInputLeavesIncidentAlone();
    void importColumnsNameAHeaderlessCsv();
    void usageErrors_data();
    void usageErrors();
    void demoWritesIncident();
    void offsetPlacesASource();
    void sqlPrintsTableAndCsv();
    void sqlRefusesWrites();
    void classifyAppliesRules();
    void breakdownJson();
    void breakdownText();
    void breakdownRefuses_data();
    void breakdownRefuses();

  private:
    QString path(const char* name) const { return m_dir->filePath(QLatin1String(name)); }
    QString writeTrace(const char* name, const QByteArray& content) const;
    void importSmall();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
};

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_db = path("incident.lundi");
}

QString TestCli::writeTrace(const char* name, const QByteArray& content) const
{
    QFile file(path(name));
    file.open(QIODevice::WriteOnly);
    file.write(content);
    return file.fileName();
}

void TestCli::importSmall()
{
    const Run run =
        cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, writeTrace("small.json", SmallTrace)});
    QVERIFY2(run.status == 0, run.err.constData());
}

void TestCli::importSummarizes()
{
    const QString trace = writeTrace("small.json", SmallTrace);
    const Run run = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, trace});
    QCOMPARE(run.status, 0);
    QCOMPARE(run.out,
             (trace + QStringLiteral(": chrome-trace, 2 tracks, 5 spans, 0 flows, 0 series, 0 samples, "
                                     "0 warnings\n"))
                 .toUtf8());
    QVERIFY(run.err.isEmpty()); // no progress bar when stderr is no terminal

    const Run json = cli({QStringLiteral("import"), QStringLiteral("--db"), path("other.lundi"),
                          QStringLiteral("--json"), trace});
    const QJsonObject summary = QJsonDocument::fromJson(json.out).array().at(0).toObject();
    QCOMPARE(summary.value(QLatin1String("format")).toString(), QStringLiteral("chrome-trace"));
    QCOMPARE(summary.value(QLatin1String("counts")).toObject().value(QLatin1String("spans")).toInt(), 5);
    QCOMPARE(summary.value(QLatin1String("sources")).toArray(), QJsonArray{1});

    // A differential profile is two sources, its baseline and its incident.
    const Run diff =
        cli({QStringLiteral("import"), QStringLiteral("--db"), path("other.lundi"), QStringLiteral("--json"),
             writeTrace("diff.folded", "main;parse 3 5\nmain;read 2 9\n")});
    QVERIFY2(diff.status == 0, diff.err.constData());
    const QJsonObject split = QJsonDocument::fromJson(diff.out).array().at(0).toObject();
    QCOMPARE(split.value(QLatin1String("format")).toString(), QStringLiteral("folded"));
    QCOMPARE(split.value(QLatin1String("source")).toInt(), 2);
    QCOMPARE(split.value(QLatin1String("sources")).toArray(), (QJsonArray{2, 3}));
    const Run info =
        cli({QStringLiteral("info"), QStringLiteral("--db"), path("other.lundi"), QStringLiteral("--json")});
    const QJsonArray sources =
        QJsonDocument::fromJson(info.out).object().value(QLatin1String("sources")).toArray();
    QVERIFY(sources.at(1)
                .toObject()
                .value(QLatin1String("origin"))
                .toString()
                .endsWith(QLatin1String("diff.folded#baseline")));
    QVERIFY(sources.at(2)
                .toObject()
                .value(QLatin1String("origin"))
                .toString()
                .endsWith(QLatin1String("diff.folded#incident")));
}

void TestCli::infoJson()
{
    importSmall();
    const Run run = cli({QStringLiteral("info"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
    QCOMPARE(run.status, 0);
    const QJsonObject info = QJsonDocument::fromJson(run.out).object();
    const QJsonObject counts = info.value(QLatin1String("counts")).toObject();
    QCOMPARE(counts.value(QLatin1String("sources")).toInt(), 1);
    QCOMPARE(counts.value(QLatin1String("tracks")).toInt(), 2);
    QCOMPARE(counts.value(QLatin1String("spans")).toInt(), 5);
    QCOMPARE(counts.value(QLatin1String("samples")).toInt(), 0);
    const QJsonObject range = info.value(QLatin1String("time_range")).toObject();
    QCOMPARE(range.value(QLatin1String("start_ns")).toInteger(), 0);
    QCOMPARE(range.value(QLatin1String("end_ns")).toInteger(), 230'000);
    const QJsonObject source = info.value(QLatin1String("sources")).toArray().at(0).toObject();
    QCOMPARE(source.value(QLatin1String("format")).toString(), QStringLiteral("chrome-trace"));
    QCOMPARE(source.value(QLatin1String("spans")).toInt(), 5);
    QCOMPARE(source.value(QLatin1String("sha256")).toString().size(), 64);
    const QJsonArray tracks = info.value(QLatin1String("tracks")).toArray();
    QCOMPARE(tracks.at(1).toObject().value(QLatin1String("name")).toString(), QStringLiteral("worker"));
}

void TestCli::topJson_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray db =
        R"({"category":"storage","count":2,"name":"db_query","self_ns":60000,"total_ns":60000})";
    const QByteArray handler =
        R"({"category":"api","count":2,"name":"handler","self_ns":50000,"total_ns":130000})";
    const QByteArray auth =
        R"({"category":"compliance","count":1,"name":"auth_check","self_ns":20000,"total_ns":20000})";
    QTest::newRow("by self") << QStringList() << "[" + db + "," + handler + "," + auth + "]";
    QTest::newRow("by total") << QStringList{QStringLiteral("--by"), QStringLiteral("total")}
                              << "[" + handler + "," + db + "," + auth + "]";
    QTest::newRow("category") << QStringList{QStringLiteral("--category"), QStringLiteral("compliance")}
                              << "[" + auth + "]";
    QTest::newRow("limit") << QStringList{QStringLiteral("--limit"), QStringLiteral("1")} << "[" + db + "]";
}

void TestCli::topJson()
{
    QFETCH(QStringList, options);
    QFETCH(QByteArray, expected);
    importSmall();
    const Run run = cli(
        QStringList{QStringLiteral("top"), QStringLiteral("--db"), m_db, QStringLiteral("--json")} + options);
    QCOMPARE(run.status, 0);
    QCOMPARE(QJsonDocument::fromJson(run.out).toJson(QJsonDocument::Compact), expected);
}

void TestCli::topText()
{
    importSmall();
    const Run run = cli({QStringLiteral("top"), QStringLiteral("--db"), m_db, QStringLiteral("--limit"),
                         QStringLiteral("1")});
    QCOMPARE(run.status, 0);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[1].simplified(), QByteArray("60.000 us 60.000 us 2 storage db_query"));
}

void TestCli::flameFolded_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("merged") << QStringList()
                            << QByteArray(
                                   "handler 50000\nhandler;auth_check 20000\nhandler;db_query 60000\n");
    QTest::newRow("by track")
        << QStringList{QStringLiteral("--by-track")}
        << QByteArray("tid 1;handler 30000\ntid 1;handler;auth_check 20000\n"
                      "tid 1;handler;db_query 50000\nworker;handler 20000\nworker;handler;db_query 10000\n");
}

void TestCli::flameFolded()
{
    QFETCH(QStringList, options);
    QFETCH(QByteArray, expected);
    importSmall();
    const Run run =
        cli(QStringList{QStringLiteral("flame"), QStringLiteral("--db"), m_db, QStringLiteral("--folded")} +
            options);
    QCOMPARE(run.status, 0);
    QCOMPARE(run.out, expected);
}

void TestCli::reimportIsRefused()
{
    importSmall();
    const QStringList again{QStringLiteral("import"), QStringLiteral("--db"), m_db, path("small.json")};
    const Run refused = cli(again);
    QCOMPARE(refused.status, 1);
    QVERIFY2(refused.err.contains("small.json: this content is already in the incident as source 1"),
             refused.err.constData());
    QCOMPARE(cli(again + QStringList{QStringLiteral("--force")}).status, 0);
    const Run info = cli({QStringLiteral("info"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(info.out)
                 .object()
                 .value(QLatin1String("counts"))
                 .toObject()
                 .value(QLatin1String("spans"))
                 .toInt(),
             10);
}

void TestCli::badInputLeavesIncidentAlone()
{
    importSmall();
    QFile db(m_db);
    QVERIFY(db.open(QIODevice::ReadOnly));
    const QByteArray before = db.readAll();
    db.close();
    const Run run = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db,
                         writeTrace("bad.json", "[{\"ph\":\"X\",\"ts\":1},\n {\"ph\" \"X\"}]")});
    QCOMPARE(run.status, 1);
    QCOMPARE(
        run.err,
        QByteArray("lundi-cli: bad.json: line 2, column 8 (byte 27): this is not valid JSON: Missing a colon "
                   "after a name of object member.\n"));
    QVERIFY(db.open(QIODevice::ReadOnly));
    QCOMPARE(db.readAll(), before);

    const Run missing = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, path("nowhere.json")});
    QCOMPARE(missing.status, 1);
    QVERIFY2(missing.err.startsWith("lundi-cli: nowhere.json: cannot open"), missing.err.constData());
    QCOMPARE(missing.err.count('\n'), 1);
}

// nvidia-smi --query-gpu=timestamp,index,utilization.gpu,memory.used --format=csv,noheader: two
// GPUs, two samples each, which only --columns can name.
void TestCli::importColumnsNameAHeaderlessCsv()
{
    const QString csv = writeTrace("noheader.csv", "2024/05/01 12:00:00.000, 0, 35 %, 1024 MiB\n"
                                                   "2024/05/01 12:00:00.000, 1, 80 %, 2048 MiB\n");
    const Run refused = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, csv});
    QCOMPARE(refused.status, 1);
    QVERIFY2(refused.err.contains("noheader.csv: line 1, column 1 (byte 0):") &&
                 refused.err.contains("--columns"),
             refused.err.constData());

    const Run run =
        cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, QStringLiteral("--columns"),
             QStringLiteral("timestamp, index,utilization.gpu,memory.used"), QStringLiteral("--json"), csv});
    QVERIFY2(run.status == 0, run.err.constData());
    const QJsonObject summary = QJsonDocument::fromJson(run.out).array().first().toObject();
    QCOMPARE(summary.value(QLatin1String("format")).toString(), QStringLiteral("gpu-csv"));
    const QJsonObject counts = summary.value(QLatin1String("counts")).toObject();
    QCOMPARE(counts.value(QLatin1String("series")).toInt(), 4);
    QCOMPARE(counts.value(QLatin1String("samples")).toInt(), 4);
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no command") << QStringList();
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
    QTest::newRow("no db") << QStringList{QStringLiteral("info")};
    QTest::newRow("bad --by") << QStringList{QStringLiteral("top"), QStringLiteral("--db"),
                                             QStringLiteral("x.lundi"), QStringLiteral("--by"),
                                             QStringLiteral("wall")};
    QTest::newRow("bad category") << QStringList{QStringLiteral("top"), QStringLiteral("--db"),
                                                 QStringLiteral("x.lundi"), QStringLiteral("--category"),
                                                 QStringLiteral("gpus")};
    QTest::newRow("flame without --folded")
        << QStringList{QStringLiteral("flame"), QStringLiteral("--db"), QStringLiteral("x.lundi")};
    QTest::newRow("import without inputs")
        << QStringList{QStringLiteral("import"), QStringLiteral("--db"), QStringLiteral("x.lundi")};
    QTest::newRow("bad --offset") << QStringList{QStringLiteral("import"),  QStringLiteral("--db"),
                                                 QStringLiteral("x.lundi"), QStringLiteral("--offset"),
                                                 QStringLiteral("soon"),    QStringLiteral("x.json")};
    QTest::newRow("bad --at") << QStringList{QStringLiteral("import"),    QStringLiteral("--db"),
                                             QStringLiteral("x.lundi"),   QStringLiteral("--at"),
                                             QStringLiteral("yesterday"), QStringLiteral("x.json")};
    QTest::newRow("empty name in --columns")
        << QStringList{QStringLiteral("import"),           QStringLiteral("--db"),
                       QStringLiteral("x.lundi"),          QStringLiteral("--columns"),
                       QStringLiteral("timestamp,,index"), QStringLiteral("x.csv")};
    QTest::newRow("offset without source")
        << QStringList{QStringLiteral("offset"), QStringLiteral("--db"), QStringLiteral("x.lundi")};
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    const Run run = cli(arguments);
    QCOMPARE(run.status, 2);
    QVERIFY(!run.err.isEmpty());
}

void TestCli::demoWritesIncident()
{
    const Run run = cli({QStringLiteral("demo"), QStringLiteral("--db"), m_db});
    QVERIFY2(run.status == 0, run.err.constData());
    const Run info = cli({QStringLiteral("info"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
    const QJsonObject counts =
        QJsonDocument::fromJson(info.out).object().value(QLatin1String("counts")).toObject();
    QVERIFY(counts.value(QLatin1String("spans")).toInt() > 0);
    QCOMPARE(cli({QStringLiteral("demo"), QStringLiteral("--db"), m_db}).status, 1); // already there
}

// --offset places an input at import; `offset` moves it later without a re-import.
void TestCli::offsetPlacesASource()
{
    const auto timeRange = [this] {
        const Run info =
            cli({QStringLiteral("info"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
        const QJsonObject range =
            QJsonDocument::fromJson(info.out).object().value(QLatin1String("time_range")).toObject();
        return std::pair{range.value(QLatin1String("start_ns")).toInteger(),
                         range.value(QLatin1String("end_ns")).toInteger()};
    };
    const Run imported =
        cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, QStringLiteral("--offset"),
             QStringLiteral("1.5s"), writeTrace("small.json", SmallTrace)});
    QVERIFY2(imported.status == 0, imported.err.constData());
    QCOMPARE(timeRange(), (std::pair<qint64, qint64>{1'500'000'000, 1'500'230'000}));

    const Run moved = cli({QStringLiteral("offset"), QStringLiteral("--db"), m_db, QStringLiteral("--by"),
                           QStringLiteral("-2s"), QStringLiteral("1")});
    QVERIFY2(moved.status == 0, moved.err.constData());
    QVERIFY2(moved.out.contains("(-500000000 ns)"), moved.out.constData());
    QCOMPARE(timeRange(), (std::pair<qint64, qint64>{-500'000'000, -499'770'000}));
    const Run top = cli({QStringLiteral("top"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
    QCOMPARE(top.status, 0); // the analysis reads the moved spans

    QCOMPARE(cli({QStringLiteral("offset"), QStringLiteral("--db"), m_db, QStringLiteral("--set"),
                  QStringLiteral("0"), QStringLiteral("1")})
                 .status,
             0);
    QCOMPARE(timeRange(), (std::pair<qint64, qint64>{0, 230'000}));
    const Run unknown = cli({QStringLiteral("offset"), QStringLiteral("--db"), m_db, QStringLiteral("2")});
    QCOMPARE(unknown.status, 1);
    QVERIFY2(unknown.err.contains("there is no source 2"), unknown.err.constData());
}

void TestCli::breakdownJson()
{
    QCOMPARE(
        cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, writeTrace("two.json", TwoRequests)})
            .status,
        0);
    const Run run = cli({QStringLiteral("breakdown"), QStringLiteral("--db"), m_db, QStringLiteral("--slo"),
                         QStringLiteral("500us"), QStringLiteral("--json")});
    QCOMPARE(run.status, 0);
    const QJsonObject json = QJsonDocument::fromJson(run.out).object();
    QVERIFY(json.value(QStringLiteral("range")).isNull());
    QCOMPARE(json.value(QStringLiteral("requests")).toInteger(), 2);
    // Nearest rank over 100 us and 1000 us: p50 is the first, p95 and p99 the second.
    const QJsonObject latency = json.value(QStringLiteral("latency_ns")).toObject();
    QCOMPARE(latency.value(QStringLiteral("p50")).toInteger(), 100'000);
    QCOMPARE(latency.value(QStringLiteral("p95")).toInteger(), 1'000'000);
    QCOMPARE(latency.value(QStringLiteral("p99")).toInteger(), 1'000'000);
    QCOMPARE(json.value(QStringLiteral("critical_ns")).toInteger(), 1'100'000);
    QCOMPARE(json.value(QStringLiteral("self_ns")).toInteger(), 1'100'000);
    const QJsonObject slo = json.value(QStringLiteral("slo")).toObject();
    QCOMPARE(slo.value(QStringLiteral("threshold_ns")).toInteger(), 500'000);
    QCOMPARE(slo.value(QStringLiteral("over")).toInteger(), 1);
    QCOMPARE(slo.value(QStringLiteral("share_over")).toDouble(), 0.5);

    // Every category, most critical-path time first.
    const QJsonArray categories = json.value(QStringLiteral("categories")).toArray();
    QCOMPARE(categories.size(), 8);
    const QJsonObject compliance = categories[0].toObject();
    QCOMPARE(compliance.value(QStringLiteral("category")).toString(), QStringLiteral("compliance"));
    QCOMPARE(compliance.value(QStringLiteral("critical_ns")).toInteger(), 700'000);
    QCOMPARE(compliance.value(QStringLiteral("critical_share")).toDouble(), 700.0 / 1100);
    QCOMPARE(compliance.value(QStringLiteral("self_ns")).toInteger(), 700'000);
    // Per request: 0 (thread 2 has no compliance) and 700 us.
    const QJsonObject perRequest = compliance.value(QStringLiteral("critical_per_request_ns")).toObject();
    QCOMPARE(perRequest.value(QStringLiteral("p50")).toInteger(), 0);
    QCOMPARE(perRequest.value(QStringLiteral("p95")).toInteger(), 700'000);
    const QJsonObject storage = categories[1].toObject();
    QCOMPARE(storage.value(QStringLiteral("category")).toString(), QStringLiteral("storage"));
    QCOMPARE(storage.value(QStringLiteral("critical_ns")).toInteger(), 280'000);
    QCOMPARE(storage.value(QStringLiteral("self_per_request_ns"))
                 .toObject()
                 .value(QStringLiteral("p50"))
                 .toInteger(),
             80'000);
    const QJsonObject api = categories[2].toObject();
    QCOMPARE(api.value(QStringLiteral("category")).toString(), QStringLiteral("api"));
    QCOMPARE(api.value(QStringLiteral("critical_ns")).toInteger(), 120'000);

    // A range takes the requests that start in it: the first alone, where compliance is 70 %.
    const Run first = cli({QStringLiteral("breakdown"), QStringLiteral("--db"), m_db,
                           QStringLiteral("--range"), QStringLiteral("0..0.0015"), QStringLiteral("--json")});
    QCOMPARE(first.status, 0);
    const QJsonObject firstJson = QJsonDocument::fromJson(first.out).object();
    QCOMPARE(firstJson.value(QStringLiteral("requests")).toInteger(), 1);
    QCOMPARE(firstJson.value(QStringLiteral("range")).toObject().value(QStringLiteral("end_ns")).toInteger(),
             1'500'000);
    const QJsonObject firstCompliance = firstJson.value(QStringLiteral("categories")).toArray()[0].toObject();
    QCOMPARE(firstCompliance.value(QStringLiteral("category")).toString(), QStringLiteral("compliance"));
    QCOMPARE(firstCompliance.value(QStringLiteral("critical_share")).toDouble(), 0.7);
}

void TestCli::breakdownText()
{
    QCOMPARE(
        cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, writeTrace("two.json", TwoRequests)})
            .status,
        0);
    const Run run = cli({QStringLiteral("breakdown"), QStringLiteral("--db"), m_db, QStringLiteral("--slo"),
                         QStringLiteral("500us")});
    QCOMPARE(run.status, 0);
    const QStringList lines = QString::fromUtf8(run.out).split(QLatin1Char('\n'));
    QCOMPARE(lines.value(0), QStringLiteral("2 requests"));
    QCOMPARE(lines.value(1), QStringLiteral("latency: p50 100.000 us, p95 1.000 ms, p99 1.000 ms"));
    QCOMPARE(lines.value(2), QStringLiteral("over the 500.000 us SLO: 1 request (50.0 %)"));
    const auto rowOf = [&](const QString& category) {
        const auto it = std::find_if(lines.begin(), lines.end(), [&](const QString& line) {
            return line.startsWith(category + QLatin1Char(' '));
        });
        return it != lines.end() ? *it : QString();
    };
    QCOMPARE(
        rowOf(QStringLiteral("compliance")).simplified(),
        QStringLiteral("compliance 700.000 us 63.6 % 0 ns / 700.000 us / 700.000 us 700.000 us 63.6 % 0 ns / "
                       "700.000 us / 700.000 us"));
    // Categories with no time are left out of the text.
    QVERIFY(rowOf(QStringLiteral("gpu")).isEmpty());
    QVERIFY(!rowOf(QStringLiteral("api")).isEmpty());

    const Run empty = cli({QStringLiteral("breakdown"), QStringLiteral("--db"), m_db,
                           QStringLiteral("--range"), QStringLiteral("100..200")});
    QCOMPARE(empty.status, 0);
    QVERIFY(empty.out.startsWith("No request (root span) starts in 1970-01-01T00:01:40.000Z"));
}

void TestCli::breakdownRefuses_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("sentence");
    QTest::newRow("range backwards") << QStringList{QStringLiteral("--range"), QStringLiteral("20..10")} << 2
                                     << QStringLiteral("--range takes START..END");
    QTest::newRow("SLO not a duration")
        << QStringList{QStringLiteral("--slo"), QStringLiteral("fast")} << 2 << QStringLiteral("--slo");
    QTest::newRow("SLO of zero") << QStringList{QStringLiteral("--slo"), QStringLiteral("0s")} << 2
                                 << QStringLiteral("--slo takes a duration above zero");
    QTest::newRow("no such file") << QStringList{} << 1 << QStringLiteral("missing.lundi");
}

void TestCli::breakdownRefuses()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, status);
    QFETCH(QString, sentence);
    const Run run = cli(
        QStringList{QStringLiteral("breakdown"), QStringLiteral("--db"), path("missing.lundi")} + arguments);
    QCOMPARE(run.status, status);
    QVERIFY2(QString::fromUtf8(run.err).contains(sentence), run.err.constData());
    QVERIFY(!QFile::exists(path("missing.lundi")));
}

// sql reads what the import wrote: a table for people, RFC 4180 CSV for programs.
void TestCli::sqlPrintsTableAndCsv()
{
    importSmall();
    const QString names =
        QStringLiteral("SELECT t.text AS name, s.dur_ns FROM spans s JOIN strings t ON t.id = s.name_id "
                       "ORDER BY s.start_ns");
    const Run table = cli({QStringLiteral("sql"), QStringLiteral("--db"), m_db, names});
    QVERIFY2(table.status == 0, table.err.constData());
    QCOMPARE(table.out, QByteArray("name        dur_ns\n"
                                   "----------  ------\n"
                                   "handler     100000\n"
                                   "auth_check  20000\n"
                                   "db_query    50000\n"
                                   "handler     30000\n"
                                   "db_query    10000\n"
                                   "5 rows\n"));
    const Run csv =
        cli({QStringLiteral("sql"), QStringLiteral("--db"), m_db, QStringLiteral("--csv"),
             QStringLiteral("SELECT 'a,\"b\"' AS \"x,y\", NULL AS n, count(*) AS spans FROM spans")});
    QVERIFY2(csv.status == 0, csv.err.constData());
    QCOMPARE(csv.out, QByteArray("\"x,y\",n,spans\r\n\"a,\"\"b\"\"\",,5\r\n"));
}

// A write is refused in one sentence with status 1, and the file keeps its bytes.
void TestCli::sqlRefusesWrites()
{
    importSmall();
    const auto sha256 = [this] {
        QFile file(m_db);
        file.open(QIODevice::ReadOnly);
        return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    };
    const QByteArray before = sha256();
    const Run deleted =
        cli({QStringLiteral("sql"), QStringLiteral("--db"), m_db, QStringLiteral("DELETE FROM spans")});
    QCOMPARE(deleted.status, 1);
    QCOMPARE(deleted.out, QByteArray());
    QCOMPARE(deleted.err,
             QByteArray("lundi-cli: Lundi's SQL only reads the incident: DELETE from spans is refused.\n"));
    const Run vacuum = cli(
        {QStringLiteral("sql"), QStringLiteral("--db"), m_db, QStringLiteral("VACUUM INTO 'copy.lundi'")});
    QCOMPARE(vacuum.status, 1);
    QVERIFY2(vacuum.err.contains("only reads the incident"), vacuum.err.constData());
    QCOMPARE(sha256(), before);
    const Run count = cli({QStringLiteral("sql"), QStringLiteral("--db"), m_db, QStringLiteral("--csv"),
                           QStringLiteral("SELECT count(*) AS n FROM spans")});
    QCOMPARE(count.out, QByteArray("n\r\n5\r\n"));
    const Run missing =
        cli({QStringLiteral("sql"), QStringLiteral("--db"), path("none.lundi"), QStringLiteral("SELECT 1")});
    QCOMPARE(missing.status, 1);
    QVERIFY(!QFile::exists(path("none.lundi")));
}

// classify applies other rules to what the incident holds, without a re-import.
void TestCli::classifyAppliesRules()
{
    importSmall();
    const QString rules =
        writeTrace("rules.json", R"({"rules": [{"category": "network", "name": "^auth"}]})");
    const Run run =
        cli({QStringLiteral("classify"), QStringLiteral("--db"), m_db, QStringLiteral("--rules"), rules});
    QVERIFY2(run.status == 0, run.err.constData());
    QCOMPARE(run.out, QByteArray("5 spans classified; 5 changed category.\n"));
    const Run categories =
        cli({QStringLiteral("sql"), QStringLiteral("--db"), m_db, QStringLiteral("--csv"),
             QStringLiteral("SELECT n.text, s.category FROM spans s JOIN strings n ON n.id = s.name_id "
                            "ORDER BY s.start_ns")});
    QCOMPARE(categories.out, QByteArray("text,category\r\nhandler,7\r\nauth_check,1\r\ndb_query,7\r\n"
                                        "handler,7\r\ndb_query,7\r\n"));
    const Run broken =
        cli({QStringLiteral("classify"), QStringLiteral("--db"), m_db, QStringLiteral("--rules"),
             writeTrace("broken.json", R"({"rules": [{"category": "nowhere"}]})")});
    QCOMPARE(broken.status, 1);
    QVERIFY2(broken.err.contains("unknown category \"nowhere\""), broken.err.constData());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
