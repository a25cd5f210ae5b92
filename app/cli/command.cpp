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

void Command::requireExistingDb() const
{
    if (!QFileInfo::exists(db()))
        throw StoreError(QStringLiteral("%1: no such incident file.").arg(db()));
}

} // namespace lundi::cli
