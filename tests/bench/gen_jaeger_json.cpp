// lundi-bench-gen-jaeger-json OUT_FILE [MEGABYTES=100]: a deterministic Jaeger JSON download
// ({"data": [trace, ...], "total", "limit", "offset", "errors"}) of about MEGABYTES, as the query
// API answers for a generative-AI service: each request passes an edge, an auth check, an agent
// that calls tools (vector search, a database) and a model (through its HTTP client, down to the
// inference server's prefill and decode), and publishes an audit message that a consumer
// follows from. Spans come in storage order (children often before parents), the processes map
// after them; tags of every type (int64 also as strings, bool, float64, binary), logs on errors
// and first tokens. Prints "records N": the spans written.

#include "bufferedoutput.h"
#include "calltrees.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

using lundi::bench::BufferedOutput;
using lundi::bench::Random;

namespace {

constexpr int64_t StartUs = 1'764'000'000'000'000; // 2025-11-24T16:00:00Z
constexpr int Replicas = 4;

constexpr const char* Services[] = {"api-edge",    "auth-service", "assistant-agent", "vector-store",
                                    "sessions-db", "llm-gateway",  "vllm-inference",  "audit-consumer"};
enum Service { Edge, Auth, Agent, VectorStore, SessionsDb, LlmGateway, Inference, Audit, ServiceCount };
constexpr const char* Models[] = {"llama-3.1-70b-instruct", "mistral-7b-instruct-v0.3"};
constexpr const char* Tools[] = {"search_docs", "lookup_order", "list_dashboards"};
constexpr const char* Routes[] = {"/v1/chat/completions", "/v1/assistants/run", "/v1/answers"};

// One tag: the value is JSON text already (quoted for strings).
struct Tag
{
    const char* key;
    const char* type;
    std::string value;
};

struct Log
{
    int64_t timeUs;
    std::vector<Tag> fields;
};

struct SpanPlan
{
    uint64_t spanId = 0;
    int parent = -1;      // CHILD_OF, index in the trace
    int followsFrom = -1; // FOLLOWS_FROM instead, for the audit consumer
    std::string name;
    int service = 0;
    int64_t startUs = 0;
    int64_t durUs = 0;
    std::vector<Tag> tags;
    std::vector<Log> logs;
};

std::string quoted(const std::string& text)
{
    return '"' + text + '"';
}

std::string number(int64_t value)
{
    return std::to_string(value);
}

// Builds one trace's spans in call order; times are whole microseconds.
class TraceBuilder
{
  public:
    explicit TraceBuilder(Random& random) : m_random(random) {}

    std::vector<SpanPlan> build(int64_t startUs)
    {
        m_spans.clear();
        const bool failed = m_random.below(50) == 0;
        const char* route = Routes[m_random.below(3)];
        const int root = add(-1, std::string("POST ") + route, Edge, startUs);
        server(root, "POST", route, failed ? 500 : 200);
        m_spans[size_t(root)].tags.push_back(
            {"user_agent.original", "string", quoted("inventory-app/4.2.1")});
        int64_t t = startUs + 150 + m_random.below(200);

        const int authCall = add(root, "GET /validate", Edge, t);
        client(authCall, "GET", "http://auth-service:8080/validate");
        const int authServer = add(authCall, "GET /validate", Auth, t + 120);
        server(authServer, "GET", "/validate", 200);
        const int verify = add(authServer, "auth.verify_token", Auth, t + 180);
        m_spans[size_t(verify)].tags = {{"span.kind", "string", quoted("internal")},
                                        {"auth.method", "string", quoted("jwt")},
                                        {"auth.cached", "bool", m_random.below(2) ? "true" : "\"false\""}};
        t = finish(verify, t + 180 + 800 + m_random.below(3000)) + 50;
        t = finish(authServer, t) + 120;
        t = finish(authCall, t) + 100;

        const int agent = add(root, "invoke_agent assistant", Agent, t);
        m_spans[size_t(agent)].tags = {{"span.kind", "string", quoted("server")},
                                       {"gen_ai.operation.name", "string", quoted("invoke_agent")},
                                       {"gen_ai.agent.name", "string", quoted("assistant")},
                                       {"gen_ai.provider.name", "string", quoted("vllm")}};
        t += 300;
        const int toolCalls = 1 + int(m_random.below(3));
        for (int call = 0; call < toolCalls; ++call) {
            t = tool(agent, t) + 200;
            t = chat(agent, t, failed && call + 1 == toolCalls) + 200;
        }
        const int session = add(agent, "UPDATE sessions", Agent, t);
        m_spans[size_t(session)].tags = {
            {"span.kind", "string", quoted("client")},
            {"db.system", "string", quoted("postgresql")},
            {"db.statement", "string", quoted("UPDATE sessions SET turns = turns + 1 WHERE id = $1")},
            {"peer.service", "string", quoted("sessions-db")}};
        t = finish(session, t + 900 + m_random.below(4000)) + 100;
        t = finish(agent, t) + 100;

        // The audit message: published at the end of the request, consumed later.
        const int publish = add(root, "audit publish", Edge, t);
        m_spans[size_t(publish)].tags = {
            {"span.kind", "string", quoted("producer")},
            {"messaging.system", "string", quoted("kafka")},
            {"messaging.destination.name", "string", quoted("audit")},
            {"messaging.message.body.size", "int64", number(200 + m_random.below(900))}};
        t = finish(publish, t + 300 + m_random.below(500)) + 50;
        finish(root, t + 100);
        const int consume = add(-1, "audit process", Audit, t + 5000 + m_random.below(50'000));
        m_spans[size_t(consume)].followsFrom = publish;
        m_spans[size_t(consume)].tags = {{"span.kind", "string", quoted("consumer")},
                                         {"messaging.system", "string", quoted("kafka")},
                                         {"messaging.operation.type", "string", quoted("process")}};
        finish(consume, m_spans[size_t(consume)].startUs + 400 + m_random.below(2000));
        return std::move(m_spans);
    }

  private:
    int add(int parent, std::string name, int service, int64_t startUs)
    {
        SpanPlan span;
        span.spanId = m_random.next();
        span.parent = parent;
        span.name = std::move(name);
        span.service = service;
        span.startUs = startUs;
        m_spans.push_back(std::move(span));
        return int(m_spans.size()) - 1;
    }

    int64_t finish(int span, int64_t endUs)
    {
        m_spans[size_t(span)].durUs = endUs - m_spans[size_t(span)].startUs;
        return endUs;
    }

    void server(int span, const char* method, const char* route, int status)
    {
        m_spans[size_t(span)].tags = {{"span.kind", "string", quoted("server")},
                                      {"http.request.method", "string", quoted(method)},
                                      {"http.route", "string", quoted(route)},
                                      {"http.response.status_code", "int64", number(status)}};
        if (status >= 500) {
            m_spans[size_t(span)].tags.push_back({"error", "bool", "true"});
            m_spans[size_t(span)].logs.push_back(
                {m_spans[size_t(span)].startUs + 10,
                 {{"event", "string", quoted("error")},
                  {"message", "string", quoted("upstream model timed out")}}});
        }
    }

    void client(int span, const char* method, const std::string& url)
    {
        m_spans[size_t(span)].tags = {{"span.kind", "string", quoted("client")},
                                      {"http.request.method", "string", quoted(method)},
                                      {"url.full", "string", quoted(url)},
                                      {"http.response.status_code", "int64", number(200)},
                                      {"net.peer.port", "int64", quoted("8080")}};
    }

    int64_t tool(int agent, int64_t t)
    {
        const char* name = Tools[m_random.below(3)];
        const int tool = add(agent, std::string("execute_tool ") + name, Agent, t);
        m_spans[size_t(tool)].tags = {
            {"span.kind", "string", quoted("internal")},
            {"gen_ai.operation.name", "string", quoted("execute_tool")},
            {"gen_ai.tool.name", "string", quoted(name)},
            {"gen_ai.tool.call.id", "string", quoted("call_" + number(int64_t(m_random.below(1u << 30))))},
            {"gen_ai.tool.call.arguments", "string",
             quoted("{\\\"query\\\":\\\"stock level\\\",\\\"top_k\\\":8}")}};
        const int retrieval = add(tool, "retrieval vector-search", Agent, t + 80);
        m_spans[size_t(retrieval)].tags = {{"span.kind", "string", quoted("client")},
                                           {"gen_ai.operation.name", "string", quoted("retrieval")},
                                           {"gen_ai.request.top_k", "float64", "8.0"},
                                           {"request.digest", "binary", quoted("AAAwOQ==")}};
        const int search = add(retrieval, "SEARCH docs", VectorStore, t + 300);
        m_spans[size_t(search)].tags = {{"span.kind", "string", quoted("server")},
                                        {"db.system.name", "string", quoted("qdrant")},
                                        {"db.namespace", "string", quoted("docs")},
                                        {"db.query.text", "string", quoted("SEARCH collection=docs topK=8")},
                                        {"db.response.returned_rows", "int64", number(8)}};
        int64_t end = finish(search, t + 300 + 2000 + m_random.below(20'000)) + 250;
        end = finish(retrieval, end) + 60;
        return finish(tool, end);
    }

    int64_t chat(int agent, int64_t t, bool failed)
    {
        const char* model = Models[m_random.below(2)];
        const int64_t inputTokens = 600 + m_random.below(3000);
        const int64_t outputTokens = 20 + m_random.below(700);
        const int chat = add(agent, std::string("chat ") + model, Agent, t);
        SpanPlan& span = m_spans[size_t(chat)];
        span.tags = {{"span.kind", "string", quoted("client")},
                     {"gen_ai.operation.name", "string", quoted("chat")},
                     {"gen_ai.request.model", "string", quoted(model)},
                     {"gen_ai.request.temperature", "float64", "0.7"},
                     {"gen_ai.request.stream", "bool", "true"},
                     // Usage as Jaeger writes int64 values it cannot be sure a double holds: as strings.
                     {"gen_ai.usage.input_tokens", "int64", quoted(number(inputTokens))},
                     {"gen_ai.usage.output_tokens", "int64", number(outputTokens)}};
        const int http = add(chat, "POST /v1/chat/completions", Agent, t + 100);
        client(http, "POST", "http://llm-gateway:8000/v1/chat/completions");
        const int gateway = add(http, "POST /v1/chat/completions", LlmGateway, t + 400);
        server(gateway, "POST", "/v1/chat/completions", failed ? 504 : 200);
        const int inference = add(gateway, std::string("chat ") + model, Inference, t + 700);
        m_spans[size_t(inference)].tags = {{"span.kind", "string", quoted("server")},
                                           {"gen_ai.operation.name", "string", quoted("chat")},
                                           {"gen_ai.request.model", "string", quoted(model)},
                                           {"gen_ai.response.finish_reasons", "string", quoted("stop")}};
        int64_t g = t + 900 + m_random.below(20'000); // queued for a replica
        const int prefill = add(inference, "prefill", Inference, g);
        m_spans[size_t(prefill)].tags = {{"gen_ai.request.model", "string", quoted(model)},
                                         {"gen_ai.usage.input_tokens", "int64", number(inputTokens)}};
        g = finish(prefill, g + 20'000 + inputTokens * 30) + 50;
        const int decode = add(inference, "decode", Inference, g);
        m_spans[size_t(decode)].tags = {{"gen_ai.request.model", "string", quoted(model)},
                                        {"gen_ai.usage.output_tokens", "int64", number(outputTokens)}};
        m_spans[size_t(chat)].logs.push_back({g,
                                              {{"event", "string", quoted("first_token")},
                                               {"gen_ai.server.time_to_first_token", "float64", "0.042"}}});
        g = finish(decode, g + outputTokens * (15 + m_random.below(25))) + 200;
        int64_t end = finish(inference, g) + 150;
        end = finish(gateway, end) + 200;
        end = finish(http, end) + 50;
        return finish(chat, end);
    }

    Random& m_random;
    std::vector<SpanPlan> m_spans;
};

void hex(BufferedOutput& out, uint64_t value, int digits)
{
    char buffer[16];
    for (int i = digits - 1; i >= 0; --i, value >>= 4)
        buffer[i] = "0123456789abcdef"[value & 15];
    out.text({buffer, size_t(digits)});
}

void writeTags(BufferedOutput& out, const std::vector<Tag>& tags)
{
    out.text("[");
    for (size_t i = 0; i < tags.size(); ++i) {
        out.text(i ? ",{\"key\":\"" : "{\"key\":\"")
            .text(tags[i].key)
            .text("\",\"type\":\"")
            .text(tags[i].type);
        out.text("\",\"value\":").text(tags[i].value).text("}");
    }
    out.text("]");
}

void writeTrace(BufferedOutput& out, uint64_t traceHigh, uint64_t traceLow,
                const std::vector<SpanPlan>& spans, Random& random, int replica)
{
    const auto traceId = [&] {
        hex(out, traceHigh, 16);
        hex(out, traceLow, 16);
    };
    out.text("{\"traceID\":\"");
    traceId();
    out.text("\",\"spans\":[");
    // Storage order, not call order: children often come before their parents.
    std::vector<size_t> order(spans.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    for (size_t i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[random.below(uint32_t(i + 1))]);
    bool first = true;
    for (const size_t i : order) {
        const SpanPlan& span = spans[i];
        out.text(first ? "\n{\"traceID\":\"" : ",\n{\"traceID\":\"");
        first = false;
        traceId();
        out.text("\",\"spanID\":\"");
        hex(out, span.spanId, 16);
        out.text("\",\"flags\":1,\"operationName\":\"").text(span.name).text("\",\"references\":[");
        const int referenced = span.parent >= 0 ? span.parent : span.followsFrom;
        if (referenced >= 0) {
            out.text(span.parent >= 0 ? "{\"refType\":\"CHILD_OF\",\"traceID\":\""
                                      : "{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"");
            traceId();
            out.text("\",\"spanID\":\"");
            hex(out, spans[size_t(referenced)].spanId, 16);
            out.text("\"}");
        }
        out.text("],\"startTime\":").integer(span.startUs).text(",\"duration\":").integer(span.durUs);
        out.text(",\"tags\":");
        writeTags(out, span.tags);
        out.text(",\"logs\":[");
        for (size_t l = 0; l < span.logs.size(); ++l) {
            out.text(l ? ",{\"timestamp\":" : "{\"timestamp\":")
                .integer(span.logs[l].timeUs)
                .text(",\"fields\":");
            writeTags(out, span.logs[l].fields);
            out.text("}");
        }
        out.text("],\"processID\":\"p").integer(span.service + 1).text("\",\"warnings\":null}");
    }
    out.text("],\n\"processes\":{");
    for (int service = 0; service < ServiceCount; ++service) {
        out.text(service ? ",\"p" : "\"p").integer(service + 1).text("\":{\"serviceName\":\"");
        out.text(Services[service]).text("\",\"tags\":");
        const std::string host = std::string(Services[service]) + "-" + std::to_string(replica);
        writeTags(out, {{"hostname", "string", quoted(host)},
                        {"ip", "string",
                         quoted("10.20." + std::to_string(service) + "." + std::to_string(replica + 10))},
                        {"telemetry.sdk.language", "string", quoted("python")},
                        {"telemetry.sdk.version", "string", quoted("1.27.0")}});
        out.text("}");
    }
    out.text("},\"warnings\":null}");
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: lundi-bench-gen-jaeger-json OUT_FILE [MEGABYTES=100]\n");
        return 2;
    }
    const long megabytes = argc == 3 ? std::strtol(argv[2], nullptr, 10) : 100;
    if (megabytes < 1) {
        std::fprintf(stderr, "lundi-bench-gen-jaeger-json: MEGABYTES must be a positive number\n");
        return 2;
    }
    FILE* file = std::fopen(argv[1], "wb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    const uint64_t bytes = uint64_t(megabytes) * 1'000'000;
    Random random(0x4a4145474552ull); // "JAEGER"
    TraceBuilder builder(random);
    int64_t spans = 0;
    int64_t traces = 0;
    {
        BufferedOutput out(file, "lundi-bench-gen-jaeger-json");
        out.text("{\"data\":[");
        int64_t clockUs = StartUs;
        while (out.bytes() < bytes) {
            const std::vector<SpanPlan> trace = builder.build(clockUs);
            clockUs += 500 + random.below(4000);
            if (traces)
                out.text(",\n");
            const uint64_t high = random.next();
            const uint64_t low = random.next();
            writeTrace(out, high, low, trace, random, int(random.below(Replicas)));
            spans += int64_t(trace.size());
            ++traces;
            out.endRecord();
        }
        out.text("],\"total\":").integer(traces).text(",\"limit\":0,\"offset\":0,\"errors\":null}\n");
    }
    if (std::fclose(file) != 0) {
        std::perror(argv[1]);
        return 1;
    }
    std::printf("records %lld\n", static_cast<long long>(spans));
    return 0;
}
