#pragma once

#include "ingest/importer.h"

#include <QObject>

namespace lundi {

// Folded stacks ("main;parse;read 12" per line), as Brendan Gregg's stackcollapse scripts,
// inferno, async-profiler, austin and speedscope write them, also differential ones with two
// counts per line and UTF-16. Sample counts become synthetic time: the stacks merged as a flame
// graph merges them, one span per frame, 1 ms per sample from time 0; austin's numbers, which its
// header says are microseconds of sampled time, become that much time.
class FoldedStacksImporter : public QObject, public Importer
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID LundiImporter_iid FILE "folded_stacks.json")
    Q_INTERFACES(lundi::Importer)

  public:
    QString format() const override { return QStringLiteral("folded"); }
    QString description() const override;
    int detect(std::string_view head, const QString& fileName) const override;
    void import(const InputFile& input, Sink& sink, ImportControl& control) const override;
};

} // namespace lundi
