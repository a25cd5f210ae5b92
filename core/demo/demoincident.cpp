#include "demoincident.h"
#include "ingest/sink.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

// The story (docs/demo-incident.md): "inventory-assistant" answers stock questions with an LLM.
// Every request passes the API gateway, auth, a PII scan of the prompt, retrieval from a vector
// store, a SQL lookup of stock levels, a PII scan of the retrieved documents, and inference on one
// of six GPU replicas. The baseline is Monday 2026-11-16 08:00-09:00 UTC; the incident is the same
// hour a week later. The one planted cause: the PII policy bundle rolled out on the incident
// morning sends every retrieved document, one at a time, to a remote DLP API that throttles at
// Monday peak. Everything else behaves as in the baseline, give or take noise.

namespace lundi {

namespace {

constexpr qint64 Us = 1'000;
constexpr qint64 Ms = 1'000'000;
constexpr qint64 Sec = 1'000'000'000;
constexpr qint64 Hour = 3600 * Sec;
constexpr qint64 Week = 7 * 24 * Hour;
constexpr qint64 BaselineStartNs = 1'794'816'000 * Sec; // Monday 2026-11-16 08:00:00 UTC
constexpr qint64 IncidentStartNs = BaselineStartNs + Week;
constexpr qint64 ScrapeNs = 15 * Sec;
constexpr qint64 RateWindowNs = 60 * Sec;
constexpr int Scrapes = int(Hour / ScrapeNs);
constexpr int Replicas = 6;
constexpr quint64 Seed = 0x1C3D'2026'1123'0800;
constexpr double FbUsedMiB = 129'384; // vLLM reserves 90 % of an H200 at start-up: flat by design

// splitmix64, with distributions built here from the raw bits: the standard library's
// distributions differ between implementations, and the demo must be the same everywhere.
class Random
{
  public:
    explicit Random(quint64 seed) : m_state(seed) {}

    quint64 next()
    {
        quint64 z = (m_state += 0x9E37'79B9'7F4A'7C15);
        z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9;
        z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EB;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    bool chance(double p) { return uniform() < p; }
    // Irwin-Hall: additions only, so exact on every platform; the tails stop at 6 sigma.
    double normal()
    {
        double sum = 0;
        for (int i = 0; i < 12; ++i)
            sum += uniform();
        return sum - 6;
    }
    double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

  private:
    quint64 m_state;
};

// Durations are whole microseconds, so a last-bit difference between maths libraries in
// exp() or log() cannot change the written incident.
qint64 roundUs(double ns)
{
    return std::max<qint64>(1, std::llround(ns / double(Us))) * Us;
}

qint64 lognormalNs(Random& random, double medianNs, double sigma)
{
    return roundUs(random.lognormal(medianNs, sigma));
}

double roundTo(double value, double step)
{
    return double(std::llround(value / step)) * step;
}

struct Window
{
    const char* name;
    qint64 startNs;
    double traffic; // requests per second at 08:00; the 08:30 peak has 1.9 times as many
    const char* policyBundle;
    bool remoteDlp; // the planted cause
};

const Window Windows[] = {
    {"baseline", BaselineStartNs, 0.63, "pii-2026.11.16-r41", false},
    {"incident", IncidentStartNs, 0.70, "pii-2026.11.23-r42", true},
};

// Monday-morning traffic: rises from 08:00, peaks at 08:30, eases off by 09:00 (0 .. 1).
double peak(const Window& window, qint64 timeNs)
{
    const double x = std::clamp(double(timeNs - window.startNs) / double(Hour), 0.0, 1.0);
    return 4 * x * (1 - x);
}

struct Names
{
    explicit Names(Sink& sink)
        : request(sink.intern("POST /v1/inventory/ask")), verifyToken(sink.intern("auth.verify_token")),
          scanPrompt(sink.intern("pii_scan.prompt")), scanDocuments(sink.intern("pii_scan.documents")),
          policy(sink.intern("policy.evaluate")), retrieve(sink.intern("POST /v1/retrieve")),
          embed(sink.intern("embed_query")), httpPost(sink.intern("HTTP POST")),
          connect(sink.intern("connect")), vectorSearch(sink.intern("vector_search")),
          selectInventory(sink.intern("SELECT inventory")), dlpInspect(sink.intern("dlp.inspect_content")),
          chat(sink.intern("chat llama-3.1-70b-instruct")), tokenize(sink.intern("tokenize")),
          queueWait(sink.intern("scheduler.queue_wait")),
          memcpyHtoD(sink.intern("Memcpy HtoD (Pageable -> Device)")),
          memcpyDtoH(sink.intern("Memcpy DtoH (Device -> Pageable)")), prefill(sink.intern("prefill")),
          decode(sink.intern("decode")), detokenize(sink.intern("detokenize")), kernel(sink.intern("kernel")),
          gpuMemcpy(sink.intern("gpu_memcpy"))
    {
    }

    StringId request, verifyToken, scanPrompt, scanDocuments, policy, retrieve, embed, httpPost, connect,
        vectorSearch, selectInventory, dlpInspect, chat, tokenize, queueWait, memcpyHtoD, memcpyDtoH, prefill,
        decode, detokenize, kernel, gpuMemcpy;
};

struct Tracks
{
    explicit Tracks(Sink& sink)
    {
        int sort = 0;
        const auto service = [&](const char* name) {
            const QString text = QLatin1String(name);
            return sink.addTrack({TrackKind::Service, text, text, {}, sort++});
        };
        gateway = service("api-gateway");
        auth = service("auth");
        compliance = service("compliance");
        retriever = service("retriever");
        vectorStore = service("vector-store");
        inventoryDb = service("inventory-db");
        inference = service("inference");
        for (int r = 0; r < Replicas; ++r) {
            const QString host = QStringLiteral("inference-%1").arg(r);
            gpu[size_t(r)] = sink.addTrack(
                {TrackKind::Gpu, host + QStringLiteral(" GPU 0"), host, QStringLiteral("stream 7"), sort++});
        }
    }

    TrackId gateway, auth, compliance, retriever, vectorStore, inventoryDb, inference;
    std::array<TrackId, Replicas> gpu{};
};

// What the metric series are computed from, besides the span itself.
enum class Role : quint8 { Plain, DlpCall, VectorCall, GpuWork, HostToDevice };

struct PlannedSpan
{
    int parent = -1; // index in the request's spans
    TrackId track = 0;
    StringId name = 0;
    StringId cat = 0;
    qint64 startNs = 0;
    qint64 durNs = 0;
    SpanStatus status = SpanStatus::Unset;
    std::string attributes;
    Role role = Role::Plain;
    qint64 bytes = 0;

    qint64 endNs() const { return startNs + durNs; }
};

// One trace, planned in full before it is written: its end depends on the GPU queue, which
// depends on every other request of the window.
struct Request
{
    std::string traceId;
    std::vector<PlannedSpan> spans;
    qint64 readyNs = 0; // reaches the inference service
    qint64 queuedNs = 0;
    qint64 gpuStartNs = 0;
    qint64 gpuEndNs = 0;
    int chunks = 0;
    size_t replica = 0;
    bool denied = false;

    qint64 startNs() const { return spans.front().startNs; }
    qint64 endNs() const { return spans.front().endNs(); }
    int add(PlannedSpan span)
    {
        spans.push_back(std::move(span));
        return int(spans.size()) - 1;
    }
};

std::string hex(quint64 value)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

class Planner
{
  public:
    Planner(const Window& window, const Names& names, const Tracks& tracks, Random& random)
        : m_window(window), m_names(names), m_tracks(tracks), m_random(random)
    {
    }

    std::vector<Request> plan()
    {
        std::vector<Request> requests;
        qint64 now = m_window.startNs;
        for (;;) {
            const double rate = m_window.traffic * (1 + 0.9 * peak(m_window, now));
            now += roundUs(-std::log(1 - m_random.uniform()) / rate * double(Sec));
            if (now >= m_window.startNs + Hour)
                break;
            requests.push_back(beforeInference(now));
        }
        scheduleInference(requests);
        return requests;
    }

  private:
    // From the gateway to the point where the prompt is ready for the model.
    Request beforeInference(qint64 startNs)
    {
        Random& rnd = m_random;
        Request request;
        request.traceId = hex(rnd.next()) + hex(rnd.next());
        request.spans.reserve(64);
        request.add({-1, m_tracks.gateway, m_names.request, 0, startNs, 0, SpanStatus::Unset, {}});
        qint64 at = startNs + lognormalNs(rnd, 400 * Us, 0.3);

        const qint64 authNs = lognormalNs(rnd, 6 * Ms, 0.35);
        request.denied = rnd.chance(0.004);
        request.add({0, m_tracks.auth, m_names.verifyToken, 0, at, authNs,
                     request.denied ? SpanStatus::Error : SpanStatus::Unset,
                     R"({"auth.method":"jwt","auth.issuer":"https://id.example.com"})"});
        at += authNs;
        if (request.denied) {
            PlannedSpan& root = request.spans.front();
            root.durNs = at + lognormalNs(rnd, 300 * Us, 0.3) - startNs;
            root.status = SpanStatus::Error;
            root.attributes = rootAttributes(401);
            return request;
        }

        at += lognormalNs(rnd, 200 * Us, 0.3);
        at = scanPrompt(request, at);
        at = retrieve(request, at);
        at += lognormalNs(rnd, 150 * Us, 0.3);
        const qint64 sqlNs = lognormalNs(rnd, 9 * Ms, 0.5);
        const int skus = 1 + int(rnd.uniform() * 6);
        request.add(
            {0, m_tracks.inventoryDb, m_names.selectInventory, 0, at, sqlNs, SpanStatus::Unset,
             R"({"db.system":"postgresql","db.namespace":"inventory","db.operation.name":"SELECT",)"
             R"sql("db.query.text":"SELECT sku, warehouse, on_hand, reserved FROM inventory WHERE sku = ANY($1)",)sql"
             R"("db.response.returned_rows":)" +
                 std::to_string(skus * 3) + "}"});
        at += sqlNs + lognormalNs(rnd, 150 * Us, 0.3);
        request.readyNs = scanDocuments(request, at) + lognormalNs(rnd, 300 * Us, 0.3);
        return request;
    }

    std::string rootAttributes(int status) const
    {
        return R"({"http.request.method":"POST","http.route":"/v1/inventory/ask","server.address":"api.inventory.example",)"
               R"("user_agent.original":"inventory-app/4.2.1","http.response.status_code":)" +
               std::to_string(status) + "}";
    }

    std::string bundleAttributes(int documents) const
    {
        return std::string(R"({"policy.bundle":")") + m_window.policyBundle + R"(","pii.documents":)" +
               std::to_string(documents) + R"(,"pii.remote_dlp":)" + (m_window.remoteDlp ? "true" : "false") +
               "}";
    }

    qint64 scanPrompt(Request& request, qint64 at)
    {
        Random& rnd = m_random;
        const qint64 policyNs = lognormalNs(rnd, 3 * Ms, 0.3);
        const qint64 durNs = policyNs + lognormalNs(rnd, 14 * Ms, 0.4);
        const int scan = request.add({0, m_tracks.compliance, m_names.scanPrompt, 0, at, durNs,
                                      SpanStatus::Unset, bundleAttributes(1)});
        request.add({scan, m_tracks.compliance, m_names.policy, 0, at + 300 * Us, policyNs, SpanStatus::Unset,
                     std::string(R"({"policy.bundle":")") + m_window.policyBundle +
                         R"(","policy.decision":"allow"})"});
        return at + durNs;
    }

    qint64 retrieve(Request& request, qint64 at)
    {
        Random& rnd = m_random;
        const int server = request.add(
            {0, m_tracks.retriever, m_names.retrieve, 0, at, 0, SpanStatus::Unset,
             R"({"http.request.method":"POST","http.route":"/v1/retrieve","server.address":"retriever.internal"})"});
        qint64 t = at + lognormalNs(rnd, 200 * Us, 0.3);
        const qint64 embedNs = lognormalNs(rnd, 12 * Ms, 0.3);
        request.add({server, m_tracks.retriever, m_names.embed, 0, t, embedNs, SpanStatus::Unset, {}});
        t += embedNs + lognormalNs(rnd, 100 * Us, 0.3);

        request.chunks = 10 + int(rnd.uniform() * 11);
        const int client = request.add(
            {server, m_tracks.retriever, m_names.httpPost, 0, t, 0, SpanStatus::Unset,
             R"({"span.kind":"client","http.request.method":"POST","server.address":"vector-store.internal",)"
             R"("server.port":6333,"url.path":"/collections/inventory-docs/points/search","http.response.status_code":200})",
             Role::VectorCall});
        qint64 c = t + 50 * Us;
        if (rnd.chance(0.05)) { // the pool opens a fresh connection now and then
            const qint64 connectNs = lognormalNs(rnd, 1200 * Us, 0.3);
            request.add({client, m_tracks.retriever, m_names.connect, 0, c, connectNs, SpanStatus::Unset,
                         R"({"network.peer.address":"10.20.4.17","network.peer.port":6333})"});
            c += connectNs;
        }
        c += lognormalNs(rnd, 250 * Us, 0.2); // one-way latency
        const qint64 searchNs = lognormalNs(rnd, 22 * Ms, 0.45);
        request.add({client, m_tracks.vectorStore, m_names.vectorSearch, 0, c, searchNs, SpanStatus::Unset,
                     R"({"db.system":"qdrant","db.collection.name":"inventory-docs","db.vector.top_k":)" +
                         std::to_string(request.chunks) + "}"});
        c += searchNs + lognormalNs(rnd, 350 * Us, 0.3); // way back, with the payload
        request.spans[size_t(client)].durNs = c - t;
        const qint64 end = c + lognormalNs(rnd, 300 * Us, 0.3);
        request.spans[size_t(server)].durNs = end - at;
        return end;
    }

    qint64 scanDocuments(Request& request, qint64 at)
    {
        Random& rnd = m_random;
        const int scan = request.add({0, m_tracks.compliance, m_names.scanDocuments, 0, at, 0,
                                      SpanStatus::Unset, bundleAttributes(request.chunks)});
        qint64 t = at + lognormalNs(rnd, 200 * Us, 0.3);
        const qint64 policyNs = lognormalNs(rnd, 3 * Ms, 0.3);
        request.add({scan, m_tracks.compliance, m_names.policy, 0, t, policyNs, SpanStatus::Unset,
                     std::string(R"({"policy.bundle":")") + m_window.policyBundle +
                         R"(","policy.decision":"allow"})"});
        t += policyNs;
        if (!m_window.remoteDlp) {
            // The old bundle scans the documents in process with its own patterns.
            t += lognormalNs(rnd, 2 * Ms, 0.3) * request.chunks;
        } else {
            // The new bundle inspects each document remotely, one at a time, and the vendor's
            // quota runs out at Monday peak: slow answers, and 429s that it retries after a pause.
            const double load = peak(m_window, at);
            const double medianNs = (1.1 + 2.1 * load) * double(Sec);
            const double throttled = 0.03 + 0.22 * load;
            for (int chunk = 0; chunk < request.chunks; ++chunk) {
                const qint64 bytes = 3000 + qint64(rnd.uniform() * 3000);
                for (int attempt = 1;; ++attempt) {
                    t += lognormalNs(rnd, 400 * Us, 0.3);
                    const bool rejected = attempt < 3 && rnd.chance(throttled);
                    const qint64 callNs =
                        rejected ? lognormalNs(rnd, 180 * Ms, 0.3) : lognormalNs(rnd, medianNs, 0.5);
                    request.add(
                        {scan, m_tracks.compliance, m_names.dlpInspect, 0, t, callNs,
                         rejected ? SpanStatus::Error : SpanStatus::Unset,
                         R"({"span.kind":"client","http.request.method":"POST","server.address":"api.dlp-vendor.example",)"
                         R"("url.path":"/v2/content:inspect","http.request.body.size":)" +
                             std::to_string(bytes) + R"(,"dlp.attempt":)" + std::to_string(attempt) +
                             R"(,"http.response.status_code":)" + (rejected ? "429" : "200") + "}",
                         Role::DlpCall, bytes});
                    t += callNs;
                    if (!rejected)
                        break;
                    t += Sec; // Retry-After: 1
                }
            }
        }
        t += lognormalNs(rnd, 300 * Us, 0.3);
        request.spans[size_t(scan)].durNs = t - at;
        return t;
    }

    // The inference service: requests queue for the first free replica in order of arrival.
    void scheduleInference(std::vector<Request>& requests)
    {
        std::vector<size_t> order;
        for (size_t i = 0; i < requests.size(); ++i) {
            if (!requests[i].denied)
                order.push_back(i);
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return requests[a].readyNs < requests[b].readyNs; });
        std::array<qint64, Replicas> freeAt;
        freeAt.fill(m_window.startNs);
        for (size_t i : order)
            inference(requests[i], freeAt);
    }

    void inference(Request& request, std::array<qint64, Replicas>& freeAt)
    {
        Random& rnd = m_random;
        const qint64 at = request.readyNs;
        const int promptTokens = 600 + request.chunks * 170 + int(rnd.uniform() * 400);
        const int outputTokens = std::clamp(int(rnd.lognormal(140, 0.45)), 24, 700);
        const int chat = request.add(
            {0, m_tracks.inference, m_names.chat, 0, at, 0, SpanStatus::Unset,
             R"({"gen_ai.operation.name":"chat","gen_ai.system":"vllm","gen_ai.request.model":"llama-3.1-70b-instruct",)"
             R"("gen_ai.usage.input_tokens":)" +
                 std::to_string(promptTokens) + R"(,"gen_ai.usage.output_tokens":)" +
                 std::to_string(outputTokens) + "}"});
        qint64 t = at + lognormalNs(rnd, 150 * Us, 0.3);
        const qint64 tokenizeNs = lognormalNs(rnd, 4 * Ms, 0.3);
        request.add({chat, m_tracks.inference, m_names.tokenize, 0, t, tokenizeNs, SpanStatus::Unset, {}});
        t += tokenizeNs;
        request.queuedNs = t;

        const auto replica = size_t(std::min_element(freeAt.begin(), freeAt.end()) - freeAt.begin());
        const qint64 gpuStart = std::max(t + 150 * Us, freeAt[replica] + 80 * Us);
        if (gpuStart - t >= Ms)
            request.add({chat, m_tracks.inference, m_names.queueWait, 0, t, gpuStart - t, SpanStatus::Unset,
                         R"({"vllm.replica":")" + std::to_string(replica) + R"("})"});
        const TrackId gpu = m_tracks.gpu[replica];
        const qint64 upBytes = qint64(promptTokens) * 8;
        qint64 g = gpuStart;
        const qint64 upNs = roundUs(20'000 + double(upBytes) / 12.0); // ~12 GB/s from pageable memory
        request.add({chat, gpu, m_names.memcpyHtoD, m_names.gpuMemcpy, g, upNs, SpanStatus::Unset,
                     R"({"bytes":)" + std::to_string(upBytes) + "}", Role::HostToDevice, upBytes});
        g += upNs + 10 * Us;
        const qint64 prefillNs = lognormalNs(rnd, 40e6 + promptTokens * 60e3, 0.08);
        request.add({chat, gpu, m_names.prefill, m_names.kernel, g, prefillNs, SpanStatus::Unset,
                     R"({"tokens":)" + std::to_string(promptTokens) + "}", Role::GpuWork});
        g += prefillNs;
        const double perTokenNs = rnd.lognormal(14e6, 0.08);
        for (int done = 0; done < outputTokens; done += 32) {
            const int step = std::min(32, outputTokens - done);
            g += lognormalNs(rnd, 300 * Us, 0.3); // sampling on the CPU between steps
            const qint64 stepNs = roundUs(perTokenNs * step);
            request.add({chat, gpu, m_names.decode, m_names.kernel, g, stepNs, SpanStatus::Unset,
                         R"({"tokens":)" + std::to_string(step) + "}", Role::GpuWork});
            g += stepNs;
        }
        g += 10 * Us;
        const qint64 downNs = roundUs(15'000 + outputTokens * 4 / 12.0);
        request.add({chat, gpu, m_names.memcpyDtoH, m_names.gpuMemcpy, g, downNs, SpanStatus::Unset,
                     R"({"bytes":)" + std::to_string(outputTokens * 4) + "}", Role::GpuWork});
        g += downNs;
        request.replica = replica;
        request.gpuStartNs = gpuStart;
        request.gpuEndNs = g;
        freeAt[replica] = g;

        t = g + lognormalNs(rnd, 100 * Us, 0.3);
        const qint64 detokenizeNs = lognormalNs(rnd, 1 * Ms, 0.3);
        request.add(
            {chat, m_tracks.inference, m_names.detokenize, 0, t, detokenizeNs, SpanStatus::Unset, {}});
        t += detokenizeNs + lognormalNs(rnd, 150 * Us, 0.3);
        request.spans[size_t(chat)].durNs = t - at;

        PlannedSpan& root = request.spans.front();
        root.durNs = t + lognormalNs(rnd, 500 * Us, 0.3) - root.startNs;
        root.attributes = rootAttributes(200);
    }

    const Window& m_window;
    const Names& m_names;
    const Tracks& m_tracks;
    Random& m_random;
};

void write(Sink& sink, const std::vector<Request>& requests)
{
    std::vector<SpanId> ids;
    for (const Request& request : requests) {
        ids.clear();
        for (const PlannedSpan& planned : request.spans) {
            SpanSpec span;
            span.track = planned.track;
            span.parent = planned.parent < 0 ? 0 : ids[size_t(planned.parent)];
            span.name = planned.name;
            span.cat = planned.cat;
            span.startNs = planned.startNs;
            span.durNs = planned.durNs;
            span.status = planned.status;
            span.traceId = request.traceId;
            span.attributesJson = planned.attributes;
            ids.push_back(sink.addSpan(span));
        }
    }
}

// The scrapes of a window: every 15 s, the value at that instant or over the minute before.
class Scrape
{
  public:
    explicit Scrape(qint64 windowStartNs) : m_start(windowStartNs) {}

    qint64 timeOf(int scrape) const { return m_start + (scrape + 1) * ScrapeNs; }
    // The scrape interval an instant falls in, or -1 outside the window.
    int intervalOf(qint64 timeNs) const
    {
        if (timeNs < m_start || timeNs >= m_start + Hour)
            return -1;
        return int((timeNs - m_start) / ScrapeNs);
    }
    void addOverlap(std::vector<double>& perInterval, qint64 startNs, qint64 endNs) const
    {
        for (int i = std::max(0, intervalOf(startNs)); i < Scrapes; ++i) {
            const qint64 begin = std::max(startNs, timeOf(i) - ScrapeNs);
            const qint64 end = std::min(endNs, timeOf(i));
            if (end <= begin)
                break;
            perInterval[size_t(i)] += double(end - begin);
        }
    }
    // Seconds covered by the rate window ending at a scrape (shorter in the first minute).
    double rateSeconds(int scrape) const
    {
        return double(std::min(RateWindowNs, timeOf(scrape) - m_start)) / double(Sec);
    }
    // The sum of the intervals in the rate window ending at a scrape.
    static double lastMinute(const std::vector<double>& perInterval, int scrape)
    {
        double sum = 0;
        for (int i = std::max(0, scrape - int(RateWindowNs / ScrapeNs) + 1); i <= scrape; ++i)
            sum += perInterval[size_t(i)];
        return sum;
    }

  private:
    qint64 m_start;
};

// 95th percentile by nearest rank, of at least one duration.
double p95Seconds(std::vector<qint64>& durations)
{
    const auto rank = size_t(std::ceil(0.95 * double(durations.size()))) - 1;
    std::nth_element(durations.begin(), durations.begin() + qsizetype(rank), durations.end());
    return double(durations[rank]) / double(Sec);
}

struct SeriesIds
{
    explicit SeriesIds(Sink& sink)
    {
        const auto add = [&](const char* name, const char* labels, const char* unit) {
            return sink.addSeries({QLatin1String(name), QByteArray(labels), QLatin1String(unit)});
        };
        for (int r = 0; r < Replicas; ++r) {
            const QByteArray labels = QByteArrayLiteral(R"({"gpu":"0","Hostname":"inference-)") +
                                      QByteArray::number(r) +
                                      QByteArrayLiteral(R"(","modelName":"NVIDIA H200"})");
            gpuUtil[size_t(r)] =
                sink.addSeries({QStringLiteral("DCGM_FI_DEV_GPU_UTIL"), labels, QStringLiteral("percent")});
            fbUsed[size_t(r)] =
                sink.addSeries({QStringLiteral("DCGM_FI_DEV_FB_USED"), labels, QStringLiteral("MiB")});
            pcieRx[size_t(r)] = sink.addSeries(
                {QStringLiteral("DCGM_FI_PROF_PCIE_RX_BYTES"), labels, QStringLiteral("bytes/s")});
        }
        running = add("vllm:num_requests_running", R"({"model_name":"llama-3.1-70b-instruct"})", "requests");
        waiting = add("vllm:num_requests_waiting", R"({"model_name":"llama-3.1-70b-instruct"})", "requests");
        rtt =
            add("probe_icmp_duration_seconds", R"({"instance":"vector-store.internal","phase":"rtt"})", "s");
        retransmits = add("instance:node_tcp_retransmits:rate1m", R"({"instance":"retriever-0"})", "1/s");
        complianceTx = add("instance:node_network_transmit_bytes:rate1m",
                           R"({"instance":"compliance-0","device":"eth0"})", "bytes/s");
        vectorP95 = add("route:http_client_request_duration_seconds:p95",
                        R"({"service":"retriever","server_address":"vector-store.internal"})", "s");
        dlpP95 = add("route:http_client_request_duration_seconds:p95",
                     R"({"service":"compliance","server_address":"api.dlp-vendor.example"})", "s");
        dlpOk = add("route:http_client_requests:rate1m",
                    R"({"service":"compliance","server_address":"api.dlp-vendor.example","status":"200"})",
                    "1/s");
        dlpThrottled = add(
            "route:http_client_requests:rate1m",
            R"({"service":"compliance","server_address":"api.dlp-vendor.example","status":"429"})", "1/s");
        requestRate = add("route:http_server_requests:rate1m",
                          R"({"service":"api-gateway","http_route":"/v1/inventory/ask"})", "1/s");
        requestP95 = add("route:http_server_request_duration_seconds:p95",
                         R"({"service":"api-gateway","http_route":"/v1/inventory/ask"})", "s");
        active = add("http_server_active_requests", R"({"service":"api-gateway"})", "requests");
    }

    std::array<SeriesId, Replicas> gpuUtil{}, fbUsed{}, pcieRx{};
    SeriesId running, waiting, rtt, retransmits, complianceTx, vectorP95, dlpP95, dlpOk, dlpThrottled,
        requestRate, requestP95, active;
};

// The metrics a Prometheus scraping this window would have stored, computed from its traces.
void writeMetrics(Sink& sink, const SeriesIds& series, const Window& window,
                  const std::vector<Request>& requests, Random& random)
{
    const Scrape scrape(window.startNs);
    const auto sums = [] { return std::vector<double>(Scrapes, 0.0); };
    const auto durations = [] { return std::vector<std::vector<qint64>>(Scrapes); };
    std::array<std::vector<double>, Replicas> gpuBusy, hostToDevice;
    gpuBusy.fill(sums());
    hostToDevice.fill(sums());
    std::vector<double> started = sums(), sentBytes = sums(), dlpOk = sums(), dlpThrottled = sums();
    std::vector<std::vector<qint64>> rootDurations = durations(), vectorDurations = durations(),
                                     dlpDurations = durations();

    for (const Request& request : requests) {
        if (const int i = scrape.intervalOf(request.startNs()); i >= 0) {
            started[size_t(i)] += 1;
            sentBytes[size_t(i)] += 2400; // the prompt's scan verdict and audit record
        }
        if (const int i = scrape.intervalOf(request.endNs()); i >= 0)
            rootDurations[size_t(i)].push_back(request.spans.front().durNs);
        for (const PlannedSpan& span : request.spans) {
            const int end = scrape.intervalOf(span.endNs());
            switch (span.role) {
            case Role::Plain:
                break;
            case Role::VectorCall:
                if (end >= 0)
                    vectorDurations[size_t(end)].push_back(span.durNs);
                break;
            case Role::DlpCall:
                if (end >= 0) {
                    dlpDurations[size_t(end)].push_back(span.durNs);
                    (span.status == SpanStatus::Error ? dlpThrottled : dlpOk)[size_t(end)] += 1;
                    sentBytes[size_t(end)] += double(span.bytes + 1400); // body, headers and TLS
                }
                break;
            case Role::HostToDevice:
                if (end >= 0)
                    hostToDevice[request.replica][size_t(end)] += double(span.bytes);
                [[fallthrough]];
            case Role::GpuWork:
                scrape.addOverlap(gpuBusy[request.replica], span.startNs, span.endNs());
                break;
            }
        }
    }

    for (int i = 0; i < Scrapes; ++i) {
        const qint64 t = scrape.timeOf(i);
        const double seconds = scrape.rateSeconds(i);
        const auto sampleP95 = [&](SeriesId id, const std::vector<std::vector<qint64>>& ended) {
            std::vector<qint64> all;
            for (int j = std::max(0, i - int(RateWindowNs / ScrapeNs) + 1); j <= i; ++j)
                all.insert(all.end(), ended[size_t(j)].begin(), ended[size_t(j)].end());
            if (!all.empty())
                sink.addSample(id, t, roundTo(p95Seconds(all), 0.001));
        };

        int running = 0;
        int waiting = 0;
        int active = 0;
        for (const Request& request : requests) {
            active += request.startNs() <= t && t < request.endNs();
            if (!request.denied) {
                running += request.gpuStartNs <= t && t < request.gpuEndNs;
                waiting += request.queuedNs <= t && t < request.gpuStartNs;
            }
        }
        for (size_t r = 0; r < Replicas; ++r) {
            const double busy = gpuBusy[r][size_t(i)] / double(ScrapeNs);
            sink.addSample(series.gpuUtil[r], t, double(std::min<qint64>(100, std::llround(busy * 100))));
            sink.addSample(series.fbUsed[r], t, FbUsedMiB + double(std::llround(random.uniform(-6, 6))));
            // NCCL heartbeats and the driver's own traffic, under the prompts that are copied in.
            const double rx =
                hostToDevice[r][size_t(i)] / double(ScrapeNs / Sec) + random.uniform(1.8e6, 2.4e6);
            sink.addSample(series.pcieRx[r], t, roundTo(rx, 1));
        }
        sink.addSample(series.running, t, running);
        sink.addSample(series.waiting, t, waiting);
        sink.addSample(series.rtt, t, roundTo(0.00042 + 0.00002 * random.normal(), 1e-6));
        sink.addSample(series.retransmits, t, roundTo(std::max(0.0, 0.3 + 0.12 * random.normal()), 0.01));
        sink.addSample(series.complianceTx, t,
                       roundTo(Scrape::lastMinute(sentBytes, i) / seconds + random.uniform(2500, 3500), 1));
        sampleP95(series.vectorP95, vectorDurations);
        if (window.remoteDlp) {
            sampleP95(series.dlpP95, dlpDurations);
            sink.addSample(series.dlpOk, t, roundTo(Scrape::lastMinute(dlpOk, i) / seconds, 0.001));
            sink.addSample(series.dlpThrottled, t,
                           roundTo(Scrape::lastMinute(dlpThrottled, i) / seconds, 0.001));
        }
        sink.addSample(series.requestRate, t, roundTo(Scrape::lastMinute(started, i) / seconds, 0.001));
        sampleP95(series.requestP95, rootDurations);
        sink.addSample(series.active, t, active);
    }
}

} // namespace

QByteArray DemoIncident::identity()
{
    return QByteArrayLiteral("lundi-demo-incident/2");
}

void DemoIncident::generate(Sink& sink)
{
    QJsonArray windows;
    for (const Window& window : Windows) {
        windows.append(QJsonObject{{QStringLiteral("name"), QLatin1String(window.name)},
                                   {QStringLiteral("start_ns"), window.startNs},
                                   {QStringLiteral("end_ns"), window.startNs + Hour}});
    }
    sink.setMetadata(
        QJsonDocument(QJsonObject{{QStringLiteral("generator"), QString::fromLatin1(identity())},
                                  {QStringLiteral("service"), QStringLiteral("inventory-assistant")},
                                  {QStringLiteral("model"), QStringLiteral("llama-3.1-70b-instruct")},
                                  {QStringLiteral("windows"), windows}})
            .toJson(QJsonDocument::Compact));

    const Names names(sink);
    const Tracks tracks(sink);
    const SeriesIds series(sink);
    Random random(Seed);
    for (const Window& window : Windows) {
        const std::vector<Request> requests = Planner(window, names, tracks, random).plan();
        write(sink, requests);
        writeMetrics(sink, series, window, requests, random);
    }
}

} // namespace lundi
