#pragma once

#include "skippedlines.h"

#include <string_view>

namespace lundi::folded {

// Each sample is worth this much synthetic time, so that flame charts and every other view of
// time work on a profile that has none.
inline constexpr qint64 NsPerSample = 1'000'000;
// A profile may last 100 years of synthetic time: far from overflowing 64-bit nanoseconds.
inline constexpr qint64 MaxProfileNs = qint64(100) * 365 * 86400 * 1'000'000'000;

// One line of a folded profile, "frame;frame;frame count", read without copying: the frames may
// hold spaces (C++ signatures), so the count is what follows the last space or tab.
struct FoldedLine
{
    enum class Kind : quint8 { Blank, Comment, Stack, Bad };

    Kind kind = Kind::Blank;
    SkipReason problem = SkipReason::NoCount; // of a Bad line
    std::string_view stack;                   // the frames before the last count
    qint64 ns = 0;                            // the last count, as synthetic time
    // Where the line ends in two counts, as a differential profile's do ("a;b 10 12"): the frames
    // before both, and the first count (too large: the line cannot be read as two counts).
    std::string_view baselineStack; // empty unless the line ends in two counts
    qint64 baselineNs = 0;
    bool baselineTooLarge = false;

    // line: without its line break; nsPerCount: the time one count stands for, a power of ten
    // (NsPerSample of synthetic time, or 1000 where the counts are microseconds).
    static FoldedLine parse(std::string_view line, qint64 nsPerCount = NsPerSample);
};

} // namespace lundi::folded
