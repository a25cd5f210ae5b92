#pragma once

// What the import benches measure with: a child process's wall time and peak RSS, taken from
// wait4() so that no /usr/bin/time is needed, and its output kept in a log.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lundi::bench {

struct Run
{
    double seconds = 0;
    double peakRssMiB = 0;
    bool ok = false;
};

// Runs argv with its output into log, and measures it.
inline Run measure(const std::vector<std::string>& argv, const std::filesystem::path& log)
{
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    const auto start = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execv(args[0], args.data());
        std::perror(args[0]);
        _exit(127);
    }
    int status = 0;
    rusage usage = {};
    if (child < 0 || wait4(child, &status, 0, &usage) != child)
        return {};
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return {elapsed.count(), double(usage.ru_maxrss) / 1024.0, WIFEXITED(status) && WEXITSTATUS(status) == 0};
}

inline void removeDatabase(const std::filesystem::path& db)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(db.string() + suffix);
}

inline void printLog(const std::filesystem::path& log)
{
    std::fprintf(stderr, "---- %s\n", log.c_str());
    if (FILE* file = std::fopen(log.c_str(), "r")) {
        char buffer[4096];
        size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
            std::fwrite(buffer, 1, n, stderr);
        std::fclose(file);
    }
}

} // namespace lundi::bench
