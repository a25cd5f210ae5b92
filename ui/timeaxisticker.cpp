#include "timeaxisticker.h"

#include "timeaxis.h"

#include <cmath>

namespace lundi {

double TimeAxisTicker::getTickStep(const QCPRange& range)
{
    // At least the range over the wanted tick count: TimeAxis rounds it up to a step a clock
    // is read in.
    m_stepNs = TimeAxis::step(range.size() * 1e9 / std::max(1, tickCount()), 1.0);
    return double(m_stepNs) / 1e9;
}

int TimeAxisTicker::getSubTickCount(double tickStep)
{
    Q_UNUSED(tickStep);
    return 0;
}

QVector<double> TimeAxisTicker::createTickVector(double tickStep, const QCPRange& range)
{
    Q_UNUSED(tickStep);
    QVector<double> ticks;
    // Counted from the epoch, so that ticks fall on round UTC times.
    for (const qint64 ns : TimeAxis::ticks(timeOf(range.lower), timeOf(range.upper) + 1, m_stepNs))
        ticks.append(keyOf(ns));
    return ticks;
}

QString TimeAxisTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision)
{
    Q_UNUSED(locale);
    Q_UNUSED(formatChar);
    Q_UNUSED(precision);
    return TimeAxis::utcLabel(timeOf(tick), m_stepNs);
}

} // namespace lundi
