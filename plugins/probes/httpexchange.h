#pragma once

#include <QtGlobal>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lundi {

// Why a probe or a pull failed, as the classes of lundi-cli's --json output name them.
enum class ProbeErrorClass { None, Dns, Refused, Timeout, Tls, HttpStatus, Reset, Body };

// "dns", "refused", "timeout", "tls", "http_status", "reset", "body"; "" for None.
const char* probeErrorClassName(ProbeErrorClass errorClass);

// One HTTP request as a probe or a pull sends it.
struct HttpRequest
{
    enum class Version { Http1_1, Http2 };

    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers; // values may be secrets: never logged
    std::string body;
    std::vector<int> expectedStatus; // empty: any 2xx
    std::chrono::milliseconds timeout{10'000};
    bool followRedirects = false;
    Version version = Version::Http1_1;
    bool verifyTls = true;             // false only through the user's explicit insecure switch
    std::string caFile;                // empty: the system's CA store
    bool keepBody = false;             // pulls and scrapes keep the body; probes only count it
    qint64 maxBodyBytes = 512LL << 20; // a longer body fails with ProbeErrorClass::Body
};

// Where a request's time went, named and computed like Prometheus blackbox_exporter's
// probe_http_duration_seconds{phase}; each in nanoseconds, 0 for a phase that did not happen.
struct HttpPhases
{
    qint64 resolveNs = 0;
    qint64 connectNs = 0;
    qint64 tlsNs = 0;
    qint64 processingNs = 0; // request sent until the first byte of the response
    qint64 transferNs = 0;   // first byte until the last
};

struct HttpResult
{
    qint64 startNs = 0; // Unix epoch, when the request was started
    qint64 totalNs = 0;
    bool ok = false; // completed, and the status is an expected one
    int status = 0;  // 0 when no response came
    HttpPhases phases;
    ProbeErrorClass errorClass = ProbeErrorClass::None;
    std::string error; // one sentence (libcurl's own, or the expected-status mismatch)
    std::string body;  // when HttpRequest::keepBody
    qint64 bodyBytes = 0;
    std::string httpVersion;                   // "HTTP/1.1", "HTTP/2"
    std::string tlsVersion;                    // "TLSv1.3"; empty without TLS
    std::optional<qint64> certificateExpiryNs; // notAfter of the server's leaf certificate
};

} // namespace lundi
