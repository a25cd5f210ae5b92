// TraceAssembler: spans that name their parent by id, in any order, written through the real
// StoreSink into an incident file as trees, parents first; self-parents, cycles, orphans,
// duplicates and links that lead nowhere, each with its warning. Inputs and the expected
// incident side by side.

#include "ingest/traceassembler.h"
#include "plugins/importfixture.h"

using namespace lundi;
using namespace test;

namespace {

QStringList list(std::initializer_list<const char*> items)
{
    QStringList strings;
    for (const char* item : items)
        strings.append(QString::fromUtf8(item));
    return strings;
}

// What an assembly wrote: the rendered incident (of small ones), the span names in the order
// they were written, the deepest depth, the flows as "from->to" and the warnings.
struct Assembled
{
    QString rendered;
    int maxDepth = 0;
    QStringList writeOrder;
    QStringList flows;
    QStringList warnings;
    int progressReports = 0;
    bool parentsFirst = true; // every span written after its parent
    QStringList followers;    // the spans stored as FOLLOWS_FROM their parent
};

// Spans as "trace span parent name start dur" (parent "-": a root, "~id": FOLLOWS_FROM), links as
// "fromTrace fromSpan toTrace toSpan"; the assembler writes a batch every `batch` spans and moves
// written spans to its archive when `archiveAt` of them are in its index.
Assembled assemble(const QStringList& spans, const QStringList& links = {},
                   size_t batch = TraceAssembler::DefaultBatch,
                   size_t archiveAt = TraceAssembler::DefaultArchiveAt)
{
    QTemporaryDir dir;
    Store store(dir.filePath(QStringLiteral("incident.lundi")));
    const ImporterRegistry registry{QStringList()};
    const Classifier classifier =
        Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in classification rules"));
    Ingestor ingestor(store, registry, classifier);
    Assembled result;
    const ImportSummary summary = ingestor.importGenerated(
        QStringLiteral("test"), QStringLiteral("assembler"), "assembler", {}, [&](Sink& sink) {
            ImportControl control([&](qint64, qint64) { ++result.progressReports; }, nullptr);
            TraceAssembler assembler(sink, control, batch, archiveAt);
            const TrackId track = sink.addTrack({TrackKind::Service, QStringLiteral("svc"), {}, {}, 0});
            for (const QString& line : spans) {
                const QStringList f = line.split(QLatin1Char(' '));
                TraceAssembler::PendingSpan span;
                span.traceId = f[0].toStdString();
                span.spanId = f[1].toStdString();
                span.followsFrom = f[2].startsWith(QLatin1Char('~'));
                span.parentId =
                    f[2] == QLatin1String("-") ? std::string() : f[2].mid(span.followsFrom).toStdString();
                span.name = sink.intern(f[3].toStdString());
                span.startNs = f[4].toLongLong();
                span.durNs = f[5].toLongLong();
                span.track = track;
                assembler.add(std::move(span));
            }
            for (const QString& line : links) {
                const QStringList f = line.split(QLatin1Char(' '));
                assembler.addLink({f[0].toStdString(), f[1].toStdString(), f[2].toStdString(),
                                   f[3].toStdString(), sink.intern("link")});
            }
            QCOMPARE(assembler.spanCount(), qint64(spans.size()));
            assembler.finish();
            QCOMPARE(assembler.spanCount(), qint64(0));
        });
    if (spans.size() < 100)
        result.rendered = render(store);
    for (const Track& track : store.tracks()) {
        for (const Span& span : store.spansOfTrack(track.id))
            result.maxDepth = std::max(result.maxDepth, span.depth);
    }
    const std::vector<QString> strings = store.strings();
    QHash<SpanId, QString> names;
    for (const SpanRecord& span : store.spanRecords()) {
        // Parents first, in whatever batches the spans were written.
        result.parentsFirst &= span.parent == 0 || names.contains(span.parent);
        result.writeOrder.append(strings[size_t(span.name)]);
        if (span.followsFrom)
            result.followers.append(strings[size_t(span.name)]);
        names.insert(span.id, strings[size_t(span.name)]);
    }
    for (const Flow& flow : store.flows())
        result.flows.append(names.value(flow.from) + QStringLiteral("->") + names.value(flow.to));
    result.warnings = summary.warnings;
    return result;
}

} // namespace

class TestTraceAssembler : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void trees_data();
    void trees();
    void links();
    void manyLinks();
    void followsFromNeedsAParent();
    void longChainsAndCycles_data();
    void longChainsAndCycles();
};

void TestTraceAssembler::trees_data()
{
    QTest::addColumn<QStringList>("spans");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("writeOrder");
    QTest::addColumn<QStringList>("warnings");

    // As SDKs export them: a span when it ends, so children before parents.
    QTest::newRow("children first") << list({"t1 c a call 30 10", "t1 b a query 10 15",
                                             "t1 a - request 0 100", "t1 d b fetch 12 5"})
                                    << QStringLiteral("svc (service)\n"
                                                      "  request [0 +100]\n"
                                                      "    query [10 +15]\n"
                                                      "      fetch [12 +5]\n"
                                                      "    call [30 +10]")
                                    << list({"request", "query", "fetch", "call"}) << QStringList();
    QTest::newRow("roots by start time")
        << list({"t2 x - later 50 1", "t1 y - earlier 5 1", "t1 z y inner 6 0"})
        << QStringLiteral("svc (service)\n  earlier [5 +1]\n    inner [6 +0]\n  later [50 +1]")
        << list({"earlier", "inner", "later"}) << QStringList();
    QTest::newRow("self-parent") << list({"t1 a a me 0 5", "t1 b a child 1 1"})
                                 << QStringLiteral("svc (service)\n  me [0 +5]\n    child [1 +1]")
                                 << list({"me", "child"})
                                 << list({"1 span names itself as its parent; it is shown as a root"});
    // Walking up from the first span, the span that closes the cycle becomes the root.
    QTest::newRow("cycle of three, with a tail")
        << list({"t1 a c a 0 9", "t1 b a b 1 7", "t1 c b c 2 5", "t1 d b d 3 1"})
        << QStringLiteral("svc (service)\n"
                          "      a [0 +9]\n"
                          "  b [1 +7]\n"
                          "    c [2 +5]\n"
                          "    d [3 +1]")
        << list({"b", "c", "a", "d"})
        << list({"1 parent cycle was broken; the span that closes it is shown as a root"});
    QTest::newRow("orphan") << list({"t1 b zz lost 4 2", "t1 c b kid 5 1"})
                            << QStringLiteral("svc (service)\n  lost [4 +2]\n    kid [5 +1]")
                            << list({"lost", "kid"})
                            << list(
                                   {"1 span names a parent that is not in the input; it is shown as a root"});
    // A parent id is looked up in the span's own trace only.
    QTest::newRow("parent in another trace")
        << list({"t1 a - root 0 9", "t2 b a stray 1 1"})
        << QStringLiteral("svc (service)\n  root [0 +9]\n  stray [1 +1]") << list({"root", "stray"})
        << list({"1 span names a parent that is not in the input; it is shown as a root"});
    // Children and links find the first span of an id; the repeat is kept, apart.
    QTest::newRow("duplicate ids")
        << list({"t1 a - first 0 10", "t1 a - second 20 10", "t1 b a child 25 1"})
        << QStringLiteral("svc (service)\n  first [0 +10]\n  second [20 +10]\n    child [25 +1]")
        << list({"first", "child", "second"})
        << list(
               {"1 span repeats the id of an earlier span of the same trace; it is kept as a separate span"});
    QTest::newRow("one span id in two traces")
        << list({"t1 a - one 0 5", "t2 a - two 1 5", "t2 b a under-two 2 1"})
        << QStringLiteral("svc (service)\n  one [0 +5]\n  two [1 +5]\n    under-two [2 +1]")
        << list({"one", "two", "under-two"}) << QStringList();
    QTest::newRow("nothing") << QStringList() << QStringLiteral("svc (service)") << QStringList()
                             << QStringList();
}

void TestTraceAssembler::trees()
{
    QFETCH(QStringList, spans);
    QFETCH(QString, expected);
    QFETCH(QStringList, writeOrder);
    QFETCH(QStringList, warnings);
    const Assembled assembled = assemble(spans);
    QCOMPARE(assembled.rendered, expected);
    QCOMPARE(assembled.writeOrder, writeOrder);
    QCOMPARE(assembled.warnings, warnings);
    QVERIFY(assembled.parentsFirst);
    // Written in batches as small as one span (as a long input is), the incident is the same;
    // only the order of writing differs. So it is when every written span leaves the index for
    // the archive after each batch: parents, repeated ids and orphans are found there.
    for (const size_t batch : {1, 2}) {
        for (const size_t archiveAt : {TraceAssembler::DefaultArchiveAt, size_t(1)}) {
            const Assembled batched = assemble(spans, {}, batch, archiveAt);
            QCOMPARE(batched.rendered, expected);
            QCOMPARE(batched.warnings, warnings);
            QVERIFY(batched.parentsFirst);
        }
    }
}

void TestTraceAssembler::links()
{
    // Links find spans by trace and id: t1/a is "producer", not "shadow" (t2/a), also when the
    // spans were written in batches before the links were resolved, or archived.
    for (const auto& [batch, archiveAt] :
         {std::pair{TraceAssembler::DefaultBatch, TraceAssembler::DefaultArchiveAt},
          std::pair{size_t(1), TraceAssembler::DefaultArchiveAt}, std::pair{size_t(1), size_t(1)}}) {
        const Assembled assembled =
            assemble(list({"t1 a - producer 0 5", "t2 b - consumer 10 5", "t2 c b handler 11 2",
                           "t2 a - shadow 12 1"}),
                     list({"t1 a t2 b", "t2 b t2 c", "t1 a t2 nowhere", "t9 x t2 b"}), batch, archiveAt);
        QCOMPARE(assembled.flows, list({"producer->consumer", "consumer->handler"}));
        QCOMPARE(assembled.warnings,
                 list({"2 links point at spans that are not in the input; they were left out"}));
    }
}

void TestTraceAssembler::manyLinks()
{
    // More links than the assembler keeps in memory: the earlier ones wait in its spill file,
    // and all are resolved, in their order. Each span links to the one before it; every tenth
    // link comes from a span that is not there.
    constexpr int Count = 10'000;
    QStringList spans;
    QStringList links;
    for (int i = 0; i < Count; ++i) {
        spans.append(QStringLiteral("t1 s%1 - n%1 %1 1").arg(i));
        links.append(i % 10 == 0 ? QStringLiteral("t1 x%1 t1 s%1").arg(i)
                                 : QStringLiteral("t1 s%1 t1 s%2").arg(i - 1).arg(i));
    }
    for (const size_t archiveAt : {TraceAssembler::DefaultArchiveAt, size_t(1000)}) {
        const Assembled assembled = assemble(spans, links, 1000, archiveAt);
        QCOMPARE(assembled.flows.size(), Count - Count / 10);
        QCOMPARE(assembled.flows.first(), QStringLiteral("n0->n1"));
        QCOMPARE(assembled.flows.at(9), QStringLiteral("n10->n11"));
        QCOMPARE(assembled.flows.last(), QStringLiteral("n9998->n9999"));
        QCOMPARE(assembled.warnings,
                 list({"1000 links point at spans that are not in the input; they were left out"}));
    }
}

void TestTraceAssembler::followsFromNeedsAParent()
{
    // A FOLLOWS_FROM span whose parent is missing is shown as a root, which follows nothing.
    for (const auto& [batch, archiveAt] :
         {std::pair{TraceAssembler::DefaultBatch, TraceAssembler::DefaultArchiveAt},
          std::pair{size_t(1), TraceAssembler::DefaultArchiveAt}, std::pair{size_t(1), size_t(1)}}) {
        const Assembled assembled =
            assemble(list({"t1 b ~a later 5 1", "t1 a - root 0 2", "t1 c ~zz lost 6 1", "t1 d a child 1 1"}),
                     {}, batch, archiveAt);
        QCOMPARE(assembled.followers, list({"later"}));
        QCOMPARE(assembled.rendered,
                 QStringLiteral(
                     "svc (service)\n  root [0 +2]\n    child [1 +1]\n    later [5 +1]\n  lost [6 +1]"));
    }
}

void TestTraceAssembler::longChainsAndCycles_data()
{
    QTest::addColumn<size_t>("batch");
    QTest::addColumn<size_t>("archiveAt");
    QTest::newRow("one batch") << size_t(1 << 20) << TraceAssembler::DefaultArchiveAt;
    // The chain waits through batches until its root comes; the cycle waits to the end.
    QTest::newRow("batches of 1000") << size_t(1000) << TraceAssembler::DefaultArchiveAt;
    // Written spans go to the archive in runs of about 50,000.
    QTest::newRow("batches of 1000, archived") << size_t(1000) << size_t(50'000);
}

void TestTraceAssembler::longChainsAndCycles()
{
    // A chain 200,000 deep, given leaf first, and a cycle through 100,000 spans: no recursion,
    // each span written once, the cycle broken once.
    QFETCH(size_t, batch);
    QFETCH(size_t, archiveAt);
    constexpr int Depth = 200'000;
    QStringList spans;
    spans.reserve(Depth + 100'000);
    for (int i = Depth - 1; i >= 0; --i)
        spans.append(QStringLiteral("t1 s%1 %2 n 0 %3")
                         .arg(i)
                         .arg(i ? QStringLiteral("s%1").arg(i - 1) : QStringLiteral("-"))
                         .arg(Depth - i));
    constexpr int Cycle = 100'000;
    for (int i = 0; i < Cycle; ++i)
        spans.append(QStringLiteral("t2 c%1 c%2 ring 0 1").arg(i).arg((i + 1) % Cycle));
    const Assembled assembled = assemble(spans, {}, batch, archiveAt);
    QCOMPARE(assembled.writeOrder.size(), Depth + Cycle);
    QVERIFY(assembled.parentsFirst);
    QCOMPARE(assembled.warnings,
             list({"1 parent cycle was broken; the span that closes it is shown as a root"}));
    // After the input, what is left is written with progress reports (the reader reports
    // while it reads): everything when it is one batch, at least the cycle otherwise.
    const int atTheEnd = batch > size_t(Depth + Cycle) ? Depth + Cycle : Cycle;
    QVERIFY2(assembled.progressReports >= atTheEnd / 4096,
             qPrintable(QString::number(assembled.progressReports)));
    // Each span of the chain under the one before it, as deep as the store counts (65,535).
    QCOMPARE(assembled.maxDepth, 65'535);
}

QTEST_GUILESS_MAIN(TestTraceAssembler)
#include "tst_traceassembler.moc"
