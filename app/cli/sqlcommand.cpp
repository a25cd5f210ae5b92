#include "command.h"
#include "commands.h"

#include "store/queryrunner.h"

namespace lundi::cli {

namespace {

// A cell on one line of a table for a terminal: line breaks and tabs become spaces, and a
// long text is cut so one wide column does not push the others off the screen.
QString tableCell(const QVariant& cell)
{
    constexpr qsizetype Widest = 60;
    QString text = QueryResult::cellText(cell);
    for (QChar& c : text) {
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t'))
            c = QLatin1Char(' ');
    }
    if (text.size() > Widest)
        text = text.left(Widest - 1) + QChar(0x2026);
    return text;
}

void printTable(const QueryResult& result)
{
    QList<qsizetype> widths;
    for (const QString& column : result.columns)
        widths.append(tableCell(column).size());
    std::vector<QStringList> cells;
    cells.reserve(result.rows.size());
    for (const QVariantList& row : result.rows) {
        QStringList line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            line.append(tableCell(row[i]));
            widths[i] = std::max(widths[i], line.back().size());
        }
        cells.push_back(std::move(line));
    }
    const auto printLine = [&widths](const QStringList& line) {
        QString text;
        for (qsizetype i = 0; i < line.size(); ++i)
            text += (i ? QStringLiteral("  ") : QString()) + line[i].leftJustified(widths[i]);
        out() << text.trimmed() << '\n';
    };
    QStringList header;
    QStringList rule;
    for (qsizetype i = 0; i < result.columns.size(); ++i) {
        header.append(tableCell(result.columns[i]));
        rule.append(QString(widths[i], QLatin1Char('-')));
    }
    printLine(header);
    printLine(rule);
    for (const QStringList& line : cells)
        printLine(line);
    out() << (result.rows.size() == 1 ? QStringLiteral("1 row\n")
                                      : QStringLiteral("%1 rows\n").arg(result.rows.size()));
}

} // namespace

int runSql(const QStringList& arguments)
{
    Command command(QStringLiteral("sql"),
                    QStringLiteral("Runs one read-only SQL statement on the incident (docs/schema.md "
                                   "describes its tables); writes are refused."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("csv"), QStringLiteral("Print RFC 4180 CSV with a header line.")});
    parser.addPositionalArgument(QStringLiteral("SQL"),
                                 QStringLiteral("The statement, e.g. \"SELECT ...\"."));
    command.parse(arguments);
    if (parser.positionalArguments().size() != 1)
        throw UsageError{QStringLiteral("sql takes one statement, quoted as one argument")};
    command.requireExistingDb();

    QueryRunner runner(command.db());
    const QString sql = parser.positionalArguments().constFirst();
    if (command.isSet("csv")) {
        // Row by row: a CSV of millions of rows never waits in memory whole.
        runner.stream(
            sql, [](const QStringList& columns) { QueryResult::writeCsvLine(out(), columns); },
            [](QVariantList&& row) {
                QueryResult::writeCsvLine(out(), row);
                return true;
            });
    } else {
        printTable(runner.run(sql));
    }
    out().flush();
    return 0;
}

} // namespace lundi::cli
