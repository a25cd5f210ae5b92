// Secrets never reach the incident file: probes send an Authorization header, an API key header,
// a token in the query and a password in the URL's userinfo (the server confirms it got each),
// their results are recorded, and then no byte of the file, its WAL or its shared memory holds
// any of them, while the origin and the span names show REDACTED where they were.

#include "classifier.h"
#include "httpprobe.h"
#include "proberecorder.h"
#include "probes/proberun.h"
#include "store/store.h"
#include "support/httptestserver.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;
using namespace lundi::test;
using namespace std::chrono_literals;

namespace {

std::string randomSecret()
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
    return bytes.toHex().toStdString();
}

// Every file of the incident as it is on disk now: the database, and its -wal and -shm if any.
QList<QPair<QString, QByteArray>> incidentBytes(const QString& incidentPath)
{
    QList<QPair<QString, QByteArray>> files;
    const QFileInfo incident(incidentPath);
    for (const QFileInfo& file : incident.dir().entryInfoList({incident.fileName() + u'*'}, QDir::Files)) {
        QFile f(file.filePath());
        if (f.open(QIODevice::ReadOnly))
            files.append({file.fileName(), f.readAll()});
    }
    return files;
}

} // namespace

class TestProbeSecrets : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void secretsStayOutOfTheIncident()
    {
        const std::string bearer = randomSecret();
        const std::string apiKey = randomSecret();
        const std::string token = randomSecret();
        const std::string password = randomSecret();
        const QByteArray basic = QByteArray::fromStdString("prober:" + password).toBase64();

        HttpTestServer server;
        const std::string host = "127.0.0.1:" + std::to_string(server.port());
        const std::string withToken = "http://" + host + "/echo?token=" + token + "&model=llama";
        const std::string withPassword =
            "http://prober:" + password + '@' + host + "/status/500?access_token=" + token;
        const std::string refused = "http://prober:" + password +
                                    "@127.0.0.1:" + std::to_string(closedLoopbackPort()) +
                                    "/?apikey=" + apiKey;

        QTemporaryDir folder;
        const QString incident = folder.filePath(QStringLiteral("secrets.lundi"));
        const Classifier classifier = Classifier::standard();
        {
            ProbeEngine engine;
            ProbeRecorder recorder(incident, QStringLiteral("probe-http"), QString::fromStdString(withToken),
                                   classifier, 50ms);
            std::vector<std::unique_ptr<HttpProbe>> probes;
            for (const std::string& url : {withToken, withPassword, refused}) {
                HttpProbeConfig config;
                config.request = getRequest(url, 5s);
                if (url == withToken)
                    config.request.headers = {{"Authorization", "Bearer " + bearer}, {"X-Api-Key", apiKey}};
                config.schedule.interval = 50ms;
                config.schedule.count = 2;
                const HttpRequest request = config.request;
                probes.push_back(std::make_unique<HttpProbe>(
                    engine, config, [&recorder, request](const QString& target, const HttpResult& result) {
                        recorder.record(target, request, result);
                    }));
            }
            for (const auto& probe : probes) {
                // A target named after its URL is named without its secrets.
                QVERIFY2(!probe->target().contains(QString::fromStdString(password)) &&
                             !probe->target().contains(QString::fromStdString(token)) &&
                             !probe->target().contains(QString::fromStdString(apiKey)),
                         qPrintable(probe->target()));
                probe->start();
            }
            for (const auto& probe : probes)
                probe->wait();
            recorder.flush();
            QVERIFY(!recorder.error());
            QCOMPARE(recorder.recorded(), qint64(6));

            // The secrets did go out: the server got each of them.
            QCOMPARE(server.requestCount("/echo"), 2);
            QCOMPARE(server.requestCount("/status/500"), 2);
            for (const TestExchange& exchange : server.exchanges()) {
                QVERIFY(exchange.request.target.find(token) != std::string::npos);
                if (exchange.request.path == "/echo") {
                    QCOMPARE(exchange.request.header("Authorization"), "Bearer " + bearer);
                    QCOMPARE(exchange.request.header("X-Api-Key"), apiKey);
                } else {
                    QCOMPARE(exchange.request.header("Authorization"), "Basic " + basic.toStdString());
                }
            }
            checkNoSecretIn(incident, {bearer, apiKey, token, password, basic.toStdString()});
            if (QTest::currentTestFailed())
                return;
        }
        // Closed: what a checkpoint left in the file itself.
        checkNoSecretIn(incident, {bearer, apiKey, token, password, basic.toStdString()});

        Store store(incident);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].format, QStringLiteral("probe-http"));
        QCOMPARE(
            sources[0].origin,
            QStringLiteral("http://%1/echo?token=REDACTED&model=llama").arg(QString::fromStdString(host)));
        QVERIFY(sources[0].spanCount >= 6);
        int redactedNames = 0;
        for (const QString& string : store.strings())
            redactedNames +=
                string.startsWith(QStringLiteral("GET http")) && string.contains(QStringLiteral("REDACTED"));
        QVERIFY2(redactedNames >= 3, QByteArray::number(redactedNames)); // one root span name a target
    }

  private:
    void checkNoSecretIn(const QString& incident, const std::vector<std::string>& secrets)
    {
        const QList<QPair<QString, QByteArray>> files = incidentBytes(incident);
        QVERIFY(!files.isEmpty());
        qint64 bytes = 0;
        for (const auto& [name, content] : files) {
            bytes += content.size();
            for (const std::string& secret : secrets)
                QVERIFY2(!content.contains(QByteArray::fromStdString(secret)),
                         qPrintable(name + QStringLiteral(" holds a secret")));
        }
        QVERIFY(bytes > 0);
    }
};

QTEST_GUILESS_MAIN(TestProbeSecrets)
#include "tst_probesecrets.moc"
