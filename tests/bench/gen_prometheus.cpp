// lundi-bench-gen-prometheus OUT_FILE [MEGABYTES=100]: a deterministic OpenMetrics dump of
// about MEGABYTES, as a TSDB dump of an inference fleet reads: nodes that each serve HTTP
// (request-duration histograms with exemplars that name their trace, request counters), a
// summary of time to first token per model, eight GPUs of DCGM gauges, process metrics and a
// build info; 20 scrapes 15 s apart, each family whole, each series in time order, timestamps
// in seconds with milliseconds, ending with "# EOF". Prints "records N": samples, exemplars
// included (the importer keeps each exemplar as a sample).

#include "bufferedoutput.h"
#include "calltrees.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>

using namespace lundi::bench;

namespace {

constexpr const char* Program = "lundi-bench-gen-prometheus";
constexpr int Scrapes = 20;
constexpr int64_t StartMs = 1'764'000'000'000; // 2025-11-24T16:00:00Z
constexpr int64_t IntervalMs = 15'000;
constexpr int Gpus = 8;

constexpr const char* Routes[][2] = {
    {"POST", "/v1/chat/completions"},
    {"POST", "/v1/completions"},
    {"POST", "/v1/embeddings"},
    {"GET", "/v1/models"},
    {"GET", "/healthz"},
    {"POST", "/v1/moderations"},
};
constexpr const char* Statuses[] = {"200", "500"};
constexpr const char* Buckets[] = {"0.005", "0.01", "0.025", "0.05", "0.1",  "0.25", "0.5",
                                   "1.0",   "2.5",  "5.0",   "10.0", "30.0", "+Inf"};
constexpr double BucketBounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 1e300};
constexpr const char* Models[] = {"llama-3.1-70b-instruct", "mistral-7b-instruct-v0.3"};
constexpr const char* Quantiles[] = {"0.5", "0.9", "0.99"};
constexpr const char* GpuGauges[][3] = {
    {"DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", "gauge"},
    {"DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", "gauge"},
    {"DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", "gauge"},
    {"DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", "gauge"},
    {"DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", "gauge"},
    {"DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", "gauge"},
};

double uniform(Random& random)
{
    return double(random.next() >> 11) / double(uint64_t(1) << 53);
}

// A timestamp in seconds with milliseconds, as promtool writes them.
void seconds(BufferedOutput& out, int64_t ms)
{
    const int frac = int(ms % 1000);
    const char decimals[] = {'.', char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10)};
    out.integer(ms / 1000).text({decimals, sizeof decimals});
}

void hex(BufferedOutput& out, uint64_t value, int digits)
{
    char text[16];
    for (int i = 0; i < digits; ++i)
        text[i] = "0123456789abcdef"[(value >> (4 * (digits - 1 - i))) & 15];
    out.text({text, size_t(digits)});
}

class Dump
{
  public:
    Dump(BufferedOutput& out, int nodes) : m_out(out), m_nodes(nodes) {}

    uint64_t write()
    {
        family("build", "info", "", "Build information of the inference server.");
        for (int node = 0; node < m_nodes; ++node)
            buildInfo(node);
        family("http_server_request_duration_seconds", "histogram", "seconds",
               "Duration of HTTP server requests.");
        for (int node = 0; node < m_nodes; ++node)
            requestDurations(node);
        family("http_server_requests", "counter", "", "HTTP server requests.");
        for (int node = 0; node < m_nodes; ++node)
            requestCounts(node);
        family("gen_ai_server_time_to_first_token_seconds", "summary", "seconds",
               "Time to generate the first token of a response.");
        for (int node = 0; node < m_nodes; ++node)
            timeToFirstToken(node);
        for (const auto& gauge : GpuGauges) {
            family(gauge[0], gauge[2], "", gauge[1]);
            for (int node = 0; node < m_nodes; ++node)
                gpuGauge(node, gauge[0]);
        }
        family("process_resident_memory_bytes", "gauge", "bytes", "Resident memory size in bytes.");
        for (int node = 0; node < m_nodes; ++node)
            residentMemory(node);
        m_out.text("# EOF\n");
        return m_records;
    }

  private:
    void family(const char* name, const char* type, const char* unit, const char* help)
    {
        m_out.text("# TYPE ").text(name).text(" ").text(type).text("\n");
        if (*unit)
            m_out.text("# UNIT ").text(name).text(" ").text(unit).text("\n");
        m_out.text("# HELP ").text(name).text(" ").text(help).text("\n");
    }
    // Opens a sample line with the labels every series of a node has.
    void begin(const char* name, int node)
    {
        m_out.text(name).text("{instance=\"10.0.").integer(node / 200).text(".").integer(node % 200 + 10);
        m_out.text(":9464\",node=\"gpu-node-").integer(node).text("\"");
    }
    void sample(double value, int64_t ms)
    {
        m_out.text("} ").number(value).text(" ");
        seconds(m_out, ms);
        ++m_records;
    }
    void end()
    {
        m_out.text("\n");
        m_out.endRecord();
    }
    void buildInfo(int node)
    {
        for (int scrape = 0; scrape < Scrapes; ++scrape) {
            begin("build_info", node);
            m_out.text(",revision=\"9f1c2ab\",version=\"1.4.2\"");
            sample(1.0, StartMs + scrape * IntervalMs);
            end();
        }
    }
    void route(const char* const* route, const char* status)
    {
        m_out.text(",method=\"").text(route[0]).text("\",route=\"").text(route[1]);
        m_out.text("\",status_code=\"").text(status).text("\"");
    }
    void requestDurations(int node)
    {
        for (const auto& path : Routes) {
            for (const char* status : Statuses) {
                double counts[std::size(Buckets)] = {};
                double sum = 0;
                for (int scrape = 0; scrape < Scrapes; ++scrape) {
                    const int64_t ms = StartMs + scrape * IntervalMs;
                    const int requests = int(m_random.below(status[0] == '5' ? 3 : 400));
                    for (int r = 0; r < requests; ++r) {
                        const double seconds = 0.004 / (0.002 + uniform(m_random));
                        sum += seconds;
                        for (size_t b = 0; b < std::size(Buckets); ++b)
                            counts[b] += seconds <= BucketBounds[b];
                    }
                    for (size_t b = 0; b < std::size(Buckets); ++b) {
                        begin("http_server_request_duration_seconds_bucket", node);
                        route(path, status);
                        m_out.text(",le=\"").text(Buckets[b]).text("\"");
                        sample(counts[b], ms);
                        if (m_random.below(4) == 0)
                            exemplar(BucketBounds[b] < 1e300 ? std::round(BucketBounds[b] * 9000) / 10000
                                                             : 45.0,
                                     ms - 3'217);
                        end();
                    }
                    begin("http_server_request_duration_seconds_sum", node);
                    route(path, status);
                    sample(sum, ms);
                    end();
                    begin("http_server_request_duration_seconds_count", node);
                    route(path, status);
                    sample(counts[std::size(Buckets) - 1], ms);
                    end();
                }
            }
        }
    }
    // The trace that the bucket's latest observation belongs to.
    void exemplar(double value, int64_t ms)
    {
        m_out.text(" # {trace_id=\"");
        hex(m_out, m_random.next(), 16);
        hex(m_out, m_random.next(), 16);
        m_out.text("\",span_id=\"");
        hex(m_out, m_random.next(), 16);
        m_out.text("\"} ").number(value).text(" ");
        seconds(m_out, ms);
        ++m_records;
    }
    void requestCounts(int node)
    {
        for (const auto& path : Routes) {
            for (const char* status : Statuses) {
                double total = m_random.below(100'000);
                for (int scrape = 0; scrape < Scrapes; ++scrape) {
                    total += m_random.below(400);
                    begin("http_server_requests_total", node);
                    route(path, status);
                    sample(total, StartMs + scrape * IntervalMs);
                    end();
                }
            }
        }
    }
    void timeToFirstToken(int node)
    {
        for (const char* model : Models) {
            double sum = 0;
            double count = 0;
            for (int scrape = 0; scrape < Scrapes; ++scrape) {
                const int64_t ms = StartMs + scrape * IntervalMs;
                double quantile = 0.05 + 0.1 * uniform(m_random);
                for (const char* q : Quantiles) {
                    begin("gen_ai_server_time_to_first_token_seconds", node);
                    m_out.text(",gen_ai_request_model=\"")
                        .text(model)
                        .text("\",quantile=\"")
                        .text(q)
                        .text("\"");
                    sample(quantile, ms);
                    end();
                    quantile *= 1.5 + uniform(m_random);
                }
                count += m_random.below(300);
                sum += count * 0.08;
                begin("gen_ai_server_time_to_first_token_seconds_sum", node);
                m_out.text(",gen_ai_request_model=\"").text(model).text("\"");
                sample(sum, ms);
                end();
                begin("gen_ai_server_time_to_first_token_seconds_count", node);
                m_out.text(",gen_ai_request_model=\"").text(model).text("\"");
                sample(count, ms);
                end();
            }
        }
    }
    // DCGM's exporter labels its gauges by host and GPU rather than by instance.
    void gpuGauge(int node, const char* name)
    {
        for (int gpu = 0; gpu < Gpus; ++gpu) {
            double value = 50 + 40 * uniform(m_random);
            for (int scrape = 0; scrape < Scrapes; ++scrape) {
                value = std::max(0.0, value + 10 * (uniform(m_random) - 0.5));
                m_out.text(name).text("{Hostname=\"gpu-node-").integer(node).text("\",UUID=\"GPU-");
                hex(m_out, uint64_t(node) * Gpus + uint64_t(gpu) + 0x5a3e0000, 8);
                m_out.text("-7c1d-4f3e-9b2a-1e6f\",device=\"nvidia")
                    .integer(gpu)
                    .text("\",gpu=\"")
                    .integer(gpu);
                m_out.text("\",modelName=\"NVIDIA H100 80GB HBM3\"");
                sample(double(int64_t(value * 10)) / 10, StartMs + scrape * IntervalMs);
                end();
            }
        }
    }
    void residentMemory(int node)
    {
        double bytes = 2.1e10 + 1e9 * uniform(m_random);
        for (int scrape = 0; scrape < Scrapes; ++scrape) {
            bytes += double(int64_t(m_random.below(4096)) - 2048) * 4096;
            begin("process_resident_memory_bytes", node);
            sample(bytes, StartMs + scrape * IntervalMs);
            end();
        }
    }

    BufferedOutput& m_out;
    int m_nodes;
    Random m_random{20261124};
    uint64_t m_records = 0;
};

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: lundi-bench-gen-prometheus OUT_FILE [MEGABYTES=100]\n");
        return 2;
    }
    const double megabytes = argc == 3 ? std::atof(argv[2]) : 100;
    // One node's share, measured by writing it to nowhere, sets the number of nodes.
    uint64_t perNode = 0;
    {
        BufferedOutput nowhere(nullptr, Program);
        Dump(nowhere, 1).write();
        perNode = nowhere.bytes();
    }
    const int nodes = std::max(1, int(megabytes * 1e6 / double(perNode) + 0.5));
    FILE* file = std::fopen(argv[1], "wb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    uint64_t records = 0;
    {
        BufferedOutput out(file, Program);
        records = Dump(out, nodes).write();
    }
    if (std::fclose(file) != 0) {
        std::perror(argv[1]);
        return 1;
    }
    std::printf("records %llu\n", static_cast<unsigned long long>(records));
    return 0;
}
