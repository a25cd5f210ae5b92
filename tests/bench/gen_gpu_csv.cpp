// lundi-bench-gen-gpu-csv OUT_FILE [MEGABYTES=100]: a deterministic GPU monitoring log of about
// MEGABYTES, as `nvidia-smi --query-gpu=timestamp,name,pci.bus_id,index,uuid,utilization.gpu,...
// --format=csv -l 1` writes it on an eight-GPU H100 host serving inference: one row per GPU every
// second, units in the header and in the values ("631.95 W"), [N/A] for the fan an SXM board has
// not, the throttle reasons in hex, pstate as text, and utilization, memory, power, temperature
// and clocks that follow the load. Prints "records N": the numbers written, each one a sample.

#include "bufferedoutput.h"
#include "calltrees.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using lundi::bench::BufferedOutput;
using lundi::bench::Random;

namespace {

constexpr int Gpus = 8;
constexpr int64_t StartSeconds = 1'784'016'000; // 2026-07-14T08:00:00Z
constexpr const char* Header =
    "timestamp, name, pci.bus_id, index, uuid, utilization.gpu [%], utilization.memory [%], "
    "memory.used [MiB], memory.total [MiB], temperature.gpu, temperature.memory, power.draw [W], "
    "clocks.current.sm [MHz], clocks.current.memory [MHz], pstate, fan.speed [%], "
    "clocks_event_reasons.active, ecc.errors.uncorrected.volatile.total\n";
constexpr int NumbersPerRow = 10;

// value in at least width digits, zeros in front.
BufferedOutput& padded(BufferedOutput& out, int64_t value, int width)
{
    for (int64_t bound = 10; --width > 0; bound *= 10) {
        if (value < bound)
            out.text("0");
    }
    return out.integer(value);
}

// value / 100 with two decimals, as nvidia-smi writes watts.
BufferedOutput& hundredths(BufferedOutput& out, int64_t value)
{
    out.integer(value / 100).text(".");
    return padded(out, value % 100, 2);
}

// "2026/07/14 08:12:53.353" (Howard Hinnant's civil_from_days).
void timestamp(BufferedOutput& out, int64_t ms)
{
    const int64_t seconds = ms / 1000;
    const int64_t days = seconds / 86400;
    const int64_t z = days + 719468;
    const int64_t era = z / 146097;
    const int64_t dayOfEra = z - era * 146097;
    const int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const int64_t mp = (5 * dayOfYear + 2) / 153;
    const int64_t day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = yearOfEra + era * 400 + (month <= 2);
    const int64_t second = seconds % 86400;
    padded(out.integer(year).text("/"), month, 2).text("/");
    padded(out, day, 2).text(" ");
    padded(out, second / 3600, 2).text(":");
    padded(out, second / 60 % 60, 2).text(":");
    padded(out, second % 60, 2).text(".");
    padded(out, ms % 1000, 3);
}

struct Gpu
{
    std::string busId;
    std::string uuid;
    int64_t load = 50; // percent, a random walk
};

} // namespace

int main(int argc, char** argv)
{
    char* end = nullptr;
    const long long megabytes = argc == 3 ? std::strtoll(argv[2], &end, 10) : 100;
    if (argc < 2 || argc > 3 || (argc == 3 && (*end || megabytes < 1))) {
        std::fprintf(stderr, "usage: lundi-bench-gen-gpu-csv OUT_FILE [MEGABYTES=100]\n");
        return 2;
    }
    FILE* file = std::fopen(argv[1], "wb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    long long records = 0;
    {
        BufferedOutput out(file, "lundi-bench-gen-gpu-csv");
        Random random(42);
        Gpu gpus[Gpus];
        for (int index = 0; index < Gpus; ++index) {
            static constexpr const char* Buses[] = {"18", "2A", "3A", "5D", "9A", "AB", "BA", "DB"};
            gpus[index].busId = std::string("00000000:") + Buses[index] + ":00.0";
            char uuid[64];
            std::snprintf(uuid, sizeof uuid, "GPU-%08x-%04x-%04x-%04x-%012llx", unsigned(random.next()),
                          unsigned(random.below(65536)), unsigned(random.below(65536)),
                          unsigned(random.below(65536)), (unsigned long long)(random.next() >> 16));
            gpus[index].uuid = uuid;
        }
        out.text(Header);
        const uint64_t bytes = uint64_t(megabytes) * 1'000'000;
        for (int64_t round = 0; out.bytes() < bytes; ++round) {
            for (int index = 0; index < Gpus; ++index) {
                Gpu& gpu = gpus[index];
                gpu.load = std::clamp<int64_t>(gpu.load + int64_t(random.below(21)) - 10, 0, 100);
                const int64_t busy = gpu.load;
                // nvidia-smi asks the GPUs one after the other: a few milliseconds apart.
                timestamp(out, (StartSeconds + round) * 1000 + 350 + index * 3);
                out.text(", NVIDIA H100 80GB HBM3, ").text(gpu.busId.c_str()).text(", ").integer(index);
                out.text(", ").text(gpu.uuid.c_str());
                out.text(", ").integer(busy).text(" %, ").integer(busy / 9 + random.below(3)).text(" %, ");
                out.integer(40'000 + busy * 350 + random.below(64)).text(" MiB, 81559 MiB, ");
                out.integer(35 + busy * 3 / 10 + random.below(2)).text(", ");
                out.integer(40 + busy / 4 + random.below(2)).text(", ");
                hundredths(out, 7'000 + busy * 620 + random.below(900)).text(" W, ");
                out.integer(busy > 5 ? 1980 : 345).text(" MHz, 2619 MHz, ").text(busy > 5 ? "P0" : "P8");
                out.text(", [N/A], ").text(busy > 95 ? "0x0000000000000004" : "0x0000000000000000");
                out.text(", 0\n");
                records += NumbersPerRow;
                out.endRecord();
            }
        }
    }
    if (std::fclose(file) != 0) {
        std::perror(argv[1]);
        return 1;
    }
    std::printf("records %lld\n", records);
    return 0;
}
