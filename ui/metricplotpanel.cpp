#include "metricplotpanel.h"

#include "flamechartview.h"
#include "plaintooltip.h"
#include "store/store.h"
#include "store/storeerror.h"
#include "timeaxisticker.h"
#include "timeformat.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace lundi {

namespace {

// p50, p95, p99 from calm to alarming; a single line in the first.
const std::array<QColor, 3> LineColors{QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                       QColor(0xd6, 0x27, 0x28)};
const QColor ExemplarColor(0x94, 0x3c, 0xb4);
const QColor AboveBoundsColor(0xc0, 0x00, 0x00);

struct Loaded
{
    MetricCatalog::Plot plot;
    QString error;
};

QString withUnit(double value, const QString& unit)
{
    const QString number = QString::number(value, 'g', 4);
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

// Trace ids as the importers store them: lower-case hex, zero-padded to 32 digits.
QString normalisedTraceId(const QString& id)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{1,32}$"));
    const QString lower = id.toLower();
    return hex.match(lower).hasMatch() ? lower.rightJustified(32, QLatin1Char('0')) : lower;
}

} // namespace

MetricPlotPanel::MetricPlotPanel(QWidget* parent)
    : QWidget(parent), m_layout(nullptr), m_ticker(new TimeAxisTicker(0))
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* inner = new QWidget(scroll);
    m_layout = new QVBoxLayout(inner);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_layout->addStretch(1);
    scroll->setWidget(inner);
    outer->addWidget(scroll);
    hide(); // until a metric is plotted
}

MetricPlotPanel::~MetricPlotPanel() = default;

void MetricPlotPanel::alignWith(FlameChartView* chart)
{
    m_chart = chart;
    chart->installEventFilter(this);
    connect(chart, &FlameChartView::visibleWindowChanged, this, &MetricPlotPanel::setVisibleWindow);
    connect(this, &MetricPlotPanel::visibleWindowChanged, chart, &FlameChartView::setVisibleWindow);
    setVisibleWindow(chart->visibleWindow());
}

bool MetricPlotPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize || event->type() == QEvent::Show)
        alignMargins();
    return QWidget::eventFilter(watched, event);
}

void MetricPlotPanel::setSnapshot(std::shared_ptr<const IncidentSnapshot> snapshot)
{
    // Another incident starts without a selected range (its view state is reset silently).
    if (!snapshot || !m_snapshot || snapshot->path != m_snapshot->path)
        m_selected = {};
    m_snapshot = std::move(snapshot);
    m_rootsByTrace.reset();
    m_catalog = m_snapshot ? MetricCatalog::build(m_snapshot->series, m_snapshot->sources)
                           : std::vector<MetricCatalog::Metric>{};
    m_ticker.reset(new TimeAxisTicker(m_snapshot ? m_snapshot->timeRange.startNs : 0));
    // Plots of metrics the incident still has are read again (an import may have added samples).
    for (const SeriesId id : plotted()) {
        if (!metricOf(id)) {
            setPlotted(id, false);
            continue;
        }
        m_panels[id].plot->xAxis->setTicker(m_ticker);
        applySelection(m_panels[id]);
        load(id);
    }
}

const MetricCatalog::Metric* MetricPlotPanel::metricOf(SeriesId metric) const
{
    const auto it = std::find_if(m_catalog.begin(), m_catalog.end(),
                                 [&](const MetricCatalog::Metric& m) { return m.series.front() == metric; });
    return it != m_catalog.end() ? &*it : nullptr;
}

QList<SeriesId> MetricPlotPanel::plotted() const
{
    return m_order;
}

QCustomPlot* MetricPlotPanel::plotOf(SeriesId metric) const
{
    const auto it = m_panels.find(metric);
    return it != m_panels.end() ? it->second.plot : nullptr;
}

QString MetricPlotPanel::warningOf(SeriesId metric) const
{
    const auto it = m_panels.find(metric);
    return it != m_panels.end() && !it->second.warning->isHidden() ? it->second.warning->text() : QString();
}

int MetricPlotPanel::plotByName(const QString& name)
{
    int found = 0;
    for (const MetricCatalog::Metric& metric : m_catalog) {
        if (metric.name == name || metric.title() == name) {
            setPlotted(metric.series.front(), true);
            ++found;
        }
    }
    return found;
}

void MetricPlotPanel::setPlotted(SeriesId id, bool plotted)
{
    if (plotted == m_panels.contains(id))
        return;
    if (!plotted) {
        Panel& panel = m_panels[id];
        delete panel.frame;
        m_panels.erase(id);
        m_order.removeOne(id);
        setVisible(!m_order.isEmpty());
        Q_EMIT plottedChanged(id, false);
        return;
    }
    const MetricCatalog::Metric* metric = metricOf(id);
    if (!metric)
        return;
    Panel& panel = m_panels[id];
    panel.frame = new QWidget;
    auto* box = new QVBoxLayout(panel.frame);
    box->setContentsMargins(0, 0, 0, 0);
    box->setSpacing(0);
    auto* header = new QHBoxLayout;
    header->setContentsMargins(6, 0, 0, 0);
    auto* title = new QLabel;
    title->setTextFormat(Qt::PlainText);
    const QString transform = metric->transform();
    title->setText(transform.isEmpty() ? metric->title() : tr("%1 · %2").arg(metric->title(), transform));
    title->setToolTip(plainToolTip(title->text()));
    title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    header->addWidget(title, 1);
    auto* close = new QToolButton;
    close->setText(QStringLiteral("×"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Remove this plot"));
    connect(close, &QToolButton::clicked, this, [this, id] { setPlotted(id, false); });
    header->addWidget(close);
    box->addLayout(header);
    panel.warning = new QLabel;
    panel.warning->setTextFormat(Qt::PlainText);
    panel.warning->setWordWrap(true);
    panel.warning->setStyleSheet(QStringLiteral("QLabel { color: #b00000; padding-left: 6px; }"));
    panel.warning->hide();
    box->addWidget(panel.warning);

    panel.plot = new QCustomPlot;
    QCustomPlot* plot = panel.plot;
    plot->setMinimumHeight(PlotHeight - 40);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    plot->axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    plot->xAxis->setTicker(m_ticker);
    plot->xAxis->grid()->setVisible(true);
    // The legend in a row of its own above the data, where it hides no point one might click.
    plot->legend->setVisible(false);
    QFont small = plot->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    plot->legend->setFont(small);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
    plot->installEventFilter(this);
    connect(
        plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& range) {
            if (!m_applyingWindow)
                Q_EMIT visibleWindowChanged({m_ticker->timeOf(range.lower), m_ticker->timeOf(range.upper)});
        });
    connect(plot, &QCustomPlot::mouseMove, this,
            [this, id](QMouseEvent* event) { showExemplarTip(id, event); });
    connect(plot, &QCustomPlot::plottableClick, this, [this, id](QCPAbstractPlottable* plottable, int index) {
        const auto it = m_panels.find(id);
        if (it == m_panels.end() || plottable->name() != tr("exemplars") || index < 0 ||
            size_t(index) >= it->second.exemplarTraces.size())
            return;
        openExemplar(it->second.exemplarTraces[size_t(index)]);
    });
    panel.selection = new QCPItemRect(plot);
    panel.selection->setLayer(QStringLiteral("grid"));
    panel.selection->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    panel.selection->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    QColor shade = palette().color(QPalette::Highlight);
    shade.setAlpha(60);
    panel.selection->setBrush(shade);
    panel.selection->setPen(Qt::NoPen);
    applySelection(panel);
    box->addWidget(plot, 1);
    m_layout->insertWidget(m_layout->count() - 1, panel.frame);
    m_order.append(id);
    applyWindow(plot);
    setVisible(true);
    makeRoom();
    alignMargins();
    load(id);
    Q_EMIT plottedChanged(id, true);
}

void MetricPlotPanel::load(SeriesId id)
{
    const MetricCatalog::Metric* metric = metricOf(id);
    if (!metric || !m_snapshot)
        return;
    Panel& panel = m_panels[id];
    panel.request = ++m_requests;
    ++m_loading;
    QtConcurrent::run([path = m_snapshot->path, metric = *metric]() -> Loaded {
        try {
            const Store store(path);
            return {MetricCatalog::plot(metric, [&](SeriesId series) { return store.samples(series); }), {}};
        } catch (const StoreError& error) {
            return {{}, error.sentence()};
        }
    }).then(this, [this, id, request = panel.request](const Loaded& loaded) {
        --m_loading;
        const auto it = m_panels.find(id);
        if (it != m_panels.end() && it->second.request == request) {
            if (loaded.error.isEmpty())
                show(id, loaded.plot);
            else
                Q_EMIT message(loaded.error);
        }
        if (m_loading == 0)
            Q_EMIT settled();
    });
}

void MetricPlotPanel::show(SeriesId id, const MetricCatalog::Plot& data)
{
    Panel& panel = m_panels[id];
    QCustomPlot* plot = panel.plot;
    plot->clearGraphs();
    double low = qInf();
    double high = -qInf();
    const auto add = [&](const QString& name, const std::vector<Sample>& points) {
        QCPGraph* graph = plot->addGraph();
        graph->setName(name);
        QVector<double> keys;
        QVector<double> values;
        keys.reserve(qsizetype(points.size()));
        values.reserve(qsizetype(points.size()));
        for (const Sample& point : points) {
            if (!std::isfinite(point.value))
                continue;
            keys.append(m_ticker->keyOf(point.timeNs));
            values.append(point.value);
            low = std::min(low, point.value);
            high = std::max(high, point.value);
        }
        graph->setData(keys, values, true);
        return graph;
    };
    for (size_t i = 0; i < data.lines.size(); ++i) {
        const MetricCatalog::Line& line = data.lines[i];
        QCPGraph* graph = add(line.label, line.points);
        graph->setPen(QPen(LineColors[std::min(i, LineColors.size() - 1)], 1.5));
    }
    // Where a quantile is only known to be above the highest finite bound: a red triangle there.
    std::vector<Sample> above;
    QStringList aboveCounts;
    for (const MetricCatalog::Line& line : data.lines) {
        for (const qint64 timeNs : line.aboveFiniteBoundsNs)
            above.push_back({timeNs, data.highestFiniteBound});
        if (!line.aboveFiniteBoundsNs.empty())
            aboveCounts.append(tr("%1 at %2 of %3 points")
                                   .arg(line.label)
                                   .arg(line.aboveFiniteBoundsNs.size())
                                   .arg(line.points.size()));
    }
    if (!above.empty()) {
        std::sort(above.begin(), above.end(),
                  [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
        QCPGraph* graph = add(tr("in the +Inf bucket"), above);
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssTriangle, AboveBoundsColor, AboveBoundsColor, 8));
    }
    std::vector<MetricCatalog::Exemplar> exemplars = data.exemplars;
    std::sort(exemplars.begin(), exemplars.end(),
              [](const auto& a, const auto& b) { return a.timeNs < b.timeNs; });
    panel.exemplarTraces.clear();
    if (!exemplars.empty()) {
        std::vector<Sample> points;
        for (const MetricCatalog::Exemplar& exemplar : exemplars) {
            if (!std::isfinite(exemplar.value))
                continue;
            points.push_back({exemplar.timeNs, exemplar.value});
            panel.exemplarTraces.push_back(exemplar.traceId);
        }
        QCPGraph* graph = add(tr("exemplars"), points);
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, ExemplarColor, ExemplarColor, 7));
    }
    plot->legend->setVisible(plot->graphCount() > 1);
    panel.unit = data.unit;
    plot->yAxis->setLabel(data.unit.isEmpty() ? tr("value") : data.unit);
    if (low <= high) {
        const double pad = low < high ? (high - low) * 0.08 : std::max(1.0, std::abs(low) * 0.1);
        plot->yAxis->setRange(low - pad, high + pad);
    }
    if (aboveCounts.isEmpty()) {
        panel.warning->hide();
    } else {
        panel.warning->setText(
            tr("⚠ A quantile fell in the +Inf bucket (%1): there the real value is unknown, only that it is "
               "above "
               "%2, the highest finite bound, where it is drawn (red triangles).")
                .arg(aboveCounts.join(QStringLiteral(", ")), withUnit(data.highestFiniteBound, data.unit)));
        panel.warning->show();
    }
    applyWindow(plot);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

int MetricPlotPanel::exemplarAt(QCustomPlot* plot, const QPointF& pos)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph* graph = plot->graph(i);
        if (graph->name() != tr("exemplars"))
            continue;
        QVariant details;
        const double distance = graph->selectTest(pos, false, &details);
        const QCPDataSelection hit = details.value<QCPDataSelection>();
        if (distance >= 0 && distance <= plot->selectionTolerance() && !hit.isEmpty())
            return hit.dataRange().begin();
    }
    return -1;
}

void MetricPlotPanel::showExemplarTip(SeriesId metric, QMouseEvent* event)
{
    const auto it = m_panels.find(metric);
    if (it == m_panels.end())
        return;
    const Panel& panel = it->second;
    const int index = exemplarAt(panel.plot, event->position());
    if (index < 0 || size_t(index) >= panel.exemplarTraces.size()) {
        QToolTip::hideText();
        return;
    }
    QCPGraph* graph = nullptr;
    for (int i = 0; i < panel.plot->graphCount() && !graph; ++i) {
        if (panel.plot->graph(i)->name() == tr("exemplars"))
            graph = panel.plot->graph(i);
    }
    const auto point = graph->data()->at(index);
    const QString& trace = panel.exemplarTraces[size_t(index)];
    QToolTip::showText(event->globalPosition().toPoint(),
                       plainToolTip(tr("Exemplar: %1 at %2\n%3")
                                        .arg(withUnit(point->value, panel.unit),
                                             TimeFormat::utc(m_ticker->timeOf(point->key)),
                                             trace.isEmpty() ? tr("It names no trace.")
                                                             : tr("Trace %1: click to open it.").arg(trace))),
                       panel.plot);
}

void MetricPlotPanel::openExemplar(const QString& traceId)
{

    if (traceId.isEmpty()) {
        Q_EMIT message(tr("This exemplar names no trace id."));
        return;
    }
    if (!m_snapshot)
        return;
    if (!m_rootsByTrace) {
        QHash<QString, SpanId> roots;
        try {
            for (const auto& [span, trace] : Store(m_snapshot->path).rootTraceIds())
                roots.insert(trace, span);
        } catch (const StoreError& error) {
            Q_EMIT message(error.sentence());
            return;
        }
        m_rootsByTrace = std::move(roots);
    }
    const QString id = normalisedTraceId(traceId);
    const SpanId span = m_rootsByTrace->value(id);
    if (!span) {
        Q_EMIT message(
            tr("No span of this incident has the exemplar's trace id %1: import that trace to see it.")
                .arg(traceId));
        return;
    }
    Q_EMIT spanRequested(span);
    Q_EMIT message(tr("Trace %1: its root span is selected in the flame chart.").arg(id));
}

void MetricPlotPanel::setVisibleWindow(TimeRange window)
{
    m_window = window;
    for (const SeriesId id : m_order)
        applyWindow(m_panels[id].plot);
}

void MetricPlotPanel::setSelectedRange(TimeRange range)
{
    m_selected = range;
    for (const auto& [id, panel] : m_panels) {
        applySelection(panel);
        panel.plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void MetricPlotPanel::applySelection(const Panel& panel)
{
    panel.selection->setVisible(!m_selected.isEmpty());
    panel.selection->topLeft->setCoords(m_ticker->keyOf(m_selected.startNs), 0);
    panel.selection->bottomRight->setCoords(m_ticker->keyOf(m_selected.endNs), 1);
}

void MetricPlotPanel::applyWindow(QCustomPlot* plot)
{
    if (m_window.isEmpty())
        return;
    // The chart draws a grid line every 100 pixels or more: so do the plots, on the same times.
    if (m_chart)
        m_ticker->setTickCount(std::max(2, m_chart->timeArea().width() / 100));
    m_applyingWindow = true;
    plot->xAxis->setRange(m_ticker->keyOf(m_window.startNs), m_ticker->keyOf(m_window.endNs));
    m_applyingWindow = false;
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlotPanel::makeRoom()
{
    // A splitter keeps the chart's share as it was: take up to half of it for the plots.
    auto* splitter = qobject_cast<QSplitter*>(parentWidget());
    if (!splitter || splitter->count() != 2 || splitter->widget(1) != this)
        return;
    const QList<int> sizes = splitter->sizes();
    const int total = sizes[0] + sizes[1];
    const int wanted = std::min(total / 2, int(m_order.size()) * PlotHeight);
    if (sizes[1] < wanted)
        splitter->setSizes({total - wanted, wanted});
}

void MetricPlotPanel::alignMargins()
{
    if (!m_chart)
        return;
    const QRect area = m_chart->timeArea();
    const int chartLeft = m_chart->mapToGlobal(area.topLeft()).x();
    const int chartRight = m_chart->mapToGlobal(area.topRight()).x() + 1;
    for (const SeriesId id : m_order) {
        QCustomPlot* plot = m_panels[id].plot;
        const int plotLeft = plot->mapToGlobal(QPoint(0, 0)).x();
        const int plotRight = plotLeft + plot->width();
        const QMargins margins = plot->axisRect()->margins();
        const QMargins wanted(std::max(0, chartLeft - plotLeft), margins.top(),
                              std::max(0, plotRight - chartRight), margins.bottom());
        if (wanted != margins) {
            plot->axisRect()->setMargins(wanted);
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
    }
}

} // namespace lundi
