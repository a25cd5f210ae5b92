// The import options dialog: what is typed becomes the ImportOptions lundi-cli import would
// make of the same flags, and a field that does not parse keeps OK disabled with its sentence.

#include "importoptionsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace lundi;

class TestImportOptionsDialog : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void defaultsDetectAndDateFromTheFile()
    {
        const ImportOptionsDialog dialog({QStringLiteral("chrome-trace"), QStringLiteral("gpu-csv")});
        const ImportOptions options = dialog.options();
        QVERIFY(options.format.isEmpty());
        QVERIFY(!options.force);
        QCOMPARE(options.clockOffsetNs, 0);
        QVERIFY(!options.atNs);
        QVERIFY(options.columns.isEmpty());
        QVERIFY(dialog.problem().isEmpty());
        QVERIFY(okButton(dialog)->isEnabled());
    }

    void fieldsBecomeOptions()
    {
        ImportOptionsDialog dialog({QStringLiteral("chrome-trace"), QStringLiteral("gpu-csv")});
        dialog.formatField()->setCurrentIndex(2);
        dialog.forceField()->setChecked(true);
        QTest::keyClicks(dialog.offsetField(), QStringLiteral("-1.5s"));
        QTest::keyClicks(dialog.atField(), QStringLiteral("2026-11-24T10:00:00Z"));
        QTest::keyClicks(dialog.columnsField(), QStringLiteral("timestamp, index ,utilization.gpu [%]"));
        const ImportOptions options = dialog.options();
        QCOMPARE(options.format, QStringLiteral("gpu-csv"));
        QVERIFY(options.force);
        QCOMPARE(options.clockOffsetNs, -1'500'000'000);
        QCOMPARE(options.atNs.value(), 1'795'514'400'000'000'000);
        QCOMPARE(options.columns, (QStringList{QStringLiteral("timestamp"), QStringLiteral("index"),
                                               QStringLiteral("utilization.gpu [%]")}));
        QVERIFY(okButton(dialog)->isEnabled());
    }

    void badFieldsKeepOkDisabled_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("offset") << 0 << QStringLiteral("soon")
                                << QStringLiteral("The clock offset is no duration");
        QTest::newRow("at") << 1 << QStringLiteral("yesterday")
                            << QStringLiteral("The time of undated samples is no time");
        QTest::newRow("columns") << 2 << QStringLiteral("timestamp,,index")
                                 << QStringLiteral("The column list has an empty name");
    }

    void badFieldsKeepOkDisabled()
    {
        QFETCH(int, field);
        QFETCH(QString, text);
        QFETCH(QString, sentence);
        ImportOptionsDialog dialog({});
        QLineEdit* fields[] = {dialog.offsetField(), dialog.atField(), dialog.columnsField()};
        QTest::keyClicks(fields[field], text);
        QVERIFY2(dialog.problem().startsWith(sentence), qPrintable(dialog.problem()));
        QVERIFY(!okButton(dialog)->isEnabled());
        fields[field]->clear();
        QVERIFY(dialog.problem().isEmpty());
        QVERIFY(okButton(dialog)->isEnabled());
    }

  private:
    static QPushButton* okButton(const ImportOptionsDialog& dialog)
    {
        return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    }
};

QTEST_MAIN(TestImportOptionsDialog)
#include "tst_importoptionsdialog.moc"
