// The Jaeger JSON importer: each form Jaeger writes (the download {"data": [...]}, a bare trace,
// {"data": {...}}, the anonymizer's list of spans), inline with exact expectations, every file of
// the corpus against counts taken with QJsonDocument, the categories real traces land in, and
// input that is cut, damaged, mistyped or absurd.

#include "ingest/importer.h"
#include "plugins/importfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

using namespace lundi;
using namespace test;

namespace {

const QString Format = QStringLiteral("jaeger-json");

ImportOptions asJaeger()
{
    ImportOptions options;
    options.format = Format;
    return options;
}

// The spans of a corpus file and the services they run in, read with Qt's own parser: each
// trace's spans name their process by id, or a top-level list's spans carry it.
struct Expected
{
    qint64 spans = 0;
    std::set<QString> services;
};

void countTrace(const QJsonObject& trace, Expected& expected)
{
    const QJsonObject processes = trace.value(QLatin1String("processes")).toObject();
    for (const QJsonValue& span : trace.value(QLatin1String("spans")).toArray()) {
        ++expected.spans;
        const QJsonObject process =
            processes.value(span.toObject().value(QLatin1String("processID")).toString()).toObject();
        expected.services.insert(process.value(QLatin1String("serviceName")).toString());
    }
}

Expected expectedOf(const QByteArray& json)
{
    Expected expected;
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (document.isArray()) {
        for (const QJsonValue& span : document.array()) {
            ++expected.spans;
            expected.services.insert(span.toObject()
                                         .value(QLatin1String("process"))
                                         .toObject()
                                         .value(QLatin1String("serviceName"))
                                         .toString());
        }
        return expected;
    }
    const QJsonValue data = document.object().value(QLatin1String("data"));
    if (data.isArray()) {
        for (const QJsonValue& trace : data.toArray())
            countTrace(trace.toObject(), expected);
    } else if (data.isObject()) {
        countTrace(data.toObject(), expected);
    } else {
        countTrace(document.object(), expected);
    }
    return expected;
}

// Every span of the incident: name, category, status, attributes.
std::vector<Span> allSpans(const Store& store)
{
    std::vector<Span> spans;
    for (const Track& track : store.tracks()) {
        for (Span& span : store.spansOfTrack(track.id))
            spans.push_back(std::move(span));
    }
    return spans;
}

QJsonObject attributesOf(const Span& span)
{
    return QJsonDocument::fromJson(span.attributesJson).object();
}

} // namespace

class TestJaegerJsonImporter : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void traces_data();
    void traces();
    void tagsAreTyped();
    void statusFromTags_data();
    void statusFromTags();
    void logsBecomeEvents();
    void referencesBecomeFlows();
    void processesInMetadata();
    void detection();
    void corpus_data();
    void corpus();
    void corpusCategories_data();
    void corpusCategories();
    void badInput_data();
    void badInput();
    void cutOrDamagedAnywhere();
};

void TestJaegerJsonImporter::initTestCase()
{
    Fixture fixture;
    QVERIFY2(fixture.registry().byFormat(Format),
             qPrintable(fixture.registry().problems().join(QLatin1Char('\n'))));
}

void TestJaegerJsonImporter::traces_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("warning");

    // What the UI downloads: the child first, the processes after the spans.
    QTest::newRow("download form") << QByteArray(R"({"data":[{"traceID":"a1","spans":[
        {"traceID":"a1","spanID":"2","operationName":"GET /items","references":[
            {"refType":"CHILD_OF","traceID":"a1","spanID":"1"}],
         "startTime":1010,"duration":20,"tags":[],"logs":[],"processID":"p2","warnings":null},
        {"traceID":"a1","spanID":"1","operationName":"POST /checkout","references":[],
         "startTime":1000,"duration":50,"tags":[],"logs":[],"processID":"p1","warnings":null}],
        "processes":{"p1":{"serviceName":"frontend","tags":[]},"p2":{"serviceName":"inventory","tags":[]}},
        "warnings":null}],"total":0,"limit":0,"offset":0,"errors":null})")
                                   << QStringLiteral("frontend (service)\n"
                                                     "  POST /checkout [1000000 +50000]\n"
                                                     "inventory (service)\n"
                                                     "    GET /items [1010000 +20000]")
                                   << QString();
    QTest::newRow("bare trace") << QByteArray(R"({"traceID":"b","spans":[
        {"traceID":"b","spanID":"1","operationName":"root","references":[],"startTime":5,"duration":9,
         "processID":"p1"},
        {"traceID":"b","spanID":"3","operationName":"second","references":[
            {"refType":"CHILD_OF","traceID":"b","spanID":"1"}],"startTime":8,"duration":1,"processID":"p1"},
        {"traceID":"b","spanID":"2","operationName":"first","references":[
            {"refType":"CHILD_OF","traceID":"b","spanID":"1"}],"startTime":6,"duration":1,"processID":"p1"}],
        "processes":{"p1":{"serviceName":"solo","tags":[]}},"warnings":["clock skew adjustment disabled"]})")
                                << QStringLiteral("solo (service)\n"
                                                  "  root [5000 +9000]\n"
                                                  "    first [6000 +1000]\n"
                                                  "    second [8000 +1000]")
                                << QStringLiteral("Jaeger noted 1 warnings about the traces: \"clock skew");
    QTest::newRow("data is one trace") << QByteArray(R"({"data":{"traceID":"c","spans":[
        {"spanID":"1","operationName":"only","startTime":1,"duration":2,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}}})")
                                       << QStringLiteral("svc (service)\n  only [1000 +2000]") << QString();
    // The anonymizer's form: each span carries its process.
    QTest::newRow("spans with their process") << QByteArray(R"([
        {"traceID":"d","spanID":"2","operationName":"call","references":[
            {"refType":"CHILD_OF","traceID":"d","spanID":"1"}],"startTime":3,"duration":1,
         "process":{"serviceName":"backend","tags":[]},"warnings":null},
        {"traceID":"d","spanID":"1","operationName":"handle","startTime":2,"duration":4,
         "process":{"serviceName":"frontend","tags":[]}}])")
                                              << QStringLiteral("backend (service)\n"
                                                                "    call [3000 +1000]\n"
                                                                "frontend (service)\n"
                                                                "  handle [2000 +4000]")
                                              << QString();
    QTest::newRow("list of traces") << QByteArray(R"([
        {"traceID":"e1","spans":[{"spanID":"1","operationName":"one","startTime":1,"duration":1,"processID":"p"}],
         "processes":{"p":{"serviceName":"svc"}}},
        {"traceID":"e2","spans":[{"spanID":"1","operationName":"two","startTime":2,"duration":1,"processID":"p"}],
         "processes":{"p":{"serviceName":"svc"}}}])")
                                    << QStringLiteral("svc (service)\n  one [1000 +1000]\n  two [2000 +1000]")
                                    << QString();
    // "1" and "0000000000000001" are one trace, "AB" and "00000000000000ab" one span.
    QTest::newRow("ids without zeros, in capitals") << QByteArray(R"({"traceID":"1","spans":[
        {"traceID":"0000000000000001","spanID":"00000000000000ab","operationName":"parent","startTime":1,
         "duration":5,"processID":"p"},
        {"traceID":"1","spanID":"C","operationName":"child","references":[
            {"refType":"CHILD_OF","traceID":"00000000000000000000000000000001","spanID":"AB"}],
         "startTime":2,"duration":1,"processID":"p"}],"processes":{"p":{"serviceName":"svc"}}})")
                                                    << QStringLiteral("svc (service)\n"
                                                                      "  parent [1000 +5000]\n"
                                                                      "    child [2000 +1000]")
                                                    << QString();
    QTest::newRow("legacy parentSpanID") << QByteArray(R"({"traceID":"f","spans":[
        {"spanID":"2","parentSpanID":"1","operationName":"child","startTime":2,"duration":1,"processID":"p"},
        {"spanID":"1","parentSpanID":"0","operationName":"root","startTime":1,"duration":5,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}})")
                                         << QStringLiteral("svc (service)\n"
                                                           "  root [1000 +5000]\n"
                                                           "    child [2000 +1000]")
                                         << QString();
    // As Jaeger's UI draws it: a span that only follows from another sits under it.
    QTest::newRow("only FOLLOWS_FROM") << QByteArray(R"({"traceID":"g","spans":[
        {"spanID":"1","operationName":"produce","startTime":1,"duration":1,"processID":"p",
         "tags":[{"key":"span.kind","type":"string","value":"producer"}]},
        {"spanID":"2","operationName":"consume","references":[
            {"refType":"FOLLOWS_FROM","traceID":"g","spanID":"1"}],"startTime":5,"duration":3,"processID":"q"}],
        "processes":{"p":{"serviceName":"producer"},"q":{"serviceName":"consumer"}}})")
                                       << QStringLiteral("producer (service)\n"
                                                         "  produce [1000 +1000]\n"
                                                         "consumer (service)\n"
                                                         "    consume [5000 +3000]")
                                       << QString();
    QTest::newRow("CHILD_OF before an earlier FOLLOWS_FROM") << QByteArray(R"({"traceID":"h","spans":[
        {"spanID":"1","operationName":"root","startTime":1,"duration":9,"processID":"p"},
        {"spanID":"2","operationName":"sibling","references":[{"refType":"CHILD_OF","spanID":"1"}],
         "startTime":2,"duration":1,"processID":"p"},
        {"spanID":"3","operationName":"later","references":[{"refType":"FOLLOWS_FROM","spanID":"2"},
            {"refType":"CHILD_OF","spanID":"1"}],"startTime":4,"duration":1,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}})")
                                                             << QStringLiteral("svc (service)\n"
                                                                               "  root [1000 +9000]\n"
                                                                               "    sibling [2000 +1000]\n"
                                                                               "    later [4000 +1000]")
                                                             << QString();
    QTest::newRow("times as strings")
        << QByteArray(R"({"traceID":"i","spans":[
        {"spanID":"1","operationName":"s","startTime":"1700000000000001","duration":"7","processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}})")
        << QStringLiteral("svc (service)\n  s [1700000000000001000 +7000]") << QString();
    QTest::newRow("Go's null lists") << QByteArray(R"({"traceID":"j","spans":[
        {"traceID":"j","spanID":"1","operationName":"s","references":null,"startTime":1,"duration":1,
         "tags":null,"logs":null,"processID":"p","process":null,"warnings":null}],
        "processes":{"p":{"serviceName":"svc","tags":null}},"warnings":null})")
                                     << QStringLiteral("svc (service)\n  s [1000 +1000]") << QString();
    QTest::newRow("zero parent is none") << QByteArray(R"({"traceID":"k","spans":[
        {"spanID":"1","operationName":"root","references":[{"refType":"CHILD_OF","traceID":"k",
            "spanID":"0000000000000000"}],"startTime":1,"duration":1,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}})")
                                         << QStringLiteral("svc (service)\n  root [1000 +1000]") << QString();
    QTest::newRow("parent in another trace")
        << QByteArray(R"({"traceID":"l","spans":[
        {"spanID":"1","operationName":"linked","references":[{"refType":"CHILD_OF","traceID":"ff",
            "spanID":"ff"}],"startTime":1,"duration":1,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}})")
        << QStringLiteral("svc (service)\n  linked [1000 +1000]")
        << QStringLiteral("1 link points at a span that is not in the input");
    QTest::newRow("self parent") << QByteArray(R"({"traceID":"m","spans":[
        {"spanID":"1","operationName":"me","references":[{"refType":"CHILD_OF","spanID":"1"}],
         "startTime":1,"duration":1,"processID":"p"}],"processes":{"p":{"serviceName":"svc"}}})")
                                 << QStringLiteral("svc (service)\n  me [1000 +1000]")
                                 << QStringLiteral("1 span names itself as its parent");
    QTest::newRow("cycle") << QByteArray(R"({"traceID":"n","spans":[
        {"spanID":"1","operationName":"a","references":[{"refType":"CHILD_OF","spanID":"2"}],
         "startTime":1,"duration":5,"processID":"p"},
        {"spanID":"2","operationName":"b","references":[{"refType":"CHILD_OF","spanID":"1"}],
         "startTime":2,"duration":1,"processID":"p"}],"processes":{"p":{"serviceName":"svc"}}})")
                           << QStringLiteral("svc (service)\n    a [1000 +5000]\n  b [2000 +1000]")
                           << QStringLiteral("1 parent cycle was broken");
    QTest::newRow("orphan") << QByteArray(R"({"traceID":"o","spans":[
        {"spanID":"2","operationName":"lost","references":[{"refType":"CHILD_OF","spanID":"1"}],
         "startTime":1,"duration":1,"processID":"p"}],"processes":{"p":{"serviceName":"svc"}}})")
                            << QStringLiteral("svc (service)\n  lost [1000 +1000]")
                            << QStringLiteral("1 span names a parent that is not in the input");
    QTest::newRow("duplicate span ids")
        << QByteArray(R"({"traceID":"q","spans":[
        {"spanID":"1","operationName":"one","startTime":1,"duration":1,"processID":"p"},
        {"spanID":"1","operationName":"again","startTime":2,"duration":1,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}})")
        << QStringLiteral("svc (service)\n  one [1000 +1000]\n  again [2000 +1000]")
        << QStringLiteral("1 span repeats the id of an earlier span");
    QTest::newRow("process not listed")
        << QByteArray(R"({"traceID":"r","spans":[
        {"spanID":"1","operationName":"s","startTime":1,"duration":1,"processID":"p9"}],
        "processes":{"p":{"serviceName":"svc"}}})")
        << QStringLiteral("unknown_service (service)\n  s [1000 +1000]")
        << QStringLiteral("\"processID\" is not among its trace's \"processes\"");
    QTest::newRow("no service name") << QByteArray(R"({"traceID":"s","spans":[
        {"spanID":"1","operationName":"s","startTime":1,"duration":1,"processID":"p"}],
        "processes":{"p":{"tags":[]}}})")
                                     << QStringLiteral("unknown_service (service)\n  s [1000 +1000]")
                                     << QStringLiteral("A process has no \"serviceName\"");
    QTest::newRow("UI-enriched references") << QByteArray(R"({"data":[{"traceID":"t","spans":[
        {"spanID":"2","operationName":"child","references":[{"refType":"CHILD_OF","spanID":"1",
            "span":{"spanID":"1","operationName":"not me","references":[],"startTime":0,"duration":0}}],
         "startTime":2,"duration":1,"processID":"p","depth":1,"hasChildren":false,"childSpanIds":[]},
        {"spanID":"1","operationName":"root","startTime":1,"duration":5,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}}]})")
                                            << QStringLiteral("svc (service)\n"
                                                              "  root [1000 +5000]\n"
                                                              "    child [2000 +1000]")
                                            << QString();
    QTest::newRow("no traces") << QByteArray(R"({"data":[],"total":0,"limit":0,"offset":0,"errors":null})")
                               << QString() << QStringLiteral("The file holds no spans.");
}

void TestJaegerJsonImporter::traces()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QFETCH(QString, warning);
    checkImport(json, Format, expected, warning);
}

void TestJaegerJsonImporter::tagsAreTyped()
{
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"({"traceID":"1","spans":[{"traceID":"1",
        "spanID":"1","operationName":"typed","startTime":1,"duration":1,"processID":"p","tags":[
        {"key":"span.kind","type":"string","value":"SERVER"},
        {"key":"s","type":"string","value":"x"},
        {"key":"i","type":"int64","value":23456},
        {"key":"big","type":"int64","value":"9223372036854775222"},
        {"key":"b","type":"bool","value":true},
        {"key":"bs","type":"bool","value":"false"},
        {"key":"f","type":"float64","value":72.5},
        {"key":"fs","type":"float64","value":"1e-3"},
        {"key":"bin","type":"binary","value":"AAAwOQ=="},
        {"key":"notint","type":"int64","value":"12abc"},
        {"key":"s","type":"string","value":"second"},
        {"key":"untyped","value":3},
        {"key":"nothing","type":"string","value":null},
        {"type":"string","value":"no key"}]}],"processes":{"p":{"serviceName":"svc"}}})");
    const std::vector<Span> spans = allSpans(fixture.store());
    QCOMPARE(spans.size(), size_t(1));
    // Numbers keep their digits: int64 beyond a double's 53 bits stays exact in the JSON text.
    QCOMPARE(spans[0].attributesJson,
             QByteArray(R"({"span.kind":"server","s":"x","i":23456,"big":9223372036854775222,"b":true,)"
                        R"("bs":false,"f":72.5,"fs":1e-3,"bin":"AAAwOQ==","notint":"12abc","untyped":3,)"
                        R"("nothing":null})"));
    QCOMPARE(attributesOf(spans[0]).value(QLatin1String("b")).toBool(), true);
    QVERIFY(anyWarningContains(summary, "does not fit its \"type\"; it was kept as a string."));
    QVERIFY(anyWarningContains(summary, "the first value was kept"));
    QVERIFY(anyWarningContains(summary, "without a \"key\" was left out"));
}

void TestJaegerJsonImporter::statusFromTags_data()
{
    QTest::addColumn<QByteArray>("tags");
    QTest::addColumn<int>("status");
    QTest::newRow("none") << QByteArray(R"([{"key":"span.kind","type":"string","value":"client"}])")
                          << int(SpanStatus::Unset);
    QTest::newRow("error true") << QByteArray(R"([{"key":"error","type":"bool","value":true}])")
                                << int(SpanStatus::Error);
    QTest::newRow("error as string") << QByteArray(R"([{"key":"error","type":"bool","value":"true"}])")
                                     << int(SpanStatus::Error);
    QTest::newRow("error false") << QByteArray(R"([{"key":"error","type":"bool","value":false}])")
                                 << int(SpanStatus::Unset);
    QTest::newRow("otel ERROR") << QByteArray(
                                       R"([{"key":"otel.status_code","type":"string","value":"ERROR"}])")
                                << int(SpanStatus::Error);
    QTest::newRow("otel OK") << QByteArray(R"([{"key":"otel.status_code","type":"string","value":"OK"}])")
                             << int(SpanStatus::Ok);
    QTest::newRow("error wins over OK") << QByteArray(R"([{"key":"error","type":"bool","value":true},
        {"key":"otel.status_code","type":"string","value":"OK"}])")
                                        << int(SpanStatus::Error);
}

void TestJaegerJsonImporter::statusFromTags()
{
    QFETCH(QByteArray, tags);
    QFETCH(int, status);
    Fixture fixture;
    fixture.importJson(R"({"traceID":"1","spans":[{"spanID":"1","operationName":"s","startTime":1,)"
                       R"("duration":1,"processID":"p","tags":)" +
                       tags + R"(}],"processes":{"p":{"serviceName":"svc"}}})");
    const std::vector<Span> spans = allSpans(fixture.store());
    QCOMPARE(spans.size(), size_t(1));
    QCOMPARE(int(spans[0].status), status);
}

void TestJaegerJsonImporter::logsBecomeEvents()
{
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"({"traceID":"1","spans":[{"spanID":"1",
        "operationName":"s","startTime":1000,"duration":5,"processID":"p",
        "logs":[{"timestamp":1001,"fields":[{"key":"event","type":"string","value":"retry"},
                                           {"key":"attempt","type":"int64","value":"2"}]},
                {"fields":[],"timestamp":"1002"}],
        "tags":[{"key":"component","type":"string","value":"net/http"}],
        "warnings":["clock skew adjusted"]}],"processes":{"p":{"serviceName":"svc"}}})");
    const std::vector<Span> spans = allSpans(fixture.store());
    QCOMPARE(spans.size(), size_t(1));
    QCOMPARE(spans[0].attributesJson,
             QByteArray(R"({"component":"net/http","events":[{"name":"retry","time_ns":1001000,)"
                        R"("attributes":{"attempt":2}},{"name":"","time_ns":1002000}],)"
                        R"("jaeger.warnings":["clock skew adjusted"]})"));
    QVERIFY(anyWarningContains(summary, "1 spans carry Jaeger's warnings, e.g. \"clock skew adjusted\""));
}

void TestJaegerJsonImporter::referencesBecomeFlows()
{
    Fixture fixture;
    // c only follows from b (under b, and a flow); d follows from c besides its parent a; x, in
    // another trace, names a as its parent: no parent across traces, a flow instead.
    const ImportSummary summary = fixture.importJson(R"({"data":[{"traceID":"1","spans":[
        {"spanID":"a","operationName":"a","startTime":1,"duration":20,"processID":"p"},
        {"spanID":"b","operationName":"b","references":[{"refType":"CHILD_OF","traceID":"1","spanID":"a"}],
         "startTime":2,"duration":2,"processID":"p"},
        {"spanID":"c","operationName":"c","references":[{"refType":"FOLLOWS_FROM","traceID":"1","spanID":"b"}],
         "startTime":5,"duration":2,"processID":"p"},
        {"spanID":"d","operationName":"d","references":[{"refType":"CHILD_OF","traceID":"1","spanID":"a"},
            {"refType":"FOLLOWS_FROM","traceID":"1","spanID":"c"}],"startTime":8,"duration":2,"processID":"p"}],
        "processes":{"p":{"serviceName":"svc"}}},
        {"traceID":"2","spans":[
        {"spanID":"x","operationName":"x","references":[{"refType":"CHILD_OF","traceID":"1","spanID":"a"}],
         "startTime":30,"duration":2,"processID":"p"}],"processes":{"p":{"serviceName":"svc"}}}]})");
    QCOMPARE(summary.counts.flows, 3);
    QCOMPARE(fixture.rendered(), QStringLiteral("svc (service)\n"
                                                "  a [1000 +20000]\n"
                                                "    b [2000 +2000]\n"
                                                "      c [5000 +2000]\n"
                                                "    d [8000 +2000]\n"
                                                "  x [30000 +2000]"));
    const Store store = fixture.store();
    QHash<SpanId, QString> names;
    for (const Span& span : allSpans(store))
        names.insert(span.id, span.name + QLatin1Char('/') + span.traceId);
    QStringList flows;
    for (const Flow& flow : store.flows())
        flows.append(names.value(flow.from) + QStringLiteral(" -") + flow.name + QStringLiteral("-> ") +
                     names.value(flow.to));
    flows.sort();
    const QString one = QStringLiteral("00000000000000000000000000000001");
    const QString two = QStringLiteral("00000000000000000000000000000002");
    QCOMPARE(flows, QStringList({QStringLiteral("a/%1 -child of-> x/%2").arg(one, two),
                                 QStringLiteral("b/%1 -follows from-> c/%1").arg(one),
                                 QStringLiteral("c/%1 -follows from-> d/%1").arg(one)}));
}

void TestJaegerJsonImporter::processesInMetadata()
{
    Fixture fixture;
    fixture.importJson(R"({"data":[{"traceID":"1","spans":[
        {"spanID":"1","operationName":"s","startTime":1,"duration":1,"processID":"p1"},
        {"spanID":"2","operationName":"s","startTime":1,"duration":1,"processID":"p2"}],
        "processes":{"p1":{"serviceName":"api","tags":[{"key":"hostname","type":"string","value":"h1"},
                                                        {"key":"ip","type":"string","value":"10.0.0.1"}]},
                     "p2":{"serviceName":"api","tags":[{"key":"hostname","type":"string","value":"h2"}]}}},
        {"traceID":"2","spans":[{"spanID":"1","operationName":"s","startTime":1,"duration":1,"processID":"p1"}],
         "processes":{"p1":{"serviceName":"api","tags":[{"key":"hostname","type":"string","value":"h1"},
                                                         {"key":"ip","type":"string","value":"10.0.0.1"}]}}}]})");
    const Store store = fixture.store();
    QCOMPARE(store.tracks().size(), 1); // one service, two instances
    const QJsonObject metadata = QJsonDocument::fromJson(store.sources().front().metadataJson).object();
    QCOMPARE(metadata.value(QLatin1String("traces")).toInt(), 2);
    const QJsonArray processes = metadata.value(QLatin1String("processes")).toArray();
    QCOMPARE(processes.size(), 2);
    QStringList hosts;
    for (const QJsonValue& process : processes) {
        QCOMPARE(process.toObject().value(QLatin1String("serviceName")).toString(), QStringLiteral("api"));
        hosts.append(process.toObject()
                         .value(QLatin1String("tags"))
                         .toObject()
                         .value(QLatin1String("hostname"))
                         .toString());
    }
    hosts.sort();
    QCOMPARE(hosts, QStringList({QStringLiteral("h1"), QStringLiteral("h2")}));
}

void TestJaegerJsonImporter::detection()
{
    Fixture fixture;
    const Importer* jaeger = fixture.registry().byFormat(Format);
    const auto score = [&](std::string_view head) { return jaeger->detect(head, QStringLiteral("x.json")); };
    const auto detected = [&](std::string_view head) {
        const Importer* importer = fixture.registry().detect(head, QStringLiteral("x.json"));
        return importer ? importer->format() : QString();
    };
    QCOMPARE(detected(R"({"data":[{"traceID":"4a1b","spans":[{"traceID":"4a1b","spanID":"01")"), Format);
    QCOMPARE(detected("\xEF\xBB\xBF\n{\"traceID\":\"1\",\"spans\":["), Format);
    QCOMPARE(detected(R"([{"traceID":"2be3","spanID":"7606","flags":1,"operationName":"a07")"), Format);
    QCOMPARE(detected(R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404}]})"), Format);
    QVERIFY(score(R"({"data":[{"traceID":"4a1b","spans":[)") >= 90);
    // Other formats' files that mention a traceID are theirs.
    QVERIFY(score(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8e","spanId":"eee1",)"
                  R"("attributes":[{"key":"traceID","value":{"stringValue":"x"}}],"spans":[]}]}]}]})") <= 5);
    QVERIFY(score(R"({"traceEvents":[{"ph":"X","name":"a","args":{"traceID":"1","spanID":"2"}}]})") <= 5);
    QVERIFY(score(R"([{"name":"a","ph":"X","ts":1,"args":{"traceID":"1","spanID":"2"}}])") <= 5);
    QCOMPARE(score(R"([{"traceId":"5b8e","id":"eee1","kind":"SERVER","name":"get"}])"), 0); // Zipkin
    QCOMPARE(score("# HELP up 1\nup 1\n"), 0);
}

void TestJaegerJsonImporter::corpus_data()
{
    QVERIFY(addCorpusRows("jaeger-json/") >= 13);
}

void TestJaegerJsonImporter::corpus()
{
    QFETCH(QString, path);
    QFETCH(QString, expect);
    const std::optional<ImportSummary> summary = importCorpusFile(path, expect, Format);
    if (!summary)
        return;
    const Expected expected = expectedOf(fileBytes(path));
    QVERIFY(expected.spans > 0);
    QCOMPARE(summary->counts.spans, expected.spans);
    QCOMPARE(summary->counts.tracks, qint64(expected.services.size()));
}

void TestJaegerJsonImporter::corpusCategories_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("span");
    QTest::addColumn<QString>("category");
    const auto row = [](const char* file, const char* span, const char* category) {
        QTest::addRow("%s: %s", file, span)
            << QString::fromLatin1(file) << QString::fromUtf8(span) << QString::fromLatin1(category);
    };
    // A coding agent answering through a GraphQL gateway: model calls, MCP tools, databases.
    const char* const genai = "jaegerui_genai_trace.json";
    row(genai, "POST /api/graphql", "api");
    row(genai, "Query.assistantReply", "api");
    row(genai, "graphql.execution", "other");
    row(genai, "invoke_agent triage-agent", "api");
    row(genai, "chat model-a", "api");
    row(genai, "POST /v1/messages", "network");
    row(genai, "execute_tool list_dashboards", "api");
    row(genai, "POST /mcp/tools/call", "api");
    row(genai, "GET /validate", "api");
    row(genai, "SELECT series", "storage");
    row(genai, "search", "storage");
    row(genai, "retrieval vector-search", "storage");
    row(genai, "SEARCH docs", "storage");
    // Spring's api-gateway and customers-service with JDBC spans tagged "sql" and "database".
    const char* const sql = "jaegerui_stats_api_gateway_sql.json";
    row(sql, "GET /api/customer/owners", "api");
    row(sql, "GET /owners", "");
    row(sql, "HikariProxyPreparedStatement.executeQuery", "storage");
    // Jaeger UI's trace-graph fixture: client calls, a producer and its consumer, a db.type span.
    const char* const graph = "jaegerui_tracegraph_testtrace.json";
    row(graph, "op1", "api");
    row(graph, "op4", "queue");
    row(graph, "op7", "other");
}

// Categories as the store gives them back after a real import, per span name; where the name
// is shared by a server and a client span (category empty), each by its kind.
void TestJaegerJsonImporter::corpusCategories()
{
    QFETCH(QString, file);
    QFETCH(QString, span);
    QFETCH(QString, category);
    Fixture fixture;
    fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/jaeger-json/") + file);
    int found = 0;
    for (const Span& s : allSpans(fixture.store())) {
        if (s.name != span)
            continue;
        ++found;
        const QString kind = attributesOf(s).value(QLatin1String("span.kind")).toString();
        const QString wanted = !category.isEmpty()               ? category
                               : kind == QLatin1String("server") ? QStringLiteral("api")
                                                                 : QStringLiteral("network");
        QCOMPARE(categoryName(s.category), wanted);
    }
    QVERIFY2(found > 0, qPrintable(span));
}

void TestJaegerJsonImporter::badInput_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");   // empty: imports
    QTest::addColumn<QString>("warning"); // for an import: a warning it must give

    const auto trace = [](const QByteArray& span) -> QByteArray {
        return R"({"traceID":"1","spans":[{"traceID":"1","spanID":"1","operationName":"s",)" + span +
               R"(,"processID":"p"}],"processes":{"p":{"serviceName":"svc"}}})";
    };
    const QByteArray good = trace(R"("startTime":1,"duration":1)");

    QTest::newRow("cut short") << good.left(good.size() / 2) << QStringLiteral("cut short") << QString();
    QTest::newRow("cut before the last brace") << good.chopped(1) << QStringLiteral("cut short") << QString();
    QTest::newRow("broken JSON") << QByteArray(R"({"data":[{"traceID":"1","spans":[}]})")
                                 << QStringLiteral("not valid JSON") << QString();
    QTest::newRow("not JSON") << QByteArray("hello") << QStringLiteral("not valid JSON") << QString();
    QTest::newRow("a single value") << QByteArray("42") << QStringLiteral("single value") << QString();
    QTest::newRow("a single span") << QByteArray(R"({"traceID":"1","spanID":"2","duration":3})")
                                   << QStringLiteral("a single span") << QString();
    QTest::newRow("no data, no spans") << QByteArray(R"({"traceID":"1","total":0})")
                                       << QStringLiteral("no \"data\" and no \"spans\"") << QString();
    QTest::newRow("data and spans") << QByteArray(R"({"spans":[],"data":[]})") << QStringLiteral("both")
                                    << QString();
    QTest::newRow("Jaeger's error answer")
        << QByteArray(
               R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]})")
        << QStringLiteral("Jaeger answered: trace not found") << QString();

    // Wrong types.
    QTest::newRow("duration a word") << trace(R"("startTime":1,"duration":"invalid")")
                                     << QStringLiteral("\"duration\" is \"invalid\", not a whole number")
                                     << QString();
    QTest::newRow("startTime a bool") << trace(R"("startTime":true,"duration":1)")
                                      << QStringLiteral("\"startTime\" is true, not a number") << QString();
    QTest::newRow("startTime an object") << trace(R"("startTime":{"us":1},"duration":1)")
                                         << QStringLiteral("is an object or a list") << QString();
    QTest::newRow("spans an object") << QByteArray(R"({"traceID":"1","spans":{}})")
                                     << QStringLiteral("\"spans\" is an object") << QString();
    QTest::newRow("processes a list") << QByteArray(R"({"traceID":"1","spans":[],"processes":[]})")
                                      << QStringLiteral("\"processes\" is a list") << QString();
    QTest::newRow("tags an object") << trace(R"("startTime":1,"duration":1,"tags":{"a":1})")
                                    << QStringLiteral("are an object, not a list") << QString();
    QTest::newRow("spanID a number") << QByteArray(
                                            R"([{"traceID":"1","spanID":2,"startTime":1,"duration":1}])")
                                     << QStringLiteral("\"spanID\" is not a string") << QString();
    QTest::newRow("a span that is a string")
        << QByteArray(R"({"traceID":"1","spans":["span"]})")
        << QStringLiteral("an item of \"spans\" is not a span object") << QString();
    QTest::newRow("tag key a number") << trace(R"("startTime":1,"duration":1,"tags":[{"key":1,"value":2}])")
                                      << QStringLiteral("a tag's \"key\" is not a string") << QString();
    QTest::newRow("no spanID") << QByteArray(R"([{"traceID":"1","startTime":1,"duration":1}])")
                               << QStringLiteral("a span has no \"spanID\"") << QString();
    QTest::newRow("no startTime") << trace(R"("duration":1)") << QStringLiteral("has no \"startTime\"")
                                  << QString();
    QTest::newRow("no traceID anywhere")
        << QByteArray(R"({"spans":[{"spanID":"1","startTime":1,"duration":1,"processID":"p"}]})")
        << QStringLiteral("neither has its trace") << QString();

    // Absurd values.
    QTest::newRow("startTime 1e300") << trace(R"("startTime":1e300,"duration":1)")
                                     << QStringLiteral("\"startTime\" is 1e300, not a whole number")
                                     << QString();
    QTest::newRow("startTime past int64") << trace(R"("startTime":99999999999999999999,"duration":1)")
                                          << QStringLiteral("not a whole number") << QString();
    QTest::newRow("negative duration")
        << trace(R"("startTime":1,"duration":-5)") << QStringLiteral("not a whole number") << QString();
    QTest::newRow("fractional startTime")
        << trace(R"("startTime":1.5,"duration":1)") << QStringLiteral("not a whole number") << QString();
    QTest::newRow("ends after 2262") << trace(R"("startTime":9223372036854775,"duration":9223372036854775)")
                                     << QStringLiteral("ends after the year 2262") << QString();
    QTest::newRow("exponent beyond a double")
        << trace(R"("startTime":1e400,"duration":1)") << QStringLiteral("Number too big") << QString();
    QByteArray deepValue(100'000, '[');
    deepValue.append(QByteArray(100'000, ']'));
    QTest::newRow("tag value nested 100k deep")
        << trace(R"("startTime":1,"duration":1,"tags":[{"key":"deep","value":)" + deepValue + "}]")
        << QString() << QStringLiteral("kept as null");
    QTest::newRow("unknown field nested 100k deep")
        << trace(R"("startTime":1,"duration":1,"extra":)" + deepValue) << QString() << QString();
    QTest::newRow("top level nested 100k deep")
        << deepValue << QStringLiteral("not a span or trace object") << QString();
    QTest::newRow("a 50 MB name") << trace(R"("startTime":1,"duration":1,"operationName":")" +
                                           QByteArray(50 << 20, 'n') + "\"")
                                  << QStringLiteral("a string of 52.4 MB is longer than the 16 MiB")
                                  << QString();
    QTest::newRow("a 50 MB ignored value")
        << trace(R"("startTime":1,"duration":1,"comment":")" + QByteArray(50 << 20, 'c') + "\"")
        << QStringLiteral("longer than the 16 MiB") << QString();
    QByteArray manyTags = R"("startTime":1,"duration":1,"tags":[)";
    for (int i = 0; i < 1500; ++i)
        manyTags.append(R"({"key":"k)" + QByteArray::number(i) + R"(","type":"string","value":")" +
                        QByteArray(12 << 10, 'v') + "\"},");
    manyTags.chop(1);
    manyTags.append("]");
    QByteArray manyServices = "[";
    for (int i = 0; i <= 10'000; ++i)
        manyServices.append(R"({"traceID":"1","spanID":")" + QByteArray::number(i + 1) +
                            R"(","startTime":1,"duration":1,"process":{"serviceName":"s)" +
                            QByteArray::number(i) + "\"}},");
    manyServices.chop(1);
    manyServices.append("]");
    QTest::newRow("10,001 services") << manyServices << QStringLiteral("more than 10000 services")
                                     << QString();
    QTest::newRow("tags beyond 16 MiB")
        << trace(manyTags) << QStringLiteral("take more than 16 MiB") << QString();

    // Oddities that do not stop the import.
    QTest::newRow("unknown refType")
        << trace(R"("startTime":1,"duration":1,"references":[{"refType":"SIBLING_OF","spanID":"9"}])")
        << QString() << QStringLiteral("neither CHILD_OF nor FOLLOWS_FROM");
    QTest::newRow("no spans") << QByteArray("[]") << QString() << QStringLiteral("holds no spans");
    QTest::newRow("errors beside traces")
        << QByteArray(
               R"({"data":[{"traceID":"1","spans":[{"spanID":"1","startTime":1,"duration":1,)"
               R"("processID":"p"}],"processes":{"p":{"serviceName":"s"}}}],"errors":[{"msg":"timeout"}]})")
        << QString() << QStringLiteral("also reports 1 errors, e.g. \"timeout\"");
}

void TestJaegerJsonImporter::badInput()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    Fixture fixture;
    fixture.importJson(R"([{"traceID":"9","spanID":"9","operationName":"earlier","startTime":1,"duration":1,
        "process":{"serviceName":"svc"}}])");
    const QByteArray before = fileBytes(fixture.dbPath());
    try {
        const ImportSummary summary = fixture.import(fixture.write(content), asJaeger());
        QVERIFY2(error.isEmpty(), "expected the import to be refused");
        QVERIFY2(warning.isEmpty() || anyWarningContains(summary, warning.toUtf8().constData()),
                 qPrintable(summary.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(fixture.store().counts().spans, 1 + summary.counts.spans);
    } catch (const ImportError& caught) {
        QVERIFY2(!error.isEmpty(), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().contains(error), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().startsWith(QLatin1String("trace.json: line ")),
                 qPrintable(caught.sentence()));
        QCOMPARE(fileBytes(fixture.dbPath()), before);
    }
}

// The gen_ai trace cut after every few hundred bytes and with single bytes overwritten: each
// import either succeeds or is refused with a sentence that says where, and a refusal leaves
// the incident as it was. Cut inside the spans, it must be refused: the JSON is incomplete.
void TestJaegerJsonImporter::cutOrDamagedAnywhere()
{
    const QByteArray original =
        fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/jaeger-json/jaegerui_genai_trace.json"));
    QVERIFY(original.size() > 50'000);
    constexpr int Points = 150;
    const QList<QByteArray> spoilt = cutAndDamaged(original, Points, "{}[],:\"0a -", 1, 2024);
    for (int i = 0; i < Points; ++i) {
        Fixture fixture;
        try {
            fixture.import(fixture.write(spoilt[i]), asJaeger());
            QFAIL(qPrintable(QStringLiteral("a trace cut at byte %1 was imported").arg(spoilt[i].size())));
        } catch (const ImportError& error) {
            QVERIFY2(error.sentence().contains(QLatin1String("cut short")), qPrintable(error.sentence()));
        }
    }
    int imported = 0;
    for (int i = Points; i < spoilt.size(); ++i)
        imported += importOrRefuse(QStringLiteral("trace.json"), spoilt[i], asJaeger()).has_value();
    QVERIFY(imported > 0);
}

QTEST_GUILESS_MAIN(TestJaegerJsonImporter)
#include "tst_jaegerjsonimporter.moc"
