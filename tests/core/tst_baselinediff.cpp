// BaselineDiff on traces built so that every answer is known: each trace is a root R whose
// children run one after another, so each child's whole duration is on the critical path and R
// keeps the rest. The expected rows are worked out from the recipes, per trace, by hand.

#include "lettertree.h"

#include "analysis/baselinediff.h"

#include <QTest>

using namespace lundi;
using namespace lundi::test;

namespace {

using Spans = std::vector<SpanRecord>;

// A child of a trace's root: its letter, category and duration; children run in this order.
struct Step
{
    char name;
    Category category;
    qint64 durNs;
};

struct Recipe
{
    qint64 rootNs; // at least the sum of the steps
    std::vector<Step> steps;
};

constexpr qint64 IncidentStartNs = 1'000'000;

// count traces of a recipe on a track, one every 1000 ns from startNs, ids from next on.
void addTraces(Spans& spans, SpanId& next, TrackId track, qint64 startNs, int count, const Recipe& recipe)
{
    for (int t = 0; t < count; ++t) {
        const qint64 start = startNs + t * 1000;
        const SpanId root = next++;
        spans.push_back(span(root, 0, 'R', start, recipe.rootNs, track, Category::Api));
        qint64 at = start;
        for (const Step& step : recipe.steps) {
            spans.push_back(span(next++, root, step.name, at, step.durNs, track, step.category));
            at += step.durNs;
        }
    }
}

// The baseline on track 1 (source 1) from 0, the incident on track 2 (source 2) from
// IncidentStartNs.
Spans incident(int baselineTraces, const Recipe& baseline, int incidentTraces, const Recipe& incident)
{
    Spans spans;
    SpanId next = 1;
    addTraces(spans, next, 1, 0, baselineTraces, baseline);
    addTraces(spans, next, 2, IncidentStartNs, incidentTraces, incident);
    return spans;
}

const QList<Track> Tracks{{1, 1, TrackKind::Service, QStringLiteral("baseline"), {}, {}, 0},
                          {2, 2, TrackKind::Service, QStringLiteral("incident"), {}, {}, 1}};

// R: 100 ns, of which A 20, B 20, C 10 and R itself 50.
const Recipe Normal{
    100, {{'A', Category::Network, 20}, {'B', Category::Compute, 20}, {'C', Category::Storage, 10}}};

QString render(const BaselineDiff::Contributor& row)
{
    QStringList path;
    for (const StringId frame : row.path)
        path.append(frameName(frame));
    return QStringLiteral("%1 %2 %3 p50%4 p95%5 mean%6 share=%7 calls=%8->%9 traces=%10->%11 "
                          "fromCalls=%12 fromTime=%13")
        .arg(path.isEmpty() ? QStringLiteral("(category)") : path.join(u';'), categoryName(row.category),
             contributorStatusName(row.status), QString::asprintf("%+lld", row.deltaP50Ns()),
             QString::asprintf("%+lld", row.deltaP95Ns()), QString::asprintf("%+lld", row.deltaMeanNs()),
             QString::number(row.share, 'f', 3))
        .arg(row.baselineCalls)
        .arg(row.incidentCalls)
        .arg(row.baselineTraces)
        .arg(row.incidentTraces)
        .arg(row.fromCallsNs)
        .arg(row.fromTimeNs);
}

QStringList render(const std::vector<BaselineDiff::Contributor>& rows)
{
    QStringList lines;
    for (const BaselineDiff::Contributor& row : rows)
        lines.append(render(row));
    return lines;
}

SpanSelection source(SourceId id)
{
    return {id, {}};
}

SpanSelection range(qint64 startNs, qint64 endNs)
{
    return {std::nullopt, {startNs, endNs}};
}

} // namespace

Q_DECLARE_METATYPE(Spans)
Q_DECLARE_METATYPE(SpanSelection)

class TestBaselineDiff : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void contributors_data()
    {
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<SpanSelection>("baseline");
        QTest::addColumn<SpanSelection>("incident");
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<QStringList>("categories");

        const Spans same = incident(4, Normal, 4, Normal);
        QTest::newRow("a source against itself")
            << same << source(1) << source(1) << QStringList{} << QStringList{};
        QTest::newRow("a range against itself")
            << same << range(IncidentStartNs, 2 * IncidentStartNs)
            << range(IncidentStartNs, 2 * IncidentStartNs) << QStringList{} << QStringList{};
        // Three times the traffic, each trace as before: per trace, nothing changed.
        QTest::newRow("more traffic")
            << incident(4, Normal, 12, Normal) << source(1) << source(2) << QStringList{} << QStringList{};

        // Per trace: A grew from 20 to 60; B is called twice instead of once, 20 each time; C
        // (10) vanished; D (10) is new; R keeps its 50. The mean latency goes from 100 to 160:
        // +60 = +40 (A) +20 (B) +10 (D) -10 (C). Twice the traffic changes none of it.
        const Recipe slow{160,
                          {{'A', Category::Network, 60},
                           {'B', Category::Compute, 20},
                           {'B', Category::Compute, 20},
                           {'D', Category::Gpu, 10}}};
        const QStringList planted{
            QStringLiteral("R;A network changed p50+40 p95+40 mean+40 share=0.667 calls=4->8 traces=4->8 "
                           "fromCalls=0 fromTime=40"),
            QStringLiteral("R;B compute changed p50+20 p95+20 mean+20 share=0.333 calls=4->16 traces=4->8 "
                           "fromCalls=20 fromTime=0"),
            QStringLiteral("R;D gpu new p50+10 p95+10 mean+10 share=0.167 calls=0->8 traces=0->8 "
                           "fromCalls=10 fromTime=0"),
            QStringLiteral("R;C storage missing p50-10 p95-10 mean-10 share=-0.167 calls=4->0 traces=4->0 "
                           "fromCalls=-10 fromTime=0"),
        };
        const QStringList plantedCategories{
            QStringLiteral("(category) network changed p50+40 p95+40 mean+40 share=0.667 calls=4->8 "
                           "traces=4->8 fromCalls=0 fromTime=40"),
            QStringLiteral("(category) compute changed p50+20 p95+20 mean+20 share=0.333 calls=4->16 "
                           "traces=4->8 fromCalls=20 fromTime=0"),
            QStringLiteral("(category) gpu new p50+10 p95+10 mean+10 share=0.167 calls=0->8 traces=0->8 "
                           "fromCalls=10 fromTime=0"),
            QStringLiteral("(category) storage missing p50-10 p95-10 mean-10 share=-0.167 calls=4->0 "
                           "traces=4->0 fromCalls=-10 fromTime=0"),
        };
        const Spans regressed = incident(4, Normal, 8, slow);
        QTest::newRow("planted, by source")
            << regressed << source(1) << source(2) << planted << plantedCategories;
        QTest::newRow("planted, by range")
            << regressed << range(0, IncidentStartNs) << range(IncidentStartNs, 2 * IncidentStartNs)
            << planted << plantedCategories;

        // One trace in ten got 100 ns slower in A: the p50 does not move, the p95 does.
        Spans tail = incident(10, Normal, 9, Normal);
        SpanId next = SpanId(tail.size()) + 1;
        addTraces(
            tail, next, 2, IncidentStartNs + 9000, 1,
            {200,
             {{'A', Category::Network, 120}, {'B', Category::Compute, 20}, {'C', Category::Storage, 10}}});
        QTest::newRow("slow tail")
            << tail << source(1) << source(2)
            << QStringList{QStringLiteral(
                   "R;A network changed p50+0 p95+100 mean+10 share=1.000 calls=10->10 "
                   "traces=10->10 fromCalls=0 fromTime=10")}
            << QStringList{QStringLiteral("(category) network changed p50+0 p95+100 mean+10 share=1.000 "
                                          "calls=10->10 traces=10->10 fromCalls=0 fromTime=10")};
    }

    void contributors()
    {
        QFETCH(Spans, spans);
        QFETCH(SpanSelection, baseline);
        QFETCH(SpanSelection, incident);
        QFETCH(QStringList, paths);
        QFETCH(QStringList, categories);
        const BaselineDiff diff = BaselineDiff::compute(spans, Tracks, baseline, incident);
        QCOMPARE(render(diff.paths), paths);
        QCOMPARE(render(diff.categories), categories);
        // The same sides as filters (as the report passes every source but the baseline's).
        const BaselineDiff filtered =
            BaselineDiff::compute(spans, baseline.filter(Tracks), incident.filter(Tracks));
        QCOMPARE(render(filtered.paths), paths);
        QCOMPARE(render(filtered.categories), categories);
    }

    // The sides: traces, mean and percentiles of their latency; the flame diff of their spans.
    void sides()
    {
        const Recipe slow{160, {{'A', Category::Network, 150}}};
        const BaselineDiff diff =
            BaselineDiff::compute(incident(4, Normal, 8, slow), Tracks, source(1), source(2));
        QCOMPARE(diff.baseline.traces, 4);
        QCOMPARE(diff.incident.traces, 8);
        QCOMPARE(diff.baseline.meanNs, 100);
        QCOMPARE(diff.incident.meanNs, 160);
        QCOMPARE(diff.incident.latency.p95, 160);
        // The span trees hold the roots' time: 4 × 100 and 8 × 160.
        QCOMPARE(diff.flame.tree(FlameDiff::Widths::Baseline).root().totalNs, 400);
        QCOMPARE(diff.flame.tree(FlameDiff::Widths::Incident).root().totalNs, 1280);
    }

    void nothingToCompare()
    {
        const BaselineDiff diff = BaselineDiff::compute({}, {}, source(1), range(0, 10));
        QCOMPARE(diff.baseline.traces, 0);
        QVERIFY(diff.paths.empty());
        QVERIFY(diff.categories.empty());
    }
};

QTEST_GUILESS_MAIN(TestBaselineDiff)
#include "tst_baselinediff.moc"
