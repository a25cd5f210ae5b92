#include "jaegerjsonimporter.h"
#include "jaegertracereader.h"

#include "ingest/inputfile.h"
#include "ingest/sink.h"
#include "ingest/traceassembler.h"

namespace lundi {

namespace {

constexpr std::string_view Bom = "\xEF\xBB\xBF";

bool contains(std::string_view head, std::string_view key)
{
    return head.find(key) != std::string_view::npos;
}

} // namespace

QString JaegerJsonImporter::description() const
{
    return QStringLiteral("Jaeger JSON traces (the UI's and query API's download, a bare trace, the "
                          "anonymizer's list of spans), also gzip");
}

int JaegerJsonImporter::detect(std::string_view head, const QString&) const
{
    std::string_view start = head.starts_with(Bom) ? head.substr(Bom.size()) : head;
    start.remove_prefix(std::min(start.find_first_not_of(" \t\r\n"), start.size()));
    if (!start.starts_with('{') && !start.starts_with('['))
        return 0;
    // Keys of other formats' own: an OTLP or Chrome trace may well mention a "traceID" in an attribute.
    for (const std::string_view other :
         {"\"resourceSpans\"", "\"resourceMetrics\"", "\"resourceLogs\"", "\"traceEvents\"", "\"ph\""}) {
        if (contains(head, other))
            return 5;
    }
    if (contains(head, "\"traceID\"")) {
        for (const std::string_view key : {"\"spanID\"", "\"spans\"", "\"processes\"", "\"operationName\""}) {
            if (contains(head, key))
                return 95;
        }
        return 30;
    }
    // The query API's envelope around no traces at all: worth reading for its "errors".
    return contains(start.substr(0, 16), "\"data\"") && contains(head, "\"total\"") &&
                   contains(head, "\"errors\"")
               ? 60
               : 0;
}

void JaegerJsonImporter::import(const InputFile& input, Sink& sink, ImportControl& control) const
{
    std::string_view json = input.data();
    const qsizetype bom = json.starts_with(Bom) ? qsizetype(Bom.size()) : 0;
    json.remove_prefix(size_t(bom));
    const rapidjson::MemoryStream stream(json.data(), json.size());
    TraceAssembler assembler(sink, control);
    jaeger::JaegerTraceReader reader(sink, control, stream, assembler);
    reader.read(bom);
    sink.setMetadata(reader.metadataJson());
    assembler.finish();
}

} // namespace lundi
