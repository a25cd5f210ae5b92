#pragma once

#include "ingest/importer.h"

#include <QObject>

namespace lundi {

// Chrome trace-event JSON (Chrome DevTools, catapult, Perfetto, PyTorch profiler/Kineto, Bazel):
// the {"traceEvents": [...]} object and the bare array, also truncated ones.
class ChromeTraceImporter : public QObject, public Importer
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID LundiImporter_iid FILE "chrome_trace.json")
    Q_INTERFACES(lundi::Importer)

  public:
    QString format() const override { return QStringLiteral("chrome-trace"); }
    QString description() const override;
    int detect(std::string_view head, const QString& fileName) const override;
    void import(const InputFile& input, Sink& sink, ImportControl& control) const override;
};

} // namespace lundi
