#include "command.h"
#include "commands.h"

#include "classifier.h"
#include "ingest/reclassify.h"

#include <QFile>

namespace lundi::cli {

int runClassify(const QStringList& arguments)
{
    Command command(
        QStringLiteral("classify"),
        QStringLiteral("Puts every span of the incident into the category the classification rules "
                       "give it now, without a re-import."));
    command.parser().addOption(
        {QStringLiteral("rules"),
         QStringLiteral("A rules file (default: the user's rules, else the built-in)."),
         QStringLiteral("FILE")});
    command.parse(arguments);
    command.requireExistingDb();
    const auto rulesFile = [](const QString& path) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            throw RulesError(QStringLiteral("%1: %2.").arg(path, file.errorString()).toStdString());
        return Classifier::fromJson(file.readAll(), path);
    };
    const Classifier classifier =
        command.isSet("rules") ? rulesFile(command.value("rules")) : Classifier::standard();
    Store store(command.db());
    const ReclassifySummary summary = reclassify(store, classifier);
    out() << QStringLiteral("%1 spans classified; %2 changed category.\n")
                 .arg(summary.spans)
                 .arg(summary.changed);
    out().flush();
    return 0;
}

} // namespace lundi::cli
