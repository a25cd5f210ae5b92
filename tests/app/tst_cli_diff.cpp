// lundi-cli diff end to end: two Chrome traces whose requests were built so that every number is
// known (a step that grew, one that vanished, one that is new, one that is only called more
// often, and twice the traffic), imported by the real importer as two sources; a source and a
// range against themselves, a corpus file among them; the demo incident's planted cause; and
// the refusals.

#include "clirun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using lundi::test::cli;
using lundi::test::parseJson;
using Run = lundi::test::CliRun;

namespace {

struct Step
{
    const char* name;
    qint64 durUs;
};

// count requests "handler" of rootUs on one thread, 1 s apart, each running its steps one after
// another from its start (so each step is wholly on the critical path, the handler has the rest).
QByteArray trace(int count, qint64 rootUs, const std::vector<Step>& steps)
{
    QByteArray json = R"({"traceEvents":[)";
    for (int i = 0; i < count; ++i) {
        const qint64 start = qint64(i) * 1'000'000;
        json += QStringLiteral(R"(%1{"ph":"X","name":"handler","ts":%2,"dur":%3,"pid":1,"tid":1})")
                    .arg(i ? QStringLiteral(",") : QString())
                    .arg(start)
                    .arg(rootUs)
                    .toUtf8();
        qint64 at = start;
        for (const Step& step : steps) {
            json += QStringLiteral(R"(,{"ph":"X","name":"%1","ts":%2,"dur":%3,"pid":1,"tid":1})")
                        .arg(QLatin1String(step.name))
                        .arg(at)
                        .arg(step.durUs)
                        .toUtf8();
            at += step.durUs;
        }
    }
    return json + "]}";
}

// One line per contributor: "handler;a changed +40000000 +40000000 +40000000 0.667 10->20 ...".
QStringList render(const QJsonArray& rows)
{
    QStringList lines;
    for (const QJsonValue& value : rows) {
        const QJsonObject row = value.toObject();
        QStringList path;
        for (const QJsonValue& frame : row[QStringLiteral("path")].toArray())
            path.append(frame.toString());
        lines.append(QStringLiteral("%1 %2 %3 p50 %4 p95 %5 mean %6 share %7 count %8->%9 traces %10->%11 "
                                    "calls %12 time %13")
                         .arg(path.isEmpty() ? row[QStringLiteral("category")].toString() : path.join(u';'),
                              row[QStringLiteral("category")].toString(),
                              row[QStringLiteral("status")].toString())
                         .arg(row[QStringLiteral("delta_p50_ns")].toInteger())
                         .arg(row[QStringLiteral("delta_p95_ns")].toInteger())
                         .arg(row[QStringLiteral("delta_mean_ns")].toInteger())
                         .arg(row[QStringLiteral("share")].toDouble(), 0, 'f', 3)
                         .arg(row[QStringLiteral("baseline_count")].toInteger())
                         .arg(row[QStringLiteral("incident_count")].toInteger())
                         .arg(row[QStringLiteral("baseline_traces")].toInteger())
                         .arg(row[QStringLiteral("incident_traces")].toInteger())
                         .arg(row[QStringLiteral("delta_from_calls_ns")].toInteger())
                         .arg(row[QStringLiteral("delta_from_time_ns")].toInteger()));
    }
    return lines;
}

} // namespace

class TestCliDiff : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Baseline, per request: handler 100 ms = a 20 + b 20 + c 10 + its own 50.
        // Incident, twice the requests: handler 160 ms = a 60 + b 20 + b 20 + d 10 + its own 50.
        const QString baseline = m_dir.filePath(QStringLiteral("monday.json"));
        const QString incident = m_dir.filePath(QStringLiteral("tuesday.json"));
        for (const auto& [path, json] :
             {std::pair{baseline, trace(10, 100'000, {{"a", 20'000}, {"b", 20'000}, {"c", 10'000}})},
              std::pair{incident,
                        trace(20, 160'000, {{"a", 60'000}, {"b", 20'000}, {"b", 20'000}, {"d", 10'000}})}}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(json);
        }
        m_db = m_dir.filePath(QStringLiteral("planted.lundi"));
        const Run imported =
            cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, baseline, incident});
        QVERIFY2(imported.status == 0, imported.err.constData());

        m_demo = m_dir.filePath(QStringLiteral("demo.lundi"));
        const Run demo = cli({QStringLiteral("demo"), QStringLiteral("--db"), m_demo});
        QVERIFY2(demo.status == 0, demo.err.constData());
    }

    // Per request: a +40 ms (its time per call), b +20 ms (one more call of the same 20 ms), d
    // +10 ms (new), c -10 ms (vanished); the mean latency +60 ms. Sources named by file name.
    void plantedRegression()
    {
        const Run run =
            cli({QStringLiteral("diff"), QStringLiteral("--db"), m_db, QStringLiteral("--baseline"),
                 QStringLiteral("monday.json"), QStringLiteral("--incident"), QStringLiteral("tuesday.json"),
                 QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonObject json = parseJson(run.out).object();
        QCOMPARE(json[QStringLiteral("baseline")][QStringLiteral("traces")].toInteger(), 10);
        QCOMPARE(json[QStringLiteral("incident")][QStringLiteral("traces")].toInteger(), 20);
        QCOMPARE(json[QStringLiteral("baseline")][QStringLiteral("mean_ns")].toInteger(), 100'000'000);
        QCOMPARE(json[QStringLiteral("incident")][QStringLiteral("p95_ns")].toInteger(), 160'000'000);
        QCOMPARE(json[QStringLiteral("delta_mean_ns")].toInteger(), 60'000'000);
        QCOMPARE(
            render(json[QStringLiteral("contributors")].toArray()),
            (QStringList{
                QStringLiteral("handler;a other changed p50 40000000 p95 40000000 mean 40000000 share 0.667 "
                               "count 10->20 traces 10->20 calls 0 time 40000000"),
                QStringLiteral("handler;b other changed p50 20000000 p95 20000000 mean 20000000 share 0.333 "
                               "count 10->40 traces 10->20 calls 20000000 time 0"),
                QStringLiteral("handler;d other new p50 10000000 p95 10000000 mean 10000000 share 0.167 "
                               "count 0->20 traces 0->20 calls 10000000 time 0"),
                QStringLiteral("handler;c other missing p50 -10000000 p95 -10000000 mean -10000000 share "
                               "-0.167 count 10->0 traces 10->0 calls -10000000 time 0"),
            }));
        // Every span is of category other: its time did grow by the mean latency's change.
        const QJsonArray categories = json[QStringLiteral("categories")].toArray();
        QCOMPARE(categories.size(), 1);
        QCOMPARE(categories[0][QStringLiteral("category")].toString(), QStringLiteral("other"));
        QCOMPARE(categories[0][QStringLiteral("delta_mean_ns")].toInteger(), 60'000'000);
        QCOMPARE(categories[0][QStringLiteral("share")].toDouble(), 1.0);

        // The same as text, the path that grew most first.
        const Run text =
            cli({QStringLiteral("diff"), QStringLiteral("--db"), m_db, QStringLiteral("--baseline"),
                 QStringLiteral("1"), QStringLiteral("--incident"), QStringLiteral("2")});
        QVERIFY2(text.status == 0, text.err.constData());
        const QStringList lines = QString::fromUtf8(text.out).split(u'\n');
        const auto first = std::find_if(lines.begin(), lines.end(), [](const QString& line) {
            return line.endsWith(QLatin1String("handler;a"));
        });
        QVERIFY2(first != lines.end(), text.out.constData());
        QVERIFY(first->contains(QLatin1String("+40.000 ms")));
        QVERIFY(first->contains(QLatin1String("66.7%")));
        QVERIFY(text.out.contains("new      other       handler;d"));
        QVERIFY(text.out.contains("1.0 → 2.0"));
    }

    // The acceptance test of issue 5: a diff of a source against itself reports no contributor.
    void itselfReportsNoContributor_data()
    {
        QTest::addColumn<QString>("db");
        QTest::addColumn<QString>("input"); // imported into db first, when given
        QTest::addColumn<QString>("side");
        QTest::newRow("planted baseline")
            << QStringLiteral("planted.lundi") << QString() << QStringLiteral("1");
        QTest::newRow("planted incident by name")
            << QStringLiteral("planted.lundi") << QString() << QStringLiteral("tuesday.json");
        QTest::newRow("demo source") << QStringLiteral("demo.lundi") << QString() << QStringLiteral("1");
        QTest::newRow("demo incident hour") << QStringLiteral("demo.lundi") << QString()
                                            << QStringLiteral("2026-11-23T08:00:00Z..2026-11-23T09:00:00Z");
        QTest::newRow("corpus alexnet")
            << QStringLiteral("alexnet.lundi")
            << QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/hta_cuda_alexnet_critical_path.json")
            << QStringLiteral("hta_cuda_alexnet_critical_path.json");
    }

    void itselfReportsNoContributor()
    {
        QFETCH(QString, db);
        QFETCH(QString, input);
        QFETCH(QString, side);
        const QString path = m_dir.filePath(db);
        if (!input.isEmpty()) {
            const Run imported = cli({QStringLiteral("import"), QStringLiteral("--db"), path, input});
            QVERIFY2(imported.status == 0, imported.err.constData());
        }
        const QStringList arguments{QStringLiteral("diff"),
                                    QStringLiteral("--db"),
                                    path,
                                    QStringLiteral("--baseline"),
                                    side,
                                    QStringLiteral("--incident"),
                                    side};
        const Run json = cli(arguments + QStringList{QStringLiteral("--json")});
        QVERIFY2(json.status == 0, json.err.constData());
        const QJsonObject object = parseJson(json.out).object();
        QVERIFY(object[QStringLiteral("incident")][QStringLiteral("traces")].toInteger() > 0);
        QCOMPARE(object[QStringLiteral("delta_mean_ns")].toInteger(), 0);
        QCOMPARE(object[QStringLiteral("contributors")].toArray(), QJsonArray());
        QCOMPARE(object[QStringLiteral("categories")].toArray(), QJsonArray());
        const Run text = cli(arguments);
        QVERIFY2(text.status == 0, text.err.constData());
        QVERIFY2(text.out.contains("No contributor"), text.out.constData());
    }

    // The demo incident's baseline hour against its incident morning: the planted cause comes
    // first, new, in its category, with the calls `top` counts (the morning takes in the last
    // requests' calls after 09:00).
    void demoFindsThePlantedCause()
    {
        const Run run =
            cli({QStringLiteral("diff"), QStringLiteral("--db"), m_demo, QStringLiteral("--baseline"),
                 QStringLiteral("2026-11-16T08:00:00Z..2026-11-16T09:00:00Z"), QStringLiteral("--incident"),
                 QStringLiteral("2026-11-23T08:00:00Z..2026-11-23T12:00:00Z"), QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonObject json = parseJson(run.out).object();
        const QJsonObject first = json[QStringLiteral("contributors")].toArray().first().toObject();
        QCOMPARE(first[QStringLiteral("name")].toString(), QStringLiteral("dlp.inspect_content"));
        QCOMPARE(first[QStringLiteral("category")].toString(), QStringLiteral("compliance"));
        QCOMPARE(first[QStringLiteral("status")].toString(), QStringLiteral("new"));
        QVERIFY(first[QStringLiteral("share")].toDouble() > 0.5);
        QCOMPARE(json[QStringLiteral("categories")].toArray().first()[QStringLiteral("category")].toString(),
                 QStringLiteral("compliance"));

        const Run top =
            cli({QStringLiteral("top"), QStringLiteral("--db"), m_demo, QStringLiteral("--category"),
                 QStringLiteral("compliance"), QStringLiteral("--json")});
        QVERIFY2(top.status == 0, top.err.constData());
        qint64 calls = -1;
        for (const QJsonValue& entry : parseJson(top.out).array()) {
            if (entry[QStringLiteral("name")].toString() == QLatin1String("dlp.inspect_content"))
                calls = entry[QStringLiteral("count")].toInteger();
        }
        QCOMPARE(first[QStringLiteral("incident_count")].toInteger(), calls);
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("no incident") << QStringList{QStringLiteral("--baseline"), QStringLiteral("1")} << 2
                                     << QStringLiteral("diff needs --baseline and --incident");
        QTest::newRow("unknown source")
            << QStringList{QStringLiteral("--baseline"), QStringLiteral("friday.json"),
                           QStringLiteral("--incident"), QStringLiteral("1")}
            << 2 << QStringLiteral("no source \"friday.json\"");
        QTest::newRow("empty range") << QStringList{QStringLiteral("--baseline"), QStringLiteral("1"),
                                                    QStringLiteral("--incident"),
                                                    QStringLiteral(
                                                        "2000-01-01T00:00:00Z..2000-01-02T00:00:00Z")}
                                     << 1 << QStringLiteral("The incident (2000-01-01T00:00:00.000Z..");
    }

    void refusals()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, status);
        QFETCH(QString, sentence);
        const Run run = cli(QStringList{QStringLiteral("diff"), QStringLiteral("--db"), m_db} + arguments);
        QCOMPARE(run.status, status);
        QVERIFY2(QString::fromUtf8(run.err).contains(sentence), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

  private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_demo;
};

QTEST_GUILESS_MAIN(TestCliDiff)
#include "tst_cli_diff.moc"
