#include "probescheduler.h"
#include "probeengine.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <condition_variable>
#include <mutex>
#include <random>

namespace lundi {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Shared with the handlers waiting on the engine, so that it outlives the scheduler if need be.
// Everything but the mutex-guarded part is touched on the engine's thread only.
struct ProbeScheduler::State : std::enable_shared_from_this<State>
{
    State(ProbeEngine& engine, Options options, Job job)
        : context(engine.context()), timer(engine.context()), options(std::move(options)),
          job(std::move(job)), random(std::random_device{}())
    {
        if (this->options.jitter.count() < 0)
            this->options.jitter = std::min<std::chrono::nanoseconds>(this->options.interval / 20,
                                                                      std::chrono::milliseconds(50));
        if (!this->options.phase)
            this->options.phase = std::chrono::nanoseconds(
                std::uniform_int_distribution<qint64>(0, this->options.interval.count() - 1)(random));
    }

    void begin();
    void arm();
    void run();
    void ran();
    void end();
    void halt();
    Clock::time_point slotTime(qint64 index)
    {
        const qint64 jitter = options.jitter.count() > 0
                                  ? std::uniform_int_distribution<qint64>(0, options.jitter.count())(random)
                                  : 0;
        return origin + *options.phase + options.interval * index + std::chrono::nanoseconds(jitter);
    }

    asio::io_context& context;
    asio::steady_timer timer;
    Options options;
    Job job;
    std::minstd_rand random;
    Clock::time_point origin;
    Clock::time_point due;
    qint64 slot = 0;
    qint64 runs = 0;
    bool running = false;
    bool stopping = false;
    bool nextIsLate = false;
    bool ended = false;

    mutable std::mutex mutex;
    std::condition_variable changed;
    bool started = false;
    bool finished = false;
    Stats stats;
};

void ProbeScheduler::State::begin()
{
    origin = Clock::now();
    due = slotTime(0);
    arm();
}

void ProbeScheduler::State::arm()
{
    const bool counted = options.count && runs >= *options.count;
    const bool expired = options.until && due - origin > *options.until;
    if (stopping || counted || expired)
        return end();
    timer.expires_at(due);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (!error && !self->stopping)
            self->run();
    });
}

void ProbeScheduler::State::run()
{
    const qint64 lateness =
        std::max<qint64>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - due).count());
    {
        std::lock_guard lock(mutex);
        ++stats.runs;
        stats.late += nextIsLate ? 1 : 0;
        stats.maxLatenessNs = std::max(stats.maxLatenessNs, lateness);
    }
    if (options.onLateness)
        options.onLateness(lateness);
    running = true;
    ++runs;
    // Posted, so that a job that ends at once does not schedule the next run from inside itself.
    job([self = shared_from_this()] { asio::post(self->context, [self] { self->ran(); }); });
}

void ProbeScheduler::State::ran()
{
    running = false;
    ++slot;
    const Clock::time_point now = Clock::now();
    // Slots that passed entirely while the run went on are skipped; the next starts late, at once.
    if (const qint64 reached = (now - origin - *options.phase) / options.interval; reached > slot) {
        std::lock_guard lock(mutex);
        stats.skipped += reached - slot;
        slot = reached;
    }
    due = slotTime(slot);
    nextIsLate = due < now;
    arm();
}

void ProbeScheduler::State::halt()
{
    stopping = true;
    timer.cancel();
    if (!running)
        end();
}

void ProbeScheduler::State::end()
{
    if (ended)
        return;
    ended = true;
    // Before wait() returns: whoever waits may rely on what onFinished did.
    if (options.onFinished)
        options.onFinished();
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    changed.notify_all();
}

ProbeScheduler::ProbeScheduler(ProbeEngine& engine, Options options, Job job)
    : m_state(std::make_shared<State>(engine, std::move(options), std::move(job)))
{
}

ProbeScheduler::~ProbeScheduler()
{
    stop();
    wait();
}

void ProbeScheduler::start()
{
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->started)
            return;
        m_state->started = true;
    }
    asio::post(m_state->context, [state = m_state] { state->begin(); });
}

void ProbeScheduler::stop()
{
    asio::post(m_state->context, [state = m_state] { state->halt(); });
}

void ProbeScheduler::wait()
{
    std::unique_lock lock(m_state->mutex);
    m_state->changed.wait(lock, [this] { return !m_state->started || m_state->finished; });
}

bool ProbeScheduler::finished() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->finished;
}

ProbeScheduler::Stats ProbeScheduler::stats() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->stats;
}

} // namespace lundi
