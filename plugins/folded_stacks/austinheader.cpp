#include "austinheader.h"

#include <charconv>

namespace lundi::folded {

namespace {

std::string_view trimmed(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r") + 1 - first);
}

} // namespace

AustinHeader AustinHeader::read(std::string_view text)
{
    AustinHeader header;
    // A header is a few short lines: a long run of comments is no austin header.
    constexpr int MostLines = 64;
    for (int lines = 0; !text.empty() && lines < MostLines; ++lines) {
        const size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trimmed(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (line.empty())
            continue;
        if (!line.starts_with('#'))
            break;
        const std::string_view field = trimmed(line.substr(1));
        const size_t colon = field.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view key = trimmed(field.substr(0, colon));
        const std::string_view value = trimmed(field.substr(colon + 1));
        if (key == "austin") {
            header.version = value;
        } else if (key == "mode") {
            header.mode = value;
        } else if (key == "interval") {
            qint64 us = 0;
            const auto [stop, error] = std::from_chars(value.data(), value.data() + value.size(), us);
            if (error == std::errc() && stop == value.data() + value.size() && us > 0)
                header.intervalUs = us;
        }
    }
    if (!header.present())
        return {};
    return header;
}

} // namespace lundi::folded
