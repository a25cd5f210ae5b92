#include "ingest/importer.h"
#include "plugins/importfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

#include <zlib.h>

using namespace lundi;
using namespace test;

class TestChromeTraceImporter : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void events_data();
    void events();
    void argsBecomeAttributes();
    void countersBecomeSeries();
    void unnamedCountersAreNamed_data();
    void unnamedCountersAreNamed();
    void flowsV1BindToSlices();
    void flowsV2BindIds();
    void objectFormKeepsMetadata();
    void kinetoTracks_data();
    void kinetoTracks();
    void kinetoLaunchFlows_data();
    void kinetoLaunchFlows();
    void kinetoBaseTime();
    void kinetoMetadataKeptWhole_data();
    void kinetoMetadataKeptWhole();
    void unknownPhasesAreCounted();
    void largeTraceIsWrittenWhileRead();
    void lateParentOfAllRewrites();
    void damageAfterWritingAheadWritesNothing();
    void lateNewsRewrites_data();
    void lateNewsRewrites();
    void gzipIsReadTransparently();
    void detection();
    void corpus_data();
    void corpus();
    void badInput_data();
    void badInput();
    void cutOrDamagedAnywhere_data();
    void cutOrDamagedAnywhere();
};

void TestChromeTraceImporter::initTestCase()
{
    Fixture fixture;
    QVERIFY2(fixture.registry().byFormat(QStringLiteral("chrome-trace")),
             qPrintable(fixture.registry().problems().join(QLatin1Char('\n'))));
}

void TestChromeTraceImporter::events_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("warning");

    // Written in completion order, as live tracers do: children before parents.
    QTest::newRow("X nesting") << QByteArray(R"([
        {"ph":"X","name":"leaf","ts":2,"dur":1,"pid":1,"tid":1},
        {"ph":"X","name":"mid","ts":1,"dur":5,"pid":1,"tid":1},
        {"ph":"X","name":"root","ts":0,"dur":10,"pid":1,"tid":1},
        {"ph":"X","name":"next","ts":12,"dur":3,"pid":1,"tid":1}])")
                               << QStringLiteral("tid 1 (thread)\n"
                                                 "  root [0 +10000]\n"
                                                 "    mid [1000 +5000]\n"
                                                 "      leaf [2000 +1000]\n"
                                                 "  next [12000 +3000]")
                               << QString();
    QTest::newRow("B/E out of order") << QByteArray(R"([
        {"ph":"E","name":"b","ts":5,"pid":1,"tid":1},
        {"ph":"B","name":"a","ts":0,"pid":1,"tid":1},
        {"ph":"E","name":"a","ts":9,"pid":1,"tid":1},
        {"ph":"B","name":"b","ts":2,"pid":1,"tid":1}])")
                                      << QStringLiteral("tid 1 (thread)\n"
                                                        "  a [0 +9000]\n"
                                                        "    b [2000 +3000]")
                                      << QString();
    QTest::newRow("ends of one instant unordered") << QByteArray(R"([
        {"ph":"B","name":"outer","ts":0,"pid":1,"tid":1},
        {"ph":"B","name":"inner","ts":0,"pid":1,"tid":1},
        {"ph":"E","name":"outer","ts":4,"pid":1,"tid":1},
        {"ph":"E","name":"inner","ts":4,"pid":1,"tid":1},
        {"ph":"B","name":"after","ts":4,"pid":1,"tid":1},
        {"ph":"E","name":"after","ts":6,"pid":1,"tid":1}])")
                                                   << QStringLiteral("tid 1 (thread)\n"
                                                                     "  outer [0 +4000]\n"
                                                                     "    inner [0 +4000]\n"
                                                                     "  after [4000 +2000]")
                                                   << QString();
    QTest::newRow("zero length, E before B") << QByteArray(R"([
        {"pid":0,"tid":0,"ph":"B","name":"A","ts":0},
        {"pid":0,"tid":0,"ph":"E","name":"C","ts":2},
        {"pid":0,"tid":0,"ph":"B","name":"C","ts":2},
        {"pid":0,"tid":0,"ph":"X","name":"D","ts":3,"dur":0},
        {"pid":0,"tid":0,"ph":"E","name":"A","ts":10}])")
                                             << QStringLiteral("tid 0 (thread)\n"
                                                               "  A [0 +10000]\n"
                                                               "    C [2000 +0]\n"
                                                               "    D [3000 +0]")
                                             << QString();
    QTest::newRow("recursion at one instant") << QByteArray(R"([
        {"ph":"B","name":"f","ts":0,"pid":1,"tid":1},
        {"ph":"B","name":"f","ts":3,"pid":1,"tid":1},
        {"ph":"E","name":"f","ts":3,"pid":1,"tid":1},
        {"ph":"E","name":"f","ts":8,"pid":1,"tid":1}])")
                                              << QStringLiteral("tid 1 (thread)\n"
                                                                "  f [0 +8000]\n"
                                                                "    f [3000 +0]")
                                              << QString();
    QTest::newRow("mismatched name") << QByteArray(R"([
        {"pid":0,"tid":0,"ph":"B","name":"alpha","ts":0},
        {"pid":0,"tid":0,"ph":"E","name":"beta","ts":10}])")
                                     << QStringLiteral("tid 0 (thread)\n  alpha [0 +10000]")
                                     << QStringLiteral("matches no open B");
    QTest::newRow("unclosed B") << QByteArray(R"([
        {"pid":0,"tid":0,"ph":"B","name":"open","ts":0},
        {"pid":0,"tid":0,"ph":"X","name":"work","ts":1,"dur":6}])")
                                << QStringLiteral("tid 0 (thread)\n  open [0 +7000]\n    work [1000 +6000]")
                                << QStringLiteral("never closed");
    QTest::newRow("overlap without nesting")
        << QByteArray(R"([
        {"pid":0,"tid":0,"ph":"X","name":"a","ts":0,"dur":10},
        {"pid":0,"tid":0,"ph":"X","name":"b","ts":5,"dur":10}])")
        << QStringLiteral("tid 0 (thread)\n  a [0 +10000]\n  b [5000 +10000]")
        << QStringLiteral("overlap without nesting");
    QTest::newRow("times and ids as strings, floats, negative") << QByteArray(R"([
        {"ph":"X","name":"s","ts":"1.5","dur":"2.0004","pid":"7","tid":"main"},
        {"ph":"X","name":"n","ts":-17000,"dur":1000.0006,"pid":"7","tid":"main"},
        {"ph":"X","name":"e","ts":"1.5e1","dur":1,"pid":"7","tid":"main"},
        {"ph":"X","name":"tdur only","ts":20,"tdur":4,"pid":"7","tid":"main"}])")
                                                                << QStringLiteral("tid main (thread)\n"
                                                                                  "  n [-17000000 +1000001]\n"
                                                                                  "  s [1500 +2000]\n"
                                                                                  "  e [15000 +1000]\n"
                                                                                  "  tdur only [20000 +4000]")
                                                                << QString();
    QTest::newRow("negative dur") << QByteArray(R"([{"ph":"X","name":"x","ts":5,"dur":-3,"pid":1,"tid":1}])")
                                  << QStringLiteral("tid 1 (thread)\n  x [5000 +0]")
                                  << QStringLiteral("negative \"dur\"");
    QTest::newRow("instants by scope") << QByteArray(R"([
        {"ph":"X","name":"work","ts":0,"dur":10,"pid":1,"tid":2},
        {"ph":"i","name":"thread mark","ts":3,"pid":1,"tid":2},
        {"ph":"I","name":"legacy","ts":4,"pid":1,"tid":2,"s":"t"},
        {"ph":"R","name":"perf mark","ts":5,"pid":1,"tid":2},
        {"ph":"i","name":"process mark","ts":6,"pid":1,"tid":2,"s":"p"},
        {"ph":"i","name":"global mark","ts":7,"pid":1,"tid":2,"s":"g"}])")
                                       << QStringLiteral("global instants (process)\n"
                                                         "  global mark [7000 +0]\n"
                                                         "pid 1 instants (process)\n"
                                                         "  process mark [6000 +0]\n"
                                                         "tid 2 (thread)\n"
                                                         "  work [0 +10000]\n"
                                                         "    thread mark [3000 +0]\n"
                                                         "    legacy [4000 +0]\n"
                                                         "    perf mark [5000 +0]")
                                       << QString();
    QTest::newRow("metadata names and sort order")
        << QByteArray(R"([
        {"ph":"M","name":"process_name","pid":1,"args":{"name":"Renderer"}},
        {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"Main"}},
        {"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"IO"}},
        {"ph":"M","name":"thread_sort_index","pid":1,"tid":2,"args":{"sort_index":"-1"}},
        {"ph":"X","name":"a","ts":0,"dur":1,"pid":1,"tid":1},
        {"ph":"X","name":"b","ts":0,"dur":1,"pid":1,"tid":2}])")
        << QStringLiteral("IO (thread)\n  b [0 +1000]\nMain (thread)\n  a [0 +1000]") << QString();
    QTest::newRow("nestable async") << QByteArray(R"([
        {"ph":"b","name":"request","cat":"net","id":"0x1","ts":0,"pid":1,"tid":1},
        {"ph":"b","name":"dns","cat":"net","id":"0x1","ts":1,"pid":1,"tid":1},
        {"ph":"n","name":"resolved","cat":"net","id":"0x1","ts":2,"pid":1,"tid":1},
        {"ph":"e","name":"dns","cat":"net","id":"0x1","ts":3,"pid":1,"tid":1},
        {"ph":"e","name":"request","cat":"net","id":"0x1","ts":9,"pid":1,"tid":1}])")
                                    << QStringLiteral("request (async) (async)\n"
                                                      "  request [0 +9000]\n"
                                                      "    dns [1000 +2000]\n"
                                                      "      resolved [2000 +0]")
                                    << QString();
    QTest::newRow("legacy async S/T/F")
        << QByteArray(R"([
        {"ph":"S","name":"load","cat":"x","id":7,"ts":0,"pid":1,"tid":1},
        {"ph":"T","name":"load","cat":"x","id":7,"ts":4,"pid":1,"tid":1,"args":{"step":"parsed"}},
        {"ph":"F","name":"load","cat":"x","id":7,"ts":10,"pid":1,"tid":1}])")
        << QStringLiteral("load (async) (async)\n  load [0 +10000]\n    load [4000 +0]") << QString();
    QTest::newRow("truncated: no closing bracket, trailing comma")
        << QByteArray("[\n {\"ph\":\"X\",\"name\":\"a\",\"ts\":0,\"dur\":1,\"pid\":1,\"tid\":1},\n\n  ")
        << QStringLiteral("tid 1 (thread)\n  a [0 +1000]")
        << QStringLiteral("without closing its event array");
    QTest::newRow("truncated object form")
        << QByteArray(
               R"({"otherData":{"v":1},"traceEvents":[{"ph":"X","name":"a","ts":0,"dur":1,"pid":1,"tid":1})")
        << QStringLiteral("tid 1 (thread)\n  a [0 +1000]")
        << QStringLiteral("without closing its event array");
    QTest::newRow("items that are no events")
        << QByteArray(R"([1, "x", null, [2], {"ph":"X","name":"a","ts":0,"dur":1,"pid":1,"tid":1}])")
        << QStringLiteral("tid 1 (thread)\n  a [0 +1000]") << QStringLiteral("not an object");
    // PyTorch profiler (Kineto): a device's process is labelled "GPU 0", its threads are streams.
    QTest::newRow("kineto: a track per stream, grouped under its device, after the CPU threads")
        << QByteArray(R"json({"traceEvents":[
        {"ph":"M","name":"process_name","pid":900,"args":{"name":"python"}},
        {"ph":"M","name":"process_labels","pid":900,"args":{"labels":"CPU"}},
        {"ph":"M","name":"thread_name","pid":900,"tid":900,"args":{"name":"thread 900 (python)"}},
        {"ph":"M","name":"process_name","pid":0,"args":{"name":"python"}},
        {"ph":"M","name":"process_labels","pid":0,"args":{"labels":"GPU 0"}},
        {"ph":"M","name":"process_name","pid":1,"args":{"name":"python"}},
        {"ph":"M","name":"process_labels","pid":1,"args":{"labels":"GPU 1"}},
        {"ph":"M","name":"thread_name","pid":0,"tid":7,"args":{"name":"stream 7 "}},
        {"ph":"X","cat":"kernel","name":"k2","pid":1,"tid":7,"ts":5,"dur":2},
        {"ph":"X","cat":"kernel","name":"k1","pid":0,"tid":20,"ts":1,"dur":3},
        {"ph":"X","cat":"kernel","name":"k0","pid":0,"tid":7,"ts":0,"dur":4},
        {"ph":"X","cat":"cpu_op","name":"aten::mm","pid":900,"tid":900,"ts":0,"dur":9}]})json")
        << QStringLiteral("thread 900 (python) (thread)\n"
                          "  aten::mm [0 +9000]\n"
                          "GPU 0 \u00b7 stream 7 (gpu)\n"
                          "  k0 [0 +4000]\n"
                          "GPU 0 \u00b7 stream 20 (gpu)\n"
                          "  k1 [1000 +3000]\n"
                          "GPU 1 \u00b7 stream 7 (gpu)\n"
                          "  k2 [5000 +2000]")
        << QString();
    QTest::newRow("kineto: overlapping kernels on one stream are all roots, without a warning")
        << QByteArray(R"([
        {"ph":"M","name":"process_labels","pid":0,"args":{"labels":"GPU 0"}},
        {"ph":"X","cat":"kernel","name":"a","pid":0,"tid":7,"ts":0,"dur":10},
        {"ph":"X","cat":"kernel","name":"inside a","pid":0,"tid":7,"ts":2,"dur":3},
        {"ph":"X","cat":"kernel","name":"across the end of a","pid":0,"tid":7,"ts":8,"dur":10}])")
        << QStringLiteral("GPU 0 \u00b7 stream 7 (gpu)\n"
                          "  a [0 +10000]\n"
                          "  inside a [2000 +3000]\n"
                          "  across the end of a [8000 +10000]")
        << QString();
    QTest::newRow("older kineto: streams named by tid; Chrome's GPU Process is no device")
        << QByteArray(R"([
        {"ph":"M","name":"process_name","pid":5,"args":{"name":"GPU Process"}},
        {"ph":"M","name":"thread_name","pid":5,"tid":1,"args":{"name":"CrGpuMain"}},
        {"ph":"X","name":"SwapBuffers","pid":5,"tid":1,"ts":0,"dur":2},
        {"ph":"X","cat":"Kernel","name":"gemm","pid":0,"tid":"stream 7","ts":0,"dur":1}])")
        << QStringLiteral("CrGpuMain (thread)\n"
                          "  SwapBuffers [0 +2000]\n"
                          "GPU 0 \u00b7 stream 7 (gpu)\n"
                          "  gemm [0 +1000]")
        << QString();
    QTest::newRow("baseTimeNanoseconds puts ts on the epoch")
        << QByteArray(R"({"traceEvents":[{"ph":"X","name":"step","ts":1.5,"dur":2,"pid":1,"tid":1}],
        "displayTimeUnit":"ms","baseTimeNanoseconds":1719853884000000000})")
        << QStringLiteral("tid 1 (thread)\n  step [1719853884000001500 +2000]") << QString();
    QTest::newRow("baseTimeNanoseconds before the events")
        << QByteArray(R"({"baseTimeNanoseconds":"1000000000",
        "traceEvents":[{"ph":"X","name":"step","ts":-1,"dur":2,"pid":1,"tid":1}]})")
        << QStringLiteral("tid 1 (thread)\n  step [999999000 +2000]") << QString();
    QTest::newRow("baseTimeNanoseconds that is no whole number")
        << QByteArray(R"({"traceEvents":[{"ph":"X","name":"step","ts":1,"dur":2,"pid":1,"tid":1}],
        "baseTimeNanoseconds":1.7e18})")
        << QStringLiteral("tid 1 (thread)\n  step [1000 +2000]")
        << QStringLiteral("\"baseTimeNanoseconds\" is not a whole number");
    QTest::newRow("baseTimeNanoseconds as an object")
        << QByteArray(R"({"traceEvents":[{"ph":"X","name":"step","ts":1,"dur":2,"pid":1,"tid":1}],
        "baseTimeNanoseconds":{"ns":5}})")
        << QStringLiteral("tid 1 (thread)\n  step [1000 +2000]")
        << QStringLiteral("\"baseTimeNanoseconds\" is not a whole number");
    QTest::newRow("baseTimeNanoseconds beyond the int64 range")
        << QByteArray(R"({"traceEvents":[{"ph":"X","name":"step","ts":1e15,"dur":2,"pid":1,"tid":1}],
        "baseTimeNanoseconds":9000000000000000000})")
        << QStringLiteral("tid 1 (thread)\n  step [1000000000000000000 +2000]")
        << QStringLiteral("beyond the year 2262");
    QTest::newRow("ts beyond the int64 range")
        << QByteArray(R"([
        {"ph":"X","name":"far","ts":1e300,"dur":1,"pid":1,"tid":1},
        {"ph":"X","name":"far too","ts":99999999999999999999999,"dur":1,"pid":1,"tid":1},
        {"ph":"X","name":"ok","ts":1,"dur":1,"pid":1,"tid":1}])")
        << QStringLiteral("tid 1 (thread)\n  ok [1000 +1000]") << QStringLiteral("\"ts\" is not a number");
}

void TestChromeTraceImporter::events()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QFETCH(QString, warning);
    checkImport(json, QStringLiteral("chrome-trace"), expected, warning);
}

void TestChromeTraceImporter::argsBecomeAttributes()
{
    Fixture fixture;
    fixture.importJson(R"([
        {"ph":"B","name":"task","ts":0,"pid":1,"tid":1,"args":{"url":"https://x","n":1.50}},
        {"ph":"E","ts":4,"pid":1,"tid":1,"args":{"status":"done"}},
        {"ph":"X","name":"plain","ts":5,"dur":1,"pid":1,"tid":1,"args":{}}])");
    const Store store = fixture.store();
    const auto spans = store.spansOfTrack(store.tracks().front().id);
    QCOMPARE(spans.size(), size_t(2));
    // E's args belong to the slice too; numbers keep the text they were written with.
    QCOMPARE(spans[0].attributesJson, QByteArray(R"({"url":"https://x","n":1.50,"status":"done"})"));
    QCOMPARE(
        QJsonDocument::fromJson(spans[0].attributesJson).object().value(QLatin1String("status")).toString(),
        QStringLiteral("done"));
    QVERIFY(spans[1].attributesJson.isEmpty());
}

void TestChromeTraceImporter::countersBecomeSeries()
{
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"([
        {"ph":"C","name":"memory","ts":0,"pid":1,"args":{"heap":10,"rss":"20.5"}},
        {"ph":"C","name":"memory","ts":2,"pid":1,"args":{"heap":12,"rss":"oops"}},
        {"ph":"C","name":"memory","ts":3,"pid":2,"id":"7","args":{"heap":1}}])");
    QCOMPARE(summary.counts.series, 3);
    QCOMPARE(summary.counts.samples, 4);
    QVERIFY(anyWarningContains(summary, "counter value is not a number"));
    const Store store = fixture.store();
    const QList<Series> series = store.series();
    QCOMPARE(series[0].name, QStringLiteral("memory"));
    QCOMPARE(QJsonDocument::fromJson(series[0].labelsJson).object().value(QLatin1String("arg")).toString(),
             QStringLiteral("heap"));
    const auto heap = store.samples(series[0].id);
    QCOMPARE(heap.size(), size_t(2));
    QCOMPARE(heap[1].timeNs, 2000);
    QCOMPARE(heap[1].value, 12.0);
    QCOMPARE(store.samples(series[1].id).front().value, 20.5);
    QCOMPARE(QJsonDocument::fromJson(series[2].labelsJson).object().value(QLatin1String("id")).toString(),
             QStringLiteral("7"));
}

void TestChromeTraceImporter::unnamedCountersAreNamed_data()
{
    QTest::addColumn<QByteArray>("counter");
    QTest::addColumn<QString>("series");
    QTest::newRow("no name: its key")
        << QByteArray(R"({"ph":"C","ts":0,"pid":1,"args":{"heap":10}})") << QStringLiteral("heap");
    QTest::newRow("empty name: its key")
        << QByteArray(R"({"ph":"C","name":"","ts":0,"pid":1,"args":{"rss":10}})") << QStringLiteral("rss");
    QTest::newRow("no name, empty key")
        << QByteArray(R"({"ph":"C","ts":0,"pid":1,"args":{"":10}})") << QStringLiteral("counter");
    QTest::newRow("a name stays") << QByteArray(
                                         R"({"ph":"C","name":"memory","ts":0,"pid":1,"args":{"heap":10}})")
                                  << QStringLiteral("memory");
}

void TestChromeTraceImporter::unnamedCountersAreNamed()
{
    QFETCH(QByteArray, counter);
    QFETCH(QString, series);
    Fixture fixture;
    const ImportSummary summary = fixture.importJson("[" + counter + "]");
    QCOMPARE(summary.counts.samples, 1);
    const QList<Series> stored = fixture.store().series();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored[0].name, series);
}

void TestChromeTraceImporter::flowsV1BindToSlices()
{
    Fixture fixture;
    // As PyTorch's profiler writes them: the launch on the CPU thread, the kernel on a stream,
    // the flow end bound to the enclosing slice ("bp":"e"); a step bound to the next slice.
    const ImportSummary summary = fixture.importJson(R"({"traceEvents":[
        {"ph":"X","name":"cudaLaunchKernel","cat":"cuda_runtime","ts":10,"dur":5,"pid":1,"tid":1},
        {"ph":"s","name":"ac2g","cat":"ac2g","id":42,"ts":11,"pid":1,"tid":1},
        {"ph":"t","name":"ac2g","cat":"ac2g","id":42,"ts":19,"pid":1,"tid":3},
        {"ph":"X","name":"queued","ts":20,"dur":1,"pid":1,"tid":3},
        {"ph":"f","name":"ac2g","cat":"ac2g","id":42,"ts":30,"pid":0,"tid":7,"bp":"e"},
        {"ph":"X","name":"gemm_kernel","cat":"kernel","ts":30,"dur":50,"pid":0,"tid":7},
        {"ph":"f","name":"ac2g","cat":"ac2g","id":99,"ts":30,"pid":0,"tid":7,"bp":"e"},
        {"ph":"M","name":"process_name","pid":0,"args":{"name":"GPU 0"}}]})");
    QCOMPARE(summary.counts.flows, 2);
    QVERIFY(anyWarningContains(summary, "no flow start"));
    const Store store = fixture.store();
    QHash<SpanId, QString> names;
    for (const Track& track : store.tracks()) {
        for (const Span& span : store.spansOfTrack(track.id))
            names.insert(span.id, span.name);
        if (track.process == QLatin1String("GPU 0"))
            QCOMPARE(track.kind, TrackKind::Gpu);
    }
    const QList<Flow> flows = store.flows();
    QCOMPARE(names.value(flows[0].from), QStringLiteral("cudaLaunchKernel"));
    QCOMPARE(names.value(flows[0].to), QStringLiteral("queued"));
    QCOMPARE(names.value(flows[1].from), QStringLiteral("queued"));
    QCOMPARE(names.value(flows[1].to), QStringLiteral("gemm_kernel"));
    QCOMPARE(flows[1].name, QStringLiteral("ac2g"));
}

void TestChromeTraceImporter::flowsV2BindIds()
{
    Fixture fixture;
    const QString corpus =
        QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/perfetto_flow_events_v2_bind_id.json");
    fixture.import(corpus);
    const Store store = fixture.store();
    QHash<SpanId, QString> names;
    for (const Track& track : store.tracks()) {
        for (const Span& span : store.spansOfTrack(track.id))
            names.insert(span.id, span.name);
    }
    QStringList links;
    for (const Flow& flow : store.flows())
        links.append(names.value(flow.from) + QStringLiteral("->") + names.value(flow.to));
    links.sort();
    QCOMPARE(links, QStringList({QStringLiteral("OtherSlice->SomeOtherSlice"),
                                 QStringLiteral("OtherSlice->SomeSlice"),
                                 QStringLiteral("SenderA->OtherSlice"), QStringLiteral("SenderB->Blergh")}));
}

void TestChromeTraceImporter::objectFormKeepsMetadata()
{
    Fixture fixture;
    fixture.importJson(R"({"displayTimeUnit":"ns","otherData":{"version":"1.2","n":[1,2]},
        "traceEvents":[{"ph":"X","name":"a","ts":0,"dur":1,"pid":1,"tid":1}],"systemTraceEvents":""})");
    const QJsonObject metadata =
        QJsonDocument::fromJson(fixture.store().sources().front().metadataJson).object();
    QCOMPARE(metadata.value(QLatin1String("displayTimeUnit")).toString(), QStringLiteral("ns"));
    QCOMPARE(metadata.value(QLatin1String("otherData")).toObject().value(QLatin1String("version")).toString(),
             QStringLiteral("1.2"));
    QVERIFY(metadata.contains(QLatin1String("systemTraceEvents")));
    QVERIFY(!metadata.contains(QLatin1String("traceEvents")));
}

namespace {

QJsonObject corpusJson(const QString& file)
{
    return QJsonDocument::fromJson(fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/") + file))
        .object();
}

// Written independently of the importer: the pids that Kineto labels as a device ("GPU 0").
QSet<QString> devicePids(const QJsonArray& events)
{
    QSet<QString> pids;
    for (const QJsonValue& value : events) {
        const QJsonObject event = value.toObject();
        const QString labels = event[QLatin1String("args")][QLatin1String("labels")].toString();
        if (event[QLatin1String("name")].toString() == QLatin1String("process_labels") &&
            (labels.startsWith(QLatin1String("GPU ")) || labels.startsWith(QLatin1String("MTIA "))))
            pids.insert(event[QLatin1String("pid")].toVariant().toString());
    }
    return pids;
}

QString pidOf(const QJsonObject& event)
{
    return event[QLatin1String("pid")].toVariant().toString();
}

} // namespace

void TestChromeTraceImporter::kinetoTracks_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("cuda, 3 streams and the device lane")
        << QStringLiteral("hta_cuda_event_sync_multistream.json");
    QTest::newRow("cuda, overlapping kernels") << QStringLiteral("hta_cuda_alexnet_critical_path.json");
    QTest::newRow("cuda, 5 streams") << QStringLiteral("hta_cuda_sampled_rank0_multistream.json");
    QTest::newRow("cuda, stream tids as text") << QStringLiteral("kineto_gpu_metrics_input.json");
    QTest::newRow("mtia, 24 queues") << QStringLiteral("hta_mtia_inference_rank0.json");
}

// Every device lane of a real trace is a GPU track named after its device, all of its spans
// roots; they come after the CPU tracks, each device's streams together.
void TestChromeTraceImporter::kinetoTracks()
{
    QFETCH(QString, file);
    const QJsonArray events = corpusJson(file)[QLatin1String("traceEvents")].toArray();
    const QSet<QString> devices = devicePids(events);
    QVERIFY(!devices.isEmpty());
    QSet<QString> deviceLanes;
    qint64 deviceSlices = 0;
    for (const QJsonValue& value : events) {
        const QJsonObject event = value.toObject();
        if (event[QLatin1String("ph")].toString() == QLatin1String("X") && devices.contains(pidOf(event))) {
            deviceLanes.insert(pidOf(event) + QLatin1Char('/') +
                               event[QLatin1String("tid")].toVariant().toString());
            ++deviceSlices;
        }
    }

    Fixture fixture;
    fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/") + file);
    const Store store = fixture.store();
    int gpuTracks = 0;
    qint64 gpuSpans = 0;
    QStringList deviceOrder;
    bool sawGpu = false;
    for (const Track& track : store.tracks()) {
        if (track.kind != TrackKind::Gpu) {
            QVERIFY2(!sawGpu, qPrintable(track.name + QStringLiteral(" comes after a GPU track")));
            continue;
        }
        sawGpu = true;
        ++gpuTracks;
        QVERIFY2(QRegularExpression(QStringLiteral("^(GPU|MTIA) \\d+$")).match(track.process).hasMatch(),
                 qPrintable(track.process));
        QVERIFY2(track.name.startsWith(track.process + QStringLiteral(" \u00b7 ")), qPrintable(track.name));
        if (deviceOrder.isEmpty() || deviceOrder.last() != track.process) {
            QVERIFY2(!deviceOrder.contains(track.process),
                     qPrintable(track.process + QStringLiteral(" split")));
            deviceOrder.append(track.process);
        }
        for (const Span& span : store.spansOfTrack(track.id)) {
            QCOMPARE(span.parent, SpanId(0));
            ++gpuSpans;
        }
    }
    QCOMPARE(gpuTracks, deviceLanes.size());
    QCOMPARE(gpuSpans, deviceSlices);
}

void TestChromeTraceImporter::kinetoLaunchFlows_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("ac2g, unbalanced s/f") << QStringLiteral("hta_cuda_alexnet_critical_path.json");
    QTest::newRow("ac2g, syncs across streams") << QStringLiteral("hta_cuda_event_sync_multistream.json");
    QTest::newRow("ac2g from cuLaunchKernel") << QStringLiteral("hta_cuda_triton_kernel.json");
    QTest::newRow("ac2g without device events") << QStringLiteral("hta_cuda_cupti_profiler_ranges.json");
    QTest::newRow("ac2g fanning out, mtia") << QStringLiteral("hta_mtia_inference_rank0.json");
    QTest::newRow("old cats: async_gpu") << QStringLiteral("hta_cuda_old_kineto_cats.json");
    QTest::newRow("old cats: async launch") << QStringLiteral("kineto_gpu_metrics_input.json");
    QTest::newRow("no flow events: by correlation")
        << QStringLiteral("hta_cuda_sampled_rank0_multistream.json");
    QTest::newRow("no flow events: by correlation, rank 1")
        << QStringLiteral("hta_cuda_sampled_rank1_multistream.json");
}

// Each kernel gets exactly one flow, from its launch (a cuda_runtime or cuda_driver span); the
// flows are those of the file's ac2g pairs, counted here with another parser, or where the
// file has no flow events, those of its correlation ids.
void TestChromeTraceImporter::kinetoLaunchFlows()
{
    QFETCH(QString, file);
    const QJsonArray events = corpusJson(file)[QLatin1String("traceEvents")].toArray();
    const QSet<QString> devices = devicePids(events);
    QHash<QString, int> starts;   // by flow id
    QHash<QString, int> ends;     // by flow id
    QHash<QString, bool> fansOut; // by flow id: ac2g
    QHash<qint64, int> launches;  // by correlation: CPU-side slices
    QHash<qint64, int> onDevice;  // by correlation: device slices
    int kernels = 0;
    for (const QJsonValue& value : events) {
        const QJsonObject event = value.toObject();
        const QString phase = event[QLatin1String("ph")].toString();
        const QString id = event[QLatin1String("cat")].toString() + QLatin1Char('/') +
                           event[QLatin1String("id")].toVariant().toString();
        if (phase == QLatin1String("s"))
            ++starts[id];
        else if (phase == QLatin1String("f"))
            ++ends[id];
        fansOut[id] = event[QLatin1String("cat")].toString() == QLatin1String("ac2g");
        if (phase != QLatin1String("X"))
            continue;
        const QString cat = event[QLatin1String("cat")].toString();
        kernels += cat == QLatin1String("kernel") || cat == QLatin1String("Kernel");
        const QJsonValue correlation = event[QLatin1String("args")][QLatin1String("correlation")];
        if (correlation.isDouble())
            ++(devices.contains(pidOf(event)) ? onDevice : launches)[correlation.toInteger()];
    }
    qint64 expectedFlows = 0;
    if (starts.isEmpty() && ends.isEmpty()) {
        for (auto it = onDevice.cbegin(); it != onDevice.cend(); ++it)
            expectedFlows += launches.contains(it.key()) ? it.value() : 0;
    } else {
        for (auto it = ends.cbegin(); it != ends.cend(); ++it)
            expectedFlows += starts.contains(it.key()) ? (fansOut.value(it.key()) ? it.value() : 1) : 0;
    }

    Fixture fixture;
    const ImportSummary summary = fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/") + file);
    QCOMPARE(summary.counts.flows, expectedFlows);
    const Store store = fixture.store();
    QHash<SpanId, QString> cats;
    for (const Track& track : store.tracks()) {
        for (const Span& span : store.spansOfTrack(track.id))
            cats.insert(span.id, span.cat);
    }
    QHash<SpanId, int> incoming;
    for (const Flow& flow : store.flows()) {
        const QString to = cats.value(flow.to);
        if (to != QLatin1String("kernel") && to != QLatin1String("Kernel"))
            continue;
        ++incoming[flow.to];
        const QString from = cats.value(flow.from);
        QVERIFY2(from == QLatin1String("cuda_runtime") || from == QLatin1String("cuda_driver") ||
                     from == QLatin1String("Runtime"),
                 qPrintable(from));
    }
    QCOMPARE(incoming.size(), kernels);
    for (const int count : std::as_const(incoming))
        QCOMPARE(count, 1);
}

// Kineto's ts count from baseTimeNanoseconds: the trace lands where the epoch says, samples too.
void TestChromeTraceImporter::kinetoBaseTime()
{
    const QJsonObject json = corpusJson(QStringLiteral("hta_cpu_only_gloo_allreduce.json"));
    const qint64 base = json[QLatin1String("baseTimeNanoseconds")].toInteger();
    QVERIFY(base > 0);
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    for (const QJsonValue& value : json[QLatin1String("traceEvents")].toArray()) {
        const QJsonObject event = value.toObject();
        if (!event.contains(QLatin1String("ts")))
            continue;
        const qint64 start = std::llround(event[QLatin1String("ts")].toDouble() * 1000);
        first = std::min(first, start);
        last = std::max(last, start + std::llround(event[QLatin1String("dur")].toDouble() * 1000));
    }
    Fixture fixture;
    fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/hta_cpu_only_gloo_allreduce.json"));
    const TimeRange range = fixture.store().timeRange();
    QCOMPARE(range.startNs, base + first);
    QCOMPARE(range.endNs, base + last);

    Fixture counters;
    counters.importJson(R"({"baseTimeNanoseconds":1000000000000,"traceEvents":[
        {"ph":"C","name":"memory","ts":2.5,"pid":1,"args":{"heap":10}}]})");
    const Store store = counters.store();
    QCOMPARE(store.samples(store.series().front().id).front().timeNs, 1000000002500);
}

void TestChromeTraceImporter::kinetoMetadataKeptWhole_data()
{
    QTest::addColumn<QString>("file");
    for (const char* file : {"hta_cuda_event_sync_multistream.json", "hta_cuda_alexnet_critical_path.json",
                             "hta_cuda_triton_kernel.json", "hta_mtia_inference_rank0.json",
                             "hta_cpu_only_gloo_allreduce.json", "kineto_gpu_metrics_input.json"})
        QTest::newRow(file) << QString::fromLatin1(file);
}

// deviceProperties (an array of objects), distributedInfo (an object) and every other top-level
// key are the source's metadata, whole and equal to the file's.
void TestChromeTraceImporter::kinetoMetadataKeptWhole()
{
    QFETCH(QString, file);
    QJsonObject expected = corpusJson(file);
    expected.remove(QLatin1String("traceEvents"));
    QVERIFY(expected.contains(QLatin1String("deviceProperties")) ||
            expected.contains(QLatin1String("distributedInfo")) ||
            expected.contains(QLatin1String("computeProperties")));
    Fixture fixture;
    fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/") + file);
    const QJsonObject metadata =
        QJsonDocument::fromJson(fixture.store().sources().front().metadataJson).object();
    QCOMPARE(metadata.keys(), expected.keys());
    for (const QString& key : expected.keys())
        QVERIFY2(metadata.value(key) == expected.value(key), qPrintable(key));
}

void TestChromeTraceImporter::unknownPhasesAreCounted()
{
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"([
        {"ph":"P","name":"sample","ts":0,"pid":1,"tid":1},
        {"ph":"P","name":"sample","ts":1,"pid":1,"tid":1},
        {"ph":"O","name":"snapshot","ts":1,"pid":1,"tid":1,"id":"0x1"},
        {"ph":"M","name":"num_cpus","pid":1,"args":{"number":8}},
        {"ph":"X","name":"a","ts":0,"dur":1,"pid":1,"tid":1}])");
    QVERIFY2(anyWarningContains(summary, "2 events of phase \"P\""),
             qPrintable(summary.warnings.join(QLatin1Char('\n'))));
    QVERIFY(anyWarningContains(summary, "1 events of phase \"O\""));
    QVERIFY(anyWarningContains(summary, "\"num_cpus\""));

    Fixture hermes;
    const ImportSummary sampled = hermes.import(
        QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/speedscope_te_hermes_samples_string_ts.json"));
    QVERIFY(anyWarningContains(sampled, "sampled CPU profile"));
}

namespace {

// A trace large enough to be written while it is read (tens of thousands of slices a thread):
// on threads 1 and 2 (pid 1 and pid `secondPid`), call trees of a root, three children and two
// leaves each, in completion order as live tracers write them, the threads' trees interleaved.
// Each slice's args hold its start in ns and some padding; a counter comes first. `before` and `after` go
// around the events. `rendered` is what the incident must look like (as render() writes it), worked out from
// the trees, not by the importer; `parentOfAll` adds a slice on thread 1 that encloses all of its trees,
// written last.
struct LargeTrace
{
    QByteArray json;
    QString rendered;
};

LargeTrace largeTrace(const QByteArray& before, const QByteArray& after, int secondPid = 1,
                      bool parentOfAll = false)
{
    constexpr int Trees = 2500;
    const QByteArray pad(150, 'x');
    LargeTrace trace;
    trace.json = before + R"({"ph":"C","name":"queue","ts":1000,"pid":1,"args":{"depth":3}},)" + '\n';
    QStringList lines[2];
    qint64 clock = 1000; // µs
    const auto slice = [&](int thread, const char* name, qint64 ts, qint64 dur, int depth) -> QString {
        trace.json += "{\"ph\":\"X\",\"name\":\"" + QByteArray(name) + "\",\"ts\":" + QByteArray::number(ts) +
                      ",\"dur\":" + QByteArray::number(dur) +
                      ",\"pid\":" + QByteArray::number(thread == 0 ? 1 : secondPid) +
                      ",\"tid\":" + QByteArray::number(thread + 1) +
                      ",\"args\":{\"start_ns\":" + QByteArray::number(ts * 1000) + ",\"pad\":\"" + pad +
                      "\"}},\n";
        return QString(2 * (depth + 1 + (parentOfAll && thread == 0)), QLatin1Char(' ')) +
               QStringLiteral("%1 [%2 +%3]").arg(QLatin1String(name)).arg(ts * 1000).arg(dur * 1000);
    };
    for (int tree = 0; tree < Trees; ++tree, clock += 120) {
        for (int thread = 0; thread < 2; ++thread) {
            QStringList preorder; // children's lines after their parent's
            QStringList children;
            for (int child = 0; child < 3; ++child) {
                const qint64 childStart = clock + 1 + 30 * child;
                QStringList leaves;
                for (int leaf = 0; leaf < 2; ++leaf)
                    leaves.append(slice(thread, "leaf", childStart + 1 + 10 * leaf, 8, 2));
                children.append(slice(thread, "child", childStart, 25, 1));
                children.append(leaves);
            }
            preorder.append(slice(thread, "root", clock, 100, 0));
            preorder.append(children);
            lines[thread].append(preorder);
        }
    }
    if (parentOfAll) {
        trace.json += "{\"ph\":\"X\",\"name\":\"main\",\"ts\":0,\"dur\":" + QByteArray::number(clock) +
                      ",\"pid\":1,\"tid\":1},\n";
        lines[0].prepend(QStringLiteral("  main [0 +%1]").arg(clock * 1000));
    }
    trace.json +=
        "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"worker-1\"}},\n"
        "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" +
        QByteArray::number(secondPid) + ",\"tid\":2,\"args\":{\"name\":\"worker-2\"}}";
    trace.json += after;
    trace.rendered = QStringLiteral("worker-1 (thread)\n") + lines[0].join(QLatin1Char('\n')) +
                     QStringLiteral("\nworker-2 (thread)\n") + lines[1].join(QLatin1Char('\n'));
    return trace;
}

} // namespace

void TestChromeTraceImporter::largeTraceIsWrittenWhileRead()
{
    const LargeTrace trace = largeTrace("[", "]");
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(trace.json);
    QVERIFY2(summary.warnings.isEmpty(), qPrintable(summary.warnings.join(QLatin1Char('\n'))));
    QCOMPARE(fixture.rendered(), trace.rendered);
    // Written while read, the two threads' spans took turns; held to the end, one after the other.
    const Store store = fixture.store();
    const QList<Track> tracks = store.tracks();
    QCOMPARE(tracks.size(), 2);
    const std::vector<Span> first = store.spansOfTrack(tracks[0].id);
    const std::vector<Span> second = store.spansOfTrack(tracks[1].id);
    const auto lowest = [](const std::vector<Span>& spans) {
        return std::min_element(spans.begin(), spans.end(), [](auto& a, auto& b) { return a.id < b.id; })->id;
    };
    const auto highest = [](const std::vector<Span>& spans) {
        return std::max_element(spans.begin(), spans.end(), [](auto& a, auto& b) { return a.id < b.id; })->id;
    };
    QVERIFY(lowest(second) < highest(first));
    QVERIFY(lowest(first) < highest(second));
    // Every span kept its own args, also after the arena dropped those of the spans written.
    for (const std::vector<Span>* spans : {&first, &second}) {
        for (const Span& span : *spans) {
            if (!span.attributesJson.contains(
                    QByteArray("\"start_ns\":" + QByteArray::number(span.startNs) + ",")))
                QFAIL(qPrintable(QStringLiteral("%1 at %2 has the args %3")
                                     .arg(span.name)
                                     .arg(span.startNs)
                                     .arg(QString::fromUtf8(span.attributesJson))));
        }
    }
}

void TestChromeTraceImporter::lateParentOfAllRewrites()
{
    // Thread 1's trees have been written when a slice enclosing them all comes: the import starts
    // again and holds the whole trace.
    const LargeTrace trace = largeTrace("[", "]", 1, true);
    Fixture fixture;
    fixture.importJson(trace.json);
    QCOMPARE(fixture.rendered(), trace.rendered);
}

void TestChromeTraceImporter::damageAfterWritingAheadWritesNothing()
{
    // Damaged at its end, after most of it was written ahead: refused where the damage is, and
    // the incident is as it was.
    QByteArray json = largeTrace("[", "]").json;
    json.insert(json.size() - 1, '}');
    const qint64 lastLine = json.count('\n') + 1;
    Fixture fixture;
    fixture.importJson(R"([{"ph":"X","name":"earlier","ts":0,"dur":1,"pid":1,"tid":1}])");
    const QByteArray before = fileBytes(fixture.dbPath());
    try {
        fixture.importJson(json);
        QFAIL("imported a damaged trace");
    } catch (const ImportError& error) {
        QVERIFY2(error.sentence().startsWith(QStringLiteral("trace.json: line %1, column").arg(lastLine)),
                 qPrintable(error.sentence()));
    }
    QCOMPARE(fileBytes(fixture.dbPath()), before);
    QCOMPARE(fixture.store().counts().spans, 1);
}

// What the end of a trace says can show that writing ahead was wrong: the import starts again
// and ends as if the news had come first.
void TestChromeTraceImporter::lateNewsRewrites_data()
{
    QTest::addColumn<QByteArray>("firstBefore");
    QTest::addColumn<QByteArray>("firstAfter");
    QTest::addColumn<QByteArray>("lastBefore");
    QTest::addColumn<QByteArray>("lastAfter");
    QTest::addColumn<int>("secondPid");
    QTest::addColumn<QString>("shows"); // in the rendered incident: the news was read
    QTest::addColumn<int>("flows");

    const QByteArray pair = R"({"ph":"B","name":"pair","ts":5,"pid":1,"tid":3},
                               {"ph":"E","name":"pair","ts":7,"pid":1,"tid":3})";
    QTest::newRow("a B/E pair") << "[" + pair + ",\n"
                                << QByteArray("]") << QByteArray("[") << ",\n" + pair + "]" << 1
                                << QStringLiteral("pair [5000 +2000]") << 0;
    const QByteArray flow = R"({"ph":"s","name":"f","cat":"c","id":1,"ts":1005,"pid":1,"tid":1},
                               {"ph":"f","name":"f","cat":"c","id":1,"ts":1005,"pid":1,"tid":2,"bp":"e"})";
    QTest::newRow("a flow") << "[" + flow + ",\n"
                            << QByteArray("]") << QByteArray("[") << ",\n" + flow + "]" << 1
                            << QStringLiteral("worker-1") << 1;
    const QByteArray gpu = R"({"ph":"M","name":"process_labels","pid":2,"args":{"labels":"GPU 0"}})";
    QTest::newRow("a GPU stream") << "[" + gpu + ",\n"
                                  << QByteArray("]") << QByteArray("[") << ",\n" + gpu + "]" << 2
                                  << QStringLiteral("GPU 0 \u00b7 worker-2 (gpu)") << 0;
    QTest::newRow("baseTimeNanoseconds")
        << QByteArray(R"({"baseTimeNanoseconds":1700000000000000000,"traceEvents":[)") << QByteArray("]}")
        << QByteArray(R"({"traceEvents":[)") << QByteArray(R"(],"baseTimeNanoseconds":1700000000000000000})")
        << 1 << QStringLiteral("root [1700000000001000000 +100000]") << 0;
}

void TestChromeTraceImporter::lateNewsRewrites()
{
    QFETCH(QByteArray, firstBefore);
    QFETCH(QByteArray, firstAfter);
    QFETCH(QByteArray, lastBefore);
    QFETCH(QByteArray, lastAfter);
    QFETCH(int, secondPid);
    QFETCH(QString, shows);
    QFETCH(int, flows);
    Fixture first;
    const ImportSummary newsFirst = first.importJson(largeTrace(firstBefore, firstAfter, secondPid).json);
    Fixture last;
    const ImportSummary newsLast = last.importJson(largeTrace(lastBefore, lastAfter, secondPid).json);
    QCOMPARE(newsFirst.counts.flows, flows);
    QCOMPARE(newsLast.counts.flows, flows);
    QCOMPARE(newsLast.counts.spans, newsFirst.counts.spans);
    QCOMPARE(newsLast.counts.tracks, newsFirst.counts.tracks);
    QCOMPARE(newsLast.warnings, newsFirst.warnings);
    // What was written ahead is gone, the counter's series (made while reading) too.
    const IncidentCounts stored = last.store().counts();
    QCOMPARE(stored.spans, newsLast.counts.spans);
    QCOMPARE(stored.tracks, newsLast.counts.tracks);
    QCOMPARE(stored.series, 1);
    QCOMPARE(stored.samples, 1);
    const QString rendered = last.rendered();
    QVERIFY(rendered.contains(shows));
    QCOMPARE(rendered, first.rendered());
}

void TestChromeTraceImporter::gzipIsReadTransparently()
{
    Fixture fixture;
    const QByteArray json = R"([{"ph":"X","name":"zipped","ts":0,"dur":1,"pid":1,"tid":1}])";
    const QString path = fixture.write({}, QStringLiteral("trace.json.gz"));
    gzFile gz = gzopen(path.toLocal8Bit().constData(), "wb");
    gzwrite(gz, json.constData(), unsigned(json.size()));
    gzclose(gz);
    const ImportSummary summary = fixture.import(path);
    QCOMPARE(summary.format, QStringLiteral("chrome-trace"));
    QCOMPARE(fixture.rendered(), QStringLiteral("tid 1 (thread)\n  zipped [0 +1000]"));
}

void TestChromeTraceImporter::detection()
{
    Fixture fixture;
    const auto detected = [&](std::string_view head) {
        const Importer* importer = fixture.registry().detect(head, QStringLiteral("x.bin"));
        return importer ? importer->format() : QString();
    };
    QCOMPARE(detected("\xEF\xBB\xBF\n [ {\"ph\":\"X\""), QStringLiteral("chrome-trace"));
    QCOMPARE(detected(R"({"schemaVersion":1,"deviceProperties":[)"), QStringLiteral("chrome-trace"));
    QVERIFY(detected("# HELP up 1\nup 1\n") != QLatin1String("chrome-trace"));
}

void TestChromeTraceImporter::corpus_data()
{
    QVERIFY(addCorpusRows("chrome-trace/") >= 40);
}

void TestChromeTraceImporter::corpus()
{
    QFETCH(QString, path);
    QFETCH(QString, expect);
    importCorpusFile(path, expect, QStringLiteral("chrome-trace"));
}

void TestChromeTraceImporter::badInput_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // empty: imports, possibly with warnings

    QTest::newRow("not JSON") << QByteArray("hello, world") << QStringLiteral("no format Lundi reads");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("JSON, but broken")
        << QByteArray("[{\"ph\":\"X\",\"ts\":1,]]") << QStringLiteral("trace.json: line 1, column");
    QTest::newRow("cut inside an event")
        << QByteArray("[{\"ph\":\"X\",\"ts\":1") << QStringLiteral("middle of an event");
    QTest::newRow("traceEvents not an array")
        << QByteArray(R"({"traceEvents":5})") << QStringLiteral("not an array");
    QTest::newRow("traceEvents an object")
        << QByteArray(R"({"traceEvents":{"ph":"X"}})") << QStringLiteral("not an array");
    QTest::newRow("object without events")
        << QByteArray(R"({"otherData":{}})") << QStringLiteral("no \"traceEvents\"");
    QTest::newRow("wrong types") << QByteArray(R"([{"ph":5,"ts":"abc","pid":{},"tid":[1],"name":7},
        {"ph":"X","ts":"soon","dur":1,"pid":1,"tid":1},{"ph":"X","ts":1,"dur":"long","pid":1,"tid":1}])")
                                 << QString();
    QTest::newRow("exponent beyond a double")
        << QByteArray(R"([{"ph":"X","ts":1e400,"dur":1,"pid":1,"tid":1}])")
        << QStringLiteral("Number too big");
    QTest::newRow("huge numbers") << QByteArray(
                                         R"([{"ph":"X","ts":99999999999999999999999,"dur":1,"pid":1,"tid":1},
        {"ph":"X","ts":9223372036854775807,"dur":9223372036854775807,"pid":1,"tid":1},
        {"ph":"X","ts":1,"dur":1e30,"pid":123456789012345678901234567890,"tid":1}])")
                                  << QString();
    QByteArray deep;
    deep.append(R"([{"ph":"X","name":"deep","ts":0,"dur":1,"pid":1,"tid":1,"args":{"a":)");
    deep.append(QByteArray(100'000, '['));
    deep.append(QByteArray(100'000, ']'));
    deep.append("}}]");
    QTest::newRow("args nested 100k levels") << deep << QString();
    QByteArray longString(R"([{"ph":"X","ts":0,"dur":1,"pid":1,"tid":1,"name":")");
    longString.append(QByteArray(20 << 20, 'n'));
    longString.append(R"(","args":{"s":")" + QByteArray(20 << 20, 's') + "\"}}]");
    QTest::newRow("20 MB strings") << longString << QString();
    QTest::newRow("a bare number") << QByteArray("[42") << QString();
}

void TestChromeTraceImporter::badInput()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    Fixture fixture;
    fixture.importJson(R"([{"ph":"X","name":"earlier","ts":0,"dur":1,"pid":1,"tid":1}])");
    const QByteArray before = fileBytes(fixture.dbPath());
    try {
        ImportOptions options;
        const ImportSummary summary = fixture.importJson(content);
        QVERIFY2(error.isEmpty(), "expected the import to be refused");
        QVERIFY(summary.counts.spans >= 0);
    } catch (const ImportError& caught) {
        QVERIFY2(!error.isEmpty(), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().contains(error), qPrintable(caught.sentence()));
        QVERIFY(caught.sentence().startsWith(QLatin1String("trace.json")));
        QCOMPARE(fileBytes(fixture.dbPath()), before);
    }
}

void TestChromeTraceImporter::cutOrDamagedAnywhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("object form, flows") << QStringLiteral("perfetto_flow_events_v2_bind_id.json");
    QTest::newRow("kineto, counters") << QStringLiteral("kineto_gpu_metrics_expected.json");
    QTest::newRow("bare array, B/E") << QStringLiteral("speedscope_te_zero_duration.json");
}

// Real files cut at many points and with bytes overwritten: each import either succeeds or is
// refused with a sentence, and a refused one leaves the incident as it was. Never a crash.
void TestChromeTraceImporter::cutOrDamagedAnywhere()
{
    QFETCH(QString, file);
    const QByteArray original = fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/") + file);
    QVERIFY(!original.isEmpty());
    int refused = 0;
    int imported = 0;
    for (const QByteArray& content : cutAndDamaged(original, 150, QByteArrayView("{}[],:\"0x \0", 11)))
        importOrRefuse(QStringLiteral("trace.json"), content) ? ++imported : ++refused;
    QVERIFY(refused > 0);
    QVERIFY(imported > 0);
}

QTEST_GUILESS_MAIN(TestChromeTraceImporter)
#include "tst_chrometraceimporter.moc"
