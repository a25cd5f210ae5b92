#include "command.h"

#include "store/storeerror.h"
#include "timeformat.h"

#include <QFileInfo>

#include <cstdio>

namespace lundi::cli {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

void printError(const QString& sentence)
{
    std::fprintf(stderr, "lundi-cli: %s\n", sentence.toLocal8Bit().constData());
}

void printJson(const QJsonDocument& document)
{
    out() << document.toJson(QJsonDocument::Indented);
    out().flush();
}

std::vector<std::pair<std::string, std::string>> headerList(const QStringList& values)
{
    std::vector<std::pair<std::string, std::string>> headers;
    for (const QString& value : values) {
        const qsizetype colon = value.indexOf(QLatin1Char(':'));
        const QString name = value.left(colon).trimmed();
        // Not repeated in the sentence: the value may be a secret.
        if (colon < 0 || name.isEmpty())
            throw UsageError{QStringLiteral("--header takes \"Name: value\", a name and a colon first")};
        headers.emplace_back(name.toStdString(), value.mid(colon + 1).trimmed().toStdString());
    }
    return headers;
}

Command::Command(const QString& name, const QString& synopsis) : m_name(name)
{
    m_parser.setApplicationDescription(synopsis);
    m_parser.addHelpOption();
    m_parser.addOption(
        {QStringLiteral("db"), QStringLiteral("The incident file (*.lundi)."), QStringLiteral("FILE")});
}

void Command::parse(const QStringList& arguments)
{
    if (!m_parser.parse(arguments))
        throw UsageError{m_parser.errorText()};
    if (m_parser.isSet(QStringLiteral("help"))) {
        out() << m_parser.helpText();
        out().flush();
        std::exit(0);
    }
    if (m_parser.value(QStringLiteral("db")).isEmpty())
        throw UsageError{QStringLiteral("%1 needs --db FILE.lundi").arg(m_name)};
}

qint64 Command::durationValue(const char* option) const
{
    const std::optional<qint64> ns = TimeFormat::parseDuration(value(option));
    if (!ns)
        throw UsageError{QStringLiteral("--%1 takes a duration such as 1.5s, -200ms or 3h, not \"%2\"")
                             .arg(QLatin1String(option), value(option))};
    return *ns;
}

namespace {

std::optional<TimeRange> parseRange(const QString& text)
{
    const QStringList ends = text.split(QStringLiteral(".."));
    if (ends.size() != 2)
        return std::nullopt;
    const std::optional<qint64> start = TimeFormat::parseInstant(ends[0]);
    const std::optional<qint64> end = TimeFormat::parseInstant(ends[1]);
    if (!start || !end || *end <= *start)
        return std::nullopt;
    return TimeRange{*start, *end};
}

} // namespace

TimeRange Command::rangeValue(const char* option) const
{
    const QString text = value(option);
    const std::optional<TimeRange> range = parseRange(text);
    if (!range)
        throw UsageError{QStringLiteral("--%1 takes START..END (RFC 3339 or Unix seconds, END after START), "
                                        "not \"%2\"")
                             .arg(QLatin1String(option), text)};
    return *range;
}

SourceId Command::sourceValue(const Store& store, const char* option) const
{
    const QString text = value(option);
    bool isNumber = false;
    const SourceId id = text.toLongLong(&isNumber);
    QList<SourceId> matches;
    for (const Source& source : store.sources(Store::SpanCounting::Skip)) {
        if (isNumber ? source.id == id : source.origin == text || QFileInfo(source.origin).fileName() == text)
            matches.append(source.id);
    }
    if (matches.size() == 1)
        return matches.front();
    throw UsageError{(matches.isEmpty() ? QStringLiteral("--%1: the incident has no source \"%2\"")
                                        : QStringLiteral("--%1: \"%2\" names several sources; give its id"))
                         .arg(QLatin1String(option), text) +
                     QStringLiteral(" (lundi-cli info lists them)")};
}

SourceOrRange Command::sourceOrRangeValue(const Store& store, const char* option) const
{
    // A file name may hold ".." too: only what parses as a range is one.
    if (const std::optional<TimeRange> range = parseRange(value(option)))
        return {std::nullopt, *range};
    return {sourceValue(store, option), {}};
}

void Command::addComparisonOptions()
{
    m_parser.addOption({QStringLiteral("baseline"),
                        QStringLiteral("What normal looks like: a source (id or file name) or a time range "
                                       "START..END."),
                        QStringLiteral("SOURCE|RANGE")});
    m_parser.addOption({QStringLiteral("incident"),
                        QStringLiteral("What is slow (default: all, or what the baseline is not)."),
                        QStringLiteral("SOURCE|RANGE")});
}

void Command::requireExistingDb() const
{
    if (!QFileInfo::exists(db()))
        throw StoreError(QStringLiteral("%1: no such incident file.").arg(db()));
}

} // namespace lundi::cli
