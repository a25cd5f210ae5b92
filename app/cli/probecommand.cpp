#include "command.h"
#include "commands.h"

#include "classifier.h"
#include "gpuprobe.h"
#include "httpprobe.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "ingest/livesource.h"
#include "probeengine.h"
#include "proberecorder.h"
#include "scheduleoptions.h"
#include "secretredaction.h"
#include "tcpprobe.h"
#include "timeformat.h"

#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <map>

namespace lundi::cli {

namespace {

// The options every probe kind shares: the schedule, the timeout and the output.
void addProbeOptions(QCommandLineParser& parser)
{
    addScheduleOptions(parser, QStringLiteral("1s"), QStringLiteral("probes"));
    parser.addOption({QStringLiteral("timeout"),
                      QStringLiteral("Give up on one probe after this long (default 10s)."),
                      QStringLiteral("DURATION"), QStringLiteral("10s")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print each result as one line of JSON.")});
}

// What every kind of result shows alike, for the summary.
struct Outcome
{
    bool ok = false;
    qint64 totalNs = 0;
    ProbeErrorClass errorClass = ProbeErrorClass::None;
};

QJsonValue nullIfEmpty(const std::string& text)
{
    return text.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(text));
}

QJsonValue errorClassJson(ProbeErrorClass errorClass)
{
    return errorClass == ProbeErrorClass::None
               ? QJsonValue()
               : QJsonValue(QString::fromLatin1(probeErrorClassName(errorClass)));
}

void printLine(const QJsonObject& object)
{
    out() << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
    out().flush();
}

QString failureText(ProbeErrorClass errorClass, const std::string& error)
{
    return QStringLiteral("FAIL %1: %2")
        .arg(errorClass == ProbeErrorClass::None ? QStringLiteral("error")
                                                 : QString::fromLatin1(probeErrorClassName(errorClass)),
             QString::fromStdString(error));
}

// Runs a probe (HttpProbe, TcpProbe) until its schedule ends or Ctrl-C stops it; then the summary.
template <typename Probe>
int runUntilDone(Probe& probe, const std::vector<Outcome>& outcomes, ProbeRecorder& recorder, bool json)
{
    probe.start();
    waitInterruptibly([&] { return probe.scheduler().finished(); }, [&] { probe.stop(); });
    probe.wait();
    const QString& target = probe.target();
    recorder.flush();
    if (const std::optional<QString> error = recorder.error()) {
        printError(*error);
        return ExitFailure;
    }
    const qint64 failed =
        std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return !o.ok; });
    if (!json) {
        std::vector<qint64> totals;
        std::map<QString, int> classes;
        for (const Outcome& outcome : outcomes) {
            totals.push_back(outcome.totalNs);
            if (!outcome.ok)
                ++classes[outcome.errorClass == ProbeErrorClass::None
                              ? QStringLiteral("error")
                              : QString::fromLatin1(probeErrorClassName(outcome.errorClass))];
        }
        std::sort(totals.begin(), totals.end());
        const auto at = [&](double q) { return totals[size_t(q * double(totals.size() - 1) + 0.5)]; };
        out() << QStringLiteral("--- %1: %2 probes, %3 ok, %4 failed")
                     .arg(target)
                     .arg(outcomes.size())
                     .arg(qint64(outcomes.size()) - failed)
                     .arg(failed);
        for (const auto& [errorClass, count] : classes)
            out() << QStringLiteral(", %1 %2").arg(count).arg(errorClass);
        if (!totals.empty())
            out() << QStringLiteral("; time min %1, p50 %2, p99 %3, max %4")
                         .arg(TimeFormat::duration(totals.front()), TimeFormat::duration(at(0.5)),
                              TimeFormat::duration(at(0.99)), TimeFormat::duration(totals.back()));
        out() << QStringLiteral("; recorded as source %1").arg(recorder.source());
        out() << '\n';
        out().flush();
    }
    return failed ? ExitFailure : 0;
}

const Classifier& classifier()
{
    static const Classifier standard = Classifier::standard();
    return standard;
}

int runProbeHttp(const QStringList& arguments)
{
    Command command(QStringLiteral("probe http"),
                    QStringLiteral("Probes an HTTP(S) endpoint at an interval: where each request's time "
                                   "goes (resolve, connect, tls, processing, transfer), recorded in the "
                                   "incident (--db) as one live source."));
    auto& parser = command.parser();
    parser.addPositionalArgument(QStringLiteral("URL"),
                                 QStringLiteral("What to probe (http:// or https://)."));
    addProbeOptions(parser);
    parser.addOption({QStringLiteral("header"),
                      QStringLiteral("Send this header (repeatable); its value is never "
                                     "stored or printed."),
                      QStringLiteral("K:V")});
    parser.addOption({QStringLiteral("method"), QStringLiteral("The request method (default GET)."),
                      QStringLiteral("M"), QStringLiteral("GET")});
    parser.addOption(
        {QStringLiteral("data"), QStringLiteral("Send this request body."), QStringLiteral("BODY")});
    parser.addOption({QStringLiteral("expect"),
                      QStringLiteral("The status codes that count as success (default any 2xx)."),
                      QStringLiteral("200,204")});
    parser.addOption({QStringLiteral("follow"), QStringLiteral("Follow redirects.")});
    parser.addOption(
        {QStringLiteral("http2"), QStringLiteral("Speak HTTP/2 (over TLS, or with prior knowledge "
                                                 "over http://).")});
    parser.addOption({QStringLiteral("cacert"), QStringLiteral("Trust the certificates in this file."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("insecure"), QStringLiteral("Do not verify the server's certificate.")});
    command.parse(arguments);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        throw UsageError{QStringLiteral("probe http takes one URL")};
    const QUrl url(positional[0], QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        throw UsageError{QStringLiteral("probe http takes an http:// or https:// URL, not \"%1\"")
                             .arg(SecretRedaction::url(positional[0]))};

    HttpProbeConfig config;
    HttpRequest& request = config.request;
    request.url = positional[0].toStdString();
    request.method = command.value("method").toUpper().toStdString();
    request.headers = headerList(parser.values(QStringLiteral("header")));
    request.body = command.value("data").toStdString();
    for (const QString& status : command.value("expect").split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int code = status.trimmed().toInt(&ok);
        if (!ok || code < 100 || code > 999)
            throw UsageError{
                QStringLiteral("--expect takes status codes such as 200,204, not \"%1\"").arg(status)};
        request.expectedStatus.push_back(code);
    }
    request.timeout = timeoutValue(command);
    request.followRedirects = command.isSet("follow");
    request.version = command.isSet("http2") ? HttpRequest::Version::Http2 : HttpRequest::Version::Http1_1;
    request.caFile = command.value("cacert").toStdString();
    request.verifyTls = !command.isSet("insecure");
    config.schedule = scheduleOptions(command);
    const bool json = command.isSet("json");
    if (!request.verifyTls)
        printError(QStringLiteral("warning: --insecure: the server's certificate is not verified."));

    ProbeRecorder recorder(command.db(), QStringLiteral("probe-http"), QString::fromStdString(request.url),
                           classifier());
    std::vector<Outcome> outcomes;
    ProbeEngine engine;
    HttpProbe probe(engine, config, [&](const QString& target, const HttpResult& result) {
        outcomes.push_back({result.ok, result.totalNs, result.errorClass});
        recorder.record(target, request, result);
        const HttpPhases& p = result.phases;
        if (json) {
            printLine(QJsonObject{
                {QStringLiteral("target"), target},
                {QStringLiteral("ok"), result.ok},
                {QStringLiteral("status"), result.status},
                {QStringLiteral("phases"), QJsonObject{{QStringLiteral("resolve"), p.resolveNs},
                                                       {QStringLiteral("connect"), p.connectNs},
                                                       {QStringLiteral("tls"), p.tlsNs},
                                                       {QStringLiteral("processing"), p.processingNs},
                                                       {QStringLiteral("transfer"), p.transferNs}}},
                {QStringLiteral("total_ns"), result.totalNs},
                {QStringLiteral("error_class"), errorClassJson(result.errorClass)},
                {QStringLiteral("error"), nullIfEmpty(result.error)},
                {QStringLiteral("start_ns"), result.startNs},
                {QStringLiteral("http_version"), nullIfEmpty(result.httpVersion)},
                {QStringLiteral("tls_version"), nullIfEmpty(result.tlsVersion)},
                {QStringLiteral("cert_expiry_ns"),
                 result.certificateExpiryNs ? QJsonValue(*result.certificateExpiryNs) : QJsonValue()},
                {QStringLiteral("body_bytes"), result.bodyBytes},
            });
            return;
        }
        const auto phase = [](qint64 ns) { return ns ? TimeFormat::duration(ns) : QStringLiteral("-"); };
        out() << QStringLiteral(
                     "%1  %2  %3  %4  (resolve %5, connect %6, tls %7, processing %8, transfer %9)")
                     .arg(TimeFormat::utc(result.startNs), target,
                          result.status ? QString::number(result.status) : QStringLiteral("---"),
                          TimeFormat::duration(result.totalNs), phase(p.resolveNs), phase(p.connectNs),
                          phase(p.tlsNs), phase(p.processingNs), phase(p.transferNs));
        if (!result.ok)
            out() << "  " << failureText(result.errorClass, result.error);
        out() << '\n';
        out().flush();
    });
    return runUntilDone(probe, outcomes, recorder, json);
}

int runProbeTcp(const QStringList& arguments)
{
    Command command(QStringLiteral("probe tcp"),
                    QStringLiteral("Probes a TCP port at an interval: how long resolving the name and "
                                   "connecting take, recorded in the incident (--db) as one live source."));
    auto& parser = command.parser();
    parser.addPositionalArgument(QStringLiteral("HOST:PORT"),
                                 QStringLiteral("What to connect to ([::1]:80 for IPv6)."));
    addProbeOptions(parser);
    command.parse(arguments);
    const QStringList positional = parser.positionalArguments();
    const qsizetype colon = positional.size() == 1 ? positional[0].lastIndexOf(QLatin1Char(':')) : -1;
    if (colon <= 0 || colon == positional[0].size() - 1)
        throw UsageError{QStringLiteral("probe tcp takes one HOST:PORT")};
    TcpProbeConfig config;
    QString host = positional[0].left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    config.request.host = host.toStdString();
    config.request.port = positional[0].mid(colon + 1).toStdString();
    config.request.timeout = timeoutValue(command);
    config.target = positional[0];
    config.schedule = scheduleOptions(command);
    const bool json = command.isSet("json");

    ProbeRecorder recorder(command.db(), QStringLiteral("probe-tcp"), config.target, classifier());
    std::vector<Outcome> outcomes;
    ProbeEngine engine;
    TcpProbe probe(engine, config, [&](const QString& target, const TcpResult& result) {
        outcomes.push_back({result.ok, result.totalNs, result.errorClass});
        recorder.record(target, result);
        if (json) {
            printLine(QJsonObject{
                {QStringLiteral("target"), target},
                {QStringLiteral("ok"), result.ok},
                {QStringLiteral("status"), QJsonValue()},
                {QStringLiteral("phases"), QJsonObject{{QStringLiteral("resolve"), result.resolveNs},
                                                       {QStringLiteral("connect"), result.connectNs},
                                                       {QStringLiteral("tls"), 0},
                                                       {QStringLiteral("processing"), 0},
                                                       {QStringLiteral("transfer"), 0}}},
                {QStringLiteral("total_ns"), result.totalNs},
                {QStringLiteral("error_class"), errorClassJson(result.errorClass)},
                {QStringLiteral("error"), nullIfEmpty(result.error)},
                {QStringLiteral("start_ns"), result.startNs},
                {QStringLiteral("address"), nullIfEmpty(result.address)},
            });
            return;
        }
        out() << QStringLiteral("%1  %2  %3  %4  (resolve %5, connect %6)")
                     .arg(TimeFormat::utc(result.startNs), target,
                          result.ok ? QString::fromStdString(result.address) : QStringLiteral("---"),
                          TimeFormat::duration(result.totalNs), TimeFormat::duration(result.resolveNs),
                          TimeFormat::duration(result.connectNs));
        if (!result.ok)
            out() << "  " << failureText(result.errorClass, result.error);
        out() << '\n';
        out().flush();
    });
    return runUntilDone(probe, outcomes, recorder, json);
}

int runProbeGpu(const QStringList& arguments)
{
    Command command(
        QStringLiteral("probe gpu"),
        QStringLiteral("Samples the GPUs with nvidia-smi --query-gpu at an interval, each field "
                       "of each GPU a series, recorded in the incident (--db) as one live source."));
    auto& parser = command.parser();
    addScheduleOptions(parser, QStringLiteral("1s"), QStringLiteral("samples of each series"));
    parser.addOption({QStringLiteral("fields"),
                      QStringLiteral("The --query-gpu fields (timestamp and index are always asked; "
                                     "default %1).")
                          .arg(GpuProbe::defaultFields().join(QLatin1Char(','))),
                      QStringLiteral("F")});
    parser.addOption({QStringLiteral("nvidia-smi"),
                      QStringLiteral("The nvidia-smi to run (default: the one on PATH)."),
                      QStringLiteral("PATH"), QStringLiteral("nvidia-smi")});
    command.parse(arguments);
    if (!parser.positionalArguments().isEmpty())
        throw UsageError{QStringLiteral("probe gpu takes no arguments, only options")};
    const ProbeScheduler::Options schedule = scheduleOptions(command);
    GpuProbe::Options options;
    options.program = command.value("nvidia-smi");
    options.interval = std::max(std::chrono::milliseconds(1),
                                std::chrono::duration_cast<std::chrono::milliseconds>(schedule.interval));
    options.count = schedule.count;
    options.duration = schedule.until;
    if (command.isSet("fields")) {
        const std::optional<QStringList> fields = ImportOptions::columnList(command.value("fields"));
        if (!fields)
            throw UsageError{QStringLiteral("--fields takes field names separated by commas, such as "
                                            "utilization.gpu,memory.used")};
        options.fields = *fields;
    }

    // Said before the incident gains a source: a machine without a GPU gets no empty one.
    QString missing;
    if (GpuProbe::locate(options.program, &missing).isEmpty()) {
        printError(missing);
        return ExitFailure;
    }
    const ImporterRegistry registry;
    const Importer* importer = registry.byFormat(QStringLiteral("gpu-csv"));
    if (!importer) {
        printError(QStringLiteral("The GPU CSV importer (the gpu_csv plugin) was not found in %1.")
                       .arg(ImporterRegistry::pluginDirectories().join(QStringLiteral(", "))));
        return ExitFailure;
    }
    LiveSource live(command.db(), GpuProbe::sourceSpec(options), classifier());
    QString failure;
    ProbeEngine engine;
    GpuProbe probe(engine, live, *importer, options,
                   {[](const GpuProbe::Progress& progress) {
                        out() << QStringLiteral("%1  %2 rows, %3 samples of %4 series\n")
                                     .arg(TimeFormat::utc(progress.lastSampleNs))
                                     .arg(progress.rows)
                                     .arg(progress.samples)
                                     .arg(progress.series);
                        out().flush();
                    },
                    [&failure](const QString& error) { failure = error; }});
    if (const std::optional<QString> error = probe.start()) {
        printError(*error);
        return ExitFailure;
    }
    waitInterruptibly([&] { return probe.finished(); }, [&] { probe.stop(); });
    probe.wait();
    if (!failure.isEmpty()) {
        printError(failure);
        return ExitFailure;
    }
    const GpuProbe::Progress progress = probe.progress();
    out() << QStringLiteral("--- %1: %2 rows, %3 samples of %4 series; recorded as source %5\n")
                 .arg(GpuProbe::commandLine(options))
                 .arg(progress.rows)
                 .arg(progress.samples)
                 .arg(progress.series)
                 .arg(live.source());
    out().flush();
    return 0;
}

} // namespace

int runProbe(const QStringList& arguments)
{
    // arguments[1] names the kind; its own parser sees the rest as "lundi-cli ARGS...".
    const std::pair<const char*, int (*)(const QStringList&)> kinds[] = {
        {"http", runProbeHttp}, {"tcp", runProbeTcp}, {"gpu", runProbeGpu}};
    const QString kind = arguments.value(1);
    QStringList rest = arguments;
    if (rest.size() > 1)
        rest.removeAt(1);
    for (const auto& [name, run] : kinds) {
        if (kind == QLatin1String(name))
            return run(rest);
    }
    throw UsageError{kind.isEmpty()
                         ? QStringLiteral("probe takes a kind: http, tcp or gpu")
                         : QStringLiteral("unknown probe kind \"%1\" (known: http, tcp, gpu)").arg(kind)};
}

} // namespace lundi::cli
