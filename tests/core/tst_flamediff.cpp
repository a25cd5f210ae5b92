// FlameDiff on hand-made span lists whose shares are worked out on paper: a path's share is its
// total over its own tree's root total, and the change is the incident's share less the baseline's.

#include "lettertree.h"

#include "analysis/flamediff.h"

#include <QTest>

#include <functional>

using namespace lundi;
using namespace lundi::test;

namespace {

using Spans = std::vector<SpanRecord>;

// One line per node below the root, "A;B 50->150 ns, 1->1 calls, +25.0 pp", sorted.
QStringList render(const FlameDiff& diff)
{
    const auto& nodes = diff.tree(FlameDiff::Widths::Incident).nodes();
    QStringList lines;
    std::function<void(qint32, const QString&)> visit = [&](qint32 n, const QString& prefix) {
        const QString path = prefix.isEmpty() ? frameName(nodes[size_t(n)].frame)
                                              : prefix + u';' + frameName(nodes[size_t(n)].frame);
        const FlameDiff::Change& change = diff.changes()[size_t(n)];
        lines.append(QStringLiteral("%1 %2->%3 ns, %4->%5 calls, %6 pp")
                         .arg(path)
                         .arg(change.baselineNs)
                         .arg(change.incidentNs)
                         .arg(change.baselineCount)
                         .arg(change.incidentCount)
                         .arg(QString::asprintf("%+.1f", 100 * change.shareChange())));
        for (qint32 c : nodes[size_t(n)].children)
            visit(c, path);
    };
    for (qint32 c : nodes.front().children)
        visit(c, QString());
    lines.sort();
    return lines;
}

// The spans again, each id moved by offset and started later by shift: the same traffic twice.
Spans repeated(const Spans& spans, SpanId offset, qint64 shift)
{
    Spans out = spans;
    for (const SpanRecord& s : spans) {
        SpanRecord copy = s;
        copy.id += offset;
        copy.parent = s.parent ? s.parent + offset : 0;
        copy.startNs += shift;
        out.push_back(copy);
    }
    return out;
}

const Spans Baseline{span(1, 0, 'A', 0, 100), span(2, 1, 'B', 0, 50), span(3, 1, 'C', 50, 30),
                     span(4, 1, 'E', 80, 10)};

} // namespace

Q_DECLARE_METATYPE(Spans)

class TestFlameDiff : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void changes_data()
    {
        QTest::addColumn<Spans>("baseline");
        QTest::addColumn<Spans>("incident");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("itself") << Baseline << Baseline
                                << QStringList{
                                       QStringLiteral("A 100->100 ns, 1->1 calls, +0.0 pp"),
                                       QStringLiteral("A;B 50->50 ns, 1->1 calls, +0.0 pp"),
                                       QStringLiteral("A;C 30->30 ns, 1->1 calls, +0.0 pp"),
                                       QStringLiteral("A;E 10->10 ns, 1->1 calls, +0.0 pp"),
                                   };
        // Twice the traffic: every path twice as wide, no share changes.
        QTest::newRow("more traffic") << Baseline << repeated(Baseline, 100, 1000)
                                      << QStringList{
                                             QStringLiteral("A 100->200 ns, 1->2 calls, +0.0 pp"),
                                             QStringLiteral("A;B 50->100 ns, 1->2 calls, +0.0 pp"),
                                             QStringLiteral("A;C 30->60 ns, 1->2 calls, +0.0 pp"),
                                             QStringLiteral("A;E 10->20 ns, 1->2 calls, +0.0 pp"),
                                         };
        // B grew from 50 to 150 of A's 200 (50% -> 75%), C vanished (30% -> 0), D is new
        // (0 -> 10%), E kept its 10 ns but is now 5% of a wider A.
        QTest::newRow("grew, vanished, new") << Baseline
                                             << Spans{span(1, 0, 'A', 0, 200), span(2, 1, 'B', 0, 150),
                                                      span(3, 1, 'D', 150, 20), span(4, 1, 'E', 170, 10)}
                                             << QStringList{
                                                    QStringLiteral("A 100->200 ns, 1->1 calls, +0.0 pp"),
                                                    QStringLiteral("A;B 50->150 ns, 1->1 calls, +25.0 pp"),
                                                    QStringLiteral("A;C 30->0 ns, 1->0 calls, -30.0 pp"),
                                                    QStringLiteral("A;D 0->20 ns, 0->1 calls, +10.0 pp"),
                                                    QStringLiteral("A;E 10->10 ns, 1->1 calls, -5.0 pp"),
                                                };
        // The same frame under another parent is another path.
        QTest::newRow("moved") << Spans{span(1, 0, 'A', 0, 100), span(2, 1, 'B', 0, 40)}
                               << Spans{span(1, 0, 'A', 0, 100), span(2, 1, 'C', 0, 40),
                                        span(3, 2, 'B', 0, 40)}
                               << QStringList{
                                      QStringLiteral("A 100->100 ns, 1->1 calls, +0.0 pp"),
                                      QStringLiteral("A;B 40->0 ns, 1->0 calls, -40.0 pp"),
                                      QStringLiteral("A;C 0->40 ns, 0->1 calls, +40.0 pp"),
                                      QStringLiteral("A;C;B 0->40 ns, 0->1 calls, +40.0 pp"),
                                  };
        QTest::newRow("empty baseline") << Spans{} << Spans{span(1, 0, 'A', 0, 10)}
                                        << QStringList{QStringLiteral("A 0->10 ns, 0->1 calls, +100.0 pp")};
        QTest::newRow("both empty") << Spans{} << Spans{} << QStringList{};
    }

    void changes()
    {
        QFETCH(Spans, baseline);
        QFETCH(Spans, incident);
        QFETCH(QStringList, expected);
        const FlameDiff diff = FlameDiff::compare(FlameTree::build(baseline), FlameTree::build(incident));
        QCOMPARE(render(diff), expected);
    }

    void largestChange()
    {
        const FlameTree baseline = FlameTree::build(Baseline);
        QCOMPARE(FlameDiff::compare(baseline, baseline).largestChange(), 0.0);
        QCOMPARE(
            FlameDiff::compare(baseline, FlameTree::build(repeated(Baseline, 100, 1000))).largestChange(),
            0.0);
        // C vanished: 30 of 100.
        const Spans incident{span(1, 0, 'A', 0, 100), span(2, 1, 'B', 0, 60), span(4, 1, 'E', 80, 10)};
        QCOMPARE(FlameDiff::compare(baseline, FlameTree::build(incident)).largestChange(), 0.3);
    }

    // Each side's widths: a vanished stack has none in the incident's and keeps its own in the
    // baseline's; the union has the same nodes in the same order in both, parents first.
    void widths()
    {
        const Spans incident{span(1, 0, 'A', 0, 200), span(2, 1, 'D', 0, 20)};
        const FlameDiff diff = FlameDiff::compare(FlameTree::build(Baseline), FlameTree::build(incident));
        const auto& inc = diff.tree(FlameDiff::Widths::Incident).nodes();
        const auto& base = diff.tree(FlameDiff::Widths::Baseline).nodes();
        QCOMPARE(inc.size(), size_t(6)); // root, A, A;B, A;C, A;E, A;D
        QCOMPARE(base.size(), inc.size());
        QCOMPARE(diff.changes().size(), inc.size());
        QCOMPARE(inc.front().totalNs, 200);
        QCOMPARE(base.front().totalNs, 100);
        for (size_t n = 1; n < inc.size(); ++n) {
            QCOMPARE(inc[n].frame, base[n].frame);
            QCOMPARE(inc[n].parent, base[n].parent);
            QVERIFY(size_t(inc[n].parent) < n);
            QCOMPARE(inc[n].totalNs, diff.changes()[n].incidentNs);
            QCOMPARE(base[n].totalNs, diff.changes()[n].baselineNs);
        }
        for (size_t n = 1; n < inc.size(); ++n) {
            if (inc[n].frame == frame('C')) {
                QCOMPARE(inc[n].totalNs, 0);
                QCOMPARE(base[n].totalNs, 30);
                QCOMPARE(base[n].selfNs, 30);
                QVERIFY(diff.changes()[n].isMissing());
            }
            if (inc[n].frame == frame('D')) {
                QCOMPARE(inc[n].totalNs, 20);
                QCOMPARE(base[n].totalNs, 0);
                QVERIFY(diff.changes()[n].isNew());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestFlameDiff)
#include "tst_flamediff.moc"
