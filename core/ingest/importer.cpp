#include "importer.h"

namespace lundi {

Importer::~Importer() = default;

} // namespace lundi
