#pragma once

// The demo incident written into an incident file, through the same path as `lundi-cli demo`.

#include "classifier.h"
#include "demo/demoincident.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "store/store.h"

namespace lundi::test {

inline void writeDemoIncident(Store& store)
{
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier)
        .importGenerated(QStringLiteral("lundi-demo"), QStringLiteral("lundi demo"), DemoIncident::identity(),
                         {}, DemoIncident::generate);
}

} // namespace lundi::test
