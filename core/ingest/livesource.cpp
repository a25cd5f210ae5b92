#include "livesource.h"
#include "store/bulkwriter.h"
#include "store/store.h"

#include <QDateTime>

namespace lundi {

LiveSource::LiveSource(const QString& incidentPath, const SourceSpec& spec, const Classifier& classifier)
    : m_store(std::make_unique<Store>(incidentPath)), m_classifier(classifier), m_spec(spec)
{
    if (!m_spec.importedAtNs)
        m_spec.importedAtNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    BulkWriter writer(*m_store);
    m_source = writer.addSource(m_spec.format, m_spec.origin, m_spec.importedAtNs, m_spec.clockOffsetNs);
    writer.commit();
    m_counts.sources = 1;
    // Small transactions that only append: the store's bulk-import cache (64 MiB) would grow with
    // the file for as long as the session runs, and buy nothing.
    m_store->connection().exec("PRAGMA cache_size = -2048");
}

LiveSource::~LiveSource() = default;

void LiveSource::write(const std::function<void(Sink&)>& fill)
{
    BulkWriter writer(*m_store);
    StoreSink sink(writer, m_spec, m_classifier);
    sink.appendTo(m_source);
    fill(sink);
    const QStringList warnings = m_warnings + sink.warnings();
    const bool newMetadata = sink.metadata() != "{}" && sink.metadata() != m_metadata;
    if (warnings.size() != m_warnings.size() || newMetadata)
        writer.finishSource(m_source, QString(), warnings, newMetadata ? sink.metadata() : m_metadata);
    writer.commit();
    m_warnings = warnings;
    if (newMetadata)
        m_metadata = sink.metadata();
    const IncidentCounts& added = sink.counts();
    m_counts.tracks += added.tracks;
    m_counts.spans += added.spans;
    m_counts.flows += added.flows;
    m_counts.series += added.series;
    m_counts.samples += added.samples;
}

} // namespace lundi
