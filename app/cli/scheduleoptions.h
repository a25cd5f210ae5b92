#pragma once

// The options of the commands that run at an interval (probe, scrape): their schedule.

#include "command.h"
#include "probescheduler.h"

#include <chrono>
#include <functional>

namespace lundi::cli {

// --every (default defaultEvery), --count and --for; runs names what is counted ("probes").
void addScheduleOptions(QCommandLineParser& parser, const QString& defaultEvery, const QString& runs);
// The schedule those options give, the first run at once: a command line waits for nothing.
// Throws UsageError.
ProbeScheduler::Options scheduleOptions(const Command& command);
// --timeout, at least a millisecond. Throws UsageError.
std::chrono::milliseconds timeoutValue(const Command& command);
// Returns once finished() is true, calling stop() once Ctrl-C was pressed meanwhile; SIGINT's
// handler is put back before it returns.
void waitInterruptibly(const std::function<bool()>& finished, const std::function<void()>& stop);

} // namespace lundi::cli
