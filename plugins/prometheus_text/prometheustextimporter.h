#pragma once

#include "ingest/importer.h"

#include <QObject>

namespace lundi {

// The Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text: a scrape of /metrics, a
// textfile-collector file, promtool's dumps. A file that ends with "# EOF" is OpenMetrics.
//
// - Each distinct metric name and label set is a series (SeriesSpec.labelsJson: the labels as a
//   JSON object with sorted keys), each sample line one sample. The parts of a family are series
//   of their own as written: http_seconds_bucket (with its le label), http_seconds_sum,
//   http_seconds_count, a summary's quantiles (quantile label), counters' _total and _created.
//   Counters stay cumulative; rates are for the analysis.
// - Units come from # UNIT only, not from name suffixes such as _seconds (a convention that
//   names do not always follow). They go to samples in that unit: the value, _total, _sum,
//   _gsum and quantiles; not to counts, buckets or _created.
// - The source's metadata: {"exposition": "OpenMetrics 1.0" or "Prometheus text 0.0.4",
//   "metrics": {name: {"type", "help", "unit"}}} for every family declared, sampled or not.
// - Timestamps: integer milliseconds in 0.0.4 (a fraction is refused), seconds with an optional
//   fraction in OpenMetrics, read exactly to the nanosecond. Samples without one are dated at
//   ImportControl::undatedTimeNs() (--at, else the file's modification time), with a warning
//   that says which.
// - An exemplar ("# {trace_id="..."} value [timestamp]" after a sample) becomes a sample of the
//   series "<sample name>:exemplar" whose labels are the sample's plus the exemplar's (trace_id,
//   span_id, ...; the exemplar's win a clash). Its time is its own timestamp, else the sample's.
//   A view draws these points on the sample's series and opens the trace named by trace_id.
// - Refused, with the position: malformed lines, a family declared with two types, a bucket
//   whose le (or a quantile) is not a number, a reserved or repeated label, values or timestamps
//   that are not numbers or out of range, text that is not UTF-8, lines over 1 MiB, more than
//   2 million series or 100,000 families in one file.
class PrometheusTextImporter : public QObject, public Importer
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID LundiImporter_iid FILE "prometheus_text.json")
    Q_INTERFACES(lundi::Importer)

  public:
    QString format() const override { return QStringLiteral("prometheus"); }
    QString description() const override;
    int detect(std::string_view head, const QString& fileName) const override;
    void import(const InputFile& input, Sink& sink, ImportControl& control) const override;
};

} // namespace lundi
