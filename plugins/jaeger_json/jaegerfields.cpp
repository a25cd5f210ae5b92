#include "jaegerfields.h"

#include <limits>

namespace lundi::jaeger {

std::optional<qint64> microsecondsToNs(std::string_view text)
{
    constexpr qint64 limit = std::numeric_limits<qint64>::max() / 1000;
    if (text.empty())
        return std::nullopt;
    qint64 micros = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        micros = micros * 10 + (c - '0');
        if (micros > limit)
            return std::nullopt;
    }
    return micros * 1000;
}

void normaliseId(std::string_view id, size_t hexDigits, std::string& out)
{
    if (id.empty() || id.size() > hexDigits) {
        out.assign(id);
        return;
    }
    out.assign(hexDigits, '0');
    char* digits = out.data() + (hexDigits - id.size());
    for (char c : id) {
        if (c >= 'A' && c <= 'F') {
            c = char(c - 'A' + 'a');
        } else if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
            out.assign(id);
            return;
        }
        *digits++ = c;
    }
}

} // namespace lundi::jaeger
