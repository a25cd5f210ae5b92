// `lundi --screenshot OUT.png [--view V] [--size WxH] FILE` as a user runs it: a real process,
// offscreen, on a real incident file and on a corpus trace it imports first.

#include "demofile.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace lundi;

class TestScreenshot : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(QStringLiteral("demo.lundi"));
        Store store(m_demo);
        test::writeDemoIncident(store);
    }

    void eachView_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("input");
        const QString alexnet =
            QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/hta_cuda_alexnet_critical_path.json");
        for (const char* view :
             {"flamegraph", "flamechart", "sandwich", "top", "diff", "criticalpath", "breakdown", "sql"}) {
            QTest::addRow("%s demo", view) << QString::fromLatin1(view) << m_demo;
            QTest::addRow("%s alexnet", view) << QString::fromLatin1(view) << alexnet;
        }
    }

    void eachView()
    {
        QFETCH(QString, view);
        QFETCH(QString, input);
        const QString out = m_dir.filePath(
            QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')) +
            QStringLiteral(".png"));
        const auto [status, errors] =
            run({QStringLiteral("--screenshot"), out, QStringLiteral("--view"), view,
                 QStringLiteral("--size"), QStringLiteral("1200x800"), input});
        QVERIFY2(status == 0, qPrintable(errors));
        QImage image(out);
        QCOMPARE(image.size(), QSize(1200, 800));
        // A real picture of many colours, not a blank or a single fill.
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        }
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }

    void searchesBeforeTheShot()
    {
        // The match colour (CategoryPalette::match()) appears only where a search is on.
        const QRgb match = qRgb(0xff, 0x4f, 0xd8);
        const auto matchPixels = [&](const QStringList& search) {
            const QString out = m_dir.filePath(QStringLiteral("search.png"));
            const auto [status, errors] =
                run(QStringList{QStringLiteral("--screenshot"), out, QStringLiteral("--view"),
                                QStringLiteral("flamegraph")} +
                    search + QStringList{m_demo});
            if (status != 0)
                return qsizetype(-1);
            const QImage image(out);
            qsizetype pixels = 0;
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x)
                    pixels += image.pixel(x, y) == match;
            }
            return pixels;
        };
        QCOMPARE(matchPixels({}), 0);
        QVERIFY(matchPixels({QStringLiteral("--search"), QStringLiteral("^dlp\\.")}) > 10000);
    }

    void refusesBadArguments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString out = QStringLiteral("/nonexistent-dir/x.png");
        QTest::addRow("unknown view")
            << QStringList{QStringLiteral("--screenshot"), out, QStringLiteral("--view"),
                           QStringLiteral("pie"), QStringLiteral("x.lundi")}
            << QStringLiteral("--view takes");
        QTest::addRow("bad size") << QStringList{QStringLiteral("--screenshot"), out,
                                                 QStringLiteral("--size"), QStringLiteral("big"),
                                                 QStringLiteral("x.lundi")}
                                  << QStringLiteral("--size takes");
        QTest::addRow("no file") << QStringList{QStringLiteral("--screenshot"), out}
                                 << QStringLiteral("needs one FILE");
    }

    void refusesBadArguments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const auto [status, errors] = run(arguments);
        QCOMPARE(status, 2);
        QVERIFY2(errors.contains(message), qPrintable(errors));
    }

    void reportsAnUnwritableImage()
    {
        const auto [status, errors] =
            run({QStringLiteral("--screenshot"), QStringLiteral("/nonexistent-dir/x.png"), m_demo});
        QCOMPARE(status, 1);
        QVERIFY2(errors.contains(QLatin1String("x.png: cannot write the image.")), qPrintable(errors));
    }

    void reportsABadInput()
    {
        const QString bad = m_dir.filePath(QStringLiteral("broken.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"traceEvents\": [{\"ph\": \"X\", \"ts\": ");
        file.close();
        const auto [status, errors] =
            run({QStringLiteral("--screenshot"), m_dir.filePath(QStringLiteral("broken.png")), bad});
        QCOMPARE(status, 1);
        QVERIFY2(errors.contains(QLatin1String("broken.json: line 1")), qPrintable(errors));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("broken.png"))));
    }

  private:
    std::pair<int, QString> run(const QStringList& arguments)
    {
        QProcess lundi;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // Incidents made from imported files go to the data folder: keep it inside the test's.
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("LUNDI_PLUGIN_PATH"), QStringLiteral(LUNDI_PLUGIN_DIR));
        // Under AddressSanitizer (scripts/dev test-sanitized) the window exits while Qt's thread
        // pool winds down, and LeakSanitizer once caught an allocation inside QtCore in flight
        // (one CI run in four, not reproducible in 28 runs by hand). The views' own leaks are
        // checked in process by the ui tests.
        if (environment.contains(QStringLiteral("ASAN_OPTIONS")))
            environment.insert(QStringLiteral("ASAN_OPTIONS"),
                               environment.value(QStringLiteral("ASAN_OPTIONS")) +
                                   QStringLiteral(":detect_leaks=0"));
        lundi.setProcessEnvironment(environment);
        lundi.start(QStringLiteral(LUNDI_GUI), arguments);
        if (!lundi.waitForFinished(120000))
            return {-1, QStringLiteral("lundi did not finish")};
        return {lundi.exitCode(), QString::fromLocal8Bit(lundi.readAllStandardError())};
    }

    QTemporaryDir m_dir;
    QString m_demo;
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
