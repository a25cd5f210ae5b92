// The SQL console's query runner: SELECTs read known values from a real incident file, every
// kind of write is refused with one sentence and leaves the file's bytes as they were, a long
// query can be interrupted from another thread, and results export as RFC 4180 CSV.

#include "classifier.h"
#include "demofile.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "store/queryrunner.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <thread>

using namespace lundi;

namespace {

constexpr qint64 T0 = 1'700'000'000'000'000'000; // 2023-11-14, in ns

// Two spans on one track and a series of two samples: the values the SELECTs must find.
void writeIncident(Sink& sink)
{
    const TrackId track = sink.addTrack(
        {TrackKind::Thread, QStringLiteral("gateway worker"), QStringLiteral("gateway"), {}, 0});
    SpanSpec root;
    root.track = track;
    root.name = sink.intern("POST /v1/chat");
    root.startNs = T0;
    root.durNs = 5'000'000;
    root.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    root.attributesJson = "{\"http.method\":\"POST\",\"note\":\"a, \\\"quoted\\\" note\"}";
    const SpanId rootId = sink.addSpan(root);
    SpanSpec child;
    child.track = track;
    child.parent = rootId;
    child.name = sink.intern("auth.check");
    child.startNs = T0 + 1'000;
    child.durNs = 2'000;
    sink.addSpan(child);
    const SeriesId series = sink.addSeries({QStringLiteral("gpu.util"), "{}", QStringLiteral("%"), 0});
    sink.addSample(series, T0, 0.5);
    sink.addSample(series, T0 + 1'000'000, 0.25);
}

// The sentence a statement is refused with, or "ran" when it runs.
QString refusalOf(const QString& path, const QString& sql)
{
    QueryRunner runner(path);
    try {
        runner.run(sql);
        return QStringLiteral("ran");
    } catch (const StoreError& error) {
        return error.sentence();
    }
}

QByteArray sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestQueryRunner : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase();
    void selectsReadKnownValues_data();
    void selectsReadKnownValues();
    void writesAreRefused_data();
    void writesAreRefused();
    void writesLeaveTheFileAsItWas();
    void errorsAreOneSentence_data();
    void errorsAreOneSentence();
    void rowCapTruncates();
    void interruptStopsALongQuery();
    void csvField_data();
    void csvField();
    void csvOfAResult();
    void streamStops();
    void schemaIsDocumented();
    void agreesWithTheStore();

  private:
    QTemporaryDir m_dir;
    QString m_path;
};

void TestQueryRunner::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("incident.lundi"));
    Store store(m_path);
    const ImporterRegistry registry{QStringList{}};
    const Classifier classifier = Classifier::standard();
    Ingestor(store, registry, classifier)
        .importGenerated(QStringLiteral("test"), QStringLiteral("inline"), "query runner", {}, writeIncident);
}

void TestQueryRunner::selectsReadKnownValues_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QList<QVariantList>>("rows");

    QTest::newRow("span names and durations")
        << QStringLiteral("SELECT t.text AS name, s.dur_ns FROM spans s JOIN strings t ON t.id = s.name_id "
                          "ORDER BY s.start_ns")
        << QStringList{QStringLiteral("name"), QStringLiteral("dur_ns")}
        << QList<QVariantList>{{QStringLiteral("POST /v1/chat"), qint64(5'000'000)},
                               {QStringLiteral("auth.check"), qint64(2'000)}};
    QTest::newRow("parent of the child")
        << QStringLiteral("SELECT count(*) FROM spans c JOIN spans p ON c.parent_id = p.id")
        << QStringList{QStringLiteral("count(*)")} << QList<QVariantList>{{qint64(1)}};
    QTest::newRow("attribute by json_extract")
        << QStringLiteral("SELECT json_extract(attributes, '$.\"http.method\"') FROM spans WHERE trace_id = "
                          "'4bf92f3577b34da6a3ce929d0e0e4736' AND parent_id IS NULL")
        << QStringList{QStringLiteral("json_extract(attributes, '$.\"http.method\"')")}
        << QList<QVariantList>{{QStringLiteral("POST")}};
    QTest::newRow("samples of a series")
        << QStringLiteral("SELECT x.name, s.t_ns, s.value FROM samples s JOIN series x ON x.id = s.series_id "
                          "ORDER BY s.t_ns")
        << QStringList{QStringLiteral("name"), QStringLiteral("t_ns"), QStringLiteral("value")}
        << QList<QVariantList>{{QStringLiteral("gpu.util"), T0, 0.5},
                               {QStringLiteral("gpu.util"), T0 + 1'000'000, 0.25}};
    QTest::newRow("null and blob") << QStringLiteral("SELECT NULL AS n, x'00ff10' AS b")
                                   << QStringList{QStringLiteral("n"), QStringLiteral("b")}
                                   << QList<QVariantList>{{QVariant(), QByteArray("\x00\xff\x10", 3)}};
    QTest::newRow("reading pragma") << QStringLiteral(
                                           "SELECT name FROM pragma_table_info('series') WHERE pk = 1")
                                    << QStringList{QStringLiteral("name")}
                                    << QList<QVariantList>{{QStringLiteral("id")}};
    QTest::newRow("trailing semicolon and comment")
        << QStringLiteral("SELECT 42; -- the answer") << QStringList{QStringLiteral("42")}
        << QList<QVariantList>{{qint64(42)}};
}

void TestQueryRunner::selectsReadKnownValues()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, columns);
    QFETCH(QList<QVariantList>, rows);
    QueryRunner runner(m_path);
    try {
        const QueryResult result = runner.run(sql);
        QCOMPARE(result.columns, columns);
        QCOMPARE(QList<QVariantList>(result.rows.begin(), result.rows.end()), rows);
        QVERIFY(!result.truncated);
        QVERIFY(result.elapsedNs > 0);
    } catch (const StoreError& error) {
        QFAIL(qPrintable(error.sentence()));
    }
}

void TestQueryRunner::writesAreRefused_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("sentence"); // how the refusal starts
    const auto row = [](const char* sql, const char* sentence = "Lundi's SQL only reads the incident: ") {
        QTest::newRow(sql) << QString::fromUtf8(sql) << QString::fromUtf8(sentence);
    };
    row("INSERT INTO strings(text) VALUES('planted')");
    row("INSERT INTO strings(text) VALUES('planted') RETURNING id");
    row("REPLACE INTO strings(id, text) VALUES(1, 'planted')");
    row("UPDATE spans SET dur_ns = 0");
    row("DELETE FROM spans");
    row("DROP TABLE spans");
    row("DROP TABLE IF EXISTS nothing_here");
    row("CREATE TABLE planted(x)");
    row("CREATE TEMP TABLE planted(x)");
    row("CREATE INDEX planted ON spans(name_id)");
    row("CREATE VIEW planted AS SELECT 1");
    row("CREATE TRIGGER planted AFTER INSERT ON strings BEGIN DELETE FROM spans; END");
    row("ALTER TABLE spans ADD COLUMN planted INTEGER");
    row("ALTER TABLE spans RENAME TO planted");
    row("PRAGMA user_version = 7");
    row("PRAGMA journal_mode = DELETE");
    row("PRAGMA query_only = 0");
    row("PRAGMA writable_schema = 1");
    row("PRAGMA wal_checkpoint(TRUNCATE)");
    row("PRAGMA optimize");
    row("ATTACH DATABASE ':memory:' AS other");
    row("DETACH DATABASE main");
    row("SELECT load_extension('libsqlite3_mod_impexp')");
    row("VACUUM");
    row("VACUUM INTO 'copy.lundi'");
    row("ANALYZE");
    row("REINDEX");
    row("BEGIN IMMEDIATE");
    row("SAVEPOINT planted");
    row("WITH doomed AS (SELECT id FROM spans) DELETE FROM spans WHERE id IN doomed");
    row("WITH x AS (SELECT 'planted' AS t) INSERT INTO strings(text) SELECT t FROM x");
    row("UPDATE sqlite_master SET sql = ''", "Table sqlite_master may not be modified.");
    row("SELECT 1; DELETE FROM spans", "Lundi's SQL runs one statement at a time");
}

void TestQueryRunner::writesAreRefused()
{
    QFETCH(QString, sql);
    QFETCH(QString, sentence);
    const QString refusal = refusalOf(m_path, sql);
    QVERIFY2(refusal.startsWith(sentence), qPrintable(refusal));
    QVERIFY2(refusal.endsWith(QLatin1Char('.')) && !refusal.contains(QLatin1Char('\n')), qPrintable(refusal));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("copy.lundi"))));
    QVERIFY(!QFile::exists(QStringLiteral("copy.lundi")));
}

void TestQueryRunner::writesLeaveTheFileAsItWas()
{
    const QByteArray before = sha256Of(m_path);
    QVERIFY(!before.isEmpty());
    {
        QueryRunner runner(m_path);
        const QStringList writes = {QStringLiteral("INSERT INTO strings(text) VALUES('planted')"),
                                    QStringLiteral("DELETE FROM spans"),
                                    QStringLiteral("UPDATE spans SET category = 7"),
                                    QStringLiteral("DROP TABLE samples"),
                                    QStringLiteral("PRAGMA user_version = 7"),
                                    QStringLiteral("VACUUM"),
                                    QStringLiteral("PRAGMA journal_mode = DELETE")};
        for (const QString& sql : writes)
            QVERIFY_THROWS_EXCEPTION(StoreError, runner.run(sql));
        QCOMPARE(runner.run(QStringLiteral("SELECT count(*) FROM spans")).rows.at(0).at(0),
                 QVariant(qint64(2)));
    }
    QCOMPARE(sha256Of(m_path), before);
    // The incident still opens and holds what it held.
    Store store(m_path);
    QCOMPARE(store.counts().spans, qint64(2));
}

void TestQueryRunner::errorsAreOneSentence_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("sentence");
    QTest::newRow("no such table") << QStringLiteral("SELECT * FROM nothing_here")
                                   << QStringLiteral("No such table: nothing_here.");
    QTest::newRow("no such column") << QStringLiteral("SELECT missing FROM spans")
                                    << QStringLiteral("No such column: missing.");
    QTest::newRow("syntax") << QStringLiteral("SELEC 1") << QStringLiteral("Near \"SELEC\": syntax error.");
    QTest::newRow("too big") << QStringLiteral("SELECT length(randomblob(200000000))")
                             << QStringLiteral("String or blob too big.");
    QTest::newRow("empty") << QStringLiteral("  -- nothing")
                           << QStringLiteral("There is no SQL statement to run.");
}

void TestQueryRunner::errorsAreOneSentence()
{
    QFETCH(QString, sql);
    QFETCH(QString, sentence);
    QCOMPARE(refusalOf(m_path, sql), sentence);
}

void TestQueryRunner::rowCapTruncates()
{
    QueryRunner runner(m_path);
    const QString sql = QStringLiteral(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100) SELECT x FROM c");
    const QueryResult capped = runner.run(sql, 10);
    QCOMPARE(capped.rows.size(), size_t(10));
    QVERIFY(capped.truncated);
    QCOMPARE(capped.rows.back().at(0), QVariant(qint64(10)));
    const QueryResult whole = runner.run(sql, 100);
    QCOMPARE(whole.rows.size(), size_t(100));
    QVERIFY(!whole.truncated);
    QCOMPARE(runner.run(sql).rows.size(), size_t(100));
}

void TestQueryRunner::interruptStopsALongQuery()
{
    QueryRunner runner(m_path);
    QString sentence;
    QElapsedTimer timer;
    timer.start();
    std::thread worker([&] {
        try {
            // Never ends by itself.
            runner.run(QStringLiteral(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
            sentence = QStringLiteral("finished");
        } catch (const StoreError& error) {
            sentence = error.sentence();
        }
    });
    QTest::qWait(300);
    runner.interrupt();
    worker.join();
    QCOMPARE(sentence, QStringLiteral("The query was cancelled."));
    QVERIFY(timer.elapsed() < 10'000);
    // The runner works again afterwards.
    QCOMPARE(runner.run(QStringLiteral("SELECT 1")).rows.at(0).at(0), QVariant(qint64(1)));
}

void TestQueryRunner::csvField_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("plain") << QStringLiteral("auth.check") << QStringLiteral("auth.check");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("line feed") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("carriage return") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::newRow("spaces kept") << QStringLiteral(" a ") << QStringLiteral(" a ");
}

void TestQueryRunner::csvField()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    QCOMPARE(QueryResult::csvField(text), field);
}

// Streamed row by row, as lundi-cli sql --csv and the console's export write it.
void TestQueryRunner::csvOfAResult()
{
    QueryRunner runner(m_path);
    const QString sql = QStringLiteral(
        "SELECT json_extract(attributes, '$.note') AS \"the, note\", NULL AS n, 1.5 AS r, x'0102' AS b, "
        "dur_ns FROM spans ORDER BY start_ns");
    QString csv;
    QTextStream out(&csv);
    runner.stream(
        sql, [&out](const QStringList& columns) { QueryResult::writeCsvLine(out, columns); },
        [&out](QVariantList&& row) {
            QueryResult::writeCsvLine(out, row);
            return true;
        });
    out.flush();
    QCOMPARE(csv, QStringLiteral("\"the, note\",n,r,b,dur_ns\r\n"
                                 "\"a, \"\"quoted\"\" note\",,1.5,<2 bytes>,5000000\r\n"
                                 ",,1.5,<2 bytes>,2000\r\n"));
}

// A row handler that says stop ends the statement; a runner handed a statement that never
// ends by itself returns at once.
void TestQueryRunner::streamStops()
{
    QueryRunner runner(m_path);
    QStringList columns;
    qint64 rows = 0;
    runner.stream(
        QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"),
        [&columns](const QStringList& names) { columns = names; },
        [&rows](QVariantList&& row) { return row.at(0).toLongLong() == ++rows && rows < 1000; });
    QCOMPARE(columns, QStringList{QStringLiteral("x")});
    QCOMPARE(rows, qint64(1000));
}

// docs/schema.md names every table and column the SQL console can read, at the schema version
// of this build: a migration that adds a column fails here until the page says what it holds.
void TestQueryRunner::schemaIsDocumented()
{
    QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../docs/schema.md"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QString doc = QString::fromUtf8(file.readAll());
    QueryRunner runner(m_path);
    const QVariant version = runner.run(QStringLiteral("PRAGMA user_version")).rows.at(0).at(0);
    QVERIFY2(doc.contains(QStringLiteral("schema version %1").arg(version.toLongLong())),
             qPrintable(version.toString()));
    QueryResult tables =
        runner.run(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    tables.rows.push_back({QStringLiteral("samples")}); // the virtual table
    for (const QVariantList& table : tables.rows) {
        const QString name = table.at(0).toString();
        const qsizetype section = doc.indexOf(
            QRegularExpression(QStringLiteral("^## %1\\b").arg(name), QRegularExpression::MultilineOption));
        QVERIFY2(section >= 0, qPrintable(name));
        const QString text = doc.mid(section, doc.indexOf(QLatin1String("\n## "), section + 1) - section);
        const QueryResult columns =
            runner.run(QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(name));
        QVERIFY(!columns.rows.empty());
        for (const QVariantList& column : columns.rows) {
            const QString row = QStringLiteral("\n| %1 |").arg(column.at(0).toString());
            QVERIFY2(text.contains(row), qPrintable(name + QLatin1Char('.') + column.at(0).toString()));
        }
    }
}

// On the demo incident, written through the ingest path, SQL finds what the store's own queries
// find: the counts, and one series' samples one by one (the demo's clock offset is 0).
void TestQueryRunner::agreesWithTheStore()
{
    const QString path = m_dir.filePath(QStringLiteral("demo.lundi"));
    Store store(path);
    test::writeDemoIncident(store);
    const IncidentCounts counts = store.counts();
    QVERIFY(counts.spans > 0 && counts.samples > 0);
    QueryRunner runner(path);
    const auto scalar = [&runner](const char* sql) {
        return runner.run(QString::fromUtf8(sql)).rows.at(0).at(0).toLongLong();
    };
    QCOMPARE(scalar("SELECT count(*) FROM spans"), counts.spans);
    QCOMPARE(scalar("SELECT count(*) FROM tracks"), counts.tracks);
    QCOMPARE(scalar("SELECT count(*) FROM series"), counts.series);
    QCOMPARE(scalar("SELECT count(*) FROM samples"), counts.samples);
    QCOMPARE(scalar("SELECT sum(clock_offset_ns) FROM sources"), qint64(0));
    const SeriesId series = store.series().constLast().id;
    const std::vector<Sample> samples = store.samples(series);
    const QueryResult rows = runner.run(
        QStringLiteral("SELECT t_ns, value FROM samples WHERE series_id = %1 ORDER BY t_ns").arg(series));
    QCOMPARE(rows.rows.size(), samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
        QCOMPARE(rows.rows[i].at(0).toLongLong(), samples[i].timeNs);
        QCOMPARE(rows.rows[i].at(1).toDouble(), samples[i].value);
    }
}

QTEST_GUILESS_MAIN(TestQueryRunner)
#include "tst_queryrunner.moc"
