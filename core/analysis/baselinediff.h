#pragma once

#include "flamediff.h"
#include "spanselection.h"

#include <QList>

#include <vector>

namespace lundi {

// An incident compared with its baseline, each side a source or a time range of one incident:
// the differential flame tree of all their time, and the call paths and categories that explain
// the regression in critical-path time.
struct BaselineDiff
{
    FlameDiff flame;

    // spans in id order, parents first (Store::spanRecords()); tracks tell a source's spans.
    static BaselineDiff compute(const std::vector<SpanRecord>& spans, const QList<Track>& tracks,
                                const SpanSelection& baseline, const SpanSelection& incident);
};

} // namespace lundi
