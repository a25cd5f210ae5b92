#include "monitortablereader.h"
#include "cells.h"
#include "seriestable.h"

#include "ingest/importcontrol.h"

#include <algorithm>
#include <cstring>

namespace lundi::gpucsv {

namespace {

constexpr qint64 ProgressEvery = 4096;
// More columns than any monitor prints; a longer header line is read no further.
constexpr size_t MaxColumns = 1'000;

bool isSeparator(char c)
{
    return c == ' ' || c == '\t' || c == ',';
}

void splitBlanks(std::string_view text, std::vector<std::string_view>& tokens)
{
    tokens.clear();
    const char* pos = text.data();
    const char* const end = pos + text.size();
    while (pos < end) {
        while (pos < end && isSeparator(*pos))
            ++pos;
        const char* start = pos;
        while (pos < end && !isSeparator(*pos))
            ++pos;
        if (pos > start)
            tokens.emplace_back(start, size_t(pos - start));
    }
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return (x | 0x20) == (y | 0x20); });
}

// dcgmi's entity types as label keys: "GPU 0" is labelled gpu=0 like every other dialect's GPUs.
std::string_view entityKey(std::string_view type)
{
    if (equalsNoCase(type, "GPU"))
        return "gpu";
    if (equalsNoCase(type, "GPU-I"))
        return "gpu_instance";
    if (equalsNoCase(type, "GPU-CI"))
        return "compute_instance";
    return "entity";
}

bool isEntityId(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == ':'; });
}

} // namespace

MonitorTableReader::MonitorTableReader(std::string_view data, Dialect dialect, SeriesTable& table,
                                       const ImportControl& control)
    : m_data(data), m_dialect(dialect), m_table(table), m_control(control)
{
    m_table.setRoundInterval(1'000'000'000,
                             m_dialect == Dialect::DcgmiDmon
                                 ? QStringLiteral("dcgmi dmon's default delay, assumed: the output "
                                                  "does not say")
                                 : QStringLiteral("nvidia-smi's default interval, assumed: the "
                                                  "output does not say"));
}

void MonitorTableReader::read()
{
    const char* const begin = m_data.data();
    const char* pos = withoutBom(m_data).data();
    const char* const end = begin + m_data.size();
    qint64 number = 0;
    while (pos < end) {
        const char* newline = static_cast<const char*>(std::memchr(pos, '\n', size_t(end - pos)));
        const char* lineEnd = newline ? newline : end;
        const std::string_view line = trimmed(std::string_view(pos, size_t(lineEnd - pos)));
        ++number;
        if (line.starts_with('#')) {
            readCommentLine(line);
        } else if (!line.empty()) {
            if (!m_pendingNames.empty())
                applyPendingNames({});
            m_table.beginRow(pos - begin, number);
            if (m_table.columns().empty())
                m_table.skipRow(SeriesTable::Skip::BeforeHeader);
            else if (m_dialect == Dialect::DcgmiDmon)
                readDcgmRow(line);
            else
                readSmiRow(line);
        }
        if (number % ProgressEvery == 0)
            m_control.progress(pos - begin);
        pos = newline ? newline + 1 : end;
    }
    m_table.finish(qint64(m_data.size()));
}

void MonitorTableReader::readCommentLine(std::string_view line)
{
    splitBlanks(line.substr(1), m_tokens);
    if (m_tokens.empty())
        return;
    if (m_dialect == Dialect::DcgmiDmon) {
        if (!equalsNoCase(m_tokens[0], "Entity"))
            return;
        std::vector<ColumnSpec> columns;
        for (size_t i = 1; i < m_tokens.size() && columns.size() < MaxColumns; ++i)
            columns.push_back(dcgmColumn(m_tokens[i]));
        m_table.setColumns(std::move(columns));
        return;
    }
    const std::string_view first = m_tokens[0];
    if (equalsNoCase(first, "gpu") || equalsNoCase(first, "Date") || equalsNoCase(first, "Time")) {
        if (!m_pendingNames.empty())
            applyPendingNames({});
        m_pendingNames.assign(m_tokens.begin(),
                              m_tokens.begin() + qsizetype(std::min(m_tokens.size(), MaxColumns)));
    } else if (!m_pendingNames.empty()) {
        applyPendingNames(m_tokens);
    }
}

// The names line of nvidia-smi, with the units of the line under it where it has one per name.
void MonitorTableReader::applyPendingNames(const std::vector<std::string_view>& units)
{
    const bool perProcess = m_dialect == Dialect::SmiPmon;
    std::vector<ColumnSpec> columns;
    for (size_t i = 0; i < m_pendingNames.size(); ++i) {
        const std::string_view unit = units.size() == m_pendingNames.size() ? units[i] : std::string_view();
        columns.push_back(smiMonitorColumn(perProcess, m_pendingNames[i], unit));
    }
    m_pendingNames.clear();
    m_table.setColumns(std::move(columns));
}

void MonitorTableReader::readSmiRow(std::string_view line)
{
    splitBlanks(line, m_tokens);
    const std::vector<ColumnSpec>& columns = m_table.columns();
    // pmon's command name comes last and may hold spaces: it is the rest of the line.
    const bool restIsName = columns.back().role == ColumnRole::Label && columns.back().name == "process";
    if (m_tokens.size() < columns.size() || (m_tokens.size() > columns.size() && !restIsName)) {
        m_table.skipRow(SeriesTable::Skip::Ragged);
        return;
    }
    if (restIsName) {
        const std::string_view& last = m_tokens[columns.size() - 1];
        m_tokens[columns.size() - 1] = trimmed(line.substr(size_t(last.data() - line.data())));
    }
    for (size_t column = 0; column < columns.size(); ++column)
        m_table.cell(column, m_tokens[column]);
    m_table.endRow();
}

void MonitorTableReader::readDcgmRow(std::string_view line)
{
    splitBlanks(line, m_tokens);
    if (m_tokens.size() == 1 && equalsNoCase(m_tokens[0], "ID"))
        return; // the line under "#Entity"
    if (m_tokens.size() < 2 || !isEntityId(m_tokens[1])) {
        m_table.skipRow(SeriesTable::Skip::NotARow, line);
        return;
    }
    const size_t columns = m_table.columns().size();
    if (m_tokens.size() != columns + 2) {
        m_table.skipRow(SeriesTable::Skip::Ragged);
        return;
    }
    const std::string_view type = m_tokens[0];
    const std::string_view id = m_tokens[1];
    const std::string_view key = entityKey(type);
    // Other entities keep their type in the label: "Switch 1".
    m_table.label(key, key == "entity"
                           ? std::string_view(type.data(), size_t(id.data() + id.size() - type.data()))
                           : id);
    for (size_t column = 0; column < columns; ++column)
        m_table.cell(column, m_tokens[column + 2]);
    m_table.endRow();
}

} // namespace lundi::gpucsv
