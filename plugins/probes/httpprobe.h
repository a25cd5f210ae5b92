#pragma once

#include "httpexchange.h"
#include "probescheduler.h"

#include <QString>

#include <functional>

namespace lundi {

class ProbeEngine;

struct HttpProbeConfig
{
    QString target; // the name of its track and of {target=...}; empty: the URL, redacted
    HttpRequest request;
    ProbeScheduler::Options schedule;
};

// An HTTP probe: the request sent through the engine at the schedule's interval.
class HttpProbe
{
  public:
    // Called on the engine's thread with each result.
    using ResultHandler = std::function<void(const QString& target, const HttpResult& result)>;

    HttpProbe(ProbeEngine& engine, HttpProbeConfig config, ResultHandler onResult);

    void start() { m_scheduler.start(); }
    void stop() { m_scheduler.stop(); }
    void wait() { m_scheduler.wait(); }
    const QString& target() const { return m_target; }
    const ProbeScheduler& scheduler() const { return m_scheduler; }

    // "GET https://host/path" with the URL's secrets replaced: the root span's name.
    static QString requestName(const HttpRequest& request);

  private:
    QString m_target;
    ProbeScheduler m_scheduler;
};

} // namespace lundi
