#include "proberecorder.h"
#include "httpprobe.h"
#include "secretredaction.h"
#include "store/storeerror.h"
#include "tcpprobe.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>

namespace lundi {

namespace {

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

double seconds(qint64 ns)
{
    return double(ns) / 1e9;
}

// A trace id per result, unique within the process and across runs (the time leads).
std::string traceIdFor(qint64 startNs)
{
    static std::atomic<quint64> counter{0};
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(startNs),
                  static_cast<unsigned long long>(++counter));
    return text;
}

// A phase's attributes: the server's time (processing) is classified as the server's, the rest
// (resolve, connect, tls, transfer) as the network's.
QByteArray phaseAttributes(const char* phase)
{
    const bool server = std::string_view(phase) == "processing";
    return compact(
        {{QStringLiteral("probe.phase"), QString::fromLatin1(phase)},
         {QStringLiteral("span.kind"), server ? QStringLiteral("server") : QStringLiteral("client")}});
}

} // namespace

// A target's track and series, created by the first result that needs them.
struct ProbeRecorder::Target
{
    QString name;
    TrackId track = 0;
    std::unordered_map<QString, SeriesId> series; // by name and the labels beyond target

    SeriesId seriesOf(Sink& sink, const QString& metric, const QString& unit, const QJsonObject& labels = {})
    {
        QJsonObject all = labels;
        all.insert(QStringLiteral("target"), name);
        const QByteArray labelsJson = compact(all);
        const QString key = metric + QString::fromUtf8(labelsJson);
        if (const auto it = series.find(key); it != series.end())
            return it->second;
        const SeriesId id = sink.addSeries({metric, labelsJson, unit, track});
        series.emplace(key, id);
        return id;
    }
};

ProbeRecorder::ProbeRecorder(const QString& incidentPath, const QString& format, const QString& origin,
                             const Classifier& classifier, std::chrono::milliseconds batchInterval)
    : m_live(incidentPath, {format, SecretRedaction::url(origin), 0, 0}, classifier),
      m_source(m_live.source()), m_batchInterval(batchInterval), m_thread(&ProbeRecorder::run, this)
{
}

ProbeRecorder::~ProbeRecorder()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void ProbeRecorder::enqueue(const QString& target, Entry entry)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.emplace_back(target, std::move(entry));
        ++m_queued;
    }
    m_changed.notify_all();
}

void ProbeRecorder::flush()
{
    std::unique_lock lock(m_mutex);
    const qint64 wanted = m_queued;
    m_flushing = true;
    m_changed.notify_all();
    m_changed.wait(lock, [&] { return m_handled >= wanted; });
    m_flushing = false;
}

std::optional<QString> ProbeRecorder::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

qint64 ProbeRecorder::recorded() const
{
    std::lock_guard lock(m_mutex);
    return m_recorded;
}

ProbeRecorder::Target& ProbeRecorder::target(Sink& sink, const QString& name)
{
    std::unique_ptr<Target>& target = m_targets[name];
    if (!target) {
        target = std::make_unique<Target>();
        target->name = name;
        target->track =
            sink.addTrack({TrackKind::Probe, name, m_live.spec().format, QString(), int(m_targets.size())});
    }
    return *target;
}

void ProbeRecorder::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [this] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, with nothing left
        // Gather what comes in the next moment too: one commit for a batch of results.
        m_changed.wait_for(lock, m_batchInterval, [this] { return m_stop || m_flushing; });
        std::deque<std::pair<QString, Entry>> batch;
        batch.swap(m_queue);
        const bool failed = m_error.has_value();
        lock.unlock();
        std::optional<QString> error;
        bool busy = false;
        if (!failed) {
            try {
                m_live.write([&](Sink& sink) {
                    for (auto& [name, entry] : batch)
                        entry(sink, target(sink, name));
                });
            } catch (const StoreError& storeError) {
                // Busy: another writer (an import in the GUI) held the file past SQLite's busy
                // timeout, before anything was written (BEGIN failed); the batch waits for its turn.
                busy = storeError.isBusy();
                if (!busy)
                    error = storeError.sentence();
            }
        }
        lock.lock();
        if (busy) {
            m_queue.insert(m_queue.begin(), std::make_move_iterator(batch.begin()),
                           std::make_move_iterator(batch.end()));
            continue;
        }
        if (error && !m_error)
            m_error = error;
        if (!failed && !error)
            m_recorded += qint64(batch.size());
        m_handled += qint64(batch.size());
        m_changed.notify_all();
    }
}

void ProbeRecorder::record(const QString& target, const HttpRequest& request, const HttpResult& result)
{
    const QString name = HttpProbe::requestName(request);
    const QString url = SecretRedaction::url(QString::fromStdString(request.url));
    const QString method = QString::fromStdString(request.method);
    enqueue(target, [name, url, method, result](Sink& sink, Target& target) {
        QJsonObject attributes{{QStringLiteral("probe.target"), target.name},
                               {QStringLiteral("http.request.method"), method},
                               {QStringLiteral("url.full"), url},
                               {QStringLiteral("probe.success"), result.ok}};
        if (result.status)
            attributes.insert(QStringLiteral("http.response.status_code"), result.status);
        if (!result.httpVersion.empty())
            attributes.insert(QStringLiteral("network.protocol.version"),
                              QString::fromStdString(result.httpVersion));
        if (!result.tlsVersion.empty())
            attributes.insert(QStringLiteral("tls.protocol.version"),
                              QString::fromStdString(result.tlsVersion));
        if (result.errorClass != ProbeErrorClass::None)
            attributes.insert(QStringLiteral("probe.error_class"),
                              QString::fromLatin1(probeErrorClassName(result.errorClass)));
        if (!result.error.empty())
            attributes.insert(QStringLiteral("probe.error"), QString::fromStdString(result.error));
        attributes.insert(QStringLiteral("http.response.body.size"), result.bodyBytes);
        const QByteArray attributesJson = compact(attributes);
        const std::string traceId = traceIdFor(result.startNs);
        SpanSpec root;
        root.track = target.track;
        root.name = sink.intern(name.toStdString());
        root.startNs = result.startNs;
        root.durNs = result.totalNs;
        root.status = result.ok ? SpanStatus::Ok : SpanStatus::Error;
        root.kind = SpanKind::Client;
        root.traceId = traceId;
        root.attributesJson = std::string_view(attributesJson.constData(), size_t(attributesJson.size()));
        const SpanId rootId = sink.addSpan(root);
        const HttpPhases& p = result.phases;
        const std::pair<const char*, qint64> phases[] = {{"resolve", p.resolveNs},
                                                         {"connect", p.connectNs},
                                                         {"tls", p.tlsNs},
                                                         {"processing", p.processingNs},
                                                         {"transfer", p.transferNs}};
        // End to end, ending with the request (a redirect's earlier requests come before them).
        qint64 phaseSum = 0;
        for (const auto& [phase, ns] : phases)
            phaseSum += ns;
        qint64 at = result.startNs + std::max<qint64>(0, result.totalNs - phaseSum);
        for (const auto& [phase, ns] : phases) {
            if (ns <= 0)
                continue;
            SpanSpec child;
            child.track = target.track;
            child.parent = rootId;
            child.name = sink.intern(phase);
            child.startNs = at;
            child.durNs = ns;
            child.kind = SpanKind::Internal;
            child.traceId = traceId;
            const QByteArray attributes = phaseAttributes(phase);
            child.attributesJson = std::string_view(attributes.constData(), size_t(attributes.size()));
            sink.addSpan(child);
            at += ns;
        }
        const qint64 t = result.startNs;
        const QString secondsUnit = QStringLiteral("seconds");
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_success"), QString()), t,
                       result.ok ? 1 : 0);
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_duration_seconds"), secondsUnit), t,
                       seconds(result.totalNs));
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_http_status_code"), QString()), t,
                       result.status);
        for (const auto& [phase, ns] : phases)
            sink.addSample(target.seriesOf(sink, QStringLiteral("probe_http_duration_seconds"), secondsUnit,
                                           {{QStringLiteral("phase"), QString::fromLatin1(phase)}}),
                           t, seconds(ns));
        if (!result.tlsVersion.empty())
            sink.addSample(
                target.seriesOf(sink, QStringLiteral("probe_tls_version_info"), QString(),
                                {{QStringLiteral("version"), QString::fromStdString(result.tlsVersion)}}),
                t, 1);
        if (result.certificateExpiryNs)
            sink.addSample(
                target.seriesOf(sink, QStringLiteral("probe_ssl_earliest_cert_expiry"), secondsUnit), t,
                seconds(*result.certificateExpiryNs));
    });
}

void ProbeRecorder::record(const QString& target, const TcpResult& result)
{
    enqueue(target, [result](Sink& sink, Target& target) {
        QJsonObject attributes{{QStringLiteral("probe.target"), target.name},
                               {QStringLiteral("probe.success"), result.ok}};
        if (!result.address.empty())
            attributes.insert(QStringLiteral("network.peer.address"), QString::fromStdString(result.address));
        if (result.errorClass != ProbeErrorClass::None)
            attributes.insert(QStringLiteral("probe.error_class"),
                              QString::fromLatin1(probeErrorClassName(result.errorClass)));
        if (!result.error.empty())
            attributes.insert(QStringLiteral("probe.error"), QString::fromStdString(result.error));
        const QByteArray attributesJson = compact(attributes);
        const std::string traceId = traceIdFor(result.startNs);
        SpanSpec root;
        root.track = target.track;
        root.name = sink.intern("connect " + target.name.toStdString());
        root.startNs = result.startNs;
        root.durNs = result.totalNs;
        root.status = result.ok ? SpanStatus::Ok : SpanStatus::Error;
        root.kind = SpanKind::Client;
        root.traceId = traceId;
        root.attributesJson = std::string_view(attributesJson.constData(), size_t(attributesJson.size()));
        const SpanId rootId = sink.addSpan(root);
        qint64 at = result.startNs;
        for (const auto& [phase, ns] :
             {std::pair{"resolve", result.resolveNs}, {"connect", result.connectNs}}) {
            if (ns <= 0)
                continue;
            SpanSpec child;
            child.track = target.track;
            child.parent = rootId;
            child.name = sink.intern(phase);
            child.startNs = at;
            child.durNs = ns;
            child.kind = SpanKind::Internal;
            child.traceId = traceId;
            const QByteArray attributes = phaseAttributes(phase);
            child.attributesJson = std::string_view(attributes.constData(), size_t(attributes.size()));
            sink.addSpan(child);
            at += ns;
        }
        const qint64 t = result.startNs;
        const QString secondsUnit = QStringLiteral("seconds");
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_success"), QString()), t,
                       result.ok ? 1 : 0);
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_duration_seconds"), secondsUnit), t,
                       seconds(result.totalNs));
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_dns_lookup_time_seconds"), secondsUnit), t,
                       seconds(result.resolveNs));
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_connect_time_seconds"), secondsUnit), t,
                       seconds(result.connectNs));
    });
}

} // namespace lundi
