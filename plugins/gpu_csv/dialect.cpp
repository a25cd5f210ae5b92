#include "dialect.h"
#include "cells.h"
#include "columns.h"
#include "csvcells.h"
#include "timestamps.h"

#include <algorithm>
#include <vector>

namespace lundi::gpucsv {

namespace {

// The first lines of the head that are not blank, without line ends.
std::vector<std::string_view> firstLines(std::string_view text, size_t count)
{
    std::vector<std::string_view> lines;
    while (!text.empty() && lines.size() < count) {
        const size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trimmed(text.substr(0, end));
        if (!line.empty())
            lines.push_back(line);
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return lines;
}

std::vector<std::string_view> blankSeparated(std::string_view text)
{
    std::vector<std::string_view> tokens;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t start = text.find_first_not_of(" \t,", pos);
        if (start == std::string_view::npos)
            break;
        const size_t end = std::min(text.find_first_of(" \t,", start), text.size());
        tokens.push_back(text.substr(start, end - start));
        pos = end;
    }
    return tokens;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

bool hasToken(const std::vector<std::string_view>& tokens, std::initializer_list<std::string_view> names)
{
    return std::any_of(tokens.begin(), tokens.end(), [&](std::string_view token) {
        return std::any_of(names.begin(), names.end(),
                           [&](std::string_view name) { return equalsNoCase(token, name); });
    });
}

Dialect monitorDialect(std::string_view line)
{
    const std::vector<std::string_view> tokens = blankSeparated(line.substr(1));
    if (tokens.empty())
        return Dialect::Unknown;
    if (equalsNoCase(tokens[0], "Entity"))
        return Dialect::DcgmiDmon;
    // The names line starts with the GPU's index, or with -o DT's date and time.
    if (!equalsNoCase(tokens[0], "gpu") && !equalsNoCase(tokens[0], "Date") &&
        !equalsNoCase(tokens[0], "Time"))
        return Dialect::Unknown;
    if (hasToken(tokens, {"pid"}))
        return Dialect::SmiPmon;
    if (hasToken(tokens, {"pwr", "gtemp", "sm", "mem", "fb", "mclk", "pclk", "rxpci", "sbecc", "bar1"}))
        return Dialect::SmiDmon;
    return Dialect::Unknown;
}

// A column name, not a value nor a line of some other format.
bool isName(std::string_view cell)
{
    if (cell.empty() || cell.size() > 128)
        return false;
    const char first = cell.front();
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_'))
        return false;
    return std::none_of(cell.begin(), cell.end(), [](char c) {
        return c == '{' || c == '}' || c == '"' || c == '=' || c == ';' || c == ':' || c == '<' || c == '>';
    });
}

// A value as nvidia-smi writes it: "35 %", "1024 MiB", "[N/A]", "GPU-5c3e...", "2024/05/01 12:00:00.123".
bool isSmiValue(std::string_view cell)
{
    if (cell.starts_with("[N/A]") || cell.starts_with("[Not Supported]") || cell.starts_with("GPU-"))
        return true;
    const Cell read = readCell(cell);
    if (read.kind == CellKind::Number)
        return read.unit == "%" || read.unit == "MiB" || read.unit == "W" || read.unit == "MHz";
    bool hasZone = false;
    return cell.size() > 10 && cell[4] == '/' && parseCalendarTime(cell, hasZone).has_value();
}

bool isTime(std::string_view cell)
{
    bool hasZone = false;
    return parseCalendarTime(cell, hasZone) || guessEpochUnit(cell);
}

Dialect csvDialect(std::string_view header, std::string_view firstRow, Sniff sniff)
{
    std::deque<std::string> storage;
    std::vector<std::string_view> names;
    CsvCells cells(header, storage);
    std::string_view cell;
    while (cells.next(cell))
        names.push_back(cell);
    if (names.size() < 2 || cells.malformed())
        return Dialect::Unknown;
    if (std::all_of(names.begin(), names.end(), isName)) {
        if (std::any_of(names.begin(), names.end(), isNvidiaSmiField))
            return Dialect::SmiQueryCsv;
        const auto time = std::find_if(names.begin(), names.end(), isTimeName);
        if (time == names.end())
            return Dialect::Unknown;
        if (sniff == Sniff::Import)
            return Dialect::GenericCsv;
        CsvCells values(firstRow, storage);
        for (size_t column = 0; values.next(cell); ++column) {
            if (column == size_t(time - names.begin()))
                return isTime(cell) ? Dialect::GenericCsv : Dialect::Unknown;
        }
        return Dialect::Unknown;
    }
    // Values where names should be: two as nvidia-smi writes them, or, written with nounits, its
    // timestamp and else numbers ("2024/05/01 12:00:00.000, 0, 35, 1024").
    const auto smiValues = std::count_if(names.begin(), names.end(), isSmiValue);
    const bool allNumbers = std::all_of(names.begin(), names.end(), [](std::string_view cell) {
        return isSmiValue(cell) || readCell(cell).kind == CellKind::Number;
    });
    return smiValues >= 2 || (smiValues == 1 && allNumbers) ? Dialect::SmiHeaderlessCsv : Dialect::Unknown;
}

} // namespace

std::string_view withoutBom(std::string_view text)
{
    return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

Dialect sniffDialect(std::string_view head, Sniff sniff)
{
    const std::vector<std::string_view> lines = firstLines(withoutBom(head), 2);
    if (lines.empty())
        return Dialect::Unknown;
    const std::string_view first = lines[0];
    if (first.starts_with("####"))
        return head.find("nvidia-smi") != std::string_view::npos ? Dialect::SmiCapture : Dialect::Unknown;
    if (first.starts_with('#'))
        return monitorDialect(first);
    return csvDialect(first, lines.size() > 1 ? lines[1] : std::string_view(), sniff);
}

int dialectConfidence(Dialect dialect)
{
    switch (dialect) {
    case Dialect::SmiDmon:
    case Dialect::SmiPmon:
    case Dialect::DcgmiDmon:
        return 95;
    case Dialect::SmiQueryCsv:
        return 90;
    case Dialect::SmiCapture:
        return 60;
    case Dialect::SmiHeaderlessCsv:
        return 30;
    case Dialect::GenericCsv:
        return 20;
    case Dialect::Unknown:
        break;
    }
    return 0;
}

const char* dialectName(Dialect dialect)
{
    switch (dialect) {
    case Dialect::SmiQueryCsv:
        return "nvidia-smi --query CSV";
    case Dialect::SmiHeaderlessCsv:
        return "nvidia-smi --query CSV without header";
    case Dialect::GenericCsv:
        return "CSV with a time column";
    case Dialect::SmiDmon:
        return "nvidia-smi dmon";
    case Dialect::SmiPmon:
        return "nvidia-smi pmon";
    case Dialect::DcgmiDmon:
        return "dcgmi dmon";
    case Dialect::SmiCapture:
        return "nvidia-smi capture";
    case Dialect::Unknown:
        break;
    }
    return "unknown";
}

} // namespace lundi::gpucsv
