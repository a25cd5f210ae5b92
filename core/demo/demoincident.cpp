#include "demoincident.h"
#include "ingest/sink.h"

namespace lundi {

QByteArray DemoIncident::identity()
{
    return QByteArrayLiteral("lundi-demo-incident/1");
}

void DemoIncident::generate(Sink& sink)
{
    // Placeholder until the generator lands: one span, so the CLI path can be exercised.
    const TrackId track = sink.addTrack({TrackKind::Service, QStringLiteral("gateway"), {}, {}, 0});
    SpanSpec span;
    span.track = track;
    span.name = sink.intern("POST /v1/inventory/ask");
    span.startNs = 1'700'000'000'000'000'000;
    span.durNs = 1'000'000;
    sink.addSpan(span);
}

} // namespace lundi
