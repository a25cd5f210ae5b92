#include "timeformat.h"

#include <QDateTime>
#include <QRegularExpression>

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

namespace {

constexpr double HundredYearsNs = 100 * 365.25 * 86400e9;

std::optional<qint64> nanoseconds(double value)
{
    if (!std::isfinite(value) || std::abs(value) > HundredYearsNs)
        return std::nullopt;
    return qint64(std::llround(value));
}

// Unix seconds as written ("1795514400.123456789"), to the nanosecond: through a double they are
// off by up to a few hundred nanoseconds at today's times.
std::optional<qint64> exactSeconds(const QString& text)
{
    static const QRegularExpression decimal(QStringLiteral("^(-?)([0-9]{1,10})(?:\\.([0-9]{1,9}))?$"));
    const QRegularExpressionMatch match = decimal.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 seconds = match.captured(2).toLongLong();
    if (double(seconds) * 1e9 > HundredYearsNs)
        return std::nullopt;
    const qint64 ns =
        seconds * 1'000'000'000 + match.captured(3).leftJustified(9, QLatin1Char('0')).toLongLong();
    return match.captured(1).isEmpty() ? ns : -ns;
}

} // namespace

std::optional<qint64> parseDuration(const QString& text)
{
    static const std::pair<QLatin1StringView, double> Units[] = {
        {QLatin1StringView("ns"), 1},     {QLatin1StringView("us"), 1e3}, {QLatin1StringView("ms"), 1e6},
        {QLatin1StringView("min"), 60e9}, {QLatin1StringView("s"), 1e9},  {QLatin1StringView("m"), 60e9},
        {QLatin1StringView("h"), 3600e9}};
    const QString trimmed = text.trimmed();
    double scale = 1e9;
    QStringView number = trimmed;
    for (const auto& [unit, factor] : Units) {
        if (trimmed.endsWith(unit)) {
            number = QStringView(trimmed).chopped(unit.size()).trimmed();
            scale = factor;
            break;
        }
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return nanoseconds(value * scale);
}

std::optional<qint64> parseInstant(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (const std::optional<qint64> exact = exactSeconds(trimmed))
        return exact;
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return nanoseconds(seconds * 1e9);
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    return time.toMSecsSinceEpoch() * 1'000'000;
}

} // namespace lundi::TimeFormat
