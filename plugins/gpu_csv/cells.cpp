#include "cells.h"

#include <charconv>
#include <cmath>

namespace lundi::gpucsv {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// A unit is a short word without blanks: "W", "MiB", "MHz", "%", "us", "KB/s".
bool isUnit(std::string_view text)
{
    if (text.empty() || text.size() > 16)
        return false;
    for (const char c : text) {
        if (isBlank(c) || isDigit(c) || c == ',' || c == '"')
            return false;
    }
    return true;
}

} // namespace

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && isBlank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isBlank(text.back()))
        text.remove_suffix(1);
    return text;
}

Cell readCell(std::string_view text)
{
    if (text.empty() || text == "-" || text == "N/A" || (text.front() == '[' && text.back() == ']'))
        return {CellKind::Unavailable, 0, {}};
    // from_chars would also take "inf" and "nan"; a number starts with a digit, a sign or a point.
    size_t start = text.front() == '+' ? 1 : 0;
    const size_t first = start + (start < text.size() && text[start] == '-');
    if (first >= text.size() || !(isDigit(text[first]) || (text[first] == '.' && first + 1 < text.size() &&
                                                           isDigit(text[first + 1])))) {
        return {CellKind::Text, 0, {}};
    }
    if (start == 1 && text[1] == '-')
        return {CellKind::Text, 0, {}};
    Cell cell{CellKind::Number, 0, {}};
    const auto [end, error] = std::from_chars(text.data() + start, text.data() + text.size(), cell.value);
    if (error == std::errc::result_out_of_range)
        return {CellKind::OutOfRange, 0, {}};
    if (error != std::errc())
        return {CellKind::Text, 0, {}};
    std::string_view rest = text.substr(size_t(end - text.data()));
    if (rest.empty())
        return cell;
    if (rest == "%") {
        cell.unit = rest;
        return cell;
    }
    if (!isBlank(rest.front()))
        return {CellKind::Text, 0, {}};
    rest = trimmed(rest);
    if (!isUnit(rest))
        return {CellKind::Text, 0, {}};
    cell.unit = rest;
    return cell;
}

} // namespace lundi::gpucsv
