// LiveSource: one source that grows by short transactions while readers watch it, as a probe
// session writes its results.

#include "classifier.h"
#include "ingest/livesource.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

using namespace lundi;

namespace {

constexpr qint64 T0 = 1'700'000'000'000'000'000;

// What the first write hands out, for the later writes to append to.
struct Ids
{
    TrackId track = 0;
    SeriesId series = 0;
    StringId name = 0;
};

SpanSpec spanAt(const Ids& ids, qint64 startNs)
{
    SpanSpec span;
    span.track = ids.track;
    span.name = ids.name;
    span.startNs = startNs;
    span.durNs = 1'000'000;
    return span;
}

} // namespace

class TestLiveSource : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("live-%1.lundi").arg(++m_count));
    }

    void writesAppendToOneSource()
    {
        LiveSource live(m_path, {QStringLiteral("probe-http"), QStringLiteral("http://127.0.0.1:1/"), 0, 0},
                        m_classifier);
        QVERIFY(live.source() > 0);
        Ids ids;
        live.write([&](Sink& sink) {
            ids.name = sink.intern("GET http://127.0.0.1:1/");
            ids.track = sink.addTrack({TrackKind::Probe, QStringLiteral("target"), {}, {}, 0});
            ids.series =
                sink.addSeries({QStringLiteral("probe_success"), "{\"target\":\"target\"}", {}, ids.track});
            sink.addSpan(spanAt(ids, T0));
            sink.addSample(ids.series, T0, 1);
        });
        for (int write = 1; write < 3; ++write) {
            live.write([&](Sink& sink) {
                // The same text interns to the same id in a later transaction.
                QCOMPARE(sink.intern("GET http://127.0.0.1:1/"), ids.name);
                sink.addSpan(spanAt(ids, T0 + write * 1'000'000'000LL));
                sink.addSample(ids.series, T0 + write * 1'000'000'000LL, write == 2 ? 0 : 1);
            });
        }

        const Store store(m_path);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].id, live.source());
        QCOMPARE(sources[0].format, QStringLiteral("probe-http"));
        QCOMPARE(sources[0].spanCount, 3);
        QCOMPARE(sources[0].sampleCount, 3);
        QCOMPARE(store.tracks().size(), 1);
        const std::vector<Span> spans = store.spansOfTrack(ids.track);
        QCOMPARE(spans.size(), size_t(3));
        for (size_t i = 0; i < spans.size(); ++i) {
            QCOMPARE(spans[i].name, QStringLiteral("GET http://127.0.0.1:1/"));
            QCOMPARE(spans[i].startNs, T0 + qint64(i) * 1'000'000'000LL);
        }
        QCOMPARE(store.series().size(), 1);
        const std::vector<Sample> samples = store.samples(ids.series);
        QCOMPARE(samples.size(), size_t(3));
        QCOMPARE(samples[0].timeNs, T0);
        QCOMPARE(samples[1].value, 1.0);
        QCOMPARE(samples[2].value, 0.0);
        QCOMPARE(samples[2].timeNs, T0 + 2'000'000'000LL);
        QCOMPARE(live.counts().spans, 3);
        QCOMPARE(live.counts().samples, 3);
        QCOMPARE(live.counts().tracks, 1);
    }

    void readerSeesEachCommittedWrite()
    {
        LiveSource live(m_path, {QStringLiteral("probe-tcp"), QStringLiteral("127.0.0.1:1"), 0, 0},
                        m_classifier);
        // A reader on a connection of its own, open before and during the writes (WAL).
        const Store reader(m_path);
        QCOMPARE(reader.sources().size(), 1);
        QCOMPARE(reader.counts().spans, 0);
        Ids ids;
        live.write([&](Sink& sink) {
            ids.name = sink.intern("connect");
            ids.track = sink.addTrack({TrackKind::Probe, QStringLiteral("127.0.0.1:1"), {}, {}, 0});
            sink.addSpan(spanAt(ids, T0));
        });
        QCOMPARE(reader.counts().spans, 1);
        live.write([&](Sink& sink) { sink.addSpan(spanAt(ids, T0 + 1'000'000'000LL)); });
        QCOMPARE(reader.counts().spans, 2);
        QCOMPARE(reader.spansOfTrack(ids.track).back().startNs, T0 + 1'000'000'000LL);
    }

    void failedWriteKeepsEarlierOnes()
    {
        LiveSource live(m_path, {QStringLiteral("probe-http"), QStringLiteral("x"), 0, 0}, m_classifier);
        Ids ids;
        live.write([&](Sink& sink) {
            ids.name = sink.intern("GET x");
            ids.track = sink.addTrack({TrackKind::Probe, QStringLiteral("x"), {}, {}, 0});
            sink.addSpan(spanAt(ids, T0));
        });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, live.write([&](Sink& sink) {
            sink.addSpan(spanAt(ids, T0 + 1));
            sink.warn(QStringLiteral("never kept"));
            throw std::runtime_error("the probe failed half way");
        }));
        live.write([&](Sink& sink) {
            sink.addSpan(spanAt(ids, T0 + 2));
            sink.warn(QStringLiteral("kept"));
        });
        const Store store(m_path);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].spanCount, 2);
        QCOMPARE(sources[0].warnings, QStringList{QStringLiteral("kept")});
        QCOMPARE(store.spansOfTrack(ids.track).back().startNs, T0 + 2);
    }

    void unwritableIncidentThrows()
    {
        QVERIFY_THROWS_EXCEPTION(
            StoreError, LiveSource(m_dir.filePath(QStringLiteral("no/such/folder/x.lundi")),
                                   {QStringLiteral("probe-http"), QStringLiteral("x"), 0, 0}, m_classifier));
    }

  private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_count = 0;
    const Classifier m_classifier =
        Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in"));
};

QTEST_GUILESS_MAIN(TestLiveSource)
#include "tst_livesource.moc"
