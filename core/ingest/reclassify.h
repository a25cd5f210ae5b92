#pragma once

#include <QtGlobal>

namespace lundi {

class Classifier;
class Store;

struct ReclassifySummary
{
    qint64 spans = 0;   // judged
    qint64 changed = 0; // whose category changed
};

// Puts every span of the incident into the category the classifier gives it now, from the name,
// cat and attributes the incident kept: new rules apply without a re-import. One transaction:
// an error leaves every category as it was. Throws StoreError.
ReclassifySummary reclassify(Store& store, const Classifier& classifier);

} // namespace lundi
