#include "changepalette.h"

#include "analysis/flamediff.h"

#include <algorithm>
#include <cmath>

namespace lundi {

namespace {

QColor mix(const QColor& from, const QColor& to, double t)
{
    const auto channel = [t](int a, int b) { return int(std::lround(a + (b - a) * t)); };
    return QColor(channel(from.red(), to.red()), channel(from.green(), to.green()),
                  channel(from.blue(), to.blue()));
}

} // namespace

QColor ChangePalette::unchanged()
{
    return QColor::fromRgb(0xffd0d0d0);
}

QColor ChangePalette::fill(double change, double scale)
{
    if (std::abs(change) < FlameDiff::UnchangedShare || scale <= 0)
        return unchanged();
    // Even a small change shows a tint: the ramp starts a fifth of the way from grey.
    const double t = 0.2 + 0.8 * std::min(1.0, std::abs(change) / scale);
    static const QColor grew = QColor::fromRgb(0xffe8543f);
    static const QColor shrank = QColor::fromRgb(0xff4f86e0);
    return mix(unchanged(), change > 0 ? grew : shrank, t);
}

} // namespace lundi
