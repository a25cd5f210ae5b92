#include "prometheusscrape.h"
#include "probeengine.h"
#include "pullclient.h"
#include "secretredaction.h"

#include "ingest/importcontrol.h"
#include "ingest/importer.h"
#include "ingest/importerror.h"
#include "ingest/inputfile.h"
#include "store/storeerror.h"
#include "timeformat.h"

#include <boost/asio/post.hpp>

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace lundi {

namespace {

// What Prometheus itself asks for: OpenMetrics first (it carries exemplars and units).
constexpr const char* ScrapeAccept =
    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

bool hasHeader(const HttpRequest& request, std::string_view name)
{
    return std::any_of(request.headers.begin(), request.headers.end(), [name](const auto& header) {
        return std::equal(header.first.begin(), header.first.end(), name.begin(), name.end(),
                          [](char a, char b) { return std::tolower(uchar(a)) == std::tolower(uchar(b)); });
    });
}

} // namespace

QString PrometheusScrape::origin(const HttpRequest& request)
{
    return QString::fromStdString(SecretRedaction::url(request.url));
}

PrometheusScrape::PrometheusScrape(ProbeEngine& engine, const Importer& importer, const QString& incidentPath,
                                   const Classifier& classifier, HttpRequest request,
                                   ProbeScheduler::Options schedule, ResultHandler onResult)
    : m_engine(engine), m_importer(importer), m_request(std::move(request)), m_target(origin(m_request)),
      m_onResult(std::move(onResult)),
      m_live(incidentPath, {QStringLiteral("prometheus-scrape"), m_target, 0, 0}, classifier)
{
    m_request.keepBody = true;
    if (!hasHeader(m_request, "Accept"))
        m_request.headers.emplace_back("Accept", ScrapeAccept);
    m_writer = std::thread([this] { writer(); });
    m_scheduler =
        std::make_unique<ProbeScheduler>(engine, std::move(schedule), [this](std::function<void()> done) {
            m_engine.fetch(m_request, [this, done = std::move(done)](HttpResult result) {
                const std::lock_guard lock(m_mutex);
                m_pending = std::move(result);
                m_pendingDone = done;
                m_changed.notify_all();
            });
        });
}

PrometheusScrape::~PrometheusScrape()
{
    // The scrape in flight needs the writer, which may stop the scheduler: wait while both live.
    m_scheduler->stop();
    m_scheduler->wait();
    m_scheduler.reset();
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
        m_changed.notify_all();
    }
    m_writer.join();
}

void PrometheusScrape::start()
{
    m_scheduler->start();
}

void PrometheusScrape::stop()
{
    m_scheduler->stop();
}

void PrometheusScrape::wait()
{
    m_scheduler->wait();
}

std::optional<QString> PrometheusScrape::storeError() const
{
    const std::lock_guard lock(m_mutex);
    return m_storeError;
}

void PrometheusScrape::writer()
{
    for (;;) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_pending || m_stop; });
        if (!m_pending)
            return;
        const HttpResult result = std::move(*m_pending);
        m_pending.reset();
        const std::function<void()> done = std::move(m_pendingDone);
        lock.unlock();
        record(result);
        boost::asio::post(m_engine.context(), done);
    }
}

void PrometheusScrape::record(const HttpResult& result)
{
    Result scrape{result.startNs, result.totalNs, result.status, 0, 0, {}};
    if (result.errorClass == ProbeErrorClass::HttpStatus)
        scrape.error = PullClient::describeStatus(result);
    else if (!result.ok)
        scrape.error = QString::fromStdString(result.error);
    const QJsonObject labels{{QStringLiteral("target"), m_target}};
    const QByteArray labelsJson = QJsonDocument(labels).toJson(QJsonDocument::Compact);
    const auto writeHealth = [&](bool up) {
        m_sink.addSample(m_sink.addSeries({QStringLiteral("up"), labelsJson, {}, 0}), result.startNs,
                         up ? 1 : 0);
        m_sink.addSample(m_sink.addSeries({QStringLiteral("scrape_duration_seconds"), labelsJson,
                                           QStringLiteral("seconds"), 0}),
                         result.startNs, double(result.totalNs) / 1e9);
    };
    const IncidentCounts before = m_live.counts();
    try {
        if (scrape.error.isEmpty()) {
            try {
                m_live.write([&](Sink& sink) {
                    m_sink.begin(sink);
                    const InputFile input(QStringLiteral("metrics"), QByteArray::fromStdString(result.body));
                    ImportControl control;
                    control.setUndatedTime(result.startNs, QStringLiteral("the scrape's start"));
                    m_importer.import(input, m_sink, control);
                    writeHealth(true);
                });
                m_sink.commit();
                scrape.samples = m_live.counts().samples - before.samples - 2;
            } catch (const ImportError& error) {
                m_sink.rollback();
                scrape.error = error.problem();
            }
        }
        if (!scrape.error.isEmpty()) {
            m_live.write([&](Sink& sink) {
                m_sink.begin(sink);
                writeHealth(false);
                m_sink.warn(QStringLiteral("The scrape at %1 failed: %2")
                                .arg(TimeFormat::utc(result.startNs), scrape.error));
            });
            m_sink.commit();
        }
    } catch (const StoreError& error) {
        m_sink.rollback();
        {
            const std::lock_guard lock(m_mutex);
            m_storeError = error.sentence();
        }
        m_scheduler->stop();
        scrape.error = error.sentence();
    }
    scrape.series = m_live.counts().series - before.series;
    if (m_onResult)
        m_onResult(scrape);
}

} // namespace lundi
