#pragma once

#include "httpexchange.h"
#include "probescheduler.h"

#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace lundi {

class ProbeEngine;

struct TcpRequest
{
    std::string host;
    std::string port; // a number or a service name
    std::chrono::milliseconds timeout{10'000};
};

struct TcpResult
{
    qint64 startNs = 0; // Unix epoch
    qint64 resolveNs = 0;
    qint64 connectNs = 0; // the successful attempt, or the last failed one
    qint64 totalNs = 0;
    bool ok = false;
    std::string address; // the endpoint connected to (or tried last), "127.0.0.1:8080"
    ProbeErrorClass errorClass = ProbeErrorClass::None; // Dns, Refused or Timeout
    std::string error;                                  // one sentence
};

struct TcpProbeConfig
{
    QString target; // the name of its track and of {target=...}; empty: "host:port"
    TcpRequest request;
    ProbeScheduler::Options schedule;
};

// A TCP connect probe: Boost.Asio resolves and connects on the engine's thread, timed apart.
class TcpProbe
{
  public:
    // Called on the engine's thread with each result.
    using ResultHandler = std::function<void(const QString& target, const TcpResult& result)>;

    TcpProbe(ProbeEngine& engine, TcpProbeConfig config, ResultHandler onResult);

    void start() { m_scheduler.start(); }
    void stop() { m_scheduler.stop(); }
    void wait() { m_scheduler.wait(); }
    const QString& target() const { return m_target; }
    const ProbeScheduler& scheduler() const { return m_scheduler; }

    // One connect, on its own: done is called exactly once on the engine's thread (never if the
    // engine is destroyed first). Callable from any thread.
    static void connect(ProbeEngine& engine, const TcpRequest& request, std::function<void(TcpResult)> done);

  private:
    QString m_target;
    ProbeScheduler m_scheduler;
};

} // namespace lundi
