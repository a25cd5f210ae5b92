#pragma once

#include <deque>
#include <string>
#include <string_view>

namespace lundi::gpucsv {

// The cells of one CSV line, one at a time and trimmed of blanks: nvidia-smi's "35 %, 1024 MiB"
// and RFC 4180 quoting ("a, ""b""" is one cell). A line break inside quotes is not supported:
// such a line is malformed.
class CsvCells
{
  public:
    // Quoted cells with doubled quotes are unescaped into storage, which keeps them (and so the
    // views handed out) alive for as long as the caller keeps it.
    CsvCells(std::string_view line, std::deque<std::string>& storage);

    // The next cell; false after the last.
    bool next(std::string_view& cell);
    // A quote that is not closed, or text after a closing quote.
    bool malformed() const { return m_malformed; }

  private:
    bool quoted(std::string_view& cell);

    std::string_view m_rest;
    std::deque<std::string>& m_storage;
    bool m_done = false;
    bool m_malformed = false;
};

} // namespace lundi::gpucsv
