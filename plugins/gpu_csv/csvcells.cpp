#include "csvcells.h"
#include "cells.h"

#include <cstring>

namespace lundi::gpucsv {

CsvCells::CsvCells(std::string_view line, std::deque<std::string>& storage) : m_rest(line), m_storage(storage)
{
}

bool CsvCells::next(std::string_view& cell)
{
    if (m_done)
        return false;
    size_t start = 0;
    while (start < m_rest.size() && (m_rest[start] == ' ' || m_rest[start] == '\t'))
        ++start;
    m_rest.remove_prefix(start);
    if (!m_rest.empty() && m_rest.front() == '"')
        return quoted(cell);
    // An empty view may have no data at all, which memchr must not be given.
    const void* comma = m_rest.empty() ? nullptr : std::memchr(m_rest.data(), ',', m_rest.size());
    if (!comma) {
        cell = trimmed(m_rest);
        m_done = true;
        return true;
    }
    const size_t at = size_t(static_cast<const char*>(comma) - m_rest.data());
    cell = trimmed(m_rest.substr(0, at));
    m_rest.remove_prefix(at + 1);
    return true;
}

bool CsvCells::quoted(std::string_view& cell)
{
    bool doubled = false;
    size_t close = 1;
    for (;; ++close) {
        const void* quote = std::memchr(m_rest.data() + close, '"', m_rest.size() - close);
        if (!quote) {
            m_malformed = m_done = true;
            cell = m_rest;
            return true;
        }
        close = size_t(static_cast<const char*>(quote) - m_rest.data());
        if (close + 1 < m_rest.size() && m_rest[close + 1] == '"') {
            doubled = true;
            ++close;
            continue;
        }
        break;
    }
    cell = m_rest.substr(1, close - 1);
    if (doubled) {
        std::string& text = m_storage.emplace_back();
        for (size_t i = 0; i < cell.size(); ++i) {
            text.push_back(cell[i]);
            if (cell[i] == '"')
                ++i; // the second of a doubled quote
        }
        cell = text;
    }
    const std::string_view after = trimmed(m_rest.substr(close + 1));
    if (after.empty()) {
        m_done = true;
    } else if (after.front() == ',') {
        m_rest = after.substr(1);
    } else {
        m_malformed = m_done = true;
    }
    return true;
}

} // namespace lundi::gpucsv
