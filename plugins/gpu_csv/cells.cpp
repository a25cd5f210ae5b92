#include "cells.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

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

// NaN and the infinities as printf, numpy and pandas write them ("nan", "-inf", "Infinity"): values
// like any other, which the store keeps exactly.
std::optional<double> nonFinite(std::string_view text)
{
    const bool negative = text.front() == '-';
    if (negative || text.front() == '+')
        text.remove_prefix(1);
    const auto is = [&](std::string_view word) {
        return std::equal(text.begin(), text.end(), word.begin(), word.end(),
                          [](char a, char b) { return (a | 0x20) == b; });
    };
    double value = 0;
    if (is("nan"))
        value = std::numeric_limits<double>::quiet_NaN();
    else if (is("inf") || is("infinity"))
        value = std::numeric_limits<double>::infinity();
    else
        return std::nullopt;
    return negative ? -value : value;
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

bool isUnavailable(std::string_view text)
{
    return text.empty() || text == "-" || text == "N/A" || (text.front() == '[' && text.back() == ']');
}

Cell readCell(std::string_view text)
{
    if (isUnavailable(text))
        return {CellKind::Unavailable, 0, {}};
    const size_t start = text.front() == '+' ? 1 : 0;
    const bool negative = start < text.size() && text[start] == '-';
    size_t pos = start + negative;
    // from_chars would also take "inf" and "nan"; a number starts with a digit or a point.
    if ((start == 1 && negative) || pos >= text.size() ||
        !(isDigit(text[pos]) || (text[pos] == '.' && pos + 1 < text.size() && isDigit(text[pos + 1])))) {
        if (const std::optional<double> value = nonFinite(text))
            return {CellKind::Number, *value, {}};
        return {CellKind::Text, 0, {}};
    }
    Cell cell{CellKind::Number, 0, {}};
    // Most values are short decimals ("35", "250.00"): an integer of their digits divided by a
    // power of ten is then exact and correctly rounded (both are exact doubles), and much faster
    // than from_chars. Others (exponents, many digits) go through from_chars.
    uint64_t digits = 0;
    int count = 0;
    int fraction = 0;
    for (; pos < text.size() && isDigit(text[pos]); ++pos, ++count)
        digits = digits * 10 + uint64_t(text[pos] - '0');
    if (pos < text.size() && text[pos] == '.') {
        for (++pos; pos < text.size() && isDigit(text[pos]); ++pos, ++count, ++fraction)
            digits = digits * 10 + uint64_t(text[pos] - '0');
    }
    const bool exponent = pos < text.size() && (text[pos] == 'e' || text[pos] == 'E');
    if (count <= 15 && !exponent) {
        static constexpr double PowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
        cell.value = double(digits) / PowersOfTen[fraction];
        if (negative)
            cell.value = -cell.value;
    } else {
        const auto [end, error] = std::from_chars(text.data() + start, text.data() + text.size(), cell.value);
        if (error == std::errc::result_out_of_range)
            return {CellKind::OutOfRange, 0, {}};
        if (error != std::errc())
            return {CellKind::Text, 0, {}};
        pos = size_t(end - text.data());
    }
    std::string_view rest = text.substr(pos);
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
