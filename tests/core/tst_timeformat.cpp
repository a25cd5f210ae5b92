#include "timeformat.h"

#include <QTest>

using namespace lundi;

class TestTimeFormat : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns"); // -1: not a duration
        QTest::newRow("seconds, no unit") << QStringLiteral("90") << qint64(90'000'000'000);
        QTest::newRow("fraction") << QStringLiteral("1.5s") << qint64(1'500'000'000);
        QTest::newRow("negative ms") << QStringLiteral("-200ms") << qint64(-200'000'000);
        QTest::newRow("spaces") << QStringLiteral(" 250 us ") << qint64(250'000);
        QTest::newRow("ns") << QStringLiteral("7ns") << qint64(7);
        QTest::newRow("m") << QStringLiteral("2m") << qint64(120'000'000'000);
        QTest::newRow("min") << QStringLiteral("3min") << qint64(180'000'000'000);
        QTest::newRow("h") << QStringLiteral("1h") << qint64(3'600'000'000'000);
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
        QTest::newRow("word") << QStringLiteral("soon") << qint64(-1);
        QTest::newRow("unit alone") << QStringLiteral("ms") << qint64(-1);
        QTest::newRow("unknown unit") << QStringLiteral("3 days") << qint64(-1);
        QTest::newRow("beyond a century") << QStringLiteral("1e300s") << qint64(-1);
        QTest::newRow("not a number") << QStringLiteral("nan") << qint64(-1);
    }

    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        const std::optional<qint64> parsed = TimeFormat::parseDuration(text);
        if (ns == -1)
            QCOMPARE(parsed, std::nullopt);
        else
            QCOMPARE(parsed, std::optional<qint64>(ns));
    }

    void instants_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns");                     // -1: not an instant
        constexpr qint64 TenAm = 1'795'514'400'000'000'000; // 2026-11-24T10:00:00Z
        QTest::newRow("ISO, Z") << QStringLiteral("2026-11-24T10:00:00Z") << TenAm;
        QTest::newRow("ISO, ms") << QStringLiteral("2026-11-24T10:00:00.250Z") << TenAm + 250'000'000;
        QTest::newRow("ISO, offset") << QStringLiteral("2026-11-24T11:00:00+01:00") << TenAm;
        QTest::newRow("ISO, no zone is UTC") << QStringLiteral("2026-11-24T10:00:00") << TenAm;
        QTest::newRow("Unix seconds") << QStringLiteral("1795514400") << TenAm;
        QTest::newRow("Unix seconds, fraction") << QStringLiteral("1795514400.5") << TenAm + 500'000'000;
        QTest::newRow("Unix seconds, to the ns")
            << QStringLiteral("1795514400.123456789") << TenAm + 123'456'789;
        QTest::newRow("Unix seconds, negative") << QStringLiteral("-1.25") << qint64(-1'250'000'000);
        QTest::newRow("word") << QStringLiteral("yesterday") << qint64(-1);
        QTest::newRow("absurd") << QStringLiteral("1e300") << qint64(-1);
    }

    void instants()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        const std::optional<qint64> parsed = TimeFormat::parseInstant(text);
        if (ns == -1)
            QCOMPARE(parsed, std::nullopt);
        else
            QCOMPARE(parsed, std::optional<qint64>(ns));
        if (parsed)
            QCOMPARE(TimeFormat::parseInstant(TimeFormat::utc(*parsed)),
                     parsed.value() / 1'000'000 * 1'000'000);
    }

    void printed()
    {
        QCOMPARE(TimeFormat::duration(1'500'000'000), QStringLiteral("1.500 s"));
        QCOMPARE(TimeFormat::duration(-200'000'000), QStringLiteral("-200.000 ms"));
        QCOMPARE(TimeFormat::utc(1'795'514'400'250'000'000), QStringLiteral("2026-11-24T10:00:00.250Z"));
        QCOMPARE(TimeFormat::utc(-1), QStringLiteral("1969-12-31T23:59:59.999Z"));
    }
};

QTEST_GUILESS_MAIN(TestTimeFormat)
#include "tst_timeformat.moc"
