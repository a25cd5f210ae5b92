// The HTTP test server, driven by plain blocking sockets (no HTTP client in between): each
// route does what it says, when it says, and records what it applied; TLS presents the
// self-signed certificate a client verifies with the CA file, with its known notAfter.

#include "support/httptestserver.h"

#include <QTest>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <poll.h>

#include <fstream>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace lundi::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Reply
{
    std::string head;
    std::string body;
    Clock::duration toFirstByte{};
    Clock::duration firstToLast{};
    boost::system::error_code error;

    int status() const { return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0; }
    std::string header(const std::string& name) const
    {
        const size_t at = head.find("\r\n" + name + ": ");
        return at == std::string::npos
                   ? std::string()
                   : head.substr(at + name.size() + 4, head.find("\r\n", at + 2) - at - name.size() - 4);
    }
};

// Sends a request and reads one response (up to its Content-Length), timing its bytes.
template <typename Stream> Reply ask(Stream& stream, const std::string& request)
{
    Reply reply;
    asio::write(stream, asio::buffer(request), reply.error);
    const Clock::time_point sent = Clock::now();
    std::optional<Clock::time_point> first;
    std::string input;
    size_t expected = std::string::npos;
    char buffer[4096];
    while (!reply.error && input.size() < expected) {
        const size_t size = stream.read_some(asio::buffer(buffer), reply.error);
        if (size > 0 && !first)
            first = Clock::now();
        input.append(buffer, size);
        const size_t headEnd = input.find("\r\n\r\n");
        if (expected == std::string::npos && headEnd != std::string::npos) {
            reply.head = input.substr(0, headEnd + 2);
            expected = headEnd + 4 + size_t(std::stoul(reply.header("Content-Length")));
        }
    }
    if (first) {
        reply.toFirstByte = *first - sent;
        reply.firstToLast = Clock::now() - *first;
    }
    if (reply.head.size() > 0)
        reply.body = input.substr(reply.head.size() + 2);
    return reply;
}

std::string get(const std::string& target, const std::string& headers = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
}

struct Client
{
    explicit Client(quint16 port) : socket(context)
    {
        socket.connect({asio::ip::make_address_v4("127.0.0.1"), port});
    }
    asio::io_context context;
    tcp::socket socket;
};

// Whether anything arrives on the socket within the time (without reading it).
bool readable(tcp::socket& socket, std::chrono::milliseconds within)
{
    pollfd descriptor{socket.native_handle(), POLLIN, 0};
    return ::poll(&descriptor, 1, int(within.count())) > 0;
}

} // namespace

class TestHttpTestServer : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void delayHoldsTheFirstByte()
    {
        HttpTestServer server;
        Client client(server.port());
        const Reply reply = ask(client.socket, get("/delay/200"));
        QCOMPARE(reply.status(), 200);
        QCOMPARE(reply.body, std::string("delayed\n"));
        QVERIFY(reply.toFirstByte >= 200ms);
        const std::vector<TestExchange> exchanges = server.exchanges();
        QCOMPARE(exchanges.size(), size_t(1));
        QCOMPARE(exchanges[0].request.target, std::string("/delay/200"));
        QCOMPARE(exchanges[0].status, 200);
        QVERIFY(exchanges[0].firstByteDelay >= 200ms);
        QVERIFY(exchanges[0].firstByteDelay <= reply.toFirstByte);
    }

    void trickleSpreadsTheBody()
    {
        HttpTestServer server;
        Client client(server.port());
        const Reply reply = ask(client.socket, get("/trickle?chunks=3&ms=100&bytes=10&delay=50"));
        QCOMPARE(reply.status(), 200);
        QCOMPARE(reply.body, std::string(30, 'x'));
        QVERIFY(reply.toFirstByte >= 50ms);
        // The client may read the headers late, so only the whole exchange has a lower bound.
        QVERIFY(reply.toFirstByte + reply.firstToLast >= 350ms);
        const TestExchange exchange = server.exchanges().at(0);
        QVERIFY(exchange.firstByteDelay >= 50ms);
        QVERIFY(exchange.bodyTime >= 300ms);
        QVERIFY(exchange.bodyTime < 300ms + 30s);
    }

    void resetCutsTheBody()
    {
        HttpTestServer server;
        Client client(server.port());
        const Reply reply = ask(client.socket, get("/reset?bytes=20"));
        QCOMPARE(reply.status(), 200);
        QCOMPARE(reply.error, asio::error::connection_reset);
        QCOMPARE(reply.body, std::string(20, 'x'));
        QVERIFY(server.exchanges().at(0).reset);
    }

    void statusAndRedirect()
    {
        HttpTestServer server;
        Client client(server.port());
        QCOMPARE(ask(client.socket, get("/status/503")).status(), 503);
        QCOMPARE(ask(client.socket, get("/status/204")).status(), 204);
        QCOMPARE(ask(client.socket, get("/nowhere")).status(), 404);
        const Reply redirect = ask(client.socket, get("/redirect?to=/delay/0"));
        QCOMPARE(redirect.status(), 302);
        QCOMPARE(redirect.header("Location"), std::string("/delay/0"));
        QCOMPARE(ask(client.socket, get("/redirect")).header("Location"), std::string("/status/200"));
        // One connection kept alive for all five.
        QCOMPARE(server.connectionCount(), 1);
        QCOMPARE(server.exchanges().size(), size_t(5));
        QCOMPARE(server.requestCount("/redirect"), 2);
        QCOMPARE(server.exchanges().at(0).status, 503);
    }

    void echoShowsWhatWasSent()
    {
        HttpTestServer server;
        Client client(server.port());
        const Reply reply = ask(client.socket, get("/echo?a=1", "Authorization: Bearer s3cret\r\n"));
        QCOMPARE(reply.status(), 200);
        QVERIFY(reply.body.starts_with("GET /echo?a=1\n"));
        QVERIFY(reply.body.find("Authorization: Bearer s3cret\n") != std::string::npos);
        const TestRequest request = server.exchanges().at(0).request;
        QCOMPARE(request.header("authorization"), std::string("Bearer s3cret"));
        QCOMPARE(request.parameter("a"), std::string("1"));
        QCOMPARE(request.path, std::string("/echo"));
    }

    void postBodyAfterContinue()
    {
        HttpTestServer server;
        Client client(server.port());
        asio::write(client.socket,
                    asio::buffer(std::string("POST /status/201 HTTP/1.1\r\nHost: h\r\n"
                                             "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")));
        char buffer[64];
        const size_t size = client.socket.read_some(asio::buffer(buffer));
        QCOMPARE(std::string(buffer, size), std::string("HTTP/1.1 100 Continue\r\n\r\n"));
        QCOMPARE(ask(client.socket, "hello").status(), 201);
        QCOMPARE(server.exchanges().at(0).request.body, std::string("hello"));
        QCOMPARE(server.exchanges().at(0).request.method, std::string("POST"));
    }

    void addedRoutes()
    {
        HttpTestServer server;
        server.route("/api/traces/*", [](const TestRequest& request) {
            return TestResponse{
                200, {{"Content-Type", "application/json"}}, "{\"id\":\"" + request.path.substr(12) + "\"}"};
        });
        server.route("/exact", [](const TestRequest&) { return TestResponse{418, {}, "teapot"}; });
        server.route("/throws",
                     [](const TestRequest&) -> TestResponse { throw std::runtime_error("handler failed"); });
        const std::string corpusFile = LUNDI_CORPUS_DIR "/README.md";
        server.serveFile("/file", corpusFile, "text/markdown");
        Client client(server.port());
        const Reply trace = ask(client.socket, get("/api/traces/abc"));
        QCOMPARE(trace.body, std::string("{\"id\":\"abc\"}"));
        QCOMPARE(trace.header("Content-Type"), std::string("application/json"));
        QCOMPARE(ask(client.socket, get("/exact")).status(), 418);
        QCOMPARE(ask(client.socket, get("/exact/more")).status(), 404);
        const Reply failed = ask(client.socket, get("/throws"));
        QCOMPARE(failed.status(), 500);
        QCOMPARE(failed.body, std::string("handler failed"));
        const Reply file = ask(client.socket, get("/file"));
        std::ifstream expected(corpusFile, std::ios::binary);
        QVERIFY(expected.good());
        QCOMPARE(file.body, std::string(std::istreambuf_iterator<char>(expected), {}));
        QCOMPARE(file.header("Content-Type"), std::string("text/markdown"));
    }

    void slowNeverAnswersAndStopsPromptly()
    {
        Clock::time_point stopped;
        {
            HttpTestServer server;
            Client client(server.port());
            asio::write(client.socket, asio::buffer(get("/slow")));
            QTRY_COMPARE(server.requestCount("/slow"), 1);
            QVERIFY(!readable(client.socket, 300ms));
            QCOMPARE(server.exchanges().at(0).status, 0);
            stopped = Clock::now();
        } // the client is still connected: stopping must not wait for it
        QVERIFY(Clock::now() - stopped < 5s);
    }

    void closedPortRefuses()
    {
        asio::io_context context;
        tcp::socket socket(context);
        boost::system::error_code error;
        socket.connect({asio::ip::make_address_v4("127.0.0.1"), closedLoopbackPort()}, error);
        QCOMPARE(error, asio::error::connection_refused);
    }

    void tlsWithTheCaFile()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        QVERIFY(server.url("/x").starts_with("https://127.0.0.1:"));
        asio::io_context context;
        asio::ssl::context ssl(asio::ssl::context::tls_client);
        ssl.load_verify_file(server.caFile());
        ssl.set_verify_mode(asio::ssl::verify_peer);
        asio::ssl::stream<tcp::socket> stream(context, ssl);
        QVERIFY(X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1") == 1);
        static const unsigned char protocols[] = "\x02h2\x08http/1.1";
        QCOMPARE(SSL_set_alpn_protos(stream.native_handle(), protocols, sizeof protocols - 1), 0);
        stream.lowest_layer().connect({asio::ip::make_address_v4("127.0.0.1"), server.port()});
        stream.handshake(asio::ssl::stream_base::client);

        X509* certificate = SSL_get0_peer_certificate(stream.native_handle());
        QVERIFY(certificate);
        const time_t notAfter = HttpTestServer::certificateNotAfter().time_since_epoch().count();
        QCOMPARE(ASN1_TIME_cmp_time_t(X509_get0_notAfter(certificate), notAfter), 0);
        QCOMPARE(notAfter, time_t(1930187045)); // 2031-03-02T03:04:05Z
        const unsigned char* selected = nullptr;
        unsigned int selectedLength = 0;
        SSL_get0_alpn_selected(stream.native_handle(), &selected, &selectedLength);
        QCOMPARE(std::string(reinterpret_cast<const char*>(selected), selectedLength),
                 std::string("http/1.1"));

        QCOMPARE(ask(stream, get("/delay/10")).status(), 200);
        const TestExchange exchange = server.exchanges().at(0);
        QVERIFY(exchange.tls);
        QCOMPARE(exchange.tlsVersion, std::string(SSL_get_version(stream.native_handle())));
        QCOMPARE(exchange.alpnOffered, std::string("h2,http/1.1"));
        QVERIFY(exchange.firstByteDelay >= 10ms);
    }

    void tlsWithoutTheCaFileIsNotTrusted()
    {
        HttpTestServer server(HttpTestServer::Tls::On);
        asio::io_context context;
        asio::ssl::context ssl(asio::ssl::context::tls_client);
        ssl.set_default_verify_paths();
        ssl.set_verify_mode(asio::ssl::verify_peer);
        asio::ssl::stream<tcp::socket> stream(context, ssl);
        stream.lowest_layer().connect({asio::ip::make_address_v4("127.0.0.1"), server.port()});
        boost::system::error_code error;
        stream.handshake(asio::ssl::stream_base::client, error);
        QVERIFY(error);
        QCOMPARE(SSL_get_verify_result(stream.native_handle()), long(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT));
        QCOMPARE(server.exchanges().size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestHttpTestServer)
#include "tst_httptestserver.moc"
