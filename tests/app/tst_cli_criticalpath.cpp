// lundi-cli critical-path end to end: a Jaeger file of two traces and a Chrome trace imported by
// the real importers, their paths printed as the JSON contract of issue 5 has them and as text.

#include "clirun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using lundi::test::cli;
using Run = lundi::test::CliRun;

namespace {

// Trace a1: handle (0-100 us) waits on query (10-70 us); publish's consumer does not block it.
// Trace b2: handle (1000-1030 us) alone. Jaeger times are microseconds.
const QByteArray Jaeger = R"({"data":[
 {"traceID":"a1","spans":[
  {"spanID":"1","operationName":"handle","startTime":0,"duration":100,"processID":"p"},
  {"spanID":"2","operationName":"query","references":[{"refType":"CHILD_OF","spanID":"1"}],
   "startTime":10,"duration":60,"processID":"p","tags":[{"key":"db.system","type":"string","value":"postgresql"}]},
  {"spanID":"3","operationName":"publish","references":[{"refType":"CHILD_OF","spanID":"1"}],
   "startTime":80,"duration":5,"processID":"p","tags":[{"key":"span.kind","type":"string","value":"producer"}]},
  {"spanID":"4","operationName":"consume","references":[{"refType":"CHILD_OF","spanID":"3"}],
   "startTime":81,"duration":4,"processID":"p","tags":[{"key":"span.kind","type":"string","value":"consumer"}]}],
  "processes":{"p":{"serviceName":"api"}}},
 {"traceID":"b2","spans":[
  {"spanID":"1","operationName":"handle","startTime":1000,"duration":30,"processID":"p"}],
  "processes":{"p":{"serviceName":"api"}}}]})";

// The sections as "name start..end", relative to the trace's start.
QStringList sections(const QJsonObject& trace, qint64 startNs)
{
    QStringList list;
    for (const QJsonValue& value : trace[QStringLiteral("sections")].toArray()) {
        const QJsonObject section = value.toObject();
        list += QStringLiteral("%1 %2..%3")
                    .arg(section[QStringLiteral("name")].toString())
                    .arg(qint64(section[QStringLiteral("start_ns")].toDouble()) - startNs)
                    .arg(qint64(section[QStringLiteral("end_ns")].toDouble()) - startNs);
    }
    return list;
}

} // namespace

class TestCliCriticalPath : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("incident.lundi"));
        QFile::remove(m_db);
        const QString input = m_dir.filePath(QStringLiteral("traces.json"));
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(Jaeger);
        file.close();
        const Run import = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, input});
        QVERIFY2(import.status == 0, import.err.constData());
    }

    void jsonHasOneObjectPerTrace()
    {
        const Run run =
            cli({QStringLiteral("critical-path"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonDocument document = QJsonDocument::fromJson(run.out);
        QVERIFY(document.isArray());
        const QJsonArray traces = document.array();
        QCOMPARE(traces.size(), 2);
        for (const QJsonValue& value : traces) {
            const QJsonObject trace = value.toObject();
            for (const char* key : {"trace", "root", "duration_ns", "sections"})
                QVERIFY2(trace.contains(QLatin1String(key)), key);
            for (const QJsonValue& section : trace[QStringLiteral("sections")].toArray()) {
                for (const char* key : {"span", "name", "category", "start_ns", "end_ns"})
                    QVERIFY2(section.toObject().contains(QLatin1String(key)), key);
            }
        }
        const QJsonObject first = traces[0].toObject();
        QCOMPARE(first[QStringLiteral("trace")].toString(),
                 QStringLiteral("000000000000000000000000000000a1"));
        QCOMPARE(first[QStringLiteral("duration_ns")].toInteger(), 100'000);
        const qint64 start = first[QStringLiteral("start_ns")].toInteger();
        QCOMPARE(sections(first, start),
                 (QStringList{QStringLiteral("handle 0..10000"), QStringLiteral("query 10000..70000"),
                              QStringLiteral("handle 70000..80000"), QStringLiteral("publish 80000..85000"),
                              QStringLiteral("handle 85000..100000")}));
        QCOMPARE(
            first[QStringLiteral("sections")].toArray()[1].toObject()[QStringLiteral("category")].toString(),
            QStringLiteral("storage"));
        const QJsonObject second = traces[1].toObject();
        QCOMPARE(second[QStringLiteral("trace")].toString(),
                 QStringLiteral("000000000000000000000000000000b2"));
        QCOMPARE(sections(second, second[QStringLiteral("start_ns")].toInteger()),
                 QStringList{QStringLiteral("handle 0..30000")});
    }

    void oneTraceById()
    {
        const Run run =
            cli({QStringLiteral("critical-path"), QStringLiteral("--db"), m_db, QStringLiteral("--trace"),
                 QStringLiteral("000000000000000000000000000000b2"), QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonArray traces = QJsonDocument::fromJson(run.out).array();
        QCOMPARE(traces.size(), 1);
        QCOMPARE(traces[0].toObject()[QStringLiteral("duration_ns")].toInteger(), 30'000);

        const Run missing = cli({QStringLiteral("critical-path"), QStringLiteral("--db"), m_db,
                                 QStringLiteral("--trace"), QStringLiteral("ffff")});
        QCOMPARE(missing.status, 1);
        QVERIFY2(missing.err.contains("no trace has the id \"ffff\""), missing.err.constData());
    }

    void slowestShare()
    {
        const Run run = cli({QStringLiteral("critical-path"), QStringLiteral("--db"), m_db,
                             QStringLiteral("--slowest"), QStringLiteral("50"), QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonArray traces = QJsonDocument::fromJson(run.out).array();
        QCOMPARE(traces.size(), 1);
        QCOMPARE(traces[0].toObject()[QStringLiteral("duration_ns")].toInteger(), 100'000);

        const Run bad = cli({QStringLiteral("critical-path"), QStringLiteral("--db"), m_db,
                             QStringLiteral("--slowest"), QStringLiteral("0")});
        QCOMPARE(bad.status, 2);
    }

    void textNamesTheCriticalPath()
    {
        const Run run = cli({QStringLiteral("critical-path"), QStringLiteral("--db"), m_db});
        QVERIFY2(run.status == 0, run.err.constData());
        const QString text = QString::fromUtf8(run.out);
        QVERIFY2(text.startsWith(QStringLiteral("2 traces, 130.000 us in all")), qPrintable(text));
        // query: 60 of the 130 us (46.2 %), in one trace of two (p50 0, p95 60 us).
        QVERIFY2(text.contains(QStringLiteral(
                     "  46.2%          0 ns     60.000 us     60.000 us  storage     handle > query")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("consume")), qPrintable(text));
    }

  private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_GUILESS_MAIN(TestCliCriticalPath)
#include "tst_cli_criticalpath.moc"
