#include "tracepull.h"
#include "httpexchange.h"
#include "probeengine.h"
#include "pullclient.h"
#include "secretredaction.h"

#include "ingest/importcontrol.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "ingest/inputfile.h"

#include <rapidjson/document.h>

#include <QDateTime>

#include <set>
#include <vector>

namespace lundi {

namespace {

using Parameters = std::vector<std::pair<std::string, std::string>>;

// A duration as Go's time.ParseDuration reads it, which Jaeger and Tempo use: "250ms".
std::string goDuration(qint64 ns)
{
    if (ns % 1'000'000 == 0)
        return std::to_string(ns / 1'000'000) + "ms";
    if (ns % 1'000 == 0)
        return std::to_string(ns / 1'000) + "us";
    return std::to_string(ns) + "ns";
}

std::string rfc3339(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

// A logfmt value of Tempo's tags parameter, quoted when it has to be.
std::string logfmtValue(const std::string& value)
{
    if (!value.empty() && value.find_first_of(" \"=\\") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name)
{
    if (!object.IsObject())
        return nullptr;
    const auto found = object.FindMember(name);
    return found == object.MemberEnd() ? nullptr : &found->value;
}

const rapidjson::Value* arrayMember(const rapidjson::Value& object, std::initializer_list<const char*> names)
{
    for (const char* name : names) {
        if (const rapidjson::Value* value = member(object, name); value && value->IsArray())
            return value;
    }
    return nullptr;
}

// The distinct trace ids of an OTLP/JSON document (bare, in {"result"}, or Tempo's "batches").
void collectOtlpTraceIds(const rapidjson::Value& document, std::set<std::string>& ids)
{
    const rapidjson::Value* result = member(document, "result");
    const rapidjson::Value& root = result ? *result : document;
    const rapidjson::Value* resources = arrayMember(root, {"resourceSpans", "batches"});
    if (!resources)
        return;
    for (const auto& resource : resources->GetArray()) {
        const rapidjson::Value* scopes = arrayMember(resource, {"scopeSpans", "instrumentationLibrarySpans"});
        for (rapidjson::SizeType i = 0; scopes && i < scopes->Size(); ++i) {
            const rapidjson::Value* spans = arrayMember((*scopes)[i], {"spans"});
            for (rapidjson::SizeType j = 0; spans && j < spans->Size(); ++j) {
                if (const rapidjson::Value* id = member((*spans)[j], "traceId"); id && id->IsString())
                    ids.emplace(id->GetString(), id->GetStringLength());
            }
        }
    }
}

// The sentence an API gives with an error: Jaeger's {"errors": [{"msg"}]}, its API v3's
// {"error": {"message"}}, or a short plain text (Tempo).
QString reason(const HttpResult& result)
{
    rapidjson::Document document;
    document.Parse(result.body.data(), result.body.size());
    if (!document.HasParseError()) {
        if (const rapidjson::Value* errors = arrayMember(document, {"errors"}); errors && !errors->Empty()) {
            if (const rapidjson::Value* msg = member((*errors)[0], "msg"); msg && msg->IsString())
                return QStringLiteral("status %1 (\"%2\")")
                    .arg(result.status)
                    .arg(QString::fromUtf8(msg->GetString()));
        }
        if (const rapidjson::Value* error = member(document, "error")) {
            const rapidjson::Value* message = error->IsString() ? error : member(*error, "message");
            if (message && message->IsString())
                return QStringLiteral("status %1 (\"%2\")")
                    .arg(result.status)
                    .arg(QString::fromUtf8(message->GetString()));
        }
    }
    return PullClient::describeStatus(result);
}

std::string traceUrl(const TracePull::Request& request, const std::string& traceId)
{
    const std::string path = request.api == TracePull::Api::JaegerV3 ? "/api/v3/traces/" : "/api/traces/";
    return PullClient::endpoint(request.url, path + traceId);
}

std::string searchUrl(const TracePull::Request& request)
{
    const TracePull::Search& search = *request.search;
    Parameters parameters;
    switch (request.api) {
    case TracePull::Api::Jaeger:
        parameters = {{"service", search.service},
                      {"start", std::to_string(search.startNs / 1'000)},
                      {"end", std::to_string(search.endNs / 1'000)}};
        if (!search.operation.empty())
            parameters.emplace_back("operation", search.operation);
        if (search.minDurationNs)
            parameters.emplace_back("minDuration", goDuration(*search.minDurationNs));
        if (search.limit)
            parameters.emplace_back("limit", std::to_string(*search.limit));
        return PullClient::endpoint(request.url, "/api/traces", PullClient::query(parameters));
    case TracePull::Api::JaegerV3:
        parameters = {{"query.service_name", search.service},
                      {"query.start_time_min", rfc3339(search.startNs)},
                      {"query.start_time_max", rfc3339(search.endNs)}};
        if (!search.operation.empty())
            parameters.emplace_back("query.operation_name", search.operation);
        if (search.minDurationNs)
            parameters.emplace_back("query.duration_min", goDuration(*search.minDurationNs));
        if (search.limit)
            parameters.emplace_back("query.num_traces", std::to_string(*search.limit));
        return PullClient::endpoint(request.url, "/api/v3/traces", PullClient::query(parameters));
    case TracePull::Api::Tempo: {
        std::string tags = "service.name=" + logfmtValue(search.service);
        if (!search.operation.empty())
            tags += " name=" + logfmtValue(search.operation);
        parameters = {{"tags", tags},
                      {"start", std::to_string(search.startNs / 1'000'000'000)},
                      // Whole seconds: the end rounded up, so that all of the window is in.
                      {"end", std::to_string((search.endNs + 999'999'999) / 1'000'000'000)}};
        if (search.minDurationNs)
            parameters.emplace_back("minDuration", goDuration(*search.minDurationNs));
        if (search.limit)
            parameters.emplace_back("limit", std::to_string(*search.limit));
        return PullClient::endpoint(request.url, "/api/search", PullClient::query(parameters));
    }
    }
    return {};
}

} // namespace

std::optional<TracePull::Api> TracePull::apiNamed(const QString& name)
{
    if (name == QLatin1String("jaeger"))
        return Api::Jaeger;
    if (name == QLatin1String("jaeger-v3"))
        return Api::JaegerV3;
    if (name == QLatin1String("tempo"))
        return Api::Tempo;
    return std::nullopt;
}

bool TracePull::isTraceId(const std::string& text)
{
    return !text.empty() && text.size() <= 32 &&
           text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

QString TracePull::origin(const Request& request)
{
    return QString::fromStdString(
        SecretRedaction::url(request.search ? searchUrl(request) : traceUrl(request, request.traceId)));
}

PulledSource TracePull::pull(const ImporterRegistry& registry, const Request& request,
                             const PullClient::Options& client)
{
    ProbeEngine engine;
    PullClient pullClient(engine, client);
    const TracePull pulled(pullClient, request);
    const Importer* importer = registry.byFormat(pulled.format());
    if (!importer)
        throw ImportError(QStringLiteral("the %1 importer is not installed").arg(pulled.format()));
    return {pulled.format(), origin(request), pulled.content(),
            [importer, content = pulled.content()](Sink& sink, ImportControl& control) {
                importer->import(InputFile(QStringLiteral("traces.json"), content), sink, control);
            }};
}

TracePull::TracePull(PullClient& client, const Request& request) : m_client(client), m_request(request)
{
    if (!m_request.search) {
        m_content =
            QByteArray::fromStdString(fetch(traceUrl(m_request, m_request.traceId), m_request.traceId));
        m_traces = 1;
        return;
    }
    const std::string url = searchUrl(m_request);
    const std::string body = fetch(url, {});
    if (m_request.api == Api::Tempo) {
        pullTempoSearch(body, url);
        return;
    }
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (document.HasParseError())
        PullClient::fail(url, QStringLiteral("the answer is not JSON"));
    if (m_request.api == Api::Jaeger) {
        const rapidjson::Value* data = arrayMember(document, {"data"});
        if (!data)
            PullClient::fail(url, QStringLiteral("the answer has no \"data\" list of traces"));
        m_traces = int(data->Size());
    } else {
        std::set<std::string> ids;
        collectOtlpTraceIds(document, ids);
        m_traces = int(ids.size());
    }
    if (m_traces == 0)
        PullClient::fail(url, QStringLiteral("no trace matched the search"));
    m_content = QByteArray::fromStdString(body);
}

void TracePull::pullTempoSearch(const std::string& body, const std::string& url)
{
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    const rapidjson::Value* traces = document.HasParseError() ? nullptr : arrayMember(document, {"traces"});
    if (!traces)
        PullClient::fail(url, QStringLiteral("the answer is not Tempo's search result (a \"traces\" list)"));
    for (const auto& trace : traces->GetArray()) {
        const rapidjson::Value* id = member(trace, "traceID");
        if (!id || !id->IsString() || !isTraceId(id->GetString()))
            PullClient::fail(url, QStringLiteral("a trace of the search result has no valid traceID"));
        // One OTLP document after another: the otlp-json importer reads them as JSON lines.
        m_content += QByteArray::fromStdString(fetch(traceUrl(m_request, id->GetString()), id->GetString()));
        m_content += '\n';
        ++m_traces;
    }
    if (m_traces == 0)
        PullClient::fail(url, QStringLiteral("no trace matched the search"));
}

std::string TracePull::fetch(const std::string& url, const std::string& traceId)
{
    ++m_requests;
    HttpResult result = m_client.get(url, "application/json");
    if (result.status >= 200 && result.status <= 299)
        return std::move(result.body);
    if (result.status == 404 && !traceId.empty())
        PullClient::fail(url, QStringLiteral("trace %1 not found").arg(QString::fromStdString(traceId)));
    if (result.status == 404)
        PullClient::fail(url, QStringLiteral("there is no trace query API here (status 404); give the "
                                             "server's URL with its path prefix, and --api"));
    PullClient::fail(url, QStringLiteral("the server refused: %1").arg(reason(result)));
}

} // namespace lundi
