#pragma once

// What every lundi-cli command shares: its options, its errors and its output.

#include "store/store.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lundi {
struct ImportSummary;
} // namespace lundi

namespace lundi::cli {

constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;

QTextStream& out();
void printError(const QString& sentence);
void printJson(const QJsonDocument& document);
// An import's one line ("PATH: FORMAT, 3 tracks, 57 spans, ...") and its warnings, or its JSON.
void printSummary(const ImportSummary& summary);
QJsonObject summaryJson(const ImportSummary& summary);

// The values of a repeatable --header "Name: value" option as name and value, both trimmed.
// Throws UsageError for one without a colon or a name.
std::vector<std::pair<std::string, std::string>> headerList(const QStringList& values);

// A wrong command line: main() prints the sentence with a pointer to --help, status 2.
struct UsageError
{
    QString sentence;
};

// What --baseline and --incident name: a source, or a time range of the whole incident.
struct SourceOrRange
{
    std::optional<SourceId> source;
    TimeRange range; // when source is empty
};

// The options every subcommand shares, and its own.
class Command
{
  public:
    Command(const QString& name, const QString& synopsis);

    QCommandLineParser& parser() { return m_parser; }
    // Parses the arguments; --help prints the help and exits.
    void parse(const QStringList& arguments);

    QString db() const { return m_parser.value(QStringLiteral("db")); }
    bool isSet(const char* option) const { return m_parser.isSet(QLatin1String(option)); }
    QString value(const char* option) const { return m_parser.value(QLatin1String(option)); }
    // The value of a duration option ("1.5s", "-200ms") in nanoseconds.
    qint64 durationValue(const char* option) const;
    // A RANGE option: START..END, each RFC 3339 or Unix seconds.
    TimeRange rangeValue(const char* option) const;
    // A SOURCE option: a source id as `info` lists it, or the name of the file it came from.
    SourceId sourceValue(const Store& store, const char* option) const;
    // An option that takes a SOURCE or a RANGE.
    SourceOrRange sourceOrRangeValue(const Store& store, const char* option) const;
    // --baseline and --incident, each a SOURCE or a RANGE, both optional, as suspects and report
    // take them (SpanSelection::complement is the incident the baseline leaves).
    void addComparisonOptions();
    // Throws StoreError when --db names no file: reading commands never create one.
    void requireExistingDb() const;

  private:
    QString m_name;
    QCommandLineParser m_parser;
};

} // namespace lundi::cli
