// GPU sampling through a real child process and a real pipe. No GPU (and no nvidia-smi) is
// here or in CI, so the child is the stand-in of support/nvidiasmistandin.h: a script that
// replays the rows a real nvidia-smi printed on an H100. The missing-tool case is real: PATH
// points at an empty folder.

#include "app/clirun.h"
#include "classifier.h"
#include "gpuprobe.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "ingest/livesource.h"
#include "probeengine.h"
#include "store/store.h"
#include "support/nvidiasmistandin.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>

using namespace lundi;
using namespace lundi::test;

namespace {

// The outcome of one probe session, as its callbacks told it.
struct Outcome
{
    std::optional<QString> startError;
    QString error;
    int finishedCalls = 0;
    GpuProbe::Progress progress;
};

qint64 nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1'000'000;
}

} // namespace

class TestGpuProbe : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void missingTool();
    void replaysRealOutput();
    void stopEndsTheStandInAndItsChildren();
    void failingToolIsTold();
    void cliWithoutNvidiaSmi();
    void cliReplaysRealOutput();

  private:
    Outcome run(GpuProbe::Options options, const QString& incident, bool stopAfterFirstBatch = false);

    ImporterRegistry m_registry{QStringList{QStringLiteral(LUNDI_PLUGIN_DIR)}};
    const Importer* m_importer = nullptr;
    Classifier m_classifier = Classifier::standard();
    Row m_idle;
    Row m_load;
};

void TestGpuProbe::initTestCase()
{
    m_importer = m_registry.byFormat(QStringLiteral("gpu-csv"));
    QVERIFY(m_importer);
    m_idle = captureRow(QStringLiteral("idle :: query-gpu"));
    m_load = captureRow(QStringLiteral("load :: query-gpu"));
    QCOMPARE(m_idle.at(QStringLiteral("utilization.gpu")), QStringLiteral("0 %"));
    QCOMPARE(m_load.at(QStringLiteral("utilization.gpu")), QStringLiteral("100 %"));
}

Outcome TestGpuProbe::run(GpuProbe::Options options, const QString& incident, bool stopAfterFirstBatch)
{
    Outcome outcome;
    ProbeEngine engine;
    LiveSource live(incident, GpuProbe::sourceSpec(options), m_classifier);
    std::atomic_bool batched = false;
    GpuProbe probe(engine, live, *m_importer, options,
                   {[&](const GpuProbe::Progress&) { batched = true; },
                    [&](const QString& error) {
                        outcome.error = error;
                        ++outcome.finishedCalls;
                    }});
    outcome.startError = probe.start();
    if (stopAfterFirstBatch && !outcome.startError) {
        // Stopped either way: a probe that printed nothing in time fails the caller's checks.
        (void)QTest::qWaitFor([&] { return batched.load(); }, 20000);
        probe.stop();
    }
    probe.wait();
    outcome.progress = probe.progress();
    return outcome;
}

void TestGpuProbe::missingTool()
{
    QTemporaryDir empty;
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(empty.path()));
    QString why;
    const QString found = GpuProbe::locate(QStringLiteral("nvidia-smi"), &why);
    qputenv("PATH", path);
    QVERIFY(found.isEmpty());
    QCOMPARE(why, QStringLiteral(
                      "nvidia-smi was not found on PATH: GPU sampling needs the NVIDIA driver's tools."));

    // A path to nothing: started, it says so and ends nothing, since nothing began.
    GpuProbe::Options options;
    options.program = empty.filePath(QStringLiteral("nvidia-smi"));
    const Outcome outcome = run(options, empty.filePath(QStringLiteral("incident.lundi")));
    QVERIFY(outcome.startError);
    QCOMPARE(*outcome.startError,
             QStringLiteral("%1 is not an executable file: GPU sampling needs nvidia-smi, "
                            "from the NVIDIA driver's tools.")
                 .arg(options.program));
    QCOMPARE(outcome.finishedCalls, 0);
}

void TestGpuProbe::replaysRealOutput()
{
    QTemporaryDir dir;
    StandIn standIn(dir);
    standIn.replay({cellsAfterTimestamp(m_idle), cellsAfterTimestamp(m_load)});
    GpuProbe::Options options;
    options.program = standIn.path();
    options.fields = Fields;
    options.interval = std::chrono::milliseconds(50);
    options.count = 5;
    const QString incident = dir.filePath(QStringLiteral("incident.lundi"));

    // A zone far from UTC: the probe's TZ=UTC must win, as nvidia-smi writes its local time.
    const QByteArray zone = qgetenv("TZ");
    qputenv("TZ", "JST-9");
    const qint64 before = nowNs();
    const Outcome outcome = run(options, incident);
    const qint64 after = nowNs();
    zone.isNull() ? qunsetenv("TZ") : qputenv("TZ", zone);

    QVERIFY2(!outcome.startError, qPrintable(outcome.startError.value_or(QString())));
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.finishedCalls, 1);
    QCOMPARE(standIn.read(QStringLiteral("tz")), QByteArray("UTC"));
    QCOMPARE(standIn.read(QStringLiteral("args")).split('\n'),
             (QList<QByteArray>{"--query-gpu=" + Fields.join(QLatin1Char(',')).toUtf8(),
                                "--format=csv,noheader,nounits", "-lms", "50"}));

    // One series per measured field of the one GPU, each with count samples alternating between
    // the idle and the load row, in order and at the times the stand-in printed them.
    const Store store(incident);
    const QList<Source> sources = store.sources();
    QCOMPARE(sources.size(), 1);
    QCOMPARE(sources.front().format, QStringLiteral("probe-gpu"));
    QCOMPARE(sources.front().origin, GpuProbe::commandLine(options));
    const QList<Series> series = store.series();
    QCOMPARE(series.size(), Measured.size());
    QCOMPARE(outcome.progress.series, qint64(Measured.size()));
    QCOMPARE(outcome.progress.samples, qint64(Measured.size()) * *options.count);
    for (const Series& one : series) {
        QVERIFY2(Measured.contains(one.name), qPrintable(one.name));
        const QJsonObject labels = QJsonDocument::fromJson(one.labelsJson).object();
        QCOMPARE(labels.value(QStringLiteral("gpu")).toString(), m_idle.at(QStringLiteral("index")));
        QCOMPARE(labels.value(QStringLiteral("uuid")).toString(), m_idle.at(QStringLiteral("uuid")));
        const std::vector<Sample> samples = store.samples(one.id);
        QCOMPARE(qint64(samples.size()), *options.count);
        for (size_t i = 0; i < samples.size(); ++i) {
            const Row& row = i % 2 == 0 ? m_idle : m_load;
            QCOMPARE(samples[i].value, number(row.at(one.name)));
            // Milliseconds as nvidia-smi writes them, so the first may be stamped before `before`.
            QVERIFY(samples[i].timeNs >= before - 1'000'000 && samples[i].timeNs <= after);
            if (i > 0)
                QVERIFY(samples[i].timeNs > samples[i - 1].timeNs);
        }
    }
}

void TestGpuProbe::stopEndsTheStandInAndItsChildren()
{
    QTemporaryDir dir;
    StandIn standIn(dir);
    standIn.replay({cellsAfterTimestamp(m_load)});
    GpuProbe::Options options;
    options.program = standIn.path();
    options.fields = Fields;
    // Long enough that the stand-in sits in sleep, a child of its own, when stopped.
    options.interval = std::chrono::milliseconds(30'000);
    const Outcome outcome = run(options, dir.filePath(QStringLiteral("incident.lundi")), true);
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.finishedCalls, 1);
    QCOMPARE(outcome.progress.rows, qint64(1));
    QCOMPARE(outcome.progress.samples, qint64(Measured.size()));
    const pid_t pid = standIn.read(QStringLiteral("pid")).toInt();
    QVERIFY(pid > 0);
    // Its process group is gone: the shell and its sleep (reaped by whoever adopted the orphan).
    QTRY_COMPARE_WITH_TIMEOUT(::kill(-pid, 0), -1, 10000);
}

void TestGpuProbe::failingToolIsTold()
{
    QTemporaryDir dir;
    StandIn standIn(dir);
    // What nvidia-smi prints on a machine whose driver is not loaded.
    standIn.write(
        QStringLiteral("#!/bin/sh\n"
                       "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA "
                       "driver. Make sure that the latest NVIDIA driver is installed and running.\"\n"
                       "exit 9\n"));
    GpuProbe::Options options;
    options.program = standIn.path();
    const QString incident = dir.filePath(QStringLiteral("incident.lundi"));
    const Outcome outcome = run(options, incident);
    QCOMPARE(outcome.finishedCalls, 1);
    QVERIFY2(outcome.error.startsWith(QStringLiteral("nvidia-smi printed something other than the CSV it was "
                                                     "asked for (\"NVIDIA-SMI has failed because it couldn't "
                                                     "communicate with the NVIDIA driver.")),
             qPrintable(outcome.error));
    QCOMPARE(Store(incident).series().size(), 0);

    // Ending with a status and only stderr to show for it.
    standIn.write(
        QStringLiteral("#!/bin/sh\necho 'Field \"bogus\" is not a valid field to query.' >&2\nexit 2\n"));
    options.fields = {QStringLiteral("bogus")};
    QCOMPARE(
        run(options, incident).error,
        QStringLiteral("nvidia-smi ended with status 2: Field \"bogus\" is not a valid field to query."));
}

// lundi-cli probe gpu on this machine, with no nvidia-smi on its PATH: one sentence, no source.
void TestGpuProbe::cliWithoutNvidiaSmi()
{
    QTemporaryDir empty;
    const QString incident = empty.filePath(QStringLiteral("incident.lundi"));
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(empty.path()));
    const test::CliRun run =
        test::cli({QStringLiteral("probe"), QStringLiteral("gpu"), QStringLiteral("--count"),
                   QStringLiteral("3"), QStringLiteral("--db"), incident});
    qputenv("PATH", path);
    QCOMPARE(run.status, 1);
    QCOMPARE(run.err, QByteArray("lundi-cli: nvidia-smi was not found on PATH: GPU sampling needs the NVIDIA "
                                 "driver's tools.\n"));
    QCOMPARE(run.out, QByteArray());
    QVERIFY(!QFile::exists(incident) || Store(incident).sources().isEmpty());
}

void TestGpuProbe::cliReplaysRealOutput()
{
    QTemporaryDir dir;
    StandIn standIn(dir);
    standIn.replay({cellsAfterTimestamp(m_idle), cellsAfterTimestamp(m_load)});
    const QString incident = dir.filePath(QStringLiteral("incident.lundi"));
    const test::CliRun run =
        test::cli({QStringLiteral("probe"), QStringLiteral("gpu"), QStringLiteral("--nvidia-smi"),
                   standIn.path(), QStringLiteral("--fields"), Fields.join(QLatin1Char(',')),
                   QStringLiteral("--every"), QStringLiteral("50ms"), QStringLiteral("--count"),
                   QStringLiteral("4"), QStringLiteral("--db"), incident});
    QVERIFY2(run.status == 0, run.err.constData());
    QCOMPARE(standIn.read(QStringLiteral("args")).split('\n').mid(1),
             (QList<QByteArray>{"--format=csv,noheader,nounits", "-lms", "50"}));
    QVERIFY2(run.out.contains(QStringLiteral("%1 samples of %2 series; recorded as source 1")
                                  .arg(4 * Measured.size())
                                  .arg(Measured.size())
                                  .toUtf8()),
             run.out.constData());
    const Store store(incident);
    QCOMPARE(store.sources().size(), 1);
    QCOMPARE(store.sources().front().format, QStringLiteral("probe-gpu"));
    QCOMPARE(store.series().size(), Measured.size());
    for (const Series& one : store.series()) {
        const std::vector<Sample> samples = store.samples(one.id);
        QCOMPARE(samples.size(), size_t(4));
        QCOMPARE(samples[1].value, number(m_load.at(one.name)));
    }
}

QTEST_GUILESS_MAIN(TestGpuProbe)
#include "tst_gpuprobe.moc"
