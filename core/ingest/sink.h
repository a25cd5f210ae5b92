#pragma once

#include "model.h"

#include <string_view>

namespace lundi {

// Where an importer puts what it read. Ids returned are valid for the rest of the import.
// A span's parent must be added before the span.
class Sink
{
  public:
    virtual ~Sink();

    virtual StringId intern(std::string_view text) = 0;
    virtual TrackId addTrack(const TrackSpec& track) = 0;
    virtual SpanId addSpan(const SpanSpec& span) = 0;
    virtual void addFlow(SpanId from, SpanId to, StringId name) = 0;
    virtual SeriesId addSeries(const SeriesSpec& series) = 0;
    virtual void addSample(SeriesId series, qint64 timeNs, double value) = 0;

    // A sentence about something odd in the input that did not stop the import.
    virtual void warn(const QString& sentence) = 0;
    // A JSON object of what the input says about itself (trace metadata, tool versions).
    virtual void setMetadata(const QByteArray& json) = 0;
    // From here on, what is added belongs to a source of its own named after this part of the
    // input ("baseline", "incident" of a differential profile); call it before the first track
    // or series of the part. An input without parts is one source.
    virtual void beginPart(const QString& part) = 0;

    // Writing ahead: an importer that writes before it has read its whole input, on a guess about
    // the rest (a trace's slices written in start order while it is read), must be able to take
    // back what it wrote when the rest proves the guess wrong. Only a sink that can rewind lets it.
    virtual bool canRewind() const { return false; }
    // Drops every track, span, flow, series and sample added so far, and the warnings and metadata,
    // so that the importer can start again (interned strings stay).
    virtual void rewind() {}
    // Gives a track added ahead its final names and order, once the input has said them (only
    // into a sink that can rewind is anything written ahead).
    virtual void updateTrack(TrackId /*track*/, const TrackSpec& /*spec*/) {}
};

} // namespace lundi
