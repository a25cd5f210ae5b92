// lundi-bench-gen-otlp-json OUT_FILE [MEGABYTES=100]: a deterministic OTLP/JSON file of about
// MEGABYTES as the OpenTelemetry collector's file exporter writes it: JSON lines, one export
// request per line, traces, metrics and now and then logs mixed. The traces are a generative-AI
// service's requests (an API gateway, auth, a retriever with a vector store and PostgreSQL, an
// LLM gateway in front of vLLM, an audit queue), batched as the batch processor does: a line
// holds a few dozen traces, spans grouped by service, each service's in the order they ended.
// Attributes follow the semantic conventions (http.*, url.*, db.*, gen_ai.*, messaging.*) with
// int64 as strings; failed requests carry an error status and an exception event; the audit
// consumer links to its producer. Every ten seconds a metrics line: request duration histograms,
// cumulative request counters, token usage, GPU gauges and an exponential histogram.
// Prints "records N": the spans and the samples Lundi makes of the data points.

#include "bufferedoutput.h"
#include "calltrees.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using lundi::bench::BufferedOutput;
using lundi::bench::Random;

namespace {

constexpr const char* Program = "lundi-bench-gen-otlp-json";
constexpr int64_t StartNs = 1'795'420'800'000'000'000; // 2026-11-23T08:00:00Z
constexpr int64_t MetricIntervalNs = 10'000'000'000;
constexpr int TracesPerLine = 24;

enum Service {
    Gateway,
    Auth,
    Retriever,
    VectorStore,
    OrdersDb,
    LlmGateway,
    Inference,
    AuditConsumer,
    ServiceCount
};

struct ServiceInfo
{
    const char* name;
    const char* version;
    const char* language;
    const char* scope;
    const char* scopeVersion;
};

constexpr std::array<ServiceInfo, ServiceCount> Services = {{
    {"api-gateway", "3.2.0", "go", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "0.57.0"},
    {"auth", "1.14.2", "java", "io.opentelemetry.spring-webmvc-6.0", "2.10.0-alpha"},
    {"rag-retriever", "0.9.3", "python", "opentelemetry.instrumentation.fastapi", "0.48b0"},
    {"vector-store", "1.12.4", "rust", "qdrant", "1.12.4"},
    {"orders-db", "16.4", "python", "opentelemetry.instrumentation.sqlalchemy", "0.48b0"},
    {"llm-gateway", "2.4.1", "python", "opentelemetry.instrumentation.openai_v2", "2.0b0"},
    {"vllm-inference", "0.6.3", "python", "vllm.tracing", "0.6.3"},
    {"audit-consumer", "5.0.1", "java", "io.opentelemetry.kafka-clients-2.6", "2.10.0-alpha"},
}};

constexpr int PodsPerService = 3;
constexpr const char* Routes[] = {"/v1/chat/completions", "/v1/assistants/run", "/v1/answers"};
constexpr const char* Models[] = {"llama-3.1-70b-instruct", "mistral-7b-instruct-v0.3"};
constexpr int Gpus = 4;

// An attribute: its key and its AnyValue as JSON text.
struct Attribute
{
    const char* key;
    std::string value;
};

std::string text(std::string_view value)
{
    return "{\"stringValue\":\"" + std::string(value) + "\"}";
}

std::string integer(int64_t value)
{
    return "{\"intValue\":\"" + std::to_string(value) + "\"}";
}

struct Event
{
    int64_t timeNs;
    const char* name;
    std::vector<Attribute> attributes;
};

struct SpanPlan
{
    uint64_t spanId = 0;
    int parent = -1; // index in the trace
    int link = -1;   // a linked span, index in the trace
    std::string name;
    Service service = Gateway;
    int pod = 0;
    int kind = 1;
    int64_t startNs = 0;
    int64_t endNs = 0;
    bool failed = false;
    std::vector<Attribute> attributes;
    std::vector<Event> events;
};

struct Trace
{
    uint64_t high = 0, low = 0;
    std::vector<SpanPlan> spans;
};

// One request's spans in call order.
class TraceBuilder
{
  public:
    explicit TraceBuilder(Random& random) : m_random(random) {}

    Trace build(int64_t startNs)
    {
        m_trace = {m_random.next(), m_random.next(), {}};
        m_pod = int(m_random.below(PodsPerService));
        const bool failed = m_random.below(40) == 0;
        const char* route = Routes[m_random.below(3)];
        const int root = add(-1, std::string("POST ") + route, Gateway, 2, startNs);
        http(root, "POST", route, failed ? 502 : 200);
        attributes(root).push_back({"user_agent.original", text("inventory-app/4.2.1 (iOS 18.1)")});
        attributes(root).push_back(
            {"client.address", text("10.42.7." + std::to_string(m_random.below(250)))});
        int64_t t = startNs + us(80 + m_random.below(120));

        t = call(root, "POST", "auth", "/v1/verify", Auth, t, [&](int server, int64_t at) {
            const int policy = add(server, "policy.evaluate", Auth, 1, at + us(40));
            attributes(policy).push_back({"policy.bundle", text("pii-2026.11.23-r42")});
            return finish(policy, at + us(40 + 300 + m_random.below(900)));
        });

        t = call(root, "POST", "rag-retriever", "/v1/retrieve", Retriever, t, [&](int server, int64_t at) {
            const int embed = add(server, "embeddings text-embedding-3-small", Retriever, 3, at + us(30));
            genAi(embed, "embeddings", "text-embedding-3-small", 12 + m_random.below(300), 0);
            at = finish(embed, at + us(2000 + m_random.below(6000)));
            const int search = add(server, "qdrant.search documents", Retriever, 3, at + us(20));
            attributes(search) = {{"db.system", text("qdrant")},
                                  {"db.collection.name", text("documents")},
                                  {"server.address", text("vector-store.internal")},
                                  {"db.vector.query.top_k", integer(16)}};
            const int vectorServer = add(search, "search", VectorStore, 2, at + us(150));
            attributes(vectorServer) = {{"rpc.system", text("grpc")},
                                        {"rpc.service", text("qdrant.Points")},
                                        {"rpc.method", text("Search")},
                                        {"rpc.grpc.status_code", integer(0)}};
            at = finish(vectorServer, at + us(150 + 1500 + m_random.below(9000)));
            at = finish(search, at + us(120));
            const int query = add(server, "SELECT inventory", Retriever, 3, at + us(20));
            attributes(query) = {
                {"db.system", text("postgresql")},
                {"db.namespace", text("inventory")},
                {"db.query.text",
                 text("SELECT sku, site, on_hand FROM stock WHERE sku = ANY($1) AND site = $2")},
                {"server.address", text("orders-db.internal")},
                {"server.port", integer(5432)}};
            const int db = add(query, "postgres.query", OrdersDb, 2, at + us(90));
            attributes(db) = {{"db.system", text("postgresql")}, {"db.operation.name", text("SELECT")}};
            at = finish(db, at + us(90 + 400 + m_random.below(4000)));
            return finish(query, at + us(60));
        });

        const char* model = Models[m_random.below(2)];
        t = call(
            root, "POST", "llm-gateway", "/v1/chat/completions", LlmGateway, t, [&](int server, int64_t at) {
                const int chat = add(server, std::string("chat ") + model, LlmGateway, 3, at + us(60));
                const int64_t input = 600 + m_random.below(3000);
                const int64_t output = failed ? 0 : 40 + m_random.below(700);
                genAi(chat, "chat", model, input, output);
                const int engine = add(chat, "llm_request", Inference, 2, at + us(400));
                attributes(engine) = {{"gen_ai.request.model", text(model)},
                                      {"gen_ai.response.model", text(model)},
                                      {"gen_ai.usage.input_tokens", integer(input)},
                                      {"gen_ai.latency.time_in_queue",
                                       "{\"doubleValue\":0.0" + std::to_string(m_random.below(90)) + "}"}};
                int64_t e = at + us(400 + m_random.below(30'000)); // queued
                const int prefill = add(engine, "prefill", Inference, 1, e);
                attributes(prefill) = {{"gpu.id", integer(m_random.below(Gpus))}};
                e = finish(prefill, e + us(20'000 + input * 40));
                const int decode = add(engine, "decode", Inference, 1, e);
                attributes(decode) = {{"gen_ai.usage.output_tokens", integer(output)}};
                e = finish(decode, e + us(1000 + output * 22'000));
                if (failed) {
                    for (const int span : {chat, engine}) {
                        m_trace.spans[size_t(span)].failed = true;
                        m_trace.spans[size_t(span)].events.push_back(
                            {e,
                             "exception",
                             {{"exception.type", text("httpx.ReadTimeout")},
                              {"exception.message", text("upstream inference timed out after 60 s")},
                              {"exception.stacktrace",
                               text("Traceback (most recent call last):\\n  File \\\"client.py\\\", "
                                    "line 88, in post\\nhttpx.ReadTimeout: timed out")}}});
                    }
                } else {
                    m_trace.spans[size_t(chat)].events.push_back(
                        {e - us(1000 + output * 21'000), "gen_ai.first_token", {}});
                }
                e = finish(engine, e + us(50));
                return finish(chat, e + us(200));
            });

        // The audit message is published at the end of the request and consumed later.
        const int publish = add(root, "audit publish", Gateway, 4, t + us(20));
        messaging(publish, "publish");
        t = finish(publish, t + us(20 + 300 + m_random.below(500)));
        finish(root, t + us(80));
        const int consume = add(-1, "audit process", AuditConsumer, 5, t + us(5000 + m_random.below(40'000)));
        messaging(consume, "process");
        m_trace.spans[size_t(consume)].link = publish;
        finish(consume, m_trace.spans[size_t(consume)].startNs + us(400 + m_random.below(2000)));
        return std::move(m_trace);
    }

  private:
    static int64_t us(int64_t micros) { return micros * 1000; }

    std::vector<Attribute>& attributes(int span) { return m_trace.spans[size_t(span)].attributes; }

    int add(int parent, std::string name, Service service, int kind, int64_t startNs)
    {
        SpanPlan span;
        span.spanId = m_random.next();
        span.parent = parent;
        span.name = std::move(name);
        span.service = service;
        span.pod = (m_pod + int(service)) % PodsPerService;
        span.kind = kind;
        span.startNs = span.endNs = startNs;
        m_trace.spans.push_back(std::move(span));
        return int(m_trace.spans.size() - 1);
    }

    int64_t finish(int span, int64_t endNs)
    {
        m_trace.spans[size_t(span)].endNs = endNs;
        return endNs;
    }

    void http(int span, const char* method, const char* route, int status)
    {
        attributes(span) = {{"http.request.method", text(method)},
                            {"url.path", text(route)},
                            {"http.route", text(route)},
                            {"url.scheme", text("https")},
                            {"http.response.status_code", integer(status)},
                            {"network.protocol.version", text("1.1")}};
        m_trace.spans[size_t(span)].failed = status >= 500;
    }

    // A client span, the server span it calls, and what the server does in between.
    template <class Serve>
    int64_t call(int parent, const char* method, const char* host, const char* route, Service service,
                 int64_t at, Serve serve)
    {
        const int client =
            add(parent, std::string(method) + ' ' + route, m_trace.spans[size_t(parent)].service, 3, at);
        attributes(client) = {{"http.request.method", text(method)},
                              {"url.full", text(std::string("http://") + host + ".internal:8080" + route)},
                              {"server.address", text(std::string(host) + ".internal")},
                              {"server.port", integer(8080)},
                              {"http.response.status_code", integer(200)}};
        const int server = add(client, std::string(method) + ' ' + route, service, 2, at + us(110));
        http(server, method, route, 200);
        const int64_t served = serve(server, at + us(110));
        finish(server, served + us(40));
        return finish(client, served + us(140)) + us(30);
    }

    void genAi(int span, const char* operation, const char* model, int64_t input, int64_t output)
    {
        attributes(span) = {{"gen_ai.operation.name", text(operation)},
                            {"gen_ai.system", text("vllm")},
                            {"gen_ai.request.model", text(model)},
                            {"gen_ai.usage.input_tokens", integer(input)},
                            {"server.address", text("vllm-inference.internal")}};
        if (output) {
            attributes(span).push_back({"gen_ai.usage.output_tokens", integer(output)});
            attributes(span).push_back({"gen_ai.request.temperature", "{\"doubleValue\":0.2}"});
            attributes(span).push_back({"gen_ai.response.finish_reasons",
                                        "{\"arrayValue\":{\"values\":[{\"stringValue\":\"stop\"}]}}"});
        }
    }

    void messaging(int span, const char* operation)
    {
        attributes(span) = {{"messaging.system", text("kafka")},
                            {"messaging.destination.name", text("audit")},
                            {"messaging.operation.type", text(operation)},
                            {"messaging.message.body.size", integer(200 + m_random.below(900))}};
    }

    Random& m_random;
    Trace m_trace;
    int m_pod = 0;
};

class Writer
{
  public:
    explicit Writer(BufferedOutput& out) : m_out(out) {}

    void hex(uint64_t value)
    {
        static constexpr char Digits[] = "0123456789abcdef";
        char digits[16];
        for (int i = 15; i >= 0; --i, value >>= 4)
            digits[i] = Digits[value & 0xf];
        m_out.text({digits, 16});
    }

    void attributes(const std::vector<Attribute>& attributes)
    {
        m_out.text("\"attributes\":[");
        for (size_t i = 0; i < attributes.size(); ++i) {
            m_out.text(i ? ",{\"key\":\"" : "{\"key\":\"").text(attributes[i].key).text("\",\"value\":");
            m_out.text(attributes[i].value).text("}");
        }
        m_out.text("]");
    }

    void resource(Service service, int pod)
    {
        const ServiceInfo& info = Services[service];
        const std::string podName =
            std::string(info.name) + "-7d9f8b6c5-" + char('a' + pod) + "x4k" + char('q' + pod);
        m_out.text("\"resource\":{");
        attributes({{"service.name", text(info.name)},
                    {"service.namespace", text("inventory-assistant")},
                    {"service.version", text(info.version)},
                    {"service.instance.id", text(podName)},
                    {"host.name", text("node-" + std::to_string(3 + (int(service) * 3 + pod) % 7))},
                    {"k8s.pod.name", text(podName)},
                    {"k8s.namespace.name", text("prod")},
                    {"deployment.environment.name", text("production")},
                    {"telemetry.sdk.name", text("opentelemetry")},
                    {"telemetry.sdk.language", text(info.language)},
                    {"telemetry.sdk.version", text("1.28.2")}});
        m_out.text("}");
    }

    void scope(Service service)
    {
        m_out.text("\"scope\":{\"name\":\"").text(Services[service].scope).text("\",\"version\":\"");
        m_out.text(Services[service].scopeVersion).text("\"}");
    }

    void span(const Trace& trace, const SpanPlan& span)
    {
        m_out.text("{\"traceId\":\"");
        hex(trace.high);
        hex(trace.low);
        m_out.text("\",\"spanId\":\"");
        hex(span.spanId);
        m_out.text("\",\"parentSpanId\":\"");
        if (span.parent >= 0)
            hex(trace.spans[size_t(span.parent)].spanId);
        m_out.text("\",\"flags\":257,\"name\":\"").text(span.name).text("\",\"kind\":").integer(span.kind);
        m_out.text(",\"startTimeUnixNano\":\"").integer(span.startNs);
        m_out.text("\",\"endTimeUnixNano\":\"").integer(span.endNs).text("\",");
        attributes(span.attributes);
        if (!span.events.empty()) {
            m_out.text(",\"events\":[");
            for (size_t i = 0; i < span.events.size(); ++i) {
                const Event& event = span.events[i];
                m_out.text(i ? ",{\"timeUnixNano\":\"" : "{\"timeUnixNano\":\"").integer(event.timeNs);
                m_out.text("\",\"name\":\"").text(event.name).text("\",");
                attributes(event.attributes);
                m_out.text("}");
            }
            m_out.text("]");
        }
        if (span.link >= 0) {
            m_out.text(",\"links\":[{\"traceId\":\"");
            hex(trace.high);
            hex(trace.low);
            m_out.text("\",\"spanId\":\"");
            hex(trace.spans[size_t(span.link)].spanId);
            m_out.text("\",\"flags\":257}]");
        }
        if (span.failed)
            m_out.text(",\"status\":{\"code\":2,\"message\":\"upstream inference timed out\"}}");
        else
            m_out.text(",\"status\":{}}");
    }

    // One batch of traces as a line: a resource per service and pod, its spans in end order.
    int64_t traces(const std::vector<Trace>& batch)
    {
        int64_t spans = 0;
        m_out.text("{\"resourceSpans\":[");
        bool firstResource = true;
        std::vector<std::pair<int64_t, std::pair<size_t, size_t>>> ended; // end, (trace, span)
        for (int service = 0; service < ServiceCount; ++service) {
            for (int pod = 0; pod < PodsPerService; ++pod) {
                ended.clear();
                for (size_t t = 0; t < batch.size(); ++t) {
                    for (size_t s = 0; s < batch[t].spans.size(); ++s) {
                        const SpanPlan& span = batch[t].spans[s];
                        if (span.service == service && span.pod == pod)
                            ended.push_back({span.endNs, {t, s}});
                    }
                }
                if (ended.empty())
                    continue;
                std::sort(ended.begin(), ended.end());
                m_out.text(firstResource ? "{" : ",{");
                firstResource = false;
                resource(Service(service), pod);
                m_out.text(",\"scopeSpans\":[{");
                scope(Service(service));
                m_out.text(",\"spans\":[");
                for (size_t i = 0; i < ended.size(); ++i) {
                    if (i)
                        m_out.text(",");
                    const auto [t, s] = ended[i].second;
                    span(batch[t], batch[t].spans[s]);
                }
                m_out.text("]}],\"schemaUrl\":\"https://opentelemetry.io/schemas/1.27.0\"}");
                spans += int64_t(ended.size());
            }
        }
        m_out.text("]}\n");
        return spans;
    }

    BufferedOutput& out() { return m_out; }

  private:
    BufferedOutput& m_out;
};

// The metrics each service exports every ten seconds, cumulative since the start, and how many
// samples Lundi makes of them.
class MetricsWriter
{
  public:
    MetricsWriter(Writer& writer, Random& random) : m_writer(writer), m_out(writer.out()), m_random(random) {}

    int64_t write(int64_t timeNs)
    {
        int64_t samples = 0;
        m_out.text("{\"resourceMetrics\":[");
        for (int service = 0; service < ServiceCount; ++service) {
            m_out.text(service ? ",{" : "{");
            m_writer.resource(Service(service), 0);
            m_out.text(",\"scopeMetrics\":[{");
            m_writer.scope(Service(service));
            m_out.text(",\"metrics\":[");
            samples += durationHistogram(timeNs);
            m_out.text(",");
            samples += requestCounter(Service(service), timeNs);
            if (service == Inference) {
                m_out.text(",");
                samples += gpuGauges(timeNs);
                m_out.text(",");
                samples += tokenLatency(timeNs);
            }
            m_out.text("]}]}");
        }
        m_out.text("]}\n");
        m_first = false;
        return samples;
    }

  private:
    void point(int64_t timeNs, const char* route, const char* status)
    {
        m_out.text("{\"startTimeUnixNano\":\"")
            .integer(StartNs)
            .text("\",\"timeUnixNano\":\"")
            .integer(timeNs);
        m_out.text("\",");
        m_writer.attributes({{"http.request.method", text("POST")},
                             {"http.route", text(route)},
                             {"http.response.status_code", integer(std::atoi(status))}});
    }

    // http.server.request.duration with the SDK's default bounds: 16 buckets, count, sum, min, max.
    int64_t durationHistogram(int64_t timeNs)
    {
        static constexpr const char* Bounds =
            "[0,0.005,0.01,0.025,0.05,0.075,0.1,0.25,0.5,0.75,1,2.5,5,7.5,10]";
        m_out.text("{\"name\":\"http.server.request.duration\",\"description\":\"Duration of HTTP server "
                   "requests.\",\"unit\":\"s\",\"histogram\":{\"aggregationTemporality\":2,\"dataPoints\":[");
        int64_t samples = 0;
        for (int r = 0; r < 3; ++r) {
            if (r)
                m_out.text(",");
            point(timeNs, Routes[r], "200");
            m_out.text(",\"count\":\"");
            uint64_t count = 0;
            std::string buckets;
            for (int b = 0; b < 16; ++b) {
                const uint64_t n = b < 7 ? m_random.below(3) : m_random.below(400);
                count += n;
                buckets += (b ? ",\"" : "\"") + std::to_string(n) + '"';
            }
            m_out.integer(int64_t(count)).text("\",\"sum\":").number(double(count) * 1.7);
            m_out.text(",\"bucketCounts\":[").text(buckets).text("],\"explicitBounds\":").text(Bounds);
            m_out.text(",\"min\":0.031,\"max\":61.2}");
            samples += 16 + 4;
        }
        m_out.text("]}}");
        return samples;
    }

    int64_t requestCounter(Service service, int64_t timeNs)
    {
        m_requests[service] += 100 + m_random.below(900);
        m_out.text(
            "{\"name\":\"http.server.requests\",\"unit\":\"{request}\",\"sum\":{\"aggregationTemporality\":2,"
            "\"isMonotonic\":true,\"dataPoints\":[");
        point(timeNs, Routes[0], "200");
        m_out.text(",\"asInt\":\"").integer(m_requests[service]).text("\"}]}}");
        return m_first ? 1 : 2; // the value, and its rate from the second point on
    }

    int64_t gpuGauges(int64_t timeNs)
    {
        m_out.text("{\"name\":\"gpu.utilization\",\"unit\":\"1\",\"gauge\":{\"dataPoints\":[");
        for (int gpu = 0; gpu < Gpus; ++gpu) {
            m_out.text(gpu ? ",{\"timeUnixNano\":\"" : "{\"timeUnixNano\":\"").integer(timeNs).text("\",");
            m_writer.attributes({{"gpu.id", integer(gpu)}, {"gpu.model", text("NVIDIA H200")}});
            m_out.text(",\"asDouble\":").number(0.35 + 0.01 * m_random.below(60)).text("}");
        }
        m_out.text("]}}");
        return Gpus;
    }

    // Time to first token as an exponential histogram (scale 3): 24 buckets, zero count, count, sum.
    int64_t tokenLatency(int64_t timeNs)
    {
        m_out.text("{\"name\":\"gen_ai.server.time_to_first_token\",\"unit\":\"s\",\"exponentialHistogram\":"
                   "{\"aggregationTemporality\":2,\"dataPoints\":[{\"startTimeUnixNano\":\"");
        m_out.integer(StartNs).text("\",\"timeUnixNano\":\"").integer(timeNs).text("\",");
        m_writer.attributes({{"gen_ai.request.model", text(Models[0])}});
        uint64_t count = 0;
        std::string buckets;
        for (int b = 0; b < 24; ++b) {
            const uint64_t n = m_random.below(50);
            count += n;
            buckets += (b ? ",\"" : "\"") + std::to_string(n) + '"';
        }
        m_out.text(",\"count\":\"").integer(int64_t(count)).text("\",\"sum\":").number(double(count) * 0.42);
        m_out.text(",\"scale\":3,\"zeroCount\":\"0\",\"positive\":{\"offset\":-20,\"bucketCounts\":[");
        m_out.text(buckets).text("]}}]}}");
        return 24 + 3;
    }

    Writer& m_writer;
    BufferedOutput& m_out;
    Random& m_random;
    std::array<int64_t, ServiceCount> m_requests{};
    bool m_first = true;
};

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: %s OUT_FILE [MEGABYTES=100]\n", Program);
        return 2;
    }
    const long megabytes = argc == 3 ? std::strtol(argv[2], nullptr, 10) : 100;
    if (megabytes < 1) {
        std::fprintf(stderr, "%s: MEGABYTES must be a positive number\n", Program);
        return 2;
    }
    FILE* file = std::fopen(argv[1], "wb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    const uint64_t bytes = uint64_t(megabytes) * 1'000'000;
    int64_t records = 0;
    {
        BufferedOutput out(file, Program);
        Writer writer(out);
        Random random(0x4f544c50ull); // "OTLP"
        TraceBuilder builder(random);
        MetricsWriter metrics(writer, random);
        int64_t clockNs = StartNs;
        int64_t nextMetricsNs = StartNs;
        std::vector<Trace> batch;
        int lines = 0;
        while (out.bytes() < bytes) {
            batch.clear();
            for (int i = 0; i < TracesPerLine; ++i) {
                batch.push_back(builder.build(clockNs));
                clockNs += 2'000'000 + int64_t(random.below(20'000'000));
            }
            records += writer.traces(batch);
            if (clockNs >= nextMetricsNs) {
                records += metrics.write(nextMetricsNs);
                nextMetricsNs += MetricIntervalNs;
            }
            // Now and then a line of logs, which Lundi passes over.
            if (++lines % 100 == 0)
                out.text("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"")
                    .integer(clockNs)
                    .text("\",\"severityNumber\":9,\"body\":{\"stringValue\":\"rotated audit "
                          "segment\"}}]}]}]}\n");
            out.endRecord();
        }
    }
    if (std::fclose(file) != 0) {
        std::perror(argv[1]);
        return 1;
    }
    std::printf("records %lld\n", static_cast<long long>(records));
    return 0;
}
