// Re-classification: new rules put the spans of a real incident into the categories those rules
// say, without a re-import, and change nothing else; the first rules bring back the first
// categories exactly.

#include "classifier.h"
#include "demofile.h"
#include "ingest/reclassify.h"
#include "store/queryrunner.h"
#include "store/statement.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

Q_DECLARE_METATYPE(lundi::Category)

namespace {

// The spans of the small incident: name, cat, attributes.
struct SmallSpan
{
    const char* name;
    const char* cat;
    const char* attributes;
};
constexpr SmallSpan SmallSpans[] = {
    {"handler", "http", R"({"http.method":"GET"})"},
    {"auth_check", "", ""},
    {"db_query", "", R"({"db.system":"postgresql"})"},
    {"vector search", "", R"({"gen_ai.operation.name":"retrieval"})"},
    {"ampere_sgemm", "kernel", ""},
};

// Rules that disagree with the built-in ones on all but the handler.
const QByteArray ChangedRules = R"({"rules": [
    {"category": "network", "name": "^auth"},
    {"category": "queue", "attributes": {"^db\\.system$": "^postgres"}},
    {"category": "api", "cat": "^http$"}]})";

void writeSmall(Sink& sink)
{
    const TrackId track = sink.addTrack({TrackKind::Thread, QStringLiteral("worker"), {}, {}, 0});
    qint64 start = 0;
    for (const SmallSpan& small : SmallSpans) {
        SpanSpec span;
        span.track = track;
        span.name = sink.intern(small.name);
        span.cat = *small.cat ? sink.intern(small.cat) : 0;
        span.attributesJson = small.attributes;
        span.startNs = start += 1'000;
        span.durNs = 500;
        sink.addSpan(span);
    }
}

// Every row of every table, as the SQL console reads them; the spans' category left out when asked.
QMap<QString, QList<QVariantList>> dump(const QString& path, bool withCategory)
{
    QueryRunner runner(path);
    QMap<QString, QList<QVariantList>> tables;
    const QueryResult names =
        runner.run(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    for (const QVariantList& name : names.rows) {
        const QString table = name.at(0).toString();
        QueryResult rows = runner.run(QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid").arg(table));
        const qsizetype category = rows.columns.indexOf(QStringLiteral("category"));
        for (QVariantList& row : rows.rows) {
            if (table == QLatin1String("spans") && !withCategory)
                row[category] = QVariant();
            tables[table].append(row);
        }
    }
    return tables;
}

// Each span's category as the classifier judges it alone, without the cache re-classifying uses.
void checkCategories(Store& store, const Classifier& classifier)
{
    Statement spans(
        store.connection(),
        "SELECT s.category, n.text, coalesce(c.text, ''), coalesce(s.attributes, '') FROM spans s "
        "JOIN strings n ON n.id = s.name_id LEFT JOIN strings c ON c.id = s.cat_id");
    qint64 checked = 0;
    while (spans.step()) {
        const Category expected =
            classifier.classify(spans.textView(1), spans.textView(2), spans.textView(3));
        if (spans.int64(0) != qint64(expected))
            QFAIL(qPrintable(
                QStringLiteral("%1 is %2, the rules say %3")
                    .arg(spans.text(1), categoryName(Category(spans.int64(0))), categoryName(expected))));
        ++checked;
    }
    QVERIFY(checked > 0);
}

} // namespace

class TestReclassify : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void smallIncident_data();
    void smallIncident();
    void demoIncident();

  private:
    QTemporaryDir m_dir;
};

void TestReclassify::smallIncident_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Category>("imported"); // by the built-in rules
    QTest::addColumn<Category>("reclassified");
    QTest::newRow("handler") << QStringLiteral("handler") << Category::Api << Category::Api;
    QTest::newRow("auth_check") << QStringLiteral("auth_check") << Category::Compliance << Category::Network;
    QTest::newRow("db_query") << QStringLiteral("db_query") << Category::Storage << Category::Queue;
    QTest::newRow("vector search") << QStringLiteral("vector search") << Category::Storage << Category::Other;
    QTest::newRow("ampere_sgemm") << QStringLiteral("ampere_sgemm") << Category::Gpu << Category::Other;
}

void TestReclassify::smallIncident()
{
    QFETCH(QString, name);
    QFETCH(Category, imported);
    QFETCH(Category, reclassified);
    const QString path =
        m_dir.filePath(QStringLiteral("small-%1.lundi").arg(QLatin1String(QTest::currentDataTag())));
    Store store(path);
    const ImporterRegistry registry{QStringList{}};
    const Classifier builtIn = Classifier::fromJson(Classifier::builtInJson(), QStringLiteral("built-in"));
    Ingestor(store, registry, builtIn)
        .importGenerated(QStringLiteral("test"), QStringLiteral("inline"), "small", {}, writeSmall);
    const auto categoryOf = [&] {
        Statement span(store.connection(),
                       "SELECT s.category FROM spans s JOIN strings n ON n.id = s.name_id WHERE n.text = ?1");
        span.bind(1, name);
        return span.step() ? Category(span.int64(0)) : Category(-1);
    };
    QCOMPARE(categoryOf(), imported);
    const auto before = dump(path, false);

    const ReclassifySummary summary =
        reclassify(store, Classifier::fromJson(ChangedRules, QStringLiteral("changed")));
    QCOMPARE(summary.spans, qint64(std::size(SmallSpans)));
    QCOMPARE(summary.changed, qint64(4));
    QCOMPARE(categoryOf(), reclassified);
    QCOMPARE(dump(path, false), before);
}

void TestReclassify::demoIncident()
{
    const QString path = m_dir.filePath(QStringLiteral("demo.lundi"));
    Store store(path);
    test::writeDemoIncident(store);
    const auto imported = dump(path, true);
    const auto withoutCategories = dump(path, false);
    // The rules of the import change nothing.
    const Classifier importRules = Classifier::standard();
    QCOMPARE(reclassify(store, importRules).changed, qint64(0));
    QCOMPARE(dump(path, true), imported);

    // The built-in rules without the compliance rule: auth, policy and PII checks fall through
    // to whatever rule comes next.
    QJsonObject rules = QJsonDocument::fromJson(Classifier::builtInJson()).object();
    QJsonArray list = rules.value(QLatin1String("rules")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list.at(i).toObject().value(QLatin1String("category")) == QLatin1String("compliance"))
            list.removeAt(i--);
    }
    rules.insert(QLatin1String("rules"), list);
    const Classifier withoutCompliance =
        Classifier::fromJson(QJsonDocument(rules).toJson(), QStringLiteral("no compliance"));

    const ReclassifySummary summary = reclassify(store, withoutCompliance);
    QCOMPARE(summary.spans, store.counts().spans);
    QVERIFY(summary.changed > 0);
    checkCategories(store, withoutCompliance);
    Statement compliance(store.connection(), "SELECT count(*) FROM spans WHERE category = ?1");
    compliance.bind(1, qint64(Category::Compliance));
    QVERIFY(compliance.step());
    QCOMPARE(compliance.int64(0), qint64(0));
    QCOMPARE(dump(path, false), withoutCategories);

    // The rules of the import bring back its categories, every one.
    QCOMPARE(reclassify(store, importRules).changed, summary.changed);
    QCOMPARE(dump(path, true), imported);
}

QTEST_GUILESS_MAIN(TestReclassify)
#include "tst_reclassify.moc"
