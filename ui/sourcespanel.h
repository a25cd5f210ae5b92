#pragma once

#include "analysis/incidentsnapshot.h"

#include <QSet>
#include <QTreeWidget>

#include <memory>

namespace lundi {

// The incident's sources with their tracks and metrics, and how much each holds. Unticking a
// track, or a source with all its tracks, hides it from every view; ticking a metric plots it.
class SourcesPanel : public QTreeWidget
{
    Q_OBJECT

  public:
    explicit SourcesPanel(QWidget* parent = nullptr);

    void setSnapshot(const std::shared_ptr<const IncidentSnapshot>& snapshot);
    void setHiddenTracks(const QSet<TrackId>& hidden);
    // Ticks a metric (named by its first series) as plotted, as a click on it would.
    void setMetricPlotted(SeriesId metric, bool plotted);

  Q_SIGNALS:
    void hiddenTracksChanged(const QSet<lundi::TrackId>& hidden);
    // The user set a source's clock offset (its context menu).
    void clockOffsetChosen(lundi::SourceId source, qint64 offsetNs);
    // The user ticked or unticked a metric: plot it under the flame chart, or stop.
    void metricToggled(lundi::SeriesId metric, bool plotted);

  private:
    QSet<TrackId> hiddenTracks() const;
    void askClockOffset(const QTreeWidgetItem* source);
    static QSet<TrackId> tracksOf(const QTreeWidgetItem* source);

    bool m_applying = false;
};

} // namespace lundi
