#pragma once

#include "analysis/criticalpathsummary.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;

namespace lundi {

class FlameGraphView;
class Workbench;

// What the traces waited for: for the traces (root spans) that start in the selected range on
// the visible tracks, all of them or the slowest 5 %, a flame graph of their critical-path time
// and a table of it by call path with p50/p95/p99 per trace. It computes off the GUI thread,
// and only while it is shown.
class CriticalPathView : public QWidget
{
    Q_OBJECT

  public:
    static constexpr double SlowestShare = 0.05;

    explicit CriticalPathView(Workbench* workbench, QWidget* parent = nullptr);
    ~CriticalPathView() override;

    // Computing is under way.
    bool busy() const { return m_pending > 0; }
    std::shared_ptr<const CriticalPathSummary> summary() const { return m_summary; }
    // All traces (false) or the slowest SlowestShare of them.
    void setSlowestOnly(bool slowest);

    FlameGraphView* flameGraph() const { return m_flameGraph; }
    QTableWidget* table() const { return m_table; }
    QLabel* caption() const { return m_caption; }

  Q_SIGNALS:
    void busyChanged(bool busy);
    void frameSelected(lundi::StringId name);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void computeLater();
    void compute();
    void showSummary();

    Workbench* m_workbench;
    std::shared_ptr<const CriticalPathSummary> m_summary;
    QComboBox* m_traces;
    QCheckBox* m_skew;
    QLabel* m_caption;
    FlameGraphView* m_flameGraph;
    QTableWidget* m_table;
    bool m_stale = true; // the range, tracks, incident or choice changed since the last computation
    quint64 m_request = 0;
    int m_pending = 0;
};

} // namespace lundi
