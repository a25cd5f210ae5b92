// HTTP probes through the real engine (libcurl on the Boost.Asio thread) against the test
// server on 127.0.0.1: the phases measured hold the delays the server applied, statuses and
// redirects are judged as configured, TLS is verified with the CA file (or explicitly not), and
// every fault ends as a failed result of the right class while the engine goes on probing the
// other targets. The HTTP/2 exchange runs against nghttpd (Debian's nghttp2-server), since the
// test server speaks HTTP/1.1 only. Bounds: lower bounds are what the server recorded (a client
// cannot see a byte before it is sent); upper bounds are loose, for a loaded 2-core machine under
// ASan.

#include "httpprobe.h"
#include "probes/proberun.h"
#include "support/httptestserver.h"
#include "support/testcertificate.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <mutex>
#include <thread>

using namespace lundi;
using namespace lundi::test;
using namespace std::chrono_literals;
using std::chrono::nanoseconds;

Q_DECLARE_METATYPE(lundi::ProbeErrorClass)

namespace {

// How much later than the server's own record a phase may end on a loaded machine.
constexpr nanoseconds Slack = 3s;
// How much shorter: libcurl's own monotonic clock, in microseconds, against the server's
// steady_clock.
constexpr nanoseconds ClockSlack = 1ms;

qint64 sumOfPhases(const HttpPhases& p)
{
    return p.resolveNs + p.connectNs + p.tlsNs + p.processingNs + p.transferNs;
}

std::string text(ProbeErrorClass errorClass)
{
    return probeErrorClassName(errorClass);
}

// nghttpd, the HTTP/2 server of Debian's nghttp2-server (which scripts/dev installs), on a free
// loopback port, serving the files of a temporary folder: over TLS with a TestCertificate, where
// it accepts only h2 in ALPN, or in cleartext, where it speaks h2c with prior knowledge only.
class Nghttpd
{
  public:
    enum class Tls { Off, On };

    explicit Nghttpd(Tls tls) : m_tls(tls) {}
    Nghttpd(const Nghttpd&) = delete;
    Nghttpd& operator=(const Nghttpd&) = delete;

    ~Nghttpd()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10'000)) {
            m_process.kill();
            m_process.waitForFinished(5'000);
        }
    }

    // Far from HttpTestServer's, so that an expiry read back is this certificate's.
    static std::chrono::sys_seconds certificateNotAfter()
    {
        using namespace std::chrono;
        return sys_days(year(2032) / July / 8) + hours(9) + minutes(10) + seconds(11);
    }

    // Writes the files, starts nghttpd and waits (bounded) until it accepts connections: an
    // empty string once it does, else why not.
    QString start(ProbeEngine& engine, const QMap<QString, QByteArray>& files)
    {
        QString nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"));
        if (nghttpd.isEmpty()) // Debian puts it in /usr/sbin, not on a user's PATH
            nghttpd =
                QStandardPaths::findExecutable(QStringLiteral("nghttpd"), {QStringLiteral("/usr/sbin")});
        if (nghttpd.isEmpty())
            return QStringLiteral("nghttpd is not installed (scripts/dev deps installs nghttp2-server)");
        if (!m_dir.isValid() || !QDir(m_dir.path()).mkdir(QStringLiteral("htdocs")))
            return QStringLiteral("no temporary folder");
        for (auto file = files.begin(); file != files.end(); ++file) {
            if (!write(QStringLiteral("htdocs/") + file.key(), file.value()))
                return QStringLiteral("cannot write ") + file.key();
        }
        m_port = closedLoopbackPort();
        QStringList arguments{QStringLiteral("--address=127.0.0.1"),
                              QStringLiteral("--htdocs=") + m_dir.filePath(QStringLiteral("htdocs")),
                              QString::number(m_port)};
        if (m_tls == Tls::On) {
            const TestCertificate certificate(certificateNotAfter());
            if (!write(QStringLiteral("key.pem"), QByteArray::fromStdString(certificate.privateKeyPem())) ||
                !write(QStringLiteral("certificate.pem"),
                       QByteArray::fromStdString(certificate.certificatePem())))
                return QStringLiteral("cannot write the key and certificate");
            arguments << m_dir.filePath(QStringLiteral("key.pem"))
                      << m_dir.filePath(QStringLiteral("certificate.pem"));
        } else {
            arguments.prepend(QStringLiteral("--no-tls"));
        }
        // To a file, not a pipe nobody reads, for the message when it does not come up.
        const QString log = m_dir.filePath(QStringLiteral("nghttpd.log"));
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(log);
        m_process.start(nghttpd, arguments);
        if (!m_process.waitForStarted(10'000))
            return m_process.errorString();
        const QDeadlineTimer deadline(30'000);
        while (m_process.state() == QProcess::Running && !deadline.hasExpired()) {
            const auto connected = connectTcp(engine, {"127.0.0.1", std::to_string(m_port), 1s});
            if (connected && connected->ok)
                return {};
            std::this_thread::sleep_for(50ms);
        }
        QFile output(log);
        return QStringLiteral("nghttpd did not accept connections within 30 s: ") +
               (output.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(output.readAll()) : QString());
    }

    std::string url(const std::string& path) const
    {
        return (m_tls == Tls::On ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(m_port) +
               path;
    }
    std::string caFile() const { return m_dir.filePath(QStringLiteral("certificate.pem")).toStdString(); }

  private:
    bool write(const QString& name, const QByteArray& bytes)
    {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
    }

    Tls m_tls;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace

Q_DECLARE_METATYPE(Nghttpd::Tls)

class TestHttpProbe : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void phasesHoldTheServersDelays()
    {
        HttpTestServer server;
        ProbeEngine engine;
        const auto result =
            fetch(engine, getRequest(server.url("/trickle?chunks=4&ms=100&bytes=64&delay=300")));
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(result->status, 200);
        QCOMPARE(result->errorClass, ProbeErrorClass::None);
        QCOMPARE(result->bodyBytes, qint64(4 * 64));
        QVERIFY(result->body.empty()); // a probe only counts the body
        QCOMPARE(result->httpVersion, std::string("HTTP/1.1"));
        QVERIFY(result->tlsVersion.empty());
        QVERIFY(!result->certificateExpiryNs);

        QCOMPARE(server.requestCount("/trickle"), 1);
        const TestExchange exchange = server.exchanges().at(0);
        QVERIFY(exchange.firstByteDelay >= 300ms);
        QVERIFY(exchange.bodyTime >= 400ms);
        const HttpPhases& phases = result->phases;
        // Processing spans the server's wait; transfer all but the client's lag on the first
        // byte (under load, up to half the trickle), which processing then holds.
        QVERIFY2(phases.processingNs >= (exchange.firstByteDelay - ClockSlack).count(),
                 QByteArray::number(phases.processingNs));
        QVERIFY2(phases.processingNs <= (exchange.firstByteDelay + Slack).count(),
                 QByteArray::number(phases.processingNs));
        QVERIFY2(phases.transferNs >= exchange.bodyTime.count() / 2, QByteArray::number(phases.transferNs));
        QVERIFY(phases.processingNs + phases.transferNs >=
                (exchange.firstByteDelay + exchange.bodyTime - ClockSlack).count());
        QVERIFY2(phases.transferNs <= (exchange.bodyTime + Slack).count(),
                 QByteArray::number(phases.transferNs));
        QCOMPARE(phases.tlsNs, qint64(0));
        QVERIFY(phases.resolveNs >= 0 && phases.connectNs > 0);
        // End to end: together the phases are the request's time, but for libcurl's own steps
        // between connecting and sending.
        QVERIFY(sumOfPhases(phases) <= result->totalNs);
        QVERIFY2(result->totalNs - sumOfPhases(phases) < 100'000'000, QByteArray::number(result->totalNs));
        const qint64 now =
            std::chrono::duration_cast<nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        QVERIFY(result->startNs <= now - result->totalNs);
        QVERIFY(result->startNs > now - 60'000'000'000);
    }

    void sendsTheRequestAsConfigured()
    {
        HttpTestServer server;
        ProbeEngine engine;
        HttpRequest request = getRequest(server.url("/echo?q=1"));
        request.method = "POST";
        request.body = "{\"prompt\":\"hello\"}";
        request.headers = {{"Content-Type", "application/json"}, {"X-Probe", "lundi"}};
        request.keepBody = true;
        const auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(server.requestCount("/echo"), 1);
        const TestRequest seen = server.exchanges().at(0).request;
        QCOMPARE(seen.method, std::string("POST"));
        QCOMPARE(seen.target, std::string("/echo?q=1"));
        QCOMPARE(seen.body, request.body);
        QCOMPARE(seen.header("X-Probe"), std::string("lundi"));
        QCOMPARE(seen.header("Content-Type"), std::string("application/json"));
        // keepBody hands back the body: the server's echo of the request
        QVERIFY(result->body.starts_with("POST /echo?q=1\n"));
        QCOMPARE(result->bodyBytes, qint64(result->body.size()));
    }

    void statuses_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QList<int>>("expected");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("ok");
        QTest::newRow("200 is 2xx") << QStringLiteral("/status/200") << QList<int>{} << 200 << true;
        QTest::newRow("204 is 2xx") << QStringLiteral("/status/204") << QList<int>{} << 204 << true;
        QTest::newRow("500 fails") << QStringLiteral("/status/500") << QList<int>{} << 500 << false;
        QTest::newRow("503 fails") << QStringLiteral("/status/503") << QList<int>{} << 503 << false;
        QTest::newRow("404 expected") << QStringLiteral("/status/404") << QList<int>{404, 410} << 404 << true;
        QTest::newRow("200 not the expected 201")
            << QStringLiteral("/status/200") << QList<int>{201} << 200 << false;
        QTest::newRow("302 not followed is no 2xx")
            << QStringLiteral("/redirect") << QList<int>{} << 302 << false;
    }

    void statuses()
    {
        QFETCH(QString, path);
        QFETCH(QList<int>, expected);
        QFETCH(int, status);
        QFETCH(bool, ok);
        HttpTestServer server;
        ProbeEngine engine;
        HttpRequest request = getRequest(server.url(path.toStdString()));
        request.expectedStatus.assign(expected.begin(), expected.end());
        const auto result = fetch(engine, request);
        QVERIFY(result);
        QCOMPARE(result->status, status);
        QCOMPARE(result->ok, ok);
        QCOMPARE(text(result->errorClass), text(ok ? ProbeErrorClass::None : ProbeErrorClass::HttpStatus));
        QCOMPARE(result->error.empty(), ok);
        if (!ok) // the sentence names the status it got
            QVERIFY2(result->error.find(std::to_string(status)) != std::string::npos, result->error.c_str());
        QCOMPARE(server.exchanges().size(), size_t(1));
    }

    void redirectsFollowedOrNot()
    {
        HttpTestServer server;
        ProbeEngine engine;
        HttpRequest request = getRequest(server.url("/redirect?to=/delay/20"));
        request.followRedirects = true;
        auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(result->status, 200);
        QCOMPARE(server.requestCount("/redirect"), 1);
        QCOMPARE(server.requestCount("/delay/20"), 1);

        request.followRedirects = false;
        result = fetch(engine, request);
        QVERIFY(result);
        QCOMPARE(result->status, 302);
        QCOMPARE(server.requestCount("/redirect"), 2);
        QCOMPARE(server.requestCount("/delay/20"), 1); // not followed
        request.expectedStatus = {302};
        result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY(result->ok);
    }

    void tlsVerifiedWithTheCaFile()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        ProbeEngine engine;
        HttpRequest request = getRequest(server.url("/delay/50"));
        request.caFile = server.caFile();
        const auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(result->status, 200);
        QCOMPARE(server.requestCount("/delay/50"), 1);
        const TestExchange exchange = server.exchanges().at(0);
        QVERIFY(exchange.tls);
        QCOMPARE(result->tlsVersion, exchange.tlsVersion); // as the server negotiated it
        QVERIFY(result->tlsVersion.starts_with("TLSv1."));
        QVERIFY(result->certificateExpiryNs);
        QCOMPARE(*result->certificateExpiryNs,
                 qint64(std::chrono::duration_cast<nanoseconds>(
                            HttpTestServer::certificateNotAfter().time_since_epoch())
                            .count()));
        QVERIFY(result->phases.tlsNs > 0);
        QVERIFY(result->phases.processingNs >= (exchange.firstByteDelay - ClockSlack).count());
        QVERIFY(result->phases.processingNs <= (exchange.firstByteDelay + Slack).count());
        QCOMPARE(result->httpVersion, std::string("HTTP/1.1"));
    }

    void tlsNotTrustedWithoutTheCaFile()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        ProbeEngine engine;
        const auto result = fetch(engine, getRequest(server.url("/status/200")));
        QVERIFY(result);
        QVERIFY(!result->ok);
        QCOMPARE(text(result->errorClass), text(ProbeErrorClass::Tls));
        QCOMPARE(result->status, 0);
        QVERIFY(!result->error.empty());
        QVERIFY(server.connectionCount() >= 1);         // it got as far as the handshake
        QCOMPARE(server.exchanges().size(), size_t(0)); // and sent no request
    }

    void insecureSwitchSkipsVerification()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        ProbeEngine engine;
        HttpRequest request = getRequest(server.url("/status/200"));
        request.verifyTls = false;
        const auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(result->status, 200);
        QCOMPARE(server.requestCount("/status/200"), 1);
        QCOMPARE(result->tlsVersion, server.exchanges().at(0).tlsVersion);
    }

    void http2IsOfferedOverTls()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        ProbeEngine engine;
        HttpRequest request = getRequest(server.url("/status/200"));
        request.caFile = server.caFile();
        request.version = HttpRequest::Version::Http2;
        auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        // The client asked for h2 in ALPN; the server, which picks HTTP/1.1, got its answer.
        QCOMPARE(server.exchanges().at(0).alpnOffered, std::string("h2,http/1.1"));
        QCOMPARE(result->httpVersion, std::string("HTTP/1.1"));

        request.version = HttpRequest::Version::Http1_1;
        result = fetch(engine, request);
        QVERIFY(result);
        QCOMPARE(server.exchanges().at(1).alpnOffered, std::string("http/1.1"));
    }

    void http2Exchange_data()
    {
        QTest::addColumn<Nghttpd::Tls>("tls");
        QTest::newRow("h2 over TLS") << Nghttpd::Tls::On;
        QTest::newRow("h2c, prior knowledge") << Nghttpd::Tls::Off;
    }

    // A whole exchange in HTTP/2 frames: a body over several DATA frames and past the initial
    // flow-control window (64 KiB) arrives whole, the status comes from :status, and the phases
    // are measured as over HTTP/1.1.
    void http2Exchange()
    {
        QFETCH(Nghttpd::Tls, tls);
        QByteArray file(200'000, '\0');
        for (qsizetype i = 0; i < file.size(); ++i)
            file[i] = char(i * 7 % 251);
        ProbeEngine engine;
        Nghttpd server(tls);
        const QString why = server.start(engine, {{QStringLiteral("file.bin"), file}});
        QVERIFY2(why.isEmpty(), qPrintable(why));

        HttpRequest request = getRequest(server.url("/file.bin"));
        request.version = HttpRequest::Version::Http2;
        request.keepBody = true;
        if (tls == Nghttpd::Tls::On)
            request.caFile = server.caFile();
        auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(result->httpVersion, std::string("HTTP/2"));
        QCOMPARE(result->status, 200);
        QCOMPARE(result->bodyBytes, qint64(file.size()));
        QVERIFY(result->body == file.toStdString());
        const HttpPhases& phases = result->phases;
        QVERIFY(phases.resolveNs >= 0 && phases.connectNs > 0 && phases.processingNs > 0);
        QVERIFY(phases.transferNs >= 0);
        QVERIFY(sumOfPhases(phases) <= result->totalNs);
        if (tls == Nghttpd::Tls::On) {
            QVERIFY(phases.tlsNs > 0);
            QVERIFY(result->tlsVersion.starts_with("TLSv1."));
            QVERIFY(result->certificateExpiryNs);
            QCOMPARE(*result->certificateExpiryNs,
                     qint64(std::chrono::duration_cast<nanoseconds>(
                                Nghttpd::certificateNotAfter().time_since_epoch())
                                .count()));
        } else {
            QCOMPARE(phases.tlsNs, qint64(0));
            QVERIFY(result->tlsVersion.empty());
            QVERIFY(!result->certificateExpiryNs);
        }

        request.url = server.url("/missing");
        request.keepBody = false;
        result = fetch(engine, request);
        QVERIFY(result);
        QCOMPARE(result->httpVersion, std::string("HTTP/2"));
        QCOMPARE(result->status, 404);
        QVERIFY(!result->ok);
        QCOMPARE(text(result->errorClass), text(ProbeErrorClass::HttpStatus));
    }

    // Version::Http1_1 offers only http/1.1 in ALPN: nghttpd, which takes only h2, completes the
    // handshake and then closes the connection without an answer. The probe fails as a reset after
    // a TLS phase, not as a TLS fault.
    void http1_1AgainstAnHttp2OnlyServer()
    {
        ProbeEngine engine;
        Nghttpd server(Nghttpd::Tls::On);
        const QString why = server.start(engine, {{QStringLiteral("index.html"), "hello"}});
        QVERIFY2(why.isEmpty(), qPrintable(why));
        HttpRequest request = getRequest(server.url("/index.html"));
        request.caFile = server.caFile();
        request.version = HttpRequest::Version::Http1_1;
        const auto result = fetch(engine, request);
        QVERIFY(result);
        QVERIFY(!result->ok);
        QCOMPARE(result->status, 0);
        QCOMPARE(text(result->errorClass), text(ProbeErrorClass::Reset));
        QVERIFY(!result->error.empty());
        QVERIFY(result->phases.tlsNs > 0);
    }

    void faults_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<qint64>("maxBodyBytes");
        QTest::addColumn<lundi::ProbeErrorClass>("errorClass");
        QTest::newRow("reset mid-body")
            << QStringLiteral("/reset?bytes=100") << 10'000 << qint64(1 << 20) << ProbeErrorClass::Reset;
        QTest::newRow("500") << QStringLiteral("/status/500") << 10'000 << qint64(1 << 20)
                             << ProbeErrorClass::HttpStatus;
        QTest::newRow("no answer") << QStringLiteral("/slow") << 500 << qint64(1 << 20)
                                   << ProbeErrorClass::Timeout;
        QTest::newRow("first byte too late")
            << QStringLiteral("/delay/5000") << 500 << qint64(1 << 20) << ProbeErrorClass::Timeout;
        QTest::newRow("body too long") << QStringLiteral("/trickle?chunks=4&ms=10&bytes=100") << 10'000
                                       << qint64(150) << ProbeErrorClass::Body;
    }

    void faults()
    {
        QFETCH(QString, path);
        QFETCH(int, timeoutMs);
        QFETCH(qint64, maxBodyBytes);
        QFETCH(lundi::ProbeErrorClass, errorClass);
        HttpTestServer server;
        ProbeEngine engine;
        HttpRequest request =
            getRequest(server.url(path.toStdString()), std::chrono::milliseconds(timeoutMs));
        request.maxBodyBytes = maxBodyBytes;
        const auto started = std::chrono::steady_clock::now();
        const auto result = fetch(engine, request);
        const auto took = std::chrono::steady_clock::now() - started;
        QVERIFY(result);
        QVERIFY(!result->ok);
        QCOMPARE(text(result->errorClass), text(errorClass));
        QVERIFY(!result->error.empty());
        QCOMPARE(server.exchanges().size(), size_t(1)); // the request reached the server
        if (errorClass == ProbeErrorClass::Timeout) {
            QVERIFY(result->totalNs >= nanoseconds(std::chrono::milliseconds(timeoutMs)).count());
            QVERIFY(took < std::chrono::milliseconds(timeoutMs) + Slack); // no hang past the timeout
        }
        if (errorClass == ProbeErrorClass::Reset)
            QVERIFY(server.exchanges().at(0).reset);
    }

    void networkFaults_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<lundi::ProbeErrorClass>("errorClass");
        QTest::newRow("dns") << QStringLiteral("http://no-such-host.invalid/") << ProbeErrorClass::Dns;
        QTest::newRow("refused") << QStringLiteral("http://127.0.0.1:%1/").arg(closedLoopbackPort())
                                 << ProbeErrorClass::Refused;
    }

    void networkFaults()
    {
        QFETCH(QString, url);
        QFETCH(lundi::ProbeErrorClass, errorClass);
        ProbeEngine engine;
        const auto started = std::chrono::steady_clock::now();
        const auto result = fetch(engine, getRequest(url.toStdString(), 5s));
        QVERIFY(result);
        QVERIFY(!result->ok);
        QCOMPARE(result->status, 0);
        QCOMPARE(text(result->errorClass), text(errorClass));
        QVERIFY(!result->error.empty());
        QVERIFY(std::chrono::steady_clock::now() - started < 5s + Slack);
    }

    // A healthy target's results keep coming, one a request the server answered, while another
    // target hangs until its timeout, and others fail at once.
    void engineKeepsProbingOtherTargets()
    {
        HttpTestServer server;
        ProbeEngine engine;
        std::mutex mutex;
        std::map<std::string, std::vector<HttpResult>> results;
        const auto onResult = [&](const QString& target, const HttpResult& result) {
            const std::lock_guard lock(mutex);
            results[target.toStdString()].push_back(result);
        };
        auto probe = [&](const char* target, std::string path, std::optional<qint64> count,
                         std::chrono::milliseconds timeout) {
            HttpProbeConfig config;
            config.target = QString::fromLatin1(target);
            config.request = getRequest(server.url(path), timeout);
            config.schedule.interval = 100ms;
            config.schedule.count = count;
            config.schedule.until = 2500ms;
            return std::make_unique<HttpProbe>(engine, config, onResult);
        };
        std::vector<std::unique_ptr<HttpProbe>> probes;
        probes.push_back(probe("hanging", "/slow", 1, 2000ms));
        probes.push_back(probe("healthy", "/delay/0", std::nullopt, 10s));
        probes.push_back(probe("resetting", "/reset", 3, 10s));
        probes.push_back(probe("failing", "/status/500", 3, 10s));
        for (const auto& p : probes)
            p->start();
        for (const auto& p : probes)
            p->wait();

        const std::lock_guard lock(mutex);
        QCOMPARE(results["hanging"].size(), size_t(1));
        const HttpResult& hung = results["hanging"].front();
        QCOMPARE(text(hung.errorClass), text(ProbeErrorClass::Timeout));
        for (const HttpResult& r : results["resetting"])
            QCOMPARE(text(r.errorClass), text(ProbeErrorClass::Reset));
        for (const HttpResult& r : results["failing"])
            QCOMPARE(text(r.errorClass), text(ProbeErrorClass::HttpStatus));
        QCOMPARE(results["resetting"].size(), size_t(3));
        QCOMPARE(results["failing"].size(), size_t(3));

        const std::vector<HttpResult>& healthy = results["healthy"];
        QCOMPARE(int(healthy.size()), server.requestCount("/delay/0")); // one result per request answered
        QCOMPARE(qint64(healthy.size()), probes[1]->scheduler().stats().runs);
        int duringTheHang = 0;
        for (const HttpResult& r : healthy) {
            QVERIFY2(r.ok, r.error.c_str());
            if (r.startNs > hung.startNs && r.startNs + r.totalNs < hung.startNs + hung.totalNs)
                ++duringTheHang;
        }
        // About 20 in the 2 s the other one hung; a loaded machine still manages a few.
        QVERIFY2(duringTheHang >= 5, QByteArray::number(duringTheHang));
    }
};

QTEST_GUILESS_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
