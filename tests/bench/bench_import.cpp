// lundi-bench-import WORKDIR LUNDI_CLI PLAIN_IMPORTER GENERATOR [EVENTS] [RUNS]
//
// Times `lundi-cli import` of a generated Chrome trace against the plain reference importer:
// each run imports into a fresh file with the trace warm in the page cache, and its wall time
// and peak RSS come from wait4() on the child, so no /usr/bin/time is needed. Prints medians.

#include "benchclock.h"
#include "benchprocess.h"
#include "store/store.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace lundi::bench;

namespace {

long long plainEventCount(const fs::path& db)
{
    sqlite3* handle = nullptr;
    sqlite3_stmt* statement = nullptr;
    long long count = -1;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
        sqlite3_prepare_v2(handle, "SELECT count(*) FROM events", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        count = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    return count;
}

long long lundiSpanCount(const fs::path& db)
{
    const lundi::Store store(QString::fromStdString(db.string()));
    return store.counts().spans;
}

struct Importer
{
    const char* label;
    std::vector<std::string> (*command)(const std::string& tool, const fs::path& db, const fs::path& trace);
    long long (*count)(const fs::path& db);
    std::string tool;
};

} // namespace

int main(int argc, char** argv)
{
    if (argc < 5 || argc > 7) {
        std::fprintf(
            stderr, "usage: lundi-bench-import WORKDIR LUNDI_CLI PLAIN_IMPORTER GENERATOR [EVENTS] [RUNS]\n");
        return 2;
    }
    const fs::path work = argv[1];
    const long long events = argc > 5 ? std::atoll(argv[5]) : 1'000'000;
    const int runs = argc > 6 ? std::atoi(argv[6]) : 5;
    if (events < 1 || runs < 1) {
        std::fprintf(stderr, "lundi-bench-import: EVENTS and RUNS must be positive\n");
        return 2;
    }
    fs::create_directories(work);

    // Generated once and kept, the trace being deterministic, until the generator changes.
    const fs::path trace = work / ("chrome-" + std::to_string(events) + ".json");
    if (!fs::exists(trace) || fs::last_write_time(trace) < fs::last_write_time(argv[4])) {
        const fs::path partial = trace.string() + ".partial";
        const Run generated =
            measure({argv[4], std::to_string(events), partial.string()}, work / "generate.log");
        if (!generated.ok) {
            std::fflush(stdout);
            printLog(work / "generate.log");
            return 1;
        }
        fs::rename(partial, trace);
        std::printf("generated %s in %.2f s\n", trace.c_str(), generated.seconds);
    }
    const double megabytes = double(fs::file_size(trace)) / 1e6;
    std::printf("import of %s: %lld X events, %.1f MB, %d warm runs each\n\n", trace.filename().c_str(),
                events, megabytes, runs);

    const Importer importers[] = {
        {"lundi-cli import",
         [](const std::string& tool, const fs::path& db, const fs::path& input) {
             return std::vector<std::string>{tool, "import", "--db", db.string(), input.string()};
         },
         lundiSpanCount, argv[2]},
        {"plain importer",
         [](const std::string& tool, const fs::path& db, const fs::path& input) {
             return std::vector<std::string>{tool, db.string(), input.string()};
         },
         plainEventCount, argv[3]},
    };

    std::printf("%-18s %10s %12s %10s %14s %s\n", "importer", "median s", "events/s", "MB/s", "peak RSS MiB",
                "runs (s)");
    double medians[2] = {0, 0};
    int status = 0;
    for (size_t i = 0; i < std::size(importers); ++i) {
        const Importer& importer = importers[i];
        const fs::path db = work / (i == 0 ? "import-lundi.lundi" : "import-plain.db");
        const fs::path log = work / (i == 0 ? "import-lundi.log" : "import-plain.log");
        std::vector<double> seconds, rss;
        std::string each; // every run's time, to show the spread
        for (int run = 0; run < runs; ++run) {
            removeDatabase(db);
            const Run result = measure(importer.command(importer.tool, db, trace), log);
            if (!result.ok)
                break;
            seconds.push_back(result.seconds);
            rss.push_back(result.peakRssMiB);
            char text[32];
            std::snprintf(text, sizeof text, " %.3f", result.seconds);
            each += text;
        }
        if (seconds.size() < size_t(runs)) {
            std::printf("%-18s FAILED (its output follows on stderr)\n", importer.label);
            std::fflush(stdout);
            printLog(log);
            status = 1;
            continue;
        }
        // A fast import that lost events would be no result at all.
        const long long stored = importer.count(db);
        medians[i] = median(seconds);
        std::printf("%-18s %10.3f %12.0f %10.1f %14.1f%s\n", importer.label, medians[i],
                    double(events) / medians[i], megabytes / medians[i], median(rss), each.c_str());
        if (stored != events) {
            std::printf("%-18s WRONG: stored %lld spans of %lld events\n", importer.label, stored, events);
            status = 1;
        }
    }
    if (medians[0] > 0 && medians[1] > 0)
        std::printf("\nlundi / plain time: %.2fx (target: at most 0.75x, 1.5 s, peak RSS under 400 MB)\n",
                    medians[0] / medians[1]);
    return status;
}
