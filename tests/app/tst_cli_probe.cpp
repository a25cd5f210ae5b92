// lundi-cli probe end to end against the HTTP(S) test server on 127.0.0.1: each --json line has
// the contract's keys with the values the server's own record allows; failures carry their
// class; the incident then holds one source whose spans and series say what the lines said;
// secrets given on the command line reach the server and nothing else (output or file).

#include "clirun.h"
#include "store/store.h"
#include "support/httptestserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace lundi;
using namespace lundi::test;

namespace {

const QStringList ContractKeys{QStringLiteral("target"),   QStringLiteral("ok"),
                               QStringLiteral("status"),   QStringLiteral("phases"),
                               QStringLiteral("total_ns"), QStringLiteral("error_class"),
                               QStringLiteral("error")};
const QStringList Phases{QStringLiteral("resolve"), QStringLiteral("connect"), QStringLiteral("tls"),
                         QStringLiteral("processing"), QStringLiteral("transfer")};

// Each line of the output as a JSON object; a line that is not one fails the test that checks
// the count (it is left out).
QList<QJsonObject> jsonLines(const QByteArray& out)
{
    QList<QJsonObject> lines;
    for (const QByteArray& line : out.split('\n')) {
        if (!line.isEmpty() && parseJson(line).isObject())
            lines.append(parseJson(line).object());
    }
    return lines;
}

// Whether a line has every key of the contract, each of the type it promises.
bool followsTheContract(const QJsonObject& line)
{
    for (const QString& key : ContractKeys) {
        if (!line.contains(key))
            return false;
    }
    const QJsonObject phases = line.value(QStringLiteral("phases")).toObject();
    return line.value(QStringLiteral("target")).isString() && line.value(QStringLiteral("ok")).isBool() &&
           line.value(QStringLiteral("total_ns")).isDouble() && phases.size() >= Phases.size() &&
           std::all_of(Phases.begin(), Phases.end(),
                       [&](const QString& p) { return phases.value(p).isDouble(); }) &&
           (line.value(QStringLiteral("error_class")).isNull() ||
            line.value(QStringLiteral("error_class")).isString());
}

qint64 phase(const QJsonObject& line, const QString& name)
{
    return line.value(QStringLiteral("phases")).toObject().value(name).toInteger();
}

// A series of the incident by name and labels, or nullopt.
std::optional<Series> seriesNamed(const Store& store, const QString& name, const QJsonObject& labels)
{
    for (const Series& series : store.series()) {
        if (series.name == name && QJsonDocument::fromJson(series.labelsJson).object() == labels)
            return series;
    }
    return std::nullopt;
}

QString randomSecret()
{
    return QString::number(QRandomGenerator::system()->generate64(), 36) +
           QString::number(QRandomGenerator::system()->generate64(), 36);
}

} // namespace

class TestCliProbe : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void httpLinesAndTheirSource()
    {
        HttpTestServer server;
        QTemporaryDir folder;
        const QString db = folder.filePath(QStringLiteral("probe.lundi"));
        const QString url = QString::fromStdString(server.url("/trickle?chunks=2&ms=50&delay=100"));
        const CliRun run =
            cli({QStringLiteral("probe"), QStringLiteral("http"), url, QStringLiteral("--count"),
                 QStringLiteral("3"), QStringLiteral("--every"), QStringLiteral("100ms"),
                 QStringLiteral("--json"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, run.err.constData());
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(run.out.count('\n'), 3);
        const std::vector<TestExchange> exchanges = server.exchanges();
        QCOMPARE(exchanges.size(), size_t(3)); // one request a line
        for (int i = 0; i < 3; ++i) {
            const QJsonObject& line = lines[i];
            QVERIFY2(followsTheContract(line),
                     QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
            QCOMPARE(line.value(QStringLiteral("target")).toString(), url);
            QCOMPARE(line.value(QStringLiteral("ok")).toBool(), true);
            QCOMPARE(line.value(QStringLiteral("status")).toInt(), 200);
            QVERIFY(line.value(QStringLiteral("error_class")).isNull());
            QVERIFY(line.value(QStringLiteral("error")).isNull());
            QCOMPARE(phase(line, QStringLiteral("tls")), qint64(0));
            QVERIFY(phase(line, QStringLiteral("connect")) > 0);
            // Less 1 ms for libcurl's clock against the server's (tst_httpprobe says more).
            QVERIFY(phase(line, QStringLiteral("processing")) >=
                    exchanges[size_t(i)].firstByteDelay.count() - 1'000'000);
            QVERIFY(phase(line, QStringLiteral("transfer")) >= exchanges[size_t(i)].bodyTime.count() / 2);
            qint64 sum = 0;
            for (const QString& p : Phases)
                sum += phase(line, p);
            QVERIFY(sum <= line.value(QStringLiteral("total_ns")).toInteger());
        }

        Store store(db);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].format, QStringLiteral("probe-http"));
        QCOMPARE(sources[0].origin, url);
        const QList<Track> tracks = store.tracks();
        QCOMPARE(tracks.size(), 1);
        QCOMPARE(tracks[0].kind, TrackKind::Probe);
        QCOMPARE(tracks[0].name, url);

        // A trace a line: the root "GET URL" and its phases end to end, as long as the line says.
        const std::vector<Span> spans = store.spansOfTrack(tracks[0].id);
        std::vector<Span> roots;
        std::copy_if(spans.begin(), spans.end(), std::back_inserter(roots),
                     [](const Span& s) { return !s.parent; });
        QCOMPARE(roots.size(), size_t(3));
        std::sort(roots.begin(), roots.end(),
                  [](const Span& a, const Span& b) { return a.startNs < b.startNs; });
        for (int i = 0; i < 3; ++i) {
            const Span& root = roots[size_t(i)];
            const QJsonObject& line = lines[i];
            QCOMPARE(root.name, QStringLiteral("GET ") + url);
            QCOMPARE(root.durNs, line.value(QStringLiteral("total_ns")).toInteger());
            const QJsonObject attributes = QJsonDocument::fromJson(root.attributesJson).object();
            QCOMPARE(attributes.value(QStringLiteral("probe.target")).toString(), url);
            QCOMPARE(attributes.value(QStringLiteral("http.response.status_code")).toInt(), 200);
            std::vector<Span> children;
            std::copy_if(spans.begin(), spans.end(), std::back_inserter(children),
                         [&](const Span& s) { return s.parent == root.id; });
            std::sort(children.begin(), children.end(),
                      [](const Span& a, const Span& b) { return a.startNs < b.startNs; });
            QStringList expectedNames;
            for (const QString& p : Phases) {
                if (phase(line, p) > 0)
                    expectedNames.append(p);
            }
            QStringList names;
            for (size_t c = 0; c < children.size(); ++c) {
                names.append(children[c].name);
                QCOMPARE(children[c].durNs, phase(line, children[c].name));
                if (c > 0)
                    QCOMPARE(children[c].startNs, children[c - 1].startNs + children[c - 1].durNs);
            }
            QCOMPARE(names, expectedNames);
            QVERIFY(names.contains(QStringLiteral("processing")) &&
                    names.contains(QStringLiteral("transfer")));
            QCOMPARE(children.back().startNs + children.back().durNs, root.startNs + root.durNs);
        }

        // blackbox_exporter's series, a sample a line, labelled with the target.
        const QJsonObject target{{QStringLiteral("target"), url}};
        const auto values = [&](const QString& name, QJsonObject labels) {
            std::vector<double> result;
            const std::optional<Series> series = seriesNamed(store, name, labels);
            if (series) {
                for (const Sample& sample : store.samples(series->id))
                    result.push_back(sample.value);
            }
            return result;
        };
        QCOMPARE(values(QStringLiteral("probe_success"), target), std::vector<double>(3, 1.0));
        QCOMPARE(values(QStringLiteral("probe_http_status_code"), target), std::vector<double>(3, 200.0));
        const std::vector<double> durations = values(QStringLiteral("probe_duration_seconds"), target);
        QCOMPARE(durations.size(), size_t(3));
        QJsonObject processing = target;
        processing.insert(QStringLiteral("phase"), QStringLiteral("processing"));
        const std::vector<double> processingSeconds =
            values(QStringLiteral("probe_http_duration_seconds"), processing);
        QCOMPARE(processingSeconds.size(), size_t(3));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(qRound64(durations[size_t(i)] * 1e9),
                     lines[i].value(QStringLiteral("total_ns")).toInteger());
            QCOMPARE(qRound64(processingSeconds[size_t(i)] * 1e9),
                     phase(lines[i], QStringLiteral("processing")));
        }
        for (const QString& p : Phases) {
            QJsonObject labels = target;
            labels.insert(QStringLiteral("phase"), p);
            QCOMPARE(values(QStringLiteral("probe_http_duration_seconds"), labels).size(), size_t(3));
        }
    }

    void httpsReportsTlsAndCertificateExpiry()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        QTemporaryDir folder;
        const QString db = folder.filePath(QStringLiteral("tls.lundi"));
        const QString url = QString::fromStdString(server.url("/status/200"));
        const CliRun run =
            cli({QStringLiteral("probe"), QStringLiteral("http"), url, QStringLiteral("--count"),
                 QStringLiteral("1"), QStringLiteral("--cacert"), QString::fromStdString(server.caFile()),
                 QStringLiteral("--json"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, run.err.constData());
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 1);
        QVERIFY(followsTheContract(lines[0]));
        QVERIFY(phase(lines[0], QStringLiteral("tls")) > 0);
        QCOMPARE(server.requestCount("/status/200"), 1);

        Store store(db);
        const QJsonObject target{{QStringLiteral("target"), url}};
        const std::optional<Series> expiry =
            seriesNamed(store, QStringLiteral("probe_ssl_earliest_cert_expiry"), target);
        QVERIFY(expiry);
        const std::vector<Sample> samples = store.samples(expiry->id);
        QCOMPARE(samples.size(), size_t(1));
        QCOMPARE(qint64(samples[0].value),
                 qint64(HttpTestServer::certificateNotAfter().time_since_epoch().count()));
        QJsonObject version = target;
        version.insert(QStringLiteral("version"),
                       QString::fromStdString(server.exchanges().at(0).tlsVersion));
        const std::optional<Series> tlsVersion =
            seriesNamed(store, QStringLiteral("probe_tls_version_info"), version);
        QVERIFY2(tlsVersion, server.exchanges().at(0).tlsVersion.c_str());
        QCOMPARE(store.samples(tlsVersion->id).size(), size_t(1));
        QCOMPARE(store.samples(tlsVersion->id).front().value, 1.0);

        // Without the CA file the same server is not trusted.
        const CliRun untrusted =
            cli({QStringLiteral("probe"), QStringLiteral("http"), url, QStringLiteral("--count"),
                 QStringLiteral("1"), QStringLiteral("--json"), QStringLiteral("--db"),
                 folder.filePath(QStringLiteral("untrusted.lundi"))});
        QCOMPARE(untrusted.status, 1);
        const QList<QJsonObject> failed = jsonLines(untrusted.out);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed[0].value(QStringLiteral("error_class")).toString(), QStringLiteral("tls"));
        QCOMPARE(server.requestCount("/status/200"), 1);
    }

    void failureLines_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("errorClass");
        QTest::addColumn<int>("status");
        QTest::newRow("500") << QStringLiteral("/status/500") << QStringLiteral("http_status") << 500;
        QTest::newRow("reset") << QStringLiteral("/reset") << QStringLiteral("reset") << 200;
        QTest::newRow("refused") << QString() << QStringLiteral("refused") << 0;
    }

    void failureLines()
    {
        QFETCH(QString, path);
        QFETCH(QString, errorClass);
        QFETCH(int, status);
        HttpTestServer server;
        QTemporaryDir folder;
        const QString db = folder.filePath(QStringLiteral("failures.lundi"));
        const QString url = path.isEmpty() ? QStringLiteral("http://127.0.0.1:%1/").arg(closedLoopbackPort())
                                           : QString::fromStdString(server.url(path.toStdString()));
        const CliRun run = cli({QStringLiteral("probe"), QStringLiteral("http"), url,
                                QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--every"),
                                QStringLiteral("50ms"), QStringLiteral("--timeout"), QStringLiteral("5s"),
                                QStringLiteral("--json"), QStringLiteral("--db"), db});
        QCOMPARE(run.status, 1); // a failed probe fails the command
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(int(server.exchanges().size()), path.isEmpty() ? 0 : 2);
        for (const QJsonObject& line : lines) {
            QVERIFY(followsTheContract(line));
            QCOMPARE(line.value(QStringLiteral("ok")).toBool(), false);
            QCOMPARE(line.value(QStringLiteral("status")).toInt(), status);
            QCOMPARE(line.value(QStringLiteral("error_class")).toString(), errorClass);
            QVERIFY(!line.value(QStringLiteral("error")).toString().isEmpty());
        }

        Store store(db);
        QCOMPARE(store.sources().size(), 1);
        const QJsonObject target{{QStringLiteral("target"), url}};
        const std::optional<Series> success = seriesNamed(store, QStringLiteral("probe_success"), target);
        QVERIFY(success);
        QCOMPARE(store.samples(success->id).size(), size_t(2));
        for (const Sample& sample : store.samples(success->id))
            QCOMPARE(sample.value, 0.0);
        int roots = 0;
        for (const Span& span : store.spansOfTrack(store.tracks().at(0).id)) {
            if (span.parent)
                continue;
            ++roots;
            QCOMPARE(span.status, SpanStatus::Error);
            const QJsonObject attributes = QJsonDocument::fromJson(span.attributesJson).object();
            QCOMPARE(attributes.value(QStringLiteral("probe.error_class")).toString(), errorClass);
            QCOMPARE(attributes.value(QStringLiteral("probe.error")).toString(),
                     lines[0].value(QStringLiteral("error")).toString());
        }
        QCOMPARE(roots, 2);
    }

    void secretsReachOnlyTheServer()
    {
        HttpTestServer server;
        QTemporaryDir folder;
        const QString db = folder.filePath(QStringLiteral("secrets.lundi"));
        const QString bearer = randomSecret();
        const QString token = randomSecret();
        const QString password = randomSecret();
        const QString url = QStringLiteral("http://sre:%1@127.0.0.1:%2/echo?token=%3")
                                .arg(password)
                                .arg(server.port())
                                .arg(token);
        const CliRun run =
            cli({QStringLiteral("probe"), QStringLiteral("http"), url, QStringLiteral("--count"),
                 QStringLiteral("2"), QStringLiteral("--every"), QStringLiteral("50ms"),
                 QStringLiteral("--header"), QStringLiteral("Authorization: Bearer ") + bearer,
                 QStringLiteral("--json"), QStringLiteral("--db"), db});
        QVERIFY2(run.status == 0, run.err.constData());
        QCOMPARE(server.requestCount("/echo"), 2);
        for (const TestExchange& exchange : server.exchanges()) {
            QCOMPARE(QString::fromStdString(exchange.request.header("Authorization")),
                     QStringLiteral("Bearer ") + bearer);
            QCOMPARE(QString::fromStdString(exchange.request.parameter("token")), token);
        }
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].value(QStringLiteral("target")).toString(),
                 QStringLiteral("http://REDACTED@127.0.0.1:%1/echo?token=REDACTED").arg(server.port()));

        QByteArrayList outputs{run.out, run.err};
        for (const QFileInfo& file : QDir(folder.path()).entryInfoList(QDir::Files)) {
            QFile f(file.filePath());
            QVERIFY(f.open(QIODevice::ReadOnly));
            outputs.append(f.readAll());
        }
        QVERIFY(outputs.size() >= 3);
        for (const QByteArray& bytes : outputs) {
            for (const QString& secret : {bearer, token, password})
                QVERIFY(!bytes.contains(secret.toUtf8()));
        }
        Store store(db);
        QCOMPARE(store.sources().at(0).origin, lines[0].value(QStringLiteral("target")).toString());
    }

    void tcpLines()
    {
        HttpTestServer server;
        QTemporaryDir folder;
        const QString target = QStringLiteral("127.0.0.1:%1").arg(server.port());
        const CliRun run = cli({QStringLiteral("probe"), QStringLiteral("tcp"), target,
                                QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--every"),
                                QStringLiteral("50ms"), QStringLiteral("--json"), QStringLiteral("--db"),
                                folder.filePath(QStringLiteral("tcp.lundi"))});
        QVERIFY2(run.status == 0, run.err.constData());
        const QList<QJsonObject> lines = jsonLines(run.out);
        QCOMPARE(lines.size(), 2);
        for (const QJsonObject& line : lines) {
            QVERIFY(followsTheContract(line));
            QCOMPARE(line.value(QStringLiteral("target")).toString(), target);
            QCOMPARE(line.value(QStringLiteral("ok")).toBool(), true);
            QVERIFY(phase(line, QStringLiteral("connect")) > 0);
            QVERIFY(line.value(QStringLiteral("error_class")).isNull());
        }
        QTRY_COMPARE(server.connectionCount(), 2);

        const CliRun refused =
            cli({QStringLiteral("probe"), QStringLiteral("tcp"),
                 QStringLiteral("127.0.0.1:%1").arg(closedLoopbackPort()), QStringLiteral("--count"),
                 QStringLiteral("1"), QStringLiteral("--json"), QStringLiteral("--db"),
                 folder.filePath(QStringLiteral("refused.lundi"))});
        QCOMPARE(refused.status, 1);
        QCOMPARE(jsonLines(refused.out).size(), 1);
        QCOMPARE(jsonLines(refused.out)[0].value(QStringLiteral("error_class")).toString(),
                 QStringLiteral("refused"));
    }
};

QTEST_GUILESS_MAIN(TestCliProbe)
#include "tst_cli_probe.moc"
