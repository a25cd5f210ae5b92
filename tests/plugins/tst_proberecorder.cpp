// ProbeRecorder: probe results become one live source (a trace per result, blackbox_exporter's
// series per target), committed while the session goes on, with no secret in the file.

#include "classifier.h"
#include "httpprobe.h"
#include "proberecorder.h"
#include "store/store.h"
#include "tcpprobe.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace lundi;

namespace {

constexpr qint64 T0 = 1'700'000'000'000'000'000;
constexpr qint64 Ms = 1'000'000;

HttpResult okResult(qint64 startNs)
{
    HttpResult result;
    result.startNs = startNs;
    result.ok = true;
    result.status = 200;
    result.phases = {1 * Ms, 2 * Ms, 3 * Ms, 40 * Ms, 4 * Ms};
    result.totalNs = 50 * Ms;
    result.httpVersion = "HTTP/2";
    result.tlsVersion = "TLSv1.3";
    result.certificateExpiryNs = T0 + 86'400'000'000'000LL;
    return result;
}

std::optional<Series> seriesNamed(const Store& store, const QString& name, const QString& labelKey = {},
                                  const QString& labelValue = {})
{
    for (const Series& series : store.series()) {
        const QJsonObject labels = QJsonDocument::fromJson(series.labelsJson).object();
        if (series.name == name && (labelKey.isEmpty() || labels.value(labelKey).toString() == labelValue))
            return series;
    }
    return std::nullopt;
}

} // namespace

class TestProbeRecorder : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void httpResultsAreTracesAndSeries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("probe.lundi"));
        HttpRequest request;
        request.url = "https://127.0.0.1:8443/v1/models?api_key=s3cr3t-in-url&limit=5";
        request.headers = {{"Authorization", "Bearer s3cr3t-in-header"}};
        ProbeRecorder recorder(path, QStringLiteral("probe-http"), QString::fromStdString(request.url),
                               m_classifier, std::chrono::milliseconds(10));
        const QString target = QStringLiteral("models");
        recorder.record(target, request, okResult(T0));
        HttpResult failed;
        failed.startNs = T0 + 1'000 * Ms;
        failed.totalNs = 5 * Ms;
        failed.phases.resolveNs = 5 * Ms;
        failed.errorClass = ProbeErrorClass::Dns;
        failed.error = "Could not resolve host: models.invalid";
        recorder.record(target, request, failed);
        recorder.flush();
        QCOMPARE(recorder.recorded(), 2);
        QVERIFY(!recorder.error());

        // Committed while the recorder is still open: a reader sees it all.
        const Store store(path);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].id, recorder.source());
        QCOMPARE(sources[0].format, QStringLiteral("probe-http"));
        QCOMPARE(sources[0].origin,
                 QStringLiteral("https://127.0.0.1:8443/v1/models?api_key=REDACTED&limit=5"));
        const QList<Track> tracks = store.tracks();
        QCOMPARE(tracks.size(), 1);
        QCOMPARE(tracks[0].kind, TrackKind::Probe);
        QCOMPARE(tracks[0].name, target);

        const std::vector<Span> spans = store.spansOfTrack(tracks[0].id);
        // The first result: a root and its five phases end to end; the second: a root and resolve.
        QCOMPARE(spans.size(), size_t(8));
        const Span& root = spans[0];
        QCOMPARE(root.name, QStringLiteral("GET https://127.0.0.1:8443/v1/models?api_key=REDACTED&limit=5"));
        QCOMPARE(root.startNs, T0);
        QCOMPARE(root.durNs, 50 * Ms);
        QCOMPARE(root.status, SpanStatus::Ok);
        QCOMPARE(root.traceId.size(), 32);
        const QJsonObject attributes = QJsonDocument::fromJson(root.attributesJson).object();
        QCOMPARE(attributes.value(QStringLiteral("probe.target")).toString(), target);
        QCOMPARE(attributes.value(QStringLiteral("http.response.status_code")).toInt(), 200);
        QCOMPARE(attributes.value(QStringLiteral("tls.protocol.version")).toString(),
                 QStringLiteral("TLSv1.3"));
        const QStringList phases = {QStringLiteral("resolve"), QStringLiteral("connect"),
                                    QStringLiteral("tls"), QStringLiteral("processing"),
                                    QStringLiteral("transfer")};
        qint64 at = T0;
        for (int i = 0; i < phases.size(); ++i) {
            const Span& phase = spans[size_t(i + 1)];
            QCOMPARE(phase.name, phases[i]);
            QCOMPARE(phase.parent, root.id);
            QCOMPARE(phase.traceId, root.traceId);
            QCOMPARE(phase.startNs, at);
            at += phase.durNs;
        }
        QCOMPARE(at, T0 + 50 * Ms);
        QCOMPARE(spans[4].durNs, 40 * Ms);
        QCOMPARE(spans[4].category, Category::Api); // the server's time
        QCOMPARE(spans[2].category, Category::Network);
        const Span& failedRoot = spans[6];
        QCOMPARE(failedRoot.status, SpanStatus::Error);
        const QJsonObject failedAttributes = QJsonDocument::fromJson(failedRoot.attributesJson).object();
        QCOMPARE(failedAttributes.value(QStringLiteral("probe.error_class")).toString(),
                 QStringLiteral("dns"));
        QCOMPARE(failedAttributes.value(QStringLiteral("probe.error")).toString(),
                 QStringLiteral("Could not resolve host: models.invalid"));
        QCOMPARE(spans[7].name, QStringLiteral("resolve"));
        QVERIFY(failedRoot.traceId != root.traceId);

        const std::optional<Series> success = seriesNamed(store, QStringLiteral("probe_success"));
        QVERIFY(success);
        QCOMPARE(
            QJsonDocument::fromJson(success->labelsJson).object().value(QStringLiteral("target")).toString(),
            target);
        QCOMPARE(success->track, tracks[0].id);
        const std::vector<Sample> successes = store.samples(success->id);
        QCOMPARE(successes.size(), size_t(2));
        QCOMPARE(successes[0].value, 1.0);
        QCOMPARE(successes[1].value, 0.0);
        const std::optional<Series> processing =
            seriesNamed(store, QStringLiteral("probe_http_duration_seconds"), QStringLiteral("phase"),
                        QStringLiteral("processing"));
        QVERIFY(processing);
        QCOMPARE(store.samples(processing->id).front().value, 0.040);
        const std::optional<Series> duration = seriesNamed(store, QStringLiteral("probe_duration_seconds"));
        QVERIFY(duration);
        QCOMPARE(store.samples(duration->id).back().value, 0.005);
        QVERIFY(seriesNamed(store, QStringLiteral("probe_http_status_code")));
        QVERIFY(seriesNamed(store, QStringLiteral("probe_tls_version_info"), QStringLiteral("version"),
                            QStringLiteral("TLSv1.3")));
        const std::optional<Series> expiry =
            seriesNamed(store, QStringLiteral("probe_ssl_earliest_cert_expiry"));
        QVERIFY(expiry);
        QCOMPARE(store.samples(expiry->id).front().value, double(T0) / 1e9 + 86'400);
    }

    void laterResultsAppendToTheSameSeries()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tcp.lundi"));
        ProbeRecorder recorder(path, QStringLiteral("probe-tcp"), QStringLiteral("127.0.0.1:9"), m_classifier,
                               std::chrono::milliseconds(1));
        for (int i = 0; i < 3; ++i) {
            TcpResult result;
            result.startNs = T0 + i * 1'000 * Ms;
            result.resolveNs = Ms;
            result.connectNs = 2 * Ms;
            result.totalNs = 3 * Ms;
            result.ok = i != 1;
            result.address = "127.0.0.1:9";
            recorder.record(QStringLiteral("127.0.0.1:9"), result);
            // Each in a transaction of its own: the ids of the first stay valid in the next.
            recorder.flush();
        }
        const Store store(path);
        QCOMPARE(store.sources().size(), 1);
        QCOMPARE(store.tracks().size(), 1);
        const std::optional<Series> success = seriesNamed(store, QStringLiteral("probe_success"));
        QVERIFY(success);
        const std::vector<Sample> samples = store.samples(success->id);
        QCOMPARE(samples.size(), size_t(3));
        QCOMPARE(samples[1].value, 0.0);
        QCOMPARE(samples[2].timeNs, T0 + 2'000 * Ms);
        QCOMPARE(store.series().size(), 4);
        QCOMPARE(store.spansOfTrack(store.tracks()[0].id).size(), size_t(9));
    }

    void secretsNeverReachTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.lundi"));
        {
            HttpRequest request;
            request.url =
                "http://alice:hunter2-pw@127.0.0.1:8080/metrics?token=tok-9f8e7d#access_token=frag-77";
            request.headers = {{"Authorization", "Bearer bearer-5a4b3c"}, {"X-Api-Key", "key-1a2b"}};
            ProbeRecorder recorder(path, QStringLiteral("probe-http"), QString::fromStdString(request.url),
                                   m_classifier);
            recorder.record(HttpProbe::requestName(request), request, okResult(T0));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        QFile wal(path + QStringLiteral("-wal"));
        if (wal.open(QIODevice::ReadOnly))
            bytes += wal.readAll();
        QVERIFY(bytes.contains("REDACTED"));
        for (const char* secret :
             {"hunter2-pw", "alice", "tok-9f8e7d", "frag-77", "bearer-5a4b3c", "key-1a2b"})
            QVERIFY2(!bytes.contains(secret), secret);
    }

    void waitsForAnotherWriter()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("busy.lundi"));
        ProbeRecorder recorder(path, QStringLiteral("probe-tcp"), QStringLiteral("x"), m_classifier,
                               std::chrono::milliseconds(1));
        TcpResult result;
        result.startNs = T0;
        result.resolveNs = Ms;
        result.connectNs = Ms;
        result.totalNs = 2 * Ms;
        {
            // An import on another connection holds the write lock past SQLite's busy timeout (5 s).
            Store other(path);
            other.connection().exec("BEGIN IMMEDIATE");
            recorder.record(QStringLiteral("x"), result);
            QTest::qWait(6'000);
            QCOMPARE(recorder.recorded(), 0);
            other.connection().exec("ROLLBACK");
        }
        recorder.flush();
        QVERIFY(!recorder.error());
        QCOMPARE(recorder.recorded(), 1);
        QCOMPARE(Store(path).counts().spans, 3);
    }

    void failedStoreIsReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gone.lundi"));
        ProbeRecorder recorder(path, QStringLiteral("probe-tcp"), QStringLiteral("x"), m_classifier,
                               std::chrono::milliseconds(1));
        // An incident whose tracks table went away under the session: the next write fails.
        {
            Store other(path);
            other.connection().exec("ALTER TABLE tracks RENAME TO tracks_gone");
        }
        TcpResult result;
        result.startNs = T0;
        recorder.record(QStringLiteral("x"), result);
        recorder.flush();
        QVERIFY(recorder.error());
        QCOMPARE(recorder.recorded(), 0);
        recorder.record(QStringLiteral("x"), result); // dropped, not written on top of a failure
        recorder.flush();
        QCOMPARE(recorder.recorded(), 0);
    }

  private:
    const Classifier m_classifier =
        Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in"));
};

QTEST_GUILESS_MAIN(TestProbeRecorder)
#include "tst_proberecorder.moc"
