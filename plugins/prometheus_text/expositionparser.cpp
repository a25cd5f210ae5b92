#include "expositionparser.h"

#include "ingest/importerror.h"

#include <QByteArrayView>
#include <QString>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace lundi::prometheus {

namespace {

enum CharClass : quint8 { MetricStart = 1, MetricChar = 2, LabelStart = 4, LabelChar = 8, Blank = 16 };

constexpr std::array<quint8, 256> makeClasses()
{
    std::array<quint8, 256> classes{};
    for (int c = 0; c < 256; ++c) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        quint8 set = 0;
        if (letter || c == ':')
            set |= MetricStart | MetricChar;
        if (digit)
            set |= MetricChar | LabelChar;
        if (letter)
            set |= LabelStart | LabelChar;
        if (c == ' ' || c == '\t')
            set |= Blank;
        classes[size_t(c)] = set;
    }
    return classes;
}

constexpr std::array<quint8, 256> Classes = makeClasses();

bool is(char c, quint8 set)
{
    return Classes[quint8(c)] & set;
}

const char* skipBlanks(const char* p, const char* end)
{
    while (p < end && is(*p, Blank))
        ++p;
    return p;
}

const char* tokenEnd(const char* p, const char* end)
{
    while (p < end && !is(*p, Blank))
        ++p;
    return p;
}

// Untrusted text quoted in a sentence: short, and plain.
QString excerpt(std::string_view text)
{
    constexpr size_t Most = 40;
    if (text.size() <= Most)
        return QStringLiteral("\"%1\"").arg(QString::fromUtf8(text.data(), qsizetype(text.size())));
    return QStringLiteral("\"%1...\"").arg(QString::fromUtf8(text.data(), qsizetype(Most)));
}

QString excerptAt(const char* p, const char* end)
{
    return p == end ? QStringLiteral("the end of the line") : excerpt({p, size_t(tokenEnd(p, end) - p)});
}

// Whole seconds that still fit in signed 64-bit nanoseconds (the year 2262).
constexpr qint64 MaxSeconds = std::numeric_limits<qint64>::max() / 1'000'000'000 - 1;
constexpr qint64 MaxMillis = std::numeric_limits<qint64>::max() / 1'000'000;

} // namespace

ExpositionParser::ExpositionParser(std::string_view data, Dialect dialect) : m_data(data), m_dialect(dialect)
{
    if (m_data.starts_with("\xEF\xBB\xBF"))
        m_next = 3;
}

bool ExpositionParser::isMetricName(std::string_view name)
{
    if (name.empty() || !is(name.front(), MetricStart))
        return false;
    for (const char c : name) {
        if (!is(c, MetricChar))
            return false;
    }
    return true;
}

bool ExpositionParser::parseValue(std::string_view text, double& value)
{
    const char* p = text.data();
    const char* end = p + text.size();
    // std::from_chars takes no plus sign, Go's ParseFloat does ("+Inf").
    if (p < end && *p == '+' && end - p > 1 && p[1] != '-')
        ++p;
    const auto [stop, error] = std::from_chars(p, end, value);
    return error == std::errc() && stop == end;
}

void ExpositionParser::fail(const char* at, const QString& problem) const
{
    throw ImportError(problem, offsetOf(at));
}

bool ExpositionParser::next(ExpositionLine& line)
{
    if (m_next >= m_data.size())
        return false;
    const size_t start = m_next;
    const void* newline = std::memchr(m_data.data() + start, '\n', m_data.size() - start);
    const size_t stop = newline ? size_t(static_cast<const char*>(newline) - m_data.data()) : m_data.size();
    if (qsizetype(stop - start) > MaxLineBytes)
        throw ImportError(
            QStringLiteral("the line is %1 bytes long; Lundi reads lines of at most 1 MiB").arg(stop - start),
            qint64(start));
    m_next = newline ? stop + 1 : stop;

    const char* p = m_data.data() + start;
    const char* end = m_data.data() + stop;
    if (end > p && end[-1] == '\r')
        --end;
    m_unescaped.clear();
    m_unescaped.reserve(size_t(end - p));
    line.labels.clear();
    line.timeNs.reset();
    line.hasExemplar = false;
    line.exemplarLabels.clear();
    line.exemplarTimeNs.reset();
    line.name = {};
    line.text = {};

    p = skipBlanks(p, end);
    if (p == end)
        line.kind = ExpositionLine::Kind::Blank;
    else if (*p == '#')
        readComment(p + 1, end, line);
    else
        readSample(p, end, line);
    return true;
}

void ExpositionParser::readComment(const char* p, const char* end, ExpositionLine& line)
{
    line.kind = ExpositionLine::Kind::Comment;
    p = skipBlanks(p, end);
    const char* keywordEnd = tokenEnd(p, end);
    const std::string_view keyword(p, size_t(keywordEnd - p));
    if (keyword == "EOF") {
        if (skipBlanks(keywordEnd, end) == end)
            line.kind = ExpositionLine::Kind::Eof;
        return;
    }
    if (keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT")
        return;
    p = skipBlanks(keywordEnd, end);
    if (p == end)
        return; // a bare "# HELP" is a comment, as in Prometheus's own parser
    const char* nameEnd = nullptr;
    if (*p == '"') {
        nameEnd = readQuotedName(p, end, line.name);
        if (nameEnd < end && !is(*nameEnd, Blank))
            fail(nameEnd,
                 QStringLiteral("expected a blank after the quoted name %1").arg(excerpt(line.name)));
    } else {
        nameEnd = tokenEnd(p, end);
        line.name = std::string_view(p, size_t(nameEnd - p));
        if (!isMetricName(line.name))
            fail(p, QStringLiteral("the # %1 line names no valid metric: %2 (a name with other characters "
                                   "is written in double quotes)")
                        .arg(QLatin1String(keyword.data(), qsizetype(keyword.size())), excerpt(line.name)));
    }
    const char* text = skipBlanks(nameEnd, end);
    if (keyword == "HELP") {
        if (nameEnd == end)
            return; // "# HELP name" without text says nothing
        line.kind = ExpositionLine::Kind::Help;
        line.text = unescape({text, size_t(end - text)});
        return;
    }
    const char* textEnd = tokenEnd(text, end);
    if (skipBlanks(textEnd, end) != end)
        fail(textEnd, QStringLiteral("unexpected text after the # %1 line of %2")
                          .arg(QLatin1String(keyword.data(), qsizetype(keyword.size())), excerpt(line.name)));
    line.text = std::string_view(text, size_t(textEnd - text));
    if (keyword == "TYPE") {
        if (line.text.empty())
            fail(text, QStringLiteral("the # TYPE line of %1 names no type").arg(excerpt(line.name)));
        line.kind = ExpositionLine::Kind::Type;
    } else {
        line.kind = ExpositionLine::Kind::Unit;
    }
}

void ExpositionParser::readSample(const char* p, const char* end, ExpositionLine& line)
{
    line.kind = ExpositionLine::Kind::Sample;
    if (*p == '{') {
        const char* const braces = p;
        p = skipBlanks(readLabels(p + 1, end, line.labels, &line.name), end);
        if (line.name.empty())
            fail(braces, QStringLiteral("the sample has no metric name: in the braces, a quoted name such as "
                                        "{\"my.metric\", ...} comes first"));
    } else {
        if (!is(*p, MetricStart))
            fail(p, QStringLiteral("a line starts with a metric name, '{', '#' or nothing, not %1")
                        .arg(excerptAt(p, end)));
        const char* nameStart = p;
        while (p < end && is(*p, MetricChar))
            ++p;
        line.name = std::string_view(nameStart, size_t(p - nameStart));
        const char* afterName = p;
        p = skipBlanks(p, end);
        if (p < end && *p == '{')
            p = skipBlanks(readLabels(p + 1, end, line.labels), end);
        else if (p == afterName && p < end)
            fail(p, QStringLiteral("unexpected %1 after the metric name %2")
                        .arg(excerptAt(p, end), excerpt(line.name)));
    }
    if (p == end)
        fail(p, QStringLiteral("the sample %1 has no value").arg(excerpt(line.name)));

    const char* valueEnd = tokenEnd(p, end);
    line.value = readValue({p, size_t(valueEnd - p)}, "sample value");
    p = skipBlanks(valueEnd, end);
    if (p < end && *p != '#') {
        const char* timeEnd = tokenEnd(p, end);
        line.timeNs = readTimestamp({p, size_t(timeEnd - p)}, m_dialect);
        p = skipBlanks(timeEnd, end);
    }
    if (p < end && *p == '#')
        readExemplar(p + 1, end, line);
    else if (p < end)
        fail(p, QStringLiteral("unexpected %1 after the timestamp of %2")
                    .arg(excerptAt(p, end), excerpt(line.name)));
}

const char* ExpositionParser::readLabels(const char* p, const char* end, std::vector<Label>& labels,
                                         std::string_view* metricName)
{
    for (bool first = true;; first = false) {
        p = skipBlanks(p, end);
        if (p == end)
            fail(p, QStringLiteral("the label set is not closed with '}'"));
        if (*p == '}')
            return p + 1;
        const char* nameStart = p;
        std::string_view name;
        if (*p == '"') {
            p = skipBlanks(readQuotedName(p, end, name), end);
            // A quoted term without '=' is the metric's name, first in its braces.
            if (p < end && *p != '=') {
                if (!metricName || !first)
                    fail(nameStart, QStringLiteral("a quoted metric name comes first in the braces and only "
                                                   "there; expected a label name or '}', not %1")
                                        .arg(excerpt(name)));
                *metricName = name;
                if (*p == ',')
                    ++p;
                else if (*p != '}')
                    fail(p,
                         QStringLiteral("expected ',' or '}' after the metric name %1").arg(excerpt(name)));
                continue;
            }
        } else {
            if (!is(*p, LabelStart))
                fail(p, QStringLiteral("expected a label name or '}', not %1").arg(excerptAt(p, end)));
            while (p < end && is(*p, LabelChar))
                ++p;
            name = std::string_view(nameStart, size_t(p - nameStart));
        }
        if (name == "__name__")
            fail(nameStart, QStringLiteral("the label name __name__ is reserved for the metric name"));
        p = skipBlanks(p, end);
        if (p == end || *p != '=')
            fail(p, QStringLiteral("expected '=' after the label name %1").arg(excerpt(name)));
        p = skipBlanks(p + 1, end);
        if (p == end || *p != '"')
            fail(p, QStringLiteral("the value of label %1 must be in double quotes").arg(excerpt(name)));
        std::string_view quoted;
        bool escaped = false;
        const char* quote = readQuoted(p, end, quoted, escaped);
        if (!quote)
            fail(p, QStringLiteral("the value of label %1 is not closed (a line break in a "
                                   "label value is written \\n)")
                        .arg(excerpt(name)));
        labels.push_back({name, escaped ? unescape(quoted) : quoted, quoted});
        p = skipBlanks(quote + 1, end);
        if (p < end && *p == ',')
            ++p;
        else if (p == end || *p != '}')
            fail(p, QStringLiteral("expected ',' or '}' after the value of label %1").arg(excerpt(name)));
    }
}

const char* ExpositionParser::readQuoted(const char* p, const char* end, std::string_view& text,
                                         bool& escaped) const
{
    const char* const start = ++p;
    // Most quoted text has no escapes: find the closing quote with memchr, and look closer
    // only when a backslash comes before it.
    const char* quote = static_cast<const char*>(std::memchr(p, '"', size_t(end - p)));
    escaped = false;
    if (quote && std::memchr(p, '\\', size_t(quote - p))) {
        escaped = true;
        while (p < end && *p != '"')
            p += *p == '\\' && end - p > 1 ? 2 : 1;
        quote = p < end ? p : nullptr;
    }
    if (quote)
        text = std::string_view(start, size_t(quote - start));
    return quote;
}

const char* ExpositionParser::readQuotedName(const char* p, const char* end, std::string_view& name)
{
    std::string_view quoted;
    bool escaped = false;
    const char* quote = readQuoted(p, end, quoted, escaped);
    if (!quote)
        fail(p, QStringLiteral("the quoted name %1 is not closed").arg(excerptAt(p, end)));
    if (quoted.empty())
        fail(p, QStringLiteral("a quoted name is empty"));
    if (!QByteArrayView(quoted.data(), qsizetype(quoted.size())).isValidUtf8())
        fail(p, QStringLiteral("the quoted name at %1 is not valid UTF-8").arg(excerptAt(p, end)));
    name = escaped ? unescape(quoted) : quoted;
    return quote + 1;
}

void ExpositionParser::readExemplar(const char* p, const char* end, ExpositionLine& line)
{
    p = skipBlanks(p, end);
    if (p == end || *p != '{')
        fail(p, QStringLiteral("an exemplar starts with \"# {\", not %1").arg(excerptAt(p, end)));
    p = skipBlanks(readLabels(p + 1, end, line.exemplarLabels), end);
    if (p == end)
        fail(p, QStringLiteral("the exemplar of %1 has no value").arg(excerpt(line.name)));
    const char* valueEnd = tokenEnd(p, end);
    line.exemplarValue = readValue({p, size_t(valueEnd - p)}, "exemplar value");
    p = skipBlanks(valueEnd, end);
    if (p < end) {
        const char* timeEnd = tokenEnd(p, end);
        line.exemplarTimeNs = readSeconds({p, size_t(timeEnd - p)});
        p = skipBlanks(timeEnd, end);
    }
    if (p < end)
        fail(p, QStringLiteral("unexpected %1 after the exemplar of %2")
                    .arg(excerptAt(p, end), excerpt(line.name)));
    line.hasExemplar = true;
}

double ExpositionParser::readValue(std::string_view token, const char* what) const
{
    double value = 0;
    if (!parseValue(token, value))
        fail(token.data(),
             QStringLiteral("the %1 %2 is not a number").arg(QLatin1String(what), excerpt(token)));
    return value;
}

qint64 ExpositionParser::readTimestamp(std::string_view token, Dialect dialect) const
{
    if (dialect == Dialect::OpenMetrics)
        return readSeconds(token);
    if (dialect == Dialect::Either) {
        readValue(token, "timestamp");
        return 0;
    }
    qint64 ms = 0;
    const auto [stop, error] = std::from_chars(token.data(), token.data() + token.size(), ms);
    if (error == std::errc() && stop == token.data() + token.size() && ms >= -MaxMillis && ms <= MaxMillis)
        return ms * 1'000'000;
    if (error == std::errc::result_out_of_range ||
        (error == std::errc() && stop == token.data() + token.size()))
        fail(token.data(), QStringLiteral("the timestamp %1 ms is out of range (before 1677 or after 2262)")
                               .arg(excerpt(token)));
    if (double number = 0; parseValue(token, number))
        fail(token.data(), QStringLiteral("the timestamp %1 is not a whole number of milliseconds, as the "
                                          "Prometheus text format writes them (OpenMetrics, whose "
                                          "timestamps are seconds, ends with \"# EOF\")")
                               .arg(excerpt(token)));
    fail(token.data(), QStringLiteral("the timestamp %1 is not a number").arg(excerpt(token)));
}

qint64 ExpositionParser::readSeconds(std::string_view token) const
{
    const char* p = token.data();
    const char* end = p + token.size();
    const bool negative = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        ++p;
    // Decimal seconds are read exactly, to the nanosecond: through a double, a timestamp of
    // today would keep only a quarter of a microsecond.
    const char* dot = std::find(p, end, '.');
    const auto allDigits = [](const char* from, const char* to) {
        return std::all_of(from, to, [](char c) { return c >= '0' && c <= '9'; });
    };
    if (dot > p && allDigits(p, dot) && (dot == end || allDigits(dot + 1, end))) {
        qint64 seconds = 0;
        const auto [stop, error] = std::from_chars(p, dot, seconds);
        if (error == std::errc() && seconds <= MaxSeconds) {
            qint64 fraction = 0;
            int digits = 0;
            for (const char* d = dot == end ? end : dot + 1; d < end && digits < 9; ++d, ++digits)
                fraction = fraction * 10 + (*d - '0');
            for (; digits < 9; ++digits)
                fraction *= 10;
            const qint64 ns = seconds * 1'000'000'000 + fraction;
            return negative ? -ns : ns;
        }
    } else {
        double seconds = 0;
        if (!parseValue(token, seconds))
            fail(token.data(), QStringLiteral("the timestamp %1 is not a number").arg(excerpt(token)));
        if (std::isfinite(seconds) && std::abs(seconds) <= double(MaxSeconds))
            return qint64(std::llround(seconds * 1e9));
    }
    fail(
        token.data(),
        QStringLiteral("the timestamp %1 s is out of range (before 1677 or after 2262)").arg(excerpt(token)));
}

std::string_view ExpositionParser::unescape(std::string_view text)
{
    const size_t start = m_unescaped.size();
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\\' || i + 1 == text.size()) {
            m_unescaped.push_back(c);
            continue;
        }
        const char escaped = text[++i];
        if (escaped == 'n') {
            m_unescaped.push_back('\n');
        } else if (escaped == '\\' || escaped == '"') {
            m_unescaped.push_back(escaped);
        } else {
            // Other escapes stay as written, as the Prometheus server keeps them.
            m_unescaped.push_back('\\');
            m_unescaped.push_back(escaped);
        }
    }
    return std::string_view(m_unescaped).substr(start);
}

} // namespace lundi::prometheus
