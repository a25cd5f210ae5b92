#pragma once

#include <QtGlobal>

#include <optional>
#include <string_view>

namespace lundi::chrome {

// A trace time in microseconds, written as a JSON number or a string ("12.345", "-17000",
// "1.5e3"), as integer nanoseconds. Plain decimals are converted exactly, without going through
// a double. nullopt for text that is no number or lies beyond the int64 nanosecond range.
std::optional<qint64> microsecondsToNs(std::string_view text);

} // namespace lundi::chrome
