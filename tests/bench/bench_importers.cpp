// lundi-bench-importers [--gzip] WORKDIR LUNDI_CLI RUNS MEGABYTES GENERATOR=FORMAT...
//
// Every importer end to end, the way a user runs it: each GENERATOR writes about MEGABYTES of
// its format into WORKDIR once (kept until the generator changes), then `lundi-cli import
// --format FORMAT` runs RUNS times into a fresh incident with the input warm in the page cache.
// Prints per format the median time, MB/s, records/s and peak RSS against the targets,
// and checks that the incident holds every record the generator says it wrote. With --gzip the
// input is compressed first (gzip's default level) and the .gz is imported; MB/s and MB count
// the inflated bytes, and peak RSS shows whether inflating holds the content in memory.

#include "benchclock.h"
#include "benchprocess.h"
#include "store/store.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <zlib.h>

namespace fs = std::filesystem;
using namespace lundi::bench;

namespace {

struct Target
{
    fs::path generator;
    std::string format;
};

// JSON is parsed in full, text formats are split on lines: their targets differ.
double targetMBps(const std::string& format)
{
    if (format == "chrome-trace")
        return 80;
    return format.find("json") != std::string::npos ? 60 : 100;
}

// The generator's last line says "records N".
long long recordsWritten(const fs::path& log)
{
    std::ifstream in(log);
    long long records = -1;
    for (std::string line; std::getline(in, line);)
        std::sscanf(line.c_str(), "records %lld", &records);
    return records;
}

// Writes input as gzip(1) does at its default level.
bool compress(const fs::path& input, const fs::path& output)
{
    std::ifstream in(input, std::ios::binary);
    gzFile out = gzopen(output.c_str(), "wb6");
    if (!in || !out)
        return false;
    std::vector<char> buffer(1 << 20);
    bool ok = true;
    while (ok && in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        const auto got = unsigned(in.gcount());
        ok = got == 0 || gzwrite(out, buffer.data(), got) == int(got);
    }
    return gzclose(out) == Z_OK && ok;
}

} // namespace

int main(int argc, char** argv)
{
    const bool gzip = argc > 1 && std::strcmp(argv[1], "--gzip") == 0;
    if (gzip) {
        --argc;
        ++argv;
    }
    if (argc < 6) {
        std::fprintf(stderr, "usage: lundi-bench-importers [--gzip] WORKDIR LUNDI_CLI RUNS MEGABYTES "
                             "GENERATOR=FORMAT...\n");
        return 2;
    }
    const fs::path work = argv[1];
    const std::string cli = argv[2];
    const int runs = std::atoi(argv[3]);
    const int megabytes = std::atoi(argv[4]);
    if (runs < 1 || megabytes < 1) {
        std::fprintf(stderr, "lundi-bench-importers: RUNS and MEGABYTES must be positive\n");
        return 2;
    }
    std::vector<Target> targets;
    for (int i = 5; i < argc; ++i) {
        const std::string arg = argv[i];
        const size_t equals = arg.find('=');
        if (equals == std::string::npos) {
            std::fprintf(stderr, "lundi-bench-importers: %s is not GENERATOR=FORMAT\n", argv[i]);
            return 2;
        }
        targets.push_back({arg.substr(0, equals), arg.substr(equals + 1)});
    }
    fs::create_directories(work);

    std::printf("%-13s %8s %9s %8s %7s %12s %9s %s\n", "format", "MB", "median s", "MB/s", "target",
                "records/s", "RSS MiB", "runs (s)");
    int status = 0;
    for (const Target& target : targets) {
        const fs::path input = work / (target.format + "-" + std::to_string(megabytes) + "MB.input");
        const fs::path generateLog = work / (target.format + "-generate.log");
        if (!fs::exists(input) || !fs::exists(generateLog) ||
            fs::last_write_time(input) < fs::last_write_time(target.generator)) {
            const fs::path partial = input.string() + ".partial";
            if (!measure({target.generator.string(), partial.string(), std::to_string(megabytes)},
                         generateLog)
                     .ok) {
                std::printf("%-13s generator FAILED\n", target.format.c_str());
                std::fflush(stdout);
                printLog(generateLog);
                status = 1;
                continue;
            }
            fs::rename(partial, input);
        }
        const long long records = recordsWritten(generateLog);
        const double size = double(fs::file_size(input)) / 1e6;
        const fs::path compressed = input.string() + ".gz";
        if (gzip &&
            (!fs::exists(compressed) || fs::last_write_time(compressed) < fs::last_write_time(input))) {
            const fs::path partial = compressed.string() + ".partial";
            if (!compress(input, partial)) {
                std::printf("%-13s gzip FAILED\n", target.format.c_str());
                status = 1;
                continue;
            }
            fs::rename(partial, compressed);
        }
        const fs::path db = work / (target.format + ".lundi");
        const fs::path log = work / (target.format + "-import.log");
        std::vector<double> seconds, rss;
        std::string each;
        for (int run = 0; run < runs; ++run) {
            removeDatabase(db);
            const Run result = measure({cli, "import", "--db", db.string(), "--format", target.format,
                                        (gzip ? compressed : input).string()},
                                       log);
            if (!result.ok)
                break;
            seconds.push_back(result.seconds);
            rss.push_back(result.peakRssMiB);
            char text[32];
            std::snprintf(text, sizeof text, " %.2f", result.seconds);
            each += text;
        }
        if (seconds.size() < size_t(runs)) {
            std::printf("%-13s import FAILED (its output follows on stderr)\n", target.format.c_str());
            std::fflush(stdout);
            printLog(log);
            status = 1;
            continue;
        }
        const double time = median(seconds);
        std::printf("%-13s %8.1f %9.3f %8.1f %7.0f %12.0f %9.1f%s\n", target.format.c_str(), size, time,
                    size / time, targetMBps(target.format), double(records) / time, median(rss),
                    each.c_str());
        // A fast import that lost records would be no result at all.
        const lundi::IncidentCounts counts = lundi::Store(QString::fromStdString(db.string())).counts();
        if (counts.spans + counts.samples != records) {
            std::printf("%-13s WRONG: the incident holds %lld spans and samples, the generator wrote %lld\n",
                        target.format.c_str(), counts.spans + counts.samples, records);
            status = 1;
        }
    }
    std::printf("\ntargets: MB/s as shown (end to end into the store, 2 cores); peak RSS under 400 MiB\n");
    if (gzip)
        std::printf("inputs imported as gzip; MB and MB/s count the inflated bytes\n");
    return status;
}
