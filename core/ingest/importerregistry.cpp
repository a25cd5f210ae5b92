#include "importerregistry.h"
#include "importer.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibrary>
#include <QPluginLoader>

namespace lundi {

ImporterRegistry::ImporterRegistry()
{
    load(pluginDirectories());
}

ImporterRegistry::ImporterRegistry(const QStringList& directories)
{
    load(directories);
}

QStringList ImporterRegistry::pluginDirectories()
{
    const QString appDir = QCoreApplication::applicationDirPath();
    QStringList directories{
        appDir + QStringLiteral("/plugins"),
        QDir::cleanPath(appDir + QStringLiteral("/../") + QStringLiteral(LUNDI_PLUGIN_INSTALL_DIR))};
    for (const QString& path :
         qEnvironmentVariable("LUNDI_PLUGIN_PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        directories.append(path);
    return directories;
}

void ImporterRegistry::load(const QStringList& directories)
{
    for (const QString& directory : directories) {
        const QDir dir(directory);
        for (const QString& entry : dir.entryList(QDir::Files, QDir::Name)) {
            const QString path = dir.absoluteFilePath(entry);
            if (!QLibrary::isLibrary(path))
                continue;
            QPluginLoader loader(path);
            QObject* plugin = loader.instance();
            const Importer* importer = qobject_cast<Importer*>(plugin);
            if (!importer) {
                if (!plugin)
                    m_problems.append(QStringLiteral("%1: %2.").arg(path, loader.errorString()));
                continue;
            }
            // The same plugin may sit in two folders (build tree and install); the first wins.
            if (!byFormat(importer->format()))
                m_importers.append(importer);
        }
    }
}

const Importer* ImporterRegistry::byFormat(const QString& format) const
{
    for (const Importer* importer : m_importers) {
        if (importer->format() == format)
            return importer;
    }
    return nullptr;
}

const Importer* ImporterRegistry::detect(std::string_view head, const QString& fileName) const
{
    const Importer* best = nullptr;
    int bestScore = 0;
    for (const Importer* importer : m_importers) {
        const int score = importer->detect(head, fileName);
        if (score > bestScore) {
            best = importer;
            bestScore = score;
        }
    }
    return best;
}

QStringList ImporterRegistry::formats() const
{
    QStringList formats;
    for (const Importer* importer : m_importers)
        formats.append(importer->format());
    return formats;
}

} // namespace lundi
