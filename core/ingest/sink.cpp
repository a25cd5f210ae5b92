#include "sink.h"

namespace lundi {

Sink::~Sink() = default;

} // namespace lundi
