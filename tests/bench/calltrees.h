#pragma once

// The shape of the benchmark's workload, shared by the Chrome trace generator and the
// FlameTree bench so both measure the same trees: call trees 5-15 deep over a few hundred
// distinct names, on several threads, deterministic from a fixed seed.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lundi::bench {

// splitmix64: tiny, fast, and the same sequence on every platform and standard library.
class Random
{
  public:
    explicit Random(uint64_t seed) : m_state(seed) {}

    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // In [0, bound).
    uint32_t below(uint32_t bound) { return uint32_t((next() >> 32) * bound >> 32); }

  private:
    uint64_t m_state;
};

inline constexpr std::array<const char*, 20> Modules = {
    "http",   "grpc",      "auth",  "policy", "pii",  "db", "sql", "redis", "vector",   "cuda",
    "kernel", "tokenizer", "cache", "queue",  "json", "io", "net", "tls",   "compress", "sched"};
// The Chrome `cat` of each module, so classification has something to match.
inline constexpr std::array<const char*, 20> ModuleCats = {
    "api", "rpc",     "auth",  "policy", "pii",     "db", "sql", "redis", "vector",  "cuda",
    "gpu", "compute", "cache", "queue",  "compute", "io", "net", "net",   "compute", "sched"};
inline constexpr std::array<const char*, 16> Functions = {
    "Handle", "Read", "Write", "Encode", "Decode", "Lookup", "Scan", "Launch",
    "Sync",   "Wait", "Parse", "Flush",  "Open",   "Close",  "Send", "Recv"};
inline constexpr uint32_t VariantOdds = 100; // one call in this many goes to another callee
inline constexpr int NameCount = int(Modules.size() * Functions.size()); // 320

inline std::string frameName(int name)
{
    return std::string(Modules[size_t(name) / Functions.size()]) +
           "::" + Functions[size_t(name) % Functions.size()];
}

inline const char* frameCat(int name)
{
    return ModuleCats[size_t(name) / Functions.size()];
}

struct CallNode
{
    int depth = 0;
    int name = 0;    // in [0, NameCount)
    int parent = -1; // index in the tree, -1 for the root
    int64_t startNs = 0;
    int64_t durNs = 0;
};

// Emits call trees, each as its nodes in pre-order (parents first, children in start order),
// until exactly `count` nodes were made. Trees go round-robin over `threads` threads, each with
// its own clock; onTree(thread, nodes) gets each finished tree.
template <class OnTree> void generateCallTrees(int64_t count, int threads, uint64_t seed, OnTree&& onTree)
{
    Random random(seed);
    std::vector<int64_t> clocks(size_t(threads), 3'000'000'000'000); // 3000 s after the tracer's zero
    std::vector<CallNode> tree;
    int64_t left = count;

    // A function calls the same callees in the same order (its fan-out is fixed by its name),
    // now and then another one (a data-dependent branch), so stacks repeat as in real programs
    // and the flame tree has thousands of nodes, not one per span.
    const auto build = [&](auto& self, int depth, int maxDepth, int name, int parent,
                           int64_t start) -> int64_t {
        const int index = int(tree.size());
        tree.push_back({depth, name, parent, start, 0});
        --left;
        int64_t clock = start + 200 + random.below(3000);
        if (depth < maxDepth) {
            const uint32_t fanout = (uint32_t(name) * 2654435761u >> 16) % 20;
            const int children = 1 + (fanout < 5) + (fanout < 2);
            for (int c = 0; c < children && left > 0; ++c) {
                const uint32_t variant = random.below(VariantOdds) == 0 ? 1 + random.below(4) : 0;
                const int callee =
                    int((uint32_t(name) * 31 + uint32_t(c) * 97 + variant * 13 + 7) % NameCount);
                clock = self(self, depth + 1, maxDepth, callee, index, clock);
                clock += 100 + random.below(5000);
            }
        } else {
            // Leaves: mostly short, a few long, as a log-ish spread.
            clock += int64_t(1000) << random.below(10);
            clock += random.below(1000);
        }
        tree[size_t(index)].durNs = clock - start;
        return clock;
    };

    for (int thread = 0; left > 0; thread = (thread + 1) % threads) {
        tree.clear();
        const int root = int(random.below(12) * 16);    // the Handle of one of the first 12 modules
        const int maxDepth = 4 + int(random.below(11)); // 5 to 15 levels
        const int64_t end = build(build, 0, maxDepth, root, -1, clocks[size_t(thread)]);
        clocks[size_t(thread)] = end + 1000 + random.below(20'000);
        onTree(thread, tree);
    }
}

} // namespace lundi::bench
