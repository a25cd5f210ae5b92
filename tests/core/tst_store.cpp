// The incident store: what goes in comes back out, schema versions, refusal of files it cannot
// read, and the promise that a failed or cancelled import leaves the file exactly as it was.

#include "classifier.h"
#include "ingest/importcontrol.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "ingest/ingestor.h"
#include "ingest/sink.h"
#include "store/bulkwriter.h"
#include "store/sampleblock.h"
#include "store/schema.h"
#include "store/statement.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

using namespace lundi;

namespace {

constexpr qint64 T0 = 1'700'000'000'000'000'000; // 2023-11-14, in ns
constexpr std::string_view TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

// The ids the round-trip generator handed out, to compare with what the store gives back.
struct Written
{
    StringId request = 0, auth = 0, kernel = 0, kernelCat = 0, flowName = 0;
    TrackId gateway = 0, gpu = 0;
    SpanId root = 0, child = 0, launch = 0;
    SeriesId utilization = 0;
};

// A small incident that touches every table: two tracks, a parent and child span with trace
// id, status and attributes, a GPU kernel linked by a flow, a series with two samples.
void writeIncident(Sink& sink, Written* written = nullptr)
{
    Written w;
    w.request = sink.intern("POST /v1/chat");
    w.auth = sink.intern("auth.check");
    w.kernel = sink.intern("ampere_sgemm_128x64_tn");
    w.kernelCat = sink.intern("kernel");
    w.flowName = sink.intern("ac2g");
    w.gateway = sink.addTrack({TrackKind::Thread, QStringLiteral("gateway worker"), QStringLiteral("gateway"),
                               QStringLiteral("worker 2"), 3});
    w.gpu = sink.addTrack({TrackKind::Gpu, QStringLiteral("GPU 0 stream 7"), QStringLiteral("python"),
                           QStringLiteral("stream 7"), 1});

    SpanSpec root;
    root.track = w.gateway;
    root.name = w.request;
    root.startNs = T0;
    root.durNs = 5'000'000;
    root.status = SpanStatus::Ok;
    root.traceId = TraceId;
    root.attributesJson = R"({"http.method":"POST","span.kind":"server"})";
    w.root = sink.addSpan(root);

    SpanSpec child;
    child.track = w.gateway;
    child.parent = w.root;
    child.name = w.auth;
    child.startNs = T0 + 1'000;
    child.durNs = 2'000;
    child.status = SpanStatus::Error;
    child.traceId = TraceId;
    w.child = sink.addSpan(child);

    SpanSpec kernel;
    kernel.track = w.gpu;
    kernel.name = w.kernel;
    kernel.cat = w.kernelCat;
    kernel.startNs = T0 + 3'000;
    kernel.durNs = 1'000'000;
    w.launch = sink.addSpan(kernel);
    sink.addFlow(w.root, w.launch, w.flowName);

    SeriesSpec utilization;
    utilization.name = QStringLiteral("gpu.utilization");
    utilization.labelsJson = R"({"gpu":"0"})";
    utilization.unit = QStringLiteral("percent");
    utilization.track = w.gpu;
    w.utilization = sink.addSeries(utilization);
    sink.addSample(w.utilization, T0 - 1'000'000'000, 12.5);
    sink.addSample(w.utilization, T0 + 10'000'000'000, 97.25);

    sink.warn(QStringLiteral("one odd thing"));
    sink.setMetadata(R"({"tool":"tst_store"})");
    if (written)
        *written = w;
}

// Writes a lot more than writeIncident (new strings, tracks, spans with attributes, flows,
// samples), so that a rollback has real work to undo.
void writeMany(Sink& sink, int spans, const std::function<void(int)>& each = {})
{
    const TrackId track = sink.addTrack({TrackKind::Thread, QStringLiteral("doomed"), {}, {}, 0});
    const SeriesId series = sink.addSeries({QStringLiteral("doomed.series"), "{}", QStringLiteral("s"), 0});
    SpanId previous = 0;
    for (int i = 0; i < spans; ++i) {
        const std::string name = "doomed span " + std::to_string(i);
        SpanSpec span;
        span.track = track;
        span.parent = i % 10 ? previous : 0;
        span.name = sink.intern(name);
        span.startNs = T0 + i * 100;
        span.durNs = 50;
        span.attributesJson = R"({"db.system":"sqlite"})";
        const SpanId id = sink.addSpan(span);
        if (previous)
            sink.addFlow(previous, id, 0);
        sink.addSample(series, T0 + i, double(i));
        previous = id;
        if (each)
            each(i);
    }
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// What `sqlite3 F .dump` shows, read through the C API so the test needs no sqlite3 binary:
// the schema version, every schema object, and every row of every table in rowid order.
QString dump(const QString& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return QStringLiteral("cannot open");
    }
    QString out;
    const auto query = [&](const QString& sql, const std::function<void(sqlite3_stmt*)>& row) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            out += QStringLiteral("error: ") + QString::fromUtf8(sqlite3_errmsg(db)) + QLatin1Char('\n');
            return;
        }
        while (sqlite3_step(stmt) == SQLITE_ROW)
            row(stmt);
        sqlite3_finalize(stmt);
    };
    const auto value = [](sqlite3_stmt* stmt, int column) -> QString {
        switch (sqlite3_column_type(stmt, column)) {
        case SQLITE_NULL:
            return QStringLiteral("NULL");
        case SQLITE_INTEGER:
            return QString::number(sqlite3_column_int64(stmt, column));
        case SQLITE_FLOAT:
            return QString::number(sqlite3_column_double(stmt, column), 'g', 17);
        default:
            return QLatin1Char('\'') +
                   QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)),
                                     sqlite3_column_bytes(stmt, column)) +
                   QLatin1Char('\'');
        }
    };
    query(QStringLiteral("PRAGMA user_version"), [&](sqlite3_stmt* stmt) {
        out += QStringLiteral("user_version ") + value(stmt, 0) + QLatin1Char('\n');
    });
    QStringList tables;
    query(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"),
          [&](sqlite3_stmt* stmt) {
              for (int c = 0; c < 4; ++c)
                  out += value(stmt, c) + QLatin1Char('|');
              out += QLatin1Char('\n');
              if (value(stmt, 0) == QLatin1String("'table'"))
                  tables.append(value(stmt, 1).mid(1).chopped(1));
          });
    for (const QString& table : tables) {
        out += QStringLiteral("-- ") + table + QLatin1Char('\n');
        query(QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid").arg(table), [&](sqlite3_stmt* stmt) {
            for (int c = 0; c < sqlite3_column_count(stmt); ++c)
                out += value(stmt, c) + QLatin1Char('|');
            out += QLatin1Char('\n');
        });
    }
    sqlite3_close(db);
    return out;
}

int userVersion(const QString& path)
{
    sqlite3* db = nullptr;
    int version = -1;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW)
            version = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return version;
}

QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// One sample as an import adds it: to which of a row's series, when, what.
struct Added
{
    int series;
    qint64 timeNs;
    double value;
};
using Additions = std::vector<Added>;

// What Store::samples() must answer, by series, worked out apart from the store: each series'
// samples in the order added, sorted by time, ties keeping that order, moved by the offset
// (wrapping at the ends of int64, as the store does, rather than overflowing).
std::vector<std::vector<Sample>> expectedSamples(const Additions& added, int seriesCount, qint64 offsetNs)
{
    std::vector<std::vector<Sample>> samples(static_cast<size_t>(seriesCount));
    for (const Added& sample : added)
        samples[size_t(sample.series)].push_back(
            {qint64(quint64(sample.timeNs) + quint64(offsetNs)), sample.value});
    for (std::vector<Sample>& series : samples)
        std::stable_sort(series.begin(), series.end(),
                         [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
    return samples;
}

// Samples equal to the bit: NaN payloads and -0 included. Empty when they are, else the first difference.
QString sampleDifference(const std::vector<Sample>& actual, const std::vector<Sample>& expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 samples, expected %2").arg(actual.size()).arg(expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
        if (actual[i].timeNs != expected[i].timeNs ||
            std::bit_cast<quint64>(actual[i].value) != std::bit_cast<quint64>(expected[i].value))
            return QStringLiteral("sample %1 is %2 at %3, expected %4 at %5")
                .arg(i)
                .arg(actual[i].value)
                .arg(actual[i].timeNs)
                .arg(expected[i].value)
                .arg(expected[i].timeNs);
    }
    return {};
}

// Every row the `samples` virtual table gives for a query, as (series, time, value bits), sorted.
std::vector<std::tuple<qint64, qint64, quint64>> sampleTableRows(Store& store, std::string_view sql,
                                                                 qint64 series = 0)
{
    std::vector<std::tuple<qint64, qint64, quint64>> rows;
    Statement query(store.connection(), sql);
    if (series)
        query.bind(1, series);
    while (query.step())
        rows.emplace_back(query.int64(0), query.int64(1),
                          query.isNull(2) ? quint64(0xdead) : std::bit_cast<quint64>(query.real(2)));
    std::sort(rows.begin(), rows.end());
    return rows;
}

// How a doomed import ends.
enum class Failure { ImportErrorHalfWay, CancelledThrown, CancelledByControl, Duplicate, OtherException };

} // namespace

Q_DECLARE_METATYPE(Failure)
Q_DECLARE_METATYPE(Additions)

class TestStore : public QObject
{
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    int m_files = 0;
    const ImporterRegistry m_registry{QStringList()};
    const Classifier m_classifier =
        Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in classification rules"));

    QString newPath() { return m_dir.filePath(QStringLiteral("incident-%1.lundi").arg(++m_files)); }

    ImportSummary importIncident(Store& store, const QByteArray& identity, const ImportOptions& options = {},
                                 Written* written = nullptr)
    {
        Ingestor ingestor(store, m_registry, m_classifier);
        return ingestor.importGenerated(QStringLiteral("test-format"),
                                        QStringLiteral("generated:") + QString::fromLatin1(identity),
                                        identity, options, [&](Sink& sink) { writeIncident(sink, written); });
    }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTrip()
    {
        constexpr qint64 Offset = -250;
        const QString path = newPath();
        const qint64 before = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
        Written w;
        {
            Store store(path);
            ImportOptions options;
            options.clockOffsetNs = Offset;
            const ImportSummary summary = importIncident(store, "round trip", options, &w);
            QCOMPARE(summary.source, SourceId(1));
            QCOMPARE(summary.format, QStringLiteral("test-format"));
            QCOMPARE(summary.path, QStringLiteral("generated:round trip"));
            QCOMPARE(summary.counts.tracks, 2);
            QCOMPARE(summary.counts.spans, 3);
            QCOMPARE(summary.counts.flows, 1);
            QCOMPARE(summary.counts.series, 1);
            QCOMPARE(summary.counts.samples, 2);
            QCOMPARE(summary.warnings, QStringList{QStringLiteral("one odd thing")});
        }
        const qint64 after = QDateTime::currentMSecsSinceEpoch() * 1'000'000;

        // Everything below comes from a fresh connection to the reopened file.
        Store store(path);
        const IncidentCounts counts = store.counts();
        QCOMPARE(counts.sources, 1);
        QCOMPARE(counts.tracks, 2);
        QCOMPARE(counts.spans, 3);
        QCOMPARE(counts.flows, 1);
        QCOMPARE(counts.series, 1);
        QCOMPARE(counts.samples, 2);

        const QList<Source> sources = store.sources();
        QCOMPARE(sources.size(), 1);
        const Source& source = sources.front();
        QCOMPARE(source.id, SourceId(1));
        QCOMPARE(source.format, QStringLiteral("test-format"));
        QCOMPARE(source.origin, QStringLiteral("generated:round trip"));
        QCOMPARE(source.sha256, sha256Hex("round trip"));
        QVERIFY2(source.importedAtNs >= before && source.importedAtNs <= after,
                 qPrintable(QString::number(source.importedAtNs)));
        QCOMPARE(source.clockOffsetNs, Offset);
        QCOMPARE(source.warnings, QStringList{QStringLiteral("one odd thing")});
        QCOMPARE(source.metadataJson, QByteArray(R"({"tool":"tst_store"})"));
        QCOMPARE(source.spanCount, 3);
        QCOMPARE(source.sampleCount, 2);

        // Ordered by sort index: the GPU track (1) before the gateway (3).
        const QList<Track> tracks = store.tracks();
        QCOMPARE(tracks.size(), 2);
        QCOMPARE(tracks[0].id, w.gpu);
        QCOMPARE(tracks[0].source, SourceId(1));
        QCOMPARE(tracks[0].kind, TrackKind::Gpu);
        QCOMPARE(tracks[0].name, QStringLiteral("GPU 0 stream 7"));
        QCOMPARE(tracks[0].process, QStringLiteral("python"));
        QCOMPARE(tracks[0].thread, QStringLiteral("stream 7"));
        QCOMPARE(tracks[0].sortIndex, 1);
        QCOMPARE(tracks[1].id, w.gateway);
        QCOMPARE(tracks[1].kind, TrackKind::Thread);
        QCOMPARE(tracks[1].name, QStringLiteral("gateway worker"));
        QCOMPARE(tracks[1].process, QStringLiteral("gateway"));
        QCOMPARE(tracks[1].thread, QStringLiteral("worker 2"));
        QCOMPARE(tracks[1].sortIndex, 3);

        const std::vector<SpanRecord> spans = store.spanRecords();
        QCOMPARE(spans.size(), size_t(3));
        const auto check = [&](const SpanRecord& span, SpanId id, SpanId parent, TrackId track, StringId name,
                               Category category, qint64 start, qint64 dur) {
            QCOMPARE(span.id, id);
            QCOMPARE(span.parent, parent);
            QCOMPARE(span.track, track);
            QCOMPARE(span.name, name);
            QCOMPARE(span.category, category);
            QCOMPARE(span.startNs, start);
            QCOMPARE(span.durNs, dur);
        };
        // The typed queries add the source's clock offset; the rows below keep the times as read.
        check(spans[0], w.root, 0, w.gateway, w.request, Category::Api, T0 + Offset, 5'000'000);
        if (QTest::currentTestFailed())
            return;
        check(spans[1], w.child, w.root, w.gateway, w.auth, Category::Compliance, T0 + 1'000 + Offset, 2'000);
        if (QTest::currentTestFailed())
            return;
        check(spans[2], w.launch, 0, w.gpu, w.kernel, Category::Gpu, T0 + 3'000 + Offset, 1'000'000);
        if (QTest::currentTestFailed())
            return;

        const std::vector<QString> strings = store.strings();
        QCOMPARE(strings.size(), size_t(6));
        QCOMPARE(strings[0], QString());
        QCOMPARE(strings[size_t(w.request)], QStringLiteral("POST /v1/chat"));
        QCOMPARE(strings[size_t(w.auth)], QStringLiteral("auth.check"));
        QCOMPARE(strings[size_t(w.kernel)], QStringLiteral("ampere_sgemm_128x64_tn"));
        QCOMPARE(strings[size_t(w.kernelCat)], QStringLiteral("kernel"));
        QCOMPARE(strings[size_t(w.flowName)], QStringLiteral("ac2g"));

        // The earliest sample is a second before the first span; the last one ten seconds after.
        const TimeRange range = store.timeRange();
        QCOMPARE(range.startNs, T0 - 1'000'000'000 + Offset);
        QCOMPARE(range.endNs, T0 + 10'000'000'000 + Offset);

        // What the typed queries do not expose yet, straight from the tables.
        Statement spanRows(store.connection(),
                           "SELECT id, cat_id, depth, status, trace_id, attributes FROM spans ORDER BY id");
        QVERIFY(spanRows.step());
        QCOMPARE(spanRows.isNull(1), true);
        QCOMPARE(spanRows.int64(2), 0);
        QCOMPARE(spanRows.int64(3), qint64(SpanStatus::Ok));
        QCOMPARE(spanRows.text(4), QString::fromLatin1(TraceId));
        QCOMPARE(spanRows.text(5), QStringLiteral(R"({"http.method":"POST","span.kind":"server"})"));
        QVERIFY(spanRows.step());
        QCOMPARE(spanRows.int64(2), 1);
        QCOMPARE(spanRows.int64(3), qint64(SpanStatus::Error));
        QCOMPARE(spanRows.text(4), QString::fromLatin1(TraceId));
        QVERIFY(spanRows.isNull(5));
        QVERIFY(spanRows.step());
        QCOMPARE(spanRows.int64(1), w.kernelCat);
        QCOMPARE(spanRows.int64(2), 0);
        QCOMPARE(spanRows.int64(3), qint64(SpanStatus::Unset));
        QVERIFY(spanRows.isNull(4));
        QVERIFY(spanRows.isNull(5));
        QVERIFY(!spanRows.step());

        Statement flowRows(store.connection(), "SELECT source_id, from_span, to_span, name_id FROM flows");
        QVERIFY(flowRows.step());
        QCOMPARE(flowRows.int64(0), 1);
        QCOMPARE(flowRows.int64(1), w.root);
        QCOMPARE(flowRows.int64(2), w.launch);
        QCOMPARE(flowRows.int64(3), w.flowName);

        Statement seriesRows(store.connection(),
                             "SELECT id, source_id, track_id, name, labels, unit FROM series");
        QVERIFY(seriesRows.step());
        QCOMPARE(seriesRows.int64(0), w.utilization);
        QCOMPARE(seriesRows.int64(1), 1);
        QCOMPARE(seriesRows.int64(2), w.gpu);
        QCOMPARE(seriesRows.text(3), QStringLiteral("gpu.utilization"));
        QCOMPARE(seriesRows.text(4), QStringLiteral(R"({"gpu":"0"})"));
        QCOMPARE(seriesRows.text(5), QStringLiteral("percent"));

        Statement sampleRows(store.connection(), "SELECT series_id, t_ns, value FROM samples ORDER BY t_ns");
        QVERIFY(sampleRows.step());
        QCOMPARE(sampleRows.int64(0), w.utilization);
        QCOMPARE(sampleRows.int64(1), T0 - 1'000'000'000);
        QCOMPARE(sampleRows.real(2), 12.5);
        QVERIFY(sampleRows.step());
        QCOMPARE(sampleRows.int64(1), T0 + 10'000'000'000);
        QCOMPARE(sampleRows.real(2), 97.25);
        QVERIFY(!sampleRows.step());
    }

    // A source moved in time after its import: every typed query follows, the other source stays.
    void clockOffsetMovesOneSource()
    {
        const QString path = newPath();
        Written first;
        Written second;
        Store store(path);
        importIncident(store, "first", {}, &first);
        importIncident(store, "second", {}, &second);
        const TimeRange before = store.timeRange();
        constexpr qint64 Shift = 7'000'000'000;
        store.setClockOffset(2, Shift);
        QCOMPARE(store.sources()[1].clockOffsetNs, Shift);
        QCOMPARE(store.span(first.child)->startNs, T0 + 1'000);
        QCOMPARE(store.span(second.child)->startNs, T0 + 1'000 + Shift);
        QCOMPARE(store.spansOfTrack(second.gpu).front().startNs, T0 + 3'000 + Shift);
        qint64 moved = 0;
        for (const SpanRecord& span : store.spanRecords())
            moved += span.startNs >= T0 + Shift;
        QCOMPARE(moved, 3);
        QCOMPARE(store.samples(first.utilization).front().timeNs, T0 - 1'000'000'000);
        QCOMPARE(store.samples(second.utilization).back().timeNs, T0 + 10'000'000'000 + Shift);
        QCOMPARE(store.timeRange().startNs, before.startNs);
        QCOMPARE(store.timeRange().endNs, before.endNs + Shift);
        QCOMPARE(store.sampleTimeRange()->endNs, before.endNs + Shift);
        QVERIFY_THROWS_EXCEPTION(StoreError, store.setClockOffset(3, 1));
    }

    void oneSpanAndACopy()
    {
        const QString path = newPath();
        Written w;
        Store store(path);
        importIncident(store, "one span", {}, &w);

        const std::optional<Span> child = store.span(w.child);
        QVERIFY(child);
        QCOMPARE(child->id, w.child);
        QCOMPARE(child->parent, w.root);
        QCOMPARE(child->track, w.gateway);
        QCOMPARE(child->name, QStringLiteral("auth.check"));
        QCOMPARE(child->category, Category::Compliance);
        QCOMPARE(child->startNs, T0 + 1'000);
        QCOMPARE(child->durNs, 2'000);
        QCOMPARE(child->depth, 1);
        QCOMPARE(child->status, SpanStatus::Error);
        QCOMPARE(child->traceId, QString::fromLatin1(TraceId));
        const std::optional<Span> root = store.span(w.root);
        QVERIFY(root);
        QCOMPARE(root->attributesJson, QByteArray(R"({"http.method":"POST","span.kind":"server"})"));
        QCOMPARE(store.span(w.launch)->cat, QStringLiteral("kernel"));
        QCOMPARE(store.span(9999), std::nullopt);

        // The copy is a whole incident of its own, while the original stays open.
        const QString copy = newPath();
        store.saveCopy(copy);
        const QString before = dump(path);
        QCOMPARE(dump(copy), before);
        QVERIFY_THROWS_EXCEPTION(StoreError, store.saveCopy(copy));
        QCOMPARE(dump(path), before);
    }

    void emptyIncident()
    {
        Store store(newPath());
        const IncidentCounts counts = store.counts();
        QCOMPARE(
            counts.sources + counts.tracks + counts.spans + counts.flows + counts.series + counts.samples, 0);
        QVERIFY(store.sources().isEmpty());
        QVERIFY(store.tracks().isEmpty());
        QVERIFY(store.spanRecords().empty());
        QCOMPARE(store.strings().size(), size_t(1));
        QVERIFY(store.timeRange().isEmpty());
        QCOMPARE(store.timeRange().startNs, 0);
    }

    // Samples alone place an incident in time too.
    void timeRangeFromSamplesOnly()
    {
        Store store(newPath());
        BulkWriter writer(store);
        const SourceId source = writer.addSource(QStringLiteral("csv"), QStringLiteral("x.csv"), 1, 0);
        const SeriesId series =
            writer.addSeries(source, {QStringLiteral("power"), "{}", QStringLiteral("W"), 0});
        writer.addSample(series, -5, 1.0);
        writer.addSample(series, 42, 2.0);
        writer.commit();
        QCOMPARE(store.timeRange().startNs, -5);
        QCOMPARE(store.timeRange().endNs, 42);
    }

    void bulkWriterRollsBackUnlessCommitted()
    {
        const QString path = newPath();
        Store store(path);
        {
            BulkWriter writer(store);
            const SourceId source = writer.addSource(QStringLiteral("x"), QStringLiteral("y"), 1, 0);
            const TrackId track =
                writer.addTrack(source, {TrackKind::Thread, QStringLiteral("t"), {}, {}, 0});
            SpanSpec span;
            span.track = track;
            span.name = writer.intern("never stored");
            span.durNs = 1;
            QCOMPARE(writer.addSpan(span, Category::Other, 0), SpanId(1));
        }
        QCOMPARE(store.counts().sources, 0);
        QCOMPARE(store.counts().spans, 0);
        QCOMPARE(store.strings().size(), size_t(1));

        // The connection is free for the next transaction, and span ids start over.
        BulkWriter writer(store);
        const SourceId source = writer.addSource(QStringLiteral("x"), QStringLiteral("y"), 1, 0);
        const TrackId track = writer.addTrack(source, {TrackKind::Thread, QStringLiteral("t"), {}, {}, 0});
        SpanSpec span;
        span.track = track;
        span.name = writer.intern("stored");
        span.durNs = 1;
        QCOMPARE(writer.addSpan(span, Category::Queue, 0), SpanId(1));
        writer.commit();
        QCOMPARE(store.counts().spans, 1);
        QCOMPARE(store.spanRecords().front().category, Category::Queue);
    }

    void samplesRoundTrip_data()
    {
        QTest::addColumn<int>("seriesCount");
        QTest::addColumn<Additions>("added");
        QTest::addColumn<qint64>("offsetNs");
        QTest::addColumn<qint64>("blocks"); // -1: not checked
        constexpr double Inf = std::numeric_limits<double>::infinity();
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double negativeNanWithPayload = std::bit_cast<double>(quint64(0xfff8'0000'0000'1234));
        QTest::newRow("NaN, infinities, -0 and extremes")
            << 1
            << Additions{{0, T0, nan},
                         {0, T0 + 1, Inf},
                         {0, T0 + 2, -Inf},
                         {0, T0 + 3, -0.0},
                         {0, T0 + 4, 0.0},
                         {0, T0 + 5, negativeNanWithPayload},
                         {0, T0 + 6, std::numeric_limits<double>::denorm_min()},
                         {0, T0 + 7, std::numeric_limits<double>::max()},
                         {0, T0 + 8, std::numeric_limits<double>::lowest()}}
            << qint64(-250) << qint64(1);
        QTest::newRow("out of order, ties in the order added")
            << 1 << Additions{{0, 5, 1}, {0, 3, 2}, {0, 5, 3}, {0, 1, 4}, {0, 3, 5}, {0, 5, 6}, {0, -2, 7}}
            << qint64(1'000) << qint64(1);
        constexpr qint64 Min = std::numeric_limits<qint64>::min();
        constexpr qint64 Max = std::numeric_limits<qint64>::max();
        QTest::newRow("times at the ends of int64")
            << 1
            << Additions{{0, Max, 1}, {0, -1, 2}, {0, Min, 3}, {0, 0, 4}, {0, Max - 1, 5}, {0, Min + 1, 6}}
            << qint64(0) << qint64(1);

        // Round robin over series of 4095, 4096, 4097 and 8193 samples: each side of a full
        // block (1 + 1 + 2 + 3 blocks). The last runs backwards in time.
        Additions boundaries;
        const int sizes[] = {4095, 4096, 4097, 8193};
        for (int i = 0; i < 8193; ++i) {
            for (int series = 0; series < 4; ++series) {
                if (i < sizes[series])
                    boundaries.push_back(
                        {series, series == 3 ? T0 - i * 1'000 : T0 + i * 1'000, double(series * 10'000 + i)});
            }
        }
        QTest::newRow("block boundaries, interleaved series") << 4 << boundaries << qint64(7) << qint64(7);

        // One series after another, as a TSDB dump gives them: the writer writes the blocks of
        // series that had no sample over its last look (every 65536 samples) as it goes. The
        // first series comes back at the end with earlier times, after its block was written:
        // a block a series, and one more.
        Additions oneByOne;
        for (int series = 0; series < 4'000; ++series) {
            for (int i = 0; i < 40; ++i)
                oneByOne.push_back({series, T0 + i * 15'000'000'000, double(series + i)});
        }
        for (int i = 0; i < 40; ++i)
            oneByOne.push_back({0, T0 - i, -double(i)});
        QTest::newRow("series one after another, the first again at the end")
            << 4'000 << oneByOne << qint64(0) << qint64(4'001);

        // More samples in blocks not yet full than the writer holds: it writes them all part
        // full, then goes on; times jump about (a fixed LCG), so that blocks overlap.
        Additions crowd;
        quint64 state = 12345;
        for (int i = 0; i < 3'600; ++i) {
            for (int series = 0; series < 300; ++series) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                crowd.push_back({series, T0 + qint64(state >> 44), double(i) + series / 1000.0});
            }
        }
        QTest::newRow("300 series interleaved, over a million samples")
            << 300 << crowd << qint64(-3) << qint64(-1);
    }

    // What goes in through the BulkWriter comes out of Store::samples() in time order, to the bit,
    // and every count and range agrees.
    void samplesRoundTrip()
    {
        QFETCH(int, seriesCount);
        QFETCH(Additions, added);
        QFETCH(qint64, offsetNs);
        QFETCH(qint64, blocks);
        Store store(newPath());
        std::vector<SeriesId> ids;
        {
            BulkWriter writer(store);
            const SourceId source = writer.addSource(QStringLiteral("x"), QStringLiteral("y"), 1, offsetNs);
            for (int series = 0; series < seriesCount; ++series)
                ids.push_back(writer.addSeries(
                    source, {QStringLiteral("s%1").arg(series), "{}", QStringLiteral("W"), 0}));
            for (const Added& sample : added)
                writer.addSample(ids[size_t(sample.series)], sample.timeNs, sample.value);
            writer.commit();
        }
        QCOMPARE(store.counts().samples, qint64(added.size()));
        QCOMPARE(store.sources().front().sampleCount, qint64(added.size()));
        qint64 first = std::numeric_limits<qint64>::max();
        qint64 last = std::numeric_limits<qint64>::min();
        const std::vector<std::vector<Sample>> expected = expectedSamples(added, seriesCount, offsetNs);
        for (int series = 0; series < seriesCount; ++series) {
            const QString difference =
                sampleDifference(store.samples(ids[size_t(series)]), expected[size_t(series)]);
            QVERIFY2(difference.isEmpty(),
                     qPrintable(QStringLiteral("series %1: ").arg(series) + difference));
            first = std::min(first, expected[size_t(series)].front().timeNs);
            last = std::max(last, expected[size_t(series)].back().timeNs);
        }
        QCOMPARE(store.sampleTimeRange()->startNs, first);
        QCOMPARE(store.sampleTimeRange()->endNs, last);
        // No block over SampleBlock::MaxSamples, and as many blocks as the row works out.
        Statement rows(store.connection(), "SELECT max(count), count(*) FROM sample_blocks");
        QVERIFY(rows.step());
        QVERIFY(rows.int64(0) <= qint64(SampleBlock::MaxSamples));
        if (blocks >= 0)
            QCOMPARE(rows.int64(1), blocks);
        // A later move of the source moves every sample with it.
        store.setClockOffset(1, offsetNs + 5);
        const QString moved = sampleDifference(store.samples(ids.back()),
                                               expectedSamples(added, seriesCount, offsetNs + 5).back());
        QVERIFY2(moved.isEmpty(), qPrintable(moved));
        QCOMPARE(store.samples(ids.back() + 1).size(), size_t(0));
    }

    // The `samples` table SQL users query: a row per sample, times as stored (no clock offset),
    // NaN as NULL (SQLite has no NaN), `WHERE series_id = N` through the series' blocks alone.
    void sampleTable()
    {
        Store store(newPath());
        constexpr qint64 Offset = 1'000'000;
        SeriesId a = 0, b = 0;
        {
            BulkWriter writer(store);
            const SourceId source = writer.addSource(QStringLiteral("x"), QStringLiteral("y"), 1, Offset);
            a = writer.addSeries(source, {QStringLiteral("a"), "{}", {}, 0});
            b = writer.addSeries(source, {QStringLiteral("b"), "{}", {}, 0});
            for (int i = 0; i < 5'000; ++i) {
                writer.addSample(a, T0 + (i * 7'919) % 5'000, i == 17 ? std::nan("") : double(i));
                writer.addSample(b, T0 - i, -double(i));
            }
            writer.commit();
        }
        std::vector<std::tuple<qint64, qint64, quint64>> expectedA, expectedB;
        for (int i = 0; i < 5'000; ++i) {
            expectedA.emplace_back(a, T0 + (i * 7'919) % 5'000,
                                   i == 17 ? 0xdead : std::bit_cast<quint64>(double(i)));
            expectedB.emplace_back(b, T0 - i, std::bit_cast<quint64>(-double(i)));
        }
        std::sort(expectedA.begin(), expectedA.end());
        std::sort(expectedB.begin(), expectedB.end());
        QVERIFY(sampleTableRows(store, "SELECT series_id, t_ns, value FROM samples WHERE series_id = ?1",
                                a) == expectedA);
        QVERIFY(sampleTableRows(store, "SELECT series_id, t_ns, value FROM samples WHERE ?1 = series_id",
                                b) == expectedB);
        std::vector<std::tuple<qint64, qint64, quint64>> all = expectedA;
        all.insert(all.end(), expectedB.begin(), expectedB.end());
        std::sort(all.begin(), all.end());
        QVERIFY(sampleTableRows(store, "SELECT series_id, t_ns, value FROM samples") == all);
        QVERIFY(sampleTableRows(store, "SELECT series_id, t_ns, value FROM samples WHERE series_id = 99")
                    .empty());

        Statement aggregate(
            store.connection(),
            "SELECT count(*), min(t_ns), max(t_ns), count(value) FROM samples WHERE series_id = '2'");
        QVERIFY(aggregate.step());
        QCOMPARE(aggregate.int64(0), 5'000);
        QCOMPARE(aggregate.int64(1), T0 - 4'999);
        QCOMPARE(aggregate.int64(2), T0);
        QCOMPARE(aggregate.int64(3), 5'000);
        Statement joined(store.connection(), "SELECT r.name, count(*) FROM series r JOIN samples m"
                                             " ON m.series_id = r.id GROUP BY r.id ORDER BY r.id");
        QVERIFY(joined.step());
        QCOMPARE(joined.text(0), QStringLiteral("a"));
        QCOMPARE(joined.int64(1), 5'000);
        QVERIFY(joined.step());
        QCOMPARE(joined.int64(1), 5'000);

        // The equality on series_id reaches the table, which reads that series' blocks alone.
        Statement plan(store.connection(), "EXPLAIN QUERY PLAN SELECT t_ns FROM samples WHERE series_id = 1");
        QVERIFY(plan.step());
        QVERIFY2(plan.text(3).contains(QLatin1String("INDEX 1:")), qPrintable(plan.text(3)));

        // Read-only, and no copies of it in the file.
        for (const char* sql : {"INSERT INTO samples VALUES(1, 2, 3.0)", "DELETE FROM samples",
                                "CREATE VIRTUAL TABLE more USING samples"})
            QVERIFY2(sqlite3_exec(store.connection().handle(), sql, nullptr, nullptr, nullptr) != SQLITE_OK,
                     sql);
        QCOMPARE(store.counts().samples, 10'000);
    }

    void damagedSampleBlock_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("count too high") << QStringLiteral("count = count + 1");
        QTest::newRow("count absurd") << QStringLiteral("count = 1000000000000000");
        QTest::newRow("count negative") << QStringLiteral("count = -1");
        QTest::newRow("times cut") << QStringLiteral("times = substr(times, 1, length(times) - 1)");
        QTest::newRow("times longer") << QStringLiteral("times = times || x'00'");
        QTest::newRow("a varint without end") << QStringLiteral("times = x'ffffffffffffffffffffff'");
        QTest::newRow("values cut") << QStringLiteral("\"values\" = substr(\"values\", 1, 7)");
    }

    // A block whose bytes do not hold its count is one sentence from the store, an error from
    // the SQL table, and no crash.
    void damagedSampleBlock()
    {
        QFETCH(QString, damage);
        Store store(newPath());
        SeriesId series = 0;
        {
            BulkWriter writer(store);
            const SourceId source = writer.addSource(QStringLiteral("x"), QStringLiteral("y"), 1, 0);
            series = writer.addSeries(source, {QStringLiteral("s"), "{}", {}, 0});
            for (int i = 0; i < 10; ++i)
                writer.addSample(series, T0 + i, double(i));
            writer.commit();
        }
        const QByteArray sql = QStringLiteral("UPDATE sample_blocks SET %1").arg(damage).toUtf8();
        QCOMPARE(sqlite3_exec(store.connection().handle(), sql.constData(), nullptr, nullptr, nullptr),
                 SQLITE_OK);
        try {
            store.samples(series);
            QFAIL("a damaged block was read");
        } catch (const StoreError& error) {
            QVERIFY2(error.sentence().contains(QLatin1String("the samples of series 1 are damaged")),
                     qPrintable(error.sentence()));
        }
        char* message = nullptr;
        QCOMPARE(sqlite3_exec(store.connection().handle(), "SELECT count(*) FROM samples", nullptr, nullptr,
                              &message),
                 SQLITE_ERROR);
        QCOMPARE(QString::fromUtf8(message),
                 QStringLiteral("a block of samples in sample_blocks is damaged"));
        sqlite3_free(message);
    }

    // A file of schema 1, written by schema 1's own SQL with a row per sample, opens with its
    // samples packed: the same answers from every query, and the `samples` table still there.
    void migrationFromVersion1()
    {
        const QString path = newPath();
        constexpr qint64 Offset = 500;
        Additions added; // series 0 and 1 of source 1 (offset 500), series 2 of source 2 (offset 0)
        for (int i = 0; i < 5'000; ++i) {
            added.push_back({0, T0 + (i * 7'919) % 4'999 * 1'000, i * 0.5}); // (schema 1 made -0 into 0)
            if (i % 3 == 0)
                added.push_back({2, T0 - i, i == 0 ? -std::numeric_limits<double>::infinity() : double(i)});
        }
        added.push_back({0, T0, 42.25}); // a tie with an earlier sample, added later
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            const auto exec = [db](const char* sql) {
                return sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
            };
            QCOMPARE(exec(schemaMigrations()[0]), SQLITE_OK);
            QCOMPARE(exec("PRAGMA user_version = 1;"
                          "INSERT INTO sources(id, format, origin, sha256, imported_at_ns, clock_offset_ns)"
                          " VALUES(1, 'csv', 'a.csv', 'aa', 1, 500), (2, 'csv', 'b.csv', 'bb', 2, 0);"
                          "INSERT INTO series(id, source_id, name) VALUES(1, 1, 'a'), (2, 1, 'empty'),"
                          " (3, 2, 'b')"),
                     SQLITE_OK);
            sqlite3_stmt* insert = nullptr;
            QCOMPARE(sqlite3_prepare_v2(db, "INSERT INTO samples(series_id, t_ns, value) VALUES(?1, ?2, ?3)",
                                        -1, &insert, nullptr),
                     SQLITE_OK);
            QCOMPARE(exec("BEGIN"), SQLITE_OK);
            for (const Added& sample : added) {
                sqlite3_bind_int64(insert, 1, sample.series + 1);
                sqlite3_bind_int64(insert, 2, sample.timeNs);
                sqlite3_bind_double(insert, 3, sample.value);
                QCOMPARE(sqlite3_step(insert), SQLITE_DONE);
                sqlite3_reset(insert);
            }
            sqlite3_finalize(insert);
            QCOMPARE(exec("COMMIT"), SQLITE_OK);
            sqlite3_close(db);
        }
        QCOMPARE(userVersion(path), 1);

        {
            Store store(path);
            QCOMPARE(store.counts().samples, qint64(added.size()));
            QCOMPARE(store.sources()[0].sampleCount, 5'001);
            QCOMPARE(store.sources()[1].sampleCount, qint64(added.size()) - 5'001);
            const QString a = sampleDifference(store.samples(1), expectedSamples(added, 3, Offset)[0]);
            QVERIFY2(a.isEmpty(), qPrintable(a));
            QVERIFY(store.samples(2).empty());
            const QString b = sampleDifference(store.samples(3), expectedSamples(added, 3, 0)[2]);
            QVERIFY2(b.isEmpty(), qPrintable(b));
            QCOMPARE(store.sampleTimeRange()->startNs, T0 - 4'998);
            QCOMPARE(store.sampleTimeRange()->endNs, T0 + 4'998'000 + Offset);
            Statement rows(store.connection(),
                           "SELECT count(*), sum(value = 42.25) FROM samples WHERE series_id = 1");
            QVERIFY(rows.step());
            QCOMPARE(rows.int64(0), 5'001);
            QCOMPARE(rows.int64(1), 1);
            // Series 1 in two blocks, each in time order, the first full.
            Statement blocks(
                store.connection(),
                "SELECT count, start_ns, end_ns FROM sample_blocks WHERE series_id = 1 ORDER BY rowid");
            QVERIFY(blocks.step());
            QCOMPARE(blocks.int64(0), qint64(SampleBlock::MaxSamples));
            QCOMPARE(blocks.int64(1), T0);
            QVERIFY(blocks.step());
            QCOMPARE(blocks.int64(0), 5'001 - qint64(SampleBlock::MaxSamples));
            QCOMPARE(blocks.int64(2), T0 + 4'998'000);
            QVERIFY(!blocks.step());
        }
        QCOMPARE(userVersion(path), Store::SchemaVersion);
        const QString schema = dump(path);
        QVERIFY(!schema.contains(QLatin1String("CREATE TABLE samples")));
        QVERIFY(schema.contains(QLatin1String("CREATE TABLE sample_blocks")));
        // Opened again: nothing left to migrate, the samples as they were.
        Store store(path);
        QCOMPARE(store.counts().samples, qint64(added.size()));
    }

    void migrationFromEmptyFile_data()
    {
        QTest::addColumn<bool>("createEmptyFile");
        QTest::newRow("path that does not exist") << false;
        QTest::newRow("0-byte file") << true;
    }

    void migrationFromEmptyFile()
    {
        QFETCH(bool, createEmptyFile);
        const QString path = newPath();
        if (createEmptyFile) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.close();
            QCOMPARE(QFileInfo(path).size(), 0);
        }
        {
            Store store(path);
            QCOMPARE(store.counts().spans, 0);
        }
        QCOMPARE(userVersion(path), Store::SchemaVersion);
        QVERIFY(dump(path).contains(QLatin1String("CREATE TABLE spans(")));
        // A second open finds the schema current and does not run the migration again.
        {
            Store store(path);
            importIncident(store, "after migration");
            QCOMPARE(store.counts().spans, 3);
        }
        QCOMPARE(userVersion(path), Store::SchemaVersion);
    }

    void newerFileRefused()
    {
        const QString path = newPath();
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(
            sqlite3_exec(db, "CREATE TABLE future(x); PRAGMA user_version = 99", nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(db);
        const QString before = dump(path);
        const QByteArray bytesBefore = fileBytes(path);

        try {
            Store store(path);
            QFAIL("a file of schema 99 was opened");
        } catch (const StoreError& error) {
            QVERIFY2(error.sentence().startsWith(QFileInfo(path).fileName() + QLatin1String(": ")),
                     qPrintable(error.sentence()));
            QVERIFY2(error.sentence().contains(QLatin1String("newer Lundi")), qPrintable(error.sentence()));
            QVERIFY2(error.sentence().contains(QLatin1String("schema 99")), qPrintable(error.sentence()));
        }
        // Refused, not downgraded or migrated.
        QCOMPARE(userVersion(path), 99);
        QCOMPARE(dump(path), before);
        QVERIFY2(fileBytes(path) == bytesBefore, "the refused file's bytes changed");
    }

    void notAnIncidentFile_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("text") << QByteArray("this is not a database\n").repeated(200);
        QByteArray binary(8192, '\0');
        for (int i = 0; i < binary.size(); ++i)
            binary[i] = char((i * 7919 + 13) % 251);
        QTest::newRow("binary") << binary;
        QTest::newRow("ten bytes") << QByteArray("0123456789");
        // An SQLite header over garbage: SQLite reads the header, then finds the pages bad.
        QTest::newRow("sqlite header over garbage") << QByteArray("SQLite format 3\0", 16) +
                                                           QByteArray("\x10\x00\x02\x02", 4) +
                                                           QByteArray(4076, '\xa5');
    }

    void notAnIncidentFile()
    {
        QFETCH(QByteArray, content);
        const QString path = newPath();
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        try {
            Store store(path);
            // Whatever SQLite made of it, reading must fail cleanly rather than return junk.
            store.counts();
            QFAIL("a file that is not an incident was opened");
        } catch (const StoreError& error) {
            QVERIFY2(error.sentence().startsWith(QFileInfo(path).fileName() + QLatin1String(": ")),
                     qPrintable(error.sentence()));
            QVERIFY2(error.sentence().endsWith(QLatin1Char('.')), qPrintable(error.sentence()));
        }
        QCOMPARE(fileBytes(path), content);
    }

    void unopenablePath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("missing folder") << m_dir.filePath(QStringLiteral("no/such/folder/x.lundi"));
        QTest::newRow("a folder") << m_dir.path();
    }

    void unopenablePath()
    {
        QFETCH(QString, path);
        QVERIFY_THROWS_EXCEPTION(StoreError, Store{path});
    }

    // The file's bytes and its dump after a committed import, against those after an import that
    // ends badly in each way an import can.
    void failedImportLeavesFileUnchanged_data()
    {
        QTest::addColumn<Failure>("failure");
        QTest::newRow("ImportError half-way") << Failure::ImportErrorHalfWay;
        QTest::newRow("ImportCancelled thrown") << Failure::CancelledThrown;
        QTest::newRow("cancelled through ImportControl") << Failure::CancelledByControl;
        QTest::newRow("duplicate content") << Failure::Duplicate;
        QTest::newRow("any other exception") << Failure::OtherException;
    }

    void failedImportLeavesFileUnchanged()
    {
        QFETCH(Failure, failure);
        const QString path = newPath();
        {
            Store store(path);
            importIncident(store, "committed");
        }
        // Closing the last connection checkpoints the WAL into the file and removes it.
        QVERIFY(!QFile::exists(path + QLatin1String("-wal")));
        const QByteArray bytesBefore = fileBytes(path);
        QVERIFY(bytesBefore.size() >= 4096);
        const QString dumpBefore = dump(path);
        QVERIFY(dumpBefore.contains(QLatin1String("'POST /v1/chat'")));
        QCOMPARE(fileBytes(path), bytesBefore);

        int progressCalls = 0;
        qint64 lastDone = -1;
        qint64 lastTotal = -1;
        {
            Store store(path);
            const IncidentCounts countsBefore = store.counts();
            Ingestor ingestor(store, m_registry, m_classifier);
            std::atomic_bool cancel = false;
            ImportControl control(
                [&](qint64 done, qint64 total) {
                    ++progressCalls;
                    lastDone = done;
                    lastTotal = total;
                },
                &cancel);
            control.setTotal(20'000);
            const auto generate = [&](Sink& sink) {
                writeIncident(sink);
                switch (failure) {
                case Failure::ImportErrorHalfWay:
                    writeMany(sink, 20'000, [](int i) {
                        if (i == 10'000)
                            throw ImportError(QStringLiteral("the input ends in the middle of an event"),
                                              123);
                    });
                    break;
                case Failure::CancelledThrown:
                    writeMany(sink, 20'000, [](int i) {
                        if (i == 10'000)
                            throw ImportCancelled();
                    });
                    break;
                case Failure::CancelledByControl:
                    writeMany(sink, 20'000, [&](int i) {
                        if (i == 9'500)
                            cancel = true; // as the GUI thread would
                        if (i % 1'000 == 0)
                            control.progress(i);
                    });
                    break;
                case Failure::Duplicate:
                    writeMany(sink, 20'000);
                    break;
                case Failure::OtherException:
                    writeMany(sink, 20'000, [](int i) {
                        if (i == 10'000)
                            throw std::runtime_error("out of something");
                    });
                    break;
                }
            };
            const auto doomed = [&] {
                ingestor.importGenerated(QStringLiteral("test-format"), QStringLiteral("doomed"),
                                         failure == Failure::Duplicate ? QByteArray("committed")
                                                                       : QByteArray("new"),
                                         {}, generate);
            };
            switch (failure) {
            case Failure::ImportErrorHalfWay:
                try {
                    doomed();
                    QFAIL("the import did not fail");
                } catch (const ImportError& error) {
                    QCOMPARE(error.sentence(),
                             QStringLiteral("doomed: byte 123: the input ends in the middle of an event."));
                }
                break;
            case Failure::Duplicate:
                QVERIFY_THROWS_EXCEPTION(ImportError, doomed());
                break;
            case Failure::CancelledThrown:
            case Failure::CancelledByControl:
                QVERIFY_THROWS_EXCEPTION(ImportCancelled, doomed());
                break;
            case Failure::OtherException:
                QVERIFY_THROWS_EXCEPTION(std::runtime_error, doomed());
                break;
            }
            // Seen through the same connection, nothing happened either.
            const IncidentCounts countsAfter = store.counts();
            QCOMPARE(countsAfter.sources, countsBefore.sources);
            QCOMPARE(countsAfter.tracks, countsBefore.tracks);
            QCOMPARE(countsAfter.spans, countsBefore.spans);
            QCOMPARE(countsAfter.flows, countsBefore.flows);
            QCOMPARE(countsAfter.series, countsBefore.series);
            QCOMPARE(countsAfter.samples, countsBefore.samples);
            QCOMPARE(store.strings().size(), size_t(6));
        }
        if (failure == Failure::CancelledByControl) {
            // Progress at 0, 1000, ..., 9000; the call at 10000 saw the flag and threw.
            QCOMPARE(progressCalls, 10);
            QCOMPARE(lastDone, 9'000);
            QCOMPARE(lastTotal, 20'000);
        }
        QVERIFY(!QFile::exists(path + QLatin1String("-wal")));
        QCOMPARE(dump(path), dumpBefore);
        QVERIFY2(fileBytes(path) == bytesBefore, "the incident file's bytes changed");
    }

    // After a rollback the same Store takes the next import as if nothing had happened.
    void storeUsableAfterFailedImport()
    {
        Store store(newPath());
        Ingestor ingestor(store, m_registry, m_classifier);
        QVERIFY_THROWS_EXCEPTION(
            ImportCancelled,
            ingestor.importGenerated(QStringLiteral("f"), QStringLiteral("o"), "first", {}, [](Sink& sink) {
                writeIncident(sink);
                throw ImportCancelled();
            }));
        Written w;
        const ImportSummary summary = importIncident(store, "second", {}, &w);
        QCOMPARE(summary.source, SourceId(1));
        QCOMPARE(w.root, SpanId(1));
        QCOMPARE(w.request, StringId(1));
        QCOMPARE(store.counts().spans, 3);
        QCOMPARE(store.sources().front().sha256, sha256Hex("second"));
    }

    void importsStayIntactWhileSpansAreWritten()
    {
        // Spans alone keep the writer's span thread busy to the very end of an import, when the
        // duplicate check runs; a check that used the connection that thread writes with
        // crashed or corrupted the file now and then.
        const QString path = newPath();
        Store store(path);
        constexpr int Rounds = 20;
        constexpr int Spans = 50'000;
        for (int round = 0; round < Rounds; ++round) {
            Ingestor ingestor(store, m_registry, m_classifier);
            ingestor.importGenerated(
                QStringLiteral("test-format"), QStringLiteral("spans only"), QByteArray::number(round), {},
                [](Sink& sink) {
                    const TrackId track = sink.addTrack({TrackKind::Thread, QStringLiteral("t"), {}, {}, 0});
                    const StringId name = sink.intern("work");
                    for (int i = 0; i < Spans; ++i) {
                        SpanSpec span;
                        span.track = track;
                        span.name = name;
                        span.startNs = T0 + i * 100;
                        span.durNs = 50;
                        sink.addSpan(span);
                    }
                });
            Statement check(store.connection(), "PRAGMA integrity_check");
            QVERIFY(check.step());
            QCOMPARE(check.text(0), QStringLiteral("ok"));
        }
        QCOMPARE(store.counts().spans, Rounds * Spans);
    }

    void reimportRefused()
    {
        const QString path = newPath();
        Store store(path);
        importIncident(store, "same content");
        try {
            importIncident(store, "same content");
            QFAIL("the same content was imported twice");
        } catch (const ImportError& error) {
            QVERIFY2(error.sentence().contains(QLatin1String("already")), qPrintable(error.sentence()));
            QVERIFY2(error.sentence().contains(QLatin1String("source 1")), qPrintable(error.sentence()));
            QVERIFY2(error.sentence().startsWith(QLatin1String("generated:same content: ")),
                     qPrintable(error.sentence()));
        }
        QCOMPARE(store.counts().sources, 1);
        QCOMPARE(store.counts().spans, 3);

        // Other content is welcome.
        importIncident(store, "other content");
        QCOMPARE(store.counts().sources, 2);

        ImportOptions force;
        force.force = true;
        const ImportSummary forced = importIncident(store, "same content", force);
        QCOMPARE(forced.source, SourceId(3));
        QCOMPARE(store.counts().sources, 3);
        QCOMPARE(store.counts().spans, 9);
        const QList<Source> sources = store.sources();
        QCOMPARE(sources[0].sha256, sources[2].sha256);
        QCOMPARE(sources[2].spanCount, 3);
        // The first match stays the answer to "where is this content".
        try {
            importIncident(store, "same content");
            QFAIL("the same content was imported without --force");
        } catch (const ImportError& error) {
            QVERIFY2(error.sentence().contains(QLatin1String("source 1 ")), qPrintable(error.sentence()));
        }
    }

    void importFileErrorsNameTheFile_data()
    {
        QTest::addColumn<QByteArray>("content"); // null: no file at all
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << QByteArray() << QStringLiteral("cannot open");
        QTest::newRow("empty") << QByteArray("") << QStringLiteral("(byte 0): the file is empty.");
        QTest::newRow("unknown format")
            << QByteArray("hello")
            << QStringLiteral("input.json: line 1, column 1 (byte 0): the content is in no format");
    }

    void importFileErrorsNameTheFile()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir inputs;
        const QString input = inputs.filePath(QStringLiteral("input.json"));
        if (!content.isNull()) {
            QFile file(input);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        const QString path = newPath();
        {
            Store store(path);
            importIncident(store, "before");
        }
        const QByteArray before = fileBytes(path);
        {
            Store store(path);
            Ingestor ingestor(store, m_registry, m_classifier);
            ImportControl control;
            try {
                ingestor.importFile(input, {}, control);
                QFAIL("the import did not fail");
            } catch (const ImportError& error) {
                QVERIFY2(error.sentence().startsWith(QLatin1String("input.json: ")),
                         qPrintable(error.sentence()));
                QVERIFY2(error.sentence().contains(expected), qPrintable(error.sentence()));
            }
        }
        QCOMPARE(fileBytes(path), before);
    }

    void stringsInternedAcrossImports()
    {
        const QString path = newPath();
        StringId alpha = 0, beta = 0, gamma = 0, alphaAgain = 0, betaAgain = 0;
        {
            Store store(path);
            Ingestor ingestor(store, m_registry, m_classifier);
            ingestor.importGenerated(QStringLiteral("f"), QStringLiteral("a"), "a", {}, [&](Sink& sink) {
                alpha = sink.intern("alpha");
                beta = sink.intern("beta");
                QCOMPARE(sink.intern("alpha"), alpha);
            });
        }
        {
            Store store(path);
            Ingestor ingestor(store, m_registry, m_classifier);
            ingestor.importGenerated(QStringLiteral("f"), QStringLiteral("b"), "b", {}, [&](Sink& sink) {
                betaAgain = sink.intern("beta");
                gamma = sink.intern("gamma");
                alphaAgain = sink.intern("alpha");
            });
            QCOMPARE(alphaAgain, alpha);
            QCOMPARE(betaAgain, beta);
            QVERIFY(gamma != alpha && gamma != beta);
            const std::vector<QString> strings = store.strings();
            QCOMPARE(strings.size(), size_t(4));
            QCOMPARE(strings[size_t(alpha)], QStringLiteral("alpha"));
            QCOMPARE(strings[size_t(beta)], QStringLiteral("beta"));
            QCOMPARE(strings[size_t(gamma)], QStringLiteral("gamma"));
        }
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
