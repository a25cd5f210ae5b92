#pragma once

#include "ingest/importer.h"

#include <QObject>

namespace lundi {

// OpenTelemetry OTLP/JSON: traces and metrics, as one export request or as JSON lines of them
// (the collector's file exporter), also in Jaeger's {"result": ...} wrapper. Logs and profiles
// are recognised and skipped.
class OtlpJsonImporter : public QObject, public Importer
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID LundiImporter_iid FILE "otlp_json.json")
    Q_INTERFACES(lundi::Importer)

  public:
    QString format() const override { return QStringLiteral("otlp-json"); }
    QString description() const override;
    int detect(std::string_view head, const QString& fileName) const override;
    void import(const InputFile& input, Sink& sink, ImportControl& control) const override;
};

} // namespace lundi
