#include "probeengine.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace lundi {

namespace asio = boost::asio;

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ProbeErrorClass errorClassOf(CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return ProbeErrorClass::None;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return ProbeErrorClass::Dns;
    case CURLE_COULDNT_CONNECT:
        return ProbeErrorClass::Refused;
    case CURLE_OPERATION_TIMEDOUT:
        return ProbeErrorClass::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return ProbeErrorClass::Tls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
        return ProbeErrorClass::Reset;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_BAD_CONTENT_ENCODING:
        return ProbeErrorClass::Body;
    case CURLE_TOO_MANY_REDIRECTS:
        return ProbeErrorClass::HttpStatus;
    default:
        return ProbeErrorClass::None; // not a network fault: the sentence says what it was
    }
}

// Nanoseconds of one of libcurl's *_TIME_T counters (microseconds since the request started).
qint64 timeOf(CURL* easy, CURLINFO info)
{
    curl_off_t us = 0;
    curl_easy_getinfo(easy, info, &us);
    return qint64(us) * 1000;
}

bool expected(const HttpRequest& request, int status)
{
    if (request.expectedStatus.empty())
        return status >= 200 && status < 300;
    return std::find(request.expectedStatus.begin(), request.expectedStatus.end(), status) !=
           request.expectedStatus.end();
}

std::string expectedText(const HttpRequest& request)
{
    if (request.expectedStatus.empty())
        return "2xx";
    std::string text;
    for (const int status : request.expectedStatus)
        text += (text.empty() ? "" : ", ") + std::to_string(status);
    return text;
}

} // namespace

// One request from its start to its result.
struct Transfer
{
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    HttpRequest request;
    HttpResult result;
    std::function<void(HttpResult)> done;
    char error[CURL_ERROR_SIZE] = {};
    bool tooLarge = false;
    bool tlsSeen = false;

    ~Transfer()
    {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
};

// A socket libcurl asked to watch: an Asio descriptor over libcurl's own file descriptor, which
// Asio only borrows (released, never closed, when libcurl says it is done with it).
struct SocketWatch
{
    explicit SocketWatch(asio::io_context& context, curl_socket_t fd) : descriptor(context, fd) {}
    asio::posix::stream_descriptor descriptor;
    int action = 0; // CURL_POLL_IN, _OUT or _INOUT
    bool reading = false;
    bool writing = false;
    bool removed = false;
};

class ProbeEngine::Private
{
  public:
    Private();
    ~Private();

    void start(HttpRequest request, std::function<void(HttpResult)> done);

    asio::io_context context{1};
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(context);
    asio::steady_timer timer{context};
    CURLM* multi = nullptr;
    std::unordered_map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets;
    std::unordered_map<CURL*, std::unique_ptr<Transfer>> transfers;
    std::thread thread;

  private:
    static int onSocket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketData);
    static int onTimer(CURLM* multi, long timeoutMs, void* self);
    static size_t onBody(char* data, size_t size, size_t count, void* transfer);
    static size_t onHeader(char* data, size_t size, size_t count, void* transfer);

    void watch(const std::shared_ptr<SocketWatch>& socket, curl_socket_t fd);
    void act(curl_socket_t fd, int events);
    void finishDone();
    void finish(Transfer& transfer, CURLcode code);
};

ProbeEngine::Private::Private()
{
    static std::once_flag global;
    std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Private::onSocket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Private::onTimer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    thread = std::thread([this] { context.run(); });
}

ProbeEngine::Private::~Private()
{
    work.reset();
    context.stop();
    thread.join();
    // libcurl reports each socket's removal from here on synchronously, with the loop stopped.
    for (auto& [easy, transfer] : transfers)
        curl_multi_remove_handle(multi, easy);
    transfers.clear();
    curl_multi_cleanup(multi);
    for (auto& [fd, socket] : sockets)
        socket->descriptor.release();
    sockets.clear();
}

int ProbeEngine::Private::onSocket(CURL*, curl_socket_t fd, int what, void* self, void*)
{
    Private& d = *static_cast<Private*>(self);
    auto it = d.sockets.find(fd);
    if (what == CURL_POLL_REMOVE) {
        if (it != d.sockets.end()) {
            it->second->removed = true;
            it->second->descriptor.release(); // cancels its waits; libcurl closes the fd
            d.sockets.erase(it);
        }
        return 0;
    }
    if (it == d.sockets.end())
        it = d.sockets.emplace(fd, std::make_shared<SocketWatch>(d.context, fd)).first;
    it->second->action = what;
    d.watch(it->second, fd);
    return 0;
}

void ProbeEngine::Private::watch(const std::shared_ptr<SocketWatch>& socket, curl_socket_t fd)
{
    // Asio's waits are one-shot; libcurl expects to hear again of a socket that stays ready.
    if ((socket->action & CURL_POLL_IN) && !socket->reading) {
        socket->reading = true;
        socket->descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                                      [this, socket, fd](const boost::system::error_code& error) {
                                          socket->reading = false;
                                          if (!error && !socket->removed)
                                              act(fd, CURL_CSELECT_IN);
                                          if (!socket->removed)
                                              watch(socket, fd);
                                      });
    }
    if ((socket->action & CURL_POLL_OUT) && !socket->writing) {
        socket->writing = true;
        socket->descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                                      [this, socket, fd](const boost::system::error_code& error) {
                                          socket->writing = false;
                                          if (!error && !socket->removed)
                                              act(fd, CURL_CSELECT_OUT);
                                          if (!socket->removed)
                                              watch(socket, fd);
                                      });
    }
}

int ProbeEngine::Private::onTimer(CURLM*, long timeoutMs, void* self)
{
    Private& d = *static_cast<Private*>(self);
    d.timer.cancel();
    if (timeoutMs < 0)
        return 0;
    // Even a timeout of 0 goes through the loop: libcurl must not be called back from here.
    d.timer.expires_after(std::chrono::milliseconds(timeoutMs));
    d.timer.async_wait([&d](const boost::system::error_code& error) {
        if (!error)
            d.act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
}

void ProbeEngine::Private::act(curl_socket_t fd, int events)
{
    int running = 0;
    curl_multi_socket_action(multi, fd, events, &running);
    finishDone();
}

void ProbeEngine::Private::finishDone()
{
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL* easy = message->easy_handle;
        const CURLcode code = message->data.result;
        auto it = transfers.find(easy);
        if (it == transfers.end())
            continue;
        std::unique_ptr<Transfer> transfer = std::move(it->second);
        transfers.erase(it);
        finish(*transfer, code);
        curl_multi_remove_handle(multi, easy);
        std::function<void(HttpResult)> done = std::move(transfer->done);
        HttpResult result = std::move(transfer->result);
        transfer.reset();
        done(std::move(result));
    }
}

void ProbeEngine::Private::finish(Transfer& transfer, CURLcode code)
{
    CURL* easy = transfer.easy;
    HttpResult& result = transfer.result;
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    result.status = int(status);
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    result.httpVersion = version == CURL_HTTP_VERSION_2_0   ? "HTTP/2"
                         : version == CURL_HTTP_VERSION_1_1 ? "HTTP/1.1"
                         : version == CURL_HTTP_VERSION_1_0 ? "HTTP/1.0"
                         : version == CURL_HTTP_VERSION_3   ? "HTTP/3"
                                                            : "";
    // As blackbox_exporter splits a request. Each counter runs from the start of the (last)
    // request to the end of its phase; the moment between the handshake and the request going
    // out (PRETRANSFER) is too short to keep apart and counts to processing. A phase that never
    // ended (the request failed in it) lasts to the end, so that the trace shows where it stuck.
    result.totalNs = timeOf(easy, CURLINFO_TOTAL_TIME_T);
    const bool tls =
        timeOf(easy, CURLINFO_APPCONNECT_TIME_T) > 0 || transfer.request.url.starts_with("https://");
    HttpPhases& phases = result.phases;
    const std::pair<qint64*, qint64> ends[] = {
        {&phases.resolveNs, timeOf(easy, CURLINFO_NAMELOOKUP_TIME_T)},
        {&phases.connectNs, timeOf(easy, CURLINFO_CONNECT_TIME_T)},
        {&phases.tlsNs, tls ? timeOf(easy, CURLINFO_APPCONNECT_TIME_T) : -1},
        {&phases.processingNs, timeOf(easy, CURLINFO_STARTTRANSFER_TIME_T)},
        {&phases.transferNs, result.totalNs}};
    qint64 at = 0;
    for (size_t i = 0; i < std::size(ends) && at < result.totalNs; ++i) {
        const auto [phase, end] = ends[i];
        if (end < 0)
            continue; // no TLS
        const bool ended =
            std::any_of(ends + i, std::end(ends) - 1, [](const auto& e) { return e.second > 0; });
        const qint64 until = ended ? std::min(std::max(end, at), result.totalNs) : result.totalNs;
        *phase = until - at;
        at = until;
    }
    if (transfer.tooLarge) {
        result.errorClass = ProbeErrorClass::Body;
        result.error = "The body is longer than " + std::to_string(transfer.request.maxBodyBytes) +
                       " bytes, the most this request accepts.";
    } else if (code != CURLE_OK) {
        result.errorClass = errorClassOf(code);
        result.error = transfer.error[0] ? std::string(transfer.error) : curl_easy_strerror(code);
        // libcurl's sentence on a reset connection names the errno; a short body says "partial".
        if (code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR)
            result.errorClass = ProbeErrorClass::Reset;
    } else if (!expected(transfer.request, result.status)) {
        result.errorClass = ProbeErrorClass::HttpStatus;
        result.error = "The server answered status " + std::to_string(result.status) + ", expected " +
                       expectedText(transfer.request) + ".";
    }
    result.ok = code == CURLE_OK && !transfer.tooLarge && result.errorClass == ProbeErrorClass::None;
}

size_t ProbeEngine::Private::onBody(char* data, size_t size, size_t count, void* userData)
{
    Transfer& transfer = *static_cast<Transfer*>(userData);
    const size_t bytes = size * count;
    transfer.result.bodyBytes += qint64(bytes);
    if (transfer.result.bodyBytes > transfer.request.maxBodyBytes) {
        transfer.tooLarge = true;
        return 0; // libcurl stops with CURLE_WRITE_ERROR
    }
    if (transfer.request.keepBody)
        transfer.result.body.append(data, bytes);
    return bytes;
}

size_t ProbeEngine::Private::onHeader(char*, size_t size, size_t count, void* userData)
{
    Transfer& transfer = *static_cast<Transfer*>(userData);
    // The TLS session lives only while the connection does: read it as the response begins.
    if (!transfer.tlsSeen) {
        transfer.tlsSeen = true;
        curl_tlssessioninfo* session = nullptr;
        if (curl_easy_getinfo(transfer.easy, CURLINFO_TLS_SSL_PTR, &session) == CURLE_OK && session &&
            session->backend == CURLSSLBACKEND_OPENSSL && session->internals) {
            SSL* ssl = static_cast<SSL*>(session->internals);
            transfer.result.tlsVersion = SSL_get_version(ssl);
            if (X509* certificate = SSL_get1_peer_certificate(ssl)) {
                std::tm notAfter{};
                if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &notAfter) == 1)
                    transfer.result.certificateExpiryNs = qint64(timegm(&notAfter)) * 1'000'000'000;
                X509_free(certificate);
            }
        }
    }
    return size * count;
}

void ProbeEngine::Private::start(HttpRequest request, std::function<void(HttpResult)> done)
{
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    transfer->result.startNs = nowNs();
    const HttpRequest& r = transfer->request;
    CURL* easy = transfer->easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Private::onBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Private::onHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(r.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "Lundi-probe/" LUNDI_VERSION);
    // Every request measures a whole exchange, as blackbox_exporter does: its own lookup and
    // connection, none reused from the one before.
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, r.followRedirects ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
    const bool https = r.url.compare(0, 8, "https://") == 0;
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                     r.version == HttpRequest::Version::Http1_1 ? CURL_HTTP_VERSION_1_1
                     : https                                    ? CURL_HTTP_VERSION_2TLS
                                                                : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, r.verifyTls ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, r.verifyTls ? 2L : 0L);
    if (!r.caFile.empty())
        curl_easy_setopt(easy, CURLOPT_CAINFO, r.caFile.c_str());
    for (const auto& [name, value] : r.headers)
        transfer->headers = curl_slist_append(transfer->headers, (name + ": " + value).c_str());
    if (transfer->headers)
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
    if (!r.body.empty()) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.body.size()));
        curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, r.body.c_str());
    }
    if (r.method == "HEAD")
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    else if (r.method != "GET" || !r.body.empty())
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    transfers.emplace(easy, std::move(transfer));
    if (const CURLMcode code = curl_multi_add_handle(multi, easy); code != CURLM_OK) {
        std::unique_ptr<Transfer> failed = std::move(transfers[easy]);
        transfers.erase(easy);
        failed->result.error = curl_multi_strerror(code);
        std::function<void(HttpResult)> callback = std::move(failed->done);
        HttpResult result = std::move(failed->result);
        failed.reset();
        callback(std::move(result));
    }
}

ProbeEngine::ProbeEngine() : d(std::make_unique<Private>()) {}

ProbeEngine::~ProbeEngine() = default;

asio::io_context& ProbeEngine::context()
{
    return d->context;
}

void ProbeEngine::fetch(HttpRequest request, std::function<void(HttpResult)> done)
{
    asio::post(d->context, [this, request = std::move(request), done = std::move(done)]() mutable {
        d->start(std::move(request), std::move(done));
    });
}

} // namespace lundi
