// Every input a fuzzer ever crashed, hung or broke the Sink contract on (regressions/<format>/,
// see README.md) is imported through the real Ingestor into a fresh incident with the format
// forced: it must import, or be refused with a sentence that names the file, and leave the
// incident as it was. Under scripts/dev test-sanitized the same replay runs with ASan and UBSan.

#include "plugins/importfixture.h"

#include <QDir>
#include <QElapsedTimer>

using namespace lundi;
using namespace test;

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("format");
    const QDir regressions(QStringLiteral(LUNDI_FUZZ_REGRESSIONS_DIR));
    int rows = 0;
    for (const QString& format : regressions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir folder(regressions.filePath(format));
        for (const QString& file : folder.entryList(QDir::Files, QDir::Name)) {
            QTest::newRow(qPrintable(format + QLatin1Char('/') + file)) << folder.filePath(file) << format;
            ++rows;
        }
    }
    QVERIFY2(rows > 0, "no regression inputs found in " LUNDI_FUZZ_REGRESSIONS_DIR);
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, path);
    QFETCH(QString, format);
    {
        Fixture fixture;
        QVERIFY2(fixture.registry().byFormat(format),
                 qPrintable(QStringLiteral("regressions/%1 is named after no importer").arg(format)));
    }
    ImportOptions options;
    options.format = format;
    QElapsedTimer timer;
    timer.start();
    importCorpusFile(path, QStringLiteral("any"), format, options);
    // The fuzzers give up on an input after 10 s; a fixed hang takes milliseconds, even under ASan.
    QVERIFY2(timer.elapsed() < 20'000, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
