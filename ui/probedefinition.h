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
    enum class Kind { Http, Tcp, Gpu };

    Kind kind = Kind::Http;
    HttpRequest http;
    TcpRequest tcp;
    GpuProbe::Options gpu;
    std::chrono::milliseconds interval{1000};
    // Loaded from the saved probes, whose secrets (secret header values, a URL's password and
    // secret query parameters) were not saved: they must be typed again before it can run.
    bool secretsMissing = false;

    // The name of its track and of {target=...}: "GET https://host/path" with the URL's secrets
    // replaced, "host:port", "GPU (nvidia-smi)". Safe to show.
    QString target() const;
    // "HTTP", "TCP", "GPU".
    QString kindName() const;
    // The TLS verification is off (HTTPS only).
    bool insecure() const;
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
