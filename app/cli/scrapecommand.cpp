#include "command.h"
#include "commands.h"

#include "classifier.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "probeengine.h"
#include "prometheusscrape.h"
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
    parser.addOption({QStringLiteral("every"), QStringLiteral("Scrape at this interval (default 15s)."),
                      QStringLiteral("DURATION"), QStringLiteral("15s")});
    parser.addOption({QStringLiteral("count"), QStringLiteral("Stop after N scrapes."), QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("for"), QStringLiteral("Stop after this long."), QStringLiteral("DURATION")});
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

    ProbeScheduler::Options schedule;
    schedule.interval = std::chrono::nanoseconds(command.durationValue("every"));
    if (schedule.interval.count() <= 0)
        throw UsageError{QStringLiteral("--every takes a duration above zero, such as 15s")};
    if (command.isSet("count") && command.isSet("for"))
        throw UsageError{QStringLiteral("--count and --for exclude each other")};
    if (command.isSet("count")) {
        bool ok = false;
        schedule.count = command.value("count").toLongLong(&ok);
        if (!ok || *schedule.count < 1)
            throw UsageError{QStringLiteral("--count takes a whole number above zero")};
    }
    if (command.isSet("for")) {
        schedule.until = std::chrono::nanoseconds(command.durationValue("for"));
        if (schedule.until->count() <= 0)
            throw UsageError{QStringLiteral("--for takes a duration above zero, such as 60s")};
    }
    schedule.jitter = std::chrono::nanoseconds(0); // a command line starts at once

    HttpRequest request;
    request.url = parser.positionalArguments().front().toStdString();
    request.headers = headerList(parser.values(QStringLiteral("header")));
    request.caFile = command.value("cacert").toStdString();
    const qint64 timeoutNs = command.isSet("timeout")
                                 ? command.durationValue("timeout")
                                 : std::min<qint64>(schedule.interval.count(), 10'000'000'000);
    if (timeoutNs < 1'000'000)
        throw UsageError{QStringLiteral("--timeout takes a duration of at least 1ms, such as 10s")};
    request.timeout = std::chrono::milliseconds(timeoutNs / 1'000'000);

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
                 .arg(PrometheusScrape::origin(request))
                 .arg(scrapes)
                 .arg(failed)
                 .arg(samples)
                 .arg(scrape.source());
    out().flush();
    return failed ? ExitFailure : 0;
}

} // namespace lundi::cli
