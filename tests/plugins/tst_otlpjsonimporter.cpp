// The OTLP/JSON importer: traces and metrics inline with exact expectations (trees, ids in every
// spelling, attributes of every AnyValue type, series and samples of every metric type), every
// file of the corpus against counts taken with QJsonDocument, the categories a real trace lands
// in, and input that is cut, damaged, mistyped or absurd.

#include "ingest/importer.h"
#include "plugins/importfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <map>

using namespace lundi;
using namespace test;

namespace {

const QString Format = QStringLiteral("otlp-json");

// Every span of the incident, track by track.
std::vector<Span> allSpans(const Store& store)
{
    std::vector<Span> spans;
    for (const Track& track : store.tracks()) {
        for (Span& span : store.spansOfTrack(track.id))
            spans.push_back(std::move(span));
    }
    return spans;
}

const Span* spanNamed(const std::vector<Span>& spans, const QString& name)
{
    for (const Span& span : spans) {
        if (span.name == name)
            return &span;
    }
    return nullptr;
}

// Each series as "name{labels} unit: t=value t=value", labels in the stored JSON.
QStringList renderSeries(const Store& store)
{
    QStringList lines;
    for (const Series& series : store.series()) {
        QString line = series.name + QString::fromUtf8(series.labelsJson) + QLatin1Char(' ') + series.unit +
                       QLatin1Char(':');
        for (const Sample& sample : store.samples(series.id))
            line += QStringLiteral(" %1=%2").arg(sample.timeNs).arg(sample.value);
        lines.append(line);
    }
    return lines;
}

// What a corpus file holds, counted with Qt's own JSON parser from the OTLP schema: spans, and
// the samples Lundi makes of the data points (one per gauge or sum point, one more for the rate
// of a delta sum over an interval; a bucket each plus count, sum, min, max and zero count where
// given; a quantile each plus count and sum).
struct Expected
{
    qint64 spans = 0;
    qint64 samples = 0;
};

QJsonArray arrayOf(const QJsonObject& object, const char* key, const char* oldKey = nullptr)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isArray() || !oldKey ? value.toArray() : object.value(QLatin1String(oldKey)).toArray();
}

void countPoint(const QJsonObject& metric, const QJsonObject& point, Expected& expected)
{
    const auto has = [&](const char* key) { return point.contains(QLatin1String(key)); };
    const auto present = [&](std::initializer_list<const char*> keys) {
        return std::count_if(keys.begin(), keys.end(), [&](const char* key) { return has(key); });
    };
    if (metric.contains(QLatin1String("gauge")) || metric.contains(QLatin1String("sum"))) {
        expected.samples += present({"asDouble", "asInt"});
        const QJsonObject sum = metric.value(QLatin1String("sum")).toObject();
        const bool deltaRate = sum.value(QLatin1String("isMonotonic")).toBool() &&
                               sum.value(QLatin1String("aggregationTemporality")).toInt() == 1 &&
                               point.value(QLatin1String("timeUnixNano")).toString().toLongLong() >
                                   point.value(QLatin1String("startTimeUnixNano")).toString().toLongLong();
        expected.samples += deltaRate ? 1 : 0;
    } else if (metric.contains(QLatin1String("histogram"))) {
        expected.samples += arrayOf(point, "bucketCounts").size() + present({"count", "sum", "min", "max"});
    } else if (metric.contains(QLatin1String("exponentialHistogram"))) {
        for (const char* side : {"positive", "negative"})
            expected.samples += arrayOf(point.value(QLatin1String(side)).toObject(), "bucketCounts").size();
        expected.samples += present({"count", "sum", "min", "max", "zeroCount"});
    } else if (metric.contains(QLatin1String("summary"))) {
        expected.samples += arrayOf(point, "quantileValues").size() + present({"count", "sum"});
    }
}

void countRequest(const QJsonObject& request, Expected& expected)
{
    for (const QJsonValue& resource : arrayOf(request, "resourceSpans")) {
        for (const QJsonValue& scope :
             arrayOf(resource.toObject(), "scopeSpans", "instrumentationLibrarySpans"))
            expected.spans += arrayOf(scope.toObject(), "spans").size();
    }
    for (const QJsonValue& resource : arrayOf(request, "resourceMetrics")) {
        for (const QJsonValue& scope : arrayOf(resource.toObject(), "scopeMetrics")) {
            for (const QJsonValue& value : arrayOf(scope.toObject(), "metrics")) {
                const QJsonObject metric = value.toObject();
                for (const QString& type : metric.keys()) {
                    for (const QJsonValue& point : arrayOf(metric.value(type).toObject(), "dataPoints"))
                        countPoint(metric, point.toObject(), expected);
                }
            }
        }
    }
}

Expected expectedOf(const QByteArray& content)
{
    Expected expected;
    // One request, or one per line.
    const QJsonDocument whole = QJsonDocument::fromJson(content);
    const QList<QByteArray> documents = whole.isObject() ? QList<QByteArray>{content} : content.split('\n');
    for (const QByteArray& document : documents) {
        QJsonObject request = QJsonDocument::fromJson(document).object();
        if (request.contains(QLatin1String("result")))
            request = request.value(QLatin1String("result")).toObject();
        countRequest(request, expected);
    }
    return expected;
}

// One resource's spans as an SDK exports them.
QByteArray tracesOf(const char* service, const QByteArray& spans)
{
    return QByteArray(
               R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":")") +
           service + R"("}}]},"scopeSpans":[{"spans":[)" + spans + "]}]}]}";
}

} // namespace

class TestOtlpJsonImporter : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void traces_data();
    void traces();
    void idsInEverySpelling();
    void attributesOfEveryType();
    void resourceAndScope();
    void linksBecomeFlows();
    void categoriesOfARealTrace();
    void metrics();
    void exemplarsKeepTheirTrace();
    void ratesOfMonotonicSums();
    void labelsMerge();
    void hugeNumbersStayNumbers();
    void jsonLinesMixSignals();
    void logsAndProfilesAreSkipped();
    void detection();
    void notClaimingOtherFormats();
    void corpus_data();
    void corpus();
    void badInput_data();
    void badInput();
    void cutOrDamagedAnywhere_data();
    void cutOrDamagedAnywhere();
};

void TestOtlpJsonImporter::initTestCase()
{
    Fixture fixture;
    QVERIFY2(fixture.registry().byFormat(Format),
             qPrintable(fixture.registry().problems().join(QLatin1Char('\n'))));
}

void TestOtlpJsonImporter::traces_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("warning");

    // Children exported before their parents, as SDKs do (a span is exported when it ends).
    QTest::newRow("tree, times as strings") << tracesOf("checkout", R"(
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7",
         "parentSpanId":"b7ad6b7169203331","name":"SELECT orders","startTimeUnixNano":"2000",
         "endTimeUnixNano":"5000","kind":3},
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"POST /checkout",
         "startTimeUnixNano":"1000","endTimeUnixNano":"9000","kind":2},
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b8",
         "parentSpanId":"b7ad6b7169203331","name":"charge","startTimeUnixNano":"6000",
         "endTimeUnixNano":"8000"})")
                                            << QStringLiteral("checkout (service)\n"
                                                              "  POST /checkout [1000 +8000]\n"
                                                              "    SELECT orders [2000 +3000]\n"
                                                              "    charge [6000 +2000]")
                                            << QString();
    // int64 beyond a double's 53 bits stays exact, as a number or as a string.
    QTest::newRow("times as numbers, exact") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","name":"a","startTimeUnixNano":1711138246978000001,
         "endTimeUnixNano":"1711138247024460625"})")
                                             << QStringLiteral("svc (service)\n"
                                                               "  a [1711138246978000001 +46460624]")
                                             << QString();
    QTest::newRow("kind and status as enum names")
        << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","name":"a","startTimeUnixNano":"1","endTimeUnixNano":"2",
         "kind":"SPAN_KIND_SERVER","status":{"code":"STATUS_CODE_ERROR","message":"boom"}})")
        << QStringLiteral("svc (service)\n  a [1 +1]") << QString();
    QTest::newRow("the result wrapper") << QByteArray(R"({"result":{"resourceSpans":[{"resource":{
        "attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},"scopeSpans":[{"spans":[
        {"traceId":"01","spanId":"01","name":"GET /","startTimeUnixNano":"10","endTimeUnixNano":"20"}]}]}]}})")
                                        << QStringLiteral("api (service)\n  GET / [10 +10]") << QString();
    QTest::newRow("instrumentationLibrarySpans, before OTLP 0.15")
        << QByteArray(R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name",
        "value":{"stringValue":"legacy"}}]},"instrumentationLibrarySpans":[{"instrumentationLibrary":{
        "name":"io.opentelemetry.jdbc"},"spans":[{"traceId":"01","spanId":"01","name":"query",
        "startTimeUnixNano":"1","endTimeUnixNano":"3"}]}]}]})")
        << QStringLiteral("legacy (service)\n  query [1 +2]") << QString();
    QTest::newRow("snake_case names of the proto") << QByteArray(R"({"resource_spans":[{"resource":{
        "attributes":[{"key":"service.name","value":{"string_value":"snake"}}]},"scope_spans":[{"spans":[
        {"trace_id":"01","span_id":"02","parent_span_id":"01","name":"child","start_time_unix_nano":"2",
         "end_time_unix_nano":"3"},
        {"trace_id":"01","span_id":"01","name":"root","start_time_unix_nano":"1",
         "end_time_unix_nano":"4"}]}]}]})")
                                                   << QStringLiteral("snake (service)\n"
                                                                     "  root [1 +3]\n"
                                                                     "    child [2 +1]")
                                                   << QString();
    // The resource after its spans: they still land on its service's track.
    QTest::newRow("resource after the spans")
        << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
        {"traceId":"01","spanId":"01","name":"late","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}],
        "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"named later"}}]}}]})")
        << QStringLiteral("named later (service)\n  late [1 +1]") << QString();
    QTest::newRow("no service.name") << QByteArray(R"({"resourceSpans":[{"resource":{"attributes":[]},
        "scopeSpans":[{"spans":[{"traceId":"01","spanId":"01","name":"x","startTimeUnixNano":"1",
        "endTimeUnixNano":"2"}]}]}]})")
                                     << QStringLiteral("unknown service (service)\n  x [1 +1]")
                                     << QStringLiteral(
                                            "1 span came from a resource without \"service.name\"");
    QTest::newRow("two services, one trace") << QByteArray(R"({"resourceSpans":[
        {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},
         "scopeSpans":[{"spans":[{"traceId":"07","spanId":"01","name":"GET /cart","startTimeUnixNano":"100",
         "endTimeUnixNano":"900"}]}]},
        {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
         "scopeSpans":[{"spans":[{"traceId":"07","spanId":"02","parentSpanId":"01","name":"load cart",
         "startTimeUnixNano":"200","endTimeUnixNano":"700"}]}]}]})")
                                             << QStringLiteral("frontend (service)\n"
                                                               "  GET /cart [100 +800]\n"
                                                               "cart (service)\n"
                                                               "    load cart [200 +500]")
                                             << QString();
    QTest::newRow("self-parent") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","parentSpanId":"01","name":"me","startTimeUnixNano":"1",
         "endTimeUnixNano":"5"})")
                                 << QStringLiteral("svc (service)\n  me [1 +4]")
                                 << QStringLiteral("1 span names itself as its parent");
    QTest::newRow("cycle") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","parentSpanId":"02","name":"a","startTimeUnixNano":"1","endTimeUnixNano":"9"},
        {"traceId":"01","spanId":"02","parentSpanId":"01","name":"b","startTimeUnixNano":"2","endTimeUnixNano":"8"})")
                           // The span that closes the cycle, walking up from the first, becomes the root.
                           << QStringLiteral("svc (service)\n    a [1 +8]\n  b [2 +6]")
                           << QStringLiteral("1 parent cycle was broken");
    QTest::newRow("orphan") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"02","parentSpanId":"99","name":"lost","startTimeUnixNano":"1",
         "endTimeUnixNano":"2"})")
                            << QStringLiteral("svc (service)\n  lost [1 +1]")
                            << QStringLiteral("1 span names a parent that is not in the input");
    QTest::newRow("all-zero parent is a root") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"02","parentSpanId":"0000000000000000","name":"root","startTimeUnixNano":"1",
         "endTimeUnixNano":"2"})") << QStringLiteral("svc (service)\n  root [1 +1]")
                                               << QString();
    QTest::newRow("duplicate ids") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","name":"twin","startTimeUnixNano":"1","endTimeUnixNano":"5"},
        {"traceId":"01","spanId":"01","name":"twin","startTimeUnixNano":"1","endTimeUnixNano":"5"})")
                                   << QStringLiteral("svc (service)\n  twin [1 +4]\n  twin [1 +4]")
                                   << QStringLiteral("1 span repeats the id of an earlier span");
    QTest::newRow("end before start") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","name":"backwards","startTimeUnixNano":"9","endTimeUnixNano":"3"})")
                                      << QStringLiteral("svc (service)\n  backwards [9 +0]")
                                      << QStringLiteral("1 span ended before it started");
    QTest::newRow("no start time") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","name":"dated","startTimeUnixNano":"1","endTimeUnixNano":"2"},
        {"traceId":"01","spanId":"02","name":"undated","endTimeUnixNano":"3"})")
                                   << QStringLiteral("svc (service)\n  dated [1 +1]")
                                   << QStringLiteral("1 span had no \"startTimeUnixNano\"; it was left out.");
    QTest::newRow("null members are absent") << tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","parentSpanId":null,"name":"n","startTimeUnixNano":"1",
         "endTimeUnixNano":"2","attributes":null,"events":null,"status":null,"kind":null})")
                                             << QStringLiteral("svc (service)\n  n [1 +1]") << QString();
    QTest::newRow("no spans") << QByteArray(R"({"resourceSpans":[]})") << QString()
                              << QStringLiteral("no spans and no metric data points");
    // Members Lundi does not read are passed over, however deep (traceState, dropped counts, a
    // newer field), and so are the members of a link.
    QByteArray unknown = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"01",
        "name":"kept","startTimeUnixNano":"1","endTimeUnixNano":"2","traceState":"k=v","droppedAttributesCount":3,
        "links":[{"spanId":"02","traceState":"x","attributes":5}],"futureField":)";
    unknown += QByteArray(100'000, '[') + QByteArray(100'000, ']') + "}]}]}]}";
    QTest::newRow("unknown members, 100k deep")
        << unknown << QStringLiteral("unknown service (service)\n  kept [1 +1]")
        << QStringLiteral("1 link points at a span that is not in the input");
}

void TestOtlpJsonImporter::traces()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QFETCH(QString, warning);
    checkImport(json, Format, expected, warning);
}

void TestOtlpJsonImporter::idsInEverySpelling()
{
    // One trace and one parent, spelled in lower-case hex, upper-case hex, base64 (protobuf's
    // generic JSON mapping) and URL-safe base64 without padding.
    Fixture fixture;
    fixture.importJson(tracesOf("svc", R"(
        {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b173","name":"root",
         "startTimeUnixNano":"1","endTimeUnixNano":"9"},
        {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
         "parentSpanId":"EEE19B7EC3C1B173","name":"upper","startTimeUnixNano":"2","endTimeUnixNano":"3"},
        {"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXU=","parentSpanId":"7uGbfsPBsXM=",
         "name":"base64","startTimeUnixNano":"4","endTimeUnixNano":"5"},
        {"traceId":"W47_95gDgQPSabYzgT_GDA","spanId":"7uGbfsPBsXY","parentSpanId":"7uGbfsPBsXM",
         "name":"url-safe","startTimeUnixNano":"6","endTimeUnixNano":"7"})"));
    QCOMPARE(fixture.rendered(), QStringLiteral("svc (service)\n"
                                                "  root [1 +8]\n"
                                                "    upper [2 +1]\n"
                                                "    base64 [4 +1]\n"
                                                "    url-safe [6 +1]"));
    for (const Span& span : allSpans(fixture.store()))
        QCOMPARE(span.traceId, QStringLiteral("5b8efff798038103d269b633813fc60c"));
}

void TestOtlpJsonImporter::attributesOfEveryType()
{
    // Every AnyValue type, nested ones as JSON; int64 as string or number; the value before the
    // key; a double written as a string, NaN; an empty value.
    Fixture fixture;
    fixture.importJson(tracesOf("svc", R"(
        {"traceId":"01","spanId":"01","name":"typed","startTimeUnixNano":"1","endTimeUnixNano":"2",
         "kind":2,"status":{"code":2,"message":"upstream said \"no\""},
         "attributes":[
          {"key":"s","value":{"stringValue":"text \"quoted\"\n"}},
          {"key":"b","value":{"boolValue":true}},
          {"key":"i","value":{"intValue":"9007199254740993"}},
          {"key":"n","value":{"intValue":-42}},
          {"key":"d","value":{"doubleValue":72.5}},
          {"key":"ds","value":{"doubleValue":"0.25"}},
          {"key":"nan","value":{"doubleValue":"NaN"}},
          {"key":"raw","value":{"bytesValue":"AAAwOQ=="}},
          {"key":"list","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"},
              {"arrayValue":{}},{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false}}]}}]}}},
          {"key":"map","value":{"kvlistValue":{"values":[{"key":"inner","value":{"kvlistValue":{
              "values":[{"value":{"doubleValue":1.5},"key":"deep"}]}}}]}}},
          {"value":{"stringValue":"key last"},"key":"late"},
          {"key":"empty","value":{}},
          {"key":"absent"}],
         "events":[{"timeUnixNano":"1","name":"exception","attributes":[
             {"key":"exception.type","value":{"stringValue":"ValueError"}}]},{"timeUnixNano":"2"}]})"));
    const std::vector<Span> spans = allSpans(fixture.store());
    QCOMPARE(spans.size(), size_t(1));
    QCOMPARE(spans[0].status, SpanStatus::Error);
    QCOMPARE(QString::fromUtf8(spans[0].attributesJson),
             QStringLiteral(R"({"s":"text \"quoted\"\n","b":true,"i":9007199254740993,"n":-42,"d":72.5,)"
                            R"("ds":0.25,"nan":"NaN","raw":"AAAwOQ==","list":["a",1,[],{"k":false}],)"
                            R"("map":{"inner":{"deep":1.5}},"late":"key last","empty":null,"absent":null,)"
                            R"("span.kind":"server","otel.status_description":"upstream said \"no\"",)"
                            R"("events":[{"name":"exception","time_ns":1,"attributes":{"exception.type":)"
                            R"("ValueError"}},{"name":"","time_ns":2}]})"));
    // What any JSON reader makes of it.
    const QJsonObject attributes = QJsonDocument::fromJson(spans[0].attributesJson).object();
    QCOMPARE(attributes.size(), 16);
    QCOMPARE(attributes.value(QLatin1String("map"))
                 .toObject()
                 .value(QLatin1String("inner"))
                 .toObject()
                 .value(QLatin1String("deep")),
             QJsonValue(1.5));
}

void TestOtlpJsonImporter::resourceAndScope()
{
    // The scope and where the span ran go into its attributes; every distinct resource and scope
    // into the source's metadata.
    Fixture fixture;
    fixture.importJson(R"({"resourceSpans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"llm-gateway"}},
        {"key":"service.version","value":{"stringValue":"2.4.1"}},
        {"key":"host.name","value":{"stringValue":"gw-7"}},
        {"key":"telemetry.sdk.language","value":{"stringValue":"python"}}]},
        "scopeSpans":[{"scope":{"name":"opentelemetry.instrumentation.fastapi","version":"0.48b0",
            "attributes":[{"key":"tier","value":{"stringValue":"edge"}}]},"spans":[
          {"traceId":"01","spanId":"01","name":"POST /v1/chat","startTimeUnixNano":"1","endTimeUnixNano":"2",
           "attributes":[{"key":"http.request.method","value":{"stringValue":"POST"}}]}]}]}]})");
    const Store store = fixture.store();
    const std::vector<Span> spans = allSpans(store);
    QCOMPARE(QString::fromUtf8(spans.front().attributesJson),
             QStringLiteral(R"({"http.request.method":"POST","otel.scope.name":)"
                            R"("opentelemetry.instrumentation.fastapi","otel.scope.version":"0.48b0",)"
                            R"("service.version":"2.4.1","host.name":"gw-7"})"));
    QCOMPARE(QString::fromUtf8(store.sources().front().metadataJson),
             QStringLiteral(R"({"resources":[{"service.name":"llm-gateway","service.version":"2.4.1",)"
                            R"("host.name":"gw-7","telemetry.sdk.language":"python"}],"scopes":[{"name":)"
                            R"("opentelemetry.instrumentation.fastapi","version":"0.48b0","attributes":)"
                            R"({"tier":"edge"}}]})"));
    QCOMPARE(store.tracks().front().process, QStringLiteral("llm-gateway"));
}

void TestOtlpJsonImporter::linksBecomeFlows()
{
    Fixture fixture;
    // A consumer span linked to the producer span of another trace, and a link to nothing known.
    const ImportSummary summary = fixture.importJson(tracesOf("queue", R"(
        {"traceId":"0a","spanId":"01","name":"publish","kind":4,"startTimeUnixNano":"1","endTimeUnixNano":"2"},
        {"traceId":"0b","spanId":"02","name":"process","kind":5,"startTimeUnixNano":"5","endTimeUnixNano":"9",
         "links":[{"traceId":"0a","spanId":"01","attributes":[{"key":"x","value":{"intValue":"1"}}]},
                  {"traceId":"0c","spanId":"03"}]})"));
    QCOMPARE(summary.counts.flows, 1);
    QVERIFY(anyWarningContains(summary, "1 link points at a span that is not in the input"));
    const Store store = fixture.store();
    const std::vector<Span> spans = allSpans(store);
    const QList<Flow> flows = store.flows();
    QCOMPARE(flows.front().from, spanNamed(spans, QStringLiteral("publish"))->id);
    QCOMPARE(flows.front().to, spanNamed(spans, QStringLiteral("process"))->id);
    QCOMPARE(flows.front().name, QStringLiteral("link"));
}

void TestOtlpJsonImporter::categoriesOfARealTrace()
{
    // As the Python SDK's auto-instrumentation exports a request: a FastAPI server span, an
    // SQLAlchemy query, an outgoing HTTP call with the older semantic conventions, a Redis
    // command, an internal span, and a PII check by name.
    Fixture fixture;
    fixture.importJson(tracesOf("orders", R"json(
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"0000000000000001","name":"POST /orders",
         "kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1000","endTimeUnixNano":"90000",
         "attributes":[{"key":"http.request.method","value":{"stringValue":"POST"}},
           {"key":"url.path","value":{"stringValue":"/orders"}},
           {"key":"http.response.status_code","value":{"intValue":"201"}}]},
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"0000000000000002",
         "parentSpanId":"0000000000000001","name":"INSERT orders","kind":3,"startTimeUnixNano":"2000",
         "endTimeUnixNano":"9000","attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}},
           {"key":"db.statement","value":{"stringValue":"INSERT INTO orders VALUES ($1)"}}]},
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"0000000000000003",
         "parentSpanId":"0000000000000001","name":"HTTP POST","kind":3,"startTimeUnixNano":"10000",
         "endTimeUnixNano":"50000","attributes":[{"key":"http.method","value":{"stringValue":"POST"}},
           {"key":"http.url","value":{"stringValue":"https://payments.internal/charge"}}]},
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"0000000000000004",
         "parentSpanId":"0000000000000001","name":"SETEX","kind":3,"startTimeUnixNano":"51000",
         "endTimeUnixNano":"52000","attributes":[{"key":"db.system","value":{"stringValue":"redis"}}]},
        {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"0000000000000005",
         "parentSpanId":"0000000000000001","name":"pii_scan","kind":1,"startTimeUnixNano":"53000",
         "endTimeUnixNano":"80000"})json"));
    const std::vector<Span> spans = allSpans(fixture.store());
    const auto categoryOf = [&](const char* name) {
        const Span* span = spanNamed(spans, QLatin1String(name));
        return span ? span->category : Category(-1);
    };
    QCOMPARE(categoryOf("POST /orders"), Category::Api);
    QCOMPARE(categoryOf("INSERT orders"), Category::Storage);
    QCOMPARE(categoryOf("HTTP POST"), Category::Network); // a client span: time on the wire
    QCOMPARE(categoryOf("SETEX"), Category::Storage);
    QCOMPARE(categoryOf("pii_scan"), Category::Compliance);
    QCOMPARE(QJsonDocument::fromJson(spanNamed(spans, QStringLiteral("SETEX"))->attributesJson)
                 .object()
                 .value(QLatin1String("span.kind"))
                 .toString(),
             QStringLiteral("client"));
}

void TestOtlpJsonImporter::metrics()
{
    // One metric of each type; attributes become labels, with the resource's service.name and
    // the scope; values as doubles, int64 strings and numbers.
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"({"resourceMetrics":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"vllm"}}]},"scopeMetrics":[{"scope":{"name":"m"},
        "metrics":[
        {"name":"gpu.utilization","unit":"1","gauge":{"dataPoints":[
            {"timeUnixNano":"1000000000","asDouble":0.5,"attributes":[{"key":"gpu","value":{"intValue":"0"}}]},
            {"timeUnixNano":"2000000000","asInt":"1","attributes":[{"key":"gpu","value":{"intValue":0}}]}]}},
        {"name":"http.server.request.duration","unit":"s","histogram":{"aggregationTemporality":2,
            "dataPoints":[{"timeUnixNano":"3000000000","count":"6","sum":4.5,"min":0.1,"max":2,
            "bucketCounts":["1","3",2],"explicitBounds":[0.25,1]}]}},
        {"name":"latency","unit":"ms","exponentialHistogram":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA",
            "dataPoints":[{"timeUnixNano":"4000000000","count":5,"sum":30,"scale":1,"zeroCount":"1",
            "positive":{"offset":2,"bucketCounts":["1","2"]},"negative":{"offset":0,"bucketCounts":["1"]}}]}},
        {"name":"rpc.duration","unit":"ms","summary":{"dataPoints":[{"timeUnixNano":"5000000000","count":"10",
            "sum":"123.5","quantileValues":[{"quantile":0.5,"value":9},{"quantile":0.99,"value":40.5}]}]}}
        ]}]}]})");
    QVERIFY2(summary.warnings.isEmpty(), qPrintable(summary.warnings.join(QLatin1Char('\n'))));
    const QString labels = QStringLiteral(R"("otel.scope.name":"m","service.name":"vllm")");
    QCOMPARE(
        renderSeries(fixture.store()),
        QStringList({
            QStringLiteral(R"(gpu.utilization{"gpu":0,%1} 1: 1000000000=0.5 2000000000=1)").arg(labels),
            QStringLiteral(R"(http.server.request.duration_bucket{%1,"le":"0.25"} 1: 3000000000=1)")
                .arg(labels),
            QStringLiteral(R"(http.server.request.duration_bucket{%1,"le":"1"} 1: 3000000000=4)").arg(labels),
            QStringLiteral(R"(http.server.request.duration_bucket{%1,"le":"+Inf"} 1: 3000000000=6)")
                .arg(labels),
            QStringLiteral(R"(http.server.request.duration_count{%1} 1: 3000000000=6)").arg(labels),
            QStringLiteral(R"(http.server.request.duration_sum{%1} s: 3000000000=4.5)").arg(labels),
            QStringLiteral(R"(http.server.request.duration_min{%1} s: 3000000000=0.1)").arg(labels),
            QStringLiteral(R"(http.server.request.duration_max{%1} s: 3000000000=2)").arg(labels),
            // scale 1: base sqrt(2); bucket 2 is (2, 2.83], bucket 3 (2.83, 4], bucket -0 [-1.41, -1).
            QStringLiteral(R"(latency_bucket{%1,"lower":"2","upper":"2.8284271247461903"} 1: 4000000000=1)")
                .arg(labels),
            QStringLiteral(R"(latency_bucket{%1,"lower":"2.8284271247461903","upper":"4"} 1: 4000000000=2)")
                .arg(labels),
            QStringLiteral(R"(latency_bucket{%1,"lower":"-1.4142135623730951","upper":"-1"} 1: 4000000000=1)")
                .arg(labels),
            QStringLiteral(R"(latency_zero_count{%1} 1: 4000000000=1)").arg(labels),
            QStringLiteral(R"(latency_count{%1} 1: 4000000000=5)").arg(labels),
            QStringLiteral(R"(latency_sum{%1} ms: 4000000000=30)").arg(labels),
            QStringLiteral(R"(rpc.duration{%1,"quantile":"0.5"} ms: 5000000000=9)").arg(labels),
            QStringLiteral(R"(rpc.duration{%1,"quantile":"0.99"} ms: 5000000000=40.5)").arg(labels),
            QStringLiteral(R"(rpc.duration_count{%1} 1: 5000000000=10)").arg(labels),
            QStringLiteral(R"(rpc.duration_sum{%1} ms: 5000000000=123.5)").arg(labels),
        }));
    QCOMPARE(summary.counts.samples, 19);
}

void TestOtlpJsonImporter::exemplarsKeepTheirTrace()
{
    // Exemplars of a histogram point: ids in hex (upper case too) and base64, a time of their own
    // or the point's, an int value, one without a trace, one without a value.
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
        {"name":"latency","unit":"s","histogram":{"aggregationTemporality":2,"dataPoints":[
            {"timeUnixNano":"3000000000","count":"2","attributes":[{"key":"route","value":{"stringValue":"/a"}}],
             "exemplars":[
                {"timeUnixNano":"2500000000","asDouble":0.75,"traceId":"5B8EFFF798038103D269B633813FC60C",
                 "spanId":"eee19b7ec3c1b174","filteredAttributes":[{"key":"user","value":{"stringValue":"x"}}]},
                {"asInt":"2","traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ="},
                {"timeUnixNano":"2600000000","asDouble":0.5},
                {"timeUnixNano":"2700000000","traceId":"5b8efff798038103d269b633813fc60c"}]}]}}]}]}]})");
    const QString trace =
        QStringLiteral(R"("span_id":"eee19b7ec3c1b174","trace_id":"5b8efff798038103d269b633813fc60c")");
    QCOMPARE(
        renderSeries(fixture.store()),
        QStringList({QStringLiteral(R"(latency_count{"route":"/a"} 1: 3000000000=2)"),
                     QStringLiteral(R"(latency:exemplar{"route":"/a",%1} s: 2500000000=0.75 3000000000=2)")
                         .arg(trace),
                     QStringLiteral(R"(latency:exemplar{"route":"/a"} s: 2600000000=0.5)")}));
    QVERIFY2(anyWarningContains(summary, "1 exemplar had no \"asDouble\" or \"asInt\"; it was left out."),
             qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

void TestOtlpJsonImporter::ratesOfMonotonicSums()
{
    // A cumulative counter (reset between its third and fourth point), a delta counter, and a
    // sum that is not monotonic (no rate).
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
        {"name":"requests","unit":"{request}","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
            {"startTimeUnixNano":"1","timeUnixNano":"10000000000","asInt":"100"},
            {"startTimeUnixNano":"1","timeUnixNano":"20000000000","asInt":"150"},
            {"startTimeUnixNano":"1","timeUnixNano":"30000000000","asInt":"250"},
            {"startTimeUnixNano":"31000000000","timeUnixNano":"40000000000","asInt":"20"},
            {"startTimeUnixNano":"31000000000","timeUnixNano":"40000000000","asInt":"20"}]}},
        {"name":"bytes","unit":"By","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[
            {"startTimeUnixNano":"0","timeUnixNano":"2000000000","asDouble":4096}]}},
        {"name":"queue.depth","sum":{"aggregationTemporality":2,"dataPoints":[
            {"timeUnixNano":"1000000000","asInt":"3"}]}}]}]}]})");
    QCOMPARE(renderSeries(fixture.store()),
             QStringList(
                 {QStringLiteral("requests{} {request}: 10000000000=100 20000000000=150 30000000000=250 "
                                 "40000000000=20 40000000000=20"),
                  QStringLiteral("requests:rate{} {request}/s: 20000000000=5 30000000000=10 40000000000=2"),
                  QStringLiteral("bytes{} By: 2000000000=4096"),
                  QStringLiteral("bytes:rate{} By/s: 2000000000=2048"),
                  QStringLiteral("queue.depth{} : 1000000000=3")}));
    QVERIFY2(
        anyWarningContains(summary, "1 data point of a cumulative sum was not later than the one before it"),
        qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

void TestOtlpJsonImporter::labelsMerge()
{
    // The point's attributes win over the scope's, which win over the resource's; their order in
    // the file does not make another series; NaN and the infinities are kept as they are.
    Fixture fixture;
    const ImportSummary summary = fixture.importJson(R"({"resourceMetrics":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"svc"}},{"key":"zone","value":{"stringValue":"eu-1"}},
        {"key":"host","value":{"stringValue":"from resource"}}]},
        "scopeMetrics":[{"scope":{"attributes":[{"key":"host","value":{"stringValue":"from scope"}}]},
        "metrics":[{"name":"temp","gauge":{"dataPoints":[
            {"timeUnixNano":"1","asDouble":1,"attributes":[{"key":"b","value":{"stringValue":"2"}},
                {"key":"a","value":{"stringValue":"1"}},{"key":"zone","value":{"stringValue":"eu-2"}}]},
            {"timeUnixNano":"2","asDouble":2,"attributes":[{"key":"zone","value":{"stringValue":"eu-2"}},
                {"key":"a","value":{"stringValue":"1"}},{"key":"b","value":{"stringValue":"2"}}]},
            {"timeUnixNano":"3","asDouble":"NaN","attributes":[{"key":"zone","value":{"stringValue":"eu-2"}},
                {"key":"a","value":{"stringValue":"1"}},{"key":"b","value":{"stringValue":"2"}}]},
            {"timeUnixNano":"4","asDouble":"Infinity","attributes":[{"key":"a","value":{"stringValue":"1"}},
                {"key":"b","value":{"stringValue":"2"}},{"key":"zone","value":{"stringValue":"eu-2"}}]},
            {"timeUnixNano":"5","asDouble":"-Infinity","attributes":[{"key":"a","value":{"stringValue":"1"}},
                {"key":"b","value":{"stringValue":"2"}},{"key":"zone","value":{"stringValue":"eu-2"}}]}]}}]}]}]})");
    QCOMPARE(renderSeries(fixture.store()),
             QStringList({QStringLiteral(R"(temp{"a":"1","b":"2","host":"from scope","service.name":"svc",)"
                                         R"("zone":"eu-2"} : 1=1 2=2 3=nan 4=inf 5=-inf)")}));
    QVERIFY(std::isnan(fixture.store().samples(1)[2].value));
    QVERIFY2(summary.warnings.isEmpty(), qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

void TestOtlpJsonImporter::hugeNumbersStayNumbers()
{
    // Counts beyond 64 bits are doubles, as every sample value; buckets at the edge of the
    // int32 offsets and scale 20 reach bounds beyond a double's range: +Inf and -0, never overflow.
    Fixture fixture;
    fixture.importJson(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
        {"name":"h","histogram":{"dataPoints":[{"timeUnixNano":"9223372036854775807",
            "count":"99999999999999999999999999","bucketCounts":["18446744073709551615"]}]}},
        {"name":"e","exponentialHistogram":{"dataPoints":[{"timeUnixNano":"1","scale":20,
            "positive":{"offset":2147483647,"bucketCounts":["1"]},
            "negative":{"offset":-2147483648,"bucketCounts":["2"]}}]}}]}]}]})");
    QCOMPARE(renderSeries(fixture.store()),
             QStringList({QStringLiteral(R"(h_bucket{"le":"+Inf"} 1: 9223372036854775807=1.84467e+19)"),
                          QStringLiteral(R"(h_count{} 1: 9223372036854775807=1e+26)"),
                          QStringLiteral(R"(e_bucket{"lower":"+Inf","upper":"+Inf"} 1: 1=1)"),
                          QStringLiteral(R"(e_bucket{"lower":"-0","upper":"-0"} 1: 1=2)")}));
}

void TestOtlpJsonImporter::jsonLinesMixSignals()
{
    // The collector's file exporter: a request per line, traces, metrics and logs mixed; CRLF.
    Fixture fixture;
    const QByteArray lines =
        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","parentSpanId":"01","name":"child","startTimeUnixNano":"2","endTimeUnixNano":"3"}]}]}]})"
        "\r\n"
        R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"up","gauge":{"dataPoints":[{"timeUnixNano":"5","asInt":"1"}]}}]}]}]})"
        "\r\n"
        R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]})"
        "\r\n"
        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},"scopeSpans":[{"spans":[{"traceId":"01","spanId":"01","name":"root","startTimeUnixNano":"1","endTimeUnixNano":"4"}]}]}]})"
        "\r\n";
    const ImportSummary summary = fixture.importAs(QStringLiteral("otel.jsonl"), lines);
    QCOMPARE(summary.format, Format);
    QCOMPARE(fixture.rendered(), QStringLiteral("a (service)\n  root [1 +3]\n    child [2 +1]"));
    QCOMPARE(renderSeries(fixture.store()), QStringList({QStringLiteral("up{} : 5=1")}));
    QVERIFY2(anyWarningContains(summary, "also holds logs (\"resourceLogs\" in 1 document)"),
             qPrintable(summary.warnings.join(QLatin1Char('\n'))));
}

void TestOtlpJsonImporter::logsAndProfilesAreSkipped()
{
    Fixture fixture;
    for (const char* file : {"otelproto_examples_logs.json", "ottlplayground_profiles_signal.json"}) {
        try {
            fixture.import(QStringLiteral(LUNDI_CORPUS_DIR "/otlp-json/") + QLatin1String(file));
            QFAIL("a file of logs or profiles alone was imported");
        } catch (const ImportError& error) {
            QVERIFY2(error.sentence().contains(QLatin1String("which Lundi does not read")),
                     qPrintable(error.sentence()));
            QVERIFY2(error.sentence().contains(QLatin1String("line 2")), qPrintable(error.sentence()));
        }
    }
    QCOMPARE(fixture.store().counts().sources, 0);
}

void TestOtlpJsonImporter::detection()
{
    Fixture fixture;
    const auto detected = [&](std::string_view head) {
        const Importer* importer = fixture.registry().detect(head, QStringLiteral("x.json"));
        return importer ? importer->format() : QString();
    };
    QCOMPARE(detected("\xEF\xBB\xBF{\n  \"resourceSpans\": [\n"), Format);
    QCOMPARE(detected(R"({"resourceMetrics":[{"resource":{})"), Format);
    QCOMPARE(detected(R"({"resourceLogs" : [)"), Format);
    QCOMPARE(detected(R"({"resourceProfiles":[)"), Format);
    QCOMPARE(detected(R"({"result":{"resourceSpans":[{"resource":)"), Format);
    QCOMPARE(detected(R"({"resource_spans":[)"), Format);
    // Neither Jaeger's download form, nor a Chrome trace, nor a name only mentioned as a value.
    QVERIFY(detected(R"({"data":[{"traceID":"a1","spans":[{"operationName":"resourceSpans"}])") != Format);
    QVERIFY(detected(R"({"traceEvents":[{"ph":"X","name":"resourceSpans"}]})") != Format);
    QVERIFY(detected(R"([{"resourceSpans":[]}])") != Format);
}

void TestOtlpJsonImporter::notClaimingOtherFormats()
{
    // No file of another format in the corpus is taken for OTLP/JSON.
    Fixture fixture;
    const Importer* otlp = fixture.registry().byFormat(Format);
    QFile manifest(QStringLiteral(LUNDI_CORPUS_DIR "/MANIFEST.tsv"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    int others = 0;
    while (!manifest.atEnd()) {
        const QByteArray path = manifest.readLine().split('\t').front();
        if (path.startsWith("otlp-json/") || !path.contains('/'))
            continue;
        const QByteArray head =
            fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/") + QString::fromUtf8(path)).left(4096);
        QVERIFY2(otlp->detect({head.constData(), size_t(head.size())}, QString::fromUtf8(path)) == 0,
                 path.constData());
        ++others;
    }
    QVERIFY(others > 100);
}

void TestOtlpJsonImporter::corpus_data()
{
    QVERIFY(addCorpusRows("otlp-json/") >= 13);
}

void TestOtlpJsonImporter::corpus()
{
    QFETCH(QString, path);
    QFETCH(QString, expect);
    const std::optional<ImportSummary> summary = importCorpusFile(path, expect, Format);
    if (!summary)
        return;
    const Expected expected = expectedOf(fileBytes(path));
    QCOMPARE(summary->counts.spans, expected.spans);
    QCOMPARE(summary->counts.samples, expected.samples);
    QVERIFY(expected.spans + expected.samples > 0);
}

void TestOtlpJsonImporter::badInput_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // the sentence holds this

    const QByteArray good =
        tracesOf("svc", R"({"traceId":"01","spanId":"01","name":"a","startTimeUnixNano":"1",
        "endTimeUnixNano":"2"})");
    QTest::newRow("cut short") << good.left(good.size() - 5) << QStringLiteral("cut short");
    QTest::newRow("not JSON") << QByteArray(R"({"resourceSpans":[}]})") << QStringLiteral("not valid JSON");
    QTest::newRow("a second document that is broken")
        << QByteArray("{\"resourceSpans\":[]}\n{\"resourceSpans\":[}\n")
        << QStringLiteral("trace.json: line 2, column 19 (byte 39): this is not valid JSON");
    QTest::newRow("a document that is an array") << QByteArray(R"({"resourceSpans":[]})"
                                                               "\n[]")
                                                 << QStringLiteral("line 2, column 1");
    QTest::newRow("a NUL between documents")
        << QByteArray("{\"resourceSpans\":[]}\n\0\n{\"resourceSpans\":[]}", 44)
        << QStringLiteral("trace.json: line 2, column 1 (byte 21): this is not valid JSON");
    QTest::newRow("no signal") << QByteArray(R"({"resourceSpans2":[]})")
                               << QStringLiteral("no \"resourceSpans\" or \"resourceMetrics\"");
    QTest::newRow("resourceSpans an object")
        << QByteArray(R"({"resourceSpans":{}})")
        << QStringLiteral("\"resourceSpans\" is an object, where OTLP/JSON has an array");
    QTest::newRow("spans a number") << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":5}]}]})")
                                    << QStringLiteral("\"spans\" is a number");
    QTest::newRow("a span that is a string")
        << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":["span"]}]}]})")
        << QStringLiteral("an item of \"spans\" is a string");
    QTest::newRow("name a number") << tracesOf("svc", R"({"traceId":"01","spanId":"01","name":7})")
                                   << QStringLiteral("\"name\" is a number, where OTLP/JSON has a string");
    QTest::newRow("attributes an object")
        << tracesOf("svc", R"({"traceId":"01","spanId":"01","attributes":{"k":"v"}})")
        << QStringLiteral("\"attributes\" is an object, where OTLP/JSON has an array");
    QTest::newRow("intValue not an integer")
        << tracesOf("svc", R"({"attributes":[{"key":"k","value":{"intValue":"12abc"}}]})")
        << QStringLiteral("\"intValue\" is \"12abc\", which is not a whole number");
    QTest::newRow("two values in one AnyValue")
        << tracesOf("svc", R"({"attributes":[{"key":"k","value":{"intValue":"1","stringValue":"1"}}]})")
        << QStringLiteral("holds more than one value");
    QTest::newRow("id neither hex nor base64")
        << tracesOf("svc", R"({"traceId":"not an id!","spanId":"01"})")
        << QStringLiteral("\"traceId\" is \"not an id!\", which is neither hex nor base64");
    QTest::newRow("time 1e300 as a string")
        << tracesOf("svc", R"({"startTimeUnixNano":"1e300"})")
        << QStringLiteral("\"startTimeUnixNano\" is \"1e300\" (a string), "
                          "which is not a whole number of nanoseconds");
    QTest::newRow("time 1e300 as a number") << tracesOf("svc", R"({"endTimeUnixNano":1e300})")
                                            << QStringLiteral("not a whole number of nanoseconds");
    QTest::newRow("time beyond int64") << tracesOf("svc", R"({"startTimeUnixNano":"99999999999999999999"})")
                                       << QStringLiteral("outside the nanoseconds from 1970 to 2262");
    QTest::newRow("negative time") << tracesOf("svc", R"({"startTimeUnixNano":-5})")
                                   << QStringLiteral("outside the nanoseconds from 1970 to 2262");
    QTest::newRow("kind unknown") << tracesOf("svc", R"({"kind":"SPAN_KIND_SIDEWAYS"})")
                                  << QStringLiteral(
                                         "\"kind\" is \"SPAN_KIND_SIDEWAYS\", which OTLP does not define");
    QTest::newRow("two metric types")
        << QByteArray(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{},"sum":{}}]}]}]})")
        << QStringLiteral("more than one of \"gauge\", \"sum\"");
    QTest::newRow("scale out of range")
        << QByteArray(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"exponentialHistogram":{
            "dataPoints":[{"scale":300}]}}]}]}]})")
        << QStringLiteral("\"scale\" is 300");
    QTest::newRow("bucket count not a number")
        << QByteArray(R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{
            "dataPoints":[{"bucketCounts":["1","x"]}]}}]}]}]})")
        << QStringLiteral("an item of \"bucketCounts\" is \"x\", which is not a number");

    QByteArray deep = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":)";
    for (int i = 0; i < 100'000; ++i)
        deep += R"({"kvlistValue":{"values":[{"key":"k","value":)";
    deep += "{}";
    for (int i = 0; i < 100'000; ++i)
        deep += "}]}}";
    deep += "}]}]}]}]}";
    QTest::newRow("kvlistValue nested 100k deep") << deep << QStringLiteral("more than 100 levels deep");
    QByteArray longString = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":")";
    longString += QByteArray(50 << 20, 'n');
    longString += R"("}]}]}]})";
    QTest::newRow("a 50 MB string") << longString << QStringLiteral("longer than the 16 MiB");
    QByteArray manyBuckets =
        R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":[)";
    for (int i = 0; i < 200'000; ++i)
        manyBuckets += "1,";
    manyBuckets += R"(1]}]}}]}]}]})";
    QTest::newRow("200k buckets") << manyBuckets
                                  << QStringLiteral("\"bucketCounts\" has more than 100,000 items");
    QByteArray manyLabels =
        R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[{"attributes":[)";
    for (int i = 0; i < 200'000; ++i)
        manyLabels += R"({"key":"k","value":{}},)";
    manyLabels += R"({}]}]}}]}]}]})";
    QTest::newRow("200k labels") << manyLabels
                                 << QStringLiteral("\"attributes\" has more than 100,000 items");
    QTest::newRow("only logs") << QByteArray(R"({"resourceLogs":[]})")
                               << QStringLiteral("only OpenTelemetry logs");
}

void TestOtlpJsonImporter::badInput()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    Fixture fixture;
    fixture.importJson(tracesOf("earlier", R"({"traceId":"01","spanId":"01","name":"kept",
        "startTimeUnixNano":"1","endTimeUnixNano":"2"})"));
    const QByteArray before = fileBytes(fixture.dbPath());
    try {
        fixture.import(fixture.write(content), [] {
            ImportOptions options;
            options.format = Format;
            return options;
        }());
        QFAIL("the import was not refused");
    } catch (const ImportError& caught) {
        QVERIFY2(caught.sentence().contains(error), qPrintable(caught.sentence()));
        QVERIFY2(caught.sentence().startsWith(QLatin1String("trace.json: line ")),
                 qPrintable(caught.sentence()));
        QCOMPARE(fileBytes(fixture.dbPath()), before);
    }
}

void TestOtlpJsonImporter::cutOrDamagedAnywhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("traces with events and links") << QStringLiteral("jaeger_otlp_memstore_traces.json");
    QTest::newRow("metrics of every type") << QStringLiteral("otelproto_examples_metrics.json");
    QTest::newRow("JSON lines") << QStringLiteral("jaegerui_otlp_jsonl_multi.jsonl");
}

// Real files cut at many points and with bytes overwritten: each import either succeeds or is
// refused with a sentence, and a refused one leaves the incident as it was. Never a crash.
void TestOtlpJsonImporter::cutOrDamagedAnywhere()
{
    QFETCH(QString, file);
    const QByteArray original = fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/otlp-json/") + file);
    QVERIFY(!original.isEmpty());
    ImportOptions options;
    options.format = Format;
    int refused = 0;
    int imported = 0;
    for (const QByteArray& content :
         cutAndDamaged(original, 150, QByteArrayView("{}[],:\"0x \0", 11), 1, 4242))
        importOrRefuse(QStringLiteral("trace.json"), content, options) ? ++imported : ++refused;
    QVERIFY(refused > 0);
    QVERIFY(imported > 0);
}

QTEST_GUILESS_MAIN(TestOtlpJsonImporter)
#include "tst_otlpjsonimporter.moc"
