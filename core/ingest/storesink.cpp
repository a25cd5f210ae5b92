#include "storesink.h"
#include "classifier.h"
#include "store/bulkwriter.h"

#include <limits>

namespace lundi {

StoreSink::StoreSink(BulkWriter& writer, const SourceSpec& source, const Classifier& classifier)
    : m_writer(writer), m_spec(source), m_classifier(classifier)
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

Category StoreSink::classify(const SpanSpec& span)
{
    // Name, cat and attribute keys repeat across thousands of spans: judge each combination
    // once, and look at a span's own attributes only where a rule reads their values.
    const bool hasAttributes = !span.attributesJson.empty();
    const VerdictKey key{span.name, span.cat, hasAttributes ? std::max<quint64>(span.attributeKeys, 1) : 0};
    auto [it, inserted] = m_verdicts.try_emplace(key, qint8(-1));
    if (inserted) {
        if (!hasAttributes) {
            it->second = qint8(m_classifier.classify(text(span.name), text(span.cat), {}));
        } else if (span.attributeKeys) {
            bool valuesMatter = false;
            const Category category =
                m_classifier.classify(text(span.name), text(span.cat), span.attributesJson, &valuesMatter);
            if (!valuesMatter)
                it->second = qint8(category);
            return category;
        } else if (const auto verdict =
                       m_classifier.classifyWithoutAttributes(text(span.name), text(span.cat))) {
            it->second = qint8(*verdict);
        }
    }
    if (it->second >= 0)
        return Category(it->second);
    return m_classifier.classify(text(span.name), text(span.cat), span.attributesJson);
}

SpanId StoreSink::addSpan(const SpanSpec& span)
{
    int depth = 0;
    if (span.parent >= m_firstSpan && m_firstSpan && span.parent - m_firstSpan < SpanId(m_depths.size()))
        depth = std::min<int>(m_depths[size_t(span.parent - m_firstSpan)] + 1,
                              std::numeric_limits<quint16>::max());
    const SpanId id = m_writer.addSpan(span, classify(span), depth);
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

void StoreSink::warn(const QString& sentence)
{
    m_warnings.append(sentence);
}

void StoreSink::setMetadata(const QByteArray& json)
{
    m_metadata = json;
}

} // namespace lundi
