#pragma once

#include <QString>

#include <vector>

namespace lundi {

// Where a time ruler puts its ticks and what it writes under them: steps of 1, 2 and 5 below a
// second, and the steps a clock is read in above it (15 s, 30 s, 5 min, 1 h…), so that UTC
// labels fall on round times.
namespace TimeAxis {
// The smallest step that leaves at least minPixels between ticks.
qint64 step(double nsPerPixel, double minPixels);
// The ticks of [fromNs, toNs) counted from originNs: originNs + k * stepNs.
std::vector<qint64> ticks(qint64 fromNs, qint64 toNs, qint64 stepNs, qint64 originNs = 0);
// "08:14:05.250": the UTC time of day, to as many digits as the step needs.
QString utcLabel(qint64 ns, qint64 stepNs);
// "2026-11-23": the UTC date.
QString utcDate(qint64 ns);
// "+1.25 s", "-300 ms", "0": an offset, in the unit and digits the step needs.
QString relativeLabel(qint64 offsetNs, qint64 stepNs);
} // namespace TimeAxis

} // namespace lundi
