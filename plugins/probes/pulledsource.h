#pragma once

#include "ingest/ingestor.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace lundi {

class ImportControl;
class Sink;

// What a pull from a remote API brought back, to be imported as one source under the rules of an
// import (one transaction; content the incident has refused without force). The pull is done
// before any incident is opened, so that one that fails leaves no file behind.
struct PulledSource
{
    QString format;
    QString origin;     // the URL, its secrets replaced
    QByteArray content; // what a duplicate of this pull is recognised by
    std::function<void(Sink&, ImportControl&)> write;

    ImportSummary importInto(Ingestor& ingestor, const ImportOptions& options, ImportControl& control) const
    {
        return ingestor.importGenerated(format, origin, content, options,
                                        [this, &control](Sink& sink) { write(sink, control); });
    }
};

} // namespace lundi
