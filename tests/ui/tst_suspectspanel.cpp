// The Suspects dock on the demo incident: it compares the incident hour with the week-old
// baseline by default and names the planted cause first; a click focuses the views on its
// evidence; the other baselines are offered and honoured.

#include "demofile.h"
#include "store/store.h"
#include "suspectspanel.h"
#include "viewonincident.h"
#include "workbench.h"

#include <QComboBox>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

class TestSuspectsPanel : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("demo.lundi"));
        Store store(m_path);
        test::writeDemoIncident(store);
    }

    void init() { QVERIFY(test::showOnIncident(m_workbench, m_panel, m_path, {1200, 200}, 60000)); }

    void cleanup()
    {
        m_panel.reset();
        m_workbench.reset();
    }

    void baselineWeekByDefault()
    {
        const auto* baseline = m_panel->findChild<QComboBox*>();
        QCOMPARE(baseline->count(), 2); // none, the activity before the latest; one source
        QCOMPARE(baseline->currentIndex(), 1);
        const Suspects::Result& result = m_panel->result();
        QVERIFY(result.baseline);
        // The demo's baseline Monday and incident Monday, as README tells them.
        QVERIFY(result.baseline->traces > 3000 && result.baseline->traces < 4000);
        QVERIFY(result.incident.traces > 4000 && result.incident.traces < 4500);
        QVERIFY(!result.suspects.empty());
        const auto names = m_workbench->names();
        QCOMPARE((*names)[size_t(result.suspects.front().name)], QStringLiteral("dlp.inspect_content"));
        QCOMPARE(result.suspects.front().category, Category::Compliance);

        const auto* list = m_panel->findChild<QListWidget*>();
        QCOMPARE(list->count(), int(result.suspects.size()));
        QCOMPARE(list->item(0)->text(), QStringLiteral("1. ") + result.suspects.front().evidence);
    }

    void clickFocusesTheEvidence()
    {
        QSignalSpy series(m_panel.get(), &SuspectsPanel::seriesRequested);
        auto* list = m_panel->findChild<QListWidget*>();
        const Suspects::Suspect suspect = m_panel->result().suspects.front();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(0)).center());
        const ViewState* state = m_workbench->state();
        QCOMPARE(state->timeRange().startNs, suspect.range.startNs);
        QCOMPARE(state->timeRange().endNs, suspect.range.endNs);
        QCOMPARE(state->selectedFrame(), suspect.name);
        QCOMPARE(state->selectedSpan(), suspect.slowestRoot);
        QVERIFY(suspect.moved);
        QCOMPARE(series.size(), 1);
        QCOMPARE(series.front().front().value<SeriesId>(), suspect.moved->series);
    }

    void withoutBaseline()
    {
        auto* baseline = m_panel->findChild<QComboBox*>();
        baseline->setCurrentIndex(0);
        QVERIFY(settle());
        const Suspects::Result& result = m_panel->result();
        QVERIFY(!result.baseline);
        QVERIFY(result.incident.traces > 7000);
        const auto names = m_workbench->names();
        QCOMPARE((*names)[size_t(result.suspects.front().name)], QStringLiteral("dlp.inspect_content"));
        QVERIFY(!result.suspects.front().baselineShare);
    }

    // Hiding the compliance service's track takes its spans off every path: the DLP call
    // is then no suspect.
    void hiddenTracksFollowed()
    {
        QSet<TrackId> hidden;
        for (const Track& track : m_workbench->snapshot()->tracks) {
            if (track.name == QLatin1String("compliance"))
                hidden.insert(track.id);
        }
        QCOMPARE(hidden.size(), 1);
        m_workbench->state()->setHiddenTracks(hidden);
        QVERIFY(settle());
        const auto names = m_workbench->names();
        for (const Suspects::Suspect& suspect : m_panel->result().suspects)
            QVERIFY((*names)[size_t(suspect.name)] != QLatin1String("dlp.inspect_content"));
    }

  private:
    bool settle() { return test::settled(*m_workbench, *m_panel, 60000); }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<SuspectsPanel> m_panel;
};

QTEST_MAIN(TestSuspectsPanel)
#include "tst_suspectspanel.moc"
