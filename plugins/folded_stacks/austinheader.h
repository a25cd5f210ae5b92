#pragma once

#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>

namespace lundi::folded {

// The comment lines austin (the Python sampler) writes before its samples: "# austin: 3.3.0",
// "# interval: 100" (the sampling interval in microseconds), "# mode: wall". In its time modes
// (wall, cpu) each line's number is the sampled time in microseconds, not a count of samples,
// as its README says ("the sampling time measured in microseconds"): that, not the interval,
// is what turns the numbers into real time.
struct AustinHeader
{
    std::string version; // empty: the text does not start with austin's header
    std::string mode;    // "wall", "cpu", "memory", "full"; empty where the file does not say
    std::optional<qint64> intervalUs;

    // Reads the comment and blank lines at the start of text, up to its first other line.
    static AustinHeader read(std::string_view text);

    bool present() const { return !version.empty(); }
    // Whether the numbers are microseconds of time (austin's wall and cpu modes).
    bool timed() const { return present() && (mode.empty() || mode == "wall" || mode == "cpu"); }
};

} // namespace lundi::folded
