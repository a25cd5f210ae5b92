#include "timeformat.h"

#include <QDateTime>

#include <cmath>

namespace lundi::TimeFormat {

QString duration(qint64 ns)
{
    const double abs = std::abs(double(ns));
    if (abs >= 2 * 3600e9)
        return QString::number(double(ns) / 3600e9, 'f', 2) + QStringLiteral(" h");
    if (abs >= 60e9)
        return QString::number(double(ns) / 60e9, 'f', 2) + QStringLiteral(" min");
    if (abs >= 1e9)
        return QString::number(double(ns) / 1e9, 'f', 3) + QStringLiteral(" s");
    if (abs >= 1e6)
        return QString::number(double(ns) / 1e6, 'f', 3) + QStringLiteral(" ms");
    if (abs >= 1e3)
        return QString::number(double(ns) / 1e3, 'f', 3) + QStringLiteral(" us");
    return QString::number(ns) + QStringLiteral(" ns");
}

QString utc(qint64 ns)
{
    // Floor, so an instant just before midnight does not print as the next day.
    const qint64 ms = ns >= 0 ? ns / 1'000'000 : -((-ns + 999'999) / 1'000'000);
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace lundi::TimeFormat
