#include "baselinediff.h"

namespace lundi {

BaselineDiff BaselineDiff::compute(const std::vector<SpanRecord>& spans, const QList<Track>& tracks,
                                   const SpanSelection& baseline, const SpanSelection& incident)
{
    BaselineDiff diff;
    // Merged roots: two sources have different tracks, but their stacks are to be matched.
    diff.flame =
        FlameDiff::compare(FlameTree::build(spans, FlameTree::Roots::Merged, baseline.filter(tracks)),
                           FlameTree::build(spans, FlameTree::Roots::Merged, incident.filter(tracks)));
    return diff;
}

} // namespace lundi
