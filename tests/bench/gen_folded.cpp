// lundi-bench-gen-folded OUT_FILE [MEGABYTES=100]: a deterministic folded-stacks profile of about
// MEGABYTES, as `perf script | stackcollapse-perf.pl --tid` writes one: a root per process and
// thread ("model-server-3101/3105"), stacks mostly 6 to 23 frames deep (at most 60) of C++
// signatures with spaces, C functions, JIT frames and kernel frames ("do_syscall_64_[k]"), each
// distinct stack on one line with its sample count, the lines of a thread in sorted order.
// Prints "records N": the spans the importer makes of it, one per distinct stack prefix.

#include "bufferedoutput.h"
#include "calltrees.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace lundi::bench;

namespace {

constexpr const char* Processes[] = {"inference-gateway", "model-server", "python3", "postgres", "envoy"};
constexpr const char* Kernel[] = {"entry_SYSCALL_64_after_hwframe",
                                  "do_syscall_64",
                                  "__x64_sys_read",
                                  "__x64_sys_write",
                                  "__x64_sys_epoll_wait",
                                  "__x64_sys_futex",
                                  "ksys_read",
                                  "vfs_read",
                                  "tcp_sendmsg",
                                  "tcp_recvmsg",
                                  "do_futex",
                                  "futex_wait",
                                  "schedule",
                                  "__schedule",
                                  "finish_task_switch",
                                  "copy_user_enhanced_fast_string",
                                  "asm_exc_page_fault",
                                  "handle_mm_fault"};
constexpr const char* LibC[] = {"__libc_start_main",
                                "start_thread",
                                "clone3",
                                "__GI___poll",
                                "epoll_wait",
                                "malloc",
                                "_int_malloc",
                                "free",
                                "memcpy@GLIBC_2.2.5",
                                "pthread_cond_wait@@GLIBC_2.3.2",
                                "__memmove_avx_unaligned_erms",
                                "[unknown]"};
constexpr const char* Signatures[] = {"()", "(int, long) const", "(std::string const&)",
                                      "(std::vector<float, std::allocator<float> > const&, unsigned long)"};

// Every frame name, sorted, so that picking indices in order picks names in order.
std::vector<std::string> frameNames()
{
    std::vector<std::string> names;
    for (const char* name : Kernel)
        names.push_back(std::string(name) + "_[k]");
    for (const char* name : LibC)
        names.push_back(name);
    for (size_t module = 0; module < Modules.size(); ++module) {
        for (size_t function = 0; function < Functions.size(); ++function) {
            const std::string base = std::string(Modules[module]) + "::" + Functions[function];
            // C++ with its signature, a JIT frame or a plain symbol, by module and function.
            switch ((module * 7 + function * 3) % 4) {
            case 0:
            case 1:
                names.push_back(base + Signatures[(module + function) % std::size(Signatures)]);
                break;
            case 2:
                names.push_back(std::string("com/lundi/") + Modules[module] + "/" + Functions[function] +
                                ":.apply_[j]");
                break;
            default:
                names.push_back(std::string(Modules[module]) + "_" + Functions[function]);
            }
            names.push_back(base + "Impl" + Signatures[function % std::size(Signatures)]);
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

class Generator
{
  public:
    Generator(FILE* file, uint64_t bytes)
        : m_out(file, "lundi-bench-gen-folded"), m_target(bytes), m_names(frameNames())
    {
    }

    // Roots one after another, each a thread's call tree of a few thousand distinct stacks.
    void run()
    {
        for (int thread = 0; m_out.bytes() < m_target; ++thread) {
            const int pid = 3101 + 17 * (thread / 8);
            m_path = std::string(Processes[size_t(thread / 8) % std::size(Processes)]) + "-" +
                     std::to_string(pid) + "/" + std::to_string(pid + thread % 8);
            node(0, 500 + int(m_random.below(4500)));
        }
        m_out.flush();
    }

    long long spans() const { return m_spans; }

  private:
    // The node whose frame ends m_path, with `budget` nodes in its subtree (itself included):
    // its own samples where it is a leaf or now and then runs code of its own, then its callees.
    void node(int depth, int budget)
    {
        ++m_spans;
        int left = budget - 1;
        if (left <= 0 || depth >= 60) {
            line();
            return;
        }
        if (m_random.below(100) < 15)
            line();
        // Often one callee, as call chains are; sometimes a fan.
        const uint32_t shape = m_random.below(100);
        int callees = shape < 50   ? 1
                      : shape < 75 ? 2
                      : shape < 92 ? 3 + int(m_random.below(3))
                                   : 6 + int(m_random.below(10));
        callees = std::min(callees, left);
        // Distinct callees in name order: sorted picks from the sorted names.
        std::vector<uint32_t> picks;
        while (picks.size() < size_t(callees)) {
            const uint32_t pick = m_random.below(uint32_t(m_names.size()));
            if (std::find(picks.begin(), picks.end(), pick) == picks.end())
                picks.push_back(pick);
        }
        std::sort(picks.begin(), picks.end());
        const size_t length = m_path.size();
        for (int callee = 0; callee < callees; ++callee) {
            // About an even share of what is left, at least one node for each callee to come.
            const int after = callees - callee - 1;
            const int even = left / (after + 1);
            const int share =
                after ? std::clamp(even / 2 + int(m_random.below(uint32_t(even) + 1)), 1, left - after)
                      : left;
            left -= share;
            m_path += ';';
            m_path += m_names[picks[size_t(callee)]];
            node(depth + 1, share);
            m_path.resize(length);
        }
    }

    // The stack in m_path with its samples: mostly a few, some many.
    void line()
    {
        const uint32_t samples = 1 + m_random.below(8) + (m_random.below(10) == 0 ? m_random.below(2000) : 0);
        m_out.text(m_path).text(" ").integer(samples).text("\n").endRecord();
    }

    BufferedOutput m_out;
    uint64_t m_target;
    std::vector<std::string> m_names;
    Random m_random{42};
    std::string m_path;
    long long m_spans = 0;
};

} // namespace

int main(int argc, char** argv)
{
    char* end = nullptr;
    const long megabytes = argc == 3 ? std::strtol(argv[2], &end, 10) : 100;
    if (argc < 2 || argc > 3 || (argc == 3 && (*end || megabytes < 1))) {
        std::fprintf(stderr, "usage: lundi-bench-gen-folded OUT_FILE [MEGABYTES=100]\n");
        return 2;
    }
    FILE* file = std::fopen(argv[1], "wb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    Generator generator(file, uint64_t(megabytes) * 1'000'000);
    generator.run(); // flushes: nothing is written after fclose
    if (std::fclose(file) != 0) {
        std::perror(argv[1]);
        return 1;
    }
    std::printf("records %lld\n", generator.spans());
    return 0;
}
