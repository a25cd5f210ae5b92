// TimelineLayout on hand-made spans: which row each span lands in, the boxes a row gives for a
// window (narrow spans merged per pixel column), and the span under a time.

#include "analysis/timelinelayout.h"

#include <QRandomGenerator>
#include <QTest>

using namespace lundi;

namespace {

using Spans = std::vector<SpanRecord>;

SpanRecord span(SpanId id, SpanId parent, TrackId track, qint64 start, qint64 dur, StringId name = 1,
                Category category = Category::Other)
{
    return {id, parent, track, name, category, start, dur};
}

QList<Track> tracks(std::initializer_list<TrackId> ids)
{
    QList<Track> list;
    for (TrackId id : ids) {
        Track track;
        track.id = id;
        list.append(track);
    }
    return list;
}

// Rows relative to the lane of the span's track.
QList<int> rowsInLane(const TimelineLayout& layout, const Spans& spans)
{
    QList<int> rows;
    for (qint32 i = 0; i < qint32(spans.size()); ++i) {
        const int row = layout.rowOf(i);
        rows.append(row < 0 ? -1 : row - layout.lanes()[size_t(layout.laneOfRow(row))].firstRow);
    }
    return rows;
}

// "start-end xN #span" per box, N only when merged.
QStringList render(const std::vector<TimelineLayout::Box>& boxes)
{
    QStringList lines;
    for (const TimelineLayout::Box& box : boxes) {
        lines.append(box.span >= 0
                         ? QStringLiteral("%1-%2 #%3").arg(box.startNs).arg(box.endNs).arg(box.span)
                         : QStringLiteral("%1-%2 x%3").arg(box.startNs).arg(box.endNs).arg(box.merged));
    }
    return lines;
}

QStringList boxesOf(const TimelineLayout& layout, int row, qint64 from, qint64 to, double nsPerPixel)
{
    std::vector<TimelineLayout::Box> boxes;
    layout.boxes(row, from, to, nsPerPixel, boxes);
    return render(boxes);
}

} // namespace

class TestTimelineLayout : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void concurrentSubtreesGetTheirOwnRows()
    {
        // Two requests of track 1 overlap in time: the second goes under the first, the third
        // starts after the first ended and reuses its rows. A child on track 2 roots a subtree there.
        const Spans spans{
            span(1, 0, 1, 0, 100),  // A: rows 0
            span(2, 1, 1, 10, 40),  //  B under A: row 1
            span(3, 0, 1, 50, 100), // C overlaps A: rows 2-3
            span(4, 3, 1, 60, 10),  //  D under C: row 3
            span(5, 0, 1, 120, 80), // E after A: row 0
            span(6, 1, 2, 20, 10),  // F child of A on track 2: its own root
        };
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1, 2}));
        QCOMPARE(rowsInLane(layout, spans), (QList<int>{0, 1, 2, 3, 0, 0}));
        QCOMPARE(layout.lanes().size(), size_t(2));
        QCOMPARE(layout.lanes()[0].track, TrackId(1));
        QCOMPARE(layout.lanes()[0].firstRow, 0);
        QCOMPARE(layout.lanes()[0].rowCount, 4);
        QCOMPARE(layout.lanes()[1].track, TrackId(2));
        QCOMPARE(layout.lanes()[1].firstRow, 4);
        QCOMPARE(layout.lanes()[1].rowCount, 1);
        QCOMPARE(layout.rowCount(), 5);
        QCOMPARE(layout.rowOf(5), 4);
        QCOMPARE(layout.rowSpanCount(0), qint64(2));
        QCOMPARE(layout.laneOfRow(4), 1);
        QCOMPARE(layout.laneOfRow(5), -1);
    }

    void subtreeNeedsABlockOfFreeRows()
    {
        const Spans spans{
            span(1, 0, 1, 0, 50),  // X: row 0 until 50
            span(2, 0, 1, 0, 100), // Y: row 1 until 100
            span(3, 0, 1, 60, 30), // Z, two deep: row 0 is free but row 1 is not, so rows 2-3
            span(4, 3, 1, 65, 10), span(5, 0, 1, 60, 10), // W, one deep: row 0
        };
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(rowsInLane(layout, spans), (QList<int>{0, 1, 2, 3, 0}));
        QCOMPARE(layout.rowCount(), 4);
    }

    void subtreeExtentIncludesChildrenOutsideTheRoot()
    {
        // A child that outlives its root keeps the subtree's rows busy until it ends.
        const Spans spans{
            span(1, 0, 1, 0, 10), span(2, 1, 1, 5, 100), span(3, 0, 1, 50, 10), // rows 0-1 are busy until 105
        };
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(rowsInLane(layout, spans), (QList<int>{0, 1, 2}));
    }

    void lanesFollowTheTrackList()
    {
        const Spans spans{span(1, 0, 1, 0, 10), span(2, 0, 2, 0, 10), span(3, 0, 9, 0, 10)};
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({2, 1}));
        QCOMPARE(layout.lanes()[0].track, TrackId(2));
        QCOMPARE(layout.rowOf(1), 0);
        QCOMPARE(layout.rowOf(0), 1);
        QCOMPARE(layout.rowOf(2), -1); // its track is not listed
        QCOMPARE(layout.rowOf(3), -1);
        QCOMPARE(layout.rowOf(-1), -1);
    }

    void spanIdsNeedNotBeDense()
    {
        const Spans spans{span(10, 0, 1, 0, 100), span(20, 10, 1, 10, 10), span(35, 20, 1, 12, 2)};
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(rowsInLane(layout, spans), (QList<int>{0, 1, 2}));
    }

    void boxesOfAWindow()
    {
        const Spans spans{span(1, 0, 1, 0, 10), span(2, 0, 1, 20, 10), span(3, 0, 1, 40, 10)};
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(boxesOf(layout, 0, 25, 45, 0.1),
                 (QStringList{QStringLiteral("20-30 #1"), QStringLiteral("40-50 #2")}));
        QCOMPARE(boxesOf(layout, 0, 30, 40, 0.1), QStringList());
        QCOMPARE(boxesOf(layout, 0, 0, 100, 0.1).size(), 3);
        QCOMPARE(boxesOf(layout, 0, 9, 10, 0.1), QStringList{QStringLiteral("0-10 #0")});
        QCOMPARE(boxesOf(layout, 0, 50, 60, 0.1), QStringList());
        QCOMPARE(boxesOf(layout, 1, 0, 100, 0.1), QStringList());
    }

    void narrowSpansMergePerPixelColumn()
    {
        // Ten 1 ns spans every 2 ns, then a wide one. At 10 ns a pixel the narrow ones make one
        // box per column; the wide one keeps its own box.
        Spans spans;
        for (int i = 0; i < 10; ++i)
            spans.push_back(
                span(i + 1, 0, 1, 2 * i, 1, StringId(i + 1), i == 0 ? Category::Gpu : Category::Api));
        spans.push_back(span(11, 0, 1, 20, 80));
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(boxesOf(layout, 0, 0, 100, 10),
                 (QStringList{QStringLiteral("0-9 x5"), QStringLiteral("10-19 x5"),
                              QStringLiteral("20-100 #10")}));
        std::vector<TimelineLayout::Box> boxes;
        layout.boxes(0, 0, 100, 10, boxes);
        QCOMPARE(boxes[0].category, Category::Gpu); // the first span's
        QCOMPARE(boxes[0].name, StringId(1));
        QCOMPARE(boxes[1].name, StringId(6));
        // A pixel narrower than the spans: every span its own box.
        QCOMPARE(boxesOf(layout, 0, 0, 100, 1).size(), 11);
        // The window's end cuts a column: only spans that start in the window are counted.
        QCOMPARE(boxesOf(layout, 0, 0, 5, 10), QStringList{QStringLiteral("0-5 x3")});
    }

    void wideSpanInANarrowColumnKeepsItsBox()
    {
        const Spans spans{span(1, 0, 1, 0, 1), span(2, 0, 1, 2, 1), span(3, 0, 1, 5, 50),
                          span(4, 0, 1, 60, 1)};
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(
            boxesOf(layout, 0, 0, 100, 10),
            (QStringList{QStringLiteral("0-3 x2"), QStringLiteral("5-55 #2"), QStringLiteral("60-61 #3")}));
        // A lone narrow span stays a span, so it can be picked.
        const Spans two{span(1, 0, 1, 0, 1), span(2, 0, 1, 5, 50)};
        QCOMPARE(boxesOf(TimelineLayout::build(two, tracks({1})), 0, 0, 100, 10),
                 (QStringList{QStringLiteral("0-1 #0"), QStringLiteral("5-55 #1")}));
    }

    void spanAtTime()
    {
        const Spans spans{span(1, 0, 1, 0, 10), span(2, 0, 1, 20, 10), span(3, 0, 1, 40, 0)};
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(layout.spanAt(0, -1), -1);
        QCOMPARE(layout.spanAt(0, 0), 0);
        QCOMPARE(layout.spanAt(0, 9), 0);
        QCOMPARE(layout.spanAt(0, 10), -1);
        QCOMPARE(layout.spanAt(0, 25), 1);
        QCOMPARE(layout.spanAt(0, 40), 2); // an instant is found at its time
        QCOMPARE(layout.spanAt(0, 41), -1);
        QCOMPARE(layout.spanAt(3, 0), -1);
    }

    void overlappingSiblingsShareARow()
    {
        const Spans spans{
            span(1, 0, 1, 0, 100), span(2, 1, 1, 10, 50), // 10-60
            span(3, 1, 1, 20, 10),                        // 20-30, inside the first sibling
            span(4, 1, 1, 50, 30),                        // 50-80, overlaps its end
        };
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(rowsInLane(layout, spans), (QList<int>{0, 1, 1, 1}));
        QCOMPARE(layout.spanAt(1, 25), 2);
        QCOMPARE(layout.spanAt(1, 40), 1);
        QCOMPARE(layout.spanAt(1, 55), 3);
        QCOMPARE(layout.spanAt(1, 70), 3);
        QCOMPARE(layout.spanAt(1, 5), -1);
        // A span that started before the window and is still running is found.
        QCOMPARE(boxesOf(layout, 1, 35, 45, 0.1), QStringList{QStringLiteral("10-60 #1")});
    }

    // Against a count by brute force: every span that meets the window is in exactly one box,
    // boxes are in time order, and there are about as many as pixel columns at most.
    void boxesCountEverySpanOnce()
    {
        QRandomGenerator random(7);
        Spans spans;
        qint64 t = 0;
        for (int i = 0; i < 20000; ++i) {
            t += random.bounded(0, 40);
            const qint64 dur = random.bounded(0, 10) == 0 ? random.bounded(100, 5000) : random.bounded(0, 30);
            spans.push_back(span(i + 1, 0, 1, t, dur));
            t += std::max<qint64>(dur, 1);
        }
        const TimelineLayout layout = TimelineLayout::build(spans, tracks({1}));
        QCOMPARE(layout.rowCount(), 1);
        for (int round = 0; round < 200; ++round) {
            const qint64 from = random.bounded(qint64(0), t);
            const qint64 to = from + random.bounded(qint64(1), t - from + 10);
            const int pixels = random.bounded(1, 2000);
            const double nsPerPixel = double(to - from) / pixels;
            std::vector<TimelineLayout::Box> boxes;
            layout.boxes(0, from, to, nsPerPixel, boxes);
            qint64 expected = 0;
            for (const SpanRecord& s : spans)
                expected += s.startNs < to && s.startNs + std::max<qint64>(s.durNs, 1) > from;
            qint64 counted = 0;
            for (size_t b = 0; b < boxes.size(); ++b) {
                counted += boxes[b].merged;
                QVERIFY(boxes[b].startNs < to && boxes[b].endNs > from);
                if (b > 0)
                    QVERIFY(boxes[b - 1].endNs <= boxes[b].startNs);
            }
            QCOMPARE(counted, expected);
            QVERIFY2(qint64(boxes.size()) <= 2 * pixels + 4, qPrintable(QString::number(boxes.size())));
        }
    }
};

QTEST_APPLESS_MAIN(TestTimelineLayout)
#include "tst_timelinelayout.moc"
