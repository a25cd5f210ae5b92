#pragma once

// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port, its own thread, Boost.Asio), plain or
// over TLS with a self-signed certificate, for the tests of the probes and pulls. Its built-in
// routes misbehave on purpose and record what they did, so that a test compares what a client
// measured with what the server applied:
//
//   /delay/N                     200 after waiting N ms before the first byte
//   /trickle?chunks=C&ms=M       200 with its headers at once, then C chunks of the body with a
//                                pause of M ms before each (also &bytes=B per chunk, &delay=N)
//   /reset?bytes=B               promises a longer body, sends B bytes of it, then resets the
//                                connection (SO_LINGER 0 and close: a TCP RST)
//   /status/N                    status N with a short body
//   /redirect?to=PATH            302 to PATH (default /status/200)
//   /slow                        reads the request and never answers
//   /echo                        200 with the request line and headers as text/plain
//   anything else                404, unless a route was added
//
// Every built-in route also takes &delay=N (ms before the first byte).

#include <QtGlobal>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lundi::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct TestRequest
{
    std::string method;
    std::string target; // as sent: path and query
    std::string path;
    std::string query;
    HeaderList headers;
    std::string body;

    // The value of the first header of that name (case-insensitive), "" when absent.
    std::string header(std::string_view name) const;
    // The value of a query parameter, "" when absent (not percent-decoded).
    std::string parameter(std::string_view name) const;
};

struct TestResponse
{
    int status = 200;
    HeaderList headers; // Content-Length is added
    std::string body;
};

// One request as the server saw and answered it.
struct TestExchange
{
    TestRequest request;
    int status = 0;                             // 0: not answered (/slow, or the server stopped first)
    std::chrono::nanoseconds firstByteDelay{0}; // the request fully read until the first write began
    std::chrono::nanoseconds bodyTime{0};       // the first write began until the last began
    bool reset = false;
    bool tls = false;
    std::string tlsVersion;  // "TLSv1.3", as OpenSSL names the version negotiated
    std::string alpnOffered; // the protocols the client offered, comma-separated ("h2,http/1.1")
    int connection = 0;      // the number of the connection it came on, from 1
};

class HttpTestServer
{
  public:
    enum class Tls { Off, On };
    using Handler = std::function<TestResponse(const TestRequest&)>;

    explicit HttpTestServer(Tls tls = Tls::Off); // listening when it returns
    ~HttpTestServer();                           // stops and joins its thread
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    quint16 port() const;
    // "http://127.0.0.1:PORT" + pathAndQuery, "https://…" with TLS (the certificate is for
    // 127.0.0.1 and localhost).
    std::string url(std::string_view pathAndQuery) const;

    // With TLS: the PEM file of the self-signed certificate, to give a client as its CA file.
    std::string caFile() const;
    // The certificate's notAfter, a fixed known date: 2031-03-02T03:04:05Z.
    static std::chrono::sys_seconds certificateNotAfter();

    // Adds a route: the handler answers every request whose path is exactly path, or starts with
    // path without its '*' when path ends with '*'. Called on the server's thread. Added routes
    // take precedence over the built-in ones.
    void route(std::string path, Handler handler);
    // Serves a file's bytes, read on each request, with the given content type.
    void serveFile(std::string path, std::string filePath, std::string contentType);

    std::vector<TestExchange> exchanges() const; // in the order the requests were read
    int requestCount(std::string_view path) const;
    int connectionCount() const; // connections accepted (TLS: handshakes completed or not)

  private:
    class Private;
    std::unique_ptr<Private> d;
};

// A port on 127.0.0.1 that was just bound and closed: nothing listens there, so connecting to it
// is refused.
quint16 closedLoopbackPort();

} // namespace lundi::test
