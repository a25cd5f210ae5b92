#include "csvtablereader.h"
#include "cells.h"
#include "csvcells.h"
#include "dialect.h"
#include "seriestable.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"

#include <cstring>
#include <utility>

namespace lundi::gpucsv {

namespace {

// More columns than any nvidia-smi query has fields (about 250): a header beyond is no header.
constexpr size_t MaxColumns = 10'000;
constexpr qint64 ProgressEvery = 4096;

} // namespace

CsvTableReader::CsvTableReader(std::string_view data, SeriesTable& table, const ImportControl& control,
                               std::string_view givenHeader)
    : m_data(data), m_table(table), m_control(control), m_headerGiven(!givenHeader.empty())
{
    if (m_headerGiven)
        readHeader(givenHeader, 0);
}

void CsvTableReader::read()
{
    const std::string_view text = withoutBom(m_data);
    const char* const begin = m_data.data();
    const char* pos = text.data();
    const char* const end = m_data.data() + m_data.size();
    qint64 number = 0;
    while (pos < end) {
        const char* newline = static_cast<const char*>(std::memchr(pos, '\n', size_t(end - pos)));
        const char* lineEnd = newline ? newline : end;
        const std::string_view line = trimmed(std::string_view(pos, size_t(lineEnd - pos)));
        const qint64 offset = pos - begin;
        ++number;
        if (!line.empty()) {
            if (m_header.empty())
                readHeader(line, offset);
            else if (line != m_header)
                readRow(line, offset, number);
        }
        if (number % ProgressEvery == 0)
            m_control.progress(offset);
        pos = newline ? newline + 1 : end;
    }
    m_table.finish(qint64(m_data.size()));
}

void CsvTableReader::readHeader(std::string_view line, qint64 offset)
{
    std::deque<std::string> storage;
    CsvCells cells(line, storage);
    std::vector<ColumnSpec> columns;
    bool timed = false;
    std::string_view cell;
    while (cells.next(cell)) {
        if (columns.size() == MaxColumns) {
            throw ImportError(QStringLiteral("The header line has more than %1 columns; this is no GPU dump.")
                                  .arg(MaxColumns),
                              offset);
        }
        ColumnSpec column = csvColumn(cell);
        // The first time column dates the row; a later one is a duration (accounted apps' "time [ms]").
        if (column.role == ColumnRole::Time && std::exchange(timed, true))
            column = {ColumnRole::Value, column.name, column.unit};
        columns.push_back(std::move(column));
    }
    if (cells.malformed())
        throw ImportError(QStringLiteral("The header line has a quote that is not closed."), offset);
    m_header = line;
    if (!timed) {
        m_table.setRoundInterval(
            1'000'000'000, QStringLiteral("assumed: the file does not say how often nvidia-smi was asked"));
    }
    m_table.setColumns(std::move(columns));
}

void CsvTableReader::readRow(std::string_view line, qint64 offset, qint64 number)
{
    m_table.beginRow(offset, number);
    m_unescaped.clear();
    CsvCells cells(line, m_unescaped);
    const size_t columns = m_table.columns().size();
    size_t column = 0;
    std::string_view cell;
    while (cells.next(cell)) {
        if (column < columns)
            m_table.cell(column, cell);
        ++column;
    }
    // A given header that does not fit the first row is a wrong list, not a damaged row.
    if (m_headerGiven && !std::exchange(m_rowSeen, true) && !cells.malformed() && column != columns) {
        throw ImportError(QStringLiteral("This row has %1 cells, but the column list names %2 columns: "
                                         "give one name per cell, in the order of the cells.")
                              .arg(column)
                              .arg(columns),
                          offset);
    }
    if (cells.malformed())
        m_table.skipRow(SeriesTable::Skip::Malformed);
    else if (column != columns)
        m_table.skipRow(SeriesTable::Skip::Ragged);
    else
        m_table.endRow();
}

} // namespace lundi::gpucsv
