#include "storesink.h"
#include "classifier.h"
#include "store/bulkwriter.h"

#include <limits>

namespace lundi {

StoreSink::StoreSink(BulkWriter& writer, SourceId source, const Classifier& classifier)
    : m_writer(writer), m_source(source), m_classifier(classifier)
{
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
    return m_writer.addTrack(m_source, track);
}

Category StoreSink::classify(const SpanSpec& span)
{
    // Name and cat repeat across thousands of spans: judge each pair once, and look at
    // attributes only where a rule about them could change the verdict.
    const bool hasAttributes = !span.attributesJson.empty();
    const quint64 key = (quint64(span.name) << 33) ^ (quint64(span.cat) << 1) ^ quint64(hasAttributes);
    auto [it, inserted] = m_verdicts.try_emplace(key, qint8(-1));
    if (inserted) {
        const auto verdict = hasAttributes
                                 ? m_classifier.classifyWithoutAttributes(text(span.name), text(span.cat))
                                 : m_classifier.classify(text(span.name), text(span.cat), {});
        it->second = verdict ? qint8(*verdict) : qint8(-1);
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
    m_writer.addFlow(m_source, from, to, name);
}

SeriesId StoreSink::addSeries(const SeriesSpec& series)
{
    ++m_counts.series;
    return m_writer.addSeries(m_source, series);
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
