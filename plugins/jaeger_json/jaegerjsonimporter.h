#pragma once

#include "ingest/importer.h"

#include <QObject>

namespace lundi {

// Jaeger's JSON traces: the query API's and the UI's download {"data": [...]}, a bare trace, a
// wrapped trace {"data": {...}}, and the anonymizer's list of spans with their process.
class JaegerJsonImporter : public QObject, public Importer
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID LundiImporter_iid FILE "jaeger_json.json")
    Q_INTERFACES(lundi::Importer)

  public:
    QString format() const override { return QStringLiteral("jaeger-json"); }
    QString description() const override;
    int detect(std::string_view head, const QString& fileName) const override;
    void import(const InputFile& input, Sink& sink, ImportControl& control) const override;
};

} // namespace lundi
