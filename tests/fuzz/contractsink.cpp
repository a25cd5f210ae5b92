#include "contractsink.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace lundi::fuzz {

namespace {

// Whether text is one JSON object the store's json_extract() can read (iterative: attributes
// copied from a deeply nested input must not overflow the checker's stack either).
bool isJsonObject(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{')
        return false;
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::BaseReaderHandler<> handler;
    rapidjson::Reader reader;
    return !reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(stream, handler)
                .IsError() &&
           text.find_first_not_of(" \t\r\n", stream.Tell()) == std::string_view::npos;
}

} // namespace

void ContractSink::breach(const char* what)
{
    std::fprintf(stderr, "Sink contract broken: %s\n", what);
    std::abort();
}

void ContractSink::checkString(StringId id, bool mayBeNone, const char* what) const
{
    if (id == 0 ? !mayBeNone : id < 0 || id > m_strings)
        breach(what);
}

StringId ContractSink::intern(std::string_view)
{
    return ++m_strings;
}

TrackId ContractSink::addTrack(const TrackSpec& track)
{
    if (int(track.kind) > int(TrackKind::Counter))
        breach("a track of no known kind");
    return ++m_tracks;
}

SpanId ContractSink::addSpan(const SpanSpec& span)
{
    if (span.track <= 0 || span.track > m_tracks)
        breach("a span on a track that was not added");
    if (span.parent < 0 || span.parent > m_spans)
        breach("a span whose parent was not added before it");
    checkString(span.name, false, "a span without a name from intern()");
    checkString(span.cat, true, "a span's cat is no id from intern()");
    if (span.durNs < 0)
        breach("a span with a negative duration");
    qint64 end = 0;
    if (__builtin_add_overflow(span.startNs, span.durNs, &end))
        breach("a span whose end does not fit in 64 bits");
    if (int(span.status) > int(SpanStatus::Error))
        breach("a span of no known status");
    if (!span.attributesJson.empty() && !isJsonObject(span.attributesJson))
        breach("a span's attributes are not one JSON object");
    return ++m_spans;
}

void ContractSink::addFlow(SpanId from, SpanId to, StringId name)
{
    if (from <= 0 || from > m_spans || to <= 0 || to > m_spans)
        breach("a flow between spans that were not added");
    checkString(name, true, "a flow's name is no id from intern()");
}

SeriesId ContractSink::addSeries(const SeriesSpec& series)
{
    if (series.track < 0 || series.track > m_tracks)
        breach("a series on a track that was not added");
    if (!isJsonObject({series.labelsJson.constData(), size_t(series.labelsJson.size())}))
        breach("a series' labels are not one JSON object");
    return ++m_series;
}

void ContractSink::addSample(SeriesId series, qint64, double)
{
    if (series <= 0 || series > m_series)
        breach("a sample of a series that was not added");
}

void ContractSink::warn(const QString& sentence)
{
    if (sentence.trimmed().isEmpty())
        breach("an empty warning");
    if (++m_warnings > MaxWarnings)
        breach("more warnings than MaxWarnings: warn per kind of oddity, with a count, not per line");
}

void ContractSink::setMetadata(const QByteArray& json)
{
    if (!isJsonObject({json.constData(), size_t(json.size())}))
        breach("the metadata is not one JSON object");
}

void ContractSink::beginPart(const QString& part)
{
    if (part.isEmpty())
        breach("a part without a name");
    if (std::find(m_parts.begin(), m_parts.end(), part) != m_parts.end())
        breach("a part begun twice");
    m_parts.push_back(part);
}

} // namespace lundi::fuzz
