#pragma once

// Running requests through a real ProbeEngine from a test's thread, each wait bounded, so that
// a request that never ends fails the test instead of hanging it.

#include "httpexchange.h"
#include "probeengine.h"
#include "tcpprobe.h"

#include <chrono>
#include <future>
#include <memory>
#include <optional>

namespace lundi::test {

// The longest any single request of these tests may take: every one has a timeout well below.
inline constexpr std::chrono::seconds ResultWait{60};

template <typename Result, typename Start> std::optional<Result> awaitResult(Start start)
{
    // Shared with the callback, which may outlive a wait that gave up.
    auto promise = std::make_shared<std::promise<Result>>();
    std::future<Result> future = promise->get_future();
    start([promise](Result result) { promise->set_value(std::move(result)); });
    if (future.wait_for(ResultWait) != std::future_status::ready)
        return std::nullopt;
    return future.get();
}

inline std::optional<HttpResult> fetch(ProbeEngine& engine, HttpRequest request)
{
    return awaitResult<HttpResult>([&](auto done) { engine.fetch(std::move(request), std::move(done)); });
}

inline std::optional<TcpResult> connectTcp(ProbeEngine& engine, const TcpRequest& request)
{
    return awaitResult<TcpResult>([&](auto done) { TcpProbe::connect(engine, request, std::move(done)); });
}

inline HttpRequest getRequest(std::string url, std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    HttpRequest request;
    request.url = std::move(url);
    request.timeout = timeout;
    return request;
}

} // namespace lundi::test
