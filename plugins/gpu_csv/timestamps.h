#pragma once

#include <QtGlobal>

#include <optional>
#include <string_view>

namespace lundi::gpucsv {

// The ways GPU dumps write their times, read by hand rather than through QDateTime: a dump of
// 100 MB has millions of them.

// A calendar time: nvidia-smi's "2024/05/01 12:00:00.123", or ISO 8601 "2024-05-01T12:00:00Z",
// "2024-05-01 12:00:00.5+02:00", "2024-05-01". Without a zone it is read as UTC and hasZone is
// false. nullopt for other text and for years outside what int64 nanoseconds hold (1678-2261).
std::optional<qint64> parseCalendarTime(std::string_view text, bool& hasZone);

// nvidia-smi dmon -o D's "20240501", as the nanoseconds of that day's midnight (UTC).
std::optional<qint64> parseCompactDate(std::string_view text);
// dmon -o T's "12:00:00" (fractions allowed), as nanoseconds since midnight.
std::optional<qint64> parseTimeOfDay(std::string_view text);

// Epoch times are written in seconds, milliseconds, microseconds or nanoseconds; a column says
// which only by the size of its numbers.
enum class EpochUnit { Seconds, Milliseconds, Microseconds, Nanoseconds };
const char* epochUnitName(EpochUnit unit);
// The unit of an epoch time that size: anything below 1e11 is seconds (before the year 5138),
// below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds. nullopt for text that is
// no plain decimal number.
std::optional<EpochUnit> guessEpochUnit(std::string_view text);
// A decimal number in that unit (fractions allowed) as nanoseconds, exactly, without a double.
// nullopt for other text and beyond the int64 nanosecond range.
std::optional<qint64> parseEpoch(std::string_view text, EpochUnit unit);

} // namespace lundi::gpucsv
