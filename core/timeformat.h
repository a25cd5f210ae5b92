#pragma once

#include <QString>

#include <optional>

namespace lundi {

// Times as every view, report and the CLI print them.
namespace TimeFormat {
// "12.500 ms", "3.250 s", "4.20 min", "2.50 h": the unit that keeps the number readable.
QString duration(qint64 ns);
// "2026-11-23T08:14:05.250Z": an instant in UTC, to the millisecond.
QString utc(qint64 ns);

// What users type: "250ms", "-1.5s", "2h", "90" (seconds), with units ns, us, ms, s, m or min, h.
// Nothing for text that is not a duration or lies beyond ±100 years.
std::optional<qint64> parseDuration(const QString& text);
// An instant: ISO 8601 ("2026-11-24T10:00:00Z", "...+01:00", no zone: UTC) or Unix time in
// seconds, which may have a fraction ("1732442400.5").
std::optional<qint64> parseInstant(const QString& text);
} // namespace TimeFormat

} // namespace lundi
