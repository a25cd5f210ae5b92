#include "gpucsvimporter.h"
#include "csvtablereader.h"
#include "dialect.h"
#include "monitortablereader.h"
#include "seriestable.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"
#include "ingest/inputfile.h"
#include "ingest/sink.h"

#include <QStringList>

#include <string>
#include <tuple>
#include <utility>

namespace lundi {

using namespace gpucsv;

namespace {

// Enough to hold the header line of nvidia-smi's widest query (about 250 fields, 8 KB).
constexpr size_t SniffBytes = 64 * 1024;

// The header line that the user's column names stand for ("timestamp, index, memory.used"), and
// the dialect it makes of the rows; throws where the names fit no dialect or the file has a header.
std::pair<std::string, Dialect> givenHeader(const QStringList& columns, Dialect fileDialect)
{
    if (fileDialect != Dialect::SmiHeaderlessCsv && fileDialect != Dialect::Unknown) {
        throw ImportError(
            QStringLiteral("A column list is for a CSV without header line, but this is %1 with its own "
                           "column names: import it without the column list.")
                .arg(QLatin1String(dialectName(fileDialect))),
            0);
    }
    if (columns.size() < 2) {
        throw ImportError(QStringLiteral("The column list names one column; a GPU dump has at least two (add "
                                         "timestamp or index to the query and the list)."),
                          0);
    }
    std::string header = columns.join(QStringLiteral(", ")).toStdString();
    const Dialect dialect = sniffDialect(header, Sniff::Import);
    if (dialect != Dialect::SmiQueryCsv && dialect != Dialect::GenericCsv) {
        throw ImportError(
            QStringLiteral("The column list \"%1\" names neither an nvidia-smi --query-gpu field nor a "
                           "time column (timestamp, time, ts): give the field list of the query, such "
                           "as timestamp,index,utilization.gpu,memory.used.")
                .arg(columns.join(QLatin1Char(','))),
            0);
    }
    return {std::move(header), dialect};
}

} // namespace

QString GpuCsvImporter::description() const
{
    return QStringLiteral(
        "GPU metric dumps: nvidia-smi --query-gpu CSV, dmon and pmon, dcgmi dmon, CSV with a "
        "time column");
}

int GpuCsvImporter::detect(std::string_view head, const QString& fileName) const
{
    const Dialect dialect = sniffDialect(head, Sniff::Detect);
    const int confidence = dialectConfidence(dialect);
    // A generic CSV is only a guess; its name makes it a better one.
    if (dialect == Dialect::GenericCsv && fileName.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        return confidence + 10;
    return confidence;
}

void GpuCsvImporter::import(const InputFile& input, Sink& sink, ImportControl& control) const
{
    const std::string_view data = input.data();
    Dialect dialect = sniffDialect(data.substr(0, SniffBytes), Sniff::Import);
    std::string header;
    if (!control.columns().isEmpty())
        std::tie(header, dialect) = givenHeader(control.columns(), dialect);
    switch (dialect) {
    case Dialect::Unknown:
        throw ImportError(
            QStringLiteral("This is no GPU dump Lundi reads: it expects nvidia-smi --query-gpu or "
                           "--query-compute-apps CSV with its header line, nvidia-smi dmon or pmon "
                           "output, dcgmi dmon output, or a CSV with a time column."),
            0);
    case Dialect::SmiHeaderlessCsv:
        throw ImportError(
            QStringLiteral("The first line holds values, not column names: the CSV was written with "
                           "--format=csv,noheader. Name its columns with --columns, giving the "
                           "--query-gpu field list (such as timestamp,index,utilization.gpu), or write it "
                           "again without noheader."),
            0);
    case Dialect::SmiCapture:
        throw ImportError(
            QStringLiteral("This is a capture of many nvidia-smi commands (sections between '####' "
                           "lines), not one dump: copy the output of one command (the --query-gpu "
                           "CSV, dmon or pmon) into a file of its own and import that."),
            0);
    default:
        break;
    }
    sink.setMetadata(QByteArray(R"({"dialect":")") + dialectName(dialect) + "\"}");
    SeriesTable table(sink, control);
    if (dialect == Dialect::SmiQueryCsv || dialect == Dialect::GenericCsv)
        CsvTableReader(data, table, control, header).read();
    else
        MonitorTableReader(data, dialect, table, control).read();
}

} // namespace lundi
