#include "httptestserver.h"

#include "testcertificate.h"

#include <QTemporaryDir>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace lundi::test {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
    });
}

// A non-negative number, or fallback when text is not one.
int number(std::string_view text, int fallback)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value >= 0 ? value : fallback;
}

const char* reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 422:
        return "Unprocessable Entity";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

std::string head(int status, const HeaderList& headers, size_t contentLength)
{
    std::string text = "HTTP/1.1 " + std::to_string(status) + ' ' + reason(status) + "\r\n";
    for (const auto& [name, value] : headers)
        text += name + ": " + value + "\r\n";
    return text + "Content-Length: " + std::to_string(contentLength) + "\r\n\r\n";
}

// The request line and the headers up to the blank line; false when they are not HTTP/1.x.
bool parseHead(std::string_view text, TestRequest& request)
{
    const size_t lineEnd = text.find("\r\n");
    const std::string_view line = text.substr(0, lineEnd);
    const size_t firstSpace = line.find(' ');
    const size_t lastSpace = line.rfind(' ');
    if (firstSpace == std::string_view::npos || lastSpace <= firstSpace ||
        !line.substr(lastSpace).starts_with(" HTTP/1."))
        return false;
    request.method = line.substr(0, firstSpace);
    request.target = line.substr(firstSpace + 1, lastSpace - firstSpace - 1);
    const size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    request.query = question == std::string::npos ? std::string() : request.target.substr(question + 1);
    for (size_t at = lineEnd + 2; at < text.size();) {
        const size_t end = std::min(text.find("\r\n", at), text.size());
        const std::string_view field = text.substr(at, end - at);
        const size_t colon = field.find(':');
        if (colon != std::string_view::npos) {
            std::string_view value = field.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            request.headers.emplace_back(field.substr(0, colon), value);
        }
        at = end + 2;
    }
    return true;
}

// What the server sends for one request: bytes after pauses, then what becomes of the connection.
struct Plan
{
    enum class End { KeepAlive, Close, Reset, Hold };
    struct Step
    {
        milliseconds pause{0};
        std::string bytes; // nothing to write when empty
    };
    int status = 0;
    std::vector<Step> steps;
    End end = End::KeepAlive;
};

Plan respond(const TestResponse& response, milliseconds delay = milliseconds(0))
{
    return {response.status,
            {{delay, head(response.status, response.headers, response.body.size()) + response.body}}};
}

Plan builtIn(const TestRequest& request)
{
    const milliseconds delay(number(request.parameter("delay"), 0));
    const std::string_view path = request.path;
    if (path.starts_with("/delay/"))
        return respond({200, {{"Content-Type", "text/plain"}}, "delayed\n"},
                       delay + milliseconds(number(path.substr(7), 0)));
    if (path == "/trickle") {
        const int chunks = number(request.parameter("chunks"), 4);
        const milliseconds pause(number(request.parameter("ms"), 100));
        const std::string chunk(size_t(number(request.parameter("bytes"), 64)), 'x');
        Plan plan{200, {{delay, head(200, {{"Content-Type", "text/plain"}}, chunk.size() * size_t(chunks))}}};
        for (int i = 0; i < chunks; ++i)
            plan.steps.push_back({pause, chunk});
        return plan;
    }
    if (path == "/reset") {
        const std::string sent(size_t(number(request.parameter("bytes"), 100)), 'x');
        // The client has the head and part of the body before the reset comes.
        return {200,
                {{delay, head(200, {{"Content-Type", "text/plain"}}, sent.size() + 100'000) + sent},
                 {milliseconds(50), {}}},
                Plan::End::Reset};
    }
    if (path.starts_with("/status/")) {
        const int status = number(path.substr(8), 0);
        if (status >= 100 && status <= 599)
            return respond(
                {status, {{"Content-Type", "text/plain"}}, "status " + std::to_string(status) + '\n'}, delay);
    }
    if (path == "/redirect") {
        const std::string to = request.parameter("to");
        return respond({302, {{"Location", to.empty() ? std::string("/status/200") : to}}, {}}, delay);
    }
    if (path == "/slow")
        return {0, {}, Plan::End::Hold};
    if (path == "/echo") {
        std::string text = request.method + ' ' + request.target + '\n';
        for (const auto& [name, value] : request.headers)
            text += name + ": " + value + '\n';
        return respond({200, {{"Content-Type", "text/plain"}}, text}, delay);
    }
    return respond({404, {{"Content-Type", "text/plain"}}, "no such route\n"}, delay);
}

} // namespace

std::string TestRequest::header(std::string_view name) const
{
    for (const auto& [key, value] : headers)
        if (equalsIgnoringCase(key, name))
            return value;
    return {};
}

std::string TestRequest::parameter(std::string_view name) const
{
    std::string_view rest = query;
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const size_t equals = pair.find('=');
        if (pair.substr(0, equals) == name)
            return std::string(equals == std::string_view::npos ? std::string_view()
                                                                : pair.substr(equals + 1));
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    return {};
}

class HttpTestServer::Private
{
  public:
    template <typename Stream> class Connection;

    explicit Private(Tls tls);
    ~Private();

    void accept();
    size_t record(TestExchange exchange);
    template <typename Change> void update(size_t index, Change change)
    {
        const std::lock_guard lock(mutex);
        change(exchanges[index]);
    }
    Plan plan(const TestRequest& request);

    const bool tls;
    QTemporaryDir folder;
    std::string caFile;
    asio::ssl::context ssl{asio::ssl::context::tls_server};
    mutable std::mutex mutex; // guards what follows, shared with the test's thread
    std::vector<TestExchange> exchanges;
    std::vector<std::pair<std::string, Handler>> routes;
    int connections = 0;
    // The context last but for what runs on it: the connections it holds end before the rest.
    asio::io_context context;
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(context);
    tcp::acceptor acceptor{context};
    quint16 port = 0;
    std::thread thread;
};

namespace {

// Where a connection keeps the ALPN protocols its client offered, on its SSL object (asio has the
// app data for itself).
int alpnOfferedIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// Notes the protocols offered and picks HTTP/1.1 (the server speaks no HTTP/2), or no protocol
// when HTTP/1.1 is not offered.
int selectAlpn(SSL* ssl, const unsigned char** out, unsigned char* outLength, const unsigned char* in,
               unsigned int inLength, void*)
{
    if (auto* offered = static_cast<std::string*>(SSL_get_ex_data(ssl, alpnOfferedIndex()))) {
        for (unsigned int at = 0; at < inLength; at += 1u + in[at]) {
            if (!offered->empty())
                *offered += ',';
            offered->append(reinterpret_cast<const char*>(in + at + 1),
                            std::min<unsigned int>(in[at], inLength - at - 1));
        }
    }
    static const unsigned char http11[] = "\x08http/1.1";
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, outLength, http11, sizeof http11 - 1, in, inLength) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

} // namespace

// One accepted connection: reads requests one after another and plays each one's plan.
template <typename Stream>
class HttpTestServer::Private::Connection : public std::enable_shared_from_this<Connection<Stream>>
{
  public:
    template <typename... StreamArguments>
    Connection(Private& server, int number, StreamArguments&&... arguments)
        : m_server(server), m_number(number), m_stream(std::forward<StreamArguments>(arguments)...),
          m_timer(m_server.context)
    {
    }

    void start()
    {
        if constexpr (isTls) {
            SSL_set_ex_data(m_stream.native_handle(), alpnOfferedIndex(), &m_alpnOffered);
            m_stream.async_handshake(asio::ssl::stream_base::server,
                                     [self = this->shared_from_this()](boost::system::error_code error) {
                                         if (!error)
                                             self->readHead();
                                     });
        } else {
            readHead();
        }
    }

  private:
    static constexpr bool isTls = !std::is_same_v<Stream, tcp::socket>;
    static constexpr size_t maxHeadBytes = 64 * 1024;

    void readHead()
    {
        asio::async_read_until(
            m_stream, asio::dynamic_buffer(m_input, maxHeadBytes), "\r\n\r\n",
            [self = this->shared_from_this()](boost::system::error_code error, size_t size) {
                if (!error)
                    self->readBody(size);
            });
    }

    void readBody(size_t headSize)
    {
        m_request = {};
        if (!parseHead(std::string_view(m_input).substr(0, headSize), m_request))
            return close();
        m_input.erase(0, headSize);
        const size_t length = size_t(number(m_request.header("Content-Length"), 0));
        auto read = [self = this->shared_from_this(), length] {
            const size_t missing = length > self->m_input.size() ? length - self->m_input.size() : 0;
            asio::async_read(self->m_stream, asio::dynamic_buffer(self->m_input),
                             asio::transfer_exactly(missing),
                             [self, length](boost::system::error_code error, size_t) {
                                 if (!error)
                                     self->answer(length);
                             });
        };
        if (length > m_input.size() && equalsIgnoringCase(m_request.header("Expect"), "100-continue"))
            write("HTTP/1.1 100 Continue\r\n\r\n", read);
        else
            read();
    }

    void answer(size_t bodyLength)
    {
        m_request.body = m_input.substr(0, bodyLength);
        m_input.erase(0, bodyLength);
        m_readAt = Clock::now();
        m_firstWriteAt.reset();
        m_plan = m_server.plan(m_request);
        if (equalsIgnoringCase(m_request.header("Connection"), "close") && m_plan.end == Plan::End::KeepAlive)
            m_plan.end = Plan::End::Close;
        TestExchange exchange;
        exchange.request = m_request;
        exchange.status = m_plan.status;
        exchange.tls = isTls;
        if constexpr (isTls)
            exchange.tlsVersion = SSL_get_version(m_stream.native_handle());
        exchange.alpnOffered = m_alpnOffered;
        exchange.connection = m_number;
        m_exchange = m_server.record(std::move(exchange));
        play(0);
    }

    void play(size_t step)
    {
        if (step == m_plan.steps.size())
            return end();
        const Plan::Step& next = m_plan.steps[step];
        auto send = [self = this->shared_from_this(), step] {
            const std::string& bytes = self->m_plan.steps[step].bytes;
            if (bytes.empty())
                return self->play(step + 1);
            // Recorded before the bytes go, so that a client that has them sees the times.
            const Clock::time_point now = Clock::now();
            if (!self->m_firstWriteAt)
                self->m_firstWriteAt = now;
            self->m_server.update(self->m_exchange, [self, now](TestExchange& e) {
                e.firstByteDelay = *self->m_firstWriteAt - self->m_readAt;
                e.bodyTime = now - *self->m_firstWriteAt;
            });
            self->write(bytes, [self, step] { self->play(step + 1); });
        };
        if (next.pause.count() == 0)
            return send();
        m_timer.expires_after(next.pause);
        m_timer.async_wait([send](boost::system::error_code error) {
            if (!error)
                send();
        });
    }

    void end()
    {
        switch (m_plan.end) {
        case Plan::End::KeepAlive:
            return readHead();
        case Plan::End::Close:
            return close();
        case Plan::End::Reset: {
            m_server.update(m_exchange, [](TestExchange& e) { e.reset = true; });
            boost::system::error_code ignored;
            m_stream.lowest_layer().set_option(asio::socket_base::linger(true, 0), ignored);
            m_stream.lowest_layer().close(ignored);
            return;
        }
        case Plan::End::Hold:
            return hold();
        }
    }

    // Never answers; reads until the client gives up and closes.
    void hold()
    {
        m_stream.async_read_some(asio::buffer(m_holdBuffer),
                                 [self = this->shared_from_this()](boost::system::error_code error, size_t) {
                                     if (!error)
                                         self->hold();
                                 });
    }

    void close()
    {
        boost::system::error_code ignored;
        m_stream.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
        m_stream.lowest_layer().close(ignored);
    }

    template <typename Then> void write(std::string bytes, Then then)
    {
        m_output = std::move(bytes);
        asio::async_write(m_stream, asio::buffer(m_output),
                          [self = this->shared_from_this(), then](boost::system::error_code error, size_t) {
                              if (!error)
                                  then();
                          });
    }

    Private& m_server;
    const int m_number;
    Stream m_stream;
    asio::steady_timer m_timer;
    std::string m_input;
    std::string m_output;
    char m_holdBuffer[256];
    std::string m_alpnOffered;
    TestRequest m_request;
    Plan m_plan;
    size_t m_exchange = 0;
    Clock::time_point m_readAt;
    std::optional<Clock::time_point> m_firstWriteAt;
};

HttpTestServer::Private::Private(Tls tls) : tls(tls == Tls::On)
{
    if (this->tls) {
        const TestCertificate certificate(certificateNotAfter());
        caFile = folder.filePath(QStringLiteral("ca.pem")).toStdString();
        std::ofstream(caFile, std::ios::binary) << certificate.certificatePem();
        ssl.use_certificate(asio::buffer(certificate.certificatePem()), asio::ssl::context::pem);
        ssl.use_private_key(asio::buffer(certificate.privateKeyPem()), asio::ssl::context::pem);
        SSL_CTX_set_alpn_select_cb(ssl.native_handle(), selectAlpn, nullptr);
    }
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol());
    acceptor.bind(endpoint);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept();
    thread = std::thread([this] { context.run(); });
}

HttpTestServer::Private::~Private()
{
    context.stop();
    thread.join();
}

void HttpTestServer::Private::accept()
{
    acceptor.async_accept([this](boost::system::error_code error, tcp::socket socket) {
        if (error)
            return;
        const int number = [this] {
            const std::lock_guard lock(mutex);
            return ++connections;
        }();
        if (tls)
            std::make_shared<Connection<asio::ssl::stream<tcp::socket>>>(*this, number, std::move(socket),
                                                                         ssl)
                ->start();
        else
            std::make_shared<Connection<tcp::socket>>(*this, number, std::move(socket))->start();
        accept();
    });
}

size_t HttpTestServer::Private::record(TestExchange exchange)
{
    const std::lock_guard lock(mutex);
    exchanges.push_back(std::move(exchange));
    return exchanges.size() - 1;
}

Plan HttpTestServer::Private::plan(const TestRequest& request)
{
    Handler handler;
    {
        const std::lock_guard lock(mutex);
        for (const auto& [path, routeHandler] : routes) {
            const bool prefix = path.ends_with('*');
            if (prefix ? request.path.starts_with(std::string_view(path).substr(0, path.size() - 1))
                       : request.path == path)
                handler = routeHandler;
        }
    }
    if (!handler)
        return builtIn(request);
    try {
        return respond(handler(request));
    } catch (const std::exception& error) {
        return respond({500, {{"Content-Type", "text/plain"}}, error.what()});
    }
}

HttpTestServer::HttpTestServer(Tls tls) : d(std::make_unique<Private>(tls)) {}

HttpTestServer::~HttpTestServer() = default;

quint16 HttpTestServer::port() const
{
    return d->port;
}

std::string HttpTestServer::url(std::string_view pathAndQuery) const
{
    return (d->tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port()) +
           std::string(pathAndQuery);
}

std::string HttpTestServer::caFile() const
{
    return d->caFile;
}

std::chrono::sys_seconds HttpTestServer::certificateNotAfter()
{
    using namespace std::chrono;
    return sys_days(year(2031) / March / 2) + hours(3) + minutes(4) + seconds(5);
}

void HttpTestServer::route(std::string path, Handler handler)
{
    const std::lock_guard lock(d->mutex);
    d->routes.emplace_back(std::move(path), std::move(handler));
}

void HttpTestServer::serveFile(std::string path, std::string filePath, std::string contentType)
{
    route(std::move(path), [filePath = std::move(filePath),
                            contentType = std::move(contentType)](const TestRequest&) {
        std::ifstream file(filePath, std::ios::binary);
        if (!file)
            return TestResponse{404, {{"Content-Type", "text/plain"}}, "cannot read " + filePath + '\n'};
        std::ostringstream bytes;
        bytes << file.rdbuf();
        return TestResponse{200, {{"Content-Type", contentType}}, bytes.str()};
    });
}

std::vector<TestExchange> HttpTestServer::exchanges() const
{
    const std::lock_guard lock(d->mutex);
    return d->exchanges;
}

int HttpTestServer::requestCount(std::string_view path) const
{
    const std::lock_guard lock(d->mutex);
    return int(std::count_if(d->exchanges.begin(), d->exchanges.end(),
                             [path](const TestExchange& e) { return e.request.path == path; }));
}

int HttpTestServer::connectionCount() const
{
    const std::lock_guard lock(d->mutex);
    return d->connections;
}

quint16 closedLoopbackPort()
{
    asio::io_context context;
    tcp::acceptor acceptor(context, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
    const quint16 port = acceptor.local_endpoint().port();
    acceptor.close();
    return port;
}

} // namespace lundi::test
