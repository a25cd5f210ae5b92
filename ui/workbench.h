#pragma once

#include "analysis/flametree.h"
#include "analysis/incidentsnapshot.h"
#include "analysis/toplist.h"
#include "highlight.h"
#include "viewstate.h"

#include <QObject>

#include <memory>
#include <optional>

namespace lundi {

class Store;

// The open incident and what the views show of it. It loads snapshots of the incident file,
// re-aggregates the flame tree and the top list when the time range or the hidden tracks
// change, and matches the search against span names; all of that off the GUI thread, with
// results that arrive late for an older request dropped. Views read its results, and change
// only the ViewState.
class Workbench : public QObject
{
    Q_OBJECT

  public:
    explicit Workbench(QObject* parent = nullptr);
    ~Workbench() override;

    ViewState* state() { return &m_state; }
    const QString& path() const { return m_path; }
    std::shared_ptr<const IncidentSnapshot> snapshot() const { return m_snapshot; }
    // The span names of the snapshot, by StringId (shares the snapshot's lifetime).
    std::shared_ptr<const std::vector<QString>> names() const;
    std::shared_ptr<const FlameTree> flameTree() const { return m_tree; }
    std::shared_ptr<const std::vector<TopList::Entry>> topList() const { return m_topList; }
    const Highlight& highlight() const { return m_highlight; }
    // "42 spans match, 12.5% of the time", or empty with no search.
    QString searchSummary() const { return m_searchSummary; }
    // Loading, aggregating or matching is under way.
    bool busy() const { return m_pending > 0; }

    // Opens an incident file (creating it if it does not exist); loadFailed says why not.
    void open(const QString& path);
    // Reads the open incident again, keeping the view state (after an import).
    void reload();
    std::optional<Span> span(SpanId id) const;
    // Moves a source in time (its clock offset, kept in the incident) and reloads; loadFailed
    // says why not (another program writing the file, a read-only file).
    void setClockOffset(SourceId source, qint64 offsetNs);
    // Whether the flame tree merges identical stacks of all tracks or has a root per track.
    FlameTree::Roots roots() const { return m_roots; }
    void setRoots(FlameTree::Roots roots);
    // The name the sources panel gives a track, for the track frames of Roots::ByTrack.
    QString trackName(TrackId id) const;

  Q_SIGNALS:
    void opened(const QString& path);
    void loadFailed(const QString& sentence);
    void snapshotChanged();
    void flameTreeChanged();
    void highlightChanged();
    void busyChanged(bool busy);

  private:
    void load(bool keepState);
    void aggregate();
    void matchSearch();
    void summariseSearch();
    void begin();
    void end();

    ViewState m_state;
    QString m_path;
    std::unique_ptr<Store> m_store; // reads single spans for the details panel
    std::shared_ptr<const IncidentSnapshot> m_snapshot;
    std::shared_ptr<const FlameTree> m_tree;
    std::shared_ptr<const std::vector<TopList::Entry>> m_topList;
    Highlight m_highlight;
    FlameTree::Roots m_roots = FlameTree::Roots::Merged;
    QString m_searchSummary;
    // Each request takes a number; a result for an older number than the latest is dropped.
    quint64 m_loadRequest = 0;
    quint64 m_aggregateRequest = 0;
    quint64 m_searchRequest = 0;
    int m_pending = 0;
};

} // namespace lundi
