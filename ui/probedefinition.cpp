#include "probedefinition.h"

#include "httpprobe.h"
#include "prometheusscrape.h"
#include "secretredaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

namespace lundi {

namespace {

const QString KindNames[] = {QStringLiteral("http"), QStringLiteral("tcp"), QStringLiteral("gpu"),
                             QStringLiteral("scrape")};

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

} // namespace

QString ProbeDefinition::target() const
{
    switch (kind) {
    case Kind::Http:
        return HttpProbe::requestName(http);
    case Kind::Tcp:
        return tcp.host.find(':') != std::string::npos
                   ? QStringLiteral("[%1]:%2").arg(fromStd(tcp.host), fromStd(tcp.port))
                   : QStringLiteral("%1:%2").arg(fromStd(tcp.host), fromStd(tcp.port));
    case Kind::Gpu:
        return QStringLiteral("GPU (%1)").arg(QFileInfo(gpu.program).fileName());
    case Kind::Scrape:
        return PrometheusScrape::origin(http);
    }
    return {};
}

QString ProbeDefinition::kindName() const
{
    return KindNames[int(kind)].toUpper();
}

bool ProbeDefinition::insecure() const
{
    return overHttp() && !http.verifyTls;
}

std::chrono::milliseconds ProbeDefinition::defaultInterval(Kind kind)
{
    return kind == Kind::Scrape ? std::chrono::seconds(15) : std::chrono::seconds(1);
}

QString ProbeDefinition::headersShown() const
{
    QStringList shown;
    for (const auto& [name, value] : http.headers)
        shown.append(fromStd(name) + QStringLiteral(": ") +
                     fromStd(SecretRedaction::headerValue(name, value)));
    return shown.join(QStringLiteral("; "));
}

QJsonObject ProbeDefinition::toJson() const
{
    QJsonObject json{{QStringLiteral("kind"), KindNames[int(kind)]},
                     {QStringLiteral("interval_ms"), qint64(interval.count())}};
    bool left = false;
    switch (kind) {
    case Kind::Http:
    case Kind::Scrape: {
        const std::string url = SecretRedaction::url(http.url);
        left = left || url != http.url;
        QJsonArray headers;
        for (const auto& [name, value] : http.headers) {
            const bool secret = SecretRedaction::isSecretHeader(name);
            left = left || secret;
            headers.append(QJsonObject{{QStringLiteral("name"), fromStd(name)},
                                       {QStringLiteral("value"), secret ? QString() : fromStd(value)}});
        }
        QJsonArray expected;
        for (const int status : http.expectedStatus)
            expected.append(status);
        json.insert(QStringLiteral("http"),
                    QJsonObject{{QStringLiteral("method"), fromStd(http.method)},
                                {QStringLiteral("url"), fromStd(url)},
                                {QStringLiteral("headers"), headers},
                                {QStringLiteral("body"), fromStd(http.body)},
                                {QStringLiteral("expected_status"), expected},
                                {QStringLiteral("timeout_ms"), qint64(http.timeout.count())},
                                {QStringLiteral("follow_redirects"), http.followRedirects},
                                {QStringLiteral("http2"), http.version == HttpRequest::Version::Http2},
                                {QStringLiteral("verify_tls"), http.verifyTls},
                                {QStringLiteral("ca_file"), fromStd(http.caFile)}});
        break;
    }
    case Kind::Tcp:
        json.insert(QStringLiteral("tcp"),
                    QJsonObject{{QStringLiteral("host"), fromStd(tcp.host)},
                                {QStringLiteral("port"), fromStd(tcp.port)},
                                {QStringLiteral("timeout_ms"), qint64(tcp.timeout.count())}});
        break;
    case Kind::Gpu:
        json.insert(QStringLiteral("gpu"),
                    QJsonObject{{QStringLiteral("program"), gpu.program},
                                {QStringLiteral("fields"), QJsonArray::fromStringList(gpu.fields)}});
        break;
    }
    if (left || secretsMissing)
        json.insert(QStringLiteral("secrets_left_out"), true);
    return json;
}

std::optional<ProbeDefinition> ProbeDefinition::fromJson(const QJsonObject& json)
{
    ProbeDefinition probe;
    const auto kind =
        std::find(std::begin(KindNames), std::end(KindNames), json.value(QStringLiteral("kind")).toString());
    if (kind == std::end(KindNames))
        return std::nullopt;
    probe.kind = Kind(kind - std::begin(KindNames));
    probe.interval = std::chrono::milliseconds(
        std::max<qint64>(1, json.value(QStringLiteral("interval_ms")).toInteger(probe.interval.count())));
    probe.secretsMissing = json.value(QStringLiteral("secrets_left_out")).toBool();
    const QJsonObject http = json.value(QStringLiteral("http")).toObject();
    probe.http.method = http.value(QStringLiteral("method")).toString(QStringLiteral("GET")).toStdString();
    probe.http.url = http.value(QStringLiteral("url")).toString().toStdString();
    for (const QJsonValue& header : http.value(QStringLiteral("headers")).toArray()) {
        probe.http.headers.emplace_back(header[QStringLiteral("name")].toString().toStdString(),
                                        header[QStringLiteral("value")].toString().toStdString());
    }
    probe.http.body = http.value(QStringLiteral("body")).toString().toStdString();
    for (const QJsonValue& status : http.value(QStringLiteral("expected_status")).toArray())
        probe.http.expectedStatus.push_back(status.toInt());
    probe.http.timeout = std::chrono::milliseconds(
        http.value(QStringLiteral("timeout_ms")).toInteger(probe.http.timeout.count()));
    probe.http.followRedirects = http.value(QStringLiteral("follow_redirects")).toBool();
    probe.http.version = http.value(QStringLiteral("http2")).toBool() ? HttpRequest::Version::Http2
                                                                      : HttpRequest::Version::Http1_1;
    probe.http.verifyTls = http.value(QStringLiteral("verify_tls")).toBool(true);
    probe.http.caFile = http.value(QStringLiteral("ca_file")).toString().toStdString();
    const QJsonObject tcp = json.value(QStringLiteral("tcp")).toObject();
    probe.tcp.host = tcp.value(QStringLiteral("host")).toString().toStdString();
    probe.tcp.port = tcp.value(QStringLiteral("port")).toString().toStdString();
    probe.tcp.timeout = std::chrono::milliseconds(
        tcp.value(QStringLiteral("timeout_ms")).toInteger(probe.tcp.timeout.count()));
    const QJsonObject gpu = json.value(QStringLiteral("gpu")).toObject();
    probe.gpu.program = gpu.value(QStringLiteral("program")).toString(probe.gpu.program);
    if (gpu.contains(QStringLiteral("fields"))) {
        probe.gpu.fields.clear();
        for (const QJsonValue& field : gpu.value(QStringLiteral("fields")).toArray())
            probe.gpu.fields.append(field.toString());
    }
    return probe;
}

std::optional<TcpRequest> ProbeDefinition::parseHostPort(const QString& text)
{
    static const QRegularExpression HostPort(
        QStringLiteral("^(?:\\[([^\\]]+)\\]|([^:\\[\\]]+)):([A-Za-z0-9-]+)$"));
    const QRegularExpressionMatch match = HostPort.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    TcpRequest request;
    request.host = (match.hasCaptured(1) ? match.captured(1) : match.captured(2)).toStdString();
    request.port = match.captured(3).toStdString();
    return request;
}

namespace SavedProbes {

QString defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("probes.json"));
}

QList<ProbeDefinition> load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<ProbeDefinition> probes;
    for (const QJsonValue& value : QJsonDocument::fromJson(file.readAll()).array()) {
        if (const std::optional<ProbeDefinition> probe = ProbeDefinition::fromJson(value.toObject()))
            probes.append(*probe);
    }
    return probes;
}

bool save(const QString& path, const QList<ProbeDefinition>& probes)
{
    QJsonArray array;
    for (const ProbeDefinition& probe : probes)
        array.append(probe.toJson());
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(array).toJson()) >= 0 && file.commit();
}

} // namespace SavedProbes

} // namespace lundi
