#pragma once

#include "analysis/correlation.h"
#include "analysis/incidentsnapshot.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTableWidget;

namespace lundi {

// Every metric series ranked by Spearman's correlation with root-span latency over the selected
// range (Correlation), computed off the GUI thread whenever the incident or the range changes.
// A click on a row asks for that series to be plotted under the flame chart.
class CorrelationPanel : public QWidget
{
    Q_OBJECT

  public:
    explicit CorrelationPanel(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const IncidentSnapshot> snapshot);
    // The selected range; empty: the whole incident.
    void setRange(TimeRange range);
    bool busy() const { return m_pending > 0; }
    QTableWidget* table() const { return m_table; }
    const Correlation::Result& result() const { return m_result; }

  Q_SIGNALS:
    // The metric of a row, by its first series (as MetricCatalog names metrics).
    void metricChosen(lundi::SeriesId metric);
    void busyChanged(bool busy);

  private:
    void compute();
    void show(const Correlation::Result& result);

    std::shared_ptr<const IncidentSnapshot> m_snapshot;
    TimeRange m_range;
    Correlation::Result m_result;
    QLabel* m_summary;
    QTableWidget* m_table;
    quint64 m_request = 0;
    int m_pending = 0;
};

} // namespace lundi
