#include "storesink.h"
#include "store/bulkwriter.h"

#include <limits>

namespace lundi {

StoreSink::StoreSink(BulkWriter& writer, const SourceSpec& source, const Classifier& classifier)
    : m_writer(writer), m_start(writer.mark()), m_spec(source), m_classifier(classifier)
{
}

SourceId StoreSink::source()
{
    if (!m_source) {
        const QString origin = m_part.isEmpty() ? m_spec.origin : m_spec.origin + QLatin1Char('#') + m_part;
        m_source = m_writer.addSource(m_spec.format, origin, m_spec.importedAtNs, m_spec.clockOffsetNs);
        m_sources.append(m_source);
        ++m_counts.sources;
    }
    return m_source;
}

void StoreSink::beginPart(const QString& part)
{
    m_part = part;
    m_source = 0;
}

void StoreSink::appendTo(SourceId source)
{
    m_source = source;
    m_sources = {source};
}

QList<SourceId> StoreSink::sources()
{
    source();
    return m_sources;
}

StringId StoreSink::intern(std::string_view text)
{
    const StringId id = m_writer.intern(text);
    m_texts.try_emplace(id, text);
    return id;
}

const std::string& StoreSink::text(StringId id) const
{
    static const std::string none;
    const auto it = m_texts.find(id);
    return it == m_texts.end() ? none : it->second;
}

TrackId StoreSink::addTrack(const TrackSpec& track)
{
    ++m_counts.tracks;
    return m_writer.addTrack(source(), track);
}

SpanId StoreSink::addSpan(const SpanSpec& span)
{
    int depth = 0;
    if (span.parent >= m_firstSpan && m_firstSpan && span.parent - m_firstSpan < SpanId(m_depths.size()))
        depth = std::min<int>(m_depths[size_t(span.parent - m_firstSpan)] + 1,
                              std::numeric_limits<quint16>::max());
    const SpanId id =
        m_writer.addSpan(span,
                         m_classifier.classify(span.name, text(span.name), span.cat, text(span.cat),
                                               span.attributesJson, span.attributeKeys),
                         depth);
    if (!m_firstSpan)
        m_firstSpan = id;
    m_depths.push_back(quint16(depth));
    ++m_counts.spans;
    return id;
}

void StoreSink::addFlow(SpanId from, SpanId to, StringId name)
{
    ++m_counts.flows;
    m_writer.addFlow(source(), from, to, name);
}

SeriesId StoreSink::addSeries(const SeriesSpec& series)
{
    ++m_counts.series;
    return m_writer.addSeries(source(), series);
}

void StoreSink::addSample(SeriesId series, qint64 timeNs, double value)
{
    ++m_counts.samples;
    m_writer.addSample(series, timeNs, value);
}

void StoreSink::rewind()
{
    m_writer.rewind(m_start);
    m_counts = IncidentCounts();
    m_counts.sources = qint64(m_sources.size());
    m_warnings.clear();
    m_metadata = "{}";
    m_firstSpan = 0;
    m_depths.clear();
}

void StoreSink::updateTrack(TrackId track, const TrackSpec& spec)
{
    m_writer.updateTrack(track, spec);
}

void StoreSink::warn(const QString& sentence)
{
    m_warnings.append(sentence);
}

void StoreSink::setMetadata(const QByteArray& json)
{
    m_metadata = json;
}

} // namespace lundi
