// SpanIndex: spans by (trace id, span id) in one open-addressing table, through its growth;
// the answers are known by construction (each key's value is its number).

#include "ingest/spanindex.h"

#include <QTest>

#include <string>

using namespace lundi;

namespace {

// Span i of a file of Count spans: seven spans a trace, span ids that repeat across traces.
constexpr quint32 Count = 300'000;

SpanKey keyOf(quint32 i)
{
    return SpanKey::of("trace-" + std::to_string(i / 7), std::to_string(i % 7 + 1000 * (i % 3)));
}

} // namespace

class TestSpanIndex : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void keys()
    {
        QCOMPARE(SpanKey::of("t1", "a"), SpanKey::of("t1", "a"));
        QVERIFY(!(SpanKey::of("t1", "a") == SpanKey::of("t2", "a")));
        QVERIFY(!(SpanKey::of("t1", "a") == SpanKey::of("t1", "b")));
        // The trace and span ids are not one text: "t1"+"a" is not "t"+"1a".
        QVERIFY(!(SpanKey::of("t1", "a") == SpanKey::of("t", "1a")));
    }

    void findsWhatWasInserted()
    {
        SpanIndex index;
        QCOMPARE(index.find(keyOf(0)), nullptr);
        for (quint32 i = 0; i < Count; ++i)
            QVERIFY(index.insert(keyOf(i), i));
        QCOMPARE(index.size(), qsizetype(Count));
        // A key given again keeps its first value.
        for (quint32 i = 0; i < Count; i += 97)
            QVERIFY(!index.insert(keyOf(i), SpanIndex::MaxValue));
        QCOMPARE(index.size(), qsizetype(Count));
        for (quint32 i = 0; i < Count; ++i) {
            quint32* value = index.find(keyOf(i));
            QVERIFY(value);
            QCOMPARE(*value, i);
        }
        // Spans that were never inserted: ids of those traces beyond their seven spans.
        for (quint32 trace = 0; trace < Count / 7; trace += 13)
            QCOMPARE(index.find(SpanKey::of("trace-" + std::to_string(trace), "absent")), nullptr);
        // A value changed through find() stays changed.
        *index.find(keyOf(42)) = SpanIndex::MaxValue;
        QCOMPARE(*index.find(keyOf(42)), SpanIndex::MaxValue);
    }
};

QTEST_GUILESS_MAIN(TestSpanIndex)
#include "tst_spanindex.moc"
