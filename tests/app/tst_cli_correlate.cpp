// lundi-cli correlate end to end: a Chrome trace of 40 requests and an OpenMetrics dump of three
// gauges planted against their latency (twice it, its negative, and it three scrapes late),
// imported by the real importers and ranked by the real command; plus the refusals.

#include "clirun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using lundi::test::cli;
using lundi::test::CliRun;

namespace {

constexpr int Requests = 40;
constexpr qint64 StepSeconds = 15;

// Request i starts at i * 15 s (the trace's own zero, imported at offset 0) and takes
// latency(i) microseconds, so it ends inside scrape step i; 13 distinct values, many ties.
qint64 latencyUs(int i)
{
    return 1'000'000 + (qint64(i) * 7919 % 13) * 500'000;
}

QByteArray trace()
{
    QByteArray json = R"({"traceEvents":[)";
    for (int i = 0; i < Requests; ++i) {
        json += QStringLiteral(R"(%1{"ph":"X","name":"handler","ts":%2,"dur":%3,"pid":1,"tid":1},)"
                               R"({"ph":"X","name":"db","ts":%2,"dur":%4,"pid":1,"tid":1})")
                    .arg(i ? QStringLiteral(",") : QString())
                    .arg(i * StepSeconds * 1'000'000)
                    .arg(latencyUs(i))
                    .arg(500 + i % 7)
                    .toUtf8();
    }
    return json + "]}";
}

// Scrapes at 14 s into each step (epoch seconds, as OpenMetrics writes them).
QByteArray exposition()
{
    QByteArray text;
    const auto family = [&](const char* name, auto value) {
        text += QStringLiteral("# TYPE %1 gauge\n").arg(QLatin1String(name)).toUtf8();
        for (int i = 0; i < Requests; ++i) {
            if (const std::optional<double> v = value(i))
                text += QStringLiteral("%1{job=\"api\"} %2 %3\n")
                            .arg(QLatin1String(name))
                            .arg(*v, 0, 'g', 17)
                            .arg(i * StepSeconds + 14)
                            .toUtf8();
        }
    };
    family("twice", [](int i) { return std::optional<double>(2.0 * double(latencyUs(i))); });
    family("negative", [](int i) { return std::optional<double>(-double(latencyUs(i))); });
    family("late_by_three",
           [](int i) { return i >= 3 ? std::optional<double>(double(latencyUs(i - 3))) : std::nullopt; });
    family("flat", [](int) { return std::optional<double>(7); });
    return text + "# EOF\n";
}

} // namespace

class TestCliCorrelate : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile traceFile(path("trace.json"));
        QVERIFY(traceFile.open(QIODevice::WriteOnly));
        traceFile.write(trace());
        traceFile.close();
        QFile metricsFile(path("metrics.om"));
        QVERIFY(metricsFile.open(QIODevice::WriteOnly));
        metricsFile.write(exposition());
        metricsFile.close();
        const CliRun metricsOnly = cli(
            {QStringLiteral("import"), QStringLiteral("--db"), path("metrics.lundi"), path("metrics.om")});
        QVERIFY2(metricsOnly.status == 0, metricsOnly.err.constData());
        const CliRun both =
            cli({QStringLiteral("import"), QStringLiteral("--db"), path("both.lundi"),
                 QStringLiteral("--offset"), QStringLiteral("0s"), path("trace.json"), path("metrics.om")});
        QVERIFY2(both.status == 0, both.err.constData());
    }

    void json()
    {
        const CliRun run = cli({QStringLiteral("correlate"), QStringLiteral("--db"), path("both.lundi"),
                                QStringLiteral("--json")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonArray rows = lundi::test::parseJson(run.out).array();
        QCOMPARE(rows.size(), 3); // flat never changes: no rho
        QStringList order;
        for (const QJsonValue& value : rows) {
            const QJsonObject row = value.toObject();
            for (const char* key : {"series", "labels", "rho", "lag_ns", "lag_steps", "n"})
                QVERIFY2(row.contains(QLatin1String(key)), key);
            QCOMPARE(row.value(QLatin1String("labels")).toObject(),
                     (QJsonObject{{QStringLiteral("job"), QStringLiteral("api")}}));
            order.append(row.value(QLatin1String("series")).toString());
            const QString series = order.back();
            const double rho = row.value(QLatin1String("rho")).toDouble();
            if (series == QLatin1String("twice")) {
                QVERIFY(rho > 0.999);
                QCOMPARE(row.value(QLatin1String("lag_steps")).toInt(), 0);
                QCOMPARE(row.value(QLatin1String("n")).toInt(), Requests);
            } else if (series == QLatin1String("negative")) {
                QVERIFY(rho < -0.999);
                QCOMPARE(row.value(QLatin1String("lag_ns")).toInteger(), 0);
            } else {
                QCOMPARE(series, QStringLiteral("late_by_three"));
                QVERIFY(rho > 0.999);
                QCOMPARE(row.value(QLatin1String("lag_steps")).toInt(), 3);
                QCOMPARE(row.value(QLatin1String("lag_ns")).toInteger(), 3 * StepSeconds * 1'000'000'000);
                QCOMPARE(row.value(QLatin1String("n")).toInt(), Requests - 3);
            }
        }
        QCOMPARE(order.size(), 3);
    }

    void text()
    {
        const CliRun run = cli({QStringLiteral("correlate"), QStringLiteral("--db"), path("both.lundi"),
                                QStringLiteral("--range"), QStringLiteral("0..300")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QList<QByteArray> lines = run.out.split('\n');
        QVERIFY(lines.size() > 4);
        QVERIFY2(lines[0].contains("step 15.000 s"), lines[0].constData());
        QVERIFY2(lines[0].contains("1970-01-01T00:00:00.000Z to 1970-01-01T00:05:00.000Z"),
                 lines[0].constData());
        QVERIFY(run.out.contains("Left out: 1 series that never change"));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("db");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("sentence");
        QTest::newRow("no spans") << QStringLiteral("metrics.lundi") << QStringList{} << 1
                                  << QByteArray("has no root spans");
        QTest::newRow("range without requests")
            << QStringLiteral("both.lundi")
            << QStringList{QStringLiteral("--range"), QStringLiteral("9000..9100")} << 1
            << QByteArray("widen --range");
        QTest::newRow("bad range") << QStringLiteral("both.lundi")
                                   << QStringList{QStringLiteral("--range"), QStringLiteral("soon")} << 2
                                   << QByteArray("START..END");
        QTest::newRow("negative lag")
            << QStringLiteral("both.lundi") << QStringList{QStringLiteral("--max-lag"), QStringLiteral("-1")}
            << 2 << QByteArray("--max-lag");
        QTest::newRow("zero step") << QStringLiteral("both.lundi")
                                   << QStringList{QStringLiteral("--step"), QStringLiteral("0")} << 2
                                   << QByteArray("--step");
        QTest::newRow("missing incident")
            << QStringLiteral("none.lundi") << QStringList{} << 1 << QByteArray("none.lundi");
    }

    void refusals()
    {
        QFETCH(QString, db);
        QFETCH(QStringList, options);
        QFETCH(int, status);
        QFETCH(QByteArray, sentence);
        const CliRun run = cli(
            QStringList{QStringLiteral("correlate"), QStringLiteral("--db"), path(db.toUtf8().constData())} +
            options);
        QCOMPARE(run.status, status);
        QVERIFY2(run.err.contains(sentence), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

  private:
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCliCorrelate)
#include "tst_cli_correlate.moc"
