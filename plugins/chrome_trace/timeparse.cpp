#include "timeparse.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace lundi::chrome {

namespace {

std::optional<qint64> viaDouble(std::string_view text)
{
    const std::string copy(text);
    char* end = nullptr;
    const double micros = std::strtod(copy.c_str(), &end);
    const double ns = micros * 1000.0;
    if (end != copy.c_str() + copy.size() || !std::isfinite(ns) || std::abs(ns) >= 9.2e18)
        return std::nullopt;
    return qint64(std::llround(ns));
}

} // namespace

std::optional<qint64> microsecondsToNs(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty())
        return std::nullopt;
    if (text.find_first_of("eE") != std::string_view::npos)
        return viaDouble(text);
    size_t i = 0;
    const bool negative = text[0] == '-';
    if (negative || text[0] == '+')
        ++i;
    constexpr qint64 limit = std::numeric_limits<qint64>::max() / 1000 - 1;
    qint64 micros = 0;
    bool digits = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        micros = micros * 10 + (text[i] - '0');
        digits = true;
        if (micros > limit)
            return std::nullopt;
    }
    qint64 ns = micros * 1000;
    if (i < text.size() && text[i] == '.') {
        ++i;
        // Three fraction digits are nanoseconds; the fourth rounds.
        qint64 scale = 100;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            digits = true;
            if (scale > 0)
                ns += (text[i] - '0') * scale;
            else if (scale == 0 && text[i] >= '5')
                ++ns;
            scale = scale > 0 ? scale / 10 : -1;
        }
    }
    if (!digits || i != text.size())
        return std::nullopt;
    return negative ? -ns : ns;
}

} // namespace lundi::chrome
