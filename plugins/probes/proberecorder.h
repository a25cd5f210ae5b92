#pragma once

#include "httpexchange.h"
#include "ingest/livesource.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace lundi {

struct TcpResult;

// Records probe results into one live source of an incident, on a writer thread of its own so
// that the engine's thread never waits for the disk: results queue up and are committed in small
// batches (every batchInterval at most), each visible to readers once committed. Each target is
// a Probe track; each HTTP result a trace (a root span "GET URL" with the phases resolve,
// connect, tls, processing and transfer end to end as children), each TCP result a root span
// with resolve and connect; and the series of blackbox_exporter, labelled {target=...}:
// probe_success, probe_duration_seconds, probe_http_status_code,
// probe_http_duration_seconds{phase}, probe_tls_version_info{version},
// probe_ssl_earliest_cert_expiry (HTTP), probe_dns_lookup_time_seconds and
// probe_connect_time_seconds (TCP). Names, origins and attributes are redacted.
class ProbeRecorder
{
  public:
    // format: "probe-http", "probe-tcp"; origin: what the session probes, redacted here.
    // Throws StoreError when the incident cannot be opened.
    ProbeRecorder(const QString& incidentPath, const QString& format, const QString& origin,
                  const Classifier& classifier,
                  std::chrono::milliseconds batchInterval = std::chrono::milliseconds(200));
    ~ProbeRecorder(); // commits what is queued
    ProbeRecorder(const ProbeRecorder&) = delete;
    ProbeRecorder& operator=(const ProbeRecorder&) = delete;

    // Any thread; queued. request names the root span (its method and URL, redacted).
    void record(const QString& target, const HttpRequest& request, const HttpResult& result);
    void record(const QString& target, const TcpResult& result);
    // Blocks until everything queued so far is committed.
    void flush();

    SourceId source() const { return m_source; }
    // The first write that failed (StoreError's sentence); results after it are dropped.
    std::optional<QString> error() const;
    qint64 recorded() const; // results committed

  private:
    struct Target;
    using Entry = std::function<void(Sink&, Target&)>;

    void enqueue(const QString& target, Entry entry);
    Target& target(Sink& sink, const QString& name);
    void run();

    LiveSource m_live;
    SourceId m_source = 0;
    std::chrono::milliseconds m_batchInterval;
    std::unordered_map<QString, std::unique_ptr<Target>> m_targets; // writer thread only
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::pair<QString, Entry>> m_queue;
    qint64 m_queued = 0;
    qint64 m_handled = 0;  // written or dropped
    qint64 m_recorded = 0; // written
    std::optional<QString> m_error;
    bool m_flushing = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace lundi
