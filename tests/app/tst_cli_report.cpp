// lundi-cli report end to end: the PDF of the demo incident read back with poppler's pdftotext
// and pdfinfo (as a reader's viewer reads it), its headline checked against what lundi-cli
// suspects --json says; with and without a baseline, on A4 and Letter, twice for the same text
// and pictures; an incident of metrics only; span names and a title that look like HTML; and
// the refusals.

#include "clirun.h"

#include "timeformat.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;
using namespace lundi::test;

namespace {

const QString BaselineWeek = QStringLiteral("2026-11-16T08:00:00Z..2026-11-16T09:00:00Z");

// A poppler tool's output; status -1 if it did not run.
CliRun poppler(const QString& tool, const QStringList& arguments)
{
    QProcess process;
    process.start(tool, arguments);
    process.waitForFinished(60'000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

// Text without white space and hyphens: pdftotext breaks the report's lines where it wrapped
// them, and joins a line that ends in a hyphen with the next (a series name wrapped after
// "api.dlp-" comes back as "api.dlpvendor"), so sentences are compared without either.
QString squeezed(const QString& text)
{
    static const QRegularExpression space(QStringLiteral("[\\s-]+"));
    return QString(text).remove(space);
}

QString percent(double share)
{
    return QString::number(share * 100, 'f', 1) + QLatin1Char('%');
}

} // namespace

class TestCliReport : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char* tool : {"pdftotext", "pdfinfo", "pdftoppm"})
            QVERIFY2(!QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty(),
                     "poppler-utils is missing: scripts/dev deps installs it");
        m_demo = m_dir.filePath(QStringLiteral("demo.lundi"));
        const CliRun demo = cli({QStringLiteral("demo"), QStringLiteral("--db"), m_demo});
        QVERIFY2(demo.status == 0, demo.err.constData());
    }

    void demo_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("page");
        QTest::newRow("the baseline week, A4")
            << QStringList{QStringLiteral("--baseline"), BaselineWeek, QStringLiteral("--slo-ms"),
                           QStringLiteral("10000")}
            << QStringLiteral("a4");
        QTest::newRow("the baseline week, Letter")
            << QStringList{QStringLiteral("--baseline"), BaselineWeek} << QStringLiteral("letter");
        QTest::newRow("no baseline") << QStringList{} << QStringLiteral("a4");
    }

    // The headline names the first suspect with the numbers lundi-cli suspects gives it, and the
    // ranked suspects follow word for word.
    void demo()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, page);
        const CliRun suspects = cli(QStringList{QStringLiteral("suspects"), QStringLiteral("--db"), m_demo,
                                                QStringLiteral("--json")} +
                                    options.mid(0, options.indexOf(QStringLiteral("--slo-ms"))));
        QVERIFY2(suspects.status == 0, suspects.err.constData());
        const QJsonArray ranked = parseJson(suspects.out).array();
        QVERIFY(ranked.size() >= 2);
        const QJsonObject first = ranked[0].toObject();

        const QString pdf =
            m_dir.filePath(QStringLiteral("demo-%1.pdf").arg(QLatin1String(QTest::currentDataTag())));
        const CliRun run = cli(QStringList{QStringLiteral("report"), QStringLiteral("--db"), m_demo,
                                           QStringLiteral("-o"), pdf, QStringLiteral("--page"), page} +
                               options);
        QVERIFY2(run.status == 0, run.err.constData());
        QVERIFY2(run.out.startsWith(QByteArray(pdf.toUtf8() + ": ")), run.out.constData());

        const CliRun info = poppler(QStringLiteral("pdfinfo"), {pdf});
        QVERIFY2(info.status == 0, info.err.constData());
        const QRegularExpressionMatch pages =
            QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(QString::fromUtf8(info.out));
        QVERIFY(pages.hasMatch());
        QVERIFY2(pages.captured(1).toInt() >= 3 && pages.captured(1).toInt() <= 8, info.out.constData());
        QVERIFY2(run.out.contains(QByteArray(": " + pages.captured(1).toUtf8() + " pages")),
                 run.out.constData());
        QVERIFY2(
            info.out.contains(page == QLatin1String("a4") ? "595 x 842 pts (A4)" : "612 x 792 pts (letter)"),
            info.out.constData());
        QVERIFY2(info.out.contains("Incident report: demo"), info.out.constData());

        const CliRun text = poppler(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        QVERIFY2(text.status == 0, text.err.constData());
        const QString body = squeezed(QString::fromUtf8(text.out));
        const QString headline =
            QStringLiteral("The main cause is %1 (%2): %3 of the")
                .arg(first[QStringLiteral("name")].toString(), first[QStringLiteral("category")].toString(),
                     TimeFormat::duration(first[QStringLiteral("critical_ns")].toInteger()));
        QVERIFY2(body.contains(squeezed(headline)), qPrintable(headline));
        QVERIFY2(body.contains(squeezed(QStringLiteral("took on average (%1)")
                                            .arg(percent(first[QStringLiteral("share")].toDouble())))),
                 qPrintable(percent(first[QStringLiteral("share")].toDouble())));
        QVERIFY(body.contains(squeezed(QStringLiteral("it held up %1 of those %2 requests.")
                                           .arg(first[QStringLiteral("slow_requests_with_it")].toInteger())
                                           .arg(first[QStringLiteral("slow_requests")].toInteger()))));
        for (const QJsonValue& suspect : ranked) {
            const QString evidence = suspect.toObject()[QStringLiteral("evidence")].toString();
            QVERIFY2(body.contains(squeezed(evidence)), qPrintable(evidence));
        }
        // The sections, in the issue's order.
        qsizetype at = 0;
        for (const char* section : {"ExecutiveSummary", "Impact", "Timeline", "Topcontributors", "Evidence",
                                    "Caveats", "Appendix"}) {
            const qsizetype next = body.indexOf(QLatin1String(section), at, Qt::CaseInsensitive);
            QVERIFY2(next > at, section);
            at = next;
        }
        const bool baseline = options.contains(QStringLiteral("--baseline"));
        QCOMPARE(body.contains(QStringLiteral("Differentialflamegraph")), baseline);
        if (options.contains(QStringLiteral("--slo-ms")))
            QVERIFY(body.contains(QStringLiteral("tooklongerthanthe10.000sSLO")));
    }

    // The same incident and options give the same text and the same pictures.
    void reproducible()
    {
        QByteArray texts[2];
        QList<QByteArray> pictures[2];
        for (int run = 0; run < 2; ++run) {
            const QString pdf = m_dir.filePath(QStringLiteral("again-%1.pdf").arg(run));
            const CliRun report =
                cli({QStringLiteral("report"), QStringLiteral("--db"), m_demo, QStringLiteral("-o"), pdf,
                     QStringLiteral("--baseline"), BaselineWeek});
            QVERIFY2(report.status == 0, report.err.constData());
            texts[run] = poppler(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")}).out;
            const QString prefix = m_dir.filePath(QStringLiteral("again-%1").arg(run));
            QCOMPARE(poppler(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("30"),
                                                          QStringLiteral("-png"), pdf, prefix})
                         .status,
                     0);
            const QDir dir(m_dir.path());
            for (const QString& name :
                 dir.entryList({QStringLiteral("again-%1-*.png").arg(run)}, QDir::Files, QDir::Name)) {
                QFile file(dir.filePath(name));
                QVERIFY(file.open(QIODevice::ReadOnly));
                pictures[run].append(file.readAll());
            }
        }
        QVERIFY(!texts[0].isEmpty());
        QCOMPARE(texts[0], texts[1]);
        QVERIFY(pictures[0].size() >= 3);
        QCOMPARE(pictures[0], pictures[1]);
    }

    // Metrics alone (nvidia-smi dmon): no requests to measure, the metrics that varied drawn.
    void metricsOnly()
    {
        const QString db = m_dir.filePath(QStringLiteral("gpu.lundi"));
        const CliRun imported = cli({QStringLiteral("import"), QStringLiteral("--db"), db,
                                     QStringLiteral("--at"), QStringLiteral("2026-11-23T08:00:00Z"),
                                     QStringLiteral(LUNDI_CORPUS_DIR "/gpu-csv/nvsmi_dmon_h100_load.txt")});
        QVERIFY2(imported.status == 0, imported.err.constData());
        const QString pdf = m_dir.filePath(QStringLiteral("gpu.pdf"));
        const CliRun run = cli({QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("-o"),
                                pdf, QStringLiteral("--page"), QStringLiteral("letter")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QString body =
            squeezed(QString::fromUtf8(poppler(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")}).out));
        QVERIFY2(body.contains(QStringLiteral("holdsnorequests")), qPrintable(body.left(2000)));
        // The timeline's panels: those of dmon's columns (power, temperatures) that varied most.
        QVERIFY2(body.contains(QStringLiteral("Metric:")) &&
                     body.contains(QStringLiteral("variedmost(coefficient")),
                 qPrintable(body.left(3000)));
        QVERIFY(!body.contains(QStringLiteral("Nothingtodraw")));
        QVERIFY(body.contains(QStringLiteral("nvsmi_dmon_h100_load.txt")));
    }

    // Span names and a title from the user's files are text, never markup.
    void untrustedText()
    {
        const QString trace = m_dir.filePath(QStringLiteral("markup.json"));
        QFile file(trace);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray json = R"({"traceEvents":[)";
        for (int i = 0; i < 30; ++i) {
            const qint64 start = qint64(i) * 1'000'000;
            json += QStringLiteral(
                        R"(%1{"ph":"X","name":"handler","ts":%2,"dur":900000,"pid":1,"tid":1},)"
                        R"({"ph":"X","name":"<b>&amp;</b> scan","ts":%2,"dur":800000,"pid":1,"tid":1})")
                        .arg(i ? QStringLiteral(",") : QString())
                        .arg(start)
                        .toUtf8();
        }
        file.write(json + "]}");
        file.close();
        const QString db = m_dir.filePath(QStringLiteral("markup.lundi"));
        const CliRun imported = cli({QStringLiteral("import"), QStringLiteral("--db"), db, trace});
        QVERIFY2(imported.status == 0, imported.err.constData());
        const QString pdf = m_dir.filePath(QStringLiteral("markup.pdf"));
        const CliRun run = cli({QStringLiteral("report"), QStringLiteral("--db"), db, QStringLiteral("-o"),
                                pdf, QStringLiteral("--title"), QStringLiteral("<i>Q3</i> & <br>co")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QString body =
            QString::fromUtf8(poppler(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")}).out);
        QVERIFY2(body.contains(QStringLiteral("The main cause is <b>&amp;</b> scan")),
                 qPrintable(body.left(3000)));
        QVERIFY2(body.contains(QStringLiteral("<i>Q3</i> & <br>co")), qPrintable(body.left(300)));
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QString missing = QStringLiteral("/nonexistent-folder/report.pdf");
        QTest::newRow("no output") << QStringList{} << 2 << QStringLiteral("-o FILE.pdf");
        QTest::newRow("paper") << QStringList{QStringLiteral("-o"), QStringLiteral("x.pdf"),
                                              QStringLiteral("--page"), QStringLiteral("a5")}
                               << 2 << QStringLiteral("a4 or letter");
        QTest::newRow("slo") << QStringList{QStringLiteral("-o"), QStringLiteral("x.pdf"),
                                            QStringLiteral("--slo-ms"), QStringLiteral("-5")}
                             << 2 << QStringLiteral("--slo-ms");
        QTest::newRow("baseline") << QStringList{QStringLiteral("-o"), QStringLiteral("x.pdf"),
                                                 QStringLiteral("--baseline"), QStringLiteral("nosuch.json")}
                                  << 2 << QStringLiteral("nosuch.json");
        QTest::newRow("unwritable") << QStringList{QStringLiteral("-o"), missing} << 1 << missing;
    }

    void refusals()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, status);
        QFETCH(QString, message);
        const CliRun run =
            cli(QStringList{QStringLiteral("report"), QStringLiteral("--db"), m_demo} + arguments);
        QCOMPARE(run.status, status);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(!QFile::exists(QStringLiteral("x.pdf")));
    }

  private:
    QTemporaryDir m_dir;
    QString m_demo;
};

QTEST_GUILESS_MAIN(TestCliReport)
#include "tst_cli_report.moc"
