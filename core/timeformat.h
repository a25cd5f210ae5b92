#pragma once

#include <QString>

namespace lundi {

// Times as every view, report and the CLI print them.
namespace TimeFormat {
// "12.500 ms", "3.250 s", "4.20 min", "2.50 h": the unit that keeps the number readable.
QString duration(qint64 ns);
// "2026-11-23T08:14:05.250Z": an instant in UTC, to the millisecond.
QString utc(qint64 ns);
} // namespace TimeFormat

} // namespace lundi
