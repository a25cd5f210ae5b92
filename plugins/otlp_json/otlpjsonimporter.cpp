#include "otlpjsonimporter.h"
#include "metricwriter.h"
#include "otlpreader.h"
#include "spanwriter.h"

#include "ingest/inputfile.h"
#include "ingest/sink.h"

namespace lundi {

namespace {

constexpr std::string_view Bom = "\xEF\xBB\xBF";

// Whether text has "key" as a member name (followed by a colon), not only as a value.
bool hasMember(std::string_view text, std::string_view key)
{
    for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
        const size_t next = text.find_first_not_of(" \t\r\n", at + key.size());
        if (next != std::string_view::npos && text[next] == ':')
            return true;
    }
    return false;
}

} // namespace

QString OtlpJsonImporter::description() const
{
    return QStringLiteral("OpenTelemetry OTLP/JSON traces and metrics, one request or JSON lines, also gzip");
}

int OtlpJsonImporter::detect(std::string_view head, const QString&) const
{
    if (head.starts_with(Bom))
        head.remove_prefix(Bom.size());
    const size_t first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || head[first] != '{')
        return 0;
    // Each signal's top-level member, in protobuf's JSON spelling and in the proto's own.
    for (const std::string_view key :
         {"\"resourceSpans\"", "\"resourceMetrics\"", "\"resourceLogs\"", "\"resourceProfiles\"",
          "\"resource_spans\"", "\"resource_metrics\"", "\"resource_logs\"", "\"resource_profiles\""}) {
        if (hasMember(head, key))
            return 95;
    }
    return 0;
}

void OtlpJsonImporter::import(const InputFile& input, Sink& sink, ImportControl& control) const
{
    std::string_view json = input.data();
    const qint64 bom = json.starts_with(Bom) ? qint64(Bom.size()) : 0;
    json.remove_prefix(size_t(bom));
    otlp::SpanWriter spans(sink, control);
    otlp::MetricWriter metrics(sink);
    otlp::OtlpReader reader(control, spans, metrics);
    reader.read(json, bom);
    sink.setMetadata(reader.metadataJson());
    if (spans.spanCount() == 0 && metrics.pointCount() == 0)
        sink.warn(QStringLiteral("The file holds no spans and no metric data points."));
    spans.finish();
    metrics.finish();
    if (const QString skipped = reader.skippedSignals(); !skipped.isEmpty())
        sink.warn(skipped);
}

} // namespace lundi
