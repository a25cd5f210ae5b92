#include "timestamps.h"

#include <limits>

namespace lundi::gpucsv {

namespace {

constexpr qint64 NsPerSecond = 1'000'000'000;
constexpr qint64 SecondsPerDay = 86'400;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads exactly count digits at pos, advancing it.
std::optional<int> fixedDigits(std::string_view text, size_t& pos, size_t count)
{
    if (pos + count > text.size())
        return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (!isDigit(c))
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

// Digits after a decimal point, as nanoseconds for a unit of scale nanoseconds (10^9 for seconds):
// the digits beyond the nanosecond are dropped.
qint64 fractionNs(std::string_view text, size_t& pos, qint64 scale)
{
    qint64 ns = 0;
    for (; pos < text.size() && isDigit(text[pos]); ++pos) {
        scale /= 10;
        ns += (text[pos] - '0') * scale;
    }
    return ns;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 year, int month, int day)
{
    year -= month <= 2;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

bool validDate(int year, int month, int day)
{
    static constexpr int Days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > Days[month - 1])
        return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month != 2 || day <= 28 || leap;
}

// Years whose every instant int64 nanoseconds since 1970 can hold.
bool yearInRange(int year)
{
    return year >= 1678 && year <= 2261;
}

std::optional<qint64> dayStartNs(int year, int month, int day)
{
    if (!yearInRange(year) || !validDate(year, month, day))
        return std::nullopt;
    return daysFromCivil(year, month, day) * SecondsPerDay * NsPerSecond;
}

// "HH:MM[:SS[.fff]]" at pos, as nanoseconds since midnight.
std::optional<qint64> clockAt(std::string_view text, size_t& pos)
{
    const auto hours = fixedDigits(text, pos, 2);
    if (!hours || pos >= text.size() || text[pos++] != ':')
        return std::nullopt;
    const auto minutes = fixedDigits(text, pos, 2);
    if (!minutes || *hours > 23 || *minutes > 59)
        return std::nullopt;
    int seconds = 0;
    qint64 fraction = 0;
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        const auto read = fixedDigits(text, pos, 2);
        if (!read || *read > 60)
            return std::nullopt;
        seconds = *read;
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            ++pos;
            fraction = fractionNs(text, pos, NsPerSecond);
        }
    }
    return ((*hours * 60 + *minutes) * 60 + seconds) * NsPerSecond + fraction;
}

} // namespace

std::optional<qint64> parseCalendarTime(std::string_view text, bool& hasZone)
{
    hasZone = false;
    size_t pos = 0;
    const auto year = fixedDigits(text, pos, 4);
    if (!year || pos >= text.size() || (text[pos] != '-' && text[pos] != '/'))
        return std::nullopt;
    const char separator = text[pos++];
    const auto month = fixedDigits(text, pos, 2);
    if (!month || pos >= text.size() || text[pos++] != separator)
        return std::nullopt;
    const auto day = fixedDigits(text, pos, 2);
    if (!day)
        return std::nullopt;
    const auto midnight = dayStartNs(*year, *month, *day);
    if (!midnight || pos == text.size())
        return midnight;
    if (text[pos] != 'T' && text[pos] != ' ')
        return std::nullopt;
    ++pos;
    const auto clock = clockAt(text, pos);
    if (!clock)
        return std::nullopt;
    qint64 zoneNs = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
        hasZone = true;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const qint64 sign = text[pos++] == '-' ? -1 : 1;
        const auto hours = fixedDigits(text, pos, 2);
        if (pos < text.size() && text[pos] == ':')
            ++pos;
        const auto minutes = fixedDigits(text, pos, 2);
        if (!hours || !minutes || *hours > 23 || *minutes > 59)
            return std::nullopt;
        zoneNs = sign * (*hours * 60 + *minutes) * 60 * NsPerSecond;
        hasZone = true;
    }
    if (pos != text.size())
        return std::nullopt;
    // A zone moves the instant by at most a day, which the year range leaves room for.
    return *midnight + *clock - zoneNs;
}

std::optional<qint64> parseCompactDate(std::string_view text)
{
    size_t pos = 0;
    const auto year = fixedDigits(text, pos, 4);
    const auto month = fixedDigits(text, pos, 2);
    const auto day = fixedDigits(text, pos, 2);
    if (!year || !month || !day || pos != text.size())
        return std::nullopt;
    return dayStartNs(*year, *month, *day);
}

std::optional<qint64> parseTimeOfDay(std::string_view text)
{
    size_t pos = 0;
    const auto clock = clockAt(text, pos);
    return clock && pos == text.size() ? clock : std::nullopt;
}

const char* epochUnitName(EpochUnit unit)
{
    switch (unit) {
    case EpochUnit::Seconds:
        return "seconds";
    case EpochUnit::Milliseconds:
        return "milliseconds";
    case EpochUnit::Microseconds:
        return "microseconds";
    case EpochUnit::Nanoseconds:
        break;
    }
    return "nanoseconds";
}

std::optional<EpochUnit> guessEpochUnit(std::string_view text)
{
    size_t pos = !text.empty() && text[0] == '-' ? 1 : 0;
    while (pos < text.size() && text[pos] == '0')
        ++pos;
    size_t digits = 0;
    for (; pos < text.size() && isDigit(text[pos]); ++pos)
        ++digits;
    if (pos < text.size() && text[pos] == '.') {
        for (++pos; pos < text.size() && isDigit(text[pos]); ++pos) {
        }
    }
    if (pos != text.size() || text.empty() || !isDigit(text.back()))
        return std::nullopt;
    if (digits <= 11)
        return EpochUnit::Seconds;
    if (digits <= 14)
        return EpochUnit::Milliseconds;
    if (digits <= 17)
        return EpochUnit::Microseconds;
    return EpochUnit::Nanoseconds;
}

std::optional<qint64> parseEpoch(std::string_view text, EpochUnit unit)
{
    static constexpr qint64 Scale[] = {NsPerSecond, 1'000'000, 1'000, 1};
    const qint64 scale = Scale[int(unit)];
    size_t pos = 0;
    const bool negative = !text.empty() && text[0] == '-';
    pos += negative;
    const size_t firstDigit = pos;
    qint64 whole = 0;
    for (; pos < text.size() && isDigit(text[pos]); ++pos) {
        if (whole > (std::numeric_limits<qint64>::max() / scale - 10) / 10)
            return std::nullopt;
        whole = whole * 10 + (text[pos] - '0');
    }
    bool digits = pos > firstDigit;
    qint64 fraction = 0;
    if (pos < text.size() && text[pos] == '.') {
        const size_t start = ++pos;
        fraction = fractionNs(text, pos, scale);
        digits = digits || pos > start;
    }
    if (!digits || pos != text.size())
        return std::nullopt;
    const qint64 ns = whole * scale + fraction;
    return negative ? -ns : ns;
}

} // namespace lundi::gpucsv
