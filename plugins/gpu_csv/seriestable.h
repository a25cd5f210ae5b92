#pragma once

#include "columns.h"
#include "timestamps.h"

#include "model.h"

#include <QString>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lundi {
class ImportControl;
class Sink;
} // namespace lundi

namespace lundi::gpucsv {

// Where the rows of every dialect go: a row's labels name what it measures (a GPU, a process),
// each number in a value column becomes a sample of the series of that column and those labels,
// at the row's time. Rows without a time are dated by rounds: a round ends where a GPU or
// process repeats, and the next starts one interval later. Oddities are counted and told in a
// few warnings at the end, not one per row.
class SeriesTable
{
  public:
    // Why a row was skipped.
    enum class Skip { Ragged, Malformed, NotARow, BeforeHeader, BadTime, TooManyEntities };

    SeriesTable(Sink& sink, const ImportControl& control);

    // The columns of a header line; a header repeated unchanged changes nothing, and series
    // continue across headers that change.
    void setColumns(std::vector<ColumnSpec> columns);
    const std::vector<ColumnSpec>& columns() const { return m_columns; }
    // For rows without a time: the time from one round of rows to the next, and where the
    // figure comes from for the warning ("nvidia-smi dmon's default interval").
    void setRoundInterval(qint64 ns, const QString& why);

    void beginRow(qint64 offset, qint64 line);
    // A cell of the row, trimmed; cells past the columns are the reader's business.
    void cell(size_t column, std::string_view text);
    // A label that is not a column of its own (dcgmi's entity "GPU 0").
    void label(std::string_view key, std::string_view text);
    // Writes the row's samples.
    void endRow();
    // Drops the row, counted under why; example is shown for the first one.
    void skipRow(Skip why, std::string_view example = {});
    // Tells what was counted. Throws ImportError when there were rows and none could be read,
    // or no rows at all (endOffset is where the file ends).
    void finish(qint64 endOffset);

  private:
    struct Entity
    {
        QByteArray labelsJson;
        qint64 lastRound = -1;
        std::vector<SeriesId> byColumn;
        std::unordered_map<std::string, SeriesId> byName;
    };
    struct RowValue
    {
        size_t column;
        double value;
        std::string_view unit;
    };
    struct ColumnStats
    {
        bool hadNumber = false;
        qint64 textCells = 0;
        qint64 firstTextLine = 0;
        std::string firstText;
    };
    struct Skipped
    {
        qint64 count = 0;
        qint64 firstOffset = 0;
        qint64 firstLine = 0;
        std::string example;
    };
    enum class TimeForm { Undecided, Calendar, Epoch };

    void timeCell(const ColumnSpec& column, std::string_view text);
    void decideTimeForm(const ColumnSpec& column, std::string_view text);
    std::optional<qint64> rowTime(Entity& entity);
    Entity* entityOfRow();
    SeriesId seriesOf(Entity& entity, const RowValue& value);
    void countUnavailable(std::string_view text);
    void settleColumnStats();
    QStringList warnings() const;

    Sink& m_sink;
    const ImportControl& m_control;
    std::vector<ColumnSpec> m_columns;
    std::vector<ColumnStats> m_stats;
    bool m_dated = false;

    // The row being read.
    qint64 m_rowOffset = 0;
    qint64 m_rowLine = 0;
    std::vector<RowValue> m_values;
    std::vector<std::pair<std::string_view, std::string_view>> m_labels;
    std::optional<qint64> m_time;
    std::optional<qint64> m_date;
    std::optional<qint64> m_timeOfDay;
    std::string_view m_badTime;
    bool m_timeIsBad = false;

    // Times.
    TimeForm m_timeForm = TimeForm::Undecided;
    EpochUnit m_epochUnit = EpochUnit::Seconds;
    bool m_epochUnitGuessed = false;
    std::string m_timeColumn;
    bool m_zoneless = false;
    bool m_timesOfDayOnly = false;
    qint64 m_lastTimeOfDay = 0;
    qint64 m_dayOffset = 0;
    qint64 m_round = 0;
    qint64 m_roundInterval = 1'000'000'000;
    QString m_roundIntervalWhy;
    bool m_undated = false;

    std::vector<Entity> m_entities;
    std::unordered_map<std::string, size_t> m_entityIndex;
    std::string m_key;
    qint64 m_seriesCount = 0;

    // What is told at the end.
    qint64 m_rowsRead = 0;
    std::array<Skipped, 6> m_skipped{};
    std::vector<std::pair<std::string, qint64>> m_unavailable;
    qint64 m_outOfRange = 0;
    qint64 m_textInNumbers = 0;
    qint64 m_textInNumbersLine = 0;
    std::string m_textInNumbersExample;
    std::string m_textInNumbersColumn;
    qint64 m_valuesBeyondSeriesCap = 0;
};

} // namespace lundi::gpucsv
