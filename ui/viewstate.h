#pragma once

#include "categoryset.h"
#include "model.h"

#include <QObject>
#include <QRegularExpression>
#include <QSet>

namespace lundi {

// The one state every view follows: selection, time range, search, category filter and hidden
// tracks. Views change it through the setters and redraw on its signals; a setter that changes
// nothing emits nothing.
class ViewState : public QObject
{
    Q_OBJECT

  public:
    using QObject::QObject;

    // The selected frame name (flame graph, sandwich, top table); 0: none.
    StringId selectedFrame() const { return m_selectedFrame; }
    void setSelectedFrame(StringId name);

    // The selected span (flame chart, details panel); 0: none.
    SpanId selectedSpan() const { return m_selectedSpan; }
    void setSelectedSpan(SpanId span);

    // The selected time range; empty: the whole incident.
    TimeRange timeRange() const { return m_timeRange; }
    void setTimeRange(TimeRange range);

    // A regular expression on span names; empty: no search. An invalid one matches nothing.
    const QRegularExpression& search() const { return m_search; }
    bool searching() const { return !m_search.pattern().isEmpty(); }
    void setSearch(const QString& pattern);

    CategorySet categories() const { return m_categories; }
    void setCategories(CategorySet categories);

    const QSet<TrackId>& hiddenTracks() const { return m_hiddenTracks; }
    void setHiddenTracks(const QSet<TrackId>& tracks);

    // Back to nothing selected, no range, no search, everything shown (a newly opened incident).
    void reset();

  Q_SIGNALS:
    void selectedFrameChanged(lundi::StringId name);
    void selectedSpanChanged(lundi::SpanId span);
    void timeRangeChanged(lundi::TimeRange range);
    void searchChanged();
    void categoriesChanged(lundi::CategorySet categories);
    void hiddenTracksChanged();

  private:
    StringId m_selectedFrame = 0;
    SpanId m_selectedSpan = 0;
    TimeRange m_timeRange;
    QRegularExpression m_search;
    CategorySet m_categories = CategorySet::all();
    QSet<TrackId> m_hiddenTracks;
};

} // namespace lundi
