// HTTP probes through the real engine (libcurl on the Boost.Asio thread) against the test
// server on 127.0.0.1: the phases measured hold the delays the server applied, statuses and
// redirects are judged as configured, TLS is verified with the CA file (or explicitly not), and
// every fault ends as a failed result of the right class while the engine goes on probing the
// other targets. Bounds: lower bounds are what the server recorded (a client cannot see a byte
// before it is sent); upper bounds are loose, for a loaded 2-core machine under ASan.

#include "httpprobe.h"
#include "probes/proberun.h"
#include "support/httptestserver.h"

#include <QTest>

#include <map>
#include <mutex>

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

} // namespace

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
        // byte, which a quarter of the trickle covers.
        QVERIFY2(phases.processingNs >= (exchange.firstByteDelay - ClockSlack).count(),
                 QByteArray::number(phases.processingNs));
        QVERIFY2(phases.processingNs <= (exchange.firstByteDelay + Slack).count(),
                 QByteArray::number(phases.processingNs));
        QVERIFY2(phases.transferNs >= exchange.bodyTime.count() * 3 / 4,
                 QByteArray::number(phases.transferNs));
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

    void http2Exchange()
    {
        QSKIP("HttpTestServer speaks HTTP/1.1 only (Debian's stack here has no nghttp2 headers to "
              "build an h2 server): an HTTP/2 exchange end to end is not tested, only that h2 is "
              "offered in ALPN (http2IsOfferedOverTls)");
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
