#pragma once

#include "continuingsink.h"
#include "httpexchange.h"
#include "ingest/livesource.h"
#include "probescheduler.h"

#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace lundi {

class Importer;
class ProbeEngine;

// Scrapes a Prometheus /metrics endpoint at an interval (the ProbeScheduler's: jitter, never two
// at once, a count or a duration) into one live source of the incident, format
// "prometheus-scrape", its origin the URL with secrets replaced. Each body goes through the
// Prometheus importer, its undated samples at the time the scrape started; the same name and
// labels in every scrape is one series that grows (ContinuingSink). Beside them, as Prometheus
// records its own scrapes, up (1 or 0) and scrape_duration_seconds, labelled {target=URL}. A
// scrape that fails (no answer, a status other than 2xx, a body the importer refuses) writes
// up 0 and its sentence as a warning of the source, and the next scrape goes on.
//
// Bodies are parsed and written on a thread of the scrape's own, so that the engine's thread
// never waits for the disk; the scheduler starts the next scrape once the last one is written.
class PrometheusScrape
{
  public:
    struct Result
    {
        qint64 startNs = 0;
        qint64 durationNs = 0;
        int status = 0;
        qint64 samples = 0; // written by this scrape, up and scrape_duration_seconds not counted
        qint64 series = 0;  // new series it started
        QString error;      // empty: it worked
    };
    using ResultHandler = std::function<void(const Result&)>;

    // importer: the Prometheus text importer ("prometheus"). request: the URL, headers, timeout;
    // its body is kept whatever keepBody says. Throws StoreError when the incident cannot be opened.
    PrometheusScrape(ProbeEngine& engine, const Importer& importer, const QString& incidentPath,
                     const Classifier& classifier, HttpRequest request, ProbeScheduler::Options schedule,
                     ResultHandler onResult = {});
    ~PrometheusScrape(); // stops, and waits for the scrape in flight
    PrometheusScrape(const PrometheusScrape&) = delete;
    PrometheusScrape& operator=(const PrometheusScrape&) = delete;

    void start();
    void stop();
    // Until the count or duration is reached (or stop()) and the last scrape is written.
    void wait();
    bool finished() const { return m_scheduler->finished(); }

    SourceId source() const { return m_live.source(); }
    // The first failure to write into the incident; scraping stops at it.
    std::optional<QString> storeError() const;
    static QString origin(const HttpRequest& request);

  private:
    void writer();
    void record(const HttpResult& result);

    ProbeEngine& m_engine;
    const Importer& m_importer;
    HttpRequest m_request;
    QString m_target;
    ResultHandler m_onResult;
    LiveSource m_live;
    ContinuingSink m_sink;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::optional<HttpResult> m_pending; // the scrape waiting for the writer (never two)
    std::function<void()> m_pendingDone;
    std::optional<QString> m_storeError;
    bool m_stop = false;
    std::thread m_writer;
    std::unique_ptr<ProbeScheduler> m_scheduler; // last: stopped before the writer
};

} // namespace lundi
