#pragma once

#include <string_view>

namespace lundi::gpucsv {

// What one cell of a GPU dump holds.
enum class CellKind {
    Number,      // "35", "250.00 W", "1024 MiB", "-1.5e3", "35%"
    Unavailable, // "[N/A]", "[Not Supported]", "N/A", "-", "" and other bracketed notes
    OutOfRange,  // a number beyond a double ("1e400")
    Text,        // anything else: "Enabled", "0x1F", "590.48.01", "P0"
};

struct Cell
{
    CellKind kind = CellKind::Text;
    double value = 0;
    std::string_view unit; // the unit written after a number, if any ("W", "MiB", "%")
};

// "[N/A]", "[Not Supported]", "N/A", "-", "": a cell that says there is no value.
bool isUnavailable(std::string_view text);
// Reads a cell already trimmed of surrounding blanks.
Cell readCell(std::string_view text);

// text without leading and trailing spaces, tabs and carriage returns.
std::string_view trimmed(std::string_view text);

} // namespace lundi::gpucsv
