#pragma once

#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>

namespace lundi::otlp {

// The scalar values of OTLP/JSON fields, read from the text RapidJSON hands over (numbers
// arrive as text too, so int64 values stay exact).

enum class IntegerStatus : quint8 { Ok, NotInteger, OutOfRange };

struct Integer
{
    IntegerStatus status = IntegerStatus::NotInteger;
    qint64 value = 0;
};

// A whole decimal number within int64 ("-12", "1711138246978000000"); no fraction, exponent or
// plus sign, as protobuf's JSON mapping writes int64 and fixed64.
Integer parseInteger(std::string_view text);

// A JSON number or the text of one ("1.5", "1e3"), or the protobuf JSON names of the
// non-finite doubles ("NaN", "Infinity", "-Infinity").
std::optional<double> parseDouble(std::string_view text);

// Writes a trace or span id into id in lower-case hex, zero-padded on the left to 2 * bytes
// digits. OTLP/JSON writes ids in hex (either case); protobuf's generic JSON mapping writes them
// in base64. Empty text gives an empty id; false for text that is neither (or too long).
bool normaliseId(std::string_view text, size_t bytes, std::string& id);

// Appends text as a JSON string literal, quotes included.
void appendJsonString(std::string& out, std::string_view text);

// A label value for a bucket bound or quantile: the shortest text that reads back as the same
// double, and Prometheus's "+Inf", "-Inf", "NaN".
std::string formatBound(double value);

} // namespace lundi::otlp
