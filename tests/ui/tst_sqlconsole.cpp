// The SQL console and the rules editor on a real incident file: rows as plain text, a refused
// write and a cancelled query as one sentence, CSV export of every row, and rules that
// re-classify the open incident without a re-import and reload the views.

#include "classifier.h"
#include "ingest/importerregistry.h"
#include "ingest/ingestor.h"
#include "queryresultmodel.h"
#include "rulesdialog.h"
#include "sqlconsole.h"
#include "store/queryrunner.h"
#include "store/store.h"
#include "workbench.h"

#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

// Three spans on one track: a handler, a check inside it, a query after it.
void writeIncident(Sink& sink)
{
    const TrackId track = sink.addTrack({TrackKind::Thread, QStringLiteral("worker"), {}, {}, 0});
    const auto add = [&](const char* name, qint64 start, qint64 dur, SpanId parent, const char* attributes) {
        SpanSpec span;
        span.track = track;
        span.parent = parent;
        span.name = sink.intern(name);
        span.startNs = start;
        span.durNs = dur;
        span.attributesJson = attributes;
        return sink.addSpan(span);
    };
    const SpanId handler = add("GET /orders", 0, 1'000, 0, R"({"http.method":"GET"})");
    add("auth_check", 100, 300, handler, "");
    add("orders, \"recent\"", 500, 400, handler, R"({"db.system":"postgresql"})");
}

} // namespace

class TestSqlConsole : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void init();
    void cleanup();
    void runsAQuery();
    void refusesAWrite();
    void cancels();
    void exportsCsv();
    void rulesReclassify();
    void badRulesSayWhy();

  private:
    bool settle(const SqlConsole& console) const
    {
        return QTest::qWaitFor([&] { return !console.busy() && !m_workbench->busy(); }, 60'000);
    }
    QString categoryOf(const char* name) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<Workbench> m_workbench;
};

void TestSqlConsole::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("incident.lundi"));
    qputenv("LUNDI_RULES", m_dir->filePath(QStringLiteral("rules.json")).toUtf8());
    {
        Store store(m_path);
        const ImporterRegistry registry{QStringList{}};
        const Classifier classifier =
            Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in rules"));
        Ingestor(store, registry, classifier)
            .importGenerated(QStringLiteral("test"), QStringLiteral("inline"), "console", {}, writeIncident);
    }
    m_workbench = std::make_unique<Workbench>();
    m_workbench->open(m_path);
    QVERIFY(QTest::qWaitFor([this] { return m_workbench->snapshot() && !m_workbench->busy(); }, 60'000));
}

void TestSqlConsole::cleanup()
{
    m_workbench.reset();
    qunsetenv("LUNDI_RULES");
}

QString TestSqlConsole::categoryOf(const char* name) const
{
    QueryRunner runner(m_path);
    const QueryResult result = runner.run(
        QStringLiteral(
            "SELECT s.category FROM spans s JOIN strings n ON n.id = s.name_id WHERE n.text = '%1'")
            .arg(QLatin1String(name)));
    return result.rows.empty() ? QString() : categoryName(Category(result.rows[0].at(0).toInt()));
}

void TestSqlConsole::runsAQuery()
{
    SqlConsole console(m_workbench.get());
    console.editor()->setPlainText(
        QStringLiteral("SELECT n.text AS name, s.dur_ns, NULL AS missing, x'000102' AS bytes FROM spans s "
                       "JOIN strings n ON n.id = s.name_id ORDER BY s.start_ns"));
    console.run();
    QVERIFY(settle(console));
    const QueryResultModel* model = console.model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->columnCount(), 4);
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("name"));
    const auto cell = [model](int row, int column) { return model->index(row, column).data().toString(); };
    QCOMPARE(cell(0, 0), QStringLiteral("GET /orders"));
    QCOMPARE(cell(2, 0), QStringLiteral("orders, \"recent\""));
    QCOMPARE(cell(1, 1), QStringLiteral("300"));
    QCOMPARE(cell(0, 2), QStringLiteral("NULL"));
    QCOMPARE(cell(0, 3), QStringLiteral("<3 bytes>"));
    QVERIFY2(console.status()->text().startsWith(QLatin1String("3 rows in ")),
             qPrintable(console.status()->text()));
    QCOMPARE(console.status()->textFormat(), Qt::PlainText);
}

void TestSqlConsole::refusesAWrite()
{
    SqlConsole console(m_workbench.get());
    console.editor()->setPlainText(QStringLiteral("DELETE FROM spans"));
    console.run();
    QVERIFY(settle(console));
    QCOMPARE(console.status()->text(),
             QStringLiteral("Lundi's SQL only reads the incident: DELETE from spans is refused."));
    QCOMPARE(m_workbench->snapshot()->spans.size(), size_t(3));
    QCOMPARE(categoryOf("auth_check"), QStringLiteral("compliance"));
}

void TestSqlConsole::cancels()
{
    SqlConsole console(m_workbench.get());
    console.editor()->setPlainText(QStringLiteral(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
    QSignalSpy busy(&console, &SqlConsole::busyChanged);
    console.run();
    QVERIFY(console.busy());
    QTest::qWait(200);
    QVERIFY(console.busy());
    console.cancel();
    QVERIFY(settle(console));
    QCOMPARE(console.status()->text(), QStringLiteral("The query was cancelled."));
    QCOMPARE(busy.size(), 2);
}

void TestSqlConsole::exportsCsv()
{
    SqlConsole console(m_workbench.get());
    console.editor()->setPlainText(QStringLiteral("SELECT n.text AS name, s.dur_ns FROM spans s JOIN strings "
                                                  "n ON n.id = s.name_id ORDER BY s.start_ns"));
    const QString csv = m_dir->filePath(QStringLiteral("rows.csv"));
    console.exportCsv(csv);
    QVERIFY(settle(console));
    QCOMPARE(console.status()->text(), QStringLiteral("Wrote 3 rows to rows.csv."));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("name,dur_ns\r\nGET /orders,1000\r\nauth_check,300\r\n"
                                        "\"orders, \"\"recent\"\"\",400\r\n"));
}

void TestSqlConsole::rulesReclassify()
{
    QCOMPARE(categoryOf("GET /orders"), QStringLiteral("api"));
    QCOMPARE(categoryOf("auth_check"), QStringLiteral("compliance"));
    QCOMPARE(categoryOf("orders, \"recent\""), QStringLiteral("storage"));
    RulesDialog dialog(m_workbench.get());
    dialog.editor()->setPlainText(QStringLiteral(
        R"({"rules": [{"category": "network", "name": "^auth"}, {"category": "gpu", "attributes": {"^db\\.": ""}}]})"));
    QVERIFY(dialog.applyButton()->isEnabled());
    QSignalSpy applied(&dialog, &RulesDialog::applied);
    QSignalSpy reloaded(m_workbench.get(), &Workbench::snapshotChanged);
    dialog.apply();
    QVERIFY(applied.wait(60'000));
    QCOMPARE(applied.at(0).at(0).toBool(), true);
    QCOMPARE(dialog.message()->text(), QStringLiteral("Saved; 3 spans classified, 3 changed category."));
    QCOMPARE(categoryOf("GET /orders"), QStringLiteral("other"));
    QCOMPARE(categoryOf("auth_check"), QStringLiteral("network"));
    QCOMPARE(categoryOf("orders, \"recent\""), QStringLiteral("gpu"));
    // The views reload, and later imports read the saved rules.
    QVERIFY(reloaded.size() > 0 || reloaded.wait(60'000));
    int network = 0;
    for (const SpanRecord& span : m_workbench->snapshot()->spans)
        network += span.category == Category::Network;
    QCOMPARE(network, 1);
    QCOMPARE(Classifier::standard().classify("auth_check", "", ""), Category::Network);
}

void TestSqlConsole::badRulesSayWhy()
{
    RulesDialog dialog(m_workbench.get());
    QCOMPARE(dialog.message()->text(), QStringLiteral("The rules read."));
    dialog.editor()->setPlainText(QStringLiteral(R"({"rules": [{"category": "elsewhere"}]})"));
    QCOMPARE(dialog.message()->text(), QStringLiteral("rules.json: rule 1: unknown category \"elsewhere\"."));
    QVERIFY(!dialog.applyButton()->isEnabled());
    dialog.editor()->setPlainText(QStringLiteral(R"({"rules": [{"category": "gpu", "name": "(unclosed"}]})"));
    QVERIFY2(dialog.message()->text().startsWith(QLatin1String("rules.json: rule 1: ")),
             qPrintable(dialog.message()->text()));
    QVERIFY(!dialog.applyButton()->isEnabled());
    QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("rules.json"))));
    QCOMPARE(categoryOf("auth_check"), QStringLiteral("compliance"));
}

QTEST_MAIN(TestSqlConsole)
#include "tst_sqlconsole.moc"
