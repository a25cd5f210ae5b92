#include "ingestor.h"
#include "importer.h"
#include "importerregistry.h"
#include "importerror.h"
#include "inputfile.h"
#include "store/bulkwriter.h"
#include "store/store.h"

#include <QDateTime>
#include <QFileInfo>

#include <openssl/evp.h>

#include <future>
#include <memory>
#include <optional>

namespace lundi {

std::optional<QStringList> ImportOptions::columnList(const QString& text)
{
    QStringList columns;
    for (const QString& column : text.split(QLatin1Char(',')))
        columns.append(column.trimmed());
    if (columns.contains(QString()))
        return std::nullopt;
    return columns;
}

namespace {

// Far enough apart that giving memory back costs nothing next to reading it.
constexpr qint64 ReleaseStep = 16 << 20;

// OpenSSL's SHA-256 uses the CPU's SHA instructions, several times QCryptographicHash's speed:
// the hash of a large input must not outlast its parse on the other core.
QString sha256Of(std::string_view data, const InputFile* input = nullptr)
{
    const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!context || !EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr))
        throw ImportError(QStringLiteral("cannot compute SHA-256 (OpenSSL failed)"));
    for (size_t at = 0; at < data.size(); at += ReleaseStep) {
        const size_t size = std::min<size_t>(ReleaseStep, data.size() - at);
        EVP_DigestUpdate(context.get(), data.data() + at, size);
        if (input)
            input->release(qint64(at), qint64(at + size));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest, &length);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest), int(length)).toHex());
}

} // namespace

Ingestor::Ingestor(Store& store, const ImporterRegistry& registry, const Classifier& classifier)
    : m_store(store), m_registry(registry), m_classifier(classifier)
{
}

const Importer& Ingestor::chooseImporter(const InputFile& input, const ImportOptions& options) const
{
    if (!options.format.isEmpty()) {
        if (const Importer* importer = m_registry.byFormat(options.format))
            return *importer;
        throw ImportError(QStringLiteral("there is no importer for format \"%1\" (known: %2)")
                              .arg(options.format, m_registry.formats().join(QStringLiteral(", "))));
    }
    if (input.data().empty())
        throw ImportError(QStringLiteral("the file is empty"), 0);
    if (const Importer* importer = m_registry.detect(input.data().substr(0, 4096), input.fileName()))
        return *importer;
    throw ImportError(
        QStringLiteral("the content is in no format Lundi reads (known: %1); name one with --format")
            .arg(m_registry.formats().join(QStringLiteral(", "))),
        0);
}

Ingestor::KnownContent Ingestor::knownContent() const
{
    KnownContent known;
    for (const auto& [sha256, source] : m_store.contentHashes())
        known.try_emplace(sha256, source);
    return known;
}

void Ingestor::refuseDuplicate(const QString& sha256, const ImportOptions& options, const KnownContent& known)
{
    if (options.force)
        return;
    if (const auto existing = known.find(sha256); existing != known.end())
        throw ImportError(
            QStringLiteral(
                "this content is already in the incident as source %1 (use --force to import it again)")
                .arg(existing->second));
}

ImportSummary Ingestor::run(const QString& format, const QString& origin, const ImportOptions& options,
                            const KnownContent& known, const std::function<QString()>& sha256,
                            const std::function<void(Sink&)>& fill)
{
    BulkWriter writer(m_store);
    StoreSink sink(writer,
                   {format, origin, QDateTime::currentMSecsSinceEpoch() * 1'000'000, options.clockOffsetNs},
                   m_classifier);
    fill(sink);
    const QString hash = sha256();
    refuseDuplicate(hash, options, known);
    const QList<SourceId> sources = sink.sources();
    for (const SourceId source : sources)
        writer.finishSource(source, hash, sink.warnings(), sink.metadata());
    writer.commit();
    ImportSummary summary;
    summary.source = sources.first();
    summary.sources = sources;
    summary.format = format;
    summary.counts = sink.counts();
    summary.warnings = sink.warnings();
    return summary;
}

ImportSummary Ingestor::importFile(const QString& path, const ImportOptions& options, ImportControl& control)
{
    std::optional<InputFile> input;
    try {
        // Read before the writer starts: from then on its span thread owns the connection.
        const KnownContent known = knownContent();
        input.emplace(path);
        const Importer& importer = chooseImporter(*input, options);
        const std::string_view data = input->data();
        // Hash on the other core while this one parses; a duplicate is refused as soon as the
        // hash is known, at the importer's next progress report, rather than after the whole file.
        const std::shared_future<QString> sha256 =
            std::async(std::launch::async, [data, &input] { return sha256Of(data, &*input); }).share();
        bool checked = false;
        qint64 released = 0;
        ImportControl watched(
            [&](qint64 done, qint64) {
                control.progress(done);
                // The parser is past this; a little behind it, in case it looks back.
                if (done - ReleaseStep > released) {
                    input->release(released, done - ReleaseStep);
                    released = done - ReleaseStep;
                }
                if (!checked && sha256.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                    checked = true;
                    refuseDuplicate(sha256.get(), options, known);
                }
            },
            nullptr);
        watched.setTotal(qint64(data.size()));
        if (options.atNs)
            watched.setUndatedTime(*options.atNs, QStringLiteral("--at"));
        else
            watched.setUndatedTime(QFileInfo(path).lastModified().toMSecsSinceEpoch() * 1'000'000,
                                   QStringLiteral("the file's modification time"));
        watched.setColumns(options.columns);
        control.setTotal(qint64(data.size()));
        ImportSummary summary = run(
            importer.format(), QFileInfo(path).absoluteFilePath(), options, known,
            [&] { return sha256.get(); }, [&](Sink& sink) { importer.import(*input, sink, watched); });
        summary.path = path;
        summary.bytes = qint64(data.size());
        return summary;
    } catch (ImportError& error) {
        if (input && error.offset() >= 0) {
            const auto [line, column] = input->lineAndColumn(error.offset());
            error.locate(QFileInfo(path).fileName(), line, column);
        } else {
            error.locate(QFileInfo(path).fileName(), 0, 0);
        }
        throw;
    }
}

ImportSummary Ingestor::importGenerated(const QString& format, const QString& origin,
                                        const QByteArray& identity, const ImportOptions& options,
                                        const std::function<void(Sink&)>& generate)
{
    try {
        ImportSummary summary = run(
            format, origin, options, knownContent(),
            [&] {
                return sha256Of({identity.constData(), size_t(identity.size())});
            },
            generate);
        summary.path = origin;
        return summary;
    } catch (ImportError& error) {
        error.locate(origin, 0, 0);
        throw;
    }
}

} // namespace lundi
