#pragma once

#include "ingest/sink.h"

#include <QString>

#include <string_view>
#include <vector>

namespace lundi::fuzz {

// The fuzzers' oracle, not a stand-in for the store: a Sink that checks every call against the
// contract the StoreSink relies on (the store writes with foreign keys off and trusts the ids)
// and abort()s on the first breach, so that libFuzzer keeps the input as a crash. It counts
// instead of storing, so memory stays bounded whatever the input.
//
// The contract: strings, tracks, spans and series are referred to only by ids this sink handed
// out; a span's parent comes before it; a span's duration is not negative and its end fits in
// 64 bits; attributes, labels and metadata are JSON objects; warnings are sentences, counted
// rather than one per line; parts are named, each once.
class ContractSink : public Sink
{
  public:
    // More warnings than this in one import means the importer warns per line, not per kind.
    static constexpr int MaxWarnings = 200;

    StringId intern(std::string_view text) override;
    TrackId addTrack(const TrackSpec& track) override;
    SpanId addSpan(const SpanSpec& span) override;
    void addFlow(SpanId from, SpanId to, StringId name) override;
    SeriesId addSeries(const SeriesSpec& series) override;
    void addSample(SeriesId series, qint64 timeNs, double value) override;
    void warn(const QString& sentence) override;
    void setMetadata(const QByteArray& json) override;
    void beginPart(const QString& part) override;

    // Prints what was broken and aborts.
    [[noreturn]] static void breach(const char* what);

  private:
    void checkString(StringId id, bool mayBeNone, const char* what) const;

    qint64 m_strings = 0;
    qint64 m_tracks = 0;
    qint64 m_spans = 0;
    qint64 m_series = 0;
    int m_warnings = 0;
    std::vector<QString> m_parts;
};

} // namespace lundi::fuzz
