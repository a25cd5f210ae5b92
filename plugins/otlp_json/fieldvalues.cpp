#include "fieldvalues.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace lundi::otlp {

namespace {

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The value of a base64 digit in the standard or the URL-safe alphabet, or -1.
int base64Digit(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

} // namespace

Integer parseInteger(std::string_view text)
{
    Integer result;
    if (text.empty() || text.front() == '+')
        return result;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result.value);
    if (error == std::errc::result_out_of_range) {
        // Digits all the way, only too many of them.
        const size_t digits = text.find_first_not_of("0123456789", text.front() == '-' ? 1 : 0);
        result.status =
            digits == std::string_view::npos ? IntegerStatus::OutOfRange : IntegerStatus::NotInteger;
        return result;
    }
    result.status = error == std::errc() && end == text.data() + text.size() ? IntegerStatus::Ok
                                                                             : IntegerStatus::NotInteger;
    return result;
}

std::optional<double> parseDouble(std::string_view text)
{
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity")
        return std::numeric_limits<double>::infinity();
    if (text == "-Infinity")
        return -std::numeric_limits<double>::infinity();
    // from_chars also reads "inf" and "nan", which JSON numbers never are; leave those out.
    if (text.empty() || text.find_first_of("iInN") != std::string_view::npos)
        return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

bool normaliseId(std::string_view text, size_t bytes, std::string& id)
{
    id.clear();
    if (text.empty())
        return true;
    const bool hex = text.size() <= 2 * bytes &&
                     std::all_of(text.begin(), text.end(), [](char c) { return isHexDigit(c); });
    if (hex) {
        id.assign(2 * bytes, '0');
        char* out = id.data() + (2 * bytes - text.size());
        for (const char c : text)
            *out++ = c >= 'A' && c <= 'F' ? char(c - 'A' + 'a') : c;
        return true;
    }
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    // Base64 of exactly the id's bytes, with or without its padding.
    if (text.size() % 4 == 1 || text.size() * 3 / 4 != bytes)
        return false;
    static constexpr char Digits[] = "0123456789abcdef";
    quint32 bits = 0;
    int bitCount = 0;
    for (const char c : text) {
        const int digit = base64Digit(c);
        if (digit < 0)
            return false;
        bits = bits << 6 | quint32(digit);
        bitCount += 6;
        if (bitCount >= 8) {
            bitCount -= 8;
            const quint32 byte = bits >> bitCount & 0xff;
            id.push_back(Digits[byte >> 4]);
            id.push_back(Digits[byte & 0xf]);
        }
    }
    return true;
}

void appendJsonString(std::string& out, std::string_view text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    out.push_back('"');
    size_t plain = 0; // start of the run of characters that need no escape
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.append("\\u00");
            out.push_back(Hex[c >> 4]);
            out.push_back(Hex[c & 0xf]);
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out.push_back('"');
}

std::string formatBound(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char digits[32];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    return std::string(digits, end);
}

} // namespace lundi::otlp
