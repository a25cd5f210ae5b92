#pragma once

#include <QByteArray>

namespace lundi {

class Sink;

// The built-in demo incident: an LLM-backed inventory service, a quiet baseline window and a
// Monday-morning incident window with one planted cause. Deterministic (fixed seed), so every
// run writes the same incident.
class DemoIncident
{
  public:
    static QByteArray identity();
    static void generate(Sink& sink);
};

} // namespace lundi
