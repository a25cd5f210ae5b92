#pragma once

#include "storesink.h"

#include <functional>
#include <memory>

namespace lundi {

class Classifier;
class Store;

// The writer of one source that stays open and grows: a probe session, a scrape. It opens a
// connection of its own (SQLite connections are not shared across threads); each write() is one
// short transaction, committed when it returns, so readers (the views, through WAL) see every
// write as soon as it is done. Ids a write's Sink returns (strings, tracks, series) stay valid
// in later writes: a session appends its spans to its tracks and its samples to its series. A
// span's parent must come in the same write. Used by one thread at a time.
class LiveSource
{
  public:
    // Creates the source at once (committed, empty). Throws StoreError.
    LiveSource(const QString& incidentPath, const SourceSpec& spec, const Classifier& classifier);
    ~LiveSource();
    LiveSource(const LiveSource&) = delete;
    LiveSource& operator=(const LiveSource&) = delete;

    // Runs fill in one transaction; nothing of it stays when fill or the store throws (the
    // exception passes through), and the source keeps what earlier writes committed. The sink's
    // warnings and metadata update the source's.
    void write(const std::function<void(Sink&)>& fill);

    SourceId source() const { return m_source; }
    const SourceSpec& spec() const { return m_spec; }
    // What every write so far added, sources counted once.
    const IncidentCounts& counts() const { return m_counts; }
    Store& store() { return *m_store; }

  private:
    std::unique_ptr<Store> m_store;
    const Classifier& m_classifier;
    SourceSpec m_spec;
    SourceId m_source = 0;
    IncidentCounts m_counts;
    QStringList m_warnings;
    QByteArray m_metadata = "{}";
};

} // namespace lundi
