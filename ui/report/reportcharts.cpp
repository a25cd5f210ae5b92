#include "reportcharts.h"

#include "categorypalette.h"
#include "customplot.h"
#include "durationunit.h"
#include "timeaxis.h"
#include "timeaxisticker.h"
#include "timeformat.h"

#include <algorithm>
#include <cmath>

namespace lundi {

namespace {

const QColor BaselineColour(150, 150, 150);
const QColor IncidentColour(205, 70, 55);
const QColor ReferenceColour(200, 30, 30);
const QColor ChangeColour(60, 60, 60);
const std::array<QColor, 3> LatencyColours{QColor(40, 110, 200), QColor(230, 140, 20), QColor(120, 40, 160)};
const std::array<QColor, 4> MetricColours{QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                          QColor(148, 60, 180)};

std::unique_ptr<QCustomPlot> newPlot(const QFont& font)
{
    auto plot = std::make_unique<QCustomPlot>();
    plot->setFont(font);
    plot->setBackground(Qt::white);
    plot->setPlottingHint(QCP::phCacheLabels, false);
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(font);
    }
    plot->legend->setFont(font);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    return plot;
}

// The legend in a row of its own above the data, where it covers nothing.
void legendAbove(QCustomPlot& plot)
{
    plot.legend->setVisible(true);
    plot.legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0, plot.legend);
    plot.plotLayout()->setRowStretchFactor(0, 0.001);
}

void addTitle(QCustomPlot& plot, const QString& text, const QFont& font, int width)
{
    QFont bold = font;
    bold.setBold(true);
    plot.plotLayout()->insertRow(0);
    // Plain text, elided: a metric's title carries labels from the incident's files.
    plot.plotLayout()->addElement(
        0, 0,
        new QCPTextElement(&plot, QFontMetricsF(bold).elidedText(text, Qt::ElideMiddle, width - 24), bold));
}

// A vertical line at a time, with a label at the top of the panel.
void markTime(QCustomPlot& plot, double key, const QString& label, const QFont& font)
{
    auto* line = new QCPItemStraightLine(&plot);
    line->point1->setCoords(key, 0);
    line->point2->setCoords(key, 1);
    line->setPen(QPen(ChangeColour, 1.2, Qt::DashLine));
    if (label.isEmpty())
        return;
    auto* text = new QCPItemText(&plot);
    text->position->setTypeX(QCPItemPosition::ptPlotCoords);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(key, 0.02);
    text->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    text->setPadding(QMargins(4, 0, 4, 0));
    text->setFont(font);
    text->setColor(ChangeColour);
    text->setBrush(QColor(255, 255, 255, 220));
    text->setText(label);
}

// Every timeline panel the same margins, so that their time axes line up.
void alignedMargins(QCustomPlot& plot)
{
    plot.axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    plot.axisRect()->setMargins(QMargins(ReportCharts::TimelineLeftMargin, 0, 16, 0));
}

} // namespace

std::unique_ptr<QCustomPlot> ReportCharts::categories(const Report& report, const QFont& font)
{
    auto plot = newPlot(font);
    const auto perRequest = [](const Breakdown::Summary& summary, size_t category) {
        return summary.requests > 0
                   ? double(summary.categories[category].criticalNs) / double(summary.requests)
                   : 0.0;
    };
    struct Row
    {
        Category category;
        double baselineNs;
        double incidentNs;
    };
    std::vector<Row> rows;
    for (size_t c = 0; c < AllCategories.size(); ++c) {
        const double before = report.baseline ? perRequest(report.baseline->overview.summary, c) : 0;
        const double after = perRequest(report.incident.overview.summary, c);
        if (before > 0 || after > 0)
            rows.push_back({AllCategories[c], before, after});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::max(a.incidentNs, a.baselineNs) > std::max(b.incidentNs, b.baselineNs);
    });
    double longest = 0;
    for (const Row& row : rows)
        longest = std::max({longest, row.baselineNs, row.incidentNs});
    const DurationUnit unit = DurationUnit::of(longest);

    // Horizontal bars, the category that took most at the top.
    QCPAxis* keys = plot->yAxis;
    QCPAxis* values = plot->xAxis;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int n = int(rows.size());
    for (int i = 0; i < n; ++i)
        ticker->addTick(n - i, categoryName(rows[size_t(i)].category));
    keys->setTicker(ticker);
    keys->setSubTicks(false);
    keys->setTickLength(0, 0);
    keys->grid()->setVisible(false);
    keys->setRange(0.4, n + 0.6);
    values->setLabel(QStringLiteral("critical-path time per request (%1)").arg(unit.name));
    values->setRange(0, std::max(longest / unit.ns, 1e-9) * 1.3);

    auto* group = new QCPBarsGroup(plot.get());
    group->setSpacing(1);
    const auto addBars = [&](const QString& name, const QColor& colour, double Row::*field) {
        auto* bars = new QCPBars(keys, values);
        bars->setName(name);
        bars->setBrush(colour);
        bars->setPen(Qt::NoPen);
        bars->setWidth(report.baseline ? 0.36 : 0.6);
        for (int i = 0; i < n; ++i)
            bars->addData(n - i, rows[size_t(i)].*field / unit.ns);
        if (report.baseline)
            bars->setBarsGroup(group);
        return bars;
    };
    if (report.baseline)
        addBars(QStringLiteral("baseline"), BaselineColour, &Row::baselineNs);
    addBars(QStringLiteral("incident"), IncidentColour, &Row::incidentNs);
    // Each bar's time at its end: the figure a reader looks for.
    const auto label = [&](double key, double ns, const QColor& colour) {
        auto* text = new QCPItemText(plot.get());
        text->position->setCoords(ns / unit.ns, key);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        text->setPadding(QMargins(4, 0, 0, 0));
        text->setFont(font);
        text->setColor(colour.darker(150));
        text->setText(TimeFormat::duration(qint64(std::llround(ns))));
    };
    for (int i = 0; i < n; ++i) {
        const Row& row = rows[size_t(i)];
        if (report.baseline) {
            // The group puts the baseline's bar below the key and the incident's above it.
            label(n - i - 0.19, row.baselineNs, BaselineColour);
            label(n - i + 0.19, row.incidentNs, IncidentColour);
        } else {
            label(n - i, row.incidentNs, IncidentColour);
        }
    }
    if (report.baseline)
        legendAbove(*plot);
    return plot;
}

std::vector<std::unique_ptr<QCustomPlot>> ReportCharts::timeline(const Report& report, const QFont& font,
                                                                 int width)
{
    std::vector<std::unique_ptr<QCustomPlot>> panels;
    const Report::Side& incident = report.incident;
    const TimeRange window = report.timeline.window;
    QSharedPointer<TimeAxisTicker> ticker(new TimeAxisTicker(window.startNs));
    const QCPRange range(ticker->keyOf(window.startNs), ticker->keyOf(window.endNs));
    const auto changeStart = [&](QCustomPlot& plot, bool labelled) {
        if (report.timeline.changeStartNs)
            markTime(plot, ticker->keyOf(*report.timeline.changeStartNs),
                     labelled ? QStringLiteral("change started %1 UTC")
                                    .arg(TimeAxis::utcLabel(*report.timeline.changeStartNs, 1'000'000'000))
                              : QString(),
                     font);
    };

    const Breakdown::Overview& overview = report.timeline.overview;
    if (incident.overview.summary.requests > 0) {
        auto plot = newPlot(font);
        alignedMargins(*plot);
        qint64 highest = report.timeline.referenceNs;
        for (const Breakdown::Bucket& bucket : overview.buckets)
            highest = std::max(highest, bucket.latency.p99);
        const DurationUnit unit = DurationUnit::of(double(highest));
        const char* const names[] = {"p50", "p95", "p99"};
        for (size_t l = 0; l < std::size(names); ++l) {
            QCPGraph* graph = plot->addGraph();
            graph->setName(QLatin1String(names[l]));
            graph->setPen(QPen(LatencyColours[l], 1.6));
            for (const Breakdown::Bucket& bucket : overview.buckets) {
                const qint64 ns = l == 0   ? bucket.latency.p50
                                  : l == 1 ? bucket.latency.p95
                                           : bucket.latency.p99;
                // A bucket without requests breaks the line rather than dipping to 0.
                graph->addData(ticker->keyOf(bucket.startNs + overview.stepNs / 2),
                               bucket.requests ? double(ns) / unit.ns : qQNaN());
            }
        }
        if (report.timeline.referenceNs > 0) {
            QCPGraph* line = plot->addGraph();
            line->setName(report.timeline.referenceLabel);
            line->setPen(QPen(ReferenceColour, 1.2, Qt::DashLine));
            const double y = double(report.timeline.referenceNs) / unit.ns;
            line->setData({range.lower, range.upper}, {y, y}, true);
        }
        plot->yAxis->setLabel(QStringLiteral("latency (%1)").arg(unit.name));
        plot->yAxis->setRange(0, std::max(double(highest) / unit.ns, 1e-9) * 1.15);
        changeStart(*plot, true);
        legendAbove(*plot);
        addTitle(*plot,
                 QStringLiteral("Latency of the requests that started in each %1")
                     .arg(TimeFormat::duration(overview.stepNs)),
                 font, width);
        panels.push_back(std::move(plot));
    }

    for (const Report::Timeline::Metric& metric : report.timeline.metrics) {
        auto plot = newPlot(font);
        alignedMargins(*plot);
        double low = qInf(), high = -qInf();
        for (size_t l = 0; l < metric.plot.lines.size(); ++l) {
            const MetricCatalog::Line& line = metric.plot.lines[l];
            QCPGraph* graph = plot->addGraph();
            graph->setName(line.label);
            graph->setPen(QPen(MetricColours[std::min(l, MetricColours.size() - 1)], 1.4));
            for (const Sample& point : line.points) {
                if (!std::isfinite(point.value))
                    continue;
                graph->addData(ticker->keyOf(point.timeNs), point.value);
                low = std::min(low, point.value);
                high = std::max(high, point.value);
            }
        }
        // Where a quantile is only known to be above the highest finite bound.
        std::vector<qint64> above;
        for (const MetricCatalog::Line& line : metric.plot.lines)
            above.insert(above.end(), line.aboveFiniteBoundsNs.begin(), line.aboveFiniteBoundsNs.end());
        if (!above.empty()) {
            std::sort(above.begin(), above.end());
            QCPGraph* graph = plot->addGraph();
            graph->setName(QStringLiteral("in the +Inf bucket"));
            graph->setLineStyle(QCPGraph::lsNone);
            graph->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssTriangle, ReferenceColour, ReferenceColour, 6));
            for (const qint64 t : above)
                graph->addData(ticker->keyOf(t), metric.plot.highestFiniteBound);
        }
        if (!std::isfinite(low)) {
            low = 0;
            high = 1;
        }
        const double pad = high > low ? (high - low) * 0.1 : std::max(std::abs(high) * 0.1, 1.0);
        plot->yAxis->setRange(low >= 0 && low - pad < 0 ? 0 : low - pad, high + pad);
        plot->yAxis->setLabel(metric.plot.unit.isEmpty() ? QStringLiteral("value") : metric.plot.unit);
        changeStart(*plot, false);
        if (metric.plot.lines.size() > 1 || !above.empty())
            legendAbove(*plot);
        addTitle(*plot, metric.title, font, width);
        panels.push_back(std::move(plot));
    }

    for (size_t p = 0; p < panels.size(); ++p) {
        QCPAxis* x = panels[p]->xAxis;
        x->setTicker(ticker);
        x->setRange(range);
        if (p + 1 == panels.size())
            x->setLabel(QStringLiteral("time (UTC)"));
    }
    return panels;
}

} // namespace lundi
