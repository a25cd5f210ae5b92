#pragma once

#include "analysis/incidentsnapshot.h"
#include "highlight.h"

#include <QHash>
#include <QImage>
#include <QSet>
#include <QWidget>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <vector>

class QScrollBar;

namespace lundi {

// Every track of an incident on one time axis: an overview strip of the whole incident with
// the visible window marked, a ruler in UTC (and relative to the selected range's start), and a
// lane per visible track whose rows hold the spans as TimelineLayout placed them.
//
// A lane of more than CompactRows rows (a service with a hundred requests at a time) starts
// compact: all its rows squashed into CompactHeightRows rows' height, a density picture of its
// spans without labels, so that every lane of an incident fits on the first screen. A click on its name
// expands it and another compacts it again; the choice is kept per track for new snapshots of the incident.
//
// Wheel zooms around the cursor (over the track names it scrolls), a drag in the lanes pans,
// W/S zoom around the centre, A/D pan, Home shows everything. A drag on the ruler selects a time
// range, a click there clears it; a click on a span selects it; a click or drag in the overview
// moves the window there.
class FlameChartView : public QWidget
{
    Q_OBJECT

  public:
    // One wheel notch (120 units) or one W keypress narrows the window to this share of its width;
    // S widens it by the inverse. A or D moves it by PanShare of its width.
    static constexpr double ZoomStep = 0.8;
    static constexpr double PanShare = 0.1;
    // Narrower than this the window does not get.
    static constexpr qint64 MinWindowNs = 100;
    // A lane of more rows than CompactRows starts compact, drawn CompactHeightRows rows tall:
    // enough for its name, its size and what a click does, and for the demo's three crowded
    // services, its four quieter ones and six GPUs to share a screen.
    static constexpr int CompactRows = 10;
    static constexpr int CompactHeightRows = 5;

    explicit FlameChartView(QWidget* parent = nullptr);
    ~FlameChartView() override;

    void setSnapshot(std::shared_ptr<const IncidentSnapshot> snapshot);
    void setHighlight(const Highlight& highlight);
    void setHiddenTracks(const QSet<TrackId>& tracks);
    // The span drawn outlined; one that is off screen is brought into view. 0: none.
    void setSelectedSpan(SpanId span);
    // Spans of this name are outlined; 0: none.
    void setSelectedFrame(StringId name);
    // The selected time range, shaded; empty: none.
    void setTimeRange(TimeRange range);

    TimeRange visibleWindow() const { return m_window; }
    // Clamped to the incident, and to at least MinWindowNs.
    void setVisibleWindow(TimeRange window);
    // While on (live probes run), a window that shows the incident's end slides with it as new
    // snapshots of the incident reach further; a window the user moved back stays where it is.
    void setFollowPresent(bool follow) { m_followPresent = follow; }

    // Compacts or expands a track's lane; a lane of CompactRows rows or fewer is always expanded.
    void setLaneExpanded(TrackId track, bool expanded);
    bool isLaneCompact(TrackId track) const;

    SpanId selectedSpan() const { return m_selectedSpan; }
    TimeRange timeRange() const { return m_range; }

    // Geometry, for tests and the window: where time is drawn, and the two strips above the lanes.
    QRect timeArea() const;
    QRect overviewRect() const;
    QRect rulerRect() const;
    QRect lanesRect() const;
    // The x of a time in the lanes and the time under an x.
    double xOf(qint64 timeNs) const;
    qint64 timeAt(double x) const;
    // The top of a layout row in widget coordinates (it may lie outside the lanes), or -1 if its
    // lane is hidden.
    int rowTop(int row) const;
    // How tall a layout row is drawn: rowHeight() in an expanded lane, a pixel or two in a compact
    // one (rows that share a pixel line get it each); -1 if its lane is hidden.
    int drawnRowHeight(int row) const;
    int rowHeight() const { return m_rowHeight; }

    QSize sizeHint() const override;

  Q_SIGNALS:
    void spanSelected(lundi::SpanId span);
    void rangeSelected(lundi::TimeRange range);
    void visibleWindowChanged(lundi::TimeRange window);
    void laneExpandedChanged(lundi::TrackId track, bool expanded);
    // Ctrl-drag of a lane: the user moved its source in time by this much.
    void sourceMoveRequested(lundi::SourceId source, qint64 shiftNs);

  protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    struct VisibleLane
    {
        int lane = 0; // index into the layout's lanes
        int top = 0;  // in content coordinates, from the top of the first lane
        int height = 0;
        int rowCount = 0;
        bool compact = false;
        int rowsHeight = 0; // of its rows, without the padding

        // The offset of a row (counted in the lane) from the top of the lane's rows, and how
        // many pixels it gets: in a compact lane rows share rowsHeight in proportion, and a row
        // whose share rounds to nothing still gets the pixel line it starts on.
        int rowOffset(int r, int rowHeight) const
        {
            return compact ? int(qint64(r) * rowsHeight / rowCount) : r * rowHeight;
        }
        int rowPixels(int r, int rowHeight) const
        {
            return compact ? std::max(1, rowOffset(r + 1, rowHeight) - rowOffset(r, rowHeight)) : rowHeight;
        }
    };
    // A box under a point: what a tooltip and a click need.
    struct Hit
    {
        int row = -1;
        TimelineLayout::Box box;
    };
    enum class Drag { None, Lanes, Ruler, Overview, Offset };

    void relayoutLanes();
    void updateScrollBar();
    void updateFontMetrics();
    void computeOverview();
    void zoomAround(double x, double factor);
    void panBy(qint64 ns);
    TimeRange fullRange() const;
    double nsPerPixel() const;
    int contentTop() const; // the widget y of content y 0
    const VisibleLane* visibleLaneOf(int lane) const;
    const VisibleLane* visibleLaneAt(int contentY) const;
    std::optional<Hit> hitAt(QPoint pos) const;
    QString toolTipFor(const Hit& hit) const;
    void revealSpan(qint32 index);

    void paintOverview(QPainter& painter);
    void paintRuler(QPainter& painter);
    void paintLanes(QPainter& painter);
    void paintLabel(QPainter& painter, const QRectF& box, StringId name);
    void paintEmpty(QPainter& painter, const QString& sentence) const;
    void paintSourceMove(QPainter& painter) const;

    std::shared_ptr<const IncidentSnapshot> m_snapshot;
    Highlight m_highlight;
    QSet<TrackId> m_hiddenTracks;
    QSet<TrackId> m_expandedTracks; // lanes the user expanded; the rest of the big ones are compact
    SpanId m_selectedSpan = 0;
    qint32 m_selectedIndex = -1;
    StringId m_selectedFrame = 0;
    TimeRange m_range;
    TimeRange m_window;
    bool m_followPresent = false;

    std::vector<VisibleLane> m_visibleLanes;
    int m_contentHeight = 0;
    QScrollBar* m_scrollBar;
    int m_scrollBarWidth = 0; // its size hint, which costs too much to ask at every x

    // Self time per category in each of OverviewBins slices of the incident, for the strip.
    static constexpr int OverviewBins = 1024;
    std::vector<std::array<float, 8>> m_overview;
    QImage m_overviewPicture; // m_overview drawn at the strip's size; null: to be drawn

    int m_rowHeight = 16;
    int m_charWidth = 7;
    int m_ascent = 12;
    int m_descent = 3;
    // Per name: its width in the current font (-1: not measured yet), and elided forms by width.
    std::vector<qint16> m_nameWidths;
    QHash<quint64, QString> m_elided;

    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    bool m_dragMoved = false;
    TimeRange m_pressWindow;
    int m_pressScroll = 0;
    SourceId m_offsetSource = 0; // the source a Ctrl-drag moves, by m_offsetShift so far
    qint64 m_offsetShift = 0;
    QPoint m_offsetPos;
    QImage m_canvas; // the lanes' boxes, drawn pixel by pixel
};

} // namespace lundi
