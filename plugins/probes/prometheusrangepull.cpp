#include "prometheusrangepull.h"
#include "probeengine.h"
#include "pullclient.h"
#include "secretredaction.h"

#include "ingest/sink.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <optional>

namespace lundi {

namespace {

constexpr const char* QueryRangePath = "/api/v1/query_range";
// Longer URLs go as a form in a POST, which every server of this API takes too: proxies in front
// of them often refuse request lines over 8 KiB.
constexpr size_t MaxGetUrl = 8000;
constexpr qint64 NsPerSecond = 1'000'000'000;

// Exact decimal seconds, as the API reads them: "1732442400.5", "15".
std::string seconds(qint64 ns)
{
    const bool negative = ns < 0;
    const quint64 magnitude = negative ? 0 - quint64(ns) : quint64(ns);
    std::string text = (negative ? "-" : "") + std::to_string(magnitude / NsPerSecond);
    if (const quint64 fraction = magnitude % NsPerSecond) {
        std::string digits = std::to_string(fraction);
        digits.insert(0, 9 - digits.size(), '0');
        digits.erase(digits.find_last_not_of('0') + 1);
        text += '.' + digits;
    }
    return text;
}

// A sample's time as the API writes it, seconds with a fraction ("1435781451.781"), exactly.
std::optional<qint64> nanoseconds(std::string_view text)
{
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    qint64 secondsPart = 0;
    const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), secondsPart);
    if (error != std::errc() || end != whole.data() + whole.size() || whole.empty())
        return std::nullopt;
    qint64 fraction = 0;
    if (dot != std::string_view::npos) {
        const std::string_view digits = text.substr(dot + 1);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        for (size_t i = 0; i < 9; ++i)
            fraction = fraction * 10 + (i < digits.size() ? digits[i] - '0' : 0);
    }
    qint64 ns = 0;
    if (__builtin_mul_overflow(secondsPart, NsPerSecond, &ns) ||
        __builtin_add_overflow(ns, whole.starts_with('-') ? -fraction : fraction, &ns))
        return std::nullopt;
    return ns;
}

// "1", "0.25", "1e+06", "NaN", "+Inf", "-Inf", independent of the C locale.
std::optional<double> sampleValue(std::string_view text)
{
    if (text.starts_with('+'))
        text.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// The labels but __name__, as a JSON object with sorted keys.
QByteArray labelsJson(const rapidjson::Value& metric)
{
    std::map<std::string_view, std::string_view> labels;
    for (const auto& member : metric.GetObject()) {
        const std::string_view name(member.name.GetString(), member.name.GetStringLength());
        if (name != "__name__" && member.value.IsString())
            labels.emplace(name, std::string_view(member.value.GetString(), member.value.GetStringLength()));
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [name, value] : labels) {
        writer.Key(name.data(), rapidjson::SizeType(name.size()));
        writer.String(value.data(), rapidjson::SizeType(value.size()));
    }
    writer.EndObject();
    return QByteArray(buffer.GetString(), qsizetype(buffer.GetSize()));
}

QString text(const rapidjson::Value& value)
{
    return value.IsString() ? QString::fromUtf8(value.GetString(), qsizetype(value.GetStringLength()))
                            : QString();
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name)
{
    if (!object.IsObject())
        return nullptr;
    const auto found = object.FindMember(name);
    return found == object.MemberEnd() ? nullptr : &found->value;
}

} // namespace

std::vector<TimeRange> PrometheusRangePull::parts(qint64 startNs, qint64 endNs, qint64 stepNs)
{
    std::vector<TimeRange> parts;
    for (qint64 start = startNs; start <= endNs;) {
        // Steps left after start, counted without overflow for any step.
        if ((endNs - start) / stepNs < MaxPointsPerRequest) {
            parts.push_back({start, endNs});
            break;
        }
        const qint64 end = start + (MaxPointsPerRequest - 1) * stepNs;
        parts.push_back({start, end});
        start = end + stepNs;
    }
    return parts;
}

QString PrometheusRangePull::origin(const Query& query)
{
    const std::string url = PullClient::endpoint(query.url, QueryRangePath,
                                                 PullClient::query({{"query", query.promql},
                                                                    {"start", seconds(query.startNs)},
                                                                    {"end", seconds(query.endNs)},
                                                                    {"step", seconds(query.stepNs)}}));
    return QString::fromStdString(SecretRedaction::url(url));
}

PulledSource PrometheusRangePull::pull(const Query& query, const PullClient::Options& client)
{
    ProbeEngine engine;
    PullClient pullClient(engine, client);
    auto pulled = std::make_shared<const PrometheusRangePull>(pullClient, query);
    return {QStringLiteral("prometheus-pull"), origin(query), pulled->content(),
            [pulled](Sink& sink, ImportControl&) { pulled->write(sink); }};
}

PrometheusRangePull::PrometheusRangePull(PullClient& client, const Query& query) : m_query(query)
{
    for (const TimeRange& part : parts(query.startNs, query.endNs, query.stepNs)) {
        const std::string parameters = PullClient::query({{"query", query.promql},
                                                          {"start", seconds(part.startNs)},
                                                          {"end", seconds(part.endNs)},
                                                          {"step", seconds(query.stepNs)}});
        const std::string url = PullClient::endpoint(query.url, QueryRangePath, parameters);
        const HttpResult result = url.size() <= MaxGetUrl
                                      ? client.get(url, "application/json")
                                      : client.postForm(PullClient::endpoint(query.url, QueryRangePath),
                                                        parameters, "application/json");
        ++m_requests;
        rapidjson::Document document;
        // Numbers as their text: a time such as 1435781451.781 is read exactly, not through double.
        document.Parse<rapidjson::kParseNumbersAsStringsFlag>(result.body.data(), result.body.size());
        // The API answers its errors (400, 422, 503 ...) in its JSON too, with its own sentence.
        if (!document.HasParseError() && member(document, "status") && member(document, "status")->IsString())
            read(document, url);
        else if (result.status == 404)
            PullClient::fail(url,
                             QStringLiteral("there is no Prometheus query API here (status 404); give the "
                                            "server's URL with its path prefix, such as /prometheus"));
        else if (result.status < 200 || result.status > 299)
            PullClient::fail(url,
                             QStringLiteral("unexpected answer: %1").arg(PullClient::describeStatus(result)));
        else
            PullClient::fail(url, QStringLiteral("the answer is not the Prometheus query API's JSON"));
        m_content += QByteArray::fromStdString(result.body);
    }
    if (m_nativeHistograms)
        m_warnings.append(
            QStringLiteral("%1 series of the result hold native histograms, which Lundi does not "
                           "read; they were left out")
                .arg(m_nativeHistograms));
}

void PrometheusRangePull::read(const rapidjson::Value& document, const std::string& url)
{
    if (text(*member(document, "status")) != QLatin1String("success")) {
        const rapidjson::Value* type = member(document, "errorType");
        const rapidjson::Value* error = member(document, "error");
        PullClient::fail(url, QStringLiteral("the query was refused (%1): %2")
                                  .arg(type ? text(*type) : QStringLiteral("error"),
                                       error ? text(*error) : QStringLiteral("no reason given")));
    }
    if (const rapidjson::Value* warnings = member(document, "warnings"); warnings && warnings->IsArray()) {
        for (const auto& warning : warnings->GetArray()) {
            if (!m_warnings.contains(text(warning)))
                m_warnings.append(text(warning));
        }
    }
    const rapidjson::Value* data = member(document, "data");
    const rapidjson::Value* type = data ? member(*data, "resultType") : nullptr;
    const rapidjson::Value* result = data ? member(*data, "result") : nullptr;
    if (!type || !result || !result->IsArray())
        PullClient::fail(url, QStringLiteral("the answer has no data.resultType and data.result"));
    if (text(*type) != QLatin1String("matrix"))
        PullClient::fail(
            url,
            QStringLiteral("the answer is a %1, not the matrix that query_range returns").arg(text(*type)));
    const QString query = QString::fromStdString(m_query.promql);
    for (const auto& entry : result->GetArray()) {
        const rapidjson::Value* metric = member(entry, "metric");
        const rapidjson::Value* values = member(entry, "values");
        if (!values && member(entry, "histograms")) {
            ++m_nativeHistograms;
            continue;
        }
        if (!metric || !metric->IsObject() || !values || !values->IsArray())
            PullClient::fail(url, QStringLiteral("a series of the result has no metric or values"));
        const rapidjson::Value* name = member(*metric, "__name__");
        PulledSeries series{name ? text(*name) : query, labelsJson(*metric), {}};
        const std::string identity = series.name.toStdString() + '\0' + series.labelsJson.toStdString();
        const auto [found, isNew] = m_seriesByIdentity.try_emplace(identity, m_series.size());
        if (isNew)
            m_series.push_back(std::move(series));
        std::vector<Sample>& samples = m_series[found->second].samples;
        for (const auto& point : values->GetArray()) {
            std::optional<qint64> time;
            std::optional<double> value;
            if (point.IsArray() && point.Size() == 2 && point[0].IsString() && point[1].IsString()) {
                time = nanoseconds({point[0].GetString(), point[0].GetStringLength()});
                value = sampleValue({point[1].GetString(), point[1].GetStringLength()});
            }
            if (!time || !value)
                PullClient::fail(url, QStringLiteral("a value of the result is not [time, \"value\"]"));
            // Parts do not overlap, but a server may align a part's start to its step
            // (VictoriaMetrics does) and answer a time that the part before had.
            if (!samples.empty() && *time <= samples.back().timeNs)
                continue;
            samples.push_back({*time, *value});
            ++m_samples;
        }
    }
}

void PrometheusRangePull::write(Sink& sink) const
{
    for (const PulledSeries& pulled : m_series) {
        const SeriesId series = sink.addSeries({pulled.name, pulled.labelsJson, {}, 0});
        for (const Sample& sample : pulled.samples)
            sink.addSample(series, sample.timeNs, sample.value);
    }
    for (const QString& warning : m_warnings)
        sink.warn(warning);
    const QJsonObject metadata{{QStringLiteral("query"), QString::fromStdString(m_query.promql)},
                               {QStringLiteral("start"), QString::fromStdString(seconds(m_query.startNs))},
                               {QStringLiteral("end"), QString::fromStdString(seconds(m_query.endNs))},
                               {QStringLiteral("step"), QString::fromStdString(seconds(m_query.stepNs))},
                               {QStringLiteral("requests"), m_requests}};
    sink.setMetadata(QJsonDocument(metadata).toJson(QJsonDocument::Compact));
}

} // namespace lundi
