#pragma once

#include <QList>
#include <QStringList>

#include <string_view>

namespace lundi {

class Importer;

// The importers found as Qt plugins: next to the executable (plugins/), in the installed
// plugin folder, and in the folders of LUNDI_PLUGIN_PATH (colon-separated), in that order.
class ImporterRegistry
{
  public:
    ImporterRegistry(); // loads from pluginDirectories()
    explicit ImporterRegistry(const QStringList& directories);

    static QStringList pluginDirectories();

    const QList<const Importer*>& importers() const { return m_importers; }
    const Importer* byFormat(const QString& format) const;
    // The importer most sure it reads this content, or nullptr when none is.
    const Importer* detect(std::string_view head, const QString& fileName) const;
    QStringList formats() const;
    // Sentences about plugin files that could not be loaded.
    const QStringList& problems() const { return m_problems; }

  private:
    void load(const QStringList& directories);

    QList<const Importer*> m_importers;
    QStringList m_problems;
};

} // namespace lundi
