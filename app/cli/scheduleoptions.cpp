#include "scheduleoptions.h"

#include <atomic>
#include <csignal>
#include <thread>

namespace lundi::cli {

namespace {

std::atomic<bool> interrupted{false};

} // namespace

void addScheduleOptions(QCommandLineParser& parser, const QString& defaultEvery, const QString& runs)
{
    parser.addOption({QStringLiteral("every"),
                      QStringLiteral("Run at this interval (default %1).").arg(defaultEvery),
                      QStringLiteral("DURATION"), defaultEvery});
    parser.addOption(
        {QStringLiteral("count"), QStringLiteral("Stop after N %1.").arg(runs), QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("for"), QStringLiteral("Stop after this long."), QStringLiteral("DURATION")});
}

ProbeScheduler::Options scheduleOptions(const Command& command)
{
    ProbeScheduler::Options options;
    options.interval = std::chrono::nanoseconds(command.durationValue("every"));
    if (options.interval.count() <= 0)
        throw UsageError{QStringLiteral("--every takes a duration above zero, such as 1s")};
    if (command.isSet("count") && command.isSet("for"))
        throw UsageError{QStringLiteral("--count and --for exclude each other")};
    if (command.isSet("count")) {
        bool ok = false;
        options.count = command.value("count").toLongLong(&ok);
        if (!ok || *options.count < 1)
            throw UsageError{QStringLiteral("--count takes a whole number above zero")};
    }
    if (command.isSet("for")) {
        options.until = std::chrono::nanoseconds(command.durationValue("for"));
        if (options.until->count() <= 0)
            throw UsageError{QStringLiteral("--for takes a duration above zero, such as 60s")};
    }
    // The first run goes at once, and then at the interval: a command line waits for nothing.
    options.phase = std::chrono::nanoseconds(0);
    options.jitter = std::chrono::nanoseconds(0);
    return options;
}

std::chrono::milliseconds timeoutValue(const Command& command)
{
    const qint64 ns = command.durationValue("timeout");
    if (ns < 1'000'000)
        throw UsageError{QStringLiteral("--timeout takes a duration of at least 1ms, such as 10s")};
    return std::chrono::milliseconds(ns / 1'000'000);
}

void waitInterruptibly(const std::function<bool()>& finished, const std::function<void()>& stop)
{
    interrupted = false;
    const auto previous = std::signal(SIGINT, [](int) { interrupted = true; });
    // A flag polled here rather than work in the signal handler, where almost nothing is safe.
    while (!finished()) {
        if (interrupted.exchange(false))
            stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::signal(SIGINT, previous);
}

} // namespace lundi::cli
