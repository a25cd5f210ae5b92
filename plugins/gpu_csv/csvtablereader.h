#pragma once

#include <QtGlobal>

#include <deque>
#include <string>
#include <string_view>

namespace lundi {
class ImportControl;
}

namespace lundi::gpucsv {

class SeriesTable;

// nvidia-smi --query-gpu / --query-compute-apps CSV and generic CSV with a time column: a
// header line of column names ("memory.used [MiB]"), then rows of cells, read line by line
// straight from the input. Rows whose cells do not match the header are skipped and counted; a
// header repeated further down (files appended to by several runs) is passed over.
// A file written without its header line (nvidia-smi's noheader) is read with the header the
// user gave, as if it were the file's first line.
class CsvTableReader
{
  public:
    // givenHeader: the header line of a file that has none; empty: the file's first line.
    CsvTableReader(std::string_view data, SeriesTable& table, const ImportControl& control,
                   std::string_view givenHeader = {});

    // Throws ImportError for a header that cannot be read.
    void read();

  private:
    void readHeader(std::string_view line, qint64 offset);
    void readRow(std::string_view line, qint64 offset, qint64 number);

    std::string_view m_data;
    SeriesTable& m_table;
    const ImportControl& m_control;
    std::string_view m_header;
    bool m_headerGiven = false;
    bool m_rowSeen = false;
    std::deque<std::string> m_unescaped; // the cells of the row that had doubled quotes
};

} // namespace lundi::gpucsv
