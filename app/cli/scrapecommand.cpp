#include "command.h"
#include "commands.h"

#include "classifier.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "probeengine.h"
#include "prometheusscrape.h"
#include "scheduleoptions.h"
#include "timeformat.h"

#include <QUrl>

#include <atomic>
#include <csignal>
#include <thread>

namespace lundi::cli {

namespace {

std::atomic<bool> interrupted{false};

} // namespace

int runScrape(const QStringList& arguments)
{
    Command command(
        QStringLiteral("scrape"),
        QStringLiteral("Scrape a Prometheus /metrics endpoint at an interval into an incident, as "
                       "one source whose series grow with each scrape; up and "
                       "scrape_duration_seconds record each scrape. Ctrl-C stops."));
    auto& parser = command.parser();
    parser.addPositionalArgument(QStringLiteral("URL"),
                                 QStringLiteral("The endpoint, e.g. http://host:9100/metrics."));
    addScheduleOptions(parser, QStringLiteral("15s"), QStringLiteral("scrapes"));
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Give up on one scrape after this long (default: the interval, at most "
                                     "10s)."),
                      QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("header"),
                      QStringLiteral("Send this header (repeatable); its value is never stored or printed."),
                      QStringLiteral("K:V")});
    parser.addOption({QStringLiteral("cacert"), QStringLiteral("Trust the certificates in this file."),
                      QStringLiteral("FILE")});
    command.parse(arguments);
    if (parser.positionalArguments().size() != 1)
        throw UsageError{QStringLiteral("scrape takes one URL")};
    const QUrl url(parser.positionalArguments().front(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        throw UsageError{QStringLiteral("scrape takes an http:// or https:// URL")};

    const ProbeScheduler::Options schedule = scheduleOptions(command);

    HttpRequest request;
    request.url = parser.positionalArguments().front().toStdString();
    request.headers = headerList(parser.values(QStringLiteral("header")));
    request.caFile = command.value("cacert").toStdString();
    request.timeout =
        command.isSet("timeout")
            ? timeoutValue(command)
            : std::max(std::chrono::milliseconds(1),
                       std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::min<std::chrono::nanoseconds>(schedule.interval, std::chrono::seconds(10))));

    const ImporterRegistry registry;
    const Importer* importer = registry.byFormat(QStringLiteral("prometheus"));
    if (!importer)
        throw ImportError(QStringLiteral("the prometheus importer is not installed"));
    const Classifier classifier = Classifier::standard();
    qint64 scrapes = 0;
    qint64 failed = 0;
    qint64 samples = 0;
    ProbeEngine engine;
    PrometheusScrape scrape(engine, *importer, command.db(), classifier, request, schedule,
                            [&](const PrometheusScrape::Result& result) {
                                ++scrapes;
                                samples += result.samples;
                                if (!result.error.isEmpty())
                                    ++failed;
                                out() << TimeFormat::utc(result.startNs) << ' '
                                      << (result.error.isEmpty()
                                              ? QStringLiteral("%1 samples, %2 new series, %3")
                                                    .arg(result.samples)
                                                    .arg(result.series)
                                                    .arg(TimeFormat::duration(result.durationNs))
                                              : QStringLiteral("FAIL %1").arg(result.error))
                                      << '\n';
                                out().flush();
                            });
    interrupted = false;
    const auto previous = std::signal(SIGINT, [](int) { interrupted = true; });
    scrape.start();
    // A flag polled here rather than work in the signal handler, where almost nothing is safe.
    while (!scrape.finished()) {
        if (interrupted)
            scrape.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    scrape.wait();
    std::signal(SIGINT, previous);
    if (const std::optional<QString> error = scrape.storeError()) {
        printError(*error);
        return ExitFailure;
    }
    out() << QStringLiteral("--- %1: %2 scrapes, %3 failed, %4 samples; recorded as source %5\n")
                 .arg(PrometheusScrape::origin(request), QString::number(scrapes), QString::number(failed),
                      QString::number(samples), QString::number(scrape.source()));
    out().flush();
    return failed ? ExitFailure : 0;
}

} // namespace lundi::cli
