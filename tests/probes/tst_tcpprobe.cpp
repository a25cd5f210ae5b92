// TCP connect probes through the real engine against the test server's listening port on
// 127.0.0.1: a connect is timed and counted by the server, a closed port is refused, a name
// under .invalid fails to resolve, each without hanging.

#include "probes/proberun.h"
#include "support/httptestserver.h"

#include <QTest>

#include <mutex>

using namespace lundi;
using namespace lundi::test;
using namespace std::chrono_literals;

class TestTcpProbe : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void connectsAndTimes()
    {
        HttpTestServer server;
        ProbeEngine engine;
        const auto result = connectTcp(engine, {"127.0.0.1", std::to_string(server.port()), 5s});
        QVERIFY(result);
        QVERIFY2(result->ok, result->error.c_str());
        QCOMPARE(result->errorClass, ProbeErrorClass::None);
        QCOMPARE(result->address, "127.0.0.1:" + std::to_string(server.port()));
        QVERIFY(result->connectNs > 0);
        QVERIFY(result->resolveNs >= 0);
        QVERIFY(result->totalNs >= result->resolveNs + result->connectNs);
        QVERIFY(result->totalNs < 5'000'000'000);
        QTRY_COMPARE(server.connectionCount(), 1); // the server accepted it
    }

    void scheduledConnects()
    {
        HttpTestServer server;
        ProbeEngine engine;
        std::mutex mutex;
        std::vector<TcpResult> results;
        QStringList targets;
        TcpProbeConfig config;
        config.request = {"127.0.0.1", std::to_string(server.port()), 5s};
        config.schedule.interval = 50ms;
        config.schedule.count = 3;
        TcpProbe probe(engine, config, [&](const QString& target, const TcpResult& result) {
            const std::lock_guard lock(mutex);
            targets.append(target);
            results.push_back(result);
        });
        QCOMPARE(probe.target(), QStringLiteral("127.0.0.1:%1").arg(server.port()));
        probe.start();
        probe.wait();
        const std::lock_guard lock(mutex);
        QCOMPARE(results.size(), size_t(3));
        QCOMPARE(targets.count(probe.target()), 3);
        for (const TcpResult& result : results)
            QVERIFY2(result.ok, result.error.c_str());
        QVERIFY(results[0].startNs < results[1].startNs && results[1].startNs < results[2].startNs);
        QTRY_COMPARE(server.connectionCount(), 3);
        QCOMPARE(probe.scheduler().stats().runs, qint64(3));
    }

    void failures_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("errorClass");
        QTest::newRow("refused") << QStringLiteral("127.0.0.1") << int(closedLoopbackPort())
                                 << QStringLiteral("refused");
        QTest::newRow("dns") << QStringLiteral("no-such-host.invalid") << 80 << QStringLiteral("dns");
    }

    void failures()
    {
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, errorClass);
        ProbeEngine engine;
        const auto started = std::chrono::steady_clock::now();
        const auto result = connectTcp(engine, {host.toStdString(), std::to_string(port), 5s});
        QVERIFY(result);
        QVERIFY(!result->ok);
        QCOMPARE(QString::fromLatin1(probeErrorClassName(result->errorClass)), errorClass);
        QVERIFY(!result->error.empty());
        QVERIFY(std::chrono::steady_clock::now() - started < 10s);
    }
};

QTEST_GUILESS_MAIN(TestTcpProbe)
#include "tst_tcpprobe.moc"
