// lundi-bench-probes: many HTTP targets on loopback probed at once by one ProbeEngine, as a
// probe session in the GUI or lundi-cli runs them, each result recorded into an incident.
// Prints the lateness of the schedule (p50, p99, max), the CPU the probing process used (one
// core = 100 %), and its resident memory after 10 s and at the end. The server runs in a child
// process, so that its work is not counted.
//
//   lundi-bench-probes [--targets 200] [--seconds 60] [--interval-ms 1000] [--no-record]

#include "classifier.h"
#include "httpprobe.h"
#include "probeengine.h"
#include "proberecorder.h"
#include "support/httptestserver.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lundi;
using Clock = std::chrono::steady_clock;

namespace {

double cpuSeconds()
{
    rusage usage = {};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double rssMiB()
{
    long pages = 0;
    long resident = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(statm);
    }
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// Starts the server in a child process; returns its port, and the pipe whose closing ends it.
std::pair<quint16, int> startServer(pid_t& child)
{
    int toParent[2];
    int toChild[2];
    if (pipe(toParent) != 0 || pipe(toChild) != 0)
        return {0, -1};
    child = fork();
    if (child == 0) {
        close(toParent[0]);
        close(toChild[1]);
        {
            test::HttpTestServer server;
            const quint16 port = server.port();
            if (write(toParent[1], &port, sizeof port) != sizeof port)
                _exit(1);
            char byte;
            while (read(toChild[0], &byte, 1) > 0) {
            }
        }
        _exit(0);
    }
    close(toParent[1]);
    close(toChild[0]);
    quint16 port = 0;
    if (read(toParent[0], &port, sizeof port) != sizeof port)
        port = 0;
    close(toParent[0]);
    return {port, toChild[1]};
}

double percentile(const std::vector<qint64>& sorted, double q)
{
    if (sorted.empty())
        return 0;
    return double(sorted[size_t(q * double(sorted.size() - 1) + 0.5)]) / 1e6;
}

} // namespace

int main(int argc, char* argv[])
{
    int targets = 200;
    int seconds = 60;
    int intervalMs = 1000;
    bool record = true;
    for (int i = 1; i < argc; ++i) {
        const auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (!std::strcmp(argv[i], "--targets"))
            targets = next();
        else if (!std::strcmp(argv[i], "--seconds"))
            seconds = next();
        else if (!std::strcmp(argv[i], "--interval-ms"))
            intervalMs = next();
        else if (!std::strcmp(argv[i], "--no-record"))
            record = false;
        else {
            std::fprintf(
                stderr,
                "usage: lundi-bench-probes [--targets N] [--seconds S] [--interval-ms MS] [--no-record]\n");
            return 2;
        }
    }
    if (targets < 1 || seconds < 1 || intervalMs < 1) {
        std::fprintf(stderr,
                     "lundi-bench-probes: --targets, --seconds and --interval-ms take numbers above 0\n");
        return 2;
    }
    // Before any thread of this process starts: the child is forked from a single thread.
    pid_t child = 0;
    const auto [port, serverPipe] = startServer(child);
    if (!port) {
        std::fprintf(stderr, "lundi-bench-probes: the test server did not start\n");
        return 1;
    }
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const Classifier classifier = Classifier::standard();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    std::unique_ptr<ProbeRecorder> recorder;
    if (record)
        recorder = std::make_unique<ProbeRecorder>(dir.filePath(QStringLiteral("bench.lundi")),
                                                   QStringLiteral("probe-http"), QString::fromStdString(base),
                                                   classifier);

    ProbeEngine engine;
    std::vector<qint64> lateness; // engine thread only, until every probe has finished
    lateness.reserve(size_t(targets) * size_t(seconds * 1000 / intervalMs + 1));
    qint64 results = 0;
    qint64 failures = 0;
    std::vector<std::unique_ptr<HttpProbe>> probes;
    for (int target = 0; target < targets; ++target) {
        HttpProbeConfig config;
        config.request.url = base + "/status/200?target=" + std::to_string(target);
        config.request.timeout = std::chrono::milliseconds(5000);
        config.schedule.interval = std::chrono::milliseconds(intervalMs);
        config.schedule.until = std::chrono::seconds(seconds);
        config.schedule.onLateness = [&lateness](qint64 ns) { lateness.push_back(ns); };
        probes.push_back(std::make_unique<HttpProbe>(
            engine, config, [&, request = config.request](const QString& name, const HttpResult& result) {
                ++results;
                failures += result.ok ? 0 : 1;
                if (recorder)
                    recorder->record(name, request, result);
            }));
    }
    const Clock::time_point start = Clock::now();
    const double cpuStart = cpuSeconds();
    for (const auto& probe : probes)
        probe->start();
    double rssAt10 = 0;
    if (seconds > 10) {
        std::this_thread::sleep_until(start + std::chrono::seconds(10));
        rssAt10 = rssMiB();
    }
    for (const auto& probe : probes)
        probe->wait();
    if (recorder)
        recorder->flush();
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = cpuSeconds() - cpuStart;
    const double rssEnd = rssMiB();
    qint64 late = 0;
    qint64 skipped = 0;
    for (const auto& probe : probes) {
        late += probe->scheduler().stats().late;
        skipped += probe->scheduler().stats().skipped;
    }
    probes.clear();
    close(serverPipe);
    waitpid(child, nullptr, 0);

    std::sort(lateness.begin(), lateness.end());
    std::printf(
        "%d targets every %d ms for %d s%s: %lld probes, %lld failed; %lld late, %lld slots skipped\n",
        targets, intervalMs, seconds, record ? ", recorded" : "", static_cast<long long>(results),
        static_cast<long long>(failures), static_cast<long long>(late), static_cast<long long>(skipped));
    std::printf("schedule lateness: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", percentile(lateness, 0.5),
                percentile(lateness, 0.99), lateness.empty() ? 0.0 : double(lateness.back()) / 1e6);
    std::printf("CPU: %.1f %% of one core (%.2f s in %.1f s)\n", 100.0 * cpu / wall, cpu, wall);
    if (seconds > 10)
        std::printf("RSS: %.1f MiB at 10 s, %.1f MiB at the end\n", rssAt10, rssEnd);
    else
        std::printf("RSS: %.1f MiB at the end\n", rssEnd);
    if (recorder && recorder->error())
        std::printf("recording failed: %s\n", qPrintable(*recorder->error()));
    return 0;
}
