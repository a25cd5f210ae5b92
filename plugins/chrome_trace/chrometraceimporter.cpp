#include "chrometraceimporter.h"
#include "tracebuilder.h"
#include "traceeventreader.h"

#include "ingest/importcontrol.h"
#include "ingest/inputfile.h"
#include "ingest/sink.h"

#include <rapidjson/memorystream.h>

namespace lundi {

namespace {

constexpr std::string_view Bom = "\xEF\xBB\xBF";

std::string_view skipSpace(std::string_view text)
{
    if (text.starts_with(Bom))
        text.remove_prefix(Bom.size());
    const size_t first = text.find_first_not_of(" \t\r\n");
    return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

} // namespace

QString ChromeTraceImporter::description() const
{
    return QStringLiteral("Chrome trace-event JSON (Chrome, Perfetto, PyTorch profiler, Bazel), also gzip");
}

int ChromeTraceImporter::detect(std::string_view head, const QString& fileName) const
{
    const std::string_view start = skipSpace(head);
    const bool jsonName = fileName.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ||
                          fileName.endsWith(QLatin1String(".json.gz"), Qt::CaseInsensitive);
    if (start.starts_with('[')) {
        // A bare array of event objects.
        const std::string_view next = skipSpace(start.substr(1));
        if (next.starts_with('{') && head.find("\"ph\"") != std::string_view::npos)
            return 90;
        return next.starts_with('{') || next.empty() ? 40 : 5;
    }
    if (start.starts_with('{')) {
        for (const char* key :
             {"\"traceEvents\"", "\"schemaVersion\"", "\"displayTimeUnit\"", "\"otherData\"",
              "\"systemTraceEvents\"", "\"deviceProperties\"", "\"distributedInfo\""}) {
            if (head.find(key) != std::string_view::npos)
                return 90;
        }
        return jsonName ? 15 : 10;
    }
    return 0;
}

void ChromeTraceImporter::import(const InputFile& input, Sink& sink, ImportControl& control) const
{
    std::string_view json = input.data();
    const qsizetype bom = json.starts_with(Bom) ? qsizetype(Bom.size()) : 0;
    json.remove_prefix(size_t(bom));
    // Large plain traces are written while they are read (TraceBuilder); when the rest of the
    // trace proves that too early, it is read again and written at its end.
    const auto read = [&](bool writeAhead) {
        const rapidjson::MemoryStream stream(json.data(), json.size());
        chrome::TraceEventReader reader(sink, control, stream);
        chrome::TraceBuilder builder(reader.events(), sink, control, qint64(input.data().size()), writeAhead);
        reader.setBuilder(builder);
        reader.read(json, bom);
        sink.setMetadata(reader.metadataJson());
        builder.build();
    };
    try {
        read(sink.canRewind());
    } catch (const chrome::TraceBuilder::GuessedWrong&) {
        sink.rewind();
        read(false);
    }
}

} // namespace lundi
