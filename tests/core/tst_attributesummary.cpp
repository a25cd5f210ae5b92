#include "ingest/attributesummary.h"

#include <QTest>

using namespace lundi;

namespace {

bool httpOrKind(std::string_view key)
{
    return key == "span.kind" || key.starts_with("http.");
}

} // namespace

// The summary that lets spans share a category verdict: equal keys hash equal whatever their
// values, and only the values of keys that rules read are kept.
class TestAttributeSummary : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void keysDecideTheHash()
    {
        const auto a =
            AttributeSummary::of("{\"span.kind\":\"client\",\"peer\":\"db-1\",\"n\":3}", httpOrKind);
        const auto b =
            AttributeSummary::of("{ \"span.kind\" : \"server\", \"peer\":\"db-2\", \"n\": 4.5 }", httpOrKind);
        const auto c =
            AttributeSummary::of("{\"peer\":\"db-1\",\"span.kind\":\"client\",\"n\":3}", httpOrKind);
        QVERIFY(a && b && c);
        QCOMPARE(a->keysHash, b->keysHash);
        QVERIFY(a->keysHash != c->keysHash); // the same keys in another order
        QCOMPARE(a->decisiveValues, std::string("span.kind\x1f\"client\"\x1e"));
        QCOMPARE(b->decisiveValues, std::string("span.kind\x1f\"server\"\x1e"));
    }

    void nestedValuesAreSkippedWhole()
    {
        const auto summary = AttributeSummary::of(
            "{\"events\":[{\"name\":\"x\",\"attributes\":{\"http.method\":\"GET\"}}],\"http.method\":"
            "\"POST\","
            "\"s\":\"a \\\"quoted\\\" }],{ text\",\"http.status_code\":503,\"deep\":[[[{\"a\":[1,2]}]]]}",
            httpOrKind);
        QVERIFY(summary);
        QCOMPARE(summary->decisiveValues, std::string("http.method\x1f\"POST\"\x1ehttp.status_code\x1f"
                                                      "503\x1e"));
    }

    void escapedBackslashesEndStrings()
    {
        // "a\\" ends at its quote, whose backslash is escaped; in "b\\\",\\" the first quote is.
        const auto summary = AttributeSummary::of(
            "{\"s\":\"a\\\\\",\"t\":\"b\\\\\\\",\\\\\",\"http.method\":\"GET\"}", httpOrKind);
        QVERIFY(summary);
        QCOMPARE(summary->decisiveValues, std::string("http.method\x1f\"GET\"\x1e"));
        QVERIFY(!AttributeSummary::of("{\"s\":\"a\\\\\\\"}", httpOrKind)); // the quote is escaped: cut
    }

    void emptyObject()
    {
        const auto summary = AttributeSummary::of(" {} ", httpOrKind);
        QVERIFY(summary);
        QVERIFY(summary->decisiveValues.empty());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not an object") << QByteArray("[1,2]");
        QTest::newRow("cut in a key") << QByteArray("{\"span.ki");
        QTest::newRow("cut in a value") << QByteArray("{\"a\":{\"b\":1}");
        QTest::newRow("no colon") << QByteArray("{\"a\" 1}");
        QTest::newRow("no value") << QByteArray("{\"a\":}");
        QTest::newRow("trailing text") << QByteArray("{\"a\":1} x");
        QTest::newRow("unclosed") << QByteArray("{\"a\":1,\"b\":2");
        QTest::newRow("escape at the end") << QByteArray("{\"a\":\"\\");
    }

    void malformed()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(AttributeSummary::of(std::string_view(json.constData(), size_t(json.size())), httpOrKind),
                 std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestAttributeSummary)
#include "tst_attributesummary.moc"
