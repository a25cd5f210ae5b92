#include "ingest/importer.h"
#include "plugins/importfixture.h"
#include "timeformat.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

using namespace lundi;
using namespace test;

namespace {

const QString Format = QStringLiteral("prometheus");
constexpr qint64 AtNs = 1'700'000'000'000'000'000; // 2023-11-14T22:13:20Z

// Every series with its samples, one line each: `name{labels} [unit]: value@t_ns, ...`; -0 as such.
QString renderSeries(const Store& store)
{
    QStringList lines;
    for (const Series& series : store.series()) {
        QStringList samples;
        for (const Sample& sample : store.samples(series.id))
            samples.append(QStringLiteral("%1@%2")
                               .arg(sample.value == 0 && std::signbit(sample.value)
                                        ? QStringLiteral("-0")
                                        : QString::number(sample.value, 'g', 15))
                               .arg(sample.timeNs));
        QString line = series.name + QString::fromUtf8(series.labelsJson);
        if (!series.unit.isEmpty())
            line += QStringLiteral(" [%1]").arg(series.unit);
        lines.append(line + QStringLiteral(": ") + samples.join(QStringLiteral(", ")));
    }
    return lines.join(QLatin1Char('\n'));
}

// The samples of an exposition, counted without its importer: every line that is neither blank
// nor a comment, plus the exemplars written after samples.
qint64 sampleLines(const QByteArray& content)
{
    qint64 count = 0;
    for (const QByteArray& line : content.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith('#'))
            continue;
        count += 1 + trimmed.contains(" # {");
    }
    return count;
}

QJsonObject metadataOf(const Fixture& fixture)
{
    return QJsonDocument::fromJson(fixture.store().sources().first().metadataJson).object();
}

ImportOptions at(qint64 ns)
{
    ImportOptions options;
    options.atNs = ns;
    return options;
}

} // namespace

class TestPrometheusImporter : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void samples_data();
    void samples();
    void familiesBecomeMetadata();
    void undatedSamplesTakeTheFileTime();
    void undatedSamplesTakeAt();
    void openMetricsWithoutEofIsNamed();
    void dumpsAfterEofAreRead();
    void repeatedDeclarationsAreCounted();
    void quotedNamesReadAsUnquoted_data();
    void quotedNamesReadAsUnquoted();
    void detection_data();
    void detection();
    void corpus_data();
    void corpus();
    void corpusDetails();
    void badInput_data();
    void badInput();
    void longLines();
    void tooManySeries();
    void cutAnywhere_data();
    void cutAnywhere();
};

void TestPrometheusImporter::initTestCase()
{
    Fixture fixture;
    QVERIFY2(fixture.registry().byFormat(Format),
             qPrintable(fixture.registry().problems().join(QLatin1Char('\n'))));
}

void TestPrometheusImporter::samples_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("counter, undated")
        << QByteArray("# HELP http_requests_total Requests.\n"
                      "# TYPE http_requests_total counter\n"
                      "http_requests_total{method=\"post\",code=\"200\"} 1027\n"
                      "http_requests_total{code=\"400\",method=\"post\"} 3\n")
        << QStringLiteral("http_requests_total{\"code\":\"200\",\"method\":\"post\"}: "
                          "1027@1700000000000000000\n"
                          "http_requests_total{\"code\":\"400\",\"method\":\"post\"}: "
                          "3@1700000000000000000");
    QTest::newRow("gauge, milliseconds")
        << QByteArray("# TYPE room_celsius gauge\n"
                      "room_celsius{room=\"a\"} 21.5 1441205977284\n"
                      "room_celsius{room=\"a\"} -3e3 1441205978284\n")
        << QStringLiteral("room_celsius{\"room\":\"a\"}: 21.5@1441205977284000000, "
                          "-3000@1441205978284000000");
    QTest::newRow("label order is no identity")
        << QByteArray("m{b=\"2\",a=\"1\"} 1 1000\nm{a=\"1\",b=\"2\"} 2 2000\nm{a=\"1\"} 3 3000\n")
        << QStringLiteral("m{\"a\":\"1\",\"b\":\"2\"}: 1@1000000000, 2@2000000000\n"
                          "m{\"a\":\"1\"}: 3@3000000000");
    QTest::newRow("escapes")
        << QByteArray(R"(m{path="C:\\dir",quote="say \"hi\"",nl="a\nb",odd="\t"} 1 0)"
                      "\n")
        << QStringLiteral(R"(m{"nl":"a\nb","odd":"\\t","path":"C:\\dir","quote":"say \"hi\""}: 1@0)");
    QTest::newRow("infinities, NaN, -0")
        << QByteArray("a NaN 0\nb +Inf 0\nc -Inf 0\nd nan 0\ne 08 0\nf .5 0\ng{} 1e-3 0\nb 7 1\nh -0 0\n")
        << QStringLiteral("a{}: nan@0\nb{}: inf@0, 7@1000000\nc{}: -inf@0\nd{}: nan@0\ne{}: 8@0\nf{}: 0.5@0\n"
                          "g{}: 0.001@0\nh{}: -0@0");
    QTest::newRow("whitespace") << QByteArray("  name2 {\tlabelname = \"val1\" , }-Inf 7\r\nx 1\t\t2 \n")
                                << QStringLiteral(
                                       "name2{\"labelname\":\"val1\"}: -inf@7000000\nx{}: 1@2000000");
    QTest::newRow("histogram") << QByteArray("# TYPE rpc_seconds histogram\n"
                                             "rpc_seconds_bucket{le=\"0.1\"} 2 1000\n"
                                             "rpc_seconds_bucket{le=\"+Inf\"} 3 1000\n"
                                             "rpc_seconds_sum 0.45 1000\n"
                                             "rpc_seconds_count 3 1000\n")
                               << QStringLiteral("rpc_seconds_bucket{\"le\":\"0.1\"}: 2@1000000000\n"
                                                 "rpc_seconds_bucket{\"le\":\"+Inf\"}: 3@1000000000\n"
                                                 "rpc_seconds_sum{}: 0.45@1000000000\n"
                                                 "rpc_seconds_count{}: 3@1000000000");
    QTest::newRow("summary") << QByteArray("# TYPE gc_seconds summary\n"
                                           "gc_seconds{quantile=\"0.5\"} 0.01 5\n"
                                           "gc_seconds{quantile=\".99\"} 0.2 5\n"
                                           "gc_seconds_sum 4 5\n"
                                           "gc_seconds_count 100 5\n")
                             << QStringLiteral("gc_seconds{\"quantile\":\"0.5\"}: 0.01@5000000\n"
                                               "gc_seconds{\"quantile\":\".99\"}: 0.2@5000000\n"
                                               "gc_seconds_sum{}: 4@5000000\n"
                                               "gc_seconds_count{}: 100@5000000");
    QTest::newRow("OpenMetrics seconds, exactly")
        << QByteArray("# TYPE jobs counter\n"
                      "jobs_total 1 1700000000.123456789\n"
                      "jobs_total 2 1700000060\n"
                      "jobs_total 3 1.7e9\n"
                      "jobs_created 1699999999.5 1700000060\n"
                      "# EOF\n")
        << QStringLiteral("jobs_total{}: 3@1700000000000000000, "
                          "1@1700000000123456789, 2@1700000060000000000\n"
                          "jobs_created{}: 1699999999.5@1700000060000000000");
    QTest::newRow("OpenMetrics types and units")
        << QByteArray("# TYPE build info\n"
                      "build_info{version=\"1.2\"} 1 10\n"
                      "# TYPE door stateset\n"
                      "door{door=\"open\"} 1 10\n"
                      "door{door=\"shut\"} 0 10\n"
                      "# TYPE queue_bytes gaugehistogram\n"
                      "# UNIT queue_bytes bytes\n"
                      "queue_bytes_bucket{le=\"1024\"} 4 10\n"
                      "queue_bytes_gcount 4 10\n"
                      "queue_bytes_gsum 900 10\n"
                      "# TYPE temp_celsius unknown\n"
                      "# UNIT temp_celsius celsius\n"
                      "temp_celsius 20 10\n"
                      "# EOF")
        << QStringLiteral("build_info{\"version\":\"1.2\"}: 1@10000000000\n"
                          "door{\"door\":\"open\"}: 1@10000000000\n"
                          "door{\"door\":\"shut\"}: 0@10000000000\n"
                          "queue_bytes_bucket{\"le\":\"1024\"}: 4@10000000000\n"
                          "queue_bytes_gcount{}: 4@10000000000\n"
                          "queue_bytes_gsum{} [bytes]: 900@10000000000\n"
                          "temp_celsius{} [celsius]: 20@10000000000");
    QTest::newRow("exemplars")
        << QByteArray("# TYPE rpc_seconds histogram\n"
                      "# UNIT rpc_seconds seconds\n"
                      "rpc_seconds_bucket{le=\"0.5\"} 3 100 # {trace_id=\"4bf92f\",span_id=\"00f0\"} "
                      "0.43 99.5\n"
                      "rpc_seconds_bucket{le=\"+Inf\"} 4 100 # {trace_id=\"5c0a\",le=\"x\"} 7\n"
                      "rpc_seconds_sum 7.43 100\n"
                      "# EOF\n")
        << QStringLiteral("rpc_seconds_bucket{\"le\":\"0.5\"}: 3@100000000000\n"
                          "rpc_seconds_bucket:exemplar{\"le\":\"0.5\",\"span_id\":\"00f0\","
                          "\"trace_id\":\"4bf92f\"}: 0.43@99500000000\n"
                          "rpc_seconds_bucket{\"le\":\"+Inf\"}: 4@100000000000\n"
                          "rpc_seconds_bucket:exemplar{\"le\":\"x\",\"trace_id\":\"5c0a\"}: "
                          "7@100000000000\n"
                          "rpc_seconds_sum{} [seconds]: 7.43@100000000000");
    QTest::newRow("UTF-8 names, quoted (Prometheus 3)")
        << QByteArray("# HELP \"my.dotted.metric\" A metric with UTF-8 names.\n"
                      "# TYPE \"my.dotted.metric\" gauge\n"
                      "{\"my.dotted.metric\", \"error.message\"=\"Not Found\", label=\"x\"} 1 1000\n"
                      "{ \"my.dotted.metric\" } 2 1000\n"
                      "legacy_name{\"http.status\"=\"200\"} 3 1000\n"
                      "{\"caf\xc3\xa9 \\\"quoted\\\" \\\\ metric\",a=\"b\",} 4 1000\n")
        << QStringLiteral("my.dotted.metric{\"error.message\":\"Not Found\",\"label\":\"x\"}: 1@1000000000\n"
                          "my.dotted.metric{}: 2@1000000000\n"
                          "legacy_name{\"http.status\":\"200\"}: 3@1000000000\n"
                          "caf\u00e9 \"quoted\" \\ metric{\"a\":\"b\"}: 4@1000000000");
    QTest::newRow("summary named _total") << QByteArray("# TYPE events_total summary\n"
                                                        "events_total{quantile=\"0.5\"} 1 1\n"
                                                        "events_total_sum 2 1\n"
                                                        "events_total_count 3 1\n")
                                          << QStringLiteral("events_total{\"quantile\":\"0.5\"}: 1@1000000\n"
                                                            "events_total_sum{}: 2@1000000\n"
                                                            "events_total_count{}: 3@1000000");
}

void TestPrometheusImporter::samples()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(QStringLiteral("metrics.prom"), input, at(AtNs));
    QCOMPARE(summary.format, Format);
    QCOMPARE(renderSeries(fixture.store()), expected);
    QCOMPARE(summary.counts.samples, sampleLines(input));
}

void TestPrometheusImporter::familiesBecomeMetadata()
{
    Fixture fixture;
    fixture.importAs(QStringLiteral("metrics.om"), "# HELP rpc_seconds Time \\\\ per call,\\nby \"method\".\n"
                                                   "# TYPE rpc_seconds summary\n"
                                                   "# UNIT rpc_seconds seconds\n"
                                                   "# HELP idle_total Never sampled.\n"
                                                   "# TYPE idle counter\n"
                                                   "rpc_seconds_count 1 1\n"
                                                   "# EOF\n");
    const QJsonObject metadata = metadataOf(fixture);
    QCOMPARE(metadata.value(QLatin1String("exposition")).toString(), QStringLiteral("OpenMetrics 1.0"));
    const QJsonObject metrics = metadata.value(QLatin1String("metrics")).toObject();
    QCOMPARE(metrics.keys(), (QStringList{QStringLiteral("idle"), QStringLiteral("idle_total"),
                                          QStringLiteral("rpc_seconds")}));
    const QJsonObject rpc = metrics.value(QLatin1String("rpc_seconds")).toObject();
    QCOMPARE(rpc.value(QLatin1String("type")).toString(), QStringLiteral("summary"));
    QCOMPARE(rpc.value(QLatin1String("unit")).toString(), QStringLiteral("seconds"));
    QCOMPARE(rpc.value(QLatin1String("help")).toString(),
             QStringLiteral("Time \\ per call,\nby \"method\"."));
    QCOMPARE(metrics.value(QLatin1String("idle")).toObject().value(QLatin1String("type")).toString(),
             QStringLiteral("counter"));
    QVERIFY(!metrics.value(QLatin1String("idle_total")).toObject().contains(QLatin1String("type")));
    // A count is no time: the unit stays with the family's values.
    QCOMPARE(fixture.store().series().first().unit, QString());
}

void TestPrometheusImporter::undatedSamplesTakeTheFileTime()
{
    Fixture fixture;
    const QString path =
        fixture.write("up 1\nscrape_duration_seconds 0.2 1441205977284\n", QStringLiteral("a.prom"));
    const QDateTime modified = QDateTime::fromMSecsSinceEpoch(1'600'000'000'250, Qt::UTC);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(modified, QFileDevice::FileModificationTime));
    }
    const ImportSummary summary = fixture.import(path);
    QCOMPARE(renderSeries(fixture.store()),
             QStringLiteral("up{}: 1@1600000000250000000\n"
                            "scrape_duration_seconds{}: 0.2@1441205977284000000"));
    QCOMPARE(summary.warnings, QStringList{QStringLiteral("1 of 2 samples have no timestamp; they are dated "
                                                          "2020-09-13T12:26:40.250Z (from the file's "
                                                          "modification time).")});
}

void TestPrometheusImporter::undatedSamplesTakeAt()
{
    Fixture fixture;
    const ImportSummary summary =
        fixture.importAs(QStringLiteral("a.prom"), "up 1\ngo_threads 9\n", at(AtNs));
    QCOMPARE(summary.warnings, QStringList{QStringLiteral("The dump has no timestamps; its samples are dated "
                                                          "2023-11-14T22:13:20.000Z (from --at).")});
    for (const Series& series : fixture.store().series())
        QCOMPARE(fixture.store().samples(series.id).front().timeNs, AtNs);
}

void TestPrometheusImporter::openMetricsWithoutEofIsNamed()
{
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(QStringLiteral("cut.om"), "# TYPE a gauge\n"
                                                                             "# UNIT a bytes\n"
                                                                             "a 1 1000\n");
    QVERIFY(anyWarningContains(summary, "OpenMetrics (# UNIT on line 2) but does not end with \"# EOF\""));
    QCOMPARE(metadataOf(fixture).value(QLatin1String("exposition")).toString(),
             QStringLiteral("Prometheus text 0.0.4"));
    // Read as 0.0.4: milliseconds.
    QCOMPARE(fixture.store().samples(fixture.store().series().first().id).front().timeNs, 1'000'000'000);
}

void TestPrometheusImporter::dumpsAfterEofAreRead()
{
    Fixture fixture;
    const ImportSummary summary =
        fixture.importAs(QStringLiteral("two.om"), "a 1 1\n# EOF\na 2 2\n\n# TYPE b gauge\nb 3 3\n# EOF\n");
    QVERIFY(anyWarningContains(summary, "3 lines follow a \"# EOF\""));
    QCOMPARE(renderSeries(fixture.store()),
             QStringLiteral("a{}: 1@1000000000, 2@2000000000\nb{}: 3@3000000000"));
}

void TestPrometheusImporter::repeatedDeclarationsAreCounted()
{
    Fixture fixture;
    const ImportSummary summary = fixture.importAs(QStringLiteral("twice.prom"), "# HELP a One.\n"
                                                                                 "# TYPE a gauge\n"
                                                                                 "a 1 1\n"
                                                                                 "# HELP a Two.\n"
                                                                                 "# TYPE a gauge\n"
                                                                                 "a 2 2\n");
    QVERIFY(anyWarningContains(summary, "1 # TYPE lines declare a metric again"));
    QVERIFY(anyWarningContains(summary, "1 # HELP or # UNIT lines differ"));
    QCOMPARE(metadataOf(fixture)
                 .value(QLatin1String("metrics"))
                 .toObject()
                 .value(QLatin1String("a"))
                 .toObject()
                 .value(QLatin1String("help"))
                 .toString(),
             QStringLiteral("One."));
}

void TestPrometheusImporter::quotedNamesReadAsUnquoted_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("GPU exporter") << QStringLiteral("nvgpuexp_h100_load.prom");
    QTest::newRow("histogram") << QStringLiteral("nodeexporter_textfile_histogram_extra_dim.prom");
    QTest::newRow("OpenMetrics with exemplars")
        << QStringLiteral("prom_openmetrics_1histogram_many_series.om");
}

// A real exposition with every metric and label name written the Prometheus 3 way, quoted
// ({"name", "label"="value"}), imports as the original does.
void TestPrometheusImporter::quotedNamesReadAsUnquoted()
{
    QFETCH(QString, file);
    const QString original =
        QString::fromUtf8(fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/prometheus/") + file));
    QVERIFY(!original.isEmpty());
    QString quoted = original;
    quoted.replace(
        QRegularExpression(QStringLiteral("^# (HELP|TYPE|UNIT) (\\S+)"), QRegularExpression::MultilineOption),
        QStringLiteral("# \\1 \"\\2\""));
    // Label names follow a '{' or the closing quote of the previous value and its comma.
    quoted.replace(QRegularExpression(QStringLiteral("(\\{|\",)\\s*([a-zA-Z_]\\w*)=")),
                   QStringLiteral("\\1\"\\2\"="));
    quoted.replace(
        QRegularExpression(QStringLiteral("^([a-zA-Z_:][\\w:]*)\\{"), QRegularExpression::MultilineOption),
        QStringLiteral("{\"\\1\", "));
    quoted.replace(
        QRegularExpression(QStringLiteral("^([a-zA-Z_:][\\w:]*) "), QRegularExpression::MultilineOption),
        QStringLiteral("{\"\\1\"} "));
    QVERIFY(quoted.count(QLatin1Char('"')) > original.count(QLatin1Char('"')));

    Fixture plain;
    const ImportSummary expected = plain.importAs(file, original.toUtf8(), at(AtNs));
    Fixture utf8;
    const ImportSummary summary = utf8.importAs(file, quoted.toUtf8(), at(AtNs));
    QCOMPARE(summary.counts.samples, expected.counts.samples);
    QVERIFY(summary.counts.samples > 0);
    QCOMPARE(renderSeries(utf8.store()), renderSeries(plain.store()));
    QCOMPARE(summary.warnings, expected.warnings);
}

void TestPrometheusImporter::detection_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("least");
    QTest::addColumn<int>("most");

    QTest::newRow("HELP and TYPE") << QByteArray("# HELP a b\n# TYPE a gauge\na 1\n") << 90 << 100;
    QTest::newRow("labelled samples") << QByteArray("a{b=\"c\"} 1\nd{e=\"f\",g=\"h\"} 2 3\n") << 90 << 100;
    QTest::newRow("broken but labelled") << QByteArray("metric{label=\"bla\"} blubb\n") << 50 << 70;
    QTest::newRow("broken declaration") << QByteArray("# TYPE 9lives gauge\n") << 50 << 70;
    QTest::newRow("quoted names") << QByteArray("{\"a.b\", \"c.d\"=\"e\"} 1\n") << 90 << 100;
    QTest::newRow("quoted name, broken") << QByteArray("{\"a.b\", c=\"e\"} blubb\n") << 50 << 70;
    QTest::newRow("bare samples") << QByteArray("up 1\nother 2\n") << 20 << 40;
    QTest::newRow("folded stacks") << QByteArray("main;run;work 12\nmain;idle 3\n") << 0 << 0;
    QTest::newRow("folded, one frame") << QByteArray("main;run 12\nmain 3\n") << 0 << 0;
    QTest::newRow("CSV") << QByteArray(
                                "timestamp, name, utilization.gpu [%]\n2024/01/01 00:00:00.000, H100, 87 %\n")
                         << 0 << 0;
    QTest::newRow("nvidia-smi dmon") << QByteArray("# gpu    pwr  gtemp  mtemp     sm    mem\n"
                                                   "# Idx      W      C      C      %      %\n"
                                                   "    0     72     40     47      0      0\n")
                                     << 0 << 0;
    QTest::newRow("JSON") << QByteArray("{\"resourceSpans\":[]}\n") << 0 << 0;
    QTest::newRow("comments only") << QByteArray("# just a note\n\n") << 0 << 0;
}

void TestPrometheusImporter::detection()
{
    QFETCH(QByteArray, head);
    QFETCH(int, least);
    QFETCH(int, most);
    Fixture fixture;
    const int score = fixture.registry().byFormat(Format)->detect(
        std::string_view(head.constData(), size_t(head.size())), QStringLiteral("input.txt"));
    QVERIFY2(score >= least && score <= most, qPrintable(QString::number(score)));
}

void TestPrometheusImporter::corpus_data()
{
    QVERIFY(addCorpusRows("prometheus/") > 20);
}

void TestPrometheusImporter::corpus()
{
    QFETCH(QString, path);
    QFETCH(QString, expect);
    const std::optional<ImportSummary> summary = importCorpusFile(path, expect, Format, at(AtNs));
    if (summary)
        QCOMPARE(summary->counts.samples, sampleLines(fileBytes(path)));
    // Each file is read by this importer when detected, not only when named.
    Fixture fixture;
    const QByteArray head = fileBytes(path).left(4096);
    const Importer* detected = fixture.registry().detect(
        std::string_view(head.constData(), size_t(head.size())), QFileInfo(path).fileName());
    QVERIFY(detected);
    QCOMPARE(detected->format(), Format);
}

void TestPrometheusImporter::corpusDetails()
{
    const QString folder = QStringLiteral(LUNDI_CORPUS_DIR "/prometheus/");
    {
        // promtool's OpenMetrics dump: two series over time, seconds with milliseconds.
        Fixture fixture;
        fixture.import(folder + QStringLiteral("prom_promtool_dump_openmetrics_timestamps.om"));
        QCOMPARE(
            renderSeries(fixture.store()),
            QStringLiteral("my_counter{\"baz\":\"abc\",\"foo\":\"bar\"}: 1@0, 2@60000000000, 3@120000000000, "
                           "4@180000000000, 5@240000000000\n"
                           "my_gauge{\"abc\":\"baz\",\"bar\":\"foo\"}: 9@0, 8@60000000000, 0@120000000000, "
                           "4@180000000000, 7@240000000000"));
    }
    {
        Fixture fixture;
        fixture.import(folder + QStringLiteral("promcommon_fuzz_ok_whitespace_escapes_nan_inf.prom"),
                       at(AtNs));
        QCOMPARE(renderSeries(fixture.store()),
                 QStringLiteral(
                     "name{\"basename\":\"basevalue\",\"labelname\":\"val1\"}: nan@1700000000000000000\n"
                     "name{\"basename\":\"base\\\"v\\\\al\\nue\",\"labelname\":\"val2\"}: "
                     "0.23@1234567890000000\n"
                     "name2{\"basename\":\"basevalue2\",\"labelname\":\"val2\"}: inf@54321000000\n"
                     "name2{\"labelname\":\"val1\"}: -inf@1700000000000000000"));
        const QJsonObject name = metadataOf(fixture)
                                     .value(QLatin1String("metrics"))
                                     .toObject()
                                     .value(QLatin1String("name"))
                                     .toObject();
        QCOMPARE(name.value(QLatin1String("help")).toString(), QStringLiteral("two-line\n doc  str\\ing"));
    }
    {
        // Every family the node_exporter declares is kept, also those without samples (go_*),
        // counted here with a regular expression over the file.
        const QString path = folder + QStringLiteral("nodeexporter_e2e_output_linux.prom");
        QSet<QString> declared;
        QSet<QString> sampled;
        const QRegularExpression declaration(QStringLiteral("^# (?:HELP|TYPE) (\\S+)"));
        const QRegularExpression sample(QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*\\})? "));
        for (const QByteArray& line : fileBytes(path).split('\n')) {
            const QString text = QString::fromUtf8(line);
            if (const auto match = declaration.match(text); match.hasMatch())
                declared.insert(match.captured(1));
            else if (const auto match = sample.match(text); match.hasMatch())
                sampled.insert(match.captured(1) + match.captured(2));
        }
        Fixture fixture;
        const ImportSummary summary = fixture.import(path, at(AtNs));
        QCOMPARE(metadataOf(fixture).value(QLatin1String("metrics")).toObject().size(), declared.size());
        QCOMPARE(summary.counts.series, qint64(sampled.size()));
    }
}

void TestPrometheusImporter::badInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("problem");

    QTest::newRow("value not a number")
        << QByteArray("ok 1\nmetric{label=\"bla\"} blubb\n") << QStringLiteral("line 2, column 21")
        << QStringLiteral("the sample value \"blubb\" is not a number");
    QTest::newRow("fraction of a millisecond")
        << QByteArray("metric{label=\"bla\"} 3.14 2.72\n") << QStringLiteral("line 1, column 26")
        << QStringLiteral("not a whole number of milliseconds");
    QTest::newRow("1e300 ms") << QByteArray("m 1 1e300\n") << QStringLiteral("line 1, column 5")
                              << QStringLiteral("not a whole number of milliseconds");
    QTest::newRow("ms after 2262") << QByteArray("m 1 99999999999999999\n")
                                   << QStringLiteral("line 1, column 5") << QStringLiteral("out of range");
    QTest::newRow("1e300 s") << QByteArray("m 1 1e300\n# EOF\n") << QStringLiteral("line 1, column 5")
                             << QStringLiteral("out of range");
    QTest::newRow("NaN s") << QByteArray("m 1 NaN\n# EOF\n") << QStringLiteral("line 1, column 5")
                           << QStringLiteral("out of range");
    QTest::newRow("value out of double")
        << QByteArray("m 1e400\n") << QStringLiteral("line 1, column 3") << QStringLiteral("is not a number");
    QTest::newRow("two types") << QByteArray("\n# TYPE metric counter\n# TYPE metric untyped\n")
                               << QStringLiteral("line 3, column 1")
                               << QStringLiteral("declared a second time, as \"untyped\" after \"counter\"");
    QTest::newRow("unknown type") << QByteArray("# TYPE m timer\n") << QStringLiteral("line 1, column 1")
                                  << QStringLiteral("the type timer");
    QTest::newRow("TYPE without type")
        << QByteArray("# TYPE m\n") << QStringLiteral("line 1, column 9") << QStringLiteral("names no type");
    QTest::newRow("le not a number") << QByteArray(
                                            "# TYPE metric histogram\nmetric_bucket{le=\"bla\"} 3.14\n")
                                     << QStringLiteral("line 2, column 19")
                                     << QStringLiteral("le=\"bla\", which is not a number");
    QTest::newRow("bucket without le")
        << QByteArray("# TYPE h histogram\nh_bucket{a=\"1\"} 3\n") << QStringLiteral("line 2, column 1")
        << QStringLiteral("has no \"le\" label");
    QTest::newRow("quantile not a number")
        << QByteArray("# TYPE s summary\ns{quantile=\"high\"} 3\n") << QStringLiteral("line 2, column 13")
        << QStringLiteral("quantile=\"high\", which is not a number");
    QTest::newRow("__name__") << QByteArray("metric{__name__=\"bla\"} 3.14")
                              << QStringLiteral("line 1, column 8") << QStringLiteral("__name__ is reserved");
    QTest::newRow("label name") << QByteArray("m{1a=\"x\"} 1\n") << QStringLiteral("line 1, column 3")
                                << QStringLiteral("expected a label name");
    QTest::newRow("label twice") << QByteArray("m{a=\"x\",b=\"y\",a=\"z\"} 1\n")
                                 << QStringLiteral("line 1, column 15")
                                 << QStringLiteral("\"a\" is given twice");
    QTest::newRow("newline in label")
        << QByteArray("\nmetric{label=\"new\nline\"} 3.14\n") << QStringLiteral("line 2, column 14")
        << QStringLiteral("is not closed");
    QTest::newRow("unquoted label value") << QByteArray("m{a=1} 2\n") << QStringLiteral("line 1, column 5")
                                          << QStringLiteral("must be in double quotes");
    QTest::newRow("label value not UTF-8")
        << QByteArray("m{a=\"\xff\xfe\"} 2\n") << QStringLiteral("line 1, column 6")
        << QStringLiteral("not valid UTF-8");
    QTest::newRow("HELP not UTF-8") << QByteArray("# HELP m \xc3\x28\n") << QStringLiteral("line 1, column 1")
                                    << QStringLiteral("not valid UTF-8");
    QTest::newRow("cut in a label") << QByteArray("m{a=\"x\"} 1\nm{a=\"y")
                                    << QStringLiteral("line 2, column 5") << QStringLiteral("is not closed");
    QTest::newRow("cut before the value")
        << QByteArray("m{a=\"x\"}") << QStringLiteral("line 1, column 9") << QStringLiteral("has no value");
    QTest::newRow("cut in a label set") << QByteArray("m{a=\"x\",") << QStringLiteral("line 1, column 9")
                                        << QStringLiteral("not closed with '}'");
    QTest::newRow("starts with a brace") << QByteArray("{a=\"x\"} 1\n") << QStringLiteral("line 1, column 1")
                                         << QStringLiteral("the sample has no metric name");
    QTest::newRow("JSON") << QByteArray("m 1\n{\"a\": 1}\n") << QStringLiteral("line 2, column 5")
                          << QStringLiteral("expected ',' or '}' after the metric name \"a\"");
    QTest::newRow("quoted metric name twice")
        << QByteArray("{\"a.b\", \"c.d\"} 1\n") << QStringLiteral("line 1, column 9")
        << QStringLiteral("a quoted metric name comes first in the braces and only there");
    QTest::newRow("quoted metric name after a label")
        << QByteArray("{x=\"1\", \"a.b\"} 1\n") << QStringLiteral("line 1, column 9")
        << QStringLiteral("a quoted metric name comes first");
    QTest::newRow("quoted name not closed")
        << QByteArray("m{\"a.b=1} 2\n") << QStringLiteral("line 1, column 3")
        << QStringLiteral("the quoted name \"\"a.b=1}\" is not closed");
    QTest::newRow("quoted name empty") << QByteArray("{\"\"} 1\n") << QStringLiteral("line 1, column 2")
                                       << QStringLiteral("a quoted name is empty");
    QTest::newRow("quoted name not UTF-8")
        << QByteArray("{\"a\xff\"} 1\n") << QStringLiteral("line 1, column 2")
        << QStringLiteral("is not valid UTF-8");
    QTest::newRow("quoted label name without value")
        << QByteArray("m{\"a.b\"=} 1\n") << QStringLiteral("line 1, column 9")
        << QStringLiteral("the value of label \"a.b\" must be in double quotes");
    QTest::newRow("quoted name in TYPE, no blank after")
        << QByteArray("# TYPE \"a.b\"gauge\n") << QStringLiteral("line 1, column 13")
        << QStringLiteral("expected a blank after the quoted name");
    QTest::newRow("text after timestamp") << QByteArray("m 1 2 3\n") << QStringLiteral("line 1, column 7")
                                          << QStringLiteral("after the timestamp");
    QTest::newRow("exemplar without braces")
        << QByteArray("m 1 # trace 2\n# EOF\n") << QStringLiteral("line 1, column 7")
        << QStringLiteral("an exemplar starts with");
    QTest::newRow("exemplar text after")
        << QByteArray("m 1 # {a=\"b\"} 2 3 4\n# EOF\n") << QStringLiteral("line 1, column 19")
        << QStringLiteral("after the exemplar");
    QTest::newRow("bad name in TYPE")
        << QByteArray("# TYPE 9lives gauge\n") << QStringLiteral("line 1, column 8")
        << QStringLiteral("names no valid metric");
}

void TestPrometheusImporter::badInput()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, where);
    QFETCH(QString, problem);
    Fixture fixture;
    fixture.store();
    const QByteArray before = fileBytes(fixture.dbPath());
    // Named, as a file of one broken line is no clear exposition to detection.
    ImportOptions options = at(AtNs);
    options.format = Format;
    try {
        fixture.importAs(QStringLiteral("bad.prom"), input, options);
        QFAIL("imported");
    } catch (const ImportError& error) {
        QVERIFY2(error.sentence().startsWith(QStringLiteral("bad.prom: ") + where),
                 qPrintable(error.sentence()));
        QVERIFY2(error.sentence().contains(problem), qPrintable(error.sentence()));
    }
    QCOMPARE(fileBytes(fixture.dbPath()), before);
}

void TestPrometheusImporter::longLines()
{
    // A 50 MB line, and ten million labels on one line: refused at the line's start, after the
    // lines before it were read.
    const QByteArray start = "ok 1\n";
    const QByteArray lines[] = {QByteArray("m{a=\"") + QByteArray(50'000'000, 'x') + "\"} 1\n",
                                QByteArray("m{") + QByteArray("a=\"\",").repeated(10'000'000) + "} 1\n"};
    for (const QByteArray& line : lines) {
        Fixture fixture;
        try {
            fixture.importAs(QStringLiteral("long.prom"), start + line, at(AtNs));
            QFAIL("imported");
        } catch (const ImportError& error) {
            QVERIFY2(error.sentence().startsWith(QLatin1String("long.prom: line 2, column 1")),
                     qPrintable(error.sentence()));
            QVERIFY2(error.sentence().contains(QLatin1String("at most 1 MiB")), qPrintable(error.sentence()));
        }
    }
    // Just under the limit is read.
    Fixture fixture;
    const QByteArray value((1 << 20) - 16, 'v'); // the importer's limit is 1 MiB
    fixture.importAs(QStringLiteral("long.prom"), "m{a=\"" + value + "\"} 1\n", at(AtNs));
    QCOMPARE(fixture.store().series().first().labelsJson, "{\"a\":\"" + value + "\"}");
}

void TestPrometheusImporter::tooManySeries()
{
    // Ten million distinct series would hold gigabytes: past two million, a sentence says why.
    QByteArray content;
    content.reserve(40'000'000);
    for (int i = 0; i <= 2'000'000; ++i)
        content += "m{i=\"" + QByteArray::number(i) + "\"} 1\n";
    Fixture fixture;
    try {
        fixture.importAs(QStringLiteral("many.prom"), content, at(AtNs));
        QFAIL("imported");
    } catch (const ImportError& error) {
        QVERIFY2(error.sentence().startsWith(QLatin1String("many.prom: line 2000001, column 1")),
                 qPrintable(error.sentence()));
        QVERIFY2(error.sentence().contains(QLatin1String("more than 2000000 distinct series")),
                 qPrintable(error.sentence()));
    }
}

void TestPrometheusImporter::cutAnywhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("0.0.4") << QStringLiteral("promcommon_fuzz_ok_summary_edgecases.prom");
    QTest::newRow("OpenMetrics") << QStringLiteral("prom_openmetrics_1histogram_many_series.om");
}

// Cut at any byte, a file either imports or is refused with a sentence that names it, leaving
// the incident as it was; never a crash or a half-written import.
void TestPrometheusImporter::cutAnywhere()
{
    QFETCH(QString, file);
    const QByteArray original = fileBytes(QStringLiteral(LUNDI_CORPUS_DIR "/prometheus/") + file);
    QVERIFY(!original.isEmpty());
    constexpr int Cuts = 150;
    int refused = 0;
    int imported = 0;
    for (const QByteArray& content : cutAndDamaged(original, Cuts, "x").first(Cuts)) {
        if (const auto summary = importOrRefuse(QStringLiteral("cut.prom"), content, at(AtNs))) {
            QCOMPARE(summary->counts.samples, sampleLines(content));
            ++imported;
        } else {
            ++refused;
        }
    }
    QVERIFY(imported > 0);
    QVERIFY(refused > 0);
}

QTEST_GUILESS_MAIN(TestPrometheusImporter)
#include "tst_prometheusimporter.moc"
