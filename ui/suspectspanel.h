#pragma once

#include "analysis/suspects.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;

namespace lundi {

class Workbench;

// The ranked bottlenecks of the open incident, each one sentence of evidence. A baseline can be
// picked: the activity before the incident's latest stretch (a week-old Monday next to this
// one), or a source; the incident is then what the baseline is not. Clicking a suspect focuses
// the views on its evidence: the slow requests' time range, its frame, its slowest request.
class SuspectsPanel : public QWidget
{
    Q_OBJECT

  public:
    explicit SuspectsPanel(Workbench* workbench, QWidget* parent = nullptr);
    ~SuspectsPanel() override;

    const Suspects::Result& result() const { return m_result; }
    // Ranking is under way.
    bool busy() const { return m_busy; }

  Q_SIGNALS:
    void busyChanged(bool busy);
    // The user clicked a suspect whose time moved with a metric series.
    void seriesRequested(lundi::SeriesId series);

  private:
    // A baseline the user can pick, and the incident that goes with it.
    struct Comparison
    {
        QString label;
        std::optional<SpanFilter> baseline;
        SpanFilter incident;
    };

    void fillBaselines();
    void rank();
    void showResult(const Suspects::Result& result);
    void focus(int row);

    Workbench* m_workbench;
    std::vector<Comparison> m_comparisons;
    QComboBox* m_baseline;
    QLabel* m_summary;
    QListWidget* m_list;
    Suspects::Result m_result;
    quint64 m_request = 0;
    bool m_busy = false;
};

} // namespace lundi
