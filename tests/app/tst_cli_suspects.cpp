// lundi-cli suspects end to end: the demo incident, whose planted cause README tells (a remote DLP
// call in the compliance service's PII scan), with and without its baseline week; a slow step
// planted in Chrome traces imported as two sources; a side against itself; and the refusals.

#include "clirun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi::test;

namespace {

// count requests "handler" on one thread, 1 s apart, each running its steps one after another.
QByteArray trace(int count, const std::vector<std::pair<const char*, qint64>>& stepsUs)
{
    QByteArray json = R"({"traceEvents":[)";
    for (int i = 0; i < count; ++i) {
        const qint64 start = qint64(i) * 1'000'000;
        qint64 at = start;
        QByteArray steps;
        for (const auto& [name, durUs] : stepsUs) {
            steps +=
                QStringLiteral(",{\"ph\":\"X\",\"name\":\"%1\",\"ts\":%2,\"dur\":%3,\"pid\":1,\"tid\":1}")
                    .arg(QLatin1String(name))
                    .arg(at)
                    .arg(durUs)
                    .toUtf8();
            at += durUs;
        }
        json +=
            QStringLiteral("%1{\"ph\":\"X\",\"name\":\"handler\",\"ts\":%2,\"dur\":%3,\"pid\":1,\"tid\":1}")
                .arg(i ? QStringLiteral(",") : QString())
                .arg(start)
                .arg(at - start + 5'000)
                .toUtf8() +
            steps;
    }
    return json + "]}";
}

const QStringList ContractKeys{QStringLiteral("rank"),    QStringLiteral("category"),
                               QStringLiteral("name"),    QStringLiteral("critical_ns"),
                               QStringLiteral("share"),   QStringLiteral("baseline_share"),
                               QStringLiteral("evidence")};

const QString BaselineWeek = QStringLiteral("2026-11-16T08:00:00Z..2026-11-16T09:00:00Z");

} // namespace

class TestCliSuspects : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(QStringLiteral("demo.lundi"));
        const CliRun demo = cli({QStringLiteral("demo"), QStringLiteral("--db"), m_demo});
        QVERIFY2(demo.status == 0, demo.err.constData());
    }

    void demo_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<bool>("withBaseline");
        QTest::newRow("no baseline") << QStringList{} << false;
        QTest::newRow("the baseline week") << QStringList{QStringLiteral("--baseline"), BaselineWeek} << true;
        QTest::newRow("the baseline week in epoch seconds")
            << QStringList{QStringLiteral("--baseline"), QStringLiteral("1794816000..1794819600"),
                           QStringLiteral("--incident"),
                           QStringLiteral("2026-11-23T08:00:00Z..2026-11-23T09:00:00Z")}
            << true;
    }

    // README's story: the PII scan's remote DLP call is the cause, in compliance, and the DLP
    // vendor's metrics moved with it.
    void demo()
    {
        QFETCH(QStringList, options);
        QFETCH(bool, withBaseline);
        const CliRun run = cli(QStringList{QStringLiteral("suspects"), QStringLiteral("--db"), m_demo,
                                           QStringLiteral("--json")} +
                               options);
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonArray suspects = parseJson(run.out).array();
        QVERIFY(suspects.size() >= 2);
        const QJsonObject first = suspects[0].toObject();
        for (const QString& key : ContractKeys)
            QVERIFY2(first.contains(key), qPrintable(key));
        QCOMPARE(first[QStringLiteral("rank")].toInt(), 1);
        QCOMPARE(first[QStringLiteral("name")].toString(), QStringLiteral("dlp.inspect_content"));
        QCOMPARE(first[QStringLiteral("category")].toString(), QStringLiteral("compliance"));
        QVERIFY(first[QStringLiteral("share")].toDouble() > 0.8);
        QVERIFY(first[QStringLiteral("critical_ns")].toInteger() > 60'000'000'000);
        const QString evidence = first[QStringLiteral("evidence")].toString();
        QVERIFY2(evidence.startsWith(QStringLiteral("compliance · dlp.inspect_content: ")),
                 qPrintable(evidence));
        QVERIFY2(evidence.contains(QStringLiteral("api.dlp-vendor.example")), qPrintable(evidence));
        if (withBaseline) {
            // New since the baseline: its whole time is the regression.
            QCOMPARE(first[QStringLiteral("baseline_share")].toDouble(), 0.0);
            QCOMPARE(first[QStringLiteral("contribution_ns")].toInteger(),
                     first[QStringLiteral("critical_ns")].toInteger());
        } else {
            QVERIFY(first[QStringLiteral("baseline_share")].isNull());
        }
        QCOMPARE(suspects[1].toObject()[QStringLiteral("name")].toString(),
                 QStringLiteral("pii_scan.documents"));

        const CliRun text =
            cli(QStringList{QStringLiteral("suspects"), QStringLiteral("--db"), m_demo} + options);
        QVERIFY2(text.status == 0, text.err.constData());
        QVERIFY2(text.out.contains(QByteArray(QByteArray("\n1. ") + evidence.toUtf8() + "\n")),
                 text.out.constData());
    }

    // Two sources: a step that is 30 times slower in the second; the first as its baseline.
    void sources()
    {
        const QString baseline = m_dir.filePath(QStringLiteral("monday.json"));
        const QString incident = m_dir.filePath(QStringLiteral("tuesday.json"));
        for (const auto& [path, json] :
             {std::pair{baseline, trace(40, {{"auth", 10'000}, {"query", 20'000}, {"render", 5'000}})},
              std::pair{incident, trace(40, {{"auth", 10'000}, {"query", 600'000}, {"render", 5'000}})}}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(json);
        }
        const QString db = m_dir.filePath(QStringLiteral("planted.lundi"));
        const CliRun imported =
            cli({QStringLiteral("import"), QStringLiteral("--db"), db, baseline, incident});
        QVERIFY2(imported.status == 0, imported.err.constData());

        const CliRun run =
            cli({QStringLiteral("suspects"), QStringLiteral("--db"), db, QStringLiteral("--baseline"),
                 QStringLiteral("monday.json"), QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonArray suspects = parseJson(run.out).array();
        // Only the query grew: 580 ms per request, of 640 ms.
        QCOMPARE(suspects.size(), 1);
        const QJsonObject first = suspects[0].toObject();
        QCOMPARE(first[QStringLiteral("name")].toString(), QStringLiteral("query"));
        QCOMPARE(first[QStringLiteral("critical_ns")].toInteger(), 600'000'000);
        QCOMPARE(first[QStringLiteral("contribution_ns")].toInteger(), 580'000'000);
        QCOMPARE(first[QStringLiteral("baseline_share")].toDouble(), 20.0 / 40);
        QCOMPARE(first[QStringLiteral("share")].toDouble(), 600.0 / 620);

        // Against itself (by id this time), nothing grew.
        const CliRun same =
            cli({QStringLiteral("suspects"), QStringLiteral("--db"), db, QStringLiteral("--baseline"),
                 QStringLiteral("1"), QStringLiteral("--incident"), QStringLiteral("1"),
                 QStringLiteral("--json")});
        QVERIFY2(same.status == 0, same.err.constData());
        QCOMPARE(parseJson(same.out).array().size(), 0);
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("backwards range")
            << QStringList{QStringLiteral("--baseline"), QStringLiteral("20..10")}
            << QStringLiteral("--baseline: the incident has no source \"20..10\"");
        QTest::newRow("unknown source")
            << QStringList{QStringLiteral("--baseline"), QStringLiteral("nosuch.json")}
            << QStringLiteral("--baseline: the incident has no source \"nosuch.json\"");
        QTest::newRow("bad incident") << QStringList{QStringLiteral("--incident"), QStringLiteral("7")}
                                      << QStringLiteral("--incident: the incident has no source \"7\"");
    }

    void refusals()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, sentence);
        const CliRun run =
            cli(QStringList{QStringLiteral("suspects"), QStringLiteral("--db"), m_demo} + options);
        QCOMPARE(run.status, 2);
        QVERIFY2(run.err.contains(sentence.toUtf8()), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void missingFile()
    {
        const CliRun run = cli(
            {QStringLiteral("suspects"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("no.lundi"))});
        QCOMPARE(run.status, 1);
        QVERIFY2(run.err.contains("no such incident file"), run.err.constData());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("no.lundi"))));
    }

  private:
    QTemporaryDir m_dir;
    QString m_demo;
};

QTEST_GUILESS_MAIN(TestCliSuspects)
#include "tst_cli_suspects.moc"
