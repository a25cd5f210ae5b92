#pragma once

#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lundi::prometheus {

// How timestamps read: Prometheus text 0.0.4 writes integer milliseconds, OpenMetrics seconds
// with an optional fraction. Detection, which sees only the head of a file, accepts either.
enum class Dialect { Text004, OpenMetrics, Either };

struct Label
{
    std::string_view name;
    std::string_view value;  // with \\, \" and \n resolved
    std::string_view quoted; // as written between the quotes: where the value is in the input
};

// One line of an exposition. Views point into the input or into the parser, and stay valid
// until the next line is read.
struct ExpositionLine
{
    enum class Kind { Blank, Comment, Help, Type, Unit, Eof, Sample };
    Kind kind = Kind::Blank;
    std::string_view name; // the metric's, of a sample or of a HELP, TYPE or UNIT line
    std::string_view text; // the HELP text (escapes resolved), the TYPE's type, the UNIT's unit
    std::vector<Label> labels;
    double value = 0;
    std::optional<qint64> timeNs;
    bool hasExemplar = false;
    std::vector<Label> exemplarLabels;
    double exemplarValue = 0;
    std::optional<qint64> exemplarTimeNs;
};

// Reads the Prometheus text format (0.0.4) and OpenMetrics 1.0 line by line, in one pass over
// the bytes, without allocating per line; also Prometheus 3's UTF-8 names, quoted where they
// leave the legacy character set: a metric's as the first term in its braces
// ({"my.metric", "http.status"="200"} 1), a label's before its '=', and in # HELP, # TYPE and
// # UNIT lines. Only the syntax: what a TYPE means for the samples after it is left to the
// caller. Throws ImportError with the offset of what is wrong.
class ExpositionParser
{
  public:
    // Lines longer than this are refused: no exposition needs them, and a label set that long
    // (millions of labels) would cost more memory than the whole import.
    static constexpr qsizetype MaxLineBytes = qsizetype(1) << 20;

    ExpositionParser(std::string_view data, Dialect dialect);

    // Reads the next line into line; false at the end of the data.
    bool next(ExpositionLine& line);
    // Where the next line starts.
    qint64 offset() const { return qint64(m_next); }
    qint64 offsetOf(const char* at) const { return at - m_data.data(); }

    static bool isMetricName(std::string_view name);
    // A sample value or bucket bound as both formats write them: Go's float syntax, also
    // +Inf, -Inf and NaN.
    static bool parseValue(std::string_view text, double& value);

  private:
    [[noreturn]] void fail(const char* at, const QString& problem) const;
    void readComment(const char* p, const char* end, ExpositionLine& line);
    void readSample(const char* p, const char* end, ExpositionLine& line);
    // metricName: where a sample's braces may start with its quoted name ({"a.b", x="1"}).
    const char* readLabels(const char* p, const char* end, std::vector<Label>& labels,
                           std::string_view* metricName = nullptr);
    const char* readQuoted(const char* p, const char* end, std::string_view& text, bool& escaped) const;
    const char* readQuotedName(const char* p, const char* end, std::string_view& name);
    void readExemplar(const char* p, const char* end, ExpositionLine& line);
    double readValue(std::string_view token, const char* what) const;
    qint64 readTimestamp(std::string_view token, Dialect dialect) const;
    qint64 readSeconds(std::string_view token) const;
    std::string_view unescape(std::string_view text);

    std::string_view m_data;
    Dialect m_dialect;
    size_t m_next = 0;
    // Label values and HELP texts with escapes resolved; reserved to the line's length before
    // each line, so views into it stay valid for the whole line.
    std::string m_unescaped;
};

} // namespace lundi::prometheus
