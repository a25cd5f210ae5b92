// IncidentSnapshot against the store it reads: what it works out from the spans in memory
// (counts, per-source span counts, the time range) must be what the store's own queries say,
// and the first look goes to the latest stretch of activity.

#include "analysis/incidentsnapshot.h"
#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

constexpr qint64 Hour = 3600'000'000'000;
constexpr qint64 Week = 7 * 24 * Hour;
constexpr qint64 T0 = 1'763'280'000'000'000'000; // 2025-11-16 08:00 UTC

struct Burst
{
    qint64 startNs;
    qint64 durNs;
    int spans;
};

// One source per call: spans one after another on two tracks within each burst, a few children.
void write(Store& store, const QByteArray& identity, const std::vector<Burst>& bursts, int samples = 0,
           qint64 samplesFromNs = 0)
{
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier)
        .importGenerated(
            QStringLiteral("test"), QString::fromLatin1(identity), identity, {}, [&](Sink& sink) {
                const TrackId tracks[] = {
                    sink.addTrack({TrackKind::Service, QStringLiteral("a"), {}, {}, 0}),
                    sink.addTrack({TrackKind::Service, QStringLiteral("b"), {}, {}, 0})};
                const StringId name = sink.intern("request");
                for (const Burst& burst : bursts) {
                    const qint64 step = burst.durNs / burst.spans;
                    for (int i = 0; i < burst.spans; ++i) {
                        SpanSpec span;
                        span.track = tracks[i % 2];
                        span.name = name;
                        span.startNs = burst.startNs + i * step;
                        span.durNs = step;
                        const SpanId id = sink.addSpan(span);
                        if (i % 3 == 0) {
                            span.parent = id;
                            span.durNs = step / 2;
                            sink.addSpan(span);
                        }
                    }
                }
                if (samples > 0) {
                    const SeriesId series = sink.addSeries({QStringLiteral("load"), "{}", QString(), 0});
                    for (int i = 0; i < samples; ++i)
                        sink.addSample(series, samplesFromNs + qint64(i) * 1'000'000'000, 1.0);
                }
            });
}

} // namespace

class TestIncidentSnapshot : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void agreesWithTheStore()
    {
        Store store(m_dir.filePath(QStringLiteral("agree.lundi")));
        write(store, "first", {{T0, Hour, 900}});
        write(store, "second", {{T0 + 2 * Hour, Hour, 300}}, 10, T0 - Hour);
        const auto snapshot = IncidentSnapshot::load(store);
        const IncidentCounts counts = store.counts();
        QCOMPARE(snapshot->counts.sources, counts.sources);
        QCOMPARE(snapshot->counts.tracks, counts.tracks);
        QCOMPARE(snapshot->counts.spans, counts.spans);
        QCOMPARE(snapshot->counts.spans, 1600);
        QCOMPARE(snapshot->counts.series, counts.series);
        QCOMPARE(snapshot->counts.samples, counts.samples);
        // The samples start an hour before the first span: they count for the range too.
        QCOMPARE(snapshot->timeRange.startNs, store.timeRange().startNs);
        QCOMPARE(snapshot->timeRange.startNs, T0 - Hour);
        QCOMPARE(snapshot->timeRange.endNs, store.timeRange().endNs);
        const QList<Source> sources = store.sources();
        QCOMPARE(snapshot->sources.size(), sources.size());
        for (qsizetype i = 0; i < sources.size(); ++i) {
            QCOMPARE(snapshot->sources[i].spanCount, sources[i].spanCount);
            QCOMPARE(snapshot->sources[i].sampleCount, sources[i].sampleCount);
        }
        QCOMPARE(snapshot->sources[0].spanCount, 1200);
    }

    void emptyIncident()
    {
        Store store(m_dir.filePath(QStringLiteral("empty.lundi")));
        const auto snapshot = IncidentSnapshot::load(store);
        QCOMPARE(snapshot->counts.spans, 0);
        QVERIFY(snapshot->timeRange.isEmpty());
        QVERIFY(snapshot->latestActivity().isEmpty());
    }

    void firstLookGoesToTheLatestBurst()
    {
        // A baseline hour, and the incident hour a week later: the look starts just before it.
        Store store(m_dir.filePath(QStringLiteral("weeks.lundi")));
        write(store, "weeks", {{T0, Hour, 600}, {T0 + Week, Hour, 600}});
        const auto snapshot = IncidentSnapshot::load(store);
        const TimeRange look = snapshot->latestActivity();
        QCOMPARE(look.endNs, snapshot->timeRange.endNs);
        // A fiftieth of the stretch as room before its first span.
        QCOMPARE(look.startNs, T0 + Week - (snapshot->timeRange.endNs - (T0 + Week)) / 50);
    }

    void firstLookIsEverythingWithoutAGap()
    {
        // Three hours with a gap of five minutes (under a twentieth of the whole), and samples
        // from an hour before the first span: no cut.
        Store store(m_dir.filePath(QStringLiteral("steady.lundi")));
        write(store, "steady", {{T0, Hour, 300}, {T0 + Hour + Hour / 12, 2 * Hour - Hour / 12, 300}}, 10,
              T0 - Hour);
        const auto snapshot = IncidentSnapshot::load(store);
        QCOMPARE(snapshot->latestActivity().startNs, snapshot->timeRange.startNs);
        QCOMPARE(snapshot->latestActivity().endNs, snapshot->timeRange.endNs);
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestIncidentSnapshot)
#include "tst_incidentsnapshot.moc"
