#include "command.h"
#include "commands.h"
#include "progressbar.h"

#include "analysis/gpubusy.h"
#include "classifier.h"
#include "demo/demoincident.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "ingest/ingestor.h"
#include "store/storeerror.h"
#include "timeformat.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace lundi::cli {

namespace {

// An import's counts leave out sources (it is one); an incident's include them.
QJsonObject countsJson(const IncidentCounts& counts, bool withSources = true)
{
    QJsonObject json{{QStringLiteral("tracks"), counts.tracks},
                     {QStringLiteral("spans"), counts.spans},
                     {QStringLiteral("flows"), counts.flows},
                     {QStringLiteral("series"), counts.series},
                     {QStringLiteral("samples"), counts.samples}};
    if (withSources)
        json.insert(QStringLiteral("sources"), counts.sources);
    return json;
}

} // namespace

void printSummary(const ImportSummary& summary)
{
    const auto& c = summary.counts;
    // One arg() for all: a path or URL may hold "%7B", which a later arg() would take for a marker.
    out() << QStringLiteral("%1: %2, %3 tracks, %4 spans, %5 flows, %6 series, %7 samples, %8 warnings\n")
                 .arg(summary.path, summary.format, QString::number(c.tracks), QString::number(c.spans),
                      QString::number(c.flows), QString::number(c.series), QString::number(c.samples),
                      QString::number(summary.warnings.size()));
    constexpr int shown = 10;
    for (qsizetype i = 0; i < std::min<qsizetype>(shown, summary.warnings.size()); ++i)
        out() << QStringLiteral("  warning: ") << summary.warnings[i] << '\n';
    if (summary.warnings.size() > shown)
        out() << QStringLiteral("  ... and %1 more warnings (lundi-cli info --json lists them all)\n")
                     .arg(summary.warnings.size() - shown);
    out().flush();
}

QJsonObject summaryJson(const ImportSummary& summary)
{
    QJsonArray sources;
    for (const SourceId source : summary.sources)
        sources.append(source);
    return {{QStringLiteral("input"), summary.path},
            {QStringLiteral("source"), summary.source},
            {QStringLiteral("sources"), sources},
            {QStringLiteral("format"), summary.format},
            {QStringLiteral("bytes"), summary.bytes},
            {QStringLiteral("counts"), countsJson(summary.counts, false)},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(summary.warnings)}};
}

int runImport(const QStringList& arguments)
{
    Command command(QStringLiteral("import"),
                    QStringLiteral("Import trace, metric and profile files into an incident."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("Read every input as this format (see 'lundi-cli formats')."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("Import content the incident already has.")});
    parser.addOption(
        {QStringLiteral("offset"),
         QStringLiteral("Place the inputs in time: shift them by this much, e.g. 1.5s, -200ms, 3h."),
         QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("clock-offset"),
                      QStringLiteral("The same as --offset, in whole nanoseconds."), QStringLiteral("NS")});
    parser.addOption(
        {QStringLiteral("at"),
         QStringLiteral("The time of samples that the input does not date itself (a metrics dump "
                        "without timestamps): ISO 8601 or Unix seconds. Default: the file's "
                        "modification time."),
         QStringLiteral("TIME")});
    parser.addOption(
        {QStringLiteral("columns"),
         QStringLiteral("The column names of a CSV without header line, comma-separated: the field "
                        "list of nvidia-smi --query-gpu=... --format=csv,noheader, e.g. "
                        "timestamp,index,utilization.gpu,memory.used."),
         QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the summaries as JSON.")});
    parser.addPositionalArgument(QStringLiteral("INPUT"),
                                 QStringLiteral("Files to import (gzip is read as is)."),
                                 QStringLiteral("INPUT..."));
    command.parse(arguments);
    const QStringList inputs = parser.positionalArguments();
    if (inputs.isEmpty())
        throw UsageError{QStringLiteral("import needs at least one INPUT file")};
    ImportOptions options;
    options.format = command.value("format");
    options.force = command.isSet("force");
    if (command.isSet("offset") && command.isSet("clock-offset"))
        throw UsageError{QStringLiteral("give --offset or --clock-offset, not both")};
    if (command.isSet("offset"))
        options.clockOffsetNs = command.durationValue("offset");
    if (command.isSet("clock-offset")) {
        bool ok = false;
        options.clockOffsetNs = command.value("clock-offset").toLongLong(&ok);
        if (!ok)
            throw UsageError{QStringLiteral("--clock-offset takes a whole number of nanoseconds")};
    }
    if (command.isSet("at")) {
        options.atNs = TimeFormat::parseInstant(command.value("at"));
        if (!options.atNs)
            throw UsageError{
                QStringLiteral("--at takes a time such as 2026-11-24T10:00:00Z or Unix seconds, not "
                               "\"%1\"")
                    .arg(command.value("at"))};
    }
    if (command.isSet("columns")) {
        const std::optional<QStringList> columns = ImportOptions::columnList(command.value("columns"));
        if (!columns)
            throw UsageError{QStringLiteral("--columns takes column names separated by commas, with no "
                                            "empty name: \"%1\"")
                                 .arg(command.value("columns"))};
        options.columns = *columns;
    }

    Store store(command.db());
    const ImporterRegistry registry;
    const Classifier classifier = Classifier::standard();
    Ingestor ingestor(store, registry, classifier);
    int status = 0;
    QJsonArray summaries;
    for (const QString& input : inputs) {
        try {
            ProgressBar bar(QFileInfo(input).fileName());
            ImportControl control([&bar](qint64 done, qint64 total) { bar.update(done, total); }, nullptr);
            const ImportSummary summary = ingestor.importFile(input, options, control);
            if (command.isSet("json"))
                summaries.append(summaryJson(summary));
            else
                printSummary(summary);
        } catch (const ImportError& error) {
            printError(error.sentence());
            status = ExitFailure;
        }
    }
    if (command.isSet("json"))
        printJson(QJsonDocument(summaries));
    return status;
}

int runInfo(const QStringList& arguments)
{
    Command command(QStringLiteral("info"),
                    QStringLiteral("Describe an incident: sources, tracks, counts, time range."));
    command.parser().addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    command.parse(arguments);
    command.requireExistingDb();
    const Store store(command.db());
    const IncidentCounts counts = store.counts();
    const TimeRange range = store.timeRange();
    const QList<Source> sources = store.sources();
    const QList<Track> tracks = store.tracks();
    const std::vector<GpuBusy::Device> gpus = GpuBusy::compute(store);

    if (command.isSet("json")) {
        QJsonArray sourcesJson;
        for (const Source& source : sources) {
            sourcesJson.append(QJsonObject{
                {QStringLiteral("id"), source.id},
                {QStringLiteral("format"), source.format},
                {QStringLiteral("origin"), source.origin},
                {QStringLiteral("sha256"), source.sha256},
                {QStringLiteral("imported_at"), TimeFormat::utc(source.importedAtNs)},
                {QStringLiteral("clock_offset_ns"), source.clockOffsetNs},
                {QStringLiteral("spans"), source.spanCount},
                {QStringLiteral("samples"), source.sampleCount},
                {QStringLiteral("warnings"), QJsonArray::fromStringList(source.warnings)},
                {QStringLiteral("metadata"), QJsonDocument::fromJson(source.metadataJson).object()}});
        }
        QJsonArray tracksJson;
        for (const Track& track : tracks) {
            tracksJson.append(QJsonObject{{QStringLiteral("id"), track.id},
                                          {QStringLiteral("source"), track.source},
                                          {QStringLiteral("kind"), trackKindName(track.kind)},
                                          {QStringLiteral("name"), track.name},
                                          {QStringLiteral("process"), track.process},
                                          {QStringLiteral("thread"), track.thread}});
        }
        QJsonArray gpusJson;
        for (const GpuBusy::Device& gpu : gpus) {
            gpusJson.append(QJsonObject{{QStringLiteral("device"), gpu.name},
                                        {QStringLiteral("source"), gpu.source},
                                        {QStringLiteral("busy_ns"), gpu.busyNs},
                                        {QStringLiteral("kernels"), gpu.kernels},
                                        {QStringLiteral("streams"), gpu.streams}});
        }
        QJsonObject json{{QStringLiteral("db"), command.db()},
                         {QStringLiteral("schema_version"), Store::SchemaVersion},
                         {QStringLiteral("counts"), countsJson(counts)},
                         {QStringLiteral("time_range"),
                          range.isEmpty() && counts.spans + counts.samples == 0
                              ? QJsonValue()
                              : QJsonObject{{QStringLiteral("start_ns"), range.startNs},
                                            {QStringLiteral("end_ns"), range.endNs},
                                            {QStringLiteral("duration_ns"), range.endNs - range.startNs},
                                            {QStringLiteral("start"), TimeFormat::utc(range.startNs)},
                                            {QStringLiteral("end"), TimeFormat::utc(range.endNs)}}},
                         {QStringLiteral("sources"), sourcesJson},
                         {QStringLiteral("tracks"), tracksJson},
                         {QStringLiteral("gpu_busy"), gpusJson}};
        printJson(QJsonDocument(json));
        return 0;
    }

    out() << QStringLiteral("Incident %1\n").arg(command.db());
    out() << QStringLiteral("  %1 sources, %2 tracks, %3 spans, %4 flows, %5 series, %6 samples\n")
                 .arg(counts.sources)
                 .arg(counts.tracks)
                 .arg(counts.spans)
                 .arg(counts.flows)
                 .arg(counts.series)
                 .arg(counts.samples);
    if (counts.spans + counts.samples > 0)
        out() << QStringLiteral("  time range: %1 .. %2 (%3)\n")
                     .arg(TimeFormat::utc(range.startNs), TimeFormat::utc(range.endNs),
                          TimeFormat::duration(range.endNs - range.startNs));
    for (const Source& source : sources) {
        out() << QStringLiteral("  source %1: %2 %3 (%4 spans, %5 samples, %6 warnings%7)\n")
                     .arg(QString::number(source.id), source.format, source.origin,
                          QString::number(source.spanCount), QString::number(source.sampleCount),
                          QString::number(source.warnings.size()),
                          source.clockOffsetNs
                              ? QStringLiteral(", clock offset ") + TimeFormat::duration(source.clockOffsetNs)
                              : QString());
    }
    for (const GpuBusy::Device& gpu : gpus) {
        out() << QStringLiteral("  %1 of source %2: busy %3 (the union of %4 kernels on %5 streams)\n")
                     .arg(gpu.name)
                     .arg(gpu.source)
                     .arg(TimeFormat::duration(gpu.busyNs))
                     .arg(gpu.kernels)
                     .arg(gpu.streams);
    }
    out().flush();
    return 0;
}

int runDemo(const QStringList& arguments)
{
    Command command(QStringLiteral("demo"), QStringLiteral("Write the built-in demo incident."));
    command.parse(arguments);
    Store store(command.db());
    const ImporterRegistry registry(QStringList{});
    const Classifier classifier = Classifier::standard();
    Ingestor ingestor(store, registry, classifier);
    const ImportSummary summary =
        ingestor.importGenerated(QStringLiteral("lundi-demo"), QStringLiteral("lundi demo"),
                                 DemoIncident::identity(), {}, DemoIncident::generate);
    printSummary(summary);
    return 0;
}

int runOffset(const QStringList& arguments)
{
    Command command(QStringLiteral("offset"),
                    QStringLiteral("Show or set the clock offset of a source: where it lies in time relative "
                                   "to the others. No re-import is needed."));
    auto& parser = command.parser();
    parser.addOption({QStringLiteral("set"), QStringLiteral("The new offset, e.g. 1.5s, -200ms, 0."),
                      QStringLiteral("DURATION")});
    parser.addOption({QStringLiteral("by"), QStringLiteral("Move the source by this much more."),
                      QStringLiteral("DURATION")});
    parser.addPositionalArgument(QStringLiteral("SOURCE"),
                                 QStringLiteral("The source's id (lundi-cli info)."));
    command.parse(arguments);
    if (parser.positionalArguments().size() != 1)
        throw UsageError{QStringLiteral("offset needs one SOURCE id")};
    bool ok = false;
    const SourceId id = parser.positionalArguments().front().toLongLong(&ok);
    if (!ok)
        throw UsageError{QStringLiteral("SOURCE is a source's number, as lundi-cli info lists them")};
    command.requireExistingDb();
    Store store(command.db());
    const QList<Source> sources = store.sources(Store::SpanCounting::Skip);
    const auto source =
        std::find_if(sources.begin(), sources.end(), [id](const Source& s) { return s.id == id; });
    if (source == sources.end())
        throw StoreError(QStringLiteral("%1: there is no source %2.").arg(command.db()).arg(id));
    qint64 offset = source->clockOffsetNs;
    if (command.isSet("set"))
        offset = command.durationValue("set");
    if (command.isSet("by"))
        offset += command.durationValue("by");
    if (offset != source->clockOffsetNs)
        store.setClockOffset(id, offset);
    out() << QStringLiteral("source %1 (%2): clock offset %3 (%4 ns)\n")
                 .arg(QString::number(id), source->origin, TimeFormat::duration(offset),
                      QString::number(offset));
    out().flush();
    return 0;
}

int runFormats(const QStringList&)
{
    const ImporterRegistry registry;
    for (const Importer* importer : registry.importers())
        out() << importer->format() << QStringLiteral("  ") << importer->description() << '\n';
    for (const QString& problem : registry.problems())
        printError(problem);
    out().flush();
    return 0;
}

} // namespace lundi::cli
