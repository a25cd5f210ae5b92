#pragma once

#include "ingest/sink.h"

#include <QSet>
#include <QString>

#include <string>
#include <unordered_map>
#include <vector>

namespace lundi {

// The Sink an importer writes into when it runs once per write of a live source (a scrape each
// interval): a track or series that a later run adds again, the same spec, is the one the first
// run added, so that each scrape's samples continue their series instead of starting new ones.
// A warning that only differs in its numbers from one already given is left out (each scrape
// would repeat "its samples are dated <the scrape's time>"). Ids of a write that is rolled back
// are forgotten.
class ContinuingSink : public Sink
{
  public:
    // The sink of the write that begins: what is added goes there until commit() or rollback().
    void begin(Sink& target);
    // The write committed: what it added is known from now on.
    void commit();
    // The write was rolled back: forget the tracks and series it added.
    void rollback();

    StringId intern(std::string_view text) override;
    TrackId addTrack(const TrackSpec& track) override;
    SpanId addSpan(const SpanSpec& span) override;
    void addFlow(SpanId from, SpanId to, StringId name) override;
    SeriesId addSeries(const SeriesSpec& series) override;
    void addSample(SeriesId series, qint64 timeNs, double value) override;
    void warn(const QString& sentence) override;
    void setMetadata(const QByteArray& json) override;
    void beginPart(const QString& part) override;

  private:
    Sink& target();

    Sink* m_target = nullptr;
    std::unordered_map<std::string, qint64> m_ids; // "t" or "s", then the spec's fields
    std::vector<std::string> m_added;              // keys of the write in progress
    QSet<QString> m_warnings;                      // their sentences, digits taken out
    QList<QString> m_warningsAdded;
};

} // namespace lundi
