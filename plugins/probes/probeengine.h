#pragma once

#include "httpexchange.h"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>

namespace lundi {

// The one thread that runs every probe and pull: a Boost.Asio io_context that also drives
// libcurl's multi-socket interface (CURLMOPT_SOCKETFUNCTION, CURLMOPT_TIMERFUNCTION), so that
// hundreds of targets share one thread and no request blocks another.
class ProbeEngine
{
  public:
    ProbeEngine();  // starts the thread
    ~ProbeEngine(); // stops it; requests in flight end without calling back

    boost::asio::io_context& context();

    // Sends one request. Callable from any thread; done is called exactly once, on the
    // engine's thread.
    void fetch(HttpRequest request, std::function<void(HttpResult)> done);

  private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace lundi
