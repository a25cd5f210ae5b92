// Sandwich on a hand-made tree whose callers and callees can be worked out on paper.

#include "lettertree.h"

#include "analysis/sandwich.h"

#include <QTest>

using namespace lundi;
using namespace lundi::test;

namespace {

using Spans = std::vector<SpanRecord>;

// A Sandwich tree starts at the frame itself.
QStringList render(const FlameTree& tree)
{
    return renderSubtree(tree, 0);
}

// M [0,100) calls F [0,40), which calls G [0,30), which calls F again [5,25) with H [10,20) in
// it; M also calls G [50,80), which calls F [55,75) with H [60,65); and F [200,210) runs alone.
//   M 100 (self 30) > F 40 (10) > G 30 (10) > F 20 (10) > H 10 (10)
//                   > G 30 (10) > F 20 (15) > H 5 (5)
//   F 10 (10)
const Spans Calls{span(1, 0, 'M', 0, 100), span(2, 1, 'F', 0, 40),  span(3, 2, 'G', 0, 30),
                  span(4, 3, 'F', 5, 20),  span(5, 4, 'H', 10, 10), span(6, 1, 'G', 50, 30),
                  span(7, 6, 'F', 55, 20), span(8, 7, 'H', 60, 5),  span(9, 0, 'F', 200, 10)};

} // namespace

class TestSandwich : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void sandwich_data()
    {
        QTest::addColumn<char>("name");
        QTest::addColumn<QStringList>("callers");
        QTest::addColumn<QStringList>("callees");

        // Outermost F: M;F (40, self 10), M;G;F (20, 15) and the lone F (10, 10); the F inside
        // M;F;G is recursion, part of the first one's time.
        QTest::newRow("F, recursive") << 'F'
                                      << QStringList{
                                             QStringLiteral("F total=70 self=35 count=3"),
                                             QStringLiteral("F;G total=20 self=15 count=1"),
                                             QStringLiteral("F;G;M total=20 self=15 count=1"),
                                             QStringLiteral("F;M total=40 self=10 count=1"),
                                         }
                                      << QStringList{
                                             QStringLiteral("F total=70 self=35 count=3"),
                                             QStringLiteral("F;G total=30 self=10 count=1"),
                                             QStringLiteral("F;G;F total=20 self=10 count=1"),
                                             QStringLiteral("F;G;F;H total=10 self=10 count=1"),
                                             QStringLiteral("F;H total=5 self=5 count=1"),
                                         };

        // H at the leaves: both calls go through F, then G, then two different ways up to M.
        QTest::newRow("H, leaf") << 'H'
                                 << QStringList{
                                        QStringLiteral("H total=15 self=15 count=2"),
                                        QStringLiteral("H;F total=15 self=15 count=2"),
                                        QStringLiteral("H;F;G total=15 self=15 count=2"),
                                        QStringLiteral("H;F;G;F total=10 self=10 count=1"),
                                        QStringLiteral("H;F;G;F;M total=10 self=10 count=1"),
                                        QStringLiteral("H;F;G;M total=5 self=5 count=1"),
                                    }
                                 << QStringList{QStringLiteral("H total=15 self=15 count=2")};

        // M is a root: no callers, and its callees are the whole tree below it.
        QTest::newRow("M, root") << 'M' << QStringList{QStringLiteral("M total=100 self=30 count=1")}
                                 << QStringList{
                                        QStringLiteral("M total=100 self=30 count=1"),
                                        QStringLiteral("M;F total=40 self=10 count=1"),
                                        QStringLiteral("M;F;G total=30 self=10 count=1"),
                                        QStringLiteral("M;F;G;F total=20 self=10 count=1"),
                                        QStringLiteral("M;F;G;F;H total=10 self=10 count=1"),
                                        QStringLiteral("M;G total=30 self=10 count=1"),
                                        QStringLiteral("M;G;F total=20 self=15 count=1"),
                                        QStringLiteral("M;G;F;H total=5 self=5 count=1"),
                                    };

        QTest::newRow("absent") << 'Z' << QStringList{QStringLiteral("Z total=0 self=0 count=0")}
                                << QStringList{QStringLiteral("Z total=0 self=0 count=0")};
    }

    void sandwich()
    {
        QFETCH(char, name);
        QFETCH(QStringList, callers);
        QFETCH(QStringList, callees);
        const Sandwich sandwich = Sandwich::build(FlameTree::build(Calls), frame(name));
        QCOMPARE(render(sandwich.callers), callers);
        QCOMPARE(render(sandwich.callees), callees);
    }

    void rootTakesTheFramesCategory()
    {
        const FlameTree tree = FlameTree::build(
            {{1, 0, 1, frame('A'), Category::Api, 0, 10}, {2, 1, 1, frame('B'), Category::Gpu, 0, 5}});
        const Sandwich sandwich = Sandwich::build(tree, frame('B'));
        QCOMPARE(sandwich.callers.root().category, Category::Gpu);
        QCOMPARE(sandwich.callees.root().category, Category::Gpu);
        QCOMPARE(sandwich.callers.nodes()[size_t(sandwich.callers.root().children.front())].category,
                 Category::Api);
    }

    // With Roots::ByTrack the callers end at the tracks.
    void callersEndAtTracks()
    {
        const FlameTree tree = FlameTree::build({span(1, 0, 'A', 0, 10, 1), span(2, 1, 'B', 2, 3, 1),
                                                 span(3, 0, 'A', 100, 20, 2), span(4, 3, 'B', 105, 5, 2)},
                                                FlameTree::Roots::ByTrack);
        QCOMPARE(render(Sandwich::build(tree, frame('B')).callers),
                 (QStringList{
                     QStringLiteral("B total=8 self=8 count=2"),
                     QStringLiteral("B;A total=8 self=8 count=2"),
                     QStringLiteral("B;A;track 1 total=3 self=3 count=1"),
                     QStringLiteral("B;A;track 2 total=5 self=5 count=1"),
                 }));
    }
};

QTEST_GUILESS_MAIN(TestSandwich)
#include "tst_sandwich.moc"
