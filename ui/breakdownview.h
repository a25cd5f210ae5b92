#pragma once

#include "analysis/breakdown.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCPBars;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace lundi {

class Workbench;

// Where the requests' time went, and how long they took: for the requests (root spans) that
// start in the selected range (with none, the latest stretch of activity) on the visible tracks,
// the slowest requests' critical-path time by category per time bucket (stacked bars), latency
// percentiles over time and a latency histogram, both against an SLO the user types, and a
// table of critical-path and self time by category. It computes off the GUI thread, and only
// while it is shown.
class BreakdownView : public QWidget
{
    Q_OBJECT

  public:
    // The share of each bucket's slowest requests whose time the stacked bars show.
    static constexpr double SlowestShare = 0.05;

    explicit BreakdownView(Workbench* workbench, QWidget* parent = nullptr);
    ~BreakdownView() override;

    // Computing is under way.
    bool busy() const { return m_pending > 0; }
    // The last result, or null.
    std::shared_ptr<const Breakdown::Overview> overview() const { return m_overview; }
    // The SLO as typed, if it reads as a duration above zero.
    std::optional<qint64> slo() const;
    void setSlo(const QString& text);
    // Selects the time range of the bucket at index (what a click on its bars does).
    void selectBucket(int index);
    // What the pointer at pos (in the plot's pixels) is over, as its tooltip says; empty over
    // nothing.
    QString toolTipAt(const QCustomPlot* plot, QPointF pos) const;

    QLabel* summary() const { return m_summary; }
    QLabel* sloSummary() const { return m_sloSummary; }
    QCustomPlot* slowestPlot() const { return m_slowest; }
    QCustomPlot* percentilePlot() const { return m_percentiles; }
    QCustomPlot* histogramPlot() const { return m_histogram; }
    QTableWidget* table() const { return m_table; }

  Q_SIGNALS:
    void busyChanged(bool busy);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void computeLater();
    void compute();
    void showOverview();
    void showSlowest();
    void showPercentiles(std::optional<qint64> slo);
    void showHistogram(std::optional<qint64> slo);
    void showTable();
    void showSlo();

    Workbench* m_workbench;
    std::shared_ptr<const Breakdown::Overview> m_overview;
    bool m_latestActivity = false; // the scope is the latest activity, not a selected range
    QLabel* m_summary;
    QLineEdit* m_sloEdit;
    QLabel* m_sloSummary;
    QCustomPlot* m_slowest;
    QCustomPlot* m_percentiles;
    QCustomPlot* m_histogram;
    QTableWidget* m_table;
    bool m_stale = true; // the range, tracks or incident changed since the last computation
    quint64 m_request = 0;
    int m_pending = 0;
};

} // namespace lundi
