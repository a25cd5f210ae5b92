#pragma once

#include "analysis/baselinediff.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace lundi {

class ChangeLegend;
class ContributorsModel;
class FlameGraphView;
class Workbench;

// The incident against a baseline: two choices (a source of the incident, the latest stretch of
// activity or what came before it, the selected time range or what came before it, the whole
// incident), the differential flame graph of the two (the incident's widths, or the baseline's
// so that vanished stacks show; coloured by the change in share of time) with the legend of its
// scale, and under it the table of the call paths and categories that explain the change of
// critical-path time; a click on a path zooms the graph into it. It compares off the GUI thread,
// and only while it is shown.
class DiffView : public QWidget
{
    Q_OBJECT

  public:
    explicit DiffView(Workbench* workbench, QWidget* parent = nullptr);
    ~DiffView() override;

    // Comparing is under way.
    bool busy() const { return m_pending > 0; }
    // The last comparison, or null.
    std::shared_ptr<const BaselineDiff> diff() const { return m_diff; }

    QComboBox* baselineChoice() const { return m_baselineChoice; }
    QComboBox* incidentChoice() const { return m_incidentChoice; }
    QCheckBox* baselineWidths() const { return m_baselineWidths; }
    FlameGraphView* graph() const { return m_graph; }
    ChangeLegend* legend() const { return m_legend; }
    QTableView* table() const { return m_table; }
    ContributorsModel* contributors() const { return m_model; }

  Q_SIGNALS:
    void busyChanged(bool busy);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    struct Choice
    {
        QString label;
        QString detail; // the range or the file, as a tooltip
        SpanSelection selection;
    };

    // Fills both choices, keeping what each had chosen where it is still there.
    void updateChoices();
    // What a choice stands for now, if anything.
    std::optional<SpanSelection> selection(const QComboBox* choice) const;
    void compareLater();
    void compare();
    void showDiff();
    QString noteFor(qint32 node) const;
    // Zooms the graph into the call path of a table row, if it is one.
    void showContributor(const QModelIndex& index);

    Workbench* m_workbench;
    std::vector<Choice> m_choices;
    std::shared_ptr<const BaselineDiff> m_diff;
    QComboBox* m_baselineChoice;
    QComboBox* m_incidentChoice;
    QCheckBox* m_baselineWidths;
    ChangeLegend* m_legend;
    QLabel* m_summary;
    FlameGraphView* m_graph;
    ContributorsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    bool m_stale = true; // the choices changed since the last comparison
    quint64 m_request = 0;
    int m_pending = 0;
};

} // namespace lundi
