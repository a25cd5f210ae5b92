// SecretRedaction: what probes and pulls write about their targets keeps no secret.

#include "secretredaction.h"

#include <QTest>

using namespace lundi;

class TestSecretRedaction : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void url_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("redacted");
        QTest::newRow("plain") << QStringLiteral("https://127.0.0.1:8443/v1/models?limit=5")
                               << QStringLiteral("https://127.0.0.1:8443/v1/models?limit=5");
        QTest::newRow("userinfo") << QStringLiteral("http://alice:pw@localhost:9090/api")
                                  << QStringLiteral("http://REDACTED@localhost:9090/api");
        QTest::newRow("user only") << QStringLiteral("http://alice@localhost/")
                                   << QStringLiteral("http://REDACTED@localhost/");
        QTest::newRow("@ in the path is no userinfo")
            << QStringLiteral("http://localhost/users/@me") << QStringLiteral("http://localhost/users/@me");
        QTest::newRow("token parameters")
            << QStringLiteral("http://localhost/q?query=up&access_token=abc&api_key=k&apikey=k2&step=15s")
            << QStringLiteral(
                   "http://localhost/q?query=up&access_token=REDACTED&api_key=REDACTED&apikey=REDACTED"
                   "&step=15s");
        QTest::newRow("names in any case")
            << QStringLiteral("http://localhost/?Token=a&X-Amz-Signature=b&sig=c&PASSWORD=d&signal=e")
            << QStringLiteral("http://localhost/?Token=REDACTED&X-Amz-Signature=REDACTED&sig=REDACTED"
                              "&PASSWORD=REDACTED&signal=e");
        QTest::newRow("fragment") << QStringLiteral("https://localhost/cb#access_token=xyz&state=1")
                                  << QStringLiteral("https://localhost/cb#access_token=REDACTED&state=1");
        QTest::newRow("query and fragment")
            << QStringLiteral("https://u:p@localhost/a?auth=1#secret=2")
            << QStringLiteral("https://REDACTED@localhost/a?auth=REDACTED#secret=REDACTED");
        QTest::newRow("no scheme") << QStringLiteral("localhost:9090") << QStringLiteral("localhost:9090");
        QTest::newRow("empty value") << QStringLiteral("http://localhost/?token=&a")
                                     << QStringLiteral("http://localhost/?token=REDACTED&a");
    }

    void url()
    {
        QFETCH(QString, url);
        QFETCH(QString, redacted);
        QCOMPARE(SecretRedaction::url(url), redacted);
        QCOMPARE(QString::fromStdString(SecretRedaction::url(url.toStdString())), redacted);
    }

    void headers_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        for (const char* name : {"Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Api-Key",
                                 "X-Auth-Token", "X-Vault-Token", "Private-Token", "X-Client-Secret"})
            QTest::newRow(name) << QString::fromLatin1(name) << true;
        for (const char* name : {"Accept", "Content-Type", "User-Agent", "X-Request-Id", "Host"})
            QTest::newRow(name) << QString::fromLatin1(name) << false;
    }

    void headers()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        const std::string text = name.toStdString();
        QCOMPARE(SecretRedaction::isSecretHeader(text), secret);
        QCOMPARE(SecretRedaction::headerValue(text, "value-1"), secret ? std::string("REDACTED") : "value-1");
    }
};

QTEST_GUILESS_MAIN(TestSecretRedaction)
#include "tst_secretredaction.moc"
