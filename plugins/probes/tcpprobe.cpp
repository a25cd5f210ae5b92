#include "tcpprobe.h"
#include "probeengine.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sstream>

namespace lundi {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

qint64 nanosecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

// One connect from resolve to result; the handlers share it, the first to end it reports.
struct Attempt : std::enable_shared_from_this<Attempt>
{
    explicit Attempt(asio::io_context& context) : resolver(context), socket(context), timer(context) {}

    void begin(const TcpRequest& request)
    {
        started = Clock::now();
        result.startNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        timer.expires_after(request.timeout);
        timer.async_wait([self = shared_from_this(), request](const boost::system::error_code& error) {
            if (error)
                return;
            // The phase it stuck in lasts until now.
            const Clock::time_point now = Clock::now();
            if (self->resolvedAt == Clock::time_point())
                self->result.resolveNs = nanosecondsBetween(self->started, now);
            else
                self->result.connectNs = nanosecondsBetween(self->resolvedAt, now);
            self->resolver.cancel();
            boost::system::error_code ignored;
            self->socket.close(ignored);
            self->fail(ProbeErrorClass::Timeout, "Connecting to " + request.host + ":" + request.port +
                                                     " timed out after " +
                                                     std::to_string(request.timeout.count()) + " ms.");
        });
        resolver.async_resolve(
            request.host, request.port,
            [self = shared_from_this(), request](const boost::system::error_code& error,
                                                 const asio::ip::tcp::resolver::results_type& endpoints) {
                if (self->reported)
                    return;
                const Clock::time_point resolved = self->resolvedAt = Clock::now();
                self->result.resolveNs = nanosecondsBetween(self->started, resolved);
                if (error)
                    return self->fail(ProbeErrorClass::Dns,
                                      "Could not resolve " + request.host + ": " + error.message() + ".");
                self->connect(endpoints, resolved);
            });
    }

    void connect(const asio::ip::tcp::resolver::results_type& endpoints, Clock::time_point resolved)
    {
        asio::async_connect(
            socket, endpoints,
            // Remembers each endpoint as it is tried: a failed connect reports none.
            [self = shared_from_this()](const boost::system::error_code&,
                                        const asio::ip::tcp::endpoint& next) {
                std::ostringstream address;
                address << next;
                self->result.address = address.str();
                return true;
            },
            [self = shared_from_this(), resolved](const boost::system::error_code& error,
                                                  const asio::ip::tcp::endpoint&) {
                if (self->reported)
                    return;
                self->result.connectNs = nanosecondsBetween(resolved, Clock::now());
                if (error)
                    return self->fail(ProbeErrorClass::Refused, "Could not connect to " +
                                                                    self->result.address + ": " +
                                                                    error.message() + ".");
                self->result.ok = true;
                self->report();
            });
    }

    void fail(ProbeErrorClass errorClass, std::string sentence)
    {
        if (reported)
            return;
        result.errorClass = errorClass;
        result.error = std::move(sentence);
        report();
    }

    void report()
    {
        reported = true;
        result.totalNs = nanosecondsBetween(started, Clock::now());
        timer.cancel();
        boost::system::error_code ignored;
        socket.close(ignored);
        done(std::move(result));
    }

    asio::ip::tcp::resolver resolver;
    asio::ip::tcp::socket socket;
    asio::steady_timer timer;
    Clock::time_point started;
    Clock::time_point resolvedAt;
    TcpResult result;
    std::function<void(TcpResult)> done;
    bool reported = false;
};

} // namespace

TcpProbe::TcpProbe(ProbeEngine& engine, TcpProbeConfig config, ResultHandler onResult)
    : m_target(config.target.isEmpty()
                   ? QString::fromStdString(config.request.host + ":" + config.request.port)
                   : config.target),
      m_scheduler(engine, std::move(config.schedule),
                  [&engine, request = config.request, target = m_target,
                   onResult = std::move(onResult)](std::function<void()> done) {
                      connect(engine, request, [target, onResult, done](TcpResult result) {
                          onResult(target, result);
                          done();
                      });
                  })
{
}

void TcpProbe::connect(ProbeEngine& engine, const TcpRequest& request, std::function<void(TcpResult)> done)
{
    asio::post(engine.context(), [&engine, request, done = std::move(done)]() mutable {
        auto attempt = std::make_shared<Attempt>(engine.context());
        attempt->done = std::move(done);
        attempt->begin(request);
    });
}

} // namespace lundi
