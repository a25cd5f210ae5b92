#pragma once

#include "gpuprobe.h"
#include "httpexchange.h"
#include "tcpprobe.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace lundi {

// A probe as the probes panel keeps it: what to probe and how often. Only the part of its kind
// counts; the others keep their defaults.
struct ProbeDefinition
{
    // Scrape: a Prometheus /metrics endpoint, its request in http (a GET without a body).
    enum class Kind { Http, Tcp, Gpu, Scrape };

    Kind kind = Kind::Http;
    HttpRequest http;
    TcpRequest tcp;
    GpuProbe::Options gpu;
    std::chrono::milliseconds interval{1000};
    // Loaded from the saved probes, whose secrets (secret header values, a URL's password and
    // secret query parameters) were not saved: they must be typed again before it can run.
    bool secretsMissing = false;

    // The name of its track and of {target=...}: "GET https://host/path" with the URL's secrets
    // replaced, "host:port", "GPU (nvidia-smi)", a scrape's URL with its secrets replaced. Safe to
    // show.
    QString target() const;
    // "HTTP", "TCP", "GPU", "SCRAPE".
    QString kindName() const;
    // Http and Scrape: the request is http.
    bool overHttp() const { return kind == Kind::Http || kind == Kind::Scrape; }
    // The TLS verification is off (HTTPS only).
    bool insecure() const;
    // 15 s for a scrape, as Prometheus scrapes; 1 s for the others.
    static std::chrono::milliseconds defaultInterval(Kind kind);
    // The headers as shown: secret values replaced by "REDACTED".
    QString headersShown() const;

    // For the saved probes: every secret left out (see secretsMissing).
    QJsonObject toJson() const;
    static std::optional<ProbeDefinition> fromJson(const QJsonObject& json);

    // "host:port", "[::1]:port"; nullopt for anything else.
    static std::optional<TcpRequest> parseHostPort(const QString& text);
};

// The saved probes: a JSON file in the user's config folder (probes.json), never in an
// incident. Secrets are not saved at all.
namespace SavedProbes {
QString defaultPath();
QList<ProbeDefinition> load(const QString& path);
// Throws nothing: false when the file could not be written.
bool save(const QString& path, const QList<ProbeDefinition>& probes);
} // namespace SavedProbes

} // namespace lundi
