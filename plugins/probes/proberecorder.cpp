#include "proberecorder.h"
#include "httpprobe.h"
#include "secretredaction.h"
#include "store/storeerror.h"
#include "tcpprobe.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <span>

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

const QString SecondsUnit = QStringLiteral("seconds");

using Phase = std::pair<const char*, qint64>;

// What a result of any kind says about itself.
struct Outcome
{
    qint64 startNs;
    qint64 totalNs;
    bool ok;
    ProbeErrorClass errorClass;
    const std::string& error;
};

} // namespace

// A target's track and series, created by the first result that needs them.
struct ProbeRecorder::Target
{
    QString name;
    TrackId track = 0;
    std::unordered_map<QString, SeriesId> series; // by name and the labels beyond target

    // What every kind of result records alike: the root span named name with the phases end to
    // end as its children, ending with it (a redirect's earlier requests come before them), and
    // probe_success and probe_duration_seconds.
    void addResult(Sink& sink, const QString& spanName, const Outcome& outcome, QJsonObject attributes,
                   std::span<const Phase> phases)
    {
        attributes.insert(QStringLiteral("probe.target"), name);
        attributes.insert(QStringLiteral("probe.success"), outcome.ok);
        if (outcome.errorClass != ProbeErrorClass::None)
            attributes.insert(QStringLiteral("probe.error_class"),
                              QString::fromLatin1(probeErrorClassName(outcome.errorClass)));
        if (!outcome.error.empty())
            attributes.insert(QStringLiteral("probe.error"), QString::fromStdString(outcome.error));
        const QByteArray attributesJson = compact(attributes);
        const std::string traceId = traceIdFor(outcome.startNs);
        SpanSpec root;
        root.track = track;
        root.name = sink.intern(spanName.toStdString());
        root.startNs = outcome.startNs;
        root.durNs = outcome.totalNs;
        root.status = outcome.ok ? SpanStatus::Ok : SpanStatus::Error;
        root.kind = SpanKind::Client;
        root.traceId = traceId;
        root.attributesJson = std::string_view(attributesJson.constData(), size_t(attributesJson.size()));
        const SpanId rootId = sink.addSpan(root);
        qint64 phaseSum = 0;
        for (const auto& [phase, ns] : phases)
            phaseSum += ns;
        qint64 at = outcome.startNs + std::max<qint64>(0, outcome.totalNs - phaseSum);
        for (const auto& [phase, ns] : phases) {
            if (ns <= 0)
                continue;
            SpanSpec child;
            child.track = track;
            child.parent = rootId;
            child.name = sink.intern(phase);
            child.startNs = at;
            child.durNs = ns;
            child.kind = SpanKind::Internal;
            child.traceId = traceId;
            const QByteArray childAttributes = phaseAttributes(phase);
            child.attributesJson =
                std::string_view(childAttributes.constData(), size_t(childAttributes.size()));
            sink.addSpan(child);
            at += ns;
        }
        sink.addSample(seriesOf(sink, QStringLiteral("probe_success"), QString()), outcome.startNs,
                       outcome.ok ? 1 : 0);
        sink.addSample(seriesOf(sink, QStringLiteral("probe_duration_seconds"), SecondsUnit), outcome.startNs,
                       seconds(outcome.totalNs));
    }

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
        QJsonObject attributes{{QStringLiteral("http.request.method"), method},
                               {QStringLiteral("url.full"), url},
                               {QStringLiteral("http.response.body.size"), result.bodyBytes}};
        if (result.status)
            attributes.insert(QStringLiteral("http.response.status_code"), result.status);
        if (!result.httpVersion.empty())
            attributes.insert(QStringLiteral("network.protocol.version"),
                              QString::fromStdString(result.httpVersion));
        if (!result.tlsVersion.empty())
            attributes.insert(QStringLiteral("tls.protocol.version"),
                              QString::fromStdString(result.tlsVersion));
        const HttpPhases& p = result.phases;
        const Phase phases[] = {{"resolve", p.resolveNs},
                                {"connect", p.connectNs},
                                {"tls", p.tlsNs},
                                {"processing", p.processingNs},
                                {"transfer", p.transferNs}};
        target.addResult(sink, name,
                         {result.startNs, result.totalNs, result.ok, result.errorClass, result.error},
                         attributes, phases);
        const qint64 t = result.startNs;
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_http_status_code"), QString()), t,
                       result.status);
        for (const auto& [phase, ns] : phases)
            sink.addSample(target.seriesOf(sink, QStringLiteral("probe_http_duration_seconds"), SecondsUnit,
                                           {{QStringLiteral("phase"), QString::fromLatin1(phase)}}),
                           t, seconds(ns));
        if (!result.tlsVersion.empty())
            sink.addSample(
                target.seriesOf(sink, QStringLiteral("probe_tls_version_info"), QString(),
                                {{QStringLiteral("version"), QString::fromStdString(result.tlsVersion)}}),
                t, 1);
        if (result.certificateExpiryNs)
            sink.addSample(
                target.seriesOf(sink, QStringLiteral("probe_ssl_earliest_cert_expiry"), SecondsUnit), t,
                seconds(*result.certificateExpiryNs));
    });
}

void ProbeRecorder::record(const QString& target, const TcpResult& result)
{
    enqueue(target, [result](Sink& sink, Target& target) {
        QJsonObject attributes;
        if (!result.address.empty())
            attributes.insert(QStringLiteral("network.peer.address"), QString::fromStdString(result.address));
        const Phase phases[] = {{"resolve", result.resolveNs}, {"connect", result.connectNs}};
        target.addResult(sink, QStringLiteral("connect ") + target.name,
                         {result.startNs, result.totalNs, result.ok, result.errorClass, result.error},
                         attributes, phases);
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_dns_lookup_time_seconds"), SecondsUnit),
                       result.startNs, seconds(result.resolveNs));
        sink.addSample(target.seriesOf(sink, QStringLiteral("probe_connect_time_seconds"), SecondsUnit),
                       result.startNs, seconds(result.connectNs));
    });
}

} // namespace lundi
