#pragma once

#include "httpexchange.h"

#include <QString>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace lundi {

class ProbeEngine;

// The HTTP side of a pull from a remote API (Prometheus's query API, Jaeger, Tempo): one request
// at a time on the engine's thread, waited for on the caller's. An answer 503 or 429 (the server
// is overloaded or restarting) is asked again after a pause that doubles each time, a few times.
// Errors name the URL with its secrets replaced (SecretRedaction).
class PullClient
{
  public:
    struct Options
    {
        std::vector<std::pair<std::string, std::string>> headers; // values may be secrets
        std::chrono::milliseconds timeout{30'000};
        int retries = 3;                        // more tries after a 503 or 429
        std::chrono::milliseconds backoff{500}; // the pause before the first retry
        bool verifyTls = true;
        std::string caFile;
    };

    PullClient(ProbeEngine& engine, Options options);

    // The answer, whatever its status (the body kept), once it is not 503 or 429 or the retries
    // are spent. Throws ImportError, located at the redacted URL, when no answer came: the name
    // does not resolve, the connection is refused or reset, TLS fails, the timeout passes.
    HttpResult get(const std::string& url, const std::string& accept = {});
    // A POST of an application/x-www-form-urlencoded body.
    HttpResult postForm(const std::string& url, const std::string& form, const std::string& accept = {});

    // An ImportError located at the redacted URL, for the callers' own refusals of an answer.
    [[noreturn]] static void fail(const std::string& url, const QString& problem);
    // "status 503" and the start of the body when it is short text, for a sentence.
    static QString describeStatus(const HttpResult& result);
    // "a=b&c=d" with each value percent-encoded as a form or a query string needs it ('+' too).
    static std::string query(const std::vector<std::pair<std::string, std::string>>& parameters);
    // The URL's path with suffix appended after a single '/' (a prefix such as /prometheus is
    // kept), and its own query string kept before any added parameters.
    static std::string endpoint(const std::string& baseUrl, const std::string& suffix,
                                const std::string& parameters = {});

  private:
    HttpResult send(HttpRequest request);

    ProbeEngine& m_engine;
    Options m_options;
};

} // namespace lundi
