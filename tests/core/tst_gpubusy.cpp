// GpuBusy: a device's busy time is the union of its kernels' intervals over all of its streams,
// never their sum. Checked on spans written here with exact expectations, and on a real
// multi-stream PyTorch profiler trace whose union is worked out here from the JSON with a
// sweep of its own.

#include "analysis/gpubusy.h"
#include "plugins/importfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>

#include <cmath>
#include <map>

using namespace lundi;

namespace {

using Intervals = std::vector<std::pair<qint64, qint64>>;

constexpr qint64 T0 = 1'763'280'000'000'000'000; // 2025-11-16 08:00 UTC

struct Written
{
    QString process;
    QString track;
    TrackKind kind;
    qint64 start; // from T0
    qint64 dur;
    const char* cat = "kernel";
    bool childOfPrevious = false;
};

void write(Store& store, const std::vector<Written>& spans)
{
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier)
        .importGenerated(QStringLiteral("test"), QStringLiteral("gpu"), "gpu", {}, [&](Sink& sink) {
            std::map<QString, TrackId> tracks;
            SpanId previous = 0;
            for (const Written& written : spans) {
                auto [it, added] = tracks.try_emplace(written.track, 0);
                if (added)
                    it->second = sink.addTrack({written.kind, written.track, written.process, {}, 0});
                SpanSpec span;
                span.track = it->second;
                span.parent = written.childOfPrevious ? previous : 0;
                span.name = sink.intern("gemm");
                span.cat = sink.intern(written.cat);
                span.startNs = T0 + written.start;
                span.durNs = written.dur;
                previous = sink.addSpan(span);
            }
        });
}

// Two streams of GPU 0 whose kernels overlap within and across streams, GPU 1 on its own, and
// what must not count: a CPU thread, a kernel's child, a wait (cuda_sync).
const std::vector<Written> TwoStreams = {
    {QStringLiteral("python"), QStringLiteral("thread 1"), TrackKind::Thread, 0, 1000, "cpu_op"},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 7"), TrackKind::Gpu, 0, 10},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 7"), TrackKind::Gpu, 2, 30, "kernel", true},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 7"), TrackKind::Gpu, 20, 10},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 20"), TrackKind::Gpu, 5, 10},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 20"), TrackKind::Gpu, 25, 15},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 20"), TrackKind::Gpu, 50, 0},
    {QStringLiteral("GPU 0"), QStringLiteral("GPU 0 \u00b7 stream 20"), TrackKind::Gpu, 100, 100,
     "cuda_sync"},
    {QStringLiteral("GPU 1"), QStringLiteral("GPU 1 \u00b7 stream 7"), TrackKind::Gpu, 0, 100, "gpu_memcpy"},
};

// Microseconds as integer nanoseconds: exact for whole numbers beyond a double's 2^53.
qint64 nanoseconds(const QJsonValue& microseconds)
{
    constexpr qint64 NotWhole = std::numeric_limits<qint64>::min();
    const qint64 whole = microseconds.toInteger(NotWhole);
    return whole != NotWhole ? whole * 1000 : std::llround(microseconds.toDouble() * 1000);
}

QString describe(const std::vector<GpuBusy::Device>& devices)
{
    QStringList lines;
    for (const GpuBusy::Device& device : devices)
        lines.append(QStringLiteral("%1: busy %2, kernels %3, streams %4")
                         .arg(device.name)
                         .arg(device.busyNs)
                         .arg(device.kernels)
                         .arg(device.streams));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestGpuBusy : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void unionLength_data()
    {
        QTest::addColumn<Intervals>("intervals");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("none") << Intervals{} << qint64(0);
        QTest::newRow("apart") << Intervals{{10, 20}, {0, 5}} << qint64(15);
        QTest::newRow("touching") << Intervals{{5, 10}, {0, 5}} << qint64(10);
        QTest::newRow("overlapping") << Intervals{{0, 10}, {5, 15}} << qint64(15);
        QTest::newRow("contained") << Intervals{{0, 10}, {2, 4}, {3, 9}} << qint64(10);
        QTest::newRow("the same twice") << Intervals{{3, 9}, {3, 9}} << qint64(6);
        QTest::newRow("empty ones") << Intervals{{4, 4}, {0, 2}, {7, 7}} << qint64(2);
        constexpr qint64 Max = std::numeric_limits<qint64>::max();
        QTest::newRow("wider than int64: clamped") << Intervals{{-Max, 0}, {0, Max}} << Max;
    }

    void unionLength()
    {
        QFETCH(Intervals, intervals);
        QFETCH(qint64, expected);
        QCOMPARE(GpuBusy::unionLength(intervals), expected);
    }

    void overlappingStreams()
    {
        Store store(m_dir.filePath(QStringLiteral("streams.lundi")));
        write(store, TwoStreams);
        // GPU 0: [0,10) [20,30) on one stream, [5,15) [25,40) [50,50) on the other: [0,15) [20,40).
        QCOMPARE(
            describe(GpuBusy::compute(store)),
            QStringLiteral("GPU 0: busy 35, kernels 5, streams 2\nGPU 1: busy 100, kernels 1, streams 1"));
    }

    void timeRangeClips()
    {
        Store store(m_dir.filePath(QStringLiteral("range.lundi")));
        write(store, TwoStreams);
        // Within [8, 27): [8,10) [20,27) and [8,15) [25,27), that is [8,15) [20,27).
        QCOMPARE(
            describe(GpuBusy::compute(store, TimeRange{T0 + 8, T0 + 27})),
            QStringLiteral("GPU 0: busy 14, kernels 4, streams 2\nGPU 1: busy 19, kernels 1, streams 1"));
        QCOMPARE(describe(GpuBusy::compute(store, TimeRange{T0 + 300, T0 + 400})),
                 QStringLiteral("GPU 0: busy 0, kernels 0, streams 0\nGPU 1: busy 0, kernels 0, streams 0"));
    }

    // A real trace: five streams of GPU 0 whose kernels overlap, imported through the Chrome
    // trace plugin; the union is swept here from the file's own events.
    void multiStreamTrace()
    {
        const QString path =
            QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/hta_cuda_sampled_rank0_multistream.json");
        const QJsonArray events =
            QJsonDocument::fromJson(test::fileBytes(path)).object()[QLatin1String("traceEvents")].toArray();
        std::map<qint64, QString> devices; // by pid: Kineto's process_labels
        for (const QJsonValue& value : events) {
            const QJsonObject event = value.toObject();
            const QString labels = event[QLatin1String("args")][QLatin1String("labels")].toString();
            if (event[QLatin1String("name")].toString() == QLatin1String("process_labels") &&
                labels.startsWith(QLatin1String("GPU ")))
                devices[event[QLatin1String("pid")].toInteger()] = labels;
        }
        struct Expected
        {
            std::map<qint64, int> edges; // time: kernels starting minus kernels ending
            qint64 kernels = 0;
            qint64 durations = 0;
            QSet<QString> streams;
        };
        std::map<QString, Expected> expected;
        for (const QJsonValue& value : events) {
            const QJsonObject event = value.toObject();
            const auto device = devices.find(event[QLatin1String("pid")].toInteger(-1));
            if (event[QLatin1String("ph")].toString() != QLatin1String("X") || device == devices.end() ||
                event[QLatin1String("cat")].toString() == QLatin1String("cuda_sync"))
                continue;
            Expected& e = expected[device->second];
            const qint64 start = nanoseconds(event[QLatin1String("ts")]);
            const qint64 dur = nanoseconds(event[QLatin1String("dur")]);
            ++e.edges[start];
            --e.edges[start + dur];
            ++e.kernels;
            e.durations += dur;
            e.streams.insert(event[QLatin1String("tid")].toVariant().toString());
        }
        QCOMPARE(expected.size(), size_t(1));

        test::Fixture fixture;
        fixture.import(path);
        const std::vector<GpuBusy::Device> busy = GpuBusy::compute(fixture.store());
        QCOMPARE(busy.size(), expected.size());
        for (const GpuBusy::Device& device : busy) {
            const Expected& e = expected.at(device.name);
            qint64 union_ = 0;
            int running = 0;
            qint64 since = 0;
            for (const auto& [time, change] : e.edges) {
                if (running > 0)
                    union_ += time - since;
                running += change;
                since = time;
            }
            QCOMPARE(device.busyNs, union_);
            QCOMPARE(device.kernels, e.kernels);
            QCOMPARE(device.streams, int(e.streams.size()));
            // The trace's kernels do overlap: their sum would overstate the busy time.
            QVERIFY2(union_ < e.durations, qPrintable(QStringLiteral("%1 %2").arg(union_).arg(e.durations)));
        }
    }

    // lundi-cli info says the same, as text and in --json's "gpu_busy".
    void cliInfo()
    {
        Store store(m_dir.filePath(QStringLiteral("cli.lundi")));
        write(store, TwoStreams);
        const auto info = [&](const QStringList& extra) {
            QProcess cli;
            cli.start(QStringLiteral(LUNDI_CLI),
                      QStringList{QStringLiteral("info"), QStringLiteral("--db"), store.path()} + extra);
            cli.waitForFinished(60'000);
            return cli.readAllStandardOutput();
        };
        const QJsonArray json = QJsonDocument::fromJson(info({QStringLiteral("--json")}))
                                    .object()[QLatin1String("gpu_busy")]
                                    .toArray();
        QCOMPARE(json.size(), 2);
        const QJsonObject first = json.at(0).toObject();
        QCOMPARE(first[QLatin1String("device")].toString(), QStringLiteral("GPU 0"));
        QCOMPARE(first[QLatin1String("busy_ns")].toInteger(), 35);
        QCOMPARE(first[QLatin1String("kernels")].toInteger(), 5);
        QCOMPARE(first[QLatin1String("streams")].toInteger(), 2);
        QCOMPARE(first[QLatin1String("source")].toInteger(), 1);
        QCOMPARE(json.at(1).toObject()[QLatin1String("busy_ns")].toInteger(), 100);
        QVERIFY2(info({}).contains("GPU 0 of source 1: busy 35 ns (the union of 5 kernels on 2 streams)"),
                 info({}).constData());
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestGpuBusy)
#include "tst_gpubusy.moc"
