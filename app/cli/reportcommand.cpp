#include "command.h"
#include "commands.h"

#include "report/report.h"
#include "report/reportwriter.h"

namespace lundi::cli {

int runReport(const QStringList& arguments)
{
    Command command(
        QStringLiteral("report"),
        QStringLiteral("A PDF report for those who do not open Lundi: what happened, how bad it was "
                       "and what caused it, with the numbers and charts behind it."));
    auto& parser = command.parser();
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The PDF to write."),
                      QStringLiteral("FILE")});
    command.addComparisonOptions();
    parser.addOption({QStringLiteral("title"),
                      QStringLiteral("The report's title (default: the file's name)."),
                      QStringLiteral("TITLE")});
    parser.addOption({QStringLiteral("slo-ms"),
                      QStringLiteral("A latency objective in milliseconds: how many requests took longer."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("page"), QStringLiteral("The paper: a4 (default) or letter."),
                      QStringLiteral("a4|letter"), QStringLiteral("a4")});
    command.parse(arguments);
    if (!command.isSet("output"))
        throw UsageError{QStringLiteral("report needs -o FILE.pdf")};
    const QString page = command.value("page").toLower();
    if (page != QLatin1String("a4") && page != QLatin1String("letter"))
        throw UsageError{QStringLiteral("--page takes a4 or letter")};
    Report::Options options;
    if (command.isSet("slo-ms")) {
        bool ok = false;
        const double ms = command.value("slo-ms").toDouble(&ok);
        if (!ok || !(ms > 0) || ms > 1e12)
            throw UsageError{
                QStringLiteral("--slo-ms takes a number of milliseconds above zero, such as 2000")};
        options.sloNs = qint64(ms * 1e6);
    }
    options.title = command.value("title");
    command.requireExistingDb();

    const Store store(command.db());
    const auto selectionOf = [&](const char* option) {
        const SourceOrRange side = command.sourceOrRangeValue(store, option);
        return SpanSelection{side.source, side.range};
    };
    if (command.isSet("baseline"))
        options.baseline = selectionOf("baseline");
    if (command.isSet("incident"))
        options.incident = selectionOf("incident");
    const Report report = Report::build(store, options);
    const ReportWriter writer(report, page == QLatin1String("letter") ? QPageSize::Letter : QPageSize::A4);
    QString error;
    const int pages = writer.writePdf(command.value("output"), &error);
    if (pages == 0) {
        printError(error);
        return ExitFailure;
    }
    out() << QStringLiteral("%1: %2 pages\n").arg(command.value("output")).arg(pages);
    out().flush();
    return 0;
}

} // namespace lundi::cli
