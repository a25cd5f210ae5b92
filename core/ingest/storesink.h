#pragma once

#include "sink.h"

#include <QStringList>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lundi {

class BulkWriter;
class Classifier;

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

    // The sources written, one per part, in order; at least one.
    QList<SourceId> sources();
    const IncidentCounts& counts() const { return m_counts; }
    const QStringList& warnings() const { return m_warnings; }
    const QByteArray& metadata() const { return m_metadata; }

  private:
    Category classify(const SpanSpec& span);
    bool isDecisive(std::string_view key);
    const std::string& text(StringId id) const;
    SourceId source();

    BulkWriter& m_writer;
    SourceSpec m_spec;
    QString m_part;
    SourceId m_source = 0; // of the current part; 0 until something needs it
    QList<SourceId> m_sources;
    const Classifier& m_classifier;
    IncidentCounts m_counts;
    QStringList m_warnings;
    QByteArray m_metadata = "{}";
    std::unordered_map<StringId, std::string> m_texts;
    struct VerdictKey
    {
        StringId name;
        StringId cat;
        quint64 attributes; // 0: none; else the keys' hash
        std::string values; // of the keys whose values rules read, where those decide
        bool operator==(const VerdictKey&) const = default;
    };
    struct VerdictHash
    {
        size_t operator()(const VerdictKey& key) const
        {
            return size_t(key.name * 0x9E3779B97F4A7C15ull ^ key.cat * 0xC2B2AE3D27D4EB4Full ^
                          key.attributes) ^
                   std::hash<std::string>{}(key.values);
        }
    };
    struct TextHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    // The category of spans alike by name, cat and attribute keys, or -1 where the values of
    // some attributes decide; those are judged again per combination of those values.
    std::unordered_map<VerdictKey, qint8, VerdictHash> m_verdicts;
    std::unordered_map<VerdictKey, Category, VerdictHash> m_verdictsByValue;
    std::unordered_map<std::string, bool, TextHash, std::equal_to<>> m_decisiveKeys;
    SpanId m_firstSpan = 0;
    std::vector<quint16> m_depths; // of this import's spans, by id - m_firstSpan
};

} // namespace lundi
