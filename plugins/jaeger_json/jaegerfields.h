#pragma once

#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>

namespace lundi::jaeger {

// Jaeger writes times and durations as whole microseconds (unsigned 64-bit in its model), as a
// JSON number or, from some tools, a string of digits. Converted to nanoseconds exactly, without
// a double; nullopt for anything else (a fraction, an exponent, a sign) or beyond the int64
// nanosecond range (the year 2262).
std::optional<qint64> microsecondsToNs(std::string_view text);

// Ids as hex digits, lower-case and left-padded with zeros to hexDigits (16 for a span, 32 for a
// trace, as OTLP writes them), so that "1f" and "000000000000001F" are the same span. Ids that are
// no hex number or are longer are kept as written.
void normaliseId(std::string_view id, size_t hexDigits, std::string& out);

} // namespace lundi::jaeger
