#pragma once

#include <QtGlobal>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace lundi {

class ProbeEngine;

// Runs a job on the engine's thread at an interval, each run due at its slot plus a little
// random jitter, never two runs of the same
// job at once: a run that outlasts its interval delays the next one, which then counts as late,
// and slots missed entirely are skipped. Stops after a count of runs, after a duration, or on stop().
class ProbeScheduler
{
  public:
    // A run: call done exactly once, on the engine's thread, when it has ended.
    using Job = std::function<void(std::function<void()> done)>;

    struct Options
    {
        std::chrono::nanoseconds interval = std::chrono::seconds(1);
        // Where in the interval the slots fall, from start(); empty: a random point of the
        // interval, so that probes started together spread over it as Prometheus spreads its
        // scrapes. 0: the first run at once.
        std::optional<std::chrono::nanoseconds> phase;
        // Each run starts at a random point in [slot, slot + jitter]; negative: a twentieth of
        // the interval, at most 50 ms.
        std::chrono::nanoseconds jitter = std::chrono::nanoseconds(-1);
        std::optional<qint64> count;                   // runs, then stop
        std::optional<std::chrono::nanoseconds> until; // no run starts this long after start()
        // Called on the engine's thread as each run starts, with how long after its due time.
        std::function<void(qint64 latenessNs)> onLateness;
        // Called once on the engine's thread when the last run has ended (or stop() found none).
        std::function<void()> onFinished;
    };

    struct Stats
    {
        qint64 runs = 0;
        qint64 late = 0;    // runs that waited for the run before them
        qint64 skipped = 0; // slots that passed while a run was still going
        qint64 maxLatenessNs = 0;
    };

    ProbeScheduler(ProbeEngine& engine, Options options, Job job);
    ~ProbeScheduler(); // stop() and wait()
    ProbeScheduler(const ProbeScheduler&) = delete;
    ProbeScheduler& operator=(const ProbeScheduler&) = delete;

    // Any thread. The first run is due at the phase, plus jitter.
    void start();
    // Any thread: no run starts after this; a run in flight ends normally.
    void stop();
    // Blocks until the schedule has finished (count, duration or stop()) and its last run ended.
    // Not on the engine's thread.
    void wait();
    bool finished() const;
    Stats stats() const; // any thread

  private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace lundi
