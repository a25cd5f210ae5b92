#pragma once

#include "ingest/importer.h"

#include <QObject>

namespace lundi {

// GPU metric dumps: nvidia-smi --query-gpu and --query-compute-apps CSV (units in the header and
// in the values, [N/A] and friends, several GPUs; without header line when the import names the
// columns, ImportControl::columns()), nvidia-smi dmon and pmon, dcgmi dmon, and any CSV with a
// time column. Each number becomes a sample of a series named after its column
// ("utilization.gpu") and labelled by the GPU or process of its row ({"gpu":"0","uuid":...}).
// Times without a zone (nvidia-smi writes local time) are read as UTC, with a warning; dumps
// without times are dated from the import's undated time, one round of rows per interval.
class GpuCsvImporter : public QObject, public Importer
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID LundiImporter_iid FILE "gpu_csv.json")
    Q_INTERFACES(lundi::Importer)

  public:
    QString format() const override { return QStringLiteral("gpu-csv"); }
    QString description() const override;
    int detect(std::string_view head, const QString& fileName) const override;
    void import(const InputFile& input, Sink& sink, ImportControl& control) const override;
};

} // namespace lundi
