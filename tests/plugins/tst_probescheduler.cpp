// ProbeScheduler on a real ProbeEngine: runs at an interval, never two at once, counted as late
// when a run outlasts its interval, and stops after a count, a duration or stop().

#include "probeengine.h"
#include "probescheduler.h"

#include <boost/asio/steady_timer.hpp>

#include <QTest>

#include <atomic>
#include <memory>

using namespace lundi;
using namespace std::chrono_literals;

namespace {

// A job that ends after a while on the engine's timer, as a request would, counting how many
// runs are in flight at once.
ProbeScheduler::Job slowJob(ProbeEngine& engine, std::chrono::milliseconds duration,
                            std::atomic<int>& inFlight, std::atomic<int>& mostInFlight)
{
    return [&engine, duration, &inFlight, &mostInFlight](std::function<void()> done) {
        mostInFlight = std::max(mostInFlight.load(), ++inFlight);
        auto timer = std::make_shared<boost::asio::steady_timer>(engine.context(), duration);
        timer->async_wait([timer, done, &inFlight](const boost::system::error_code&) {
            --inFlight;
            done();
        });
    };
}

} // namespace

class TestProbeScheduler : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void stopsAfterCount()
    {
        ProbeEngine engine;
        std::atomic<int> runs{0};
        std::atomic<int> finished{0};
        std::atomic<int> latenesses{0};
        std::atomic<int> negative{0};
        ProbeScheduler::Options options;
        options.interval = 5ms;
        options.count = 4;
        options.onFinished = [&] { ++finished; };
        options.onLateness = [&](qint64 latenessNs) {
            ++latenesses;
            negative += latenessNs < 0 ? 1 : 0;
        };
        ProbeScheduler scheduler(engine, options, [&](std::function<void()> done) {
            ++runs;
            done();
        });
        QVERIFY(!scheduler.finished());
        scheduler.start();
        scheduler.wait();
        QVERIFY(scheduler.finished());
        QCOMPARE(runs.load(), 4);
        QCOMPARE(latenesses.load(), 4);
        QCOMPARE(negative.load(), 0);
        QCOMPARE(finished.load(), 1);
        QCOMPARE(scheduler.stats().runs, 4);
    }

    void longRunsDelayTheNextNeverOverlap()
    {
        ProbeEngine engine;
        std::atomic<int> inFlight{0};
        std::atomic<int> mostInFlight{0};
        ProbeScheduler::Options options;
        options.interval = 10ms;
        options.phase = 0ms;
        options.jitter = 0ms;
        options.count = 3;
        // Each run lasts five intervals: the next waits for it, and the slots between are skipped.
        ProbeScheduler scheduler(engine, options, slowJob(engine, 50ms, inFlight, mostInFlight));
        scheduler.start();
        scheduler.wait();
        const ProbeScheduler::Stats stats = scheduler.stats();
        QCOMPARE(stats.runs, 3);
        QCOMPARE(mostInFlight.load(), 1);
        QCOMPARE(stats.late, 2);
        QVERIFY(stats.skipped >= 6);
    }

    void runsAtTheInterval()
    {
        ProbeEngine engine;
        std::vector<std::chrono::steady_clock::time_point> starts;
        ProbeScheduler::Options options;
        options.interval = 30ms;
        options.phase = 0ms;
        options.jitter = 0ms;
        options.count = 3;
        ProbeScheduler scheduler(engine, options, [&](std::function<void()> done) {
            starts.push_back(std::chrono::steady_clock::now());
            done();
        });
        const auto begun = std::chrono::steady_clock::now();
        scheduler.start();
        scheduler.wait();
        QCOMPARE(starts.size(), size_t(3));
        // Slots are fixed from the start: never earlier than their place (a loaded machine may
        // start them later, which is lateness, not a shorter interval).
        QVERIFY(starts[1] - begun >= 30ms);
        QVERIFY(starts[2] - begun >= 60ms);
    }

    void stopsAfterDuration()
    {
        ProbeEngine engine;
        std::atomic<int> runs{0};
        ProbeScheduler::Options options;
        options.interval = 20ms;
        options.phase = 0ms;
        options.jitter = 0ms;
        options.until = 50ms; // slots at 0, 20 and 40 ms
        ProbeScheduler scheduler(engine, options, [&](std::function<void()> done) {
            ++runs;
            done();
        });
        scheduler.start();
        scheduler.wait();
        // Fewer on a machine slow enough to skip a slot, never more.
        QVERIFY(runs >= 1);
        QVERIFY(runs <= 3);
    }

    void stopEndsAScheduleWithoutEnd()
    {
        ProbeEngine engine;
        std::atomic<int> inFlight{0};
        std::atomic<int> mostInFlight{0};
        ProbeScheduler::Options options;
        options.interval = 5ms;
        std::atomic<int> finished{0};
        options.onFinished = [&] { ++finished; };
        ProbeScheduler scheduler(engine, options, slowJob(engine, 20ms, inFlight, mostInFlight));
        scheduler.start();
        QTRY_VERIFY(scheduler.stats().runs >= 2);
        scheduler.stop();
        scheduler.wait();
        // The run in flight ended before wait() returned, and none started after.
        QCOMPARE(inFlight.load(), 0);
        const qint64 runs = scheduler.stats().runs;
        QTest::qWait(50);
        QCOMPARE(scheduler.stats().runs, runs);
        QCOMPARE(finished.load(), 1);
    }

    void stopBeforeStart()
    {
        ProbeEngine engine;
        ProbeScheduler scheduler(engine, {}, [](std::function<void()> done) { done(); });
        scheduler.stop();
        scheduler.wait(); // returns: never started
        QCOMPARE(scheduler.stats().runs, 0);
    }

    void destroyingTheSchedulerStopsIt()
    {
        ProbeEngine engine;
        std::atomic<int> inFlight{0};
        std::atomic<int> mostInFlight{0};
        {
            ProbeScheduler::Options options;
            options.interval = 5ms;
            ProbeScheduler scheduler(engine, options, slowJob(engine, 10ms, inFlight, mostInFlight));
            scheduler.start();
            QTRY_VERIFY(inFlight.load() == 1);
        }
        QCOMPARE(inFlight.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProbeScheduler)
#include "tst_probescheduler.moc"
