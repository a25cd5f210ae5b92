#pragma once

// The generated call trees of calltrees.h as an incident: in memory as the store hands spans
// over, or written through the ingest path (StoreSink, BulkWriter) into an incident file.

#include "calltrees.h"

#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "model.h"
#include "store/store.h"

#include <vector>

namespace lundi::bench {

struct IncidentShape
{
    int clocks = 8; // call trees that run one after another, each on its own clock
    int tracks = 8; // clock c lands on track c % tracks: more clocks than tracks overlap
    TrackKind kind = TrackKind::Thread;
    uint64_t seed = 42;
};

// Ids in pre-order, so parents come first and siblings in start order, as the store hands them.
// Names are StringId 1 + the generator's name; categories follow the name when asked to.
inline std::vector<SpanRecord> spanRecords(qint64 count, const IncidentShape& shape, bool categories)
{
    std::vector<SpanRecord> spans;
    spans.reserve(size_t(count));
    generateCallTrees(count, shape.clocks, shape.seed, [&](int clock, const std::vector<CallNode>& tree) {
        const SpanId base = SpanId(spans.size()) + 1;
        for (const CallNode& node : tree)
            spans.push_back(
                {SpanId(spans.size()) + 1, node.parent >= 0 ? base + node.parent : 0,
                 TrackId(clock % shape.tracks + 1), StringId(node.name + 1),
                 categories ? Category(size_t(node.name) % AllCategories.size()) : Category::Other,
                 node.startNs, node.durNs});
    });
    return spans;
}

inline void writeIncident(const QString& path, qint64 count, const IncidentShape& shape)
{
    Store store(path);
    const ImporterRegistry registry(QStringList{});
    const Classifier classifier = Classifier::standard();
    Ingestor ingestor(store, registry, classifier);
    ingestor.importGenerated(
        QStringLiteral("lundi-bench"), QStringLiteral("lundi-bench"), QByteArray::number(count), {},
        [&](Sink& sink) {
            std::vector<TrackId> tracks;
            for (int t = 0; t < shape.tracks; ++t) {
                TrackSpec track;
                track.kind = shape.kind;
                track.name = QStringLiteral("%1-%2").arg(trackKindName(shape.kind)).arg(t);
                tracks.push_back(sink.addTrack(track));
            }
            std::vector<StringId> names, cats;
            for (int name = 0; name < NameCount; ++name) {
                names.push_back(sink.intern(frameName(name)));
                cats.push_back(sink.intern(frameCat(name)));
            }
            std::vector<SpanId> ids;
            generateCallTrees(count, shape.clocks, shape.seed,
                              [&](int clock, const std::vector<CallNode>& tree) {
                                  ids.clear();
                                  for (const CallNode& node : tree) {
                                      SpanSpec span;
                                      span.track = tracks[size_t(clock % shape.tracks)];
                                      span.parent = node.parent >= 0 ? ids[size_t(node.parent)] : 0;
                                      span.name = names[size_t(node.name)];
                                      span.cat = cats[size_t(node.name)];
                                      span.startNs = node.startNs;
                                      span.durNs = node.durNs;
                                      ids.push_back(sink.addSpan(span));
                                  }
                              });
        });
}

} // namespace lundi::bench
