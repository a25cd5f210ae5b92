#pragma once

#include "importcontrol.h"
#include "storesink.h"

#include <functional>
#include <optional>
#include <unordered_map>

namespace lundi {

class Classifier;
class Importer;
class InputFile;
class ImporterRegistry;
class Store;

struct ImportOptions
{
    QString format;     // empty: detect from the content
    bool force = false; // import content that is already in the incident
    qint64 clockOffsetNs = 0;
    std::optional<qint64> atNs; // the time of undated samples; else the file's modification time
    QStringList columns;        // the column names of a headerless CSV; empty: the file names them

    // A column list as users type it, "timestamp,index,utilization.gpu": nothing if a name is empty.
    static std::optional<QStringList> columnList(const QString& text);
};

struct ImportSummary
{
    SourceId source = 0;     // the first of sources
    QList<SourceId> sources; // one per part of the input (a differential profile has two)
    QString path;
    QString format;
    qint64 bytes = 0;
    IncidentCounts counts; // of this import
    QStringList warnings;
};

// Imports one file into an incident in one transaction: detect the format, run the importer
// into a StoreSink, refuse content the incident already has, and commit, or leave it as it was.
class Ingestor
{
  public:
    Ingestor(Store& store, const ImporterRegistry& registry, const Classifier& classifier);

    // Throws ImportError (with file and position), ImportCancelled or StoreError.
    ImportSummary importFile(const QString& path, const ImportOptions& options, ImportControl& control);
    // Imports what a generator writes (the demo incident) under the same rules as a file;
    // identity stands in for the content when looking for duplicates.
    ImportSummary importGenerated(const QString& format, const QString& origin, const QByteArray& identity,
                                  const ImportOptions& options, const std::function<void(Sink&)>& generate);

  private:
    // The incident's sources by the SHA-256 of their content. Duplicates are looked up here, not
    // in the store: during an import the connection belongs to the writer's span thread, and
    // SQLite connections are opened without a mutex of their own.
    using KnownContent = std::unordered_map<QString, SourceId>;

    const Importer& chooseImporter(const InputFile& input, const ImportOptions& options) const;
    KnownContent knownContent() const;
    static void refuseDuplicate(const QString& sha256, const ImportOptions& options,
                                const KnownContent& known);
    ImportSummary run(const QString& format, const QString& origin, const ImportOptions& options,
                      const KnownContent& known, const std::function<QString()>& sha256,
                      const std::function<void(Sink&)>& fill);

    Store& m_store;
    const ImporterRegistry& m_registry;
    const Classifier& m_classifier;
};

} // namespace lundi
