// lundi-bench-gen-chrome N OUT.json: a deterministic Chrome trace of N nested X events on 8
// threads of 2 processes, written in completion order as live tracers write them (a child's
// event before its parent's), with the process and thread names at the end as Chrome does.

#include "calltrees.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace lundi::bench;

namespace {

constexpr int Threads = 8;
constexpr int ThreadsPerProcess = 4;
constexpr int Pids[] = {3101, 3270};

int pidOf(int thread)
{
    return Pids[thread / ThreadsPerProcess];
}

int tidOf(int thread)
{
    return pidOf(thread) + 4 * (thread % ThreadsPerProcess); // the first thread is the main one
}

// Appends to a large buffer and writes it out in big blocks: per-event stdio or iostreams
// would make the generator slower than the importers it feeds.
class Output
{
  public:
    explicit Output(FILE* file) : m_file(file) { m_buffer.reserve(Capacity + 1024); }
    ~Output() { flush(); }

    void text(const char* s) { m_buffer.append(s); }
    void text(const std::string& s) { m_buffer.append(s); }
    void integer(int64_t value)
    {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        m_buffer.append(digits, end);
    }
    // Nanoseconds as microseconds with three decimals, as Perfetto writes them.
    void micros(int64_t ns)
    {
        integer(ns / 1000);
        const int frac = int(ns % 1000);
        const char decimals[] = {'.', char('0' + frac / 100), char('0' + frac / 10 % 10),
                                 char('0' + frac % 10), 0};
        m_buffer.append(decimals);
    }
    // Separates the events of the array: a comma before all but the first.
    void beginEvent()
    {
        m_buffer.append(m_first ? "\n" : ",\n");
        m_first = false;
    }
    void endEvent()
    {
        if (m_buffer.size() >= Capacity)
            flush();
    }
    void flush()
    {
        if (!m_buffer.empty() &&
            std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size()) {
            std::perror("lundi-bench-gen-chrome: write");
            std::exit(1);
        }
        m_buffer.clear();
    }

  private:
    static constexpr size_t Capacity = size_t(4) << 20;
    FILE* m_file;
    std::string m_buffer;
    bool m_first = true;
};

const char* const Ops[] = {"read", "write", "scan", "flush"};

void writeEvent(Output& out, const CallNode& node, int thread, const std::vector<std::string>& names,
                Random& random)
{
    // The second process writes fractional microseconds, the first whole ones: importers meet both.
    const bool fractional = thread >= ThreadsPerProcess;
    out.beginEvent();
    out.text("{\"name\":\"");
    out.text(names[size_t(node.name)]);
    out.text("\",\"cat\":\"");
    out.text(frameCat(node.name));
    out.text("\",\"ph\":\"X\",\"ts\":");
    if (fractional) {
        out.micros(node.startNs);
        out.text(",\"dur\":");
        out.micros(node.durNs);
    } else {
        // Whole microseconds of a tracer's clock: dur from the rounded ends, so nesting survives.
        out.integer(node.startNs / 1000);
        out.text(",\"dur\":");
        out.integer((node.startNs + node.durNs) / 1000 - node.startNs / 1000);
    }
    out.text(",\"pid\":");
    out.integer(pidOf(thread));
    out.text(",\"tid\":");
    out.integer(tidOf(thread));
    // A few args per event, not always the same ones.
    out.text(",\"args\":{\"bytes\":");
    out.integer(random.below(1 << 14));
    if (random.below(3) == 0) {
        out.text(",\"op\":\"");
        out.text(Ops[random.below(4)]);
        out.text("\"");
    }
    if (random.below(4) == 0) {
        out.text(",\"shard\":");
        out.integer(random.below(64));
    }
    out.text("}}");
    out.endEvent();
}

} // namespace

int main(int argc, char** argv)
{
    char* end = nullptr;
    const long long count = argc == 3 ? std::strtoll(argv[1], &end, 10) : 0;
    if (argc != 3 || *end || count < 1) {
        std::fprintf(stderr, "usage: lundi-bench-gen-chrome N OUT.json  (N >= 1 X events)\n");
        return 2;
    }
    FILE* file = std::fopen(argv[2], "wb");
    if (!file) {
        std::perror(argv[2]);
        return 1;
    }
    {
        Output out(file);
        std::vector<std::string> names;
        for (int name = 0; name < NameCount; ++name)
            names.push_back(frameName(name));
        Random argsRandom(7);
        std::vector<int> open; // pre-order indices whose subtree is not complete yet

        out.text("{\"traceEvents\":[");
        generateCallTrees(count, Threads, 42, [&](int thread, const std::vector<CallNode>& tree) {
            // Pre-order to completion order: a node completes once the walk leaves its subtree.
            open.clear();
            for (size_t i = 0; i < tree.size(); ++i) {
                while (!open.empty() && tree[size_t(open.back())].depth >= tree[i].depth) {
                    writeEvent(out, tree[size_t(open.back())], thread, names, argsRandom);
                    open.pop_back();
                }
                open.push_back(int(i));
            }
            while (!open.empty()) {
                writeEvent(out, tree[size_t(open.back())], thread, names, argsRandom);
                open.pop_back();
            }
        });
        for (int pid : Pids) {
            out.beginEvent();
            out.text("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":");
            out.integer(pid);
            out.text(",\"tid\":0,\"args\":{\"name\":\"");
            out.text(pid == Pids[0] ? "inference-gateway" : "model-server");
            out.text("\"}}");
        }
        for (int thread = 0; thread < Threads; ++thread) {
            out.beginEvent();
            out.text("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":");
            out.integer(pidOf(thread));
            out.text(",\"tid\":");
            out.integer(tidOf(thread));
            out.text(",\"args\":{\"name\":\"worker-");
            out.integer(thread % ThreadsPerProcess);
            out.text("\"}}");
        }
        out.text("\n],\"displayTimeUnit\":\"ms\"}\n");
    }
    if (std::fclose(file) != 0) {
        std::perror(argv[2]);
        return 1;
    }
    return 0;
}
