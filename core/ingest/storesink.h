#pragma once

#include "cachedclassifier.h"
#include "sink.h"
#include "store/bulkwriter.h"

#include <QStringList>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lundi {

// What every source of one import shares.
struct SourceSpec
{
    QString format;
    QString origin;
    qint64 importedAtNs = 0;
    qint64 clockOffsetNs = 0;
};

// The Sink of an import into an incident: classifies each span, tracks depths, counts what
// arrived, and writes it all through the import's BulkWriter, into one source per part.
class StoreSink : public Sink
{
  public:
    StoreSink(BulkWriter& writer, const SourceSpec& source, const Classifier& classifier);

    StringId intern(std::string_view text) override;
    TrackId addTrack(const TrackSpec& track) override;
    SpanId addSpan(const SpanSpec& span) override;
    void addFlow(SpanId from, SpanId to, StringId name) override;
    SeriesId addSeries(const SeriesSpec& series) override;
    void addSample(SeriesId series, qint64 timeNs, double value) override;
    void warn(const QString& sentence) override;
    void setMetadata(const QByteArray& json) override;
    void beginPart(const QString& part) override;
    bool canRewind() const override { return true; }
    void rewind() override;
    void updateTrack(TrackId track, const TrackSpec& spec) override;

    // Adds to a source an earlier transaction created (a LiveSource that grows) instead of
    // starting one; before anything is added.
    void appendTo(SourceId source);
    // The sources written, one per part, in order; at least one.
    QList<SourceId> sources();
    const IncidentCounts& counts() const { return m_counts; }
    const QStringList& warnings() const { return m_warnings; }
    const QByteArray& metadata() const { return m_metadata; }

  private:
    const std::string& text(StringId id) const;
    SourceId source();

    BulkWriter& m_writer;
    BulkWriter::Mark m_start; // what rewind() goes back to
    SourceSpec m_spec;
    QString m_part;
    SourceId m_source = 0; // of the current part; 0 until something needs it
    QList<SourceId> m_sources;
    CachedClassifier m_classifier;
    IncidentCounts m_counts;
    QStringList m_warnings;
    QByteArray m_metadata = "{}";
    std::unordered_map<StringId, std::string> m_texts;
    SpanId m_firstSpan = 0;
    std::vector<quint16> m_depths; // of this import's spans, by id - m_firstSpan
};

} // namespace lundi
