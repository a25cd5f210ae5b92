#pragma once

#include <QString>

namespace lundi {

// The unit an axis of durations is read in: the largest one in which the longest is at least 1
// (minutes from five of them on), so ticks read "20", "40", "60" rather than "2e10". The
// Breakdown view's charts and the report's read durations in it.
struct DurationUnit
{
    double ns = 1;
    QString name;

    static DurationUnit of(double longestNs)
    {
        if (longestNs >= 300e9)
            return {60e9, QStringLiteral("min")};
        if (longestNs >= 1e9)
            return {1e9, QStringLiteral("s")};
        if (longestNs >= 1e6)
            return {1e6, QStringLiteral("ms")};
        if (longestNs >= 1e3)
            return {1e3, QStringLiteral("us")};
        return {1, QStringLiteral("ns")};
    }
};

} // namespace lundi
