#include "seriestable.h"
#include "cells.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"
#include "ingest/sink.h"
#include "timeformat.h"

#include <algorithm>
#include <limits>

namespace lundi::gpucsv {

namespace {

// Beyond these, a dump names more things than anyone reads on a plot: each new one is skipped
// and counted, rather than memory growing with the input (a file with a new uuid on each row).
constexpr size_t MaxEntities = 100'000;
constexpr qint64 MaxSeries = 200'000;
// How much of an odd cell a warning quotes.
constexpr size_t ExampleLength = 60;
constexpr size_t MaxMarkers = 8;
constexpr qint64 NsPerDay = 86'400LL * 1'000'000'000;

QString quoted(std::string_view text)
{
    return QLatin1Char('"') +
           QString::fromUtf8(text.data(), qsizetype(std::min(text.size(), ExampleLength))) + QLatin1Char('"');
}

void appendJsonString(QByteArray& json, std::string_view text)
{
    json.append('"');
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            json.append('\\').append(c);
        } else if (static_cast<unsigned char>(c) < 0x20) {
            static constexpr char Hex[] = "0123456789abcdef";
            json.append("\\u00").append(Hex[(c >> 4) & 0xF]).append(Hex[c & 0xF]);
        } else {
            json.append(c);
        }
    }
    json.append('"');
}

std::optional<EpochUnit> unitNamed(std::string_view unit)
{
    if (unit == "s")
        return EpochUnit::Seconds;
    if (unit == "ms")
        return EpochUnit::Milliseconds;
    if (unit == "us" || unit == "\xC2\xB5s")
        return EpochUnit::Microseconds;
    if (unit == "ns")
        return EpochUnit::Nanoseconds;
    return std::nullopt;
}

// "1 line was", "3 lines were".
QString counted(qint64 count, const char* noun)
{
    return QStringLiteral("%1 %2%3").arg(count).arg(
        QLatin1String(noun), count == 1 ? QStringLiteral(" was") : QStringLiteral("s were"));
}

const char* skipReason(SeriesTable::Skip why)
{
    switch (why) {
    case SeriesTable::Skip::Ragged:
        return "the number of cells differs from the header's";
    case SeriesTable::Skip::Malformed:
        return "a quoted cell is not closed on its line, or text follows its closing quote";
    case SeriesTable::Skip::NotARow:
        return "neither a header nor a row of values";
    case SeriesTable::Skip::BeforeHeader:
        return "before the first header line";
    case SeriesTable::Skip::BadTime:
        return "the time cannot be read";
    case SeriesTable::Skip::TooManyEntities:
        break;
    }
    return "more distinct GPUs or processes than the 100000 an import keeps apart";
}

} // namespace

SeriesTable::SeriesTable(Sink& sink, const ImportControl& control) : m_sink(sink), m_control(control) {}

void SeriesTable::setColumns(std::vector<ColumnSpec> columns)
{
    if (columns == m_columns)
        return;
    settleColumnStats();
    m_columns = std::move(columns);
    m_stats.assign(m_columns.size(), {});
    m_timeForm = TimeForm::Undecided;
    m_dated = std::any_of(m_columns.begin(), m_columns.end(), [](const ColumnSpec& column) {
        return column.role == ColumnRole::Time || column.role == ColumnRole::Date ||
               column.role == ColumnRole::TimeOfDay;
    });
    for (Entity& entity : m_entities)
        entity.byColumn.clear();
}

void SeriesTable::setRoundInterval(qint64 ns, const QString& why)
{
    m_roundInterval = ns;
    m_roundIntervalWhy = why;
}

void SeriesTable::beginRow(qint64 offset, qint64 line)
{
    m_rowOffset = offset;
    m_rowLine = line;
    m_values.clear();
    m_labels.clear();
    m_time.reset();
    m_date.reset();
    m_timeOfDay.reset();
    m_timeIsBad = false;
}

void SeriesTable::cell(size_t column, std::string_view text)
{
    const ColumnSpec& spec = m_columns[column];
    switch (spec.role) {
    case ColumnRole::Ignored:
        return;
    case ColumnRole::Label:
        m_labels.emplace_back(spec.name, text);
        return;
    case ColumnRole::Time:
    case ColumnRole::Date:
    case ColumnRole::TimeOfDay:
        timeCell(spec, text);
        return;
    case ColumnRole::Value:
        break;
    }
    const Cell read = readCell(text);
    switch (read.kind) {
    case CellKind::Number:
        m_stats[column].hadNumber = true;
        m_values.push_back({column, read.value, read.unit});
        return;
    case CellKind::Unavailable:
        countUnavailable(text);
        return;
    case CellKind::OutOfRange:
        ++m_outOfRange;
        return;
    case CellKind::Text:
        break;
    }
    ColumnStats& stats = m_stats[column];
    if (stats.textCells++ == 0) {
        stats.firstTextLine = m_rowLine;
        stats.firstText = text.substr(0, ExampleLength);
    }
}

void SeriesTable::label(std::string_view key, std::string_view text)
{
    m_labels.emplace_back(key, text);
}

void SeriesTable::timeCell(const ColumnSpec& column, std::string_view text)
{
    std::optional<qint64> ns;
    bool hasZone = true;
    switch (column.role) {
    case ColumnRole::Date:
        ns = m_date = parseCompactDate(text);
        m_zoneless = true;
        break;
    case ColumnRole::TimeOfDay:
        ns = m_timeOfDay = parseTimeOfDay(text);
        m_zoneless = true;
        break;
    default:
        if (m_timeForm == TimeForm::Calendar) {
            ns = parseCalendarTime(text, hasZone);
        } else if (m_timeForm == TimeForm::Epoch) {
            ns = parseEpoch(text, m_epochUnit);
        } else {
            decideTimeForm(column, text);
            ns = m_time;
        }
        m_zoneless = m_zoneless || (ns && !hasZone);
        m_time = ns;
    }
    if (!ns) {
        m_timeIsBad = true;
        m_badTime = text;
    }
}

// A time column is read the way its first readable time is written: a calendar time, or an
// epoch number in the unit of the header ("time [ms]") or else of the number's size.
void SeriesTable::decideTimeForm(const ColumnSpec& column, std::string_view text)
{
    bool hasZone = true;
    if (const auto calendar = parseCalendarTime(text, hasZone)) {
        m_timeForm = TimeForm::Calendar;
        m_time = calendar;
        m_zoneless = m_zoneless || !hasZone;
    } else {
        const auto named = unitNamed(column.unit);
        const auto unit = named ? named : guessEpochUnit(text);
        m_time = unit ? parseEpoch(text, *unit) : std::nullopt;
        if (!m_time)
            return;
        m_timeForm = TimeForm::Epoch;
        m_epochUnit = *unit;
        m_epochUnitGuessed = !named;
    }
    m_timeColumn = column.name;
}

// A label that names nothing (pmon's "-" pid on an idle GPU, a hostname of "[N/A]") is left out.
SeriesTable::Entity* SeriesTable::entityOfRow()
{
    m_key.clear();
    for (const auto& [key, text] : m_labels) {
        if (isUnavailable(text))
            continue;
        m_key.append(key).append(1, '\x1f').append(text).append(1, '\x1e');
    }
    if (const auto found = m_entityIndex.find(m_key); found != m_entityIndex.end())
        return &m_entities[found->second];
    if (m_entities.size() >= MaxEntities)
        return nullptr;
    Entity& entity = m_entities.emplace_back();
    entity.labelsJson = "{";
    for (const auto& [key, text] : m_labels) {
        if (isUnavailable(text))
            continue;
        if (entity.labelsJson.size() > 1)
            entity.labelsJson.append(',');
        appendJsonString(entity.labelsJson, key);
        entity.labelsJson.append(':');
        appendJsonString(entity.labelsJson, text);
    }
    entity.labelsJson.append('}');
    m_entityIndex.emplace(m_key, m_entities.size() - 1);
    return &entity;
}

std::optional<qint64> SeriesTable::rowTime(Entity& entity)
{
    if (!m_dated) {
        m_undated = true;
        if (entity.lastRound == m_round)
            ++m_round;
        entity.lastRound = m_round;
        const qint64 origin = m_control.undatedTimeNs();
        if (m_round > (std::numeric_limits<qint64>::max() - std::max<qint64>(origin, 0)) / m_roundInterval)
            return std::nullopt;
        return origin + m_round * m_roundInterval;
    }
    if (m_time)
        return m_time;
    if (m_date)
        return *m_date + m_timeOfDay.value_or(0);
    if (!m_timeOfDay)
        return std::nullopt;
    // Times of day alone (dmon -o T): on the day of the undated time, a day later each time the
    // clock runs back past midnight.
    m_timesOfDayOnly = true;
    if (*m_timeOfDay + NsPerDay / 2 < m_lastTimeOfDay)
        ++m_dayOffset;
    m_lastTimeOfDay = *m_timeOfDay;
    const qint64 origin = m_control.undatedTimeNs();
    const qint64 day = origin - ((origin % NsPerDay) + NsPerDay) % NsPerDay;
    if (m_dayOffset > (std::numeric_limits<qint64>::max() - std::max<qint64>(day, 0)) / NsPerDay - 1)
        return std::nullopt;
    return day + m_dayOffset * NsPerDay + *m_timeOfDay;
}

SeriesId SeriesTable::seriesOf(Entity& entity, const RowValue& value)
{
    if (entity.byColumn.empty() && m_seriesCount >= MaxSeries) {
        ++m_valuesBeyondSeriesCap;
        return 0;
    }
    entity.byColumn.resize(m_columns.size(), 0);
    SeriesId& id = entity.byColumn[value.column];
    if (id)
        return id;
    const ColumnSpec& column = m_columns[value.column];
    if (const auto found = entity.byName.find(column.name); found != entity.byName.end())
        return id = found->second;
    if (m_seriesCount >= MaxSeries) {
        ++m_valuesBeyondSeriesCap;
        return 0;
    }
    SeriesSpec spec;
    spec.name = QString::fromStdString(column.name);
    spec.labelsJson = entity.labelsJson;
    const std::string_view unit = column.unit.empty() ? value.unit : std::string_view(column.unit);
    spec.unit = QString::fromUtf8(unit.data(), qsizetype(unit.size()));
    id = m_sink.addSeries(spec);
    ++m_seriesCount;
    entity.byName.emplace(column.name, id);
    return id;
}

void SeriesTable::endRow()
{
    if (m_timeIsBad) {
        skipRow(Skip::BadTime, m_badTime);
        return;
    }
    Entity* entity = entityOfRow();
    if (!entity) {
        skipRow(Skip::TooManyEntities);
        return;
    }
    const std::optional<qint64> time = rowTime(*entity);
    if (!time) {
        skipRow(Skip::BadTime);
        return;
    }
    for (const RowValue& value : m_values) {
        if (const SeriesId series = seriesOf(*entity, value))
            m_sink.addSample(series, *time, value.value);
    }
    ++m_rowsRead;
}

void SeriesTable::skipRow(Skip why, std::string_view example)
{
    Skipped& skipped = m_skipped[size_t(why)];
    if (skipped.count++ == 0) {
        skipped.firstOffset = m_rowOffset;
        skipped.firstLine = m_rowLine;
        skipped.example = example.substr(0, ExampleLength);
    }
}

void SeriesTable::countUnavailable(std::string_view text)
{
    const std::string_view marker =
        text.empty() ? std::string_view("(empty)") : text.substr(0, ExampleLength);
    for (auto& [known, count] : m_unavailable) {
        if (known == marker) {
            ++count;
            return;
        }
    }
    if (m_unavailable.size() < MaxMarkers)
        m_unavailable.emplace_back(marker, 1);
    else if (m_unavailable.size() == MaxMarkers)
        m_unavailable.emplace_back("(other)", 1);
    else
        ++m_unavailable.back().second;
}

void SeriesTable::settleColumnStats()
{
    for (size_t column = 0; column < m_stats.size(); ++column) {
        const ColumnStats& stats = m_stats[column];
        if (!stats.hadNumber || stats.textCells == 0)
            continue;
        if (m_textInNumbers == 0 || stats.firstTextLine < m_textInNumbersLine) {
            m_textInNumbersLine = stats.firstTextLine;
            m_textInNumbersExample = stats.firstText;
            m_textInNumbersColumn = m_columns[column].name;
        }
        m_textInNumbers += stats.textCells;
    }
    m_stats.assign(m_stats.size(), {});
}

QStringList SeriesTable::warnings() const
{
    QStringList warnings;
    const QString origin = TimeFormat::utc(m_control.undatedTimeNs());
    if (m_undated) {
        warnings.append(QStringLiteral("The dump has no timestamps; its samples are dated from %1 (from %2), "
                                       "one round of rows every %3 (%4).")
                            .arg(origin, m_control.undatedTimeOrigin(), TimeFormat::duration(m_roundInterval),
                                 m_roundIntervalWhy));
    }
    if (m_timesOfDayOnly) {
        warnings.append(
            QStringLiteral("The rows have times of day but no date; they were placed on the day of "
                           "%1 (from %2).")
                .arg(origin, m_control.undatedTimeOrigin()));
    }
    if (m_zoneless && !m_control.zonelessTimesAreUtc()) {
        warnings.append(QStringLiteral(
            "The times carry no time zone (nvidia-smi writes the machine's local time); they were read as "
            "UTC: if the machine was not on UTC, move this source by its zone's offset (lundi-cli import "
            "--offset, or lundi-cli offset later)."));
    }
    if (m_epochUnitGuessed) {
        warnings.append(QStringLiteral("The times of column %1 were read as %2 since 1970, guessed from the "
                                       "size of the numbers.")
                            .arg(quoted(m_timeColumn), QLatin1String(epochUnitName(m_epochUnit))));
    }
    if (!m_unavailable.empty()) {
        qint64 total = 0;
        QStringList kinds;
        for (const auto& [marker, count] : m_unavailable) {
            total += count;
            kinds.append(QStringLiteral("%1 %2").arg(count).arg(quoted(marker)));
        }
        warnings.append(QStringLiteral("%1 not available and skipped: %2.")
                            .arg(counted(total, "value"), kinds.join(QStringLiteral(", "))));
    }
    if (m_textInNumbers > 0) {
        warnings.append(
            QStringLiteral(
                "In numeric columns, %1 skipped as holding no number (first at line %2, column %3: %4).")
                .arg(counted(m_textInNumbers, "cell"))
                .arg(m_textInNumbersLine)
                .arg(quoted(m_textInNumbersColumn), quoted(m_textInNumbersExample)));
    }
    if (m_outOfRange > 0) {
        warnings.append(QStringLiteral("%1 skipped as beyond the range of a double.")
                            .arg(counted(m_outOfRange, "value")));
    }
    for (size_t why = 0; why < m_skipped.size(); ++why) {
        const Skipped& skipped = m_skipped[why];
        if (skipped.count == 0)
            continue;
        const QString example =
            skipped.example.empty() ? QString() : QStringLiteral(": ") + quoted(skipped.example);
        warnings.append(QStringLiteral("%1 skipped (%2; first at line %3%4).")
                            .arg(counted(skipped.count, "line"), QLatin1String(skipReason(Skip(why))))
                            .arg(skipped.firstLine)
                            .arg(example));
    }
    if (m_valuesBeyondSeriesCap > 0) {
        warnings.append(QStringLiteral("%1 skipped: an import keeps at most %2 series.")
                            .arg(counted(m_valuesBeyondSeriesCap, "value"))
                            .arg(MaxSeries));
    }
    return warnings;
}

void SeriesTable::finish(qint64 endOffset)
{
    settleColumnStats();
    if (m_rowsRead == 0) {
        // The reason of the earliest skipped line.
        const auto first =
            std::min_element(m_skipped.begin(), m_skipped.end(), [](const Skipped& a, const Skipped& b) {
                return a.count > 0 && (b.count == 0 || a.firstOffset < b.firstOffset);
            });
        if (first->count == 0)
            throw ImportError(QStringLiteral("The file has column names but no rows of values."), endOffset);
        const QString example =
            first->example.empty() ? QString() : QStringLiteral(": ") + quoted(first->example);
        throw ImportError(QStringLiteral("No row could be read: %1 skipped (%2%3).")
                              .arg(counted(first->count, "line"),
                                   QLatin1String(skipReason(Skip(first - m_skipped.begin()))), example),
                          first->firstOffset);
    }
    for (const QString& warning : warnings())
        m_sink.warn(warning);
}

} // namespace lundi::gpucsv
