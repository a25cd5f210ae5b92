#pragma once

#include "analysis/incidentsnapshot.h"
#include "analysis/metriccatalog.h"

#include <QHash>
#include <QWidget>

#include <memory>
#include <unordered_map>

class QCPItemRect;
class QCustomPlot;
class QLabel;
class QVBoxLayout;

namespace lundi {

class FlameChartView;
class TimeAxisTicker;

// Metric plots under the flame chart, one QCustomPlot per metric, on the chart's time axis: the
// same visible window (zooming or panning a plot moves the chart, and the other way round) and
// the same x pixels (the plots' left margin is the chart's lane-name column). A counter is
// drawn as its rate, a histogram as p50/p95/p99 with a warning where a quantile fell in the
// +Inf bucket, exemplars as dots that open their trace. Samples are read off the GUI thread.
class MetricPlotPanel : public QWidget
{
    Q_OBJECT

  public:
    explicit MetricPlotPanel(QWidget* parent = nullptr);
    ~MetricPlotPanel() override;

    // Follows the chart's visible window and geometry, and moves it when a plot is zoomed.
    void alignWith(FlameChartView* chart);
    void setSnapshot(std::shared_ptr<const IncidentSnapshot> snapshot);
    const std::vector<MetricCatalog::Metric>& catalog() const { return m_catalog; }

    // Metrics are named by their first series (MetricCatalog::Metric::series.front()).
    void setPlotted(SeriesId metric, bool plotted);
    QList<SeriesId> plotted() const;
    // Plots every metric whose name (or title, with labels) is this; how many it found.
    int plotByName(const QString& name);
    // Every plot has its samples.
    bool isSettled() const { return m_loading == 0; }

    // The plot of a metric, for tests; nullptr if it is not plotted.
    QCustomPlot* plotOf(SeriesId metric) const;
    // The warning shown above a plot ("p99 above the highest finite bucket..."), empty if none.
    QString warningOf(SeriesId metric) const;
    void setVisibleWindow(TimeRange window);
    // The selected time range, shaded as the chart shades it; empty: none.
    void setSelectedRange(TimeRange range);

  Q_SIGNALS:
    void plottedChanged(lundi::SeriesId metric, bool plotted);
    void visibleWindowChanged(lundi::TimeRange window);
    // A click on an exemplar whose trace has a root span: select and show it.
    void spanRequested(lundi::SpanId span);
    // What the status bar should say (an exemplar whose trace is not in the incident).
    void message(const QString& sentence);
    void settled();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    // What a plot with its header wants to be readable.
    static constexpr int PlotHeight = 190;

    struct Panel
    {
        QWidget* frame = nullptr;
        QCustomPlot* plot = nullptr;
        QLabel* warning = nullptr;
        QCPItemRect* selection = nullptr;
        std::vector<QString> exemplarTraces; // in the order of the exemplar graph's points
        QString unit;                        // of the y axis
        quint64 request = 0;
    };

    const MetricCatalog::Metric* metricOf(SeriesId metric) const;
    void load(SeriesId metric);
    void show(SeriesId metric, const MetricCatalog::Plot& data);
    void openExemplar(const QString& traceId);
    // The exemplar under a point of a plot, as an index into its exemplar graph; -1 if none.
    static int exemplarAt(QCustomPlot* plot, const QPointF& pos);
    void showExemplarTip(SeriesId metric, QMouseEvent* event);
    void alignMargins();
    void makeRoom();
    void applyWindow(QCustomPlot* plot);
    void applySelection(const Panel& panel);

    std::shared_ptr<const IncidentSnapshot> m_snapshot;
    std::vector<MetricCatalog::Metric> m_catalog;
    std::unordered_map<SeriesId, Panel> m_panels;
    QList<SeriesId> m_order; // of the plots, top to bottom
    QVBoxLayout* m_layout;
    FlameChartView* m_chart = nullptr;
    QSharedPointer<TimeAxisTicker> m_ticker;
    TimeRange m_window;
    TimeRange m_selected;
    bool m_applyingWindow = false;
    int m_loading = 0;
    quint64 m_requests = 0;
    // Root spans by trace id, read on the first exemplar click of a snapshot.
    std::optional<QHash<QString, SpanId>> m_rootsByTrace;
};

} // namespace lundi
