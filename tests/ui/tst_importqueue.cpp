// The ImportQueue with real corpus files into real incident files: imports run one after
// another, a bad file is reported in one sentence and leaves the incident as it was, and a
// cancelled import leaves nothing behind.

#include "importqueue.h"
#include "store/store.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

const QString Corpus = QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/");

// What a user sees of an incident: its sources, with their counts, and the totals.
QString summary(const QString& path)
{
    const Store store(path);
    const IncidentCounts counts = store.counts();
    QString text = QStringLiteral("%1 sources %2 tracks %3 spans %4 samples\n")
                       .arg(counts.sources)
                       .arg(counts.tracks)
                       .arg(counts.spans)
                       .arg(counts.samples);
    for (const Source& source : store.sources())
        text += QStringLiteral("%1 %2 %3\n").arg(source.origin, source.sha256).arg(source.spanCount);
    return text;
}

} // namespace

class TestImportQueue : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        qputenv("LUNDI_PLUGIN_PATH", LUNDI_PLUGIN_DIR);
        qRegisterMetaType<ImportSummary>();
        QVERIFY(m_dir.isValid());
    }

    void importsFilesInTurn()
    {
        const QString incident = m_dir.filePath(QStringLiteral("two.lundi"));
        ImportQueue queue;
        QSignalSpy started(&queue, &ImportQueue::started);
        QSignalSpy imported(&queue, &ImportQueue::imported);
        QSignalSpy idle(&queue, &ImportQueue::idle);
        queue.importFiles(incident, {Corpus + QStringLiteral("hta_cuda_alexnet_critical_path.json"),
                                     Corpus + QStringLiteral("bazel_profile_tiny.json")});
        QVERIFY(!queue.isIdle());
        QCOMPARE(queue.waiting(), 1);
        QVERIFY(idle.wait(60000));
        QCOMPARE(started.size(), 2);
        QCOMPARE(started[0][0].toString(), QStringLiteral("hta_cuda_alexnet_critical_path.json"));
        QCOMPARE(started[0][1].toInt(), 1);
        QCOMPARE(started[1][1].toInt(), 0);
        QCOMPARE(imported.size(), 2);
        const auto first = imported[0][1].value<ImportSummary>();
        QCOMPARE(first.format, QStringLiteral("chrome-trace"));
        QVERIFY(first.counts.spans > 0);
        QCOMPARE(Store(incident).counts().sources, 2);
        QCOMPARE(Store(incident).counts().spans,
                 first.counts.spans + imported[1][1].value<ImportSummary>().counts.spans);
    }

    void reportsABadFileAndKeepsTheIncident()
    {
        const QString incident = m_dir.filePath(QStringLiteral("bad.lundi"));
        const QString good = Corpus + QStringLiteral("bazel_profile_tiny.json");
        ImportQueue queue;
        QSignalSpy idle(&queue, &ImportQueue::idle);
        queue.importFiles(incident, {good});
        QVERIFY(idle.wait(60000));
        const QString before = summary(incident);

        const QString bad = m_dir.filePath(QStringLiteral("cut.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"traceEvents\": [\n{\"ph\": \"X\", \"name\": \"a\", \"ts\": 1, \"dur\": 2, \"pid\": 1, "
                   "\"tid\": 1},\n{\"ph\": ");
        file.close();
        QSignalSpy failed(&queue, &ImportQueue::failed);
        QSignalSpy imported(&queue, &ImportQueue::imported);
        // The bad file does not stop the good one queued after it.
        queue.importFiles(incident, {bad, Corpus + QStringLiteral("hta_cuda_triton_kernel.json")});
        QVERIFY(idle.wait(60000));
        QCOMPARE(failed.size(), 1);
        const QString sentence = failed[0][1].toString();
        QVERIFY2(sentence.startsWith(QLatin1String("cut.json: line 3")), qPrintable(sentence));
        QCOMPARE(imported.size(), 1);
        QCOMPARE(Store(incident).counts().sources, 2);

        // The same bad file alone changes nothing at all.
        const QString after = summary(incident);
        queue.importFiles(incident, {bad});
        QVERIFY(idle.wait(60000));
        QCOMPARE(summary(incident), after);
        QVERIFY(after != before);
    }

    // Options travel with the files: a headerless nvidia-smi CSV imports with its column names
    // (as the header it lost had them) and lands where the clock offset puts it.
    void optionsReachTheImporter()
    {
        QFile whole(QStringLiteral(LUNDI_CORPUS_DIR "/gpu-csv/nvsmi_query_gpu_h100_load.csv"));
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray header = whole.readLine().trimmed();
        const QString headerless = m_dir.filePath(QStringLiteral("noheader.csv"));
        QFile file(headerless);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(whole.readAll());
        file.close();

        const QString withHeader = m_dir.filePath(QStringLiteral("header.lundi"));
        const QString withoutHeader = m_dir.filePath(QStringLiteral("noheader.lundi"));
        ImportQueue queue;
        QSignalSpy idle(&queue, &ImportQueue::idle);
        QSignalSpy failed(&queue, &ImportQueue::failed);
        queue.importFiles(withHeader, {whole.fileName()});
        QVERIFY(idle.wait(60000));
        ImportOptions options;
        options.columns = *ImportOptions::columnList(QString::fromUtf8(header));
        options.clockOffsetNs = 3'600'000'000'000;
        queue.importFiles(withoutHeader, {headerless}, options);
        QVERIFY(idle.wait(60000));
        QCOMPARE(failed.size(), 0);

        const Store headed(withHeader);
        const Store headerlessStore(withoutHeader);
        QVERIFY(headed.counts().samples > 50); // one row of 80 numbers
        QCOMPARE(headerlessStore.counts().samples, headed.counts().samples);
        QCOMPARE(headerlessStore.counts().series, headed.counts().series);
        QCOMPARE(headerlessStore.sampleTimeRange()->startNs,
                 headed.sampleTimeRange()->startNs + options.clockOffsetNs);

        // Without the names the same file is refused, and the sentence says how to give them.
        queue.importFiles(m_dir.filePath(QStringLiteral("refused.lundi")), {headerless});
        QVERIFY(idle.wait(60000));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed[0][1].toString().contains(QStringLiteral("--columns")),
                 qPrintable(failed[0][1].toString()));
    }

    void cancelLeavesNothingBehind()
    {
        const QString incident = m_dir.filePath(QStringLiteral("cancelled.lundi"));
        ImportQueue queue;
        QSignalSpy idle(&queue, &ImportQueue::idle);
        QSignalSpy failed(&queue, &ImportQueue::failed);
        QSignalSpy imported(&queue, &ImportQueue::imported);
        // Cancelling as it starts: the importer stops at its first progress report.
        connect(&queue, &ImportQueue::started, &queue, &ImportQueue::cancelAll);
        queue.importFiles(incident, {Corpus + QStringLiteral("hta_mtia_inference_rank0.json"),
                                     Corpus + QStringLiteral("bazel_profile_tiny.json")});
        QVERIFY(idle.wait(60000));
        QCOMPARE(imported.size(), 0);
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed[0][1].toString().contains(QLatin1String("cancelled")));
        QCOMPARE(Store(incident).counts().sources, 0);
    }

    void writesTheDemo()
    {
        const QString incident = m_dir.filePath(QStringLiteral("demo.lundi"));
        ImportQueue queue;
        QSignalSpy idle(&queue, &ImportQueue::idle);
        queue.writeDemo(incident);
        QVERIFY(idle.wait(120000));
        QCOMPARE(Store(incident).counts().spans, 248829);
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestImportQueue)
#include "tst_importqueue.moc"
