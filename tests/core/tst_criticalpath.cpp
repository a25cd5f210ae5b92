// CriticalPath on hand-made traces whose path can be worked out on paper: each row is the
// spans ("id<parent [start,end) kind"), then the sections expected ("id[start,end)" in time
// order). Span i is named i, so a section reads as the span it is in.

#include "analysis/criticalpath.h"
#include "analysis/criticalpathsummary.h"

#include <QRandomGenerator>
#include <QTest>

using namespace lundi;

namespace {

using Spans = std::vector<SpanRecord>;

SpanRecord span(SpanId id, SpanId parent, qint64 start, qint64 end, SpanKind kind = SpanKind::Unspecified,
                bool followsFrom = false, TrackId track = 1)
{
    SpanRecord record;
    record.id = id;
    record.parent = parent;
    record.track = track;
    record.name = id;
    record.startNs = start;
    record.durNs = end - start;
    record.kind = kind;
    record.followsFrom = followsFrom;
    return record;
}

QString render(const CriticalPath::Trace& trace)
{
    QStringList sections;
    for (const CriticalPath::Section& section : trace.sections)
        sections += QStringLiteral("%1[%2,%3)").arg(section.span).arg(section.startNs).arg(section.endNs);
    return sections.join(QLatin1Char(' '));
}

// What every path must be: sections in time order that tile the root's interval exactly, each
// inside the span it names. Returns an empty string or what is wrong.
QString tilingError(const Spans& spans, const CriticalPath::Trace& trace)
{
    qint64 at = trace.startNs;
    for (const CriticalPath::Section& section : trace.sections) {
        if (section.startNs != at || section.endNs <= section.startNs)
            return QStringLiteral("section [%1,%2) of %3 does not follow on at %4")
                .arg(section.startNs)
                .arg(section.endNs)
                .arg(section.span)
                .arg(at);
        const auto it = std::lower_bound(spans.begin(), spans.end(), section.span,
                                         [](const SpanRecord& s, SpanId id) { return s.id < id; });
        if (it == spans.end() || it->id != section.span || section.startNs < it->startNs ||
            section.endNs > it->startNs + it->durNs)
            return QStringLiteral("section of %1 lies outside it").arg(section.span);
        at = section.endNs;
    }
    if (at != trace.startNs + trace.durationNs)
        return QStringLiteral("sections end at %1, the root at %2")
            .arg(at)
            .arg(trace.startNs + trace.durationNs);
    return {};
}

} // namespace

Q_DECLARE_METATYPE(Spans)

class TestCriticalPath : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void path_data()
    {
        using K = SpanKind;
        QTest::addColumn<Spans>("spans");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<QString>("expected");

        QTest::newRow("a root alone") << Spans{span(1, 0, 0, 100)} << 0.0 << "1[0,100)";
        QTest::newRow("sequential children")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 40), span(3, 1, 40, 90)} << 0.0
            << "1[0,10) 2[10,40) 3[40,90) 1[90,100)";
        QTest::newRow("a gap between children is the parent's")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 30), span(3, 1, 50, 90)} << 0.0
            << "1[0,10) 2[10,30) 1[30,50) 3[50,90) 1[90,100)";
        QTest::newRow("a parallel child that ends earlier does not count")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 80), span(3, 1, 20, 60)} << 0.0
            << "1[0,10) 2[10,80) 1[80,100)";
        QTest::newRow("a child before the parallel ones counts")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 80), span(3, 1, 20, 60), span(4, 1, 0, 5)} << 0.0
            << "4[0,5) 1[5,10) 2[10,80) 1[80,100)";
        QTest::newRow("grandchildren")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 90), span(3, 2, 20, 30), span(4, 2, 40, 70),
                     span(5, 4, 50, 60)}
            << 0.0 << "1[0,10) 2[10,20) 3[20,30) 2[30,40) 4[40,50) 5[50,60) 4[60,70) 2[70,90) 1[90,100)";
        QTest::newRow("a child overflowing the end is clipped")
            << Spans{span(1, 0, 0, 100), span(2, 1, 50, 150)} << 0.0 << "1[0,50) 2[50,100)";
        QTest::newRow("a child overflowing the start is clipped")
            << Spans{span(1, 0, 0, 100), span(2, 1, -20, 30)} << 0.0 << "2[0,30) 1[30,100)";
        QTest::newRow("a grandchild is clipped to its clipped parent")
            << Spans{span(1, 0, 0, 100), span(2, 1, 50, 150), span(3, 2, 90, 140)} << 0.0
            << "1[0,50) 2[50,90) 3[90,100)";
        QTest::newRow("children outside the parent are dropped")
            << Spans{span(1, 0, 0, 100), span(2, 1, 100, 150), span(3, 1, -50, 0)} << 0.0 << "1[0,100)";
        QTest::newRow("a child of no duration is dropped")
            << Spans{span(1, 0, 0, 100), span(2, 1, 50, 50)} << 0.0 << "1[0,100)";
        QTest::newRow("a consumer under a producer does not block it")
            << Spans{span(1, 0, 0, 100, K::Server), span(2, 1, 10, 60, K::Producer),
                     span(3, 2, 20, 50, K::Consumer)}
            << 0.0 << "1[0,10) 2[10,60) 1[60,100)";
        QTest::newRow("a consumer under a client blocks it")
            << Spans{span(1, 0, 0, 100, K::Server), span(2, 1, 10, 60, K::Client),
                     span(3, 2, 20, 50, K::Consumer)}
            << 0.0 << "1[0,10) 2[10,20) 3[20,50) 2[50,60) 1[60,100)";
        QTest::newRow("a producer's other children block it")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 60, K::Producer), span(3, 2, 20, 50, K::Internal)}
            << 0.0 << "1[0,10) 2[10,20) 3[20,50) 2[50,60) 1[60,100)";
        QTest::newRow("a span that follows from its parent does not block it")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 60), span(3, 2, 20, 50, K::Internal, true)} << 0.0
            << "1[0,10) 2[10,60) 1[60,100)";
        QTest::newRow("nor do its children")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 90, K::Internal, true), span(3, 2, 20, 50)} << 0.0
            << "1[0,100)";
        QTest::newRow("equal ends: the longer child")
            << Spans{span(1, 0, 0, 100), span(2, 1, 30, 50), span(3, 1, 10, 50)} << 0.0
            << "1[0,10) 3[10,50) 1[50,100)";
        QTest::newRow("equal ends and starts: the first child")
            << Spans{span(1, 0, 0, 100), span(2, 1, 10, 50), span(3, 1, 10, 50)} << 0.0
            << "1[0,10) 2[10,50) 1[50,100)";
        QTest::newRow("strict: an overlap of 0.5 % is parallel")
            << Spans{span(1, 0, 0, 1000), span(2, 1, 100, 505), span(3, 1, 500, 900)} << 0.0
            << "1[0,500) 3[500,900) 1[900,1000)";
        QTest::newRow("CRISP: an overlap of 0.5 % is sequential, cut at the next start")
            << Spans{span(1, 0, 0, 1000), span(2, 1, 100, 505), span(3, 1, 500, 900)} << 0.01
            << "1[0,100) 2[100,500) 3[500,900) 1[900,1000)";
        QTest::newRow("CRISP: an overlap of exactly 1 % is sequential")
            << Spans{span(1, 0, 0, 1000), span(2, 1, 100, 510), span(3, 1, 500, 900)} << 0.01
            << "1[0,100) 2[100,500) 3[500,900) 1[900,1000)";
        QTest::newRow("CRISP: an overlap of 2 % is parallel")
            << Spans{span(1, 0, 0, 1000), span(2, 1, 100, 520), span(3, 1, 500, 900)} << 0.01
            << "1[0,500) 3[500,900) 1[900,1000)";
        QTest::newRow("CRISP: a child that started with the next one is parallel")
            << Spans{span(1, 0, 0, 1000), span(2, 1, 500, 505), span(3, 1, 500, 900)} << 0.01
            << "1[0,500) 3[500,900) 1[900,1000)";
    }

    void path()
    {
        QFETCH(Spans, spans);
        QFETCH(double, tolerance);
        QFETCH(QString, expected);
        CriticalPath::Options options;
        options.skewTolerance = tolerance;
        const std::vector<CriticalPath::Trace> traces = CriticalPath::compute(spans, {}, options);
        QCOMPARE(traces.size(), size_t(1));
        QCOMPARE(render(traces.front()), expected);
        QCOMPARE(tilingError(spans, traces.front()), QString());
        QCOMPARE(traces.front().durationNs, spans.front().durNs);
    }

    void hiddenTracksHangSpansUnderTheirNearestKeptAncestor()
    {
        // 2 is on a hidden track: 3 hangs under 1, and 2's own time is 1's.
        const Spans spans{span(1, 0, 0, 100), span(2, 1, 10, 90, SpanKind::Unspecified, false, 2),
                          span(3, 2, 20, 50)};
        CriticalPath::Selection selection;
        selection.filter.hiddenTracks = {2};
        const auto traces = CriticalPath::compute(spans, selection);
        QCOMPARE(traces.size(), size_t(1));
        QCOMPARE(render(traces.front()), QStringLiteral("1[0,20) 3[20,50) 1[50,100)"));
    }

    void selection()
    {
        // Four traces: roots 1 (10 long), 3 (40), 5 (30), 7 (20); 9 is an instant, no trace.
        const Spans spans{span(1, 0, 0, 10),    span(2, 1, 2, 4),     span(3, 0, 100, 140),
                          span(4, 3, 110, 120), span(5, 0, 200, 230), span(6, 5, 210, 220),
                          span(7, 0, 300, 320), span(8, 7, 305, 310), span(9, 0, 400, 400)};
        const CriticalPath::TraceIds ids{{3, QStringLiteral("aa")}, {5, QStringLiteral("bb")}};
        const auto roots = [](const std::vector<CriticalPath::Trace>& traces) {
            QList<SpanId> list;
            for (const auto& trace : traces)
                list += trace.root;
            return list;
        };
        QCOMPARE(roots(CriticalPath::compute(spans, {}, {}, ids)), (QList<SpanId>{1, 3, 5, 7}));

        CriticalPath::Selection slowest;
        slowest.slowestShare = 0.5;
        QCOMPARE(roots(CriticalPath::compute(spans, slowest)), (QList<SpanId>{3, 5}));
        slowest.slowestShare = 0.01; // at least one
        QCOMPARE(roots(CriticalPath::compute(spans, slowest)), (QList<SpanId>{3}));

        CriticalPath::Selection range;
        range.filter.range = {100, 300}; // roots starting in it
        QCOMPARE(roots(CriticalPath::compute(spans, range)), (QList<SpanId>{3, 5}));

        CriticalPath::Selection byId;
        byId.trace = QStringLiteral("bb");
        const auto traces = CriticalPath::compute(spans, byId, {}, ids);
        QCOMPARE(roots(traces), (QList<SpanId>{5}));
        QCOMPARE(traces.front().traceId, QStringLiteral("bb"));
        byId.trace = QStringLiteral("7"); // a trace without an id, by its root span
        QCOMPARE(roots(CriticalPath::compute(spans, byId, {}, ids)), (QList<SpanId>{7}));
        byId.trace = QStringLiteral("3"); // has an id: not found by its span id
        QCOMPARE(roots(CriticalPath::compute(spans, byId, {}, ids)), QList<SpanId>());
    }

    void summaryOverTraces()
    {
        // Three requests to "handle" (name 100, api): one waits on "query" (101, storage), one on
        // "query" then "scan" (102, compliance), one on nothing. Critical-path time per trace:
        // handle 40 / 20 / 50, query 60 / 20 / -, scan - / 60 / -.
        const auto named = [](SpanRecord record, StringId name, Category category) {
            record.name = name;
            record.category = category;
            return record;
        };
        const Spans spans{named(span(1, 0, 0, 100), 100, Category::Api),
                          named(span(2, 1, 10, 70), 101, Category::Storage),
                          named(span(3, 0, 200, 300), 100, Category::Api),
                          named(span(4, 3, 210, 230), 101, Category::Storage),
                          named(span(5, 3, 230, 290), 102, Category::Compliance),
                          named(span(6, 0, 400, 450), 100, Category::Api)};
        const auto summary = CriticalPathSummary::build(spans, CriticalPath::compute(spans));
        QCOMPARE(summary.traceCount(), qint64(3));
        QCOMPARE(summary.totalNs(), qint64(250));
        QCOMPARE(summary.tree().root().totalNs, qint64(250));

        QStringList rows;
        for (const auto& row : summary.paths()) {
            QStringList path;
            for (const StringId name : summary.callPath(row.node))
                path += QString::number(name);
            rows += QStringLiteral("%1 %2 n=%3 p50=%4 p95=%5 p99=%6 traces=%7")
                        .arg(path.join(QLatin1Char(';')), categoryName(row.category))
                        .arg(row.criticalNs)
                        .arg(row.perTrace.p50)
                        .arg(row.perTrace.p95)
                        .arg(row.perTrace.p99)
                        .arg(row.traces);
        }
        QCOMPARE(rows, (QStringList{QStringLiteral("100 api n=110 p50=40 p95=50 p99=50 traces=3"),
                                    QStringLiteral("100;101 storage n=80 p50=20 p95=60 p99=60 traces=2"),
                                    QStringLiteral("100;102 compliance n=60 p50=0 p95=60 p99=60 traces=1")}));

        const auto& categories = summary.categories();
        QCOMPARE(categories.size(), AllCategories.size());
        const auto category = [&](Category c) {
            return *std::find_if(categories.begin(), categories.end(),
                                 [c](const auto& row) { return row.category == c; });
        };
        QCOMPARE(category(Category::Api).criticalNs, qint64(110));
        QCOMPARE(category(Category::Api).share, 110.0 / 250.0);
        QCOMPARE(category(Category::Storage).perTrace.p50, qint64(20));
        QCOMPARE(category(Category::Compliance).perTrace.p50, qint64(0));
        QCOMPARE(category(Category::Compliance).perTrace.p95, qint64(60));
        QCOMPARE(category(Category::Gpu).criticalNs, qint64(0));
    }

    void summaryPassesOverHiddenTracks()
    {
        // 2 is on a hidden track: 3's call path is 1;3, and 2's time is 1's.
        const Spans spans{span(1, 0, 0, 100), span(2, 1, 10, 90, SpanKind::Unspecified, false, 2),
                          span(3, 2, 20, 50)};
        CriticalPath::Selection selection;
        selection.filter.hiddenTracks = {2};
        const auto summary =
            CriticalPathSummary::build(spans, CriticalPath::compute(spans, selection), selection.filter);
        QCOMPARE(summary.paths().size(), size_t(2));
        QCOMPARE(summary.callPath(summary.paths()[0].node), (std::vector<StringId>{1}));
        QCOMPARE(summary.paths()[0].criticalNs, qint64(70));
        QCOMPARE(summary.callPath(summary.paths()[1].node), (std::vector<StringId>{1, 3}));
    }

    void deepChainNeedsNoStack()
    {
        // Span i (1-based) is [i, 2n - i) under span i - 1: every span has a section at each end.
        const qint64 n = 100000;
        Spans spans;
        spans.reserve(size_t(n));
        for (qint64 i = 1; i <= n; ++i)
            spans.push_back(span(i, i - 1, i, 2 * n - i + 1));
        const auto traces = CriticalPath::compute(spans);
        QCOMPARE(traces.size(), size_t(1));
        const CriticalPath::Trace& trace = traces.front();
        QCOMPARE(tilingError(spans, trace), QString());
        QCOMPARE(trace.sections.size(), size_t(2 * n - 1));
        QCOMPARE(trace.sections[size_t(n - 1)].span, n); // the innermost span in the middle
    }

    void randomTreesAreTiled()
    {
        // Overlapping, overflowing and outside children, kinds and FOLLOWS_FROM at random: the
        // path tiles every root whatever the shape.
        QRandomGenerator random(42);
        for (int round = 0; round < 200; ++round) {
            Spans spans;
            const int count = 1 + int(random.bounded(60));
            for (int i = 1; i <= count; ++i) {
                const SpanId parent = i == 1 || random.bounded(8) == 0 ? 0 : 1 + random.bounded(i - 1);
                const qint64 start = random.bounded(1000) - 100;
                spans.push_back(span(i, parent, start, start + random.bounded(600),
                                     SpanKind(random.bounded(6)), random.bounded(10) == 0));
            }
            for (const double tolerance : {0.0, 0.01, 0.2}) {
                CriticalPath::Options options;
                options.skewTolerance = tolerance;
                for (const auto& trace : CriticalPath::compute(spans, {}, options))
                    QVERIFY2(tilingError(spans, trace).isEmpty(),
                             qPrintable(QStringLiteral("round %1: ").arg(round) + tilingError(spans, trace)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCriticalPath)
#include "tst_criticalpath.moc"
