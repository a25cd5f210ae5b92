// FlameTree, TopList and foldedStacks on hand-made span lists whose answers can be worked out
// on paper: self is a span's duration less the union of its children, clipped to the span.

#include "lettertree.h"

#include "analysis/flametree.h"
#include "analysis/foldedstacks.h"
#include "analysis/toplist.h"

#include <QTest>


using namespace lundi;
using namespace lundi::test;

namespace {

using Spans = std::vector<SpanRecord>;

// One line per node, "A;B total=… self=… count=…", sorted; the root first as "(root) total=…".
QStringList render(const FlameTree& tree)
{
    QStringList lines;
    for (qint32 c : tree.root().children)
        lines += renderSubtree(tree, c);
    lines.sort();
    lines.prepend(QStringLiteral("(root) total=%1").arg(tree.root().totalNs));
    return lines;
}

// The node at a path of frames from the root, or nullptr.
const FlameTree::Node* nodeAt(const FlameTree& tree, std::initializer_list<qint64> path)
{
    const FlameTree::Node* node = &tree.root();
    for (qint64 f : path) {
        const FlameTree::Node* next = nullptr;
        for (qint32 c : node->children) {
            if (tree.nodes()[size_t(c)].frame == f)
                next = &tree.nodes()[size_t(c)];
        }
        if (!next)
            return nullptr;
        node = next;
    }
    return node;
}

} // namespace

// A filter over [start, end) that hides the given tracks; start == end: no range.
SpanFilter filtered(qint64 start, qint64 end, QSet<TrackId> hidden = {})
{
    SpanFilter filter;
    filter.range = {start, end};
    filter.hiddenTracks = std::move(hidden);
    return filter;
}

Q_DECLARE_METATYPE(Spans)
Q_DECLARE_METATYPE(SpanFilter)

class TestFlameTree : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void selfAndTotal_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("simple nesting") << Spans{span(1, 0, 'A', 0, 100), span(2, 1, 'B', 10, 30),
                                                 span(3, 2, 'C', 20, 10), span(4, 1, 'D', 50, 20)}
                                        << QStringList{
                                               QStringLiteral("(root) total=100"),
                                               QStringLiteral("A total=100 self=50 count=1"),
                                               QStringLiteral("A;B total=30 self=20 count=1"),
                                               QStringLiteral("A;B;C total=10 self=10 count=1"),
                                               QStringLiteral("A;D total=20 self=20 count=1"),
                                           };

        // [0,10) and [5,15) cover 15 of the parent's 20, not 20.
        QTest::newRow("overlapping children")
            << Spans{span(1, 0, 'P', 0, 20), span(2, 1, 'X', 0, 10), span(3, 1, 'Y', 5, 10)}
            << QStringList{
                   QStringLiteral("(root) total=20"),
                   QStringLiteral("P total=20 self=5 count=1"),
                   QStringLiteral("P;X total=10 self=10 count=1"),
                   QStringLiteral("P;Y total=10 self=10 count=1"),
               };

        // Overlapping siblings of one name share a node: its total is the plain sum.
        QTest::newRow("overlapping children, one name")
            << Spans{span(1, 0, 'P', 0, 20), span(2, 1, 'C', 0, 10), span(3, 1, 'C', 5, 10)}
            << QStringList{
                   QStringLiteral("(root) total=20"),
                   QStringLiteral("P total=20 self=5 count=1"),
                   QStringLiteral("P;C total=20 self=20 count=2"),
               };

        QTest::newRow("identical children")
            << Spans{span(1, 0, 'P', 0, 30), span(2, 1, 'X', 10, 10), span(3, 1, 'Y', 10, 10)}
            << QStringList{
                   QStringLiteral("(root) total=30"),
                   QStringLiteral("P total=30 self=20 count=1"),
                   QStringLiteral("P;X total=10 self=10 count=1"),
                   QStringLiteral("P;Y total=10 self=10 count=1"),
               };

        // A long child swallows a short one; the third reaches past the parent's end.
        QTest::newRow("nested overlap chain") << Spans{span(1, 0, 'P', 0, 25), span(2, 1, 'X', 0, 10),
                                                       span(3, 1, 'Y', 2, 2), span(4, 1, 'Z', 8, 22)}
                                              << QStringList{
                                                     QStringLiteral("(root) total=25"),
                                                     QStringLiteral("P total=25 self=0 count=1"),
                                                     QStringLiteral("P;X total=10 self=10 count=1"),
                                                     QStringLiteral("P;Y total=2 self=2 count=1"),
                                                     QStringLiteral("P;Z total=22 self=22 count=1"),
                                                 };

        // Children are clipped to the parent: [50,120) counts 20, [150,250) counts 50, [300,310) none.
        QTest::newRow("children out of bounds") << Spans{span(1, 0, 'P', 100, 100), span(2, 1, 'B', 50, 70),
                                                         span(3, 1, 'A', 150, 100), span(4, 1, 'C', 300, 10)}
                                                << QStringList{
                                                       QStringLiteral("(root) total=100"),
                                                       QStringLiteral("P total=100 self=30 count=1"),
                                                       QStringLiteral("P;A total=100 self=100 count=1"),
                                                       QStringLiteral("P;B total=70 self=70 count=1"),
                                                       QStringLiteral("P;C total=10 self=10 count=1"),
                                                   };

        // A child covering more than all of its parent leaves it no self time, not negative.
        QTest::newRow("child wider than parent") << Spans{span(1, 0, 'P', 10, 10), span(2, 1, 'C', 0, 50)}
                                                 << QStringList{
                                                        QStringLiteral("(root) total=10"),
                                                        QStringLiteral("P total=10 self=0 count=1"),
                                                        QStringLiteral("P;C total=50 self=50 count=1"),
                                                    };

        QTest::newRow("zero-length parent") << Spans{span(1, 0, 'P', 10, 0), span(2, 1, 'C', 10, 5)}
                                            << QStringList{
                                                   QStringLiteral("(root) total=0"),
                                                   QStringLiteral("P total=0 self=0 count=1"),
                                                   QStringLiteral("P;C total=5 self=5 count=1"),
                                               };

        // In id order the children start at 60, 0, 20: their union is [0,80), so self is 20.
        QTest::newRow("children out of start order")
            << Spans{span(1, 0, 'P', 0, 100), span(2, 1, 'A', 60, 20), span(3, 1, 'B', 0, 30),
                     span(4, 1, 'C', 20, 50)}
            << QStringList{
                   QStringLiteral("(root) total=100"),
                   QStringLiteral("P total=100 self=20 count=1"),
                   QStringLiteral("P;A total=20 self=20 count=1"),
                   QStringLiteral("P;B total=30 self=30 count=1"),
                   QStringLiteral("P;C total=50 self=50 count=1"),
               };

        // Only Q's children are out of order; P's in-order count must not be disturbed by Q's recount,
        // and Q's grandchild must not count for Q.
        QTest::newRow("one parent out of order, one in order")
            << Spans{span(1, 0, 'P', 0, 100),  span(2, 1, 'A', 10, 20), span(3, 0, 'Q', 200, 100),
                     span(4, 3, 'B', 250, 30), span(5, 1, 'C', 40, 20), span(6, 3, 'C', 210, 50),
                     span(7, 6, 'D', 290, 5)}
            << QStringList{
                   QStringLiteral("(root) total=200"),
                   QStringLiteral("P total=100 self=60 count=1"),
                   QStringLiteral("P;A total=20 self=20 count=1"),
                   QStringLiteral("P;C total=20 self=20 count=1"),
                   QStringLiteral("Q total=100 self=30 count=1"),
                   QStringLiteral("Q;B total=30 self=30 count=1"),
                   QStringLiteral("Q;C total=50 self=50 count=1"),
                   QStringLiteral("Q;C;D total=5 self=5 count=1"),
               };

        // Times before the clock's zero (allowed by Chrome traces) must count like any others.
        QTest::newRow("negative times")
            << Spans{span(1, 0, 'P', -100, 100), span(2, 1, 'A', -90, 40), span(3, 1, 'B', -60, 50)}
            << QStringList{
                   QStringLiteral("(root) total=100"),
                   QStringLiteral("P total=100 self=20 count=1"),
                   QStringLiteral("P;A total=40 self=40 count=1"),
                   QStringLiteral("P;B total=50 self=50 count=1"),
               };

        QTest::newRow("parent across zero")
            << Spans{span(1, 0, 'P', -100, 200), span(2, 1, 'A', -50, 60), span(3, 1, 'B', 0, 20)}
            << QStringList{
                   QStringLiteral("(root) total=200"),
                   QStringLiteral("P total=200 self=130 count=1"),
                   QStringLiteral("P;A total=60 self=60 count=1"),
                   QStringLiteral("P;B total=20 self=20 count=1"),
               };

        // f > g > f > g: each depth is its own node.
        QTest::newRow("recursion") << Spans{span(1, 0, 'F', 0, 100), span(2, 1, 'G', 10, 80),
                                            span(3, 2, 'F', 20, 60), span(4, 3, 'G', 30, 10)}
                                   << QStringList{
                                          QStringLiteral("(root) total=100"),
                                          QStringLiteral("F total=100 self=20 count=1"),
                                          QStringLiteral("F;G total=80 self=20 count=1"),
                                          QStringLiteral("F;G;F total=60 self=50 count=1"),
                                          QStringLiteral("F;G;F;G total=10 self=10 count=1"),
                                      };

        // Identical stacks of separate calls merge into one node with their count.
        QTest::newRow("repeated calls") << Spans{span(1, 0, 'A', 0, 10), span(2, 1, 'B', 0, 4),
                                                 span(3, 0, 'A', 20, 10), span(4, 3, 'B', 25, 5)}
                                        << QStringList{
                                               QStringLiteral("(root) total=20"),
                                               QStringLiteral("A total=20 self=11 count=2"),
                                               QStringLiteral("A;B total=9 self=9 count=2"),
                                           };

        // Sparse ids (several imports, deleted spans) take the binary-search lookup.
        QTest::newRow("sparse ids") << Spans{span(3, 0, 'A', 0, 100), span(1'000, 3, 'B', 0, 40),
                                             span(70'000, 1'000, 'C', 10, 10),
                                             span(9'000'000, 3, 'D', 60, 40)}
                                    << QStringList{
                                           QStringLiteral("(root) total=100"),
                                           QStringLiteral("A total=100 self=20 count=1"),
                                           QStringLiteral("A;B total=40 self=30 count=1"),
                                           QStringLiteral("A;B;C total=10 self=10 count=1"),
                                           QStringLiteral("A;D total=40 self=40 count=1"),
                                       };

        // A parent that is not in the list (filtered out) makes its child a root.
        QTest::newRow("missing parent")
            << Spans{span(5, 0, 'A', 0, 10), span(6, 4, 'B', 2, 3), span(7, 99, 'C', 0, 1)}
            << QStringList{
                   QStringLiteral("(root) total=14"),
                   QStringLiteral("A total=10 self=10 count=1"),
                   QStringLiteral("B total=3 self=3 count=1"),
                   QStringLiteral("C total=1 self=1 count=1"),
               };

        QTest::newRow("empty") << Spans{} << QStringList{QStringLiteral("(root) total=0")};
    }

    void selfAndTotal()
    {
        QFETCH(Spans, spans);
        QFETCH(QStringList, expected);
        const FlameTree tree = FlameTree::build(spans);
        QCOMPARE(render(tree), expected);
        // Merged roots and by-track roots agree below the track level when there is one track.
        const FlameTree byTrack = FlameTree::build(spans, FlameTree::Roots::ByTrack);
        QCOMPARE(byTrack.root().totalNs, tree.root().totalNs);
        // A filter that keeps everything takes the filtered path and must give the same tree.
        const FlameTree keepsAll =
            FlameTree::build(spans, FlameTree::Roots::Merged, filtered(-1'000'000, 1'000'000, {99}));
        QCOMPARE(render(keepsAll), expected);
    }

    void filter_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<SpanFilter>("filter");
        QTest::addColumn<QStringList>("expected");

        // Clipped to [25,60): A 35, B [25,40) 15, C [25,30) 5, D [50,60) 10. A's self is 35 - 15 - 10,
        // and the root holds exactly the 35 ns of the range.
        QTest::newRow("range clips every span") << Spans{span(1, 0, 'A', 0, 100), span(2, 1, 'B', 10, 30),
                                                         span(3, 2, 'C', 20, 10), span(4, 1, 'D', 50, 20)}
                                                << filtered(25, 60)
                                                << QStringList{
                                                       QStringLiteral("(root) total=35"),
                                                       QStringLiteral("A total=35 self=10 count=1"),
                                                       QStringLiteral("A;B total=15 self=10 count=1"),
                                                       QStringLiteral("A;B;C total=5 self=5 count=1"),
                                                       QStringLiteral("A;D total=10 self=10 count=1"),
                                                   };

        // Ranges are half open: A ends where the range starts and D starts where it ends.
        QTest::newRow("spans outside the range left out")
            << Spans{span(1, 0, 'A', 0, 12), span(2, 0, 'B', 20, 10), span(3, 2, 'C', 21, 2),
                     span(4, 0, 'D', 25, 5)}
            << filtered(12, 25)
            << QStringList{
                   QStringLiteral("(root) total=5"),
                   QStringLiteral("B total=5 self=3 count=1"),
                   QStringLiteral("B;C total=2 self=2 count=1"),
               };

        // A span of no length counts where it happened: Z at 50 is in [40,60), Y at 60 is not.
        QTest::newRow("zero-length spans")
            << Spans{span(1, 0, 'P', 0, 100), span(2, 1, 'Z', 50, 0), span(3, 1, 'Y', 60, 0)}
            << filtered(40, 60)
            << QStringList{
                   QStringLiteral("(root) total=20"),
                   QStringLiteral("P total=20 self=20 count=1"),
                   QStringLiteral("P;Z total=0 self=0 count=1"),
               };

        // C overhangs its parent P; in [60,100) only C's [60,80) is left, and it becomes a root.
        QTest::newRow("child kept, parent outside")
            << Spans{span(1, 0, 'P', 0, 50), span(2, 1, 'C', 40, 40)} << filtered(60, 100)
            << QStringList{
                   QStringLiteral("(root) total=20"),
                   QStringLiteral("C total=20 self=20 count=1"),
               };

        // A (track 1) > B (track 2) > C (track 1). Hiding track 2 hangs C under A, and B's own
        // time becomes A's: A's self is 100 - 20.
        const Spans acrossTracks{span(1, 0, 'A', 0, 100, 1), span(2, 1, 'B', 10, 50, 2),
                                 span(3, 2, 'C', 20, 20, 1)};
        QTest::newRow("hidden track in the middle") << acrossTracks << filtered(0, 0, {2})
                                                    << QStringList{
                                                           QStringLiteral("(root) total=100"),
                                                           QStringLiteral("A total=100 self=80 count=1"),
                                                           QStringLiteral("A;C total=20 self=20 count=1"),
                                                       };
        // Hiding track 1 leaves B alone, a root with no children.
        QTest::newRow("hidden track at the root") << acrossTracks << filtered(0, 0, {1})
                                                  << QStringList{
                                                         QStringLiteral("(root) total=50"),
                                                         QStringLiteral("B total=50 self=50 count=1"),
                                                     };
        // Both: A [30,100) is 70, C [30,40) is 10.
        QTest::newRow("hidden track and range") << acrossTracks << filtered(30, 200, {2})
                                                << QStringList{
                                                       QStringLiteral("(root) total=70"),
                                                       QStringLiteral("A total=70 self=60 count=1"),
                                                       QStringLiteral("A;C total=10 self=10 count=1"),
                                                   };

        // X is re-parented from H to P and arrives before Y, which starts earlier: P's children
        // come out of start order and are recounted. Self of P: 100 - 10 - 10.
        QTest::newRow("re-parented out of start order")
            << Spans{span(1, 0, 'P', 0, 100, 1), span(2, 1, 'H', 0, 50, 2), span(3, 2, 'X', 30, 10, 1),
                     span(4, 1, 'Y', 10, 10, 1)}
            << filtered(0, 0, {2})
            << QStringList{
                   QStringLiteral("(root) total=100"),
                   QStringLiteral("P total=100 self=80 count=1"),
                   QStringLiteral("P;X total=10 self=10 count=1"),
                   QStringLiteral("P;Y total=10 self=10 count=1"),
               };

        QTest::newRow("range after every span")
            << Spans{span(1, 0, 'A', 0, 100), span(2, 1, 'B', 10, 30)} << filtered(1000, 2000)
            << QStringList{QStringLiteral("(root) total=0")};
    }

    void filter()
    {
        QFETCH(Spans, spans);
        QFETCH(SpanFilter, filter);
        QFETCH(QStringList, expected);
        QCOMPARE(render(FlameTree::build(spans, FlameTree::Roots::Merged, filter)), expected);
    }

    void filterByTrack()
    {
        // Track nodes appear only for tracks with spans in the range.
        const Spans spans{span(1, 0, 'A', 0, 10, 1), span(2, 0, 'B', 100, 20, 2), span(3, 0, 'C', 0, 5, 3)};
        const FlameTree tree = FlameTree::build(spans, FlameTree::Roots::ByTrack, filtered(0, 110, {3}));
        QCOMPARE(render(tree), (QStringList{
                                   QStringLiteral("(root) total=20"),
                                   QStringLiteral("track 1 total=10 self=0 count=0"),
                                   QStringLiteral("track 1;A total=10 self=10 count=1"),
                                   QStringLiteral("track 2 total=10 self=0 count=0"),
                                   QStringLiteral("track 2;B total=10 self=10 count=1"),
                               }));
    }

    void emptyInput()
    {
        const FlameTree tree = FlameTree::build({});
        QCOMPARE(tree.nodes().size(), size_t(1));
        QCOMPARE(tree.root().frame, 0);
        QCOMPARE(tree.root().totalNs, 0);
        QCOMPARE(tree.root().selfNs, 0);
        QCOMPARE(tree.root().count, 0);
        QVERIFY(tree.root().children.empty());
        QVERIFY(TopList::build(tree, TopList::Order::BySelf).empty());
        QVERIFY(lundi::foldedStacks(tree, frameName).isEmpty());
        QCOMPARE(FlameTree::build({}, FlameTree::Roots::ByTrack).nodes().size(), size_t(1));
    }

    void nodeCategoryAndParents()
    {
        const FlameTree tree = FlameTree::build(
            {span(1, 0, 'A', 0, 10, 1, Category::Api), span(2, 1, 'B', 0, 5, 1, Category::Gpu)});
        const FlameTree::Node* a = nodeAt(tree, {frame('A')});
        const FlameTree::Node* b = nodeAt(tree, {frame('A'), frame('B')});
        QVERIFY(a && b);
        QCOMPARE(a->category, Category::Api);
        QCOMPARE(b->category, Category::Gpu);
        QCOMPARE(a->parent, 0);
        QCOMPARE(&tree.nodes()[size_t(b->parent)], a);
    }

    void byTrack()
    {
        // The same stack A > B on two tracks.
        const Spans spans{span(1, 0, 'A', 0, 10, 1), span(2, 1, 'B', 2, 3, 1), span(3, 0, 'A', 100, 20, 2),
                          span(4, 3, 'B', 105, 5, 2)};

        const FlameTree merged = FlameTree::build(spans, FlameTree::Roots::Merged);
        QCOMPARE(render(merged), (QStringList{
                                     QStringLiteral("(root) total=30"),
                                     QStringLiteral("A total=30 self=22 count=2"),
                                     QStringLiteral("A;B total=8 self=8 count=2"),
                                 }));

        const FlameTree byTrack = FlameTree::build(spans, FlameTree::Roots::ByTrack);
        QCOMPARE(render(byTrack), (QStringList{
                                      QStringLiteral("(root) total=30"),
                                      QStringLiteral("track 1 total=10 self=0 count=0"),
                                      QStringLiteral("track 1;A total=10 self=7 count=1"),
                                      QStringLiteral("track 1;A;B total=3 self=3 count=1"),
                                      QStringLiteral("track 2 total=20 self=0 count=0"),
                                      QStringLiteral("track 2;A total=20 self=15 count=1"),
                                      QStringLiteral("track 2;A;B total=5 self=5 count=1"),
                                  }));
        // Track frames come first: every child of the root is a track.
        QCOMPARE(byTrack.root().children.size(), size_t(2));
        for (qint32 c : byTrack.root().children)
            QVERIFY(byTrack.nodes()[size_t(c)].frame < 0);
        QVERIFY(nodeAt(byTrack, {-1, frame('A'), frame('B')}));
        QVERIFY(nodeAt(byTrack, {-2, frame('A'), frame('B')}));
    }

    void topListCountsRecursionOnce()
    {
        // F > G > F > G, then a separate G at the root.
        const FlameTree tree =
            FlameTree::build({span(1, 0, 'F', 0, 100), span(2, 1, 'G', 10, 80), span(3, 2, 'F', 20, 60),
                              span(4, 3, 'G', 30, 10), span(5, 0, 'G', 200, 7)});
        const auto bySelf = TopList::build(tree, TopList::Order::BySelf);
        QCOMPARE(bySelf.size(), size_t(2));
        // F: self 20 + 50, total only the outer 100. G: self 20 + 10 + 7, total 80 + 7.
        QCOMPARE(bySelf[0].name, frame('F'));
        QCOMPARE(bySelf[0].selfNs, 70);
        QCOMPARE(bySelf[0].totalNs, 100);
        QCOMPARE(bySelf[0].count, 2);
        QCOMPARE(bySelf[1].name, frame('G'));
        QCOMPARE(bySelf[1].selfNs, 37);
        QCOMPARE(bySelf[1].totalNs, 87);
        QCOMPARE(bySelf[1].count, 3);
    }

    // An HTTP server span named "HTTP GET" calling out with a client span of the same name: two
    // entries (api and network), and the inner one is not recursion of the outer one.
    void topListSameNameOtherCategory()
    {
        const FlameTree tree = FlameTree::build(
            {span(1, 0, 'H', 0, 100, 1, Category::Api), span(2, 1, 'H', 10, 50, 1, Category::Network)});
        const auto entries = TopList::build(tree, TopList::Order::ByTotal);
        QCOMPARE(entries.size(), size_t(2));
        QCOMPARE(entries[0].category, Category::Api);
        QCOMPARE(entries[0].totalNs, 100);
        QCOMPARE(entries[0].selfNs, 50);
        QCOMPARE(entries[1].category, Category::Network);
        QCOMPARE(entries[1].totalNs, 50);
        QCOMPARE(entries[1].selfNs, 50);
        QCOMPARE(entries[1].count, 1);
    }

    void topListOrder()
    {
        // A: self 10, total 100. B: self 90, total 90. C: self 50, total 50 (separate root).
        const FlameTree tree = FlameTree::build({span(1, 0, 'A', 0, 100, 1, Category::Api),
                                                 span(2, 1, 'B', 0, 90, 1, Category::Gpu),
                                                 span(3, 0, 'C', 500, 50, 1, Category::Storage)});
        const auto bySelf = TopList::build(tree, TopList::Order::BySelf);
        QCOMPARE(bySelf.size(), size_t(3));
        QCOMPARE(bySelf[0].name, frame('B'));
        QCOMPARE(bySelf[0].category, Category::Gpu);
        QCOMPARE(bySelf[1].name, frame('C'));
        QCOMPARE(bySelf[2].name, frame('A'));
        QCOMPARE(bySelf[2].selfNs, 10);
        const auto byTotal = TopList::build(tree, TopList::Order::ByTotal);
        QCOMPARE(byTotal[0].name, frame('A'));
        QCOMPARE(byTotal[0].totalNs, 100);
        QCOMPARE(byTotal[0].category, Category::Api);
        QCOMPARE(byTotal[1].name, frame('B'));
        QCOMPARE(byTotal[2].name, frame('C'));
        // Track frames never show up as entries.
        const auto byTrack = TopList::build(
            FlameTree::build({span(1, 0, 'A', 0, 5, 3)}, FlameTree::Roots::ByTrack), TopList::Order::BySelf);
        QCOMPARE(byTrack.size(), size_t(1));
        QCOMPARE(byTrack[0].name, frame('A'));
        QCOMPARE(byTrack[0].totalNs, 5);
    }

    void foldedStacks_data()
    {
        QTest::addColumn<int>("roots");
        QTest::addColumn<QStringList>("expected");
        // ' ' sorts before ';', so a stack comes before its callees.
        QTest::newRow("merged") << int(FlameTree::Roots::Merged)
                                << QStringList{
                                       QStringLiteral("main 40"),
                                       QStringLiteral("main;load:parse 90"),
                                       QStringLiteral("main;load:parse;(unnamed) 10"),
                                       QStringLiteral("main;run:all 10"),
                                       QStringLiteral("main;two lines 0"),
                                   };
        QTest::newRow("by track") << int(FlameTree::Roots::ByTrack)
                                  << QStringList{
                                         QStringLiteral("thread-1;main 0"),
                                         QStringLiteral("thread-1;main;load:parse 90"),
                                         QStringLiteral("thread-1;main;load:parse;(unnamed) 10"),
                                         QStringLiteral("thread-2;main 40"),
                                         QStringLiteral("thread-2;main;run:all 10"),
                                         QStringLiteral("thread-2;main;two lines 0"),
                                     };
    }

    void foldedStacks()
    {
        QFETCH(int, roots);
        QFETCH(QStringList, expected);
        const QStringList names{QString(),
                                QStringLiteral("main"),
                                QStringLiteral("load;parse"),
                                QString(),
                                QStringLiteral("run;all"),
                                QStringLiteral("run:all"),
                                QStringLiteral("two\nlines")};
        // Track 1: main is wholly covered by load;parse (self 0). Track 2: "run;all" and "run:all"
        // clean to the same frame and merge into one line; "two\nlines" lasts 0 ns.
        const Spans spans{{1, 0, 1, 1, Category::Other, 0, 100}, {2, 1, 1, 2, Category::Other, 0, 100},
                          {3, 2, 1, 3, Category::Other, 10, 10}, {4, 0, 2, 1, Category::Other, 0, 50},
                          {5, 4, 2, 4, Category::Other, 0, 4},   {6, 4, 2, 5, Category::Other, 4, 6},
                          {7, 4, 2, 6, Category::Other, 10, 0}};
        const FlameTree tree = FlameTree::build(spans, FlameTree::Roots(roots));
        const QStringList lines = lundi::foldedStacks(tree, [&](qint64 frame) {
            return frame < 0 ? QStringLiteral("thread-%1").arg(-frame) : names[frame];
        });
        QCOMPARE(lines, expected);
    }
};

QTEST_GUILESS_MAIN(TestFlameTree)
#include "tst_flametree.moc"
