// CriticalPath on what the real importers store: every trace of the shared corpus tiles its root
// exactly, and what makes a child non-blocking (a Jaeger FOLLOWS_FROM, a CONSUMER under a
// PRODUCER in Jaeger or OTLP) reaches the critical path through the store, in new files and in
// files written before the store kept it.

#include "importfixture.h"

#include "analysis/criticalpath.h"

using namespace test;

namespace {

// Empty, or what is wrong with the path of one trace.
QString tilingError(const CriticalPath::Trace& trace)
{
    qint64 at = trace.startNs;
    for (const CriticalPath::Section& section : trace.sections) {
        if (section.startNs != at || section.endNs <= section.startNs)
            return QStringLiteral("root %1: section [%2,%3) does not follow on at %4")
                .arg(trace.root)
                .arg(section.startNs)
                .arg(section.endNs)
                .arg(at);
        at = section.endNs;
    }
    if (at - trace.startNs != trace.durationNs)
        return QStringLiteral("root %1: sections sum to %2, the root lasts %3")
            .arg(trace.root)
            .arg(at - trace.startNs)
            .arg(trace.durationNs);
    return {};
}

// Each trace's sections as "name[start,end)" by span name, in the order the traces come.
QString rendered(const Store& store, const std::vector<CriticalPath::Trace>& traces)
{
    const std::vector<QString> strings = store.strings();
    QStringList lines;
    for (const CriticalPath::Trace& trace : traces) {
        QStringList sections;
        for (const CriticalPath::Section& section : trace.sections)
            sections += QStringLiteral("%1[%2,%3)")
                            .arg(strings[size_t(section.name)])
                            .arg(section.startNs)
                            .arg(section.endNs);
        lines += sections.join(QLatin1Char(' '));
    }
    return lines.join(QLatin1Char('\n'));
}

// The whole root interval in microseconds from 0: the rows below read in Jaeger's units.
const char* const ProducerConsumer = R"({"traceID":"A1","spans":[
    {"spanID":"1","operationName":"handle","startTime":0,"duration":100,"processID":"p",
     "tags":[{"key":"span.kind","type":"string","value":"server"}]},
    {"spanID":"2","operationName":"publish","references":[{"refType":"CHILD_OF","spanID":"1"}],
     "startTime":10,"duration":50,"processID":"p",
     "tags":[{"key":"span.kind","type":"string","value":"PRODUCER"}]},
    {"spanID":"3","operationName":"consume","references":[{"refType":"CHILD_OF","spanID":"2"}],
     "startTime":20,"duration":30,"processID":"q",
     "tags":[{"key":"span.kind","type":"string","value":"consumer"}]},
    {"spanID":"4","operationName":"audit","references":[{"refType":"FOLLOWS_FROM","spanID":"1"}],
     "startTime":70,"duration":20,"processID":"p"},
    {"spanID":"5","operationName":"query","references":[{"refType":"CHILD_OF","spanID":"1"}],
     "startTime":65,"duration":10,"processID":"p"}],
    "processes":{"p":{"serviceName":"api"},"q":{"serviceName":"worker"}}})";
// audit follows from handle and consume is a consumer under a producer: neither is on the path.
const char* const ProducerConsumerPath =
    "handle[0,10000) publish[10000,60000) handle[60000,65000) query[65000,75000) handle[75000,100000)";

} // namespace

class TestCriticalPathCorpus : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void corpusTracesTileTheirRoots_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expect");
        QVERIFY(addCorpusRows("chrome-trace/") + addCorpusRows("otlp-json/") + addCorpusRows("jaeger-json/") >
                0);
    }

    void corpusTracesTileTheirRoots()
    {
        QFETCH(QString, path);
        QFETCH(QString, expect);
        if (expect != QLatin1String("ok"))
            QSKIP("the corpus does not promise this file imports");
        Fixture fixture;
        fixture.import(path);
        const Store store = fixture.store();
        const std::vector<SpanRecord> spans = store.spanRecords();
        for (const double tolerance : {0.0, 0.01}) {
            CriticalPath::Options options;
            options.skewTolerance = tolerance;
            const auto traces = CriticalPath::compute(spans, {}, options, store.rootTraceIds());
            qint64 roots = 0;
            for (const SpanRecord& span : spans)
                roots += span.parent == 0 && span.durNs > 0;
            QCOMPARE(qint64(traces.size()), roots);
            for (const CriticalPath::Trace& trace : traces)
                QVERIFY2(tilingError(trace).isEmpty(), qPrintable(tilingError(trace)));
        }
    }

    void jaegerNonBlockingChildrenAreLeftOut()
    {
        Fixture fixture;
        fixture.importJson(ProducerConsumer);
        const Store store = fixture.store();
        const auto traces = CriticalPath::compute(store.spanRecords(), {}, {}, store.rootTraceIds());
        QCOMPARE(rendered(store, traces), QString::fromLatin1(ProducerConsumerPath));
        QCOMPARE(traces.front().traceId, QStringLiteral("000000000000000000000000000000a1"));
    }

    void otlpConsumerUnderProducerIsLeftOut()
    {
        // SPAN_KIND_PRODUCER is 4, SPAN_KIND_CONSUMER 5.
        Fixture fixture;
        fixture.importJson(R"({"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"api"}}]},"scopeSpans":[{"spans":[
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"handle",
             "kind":2,"startTimeUnixNano":"1000","endTimeUnixNano":"2000"},
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203332",
             "parentSpanId":"b7ad6b7169203331","name":"publish","kind":4,
             "startTimeUnixNano":"1100","endTimeUnixNano":"1600"},
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203333",
             "parentSpanId":"b7ad6b7169203332","name":"consume","kind":5,
             "startTimeUnixNano":"1200","endTimeUnixNano":"1500"}]}]}]})");
        const Store store = fixture.store();
        const auto traces = CriticalPath::compute(store.spanRecords(), {}, {}, store.rootTraceIds());
        QCOMPARE(rendered(store, traces),
                 QStringLiteral("handle[1000,1100) publish[1100,1600) handle[1600,2000)"));
        QCOMPARE(traces.front().traceId, QStringLiteral("0af7651916cd43dd8448eb211c80319c"));
    }

    void olderFilesLearnKindsFromTheirAttributes()
    {
        // A file as schema 2 wrote it: no kind, no follows_from, no index of root trace ids.
        Fixture fixture;
        fixture.importJson(ProducerConsumer);
        Store(fixture.dbPath())
            .connection()
            .exec("DROP INDEX spans_trace_roots; ALTER TABLE spans DROP COLUMN kind;"
                  " ALTER TABLE spans DROP COLUMN follows_from; PRAGMA user_version = 2");
        const Store store = fixture.store();
        const auto traces = CriticalPath::compute(store.spanRecords(), {}, {}, store.rootTraceIds());
        QCOMPARE(rendered(store, traces), QString::fromLatin1(ProducerConsumerPath));
    }
};

QTEST_GUILESS_MAIN(TestCriticalPathCorpus)
#include "tst_criticalpathcorpus.moc"
