#include "timeaxis.h"

#include <QDateTime>
#include <QTimeZone>

#include <array>
#include <cmath>

namespace lundi {

namespace {

constexpr qint64 Second = 1'000'000'000;

// The decimal exponent of a step below a second (2e7 ns: 7), which fixes the digits to print.
int exponentOf(qint64 stepNs)
{
    int exponent = 0;
    for (qint64 s = stepNs; s >= 10 && s % 10 == 0; s /= 10)
        ++exponent;
    return exponent;
}

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

qint64 TimeAxis::step(double nsPerPixel, double minPixels)
{
    static constexpr std::array<qint64, 14> clockSteps{
        Second,       2 * Second,   5 * Second,   10 * Second,  15 * Second,   30 * Second,   60 * Second,
        120 * Second, 300 * Second, 600 * Second, 900 * Second, 1800 * Second, 3600 * Second, 7200 * Second};
    const double wanted = std::max(1.0, nsPerPixel * minPixels);
    for (qint64 decade = 1; decade < Second; decade *= 10) {
        for (qint64 m : {1, 2, 5}) {
            if (double(m * decade) >= wanted)
                return m * decade;
        }
    }
    for (qint64 s : clockSteps) {
        if (double(s) >= wanted)
            return s;
    }
    const qint64 hour = 3600 * Second;
    for (qint64 h : {3, 6, 12, 24}) {
        if (double(h * hour) >= wanted)
            return h * hour;
    }
    // Days beyond that.
    const qint64 day = 24 * hour;
    return qint64(std::ceil(wanted / double(day))) * day;
}

std::vector<qint64> TimeAxis::ticks(qint64 fromNs, qint64 toNs, qint64 stepNs, qint64 originNs)
{
    std::vector<qint64> out;
    if (stepNs <= 0 || toNs <= fromNs)
        return out;
    for (qint64 k = floorDiv(fromNs - originNs, stepNs); originNs + k * stepNs < toNs; ++k) {
        if (originNs + k * stepNs >= fromNs)
            out.push_back(originNs + k * stepNs);
    }
    return out;
}

QString TimeAxis::utcLabel(qint64 ns, qint64 stepNs)
{
    const qint64 seconds = floorDiv(ns, Second);
    const qint64 fraction = ns - seconds * Second;
    const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());
    // Steps of hours cross midnight, where the day matters.
    if (stepNs >= 3 * 3600 * Second)
        return time.toString(QStringLiteral("MM-dd HH:mm"));
    if (stepNs >= 60 * Second && stepNs % (60 * Second) == 0)
        return time.toString(QStringLiteral("HH:mm"));
    QString label = time.toString(QStringLiteral("HH:mm:ss"));
    if (stepNs < Second) {
        const int digits = 9 - exponentOf(stepNs);
        label += QLatin1Char('.') + QStringLiteral("%1").arg(fraction, 9, 10, QLatin1Char('0')).left(digits);
    }
    return label;
}

QString TimeAxis::utcDate(qint64 ns)
{
    return QDateTime::fromSecsSinceEpoch(floorDiv(ns, Second), QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd"));
}

QString TimeAxis::relativeLabel(qint64 offsetNs, qint64 stepNs)
{
    if (offsetNs == 0)
        return QStringLiteral("0");
    struct Unit
    {
        int exponent;
        const char* name;
    };
    static constexpr std::array<Unit, 4> units{{{9, "s"}, {6, "ms"}, {3, "µs"}, {0, "ns"}}};
    const int stepExponent = exponentOf(stepNs);
    // The largest unit in which the step is at least a hundredth: 50 ms steps read "+1.25 s".
    Unit unit = units.back();
    for (const Unit& u : units) {
        if (double(stepNs) >= std::pow(10.0, u.exponent - 2)) {
            unit = u;
            break;
        }
    }
    const int digits = std::max(0, unit.exponent - stepExponent);
    const double value = double(offsetNs) / std::pow(10.0, unit.exponent);
    return (offsetNs > 0 ? QStringLiteral("+") : QStringLiteral("-")) +
           QString::number(std::abs(value), 'f', digits) + QLatin1Char(' ') + QString::fromUtf8(unit.name);
}

} // namespace lundi
