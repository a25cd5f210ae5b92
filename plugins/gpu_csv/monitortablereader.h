#pragma once

#include "dialect.h"

#include <QtGlobal>

#include <string_view>
#include <vector>

namespace lundi {
class ImportControl;
}

namespace lundi::gpucsv {

class SeriesTable;

// The fixed-width tables that monitors print: nvidia-smi dmon and pmon ("# gpu   pwr ..." with a
// line of units under the names, '-' for no value, pmon's command name last and possibly with
// spaces, -o DT's date and time first) and dcgmi dmon ("#Entity  GPUTL ..." then "ID", rows
// such as "GPU 0   35   N/A"). The header is printed again every so often; rows come in rounds,
// one per GPU or process, without timestamps unless -o T was given.
class MonitorTableReader
{
  public:
    MonitorTableReader(std::string_view data, Dialect dialect, SeriesTable& table,
                       const ImportControl& control);

    void read();

  private:
    void readCommentLine(std::string_view line);
    void applyPendingNames(const std::vector<std::string_view>& units);
    void readSmiRow(std::string_view line);
    void readDcgmRow(std::string_view line);

    std::string_view m_data;
    Dialect m_dialect;
    SeriesTable& m_table;
    const ImportControl& m_control;
    std::vector<std::string_view> m_tokens;
    std::vector<std::string_view> m_pendingNames; // nvidia-smi's names, until the units line
};

} // namespace lundi::gpucsv
