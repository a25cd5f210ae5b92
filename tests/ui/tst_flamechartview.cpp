// FlameChartView rendered offscreen on a hand-made incident: where boxes land, what the wheel,
// the keys and the ruler do to the window and the range, the colours of a search, and lanes of
// many rows drawn compact until a click on their name expands them.
// TimeAxis, the ruler's ticks and labels, is checked here too.

#include "categorypalette.h"
#include "flamechartview.h"
#include "timeaxis.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include <cmath>

using namespace lundi;

namespace {

// 2026-11-23T08:14:05Z
constexpr qint64 T0 = 1795421645LL * 1'000'000'000;
constexpr qint64 Second = 1'000'000'000;

// Two tracks, each of a source of its own, over one second: "alpha" (api) 100-400 ms and "beta" (gpu) 500-900 ms on track 1,
// "gamma" (network) 200-600 ms on track 2; "delta" under alpha on track 1, 150-250 ms.
std::shared_ptr<const IncidentSnapshot> smallIncident()
{
    auto snapshot = std::make_shared<IncidentSnapshot>();
    snapshot->strings = {QString(), QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma"),
                         QStringLiteral("delta")};
    for (TrackId id : {1, 2}) {
        Track track;
        track.id = id;
        track.source = id;
        track.name = QStringLiteral("track-%1").arg(id);
        track.kind = TrackKind::Service;
        snapshot->tracks.append(track);
    }
    const qint64 ms = 1'000'000;
    snapshot->spans = {
        {1, 0, 1, 1, Category::Api, T0 + 100 * ms, 300 * ms},
        {2, 0, 1, 2, Category::Gpu, T0 + 500 * ms, 400 * ms},
        {3, 0, 2, 3, Category::Network, T0 + 200 * ms, 400 * ms},
        {4, 1, 1, 4, Category::Compute, T0 + 150 * ms, 100 * ms},
    };
    snapshot->counts.spans = 4;
    snapshot->timeRange = {T0, T0 + Second};
    snapshot->timeline = TimelineLayout::build(snapshot->spans, snapshot->tracks);
    return snapshot;
}

constexpr TrackId CrowdTrack = 3;
constexpr StringId Needle = 6;

// The small incident with a third track, "crowd", of `rows` compliance spans that all run from
// about 100 to 600 ms, so that each gets a row of its own: span k starts k µs after 100 ms. The
// span at `needleAt` is named "needle", the others "crowd".
std::shared_ptr<const IncidentSnapshot> crowdedIncident(int rows, int needleAt = -1)
{
    auto snapshot = std::make_shared<IncidentSnapshot>(*smallIncident());
    snapshot->strings.push_back(QStringLiteral("crowd"));
    snapshot->strings.push_back(QStringLiteral("needle"));
    Track track;
    track.id = CrowdTrack;
    track.name = QStringLiteral("crowd");
    track.kind = TrackKind::Service;
    snapshot->tracks.append(track);
    for (int k = 0; k < rows; ++k) {
        const SpanId id = SpanId(snapshot->spans.size()) + 1;
        snapshot->spans.push_back({id, 0, CrowdTrack, k == needleAt ? Needle : StringId(5),
                                   Category::Compliance, T0 + 100'000'000 + k * 1'000, 500'000'000});
    }
    snapshot->counts.spans = qint64(snapshot->spans.size());
    snapshot->timeline = TimelineLayout::build(snapshot->spans, snapshot->tracks);
    return snapshot;
}

// The first and last layout rows of the crowd's lane.
std::pair<int, int> crowdRows(const IncidentSnapshot& snapshot)
{
    for (const TimelineLayout::Lane& lane : snapshot.timeline.lanes()) {
        if (lane.track == CrowdTrack)
            return {lane.firstRow, lane.firstRow + lane.rowCount - 1};
    }
    return {-1, -1};
}

void sendMouse(QWidget* widget, QEvent::Type type, QPoint pos, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, QPointF(pos), widget->mapToGlobal(QPointF(pos)), Qt::LeftButton, buttons,
                      modifiers);
    QApplication::sendEvent(widget, &event);
}

void drag(QWidget* widget, QPoint from, QPoint to, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    sendMouse(widget, QEvent::MouseButtonPress, from, Qt::LeftButton, modifiers);
    sendMouse(widget, QEvent::MouseMove, (from + to) / 2, Qt::LeftButton, modifiers);
    sendMouse(widget, QEvent::MouseMove, to, Qt::LeftButton, modifiers);
    sendMouse(widget, QEvent::MouseButtonRelease, to, Qt::NoButton, modifiers);
}

void wheel(QWidget* widget, QPoint pos, int delta)
{
    QWheelEvent event(QPointF(pos), widget->mapToGlobal(QPointF(pos)), QPoint(), QPoint(0, delta),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &event);
}

qint64 width(TimeRange range)
{
    return range.endNs - range.startNs;
}

} // namespace

class TestFlameChartView : public QObject
{
    Q_OBJECT

  private:
    std::unique_ptr<FlameChartView> m_view;

    // The x where the view draws a time, worked out from its time area and window.
    double expectedX(qint64 t) const
    {
        const QRect area = m_view->timeArea();
        const TimeRange window = m_view->visibleWindow();
        return area.left() + double(t - window.startNs) * area.width() / double(width(window));
    }
    static const TimelineLayout& smallIncidentLayout()
    {
        static const auto snapshot = smallIncident();
        return snapshot->timeline;
    }

  private Q_SLOTS:
    void init()
    {
        m_view = std::make_unique<FlameChartView>();
        m_view->resize(1000, 400);
        m_view->setSnapshot(smallIncident());
    }

    void startsOnTheWholeIncident()
    {
        QCOMPARE(m_view->visibleWindow().startNs, T0);
        QCOMPARE(m_view->visibleWindow().endNs, T0 + Second);
    }

    void boxesStartWhereTheirTimeSays()
    {
        m_view->setVisibleWindow({T0 + 50'000'000, T0 + 650'000'000});
        const QImage image = m_view->grab().toImage();
        const QColor background = m_view->palette().color(QPalette::Base);
        const struct
        {
            qint32 span;
            qint64 start;
            Category category;
        } cases[] = {{0, T0 + 100'000'000, Category::Api},
                     {3, T0 + 150'000'000, Category::Compute},
                     {1, T0 + 500'000'000, Category::Gpu},
                     {2, T0 + 200'000'000, Category::Network}};
        for (const auto& c : cases) {
            const int y = m_view->rowTop(smallIncidentLayout().rowOf(c.span)) + m_view->rowHeight() - 3;
            QVERIFY(y > m_view->lanesRect().top());
            const int x = int(std::floor(expectedX(c.start)));
            // Inside the box its category's colour, just before it something else.
            QCOMPARE(image.pixelColor(x + 1, y), CategoryPalette::fill(c.category));
            QVERIFY(image.pixelColor(x - 2, y) != CategoryPalette::fill(c.category));
            if (c.span <= 1) // the first lane, not shaded
                QCOMPARE(image.pixelColor(x - 2, y), background);
        }
    }

    void searchPaintsMatchesAndDimsTheRest()
    {
        Highlight highlight;
        auto matches = std::make_shared<std::vector<bool>>(5, false);
        (*matches)[2] = true; // beta
        highlight.matches = matches;
        m_view->setHighlight(highlight);
        const QImage image = m_view->grab().toImage();
        const QColor background = m_view->palette().color(QPalette::Base);
        const int y = m_view->rowTop(smallIncidentLayout().rowOf(0)) + m_view->rowHeight() - 3;
        // Near the right ends, away from the labels.
        QCOMPARE(image.pixelColor(int(expectedX(T0 + 880'000'000)), y), CategoryPalette::match());
        QCOMPARE(image.pixelColor(int(expectedX(T0 + 380'000'000)), y),
                 CategoryPalette::dimmed(CategoryPalette::fill(Category::Api), background));
    }

    void wheelZoomsAroundTheCursor()
    {
        m_view->setVisibleWindow({T0 + 200'000'000, T0 + 600'000'000});
        const QRect area = m_view->timeArea();
        const int x = area.left() + 300;
        const double under = T0 + 200'000'000 + 300.0 * 400'000'000 / area.width();
        const QPoint pos(x, m_view->lanesRect().top() + 5);

        wheel(m_view.get(), pos, 120);
        const qint64 narrowed = std::llround(400'000'000 * FlameChartView::ZoomStep);
        QCOMPARE(width(m_view->visibleWindow()), narrowed);
        QCOMPARE(m_view->visibleWindow().startNs, std::llround(under - 300.0 / area.width() * narrowed));

        // Two notches out: the inverse twice, the time under the cursor still in place.
        wheel(m_view.get(), pos, -240);
        const qint64 widened = std::llround(narrowed / FlameChartView::ZoomStep / FlameChartView::ZoomStep);
        QCOMPARE(width(m_view->visibleWindow()), widened);
        QVERIFY(std::abs(double(m_view->timeAt(x)) - under) <= 2);
    }

    void wheelOutStopsAtTheWholeIncident()
    {
        for (int i = 0; i < 10; ++i)
            wheel(m_view.get(), QPoint(m_view->timeArea().left() + 10, m_view->lanesRect().top() + 5), -120);
        QCOMPARE(m_view->visibleWindow().startNs, T0);
        QCOMPARE(m_view->visibleWindow().endNs, T0 + Second);
    }

    void keysZoomAndPan()
    {
        m_view->setVisibleWindow({T0 + 200'000'000, T0 + 600'000'000});
        const QRect area = m_view->timeArea();
        const double centre = T0 + 200'000'000 + (area.width() / 2.0) * 400'000'000 / area.width();
        QTest::keyClick(m_view.get(), Qt::Key_W);
        const qint64 narrowed = std::llround(400'000'000 * FlameChartView::ZoomStep);
        QCOMPARE(width(m_view->visibleWindow()), narrowed);
        QVERIFY(std::abs(m_view->visibleWindow().startNs + narrowed / 2.0 - centre) <= 1);

        QTest::keyClick(m_view.get(), Qt::Key_S);
        QCOMPARE(width(m_view->visibleWindow()), qint64(400'000'000));

        const TimeRange before = m_view->visibleWindow();
        QTest::keyClick(m_view.get(), Qt::Key_D);
        QCOMPARE(m_view->visibleWindow().startNs, before.startNs + 40'000'000);
        QTest::keyClick(m_view.get(), Qt::Key_A);
        QTest::keyClick(m_view.get(), Qt::Key_A);
        QCOMPARE(m_view->visibleWindow().startNs, before.startNs - 40'000'000);
        QCOMPARE(width(m_view->visibleWindow()), qint64(400'000'000));

        QSignalSpy changed(m_view.get(), &FlameChartView::visibleWindowChanged);
        QTest::keyClick(m_view.get(), Qt::Key_Home);
        QCOMPARE(m_view->visibleWindow().startNs, T0);
        QCOMPARE(m_view->visibleWindow().endNs, T0 + Second);
        QCOMPARE(changed.count(), 1);
    }

    void dragOnTheRulerSelectsARange()
    {
        m_view->setVisibleWindow({T0 + 200'000'000, T0 + 600'000'000});
        QSignalSpy selected(m_view.get(), &FlameChartView::rangeSelected);
        const int y = m_view->rulerRect().center().y();
        const int x1 = m_view->timeArea().left() + 500;
        const int x2 = m_view->timeArea().left() + 120;
        const qint64 t1 = m_view->timeAt(x1), t2 = m_view->timeAt(x2);
        drag(m_view.get(), QPoint(x1, y), QPoint(x2, y));
        QCOMPARE(selected.count(), 1);
        const auto range = selected.first().first().value<TimeRange>();
        QCOMPARE(range.startNs, t2);
        QCOMPARE(range.endNs, t1);
        QCOMPARE(m_view->timeRange().startNs, t2);
        // The window stays where it was.
        QCOMPARE(m_view->visibleWindow().startNs, T0 + 200'000'000);

        // A click without a drag clears it.
        drag(m_view.get(), QPoint(x1, y), QPoint(x1 + 1, y));
        QCOMPARE(selected.count(), 2);
        QVERIFY(selected.last().first().value<TimeRange>().isEmpty());
        QVERIFY(m_view->timeRange().isEmpty());
    }

    void dragInTheLanesPans()
    {
        m_view->setVisibleWindow({T0 + 200'000'000, T0 + 600'000'000});
        const int y = m_view->lanesRect().top() + 5;
        const int x = m_view->timeArea().left() + 400;
        drag(m_view.get(), QPoint(x, y), QPoint(x - 100, y));
        const qint64 shift = std::llround(100.0 * 400'000'000 / m_view->timeArea().width());
        QCOMPARE(m_view->visibleWindow().startNs, T0 + 200'000'000 + shift);
        QCOMPARE(width(m_view->visibleWindow()), qint64(400'000'000));
    }

    // Ctrl-drag moves the lane's source in time instead of panning the view.
    void ctrlDragMovesASource()
    {
        m_view->setVisibleWindow({T0 + 200'000'000, T0 + 600'000'000});
        QSignalSpy moved(m_view.get(), &FlameChartView::sourceMoveRequested);
        // On beta's row, of track 1 and so of source 1.
        const int y = m_view->rowTop(smallIncidentLayout().rowOf(1)) + m_view->rowHeight() / 2;
        const int x = m_view->timeArea().left() + 400;
        drag(m_view.get(), QPoint(x, y), QPoint(x - 100, y), Qt::ControlModifier);
        QCOMPARE(moved.count(), 1);
        QCOMPARE(moved.first().at(0).value<SourceId>(), SourceId(1));
        const qint64 shift = std::llround(-100.0 * 400'000'000 / m_view->timeArea().width());
        QCOMPARE(moved.first().at(1).value<qint64>(), shift);
        QCOMPARE(m_view->visibleWindow().startNs, T0 + 200'000'000);

        // A Ctrl-click moves nothing.
        drag(m_view.get(), QPoint(x, y), QPoint(x, y), Qt::ControlModifier);
        QCOMPARE(moved.count(), 1);
    }

    void clickSelectsASpan()
    {
        QSignalSpy selected(m_view.get(), &FlameChartView::spanSelected);
        const int y = m_view->rowTop(smallIncidentLayout().rowOf(2)) + m_view->rowHeight() / 2;
        const QPoint at(int(expectedX(T0 + 300'000'000)), y);
        drag(m_view.get(), at, at);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().first().value<SpanId>(), SpanId(3));
        QCOMPARE(m_view->selectedSpan(), SpanId(3));

        // A click on nothing clears the selection.
        const QPoint empty(int(expectedX(T0 + 950'000'000)), y);
        drag(m_view.get(), empty, empty);
        QCOMPARE(selected.count(), 2);
        QCOMPARE(selected.last().first().value<SpanId>(), SpanId(0));
    }

    void selectingASpanOffScreenBringsItIntoView()
    {
        m_view->setVisibleWindow({T0, T0 + 100'000'000});
        m_view->setSelectedSpan(2); // beta, 500-900 ms
        QCOMPARE(m_view->selectedSpan(), SpanId(2));
        const TimeRange window = m_view->visibleWindow();
        QVERIFY(window.startNs < T0 + 900'000'000 && window.endNs > T0 + 500'000'000);
        // Outlined in the highlight colour.
        const QImage image = m_view->grab().toImage();
        const int y = m_view->rowTop(smallIncidentLayout().rowOf(1)) + m_view->rowHeight() / 2;
        const int x = int(std::floor(expectedX(T0 + 500'000'000)));
        QCOMPARE(image.pixelColor(x, y), m_view->palette().color(QPalette::Highlight));
        // One already in view leaves the window alone.
        m_view->setSelectedSpan(3); // gamma, 200-600 ms
        QCOMPARE(m_view->visibleWindow().startNs, window.startNs);
    }

    void toolTipShowsNamesAsPlainText()
    {
        auto snapshot = std::make_shared<IncidentSnapshot>(*smallIncident());
        snapshot->strings[1] = QStringLiteral("<b>x</b>");
        m_view->setSnapshot(snapshot);
        m_view->show();
        const QPoint at(int(expectedX(T0 + 350'000'000)),
                        m_view->rowTop(smallIncidentLayout().rowOf(0)) + m_view->rowHeight() / 2);
        QHelpEvent help(QEvent::ToolTip, at, m_view->mapToGlobal(at));
        QApplication::sendEvent(m_view.get(), &help);
        const QString text = QToolTip::text();
        QVERIFY2(text.contains(QStringLiteral("&lt;b&gt;x&lt;/b&gt;")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("api")));
        QVERIFY(text.contains(QStringLiteral("track-1")));
        QVERIFY(text.contains(QStringLiteral("2026-11-23T08:14:05.100Z")));
        QToolTip::hideText();
    }

    void overviewClickCentresTheWindow()
    {
        m_view->setVisibleWindow({T0, T0 + 100'000'000});
        const QRect strip = m_view->overviewRect();
        const QPoint at(strip.left() + strip.width() / 2, strip.center().y());
        drag(m_view.get(), at, at);
        const TimeRange window = m_view->visibleWindow();
        QCOMPARE(width(window), qint64(100'000'000));
        QVERIFY(std::abs(window.startNs + 50'000'000 - (T0 + Second / 2)) <= Second / strip.width() + 1);
    }

    void aNewSnapshotOfTheSameIncidentKeepsTheZoom()
    {
        auto first = std::make_shared<IncidentSnapshot>(*smallIncident());
        first->path = QStringLiteral("/tmp/a.lundi");
        m_view->setSnapshot(first);
        m_view->setVisibleWindow({T0 + 100'000'000, T0 + 200'000'000});
        m_view->setSnapshot(std::make_shared<IncidentSnapshot>(*first));
        QCOMPARE(m_view->visibleWindow().startNs, T0 + 100'000'000);
        auto other = std::make_shared<IncidentSnapshot>(*first);
        other->path = QStringLiteral("/tmp/b.lundi");
        m_view->setSnapshot(other);
        QCOMPARE(m_view->visibleWindow().startNs, T0);
        QCOMPARE(m_view->visibleWindow().endNs, T0 + Second);
    }

    void hiddenTracksLoseTheirLanes()
    {
        const int row = smallIncidentLayout().rowOf(2);
        QVERIFY(m_view->rowTop(row) >= 0);
        m_view->setHiddenTracks({2});
        QCOMPARE(m_view->rowTop(row), -1);
        QVERIFY(m_view->rowTop(smallIncidentLayout().rowOf(0)) >= 0);
    }

    void emptyIncidentSaysSo()
    {
        auto empty = std::make_shared<IncidentSnapshot>();
        m_view->setSnapshot(empty);
        const QImage image = m_view->grab().toImage();
        const QColor background = m_view->palette().color(QPalette::Base);
        // Only the sentence is drawn, in the middle.
        int drawn = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                drawn += image.pixelColor(x, y) != background;
        }
        QVERIFY(drawn > 100);
        QCOMPARE(image.pixelColor(5, 5), background);
    }

    void aLaneOfManyRowsStartsCompact()
    {
        const auto snapshot = crowdedIncident(30);
        m_view->setSnapshot(snapshot);
        const auto [first, last] = crowdRows(*snapshot);
        QCOMPARE(last - first + 1, 30);
        QVERIFY(m_view->isLaneCompact(CrowdTrack));
        QVERIFY(!m_view->isLaneCompact(1));
        // All thirty rows in CompactHeightRows rows' height, each a few pixels, in order.
        const int rowsHeight = FlameChartView::CompactHeightRows * m_view->rowHeight();
        QCOMPARE(m_view->rowTop(last) + m_view->drawnRowHeight(last) - m_view->rowTop(first), rowsHeight);
        for (int row = first; row < last; ++row) {
            QVERIFY(m_view->drawnRowHeight(row) >= 1 && m_view->drawnRowHeight(row) < m_view->rowHeight());
            QCOMPARE(m_view->rowTop(row + 1), m_view->rowTop(row) + m_view->drawnRowHeight(row));
        }
        // Lanes of few rows keep whole rows.
        QCOMPARE(m_view->drawnRowHeight(smallIncidentLayout().rowOf(0)), m_view->rowHeight());

        // Drawn: the first and the last row in the compliance colour, nothing below the last.
        const QImage image = m_view->grab().toImage();
        const int x = int(expectedX(T0 + 400'000'000));
        const QColor fill = CategoryPalette::fill(Category::Compliance);
        QCOMPARE(image.pixelColor(x, m_view->rowTop(first)), fill);
        QCOMPARE(image.pixelColor(x, m_view->rowTop(last)), fill);
        QVERIFY(image.pixelColor(x, m_view->rowTop(first) + rowsHeight) != fill);
    }

    void aClickOnTheLaneNameExpandsAndCompacts()
    {
        const auto snapshot = crowdedIncident(30);
        m_view->setSnapshot(snapshot);
        const auto [first, last] = crowdRows(*snapshot);
        QSignalSpy changed(m_view.get(), &FlameChartView::laneExpandedChanged);
        QSignalSpy selected(m_view.get(), &FlameChartView::spanSelected);
        const QPoint name(20, m_view->rowTop(first) + 2);
        const int compactLast = m_view->rowTop(last);

        drag(m_view.get(), name, name);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.last().at(0).value<TrackId>(), CrowdTrack);
        QCOMPARE(changed.last().at(1).toBool(), true);
        QVERIFY(!m_view->isLaneCompact(CrowdTrack));
        QCOMPARE(m_view->rowTop(last), m_view->rowTop(first) + 29 * m_view->rowHeight());
        QVERIFY(m_view->rowTop(last) > compactLast);
        QCOMPARE(m_view->drawnRowHeight(last), m_view->rowHeight());

        drag(m_view.get(), name, name);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.last().at(1).toBool(), false);
        QCOMPARE(m_view->rowTop(last), compactLast);

        // A lane of few rows is always expanded; a click on its name changes nothing.
        const QPoint small(20, m_view->rowTop(smallIncidentLayout().rowOf(0)) + 2);
        drag(m_view.get(), small, small);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(selected.count(), 0);

        // Hovering says which names are clickable.
        sendMouse(m_view.get(), QEvent::MouseMove, name, Qt::NoButton);
        QCOMPARE(m_view->cursor().shape(), Qt::PointingHandCursor);
        sendMouse(m_view.get(), QEvent::MouseMove, small, Qt::NoButton);
        QCOMPARE(m_view->cursor().shape(), Qt::ArrowCursor);
        sendMouse(m_view.get(), QEvent::MouseMove, QPoint(m_view->timeArea().center().x(), name.y()),
                  Qt::NoButton);
        QCOMPARE(m_view->cursor().shape(), Qt::ArrowCursor);
    }

    void theLaneStateSurvivesANewSnapshotOfTheIncident()
    {
        auto first = std::make_shared<IncidentSnapshot>(*crowdedIncident(30));
        first->path = QStringLiteral("/tmp/a.lundi");
        m_view->setSnapshot(first);
        m_view->setLaneExpanded(CrowdTrack, true);
        m_view->setSnapshot(std::make_shared<IncidentSnapshot>(*first));
        QVERIFY(!m_view->isLaneCompact(CrowdTrack));
        auto other = std::make_shared<IncidentSnapshot>(*first);
        other->path = QStringLiteral("/tmp/b.lundi");
        m_view->setSnapshot(other);
        QVERIFY(m_view->isLaneCompact(CrowdTrack));
    }

    void aClickInACompactLaneSelectsTheSpanUnderIt()
    {
        // Thirty rows get a few pixels each; three hundred share pixel lines.
        for (const int rows : {30, 300}) {
            const auto snapshot = crowdedIncident(rows);
            m_view->setSnapshot(snapshot);
            QVERIFY(m_view->isLaneCompact(CrowdTrack));
            const auto [first, last] = crowdRows(*snapshot);
            QSignalSpy selected(m_view.get(), &FlameChartView::spanSelected);
            for (const int row : {first, first + rows / 3, last}) {
                const int y = m_view->rowTop(row);
                const QPoint at(int(expectedX(T0 + 400'000'000)), y);
                drag(m_view.get(), at, at);
                const SpanId id = selected.last().first().value<SpanId>();
                QVERIFY(id != 0);
                // The span's row is drawn on the clicked pixel line.
                const int hitRow = snapshot->timeline.rowOf(snapshot->indexOf(id));
                QVERIFY2(m_view->rowTop(hitRow) <= y &&
                             y < m_view->rowTop(hitRow) + m_view->drawnRowHeight(hitRow),
                         qPrintable(QStringLiteral("%1 rows: clicked row %2, got row %3")
                                        .arg(rows)
                                        .arg(row)
                                        .arg(hitRow)));
                if (rows == 30)
                    QCOMPARE(hitRow, row);
            }
            // Past the spans' end: nothing.
            const QPoint after(int(expectedX(T0 + 700'000'000)), m_view->rowTop(first));
            drag(m_view.get(), after, after);
            QCOMPARE(selected.last().first().value<SpanId>(), SpanId(0));
        }
    }

    void aSearchMatchShowsInACompactLane()
    {
        // Three hundred rows share pixel lines; the needle's row is the first on its line, so
        // the rows drawn after it on the same line must not hide it.
        const auto probe = crowdedIncident(300);
        m_view->setSnapshot(probe);
        const int first = crowdRows(*probe).first;
        int needle = -1;
        for (int r = 100; r < 290 && needle < 0; ++r) {
            if (m_view->rowTop(first + r - 1) < m_view->rowTop(first + r) &&
                m_view->rowTop(first + r) == m_view->rowTop(first + r + 1))
                needle = r;
        }
        QVERIFY(needle > 0);
        const auto snapshot = crowdedIncident(300, needle);
        m_view->setSnapshot(snapshot);
        Highlight highlight;
        auto matches = std::make_shared<std::vector<bool>>(snapshot->strings.size(), false);
        (*matches)[size_t(Needle)] = true;
        highlight.matches = matches;
        m_view->setHighlight(highlight);
        const QImage image = m_view->grab().toImage();
        const int x = int(expectedX(T0 + 400'000'000));
        const int needleRow = snapshot->timeline.rowOf(snapshot->indexOf(SpanId(5 + needle)));
        QCOMPARE(snapshot->name(snapshot->spans[size_t(snapshot->indexOf(SpanId(5 + needle)))].name),
                 QStringLiteral("needle"));
        QCOMPARE(image.pixelColor(x, m_view->rowTop(needleRow)), CategoryPalette::match());
        const QColor background = m_view->palette().color(QPalette::Base);
        QCOMPARE(image.pixelColor(x, m_view->rowTop(first)),
                 CategoryPalette::dimmed(CategoryPalette::fill(Category::Compliance), background));
        // A click there finds the needle, as drawn.
        QSignalSpy selected(m_view.get(), &FlameChartView::spanSelected);
        const QPoint at(x, m_view->rowTop(needleRow));
        drag(m_view.get(), at, at);
        QCOMPARE(selected.last().first().value<SpanId>(), SpanId(5 + needle));
    }

    void selectingASpanInACompactLaneScrollsToIt()
    {
        m_view->resize(1000, 200);
        const auto snapshot = crowdedIncident(300);
        m_view->setSnapshot(snapshot);
        const SpanId id = 5 + 250;
        const int row = snapshot->timeline.rowOf(snapshot->indexOf(id));
        QVERIFY(m_view->rowTop(row) > m_view->lanesRect().bottom());
        m_view->setSelectedSpan(id);
        QVERIFY(m_view->isLaneCompact(CrowdTrack));
        QVERIFY(m_view->rowTop(row) >= m_view->lanesRect().top());
        QVERIFY(m_view->rowTop(row) + m_view->drawnRowHeight(row) <= m_view->lanesRect().bottom());
    }

    void axisSteps()
    {
        QCOMPARE(TimeAxis::step(1'000, 100), qint64(100'000));
        QCOMPARE(TimeAxis::step(1'300, 100), qint64(200'000));
        QCOMPARE(TimeAxis::step(1e7, 100), qint64(Second));
        QCOMPARE(TimeAxis::step(1.2e8, 100), qint64(15 * Second));
        QCOMPARE(TimeAxis::ticks(95, 130, 10), (std::vector<qint64>{100, 110, 120}));
        QCOMPARE(TimeAxis::ticks(95, 130, 10, 3), (std::vector<qint64>{103, 113, 123}));
        QCOMPARE(TimeAxis::ticks(-25, 0, 10), (std::vector<qint64>{-20, -10}));
    }

    void axisLabels()
    {
        const qint64 t = T0 + 250'000'000;
        QCOMPARE(TimeAxis::utcLabel(t, 1'000'000), QStringLiteral("08:14:05.250"));
        QCOMPARE(TimeAxis::utcLabel(t, 100'000'000), QStringLiteral("08:14:05.2"));
        QCOMPARE(TimeAxis::utcLabel(t, 5 * Second), QStringLiteral("08:14:05"));
        QCOMPARE(TimeAxis::utcLabel(T0, 300 * Second), QStringLiteral("08:14"));
        QCOMPARE(TimeAxis::utcLabel(T0, 6 * 3600 * Second), QStringLiteral("11-23 08:14"));
        QCOMPARE(TimeAxis::utcLabel(T0 + 1234, 1), QStringLiteral("08:14:05.000001234"));
        QCOMPARE(TimeAxis::utcDate(T0), QStringLiteral("2026-11-23"));
        QCOMPARE(TimeAxis::relativeLabel(1'250'000'000, 50'000'000), QStringLiteral("+1.25 s"));
        QCOMPARE(TimeAxis::relativeLabel(-300'000'000, 100'000'000), QStringLiteral("-0.3 s"));
        QCOMPARE(TimeAxis::relativeLabel(1'500'000, 500'000), QStringLiteral("+1.5 ms"));
        QCOMPARE(TimeAxis::relativeLabel(40, 10), QStringLiteral("+0.04 µs"));
        QCOMPARE(TimeAxis::relativeLabel(0, 10), QStringLiteral("0"));
    }
};

QTEST_MAIN(TestFlameChartView)
#include "tst_flamechartview.moc"
