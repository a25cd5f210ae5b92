#pragma once

#include "report.h"

#include <QFont>

#include <memory>
#include <vector>

class QCustomPlot;

namespace lundi {

// The report's charts, as QCustomPlots that ReportWriter paints into its pages as vectors
// (QCustomPlot::toPainter), so that they print sharp at any zoom. Fonts are the writer's; the
// plots are never shown.
class ReportCharts
{
  public:
    // Critical-path time per request by category, the baseline's bar beside the incident's.
    static std::unique_ptr<QCustomPlot> categories(const Report& report, const QFont& font);

    // The timeline: p50, p95 and p99 latency of the incident's requests over time (when it has
    // requests), then each metric of Report::Timeline in a panel of its own, all on one UTC time
    // axis with the same margins, the reference and the change's start marked.
    // width: what the panels will be drawn at, to which their titles are elided.
    static std::vector<std::unique_ptr<QCustomPlot>> timeline(const Report& report, const QFont& font,
                                                              int width);

    // The margin left of every timeline panel, where the y axis and its labels go.
    static constexpr int TimelineLeftMargin = 72;
};

} // namespace lundi
