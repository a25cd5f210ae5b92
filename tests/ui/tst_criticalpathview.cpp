// The Critical path view on the demo incident: its planted cause (the DLP call under the PII scan)
// heads the table, the flame graph's root holds the traces' summed latency as the incident file
// has it, and the choice of traces (all, the slowest 5 %, a range, hidden tracks) is honoured.

#include "criticalpathview.h"
#include "demofile.h"
#include "flamegraphview.h"
#include "store/statement.h"
#include "store/store.h"
#include "viewonincident.h"
#include "workbench.h"

#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace lundi;

namespace {

qint64 scalar(Store& store, const std::string& sql)
{
    Statement query(store.connection(), sql);
    return query.step() ? query.int64(0) : 0;
}

} // namespace

class TestCriticalPathView : public QObject
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

    void init() { QVERIFY(test::showOnIncident(m_workbench, m_view, m_path, {1200, 700})); }

    void cleanup()
    {
        m_view.reset();
        m_workbench.reset();
    }

    void plantedCauseLeadsTheTable()
    {
        const auto summary = m_view->summary();
        QVERIFY(summary);
        Store store(m_path);
        QCOMPARE(summary->traceCount(),
                 scalar(store, "SELECT count(*) FROM spans WHERE parent_id IS NULL AND dur_ns > 0"));
        QCOMPARE(summary->totalNs(), scalar(store, "SELECT sum(dur_ns) FROM spans WHERE parent_id IS NULL"));
        QVERIFY(m_view->flameGraph()->tree().get() == &summary->tree());
        QCOMPARE(m_view->flameGraph()->tree()->root().totalNs, summary->totalNs());

        QTableWidget* table = m_view->table();
        QVERIFY(table->rowCount() > 3);
        QVERIFY2(table->item(0, 0)->text().endsWith(QStringLiteral("dlp.inspect_content")),
                 qPrintable(table->item(0, 0)->text()));
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("compliance"));
        QVERIFY2(m_view->caption()->text().contains(QStringLiteral("compliance")),
                 qPrintable(m_view->caption()->text()));
    }

    void slowestShare()
    {
        const qint64 all = m_view->summary()->traceCount();
        m_view->setSlowestOnly(true);
        QVERIFY(settle());
        QCOMPARE(m_view->summary()->traceCount(), qint64(std::ceil(all * CriticalPathView::SlowestShare)));
        QVERIFY(m_view->summary()->duration().p50 > 0);
    }

    void rangeAndHiddenTracks()
    {
        // The latest activity (the incident hour): only the traces whose root starts in it.
        const TimeRange latest = m_workbench->snapshot()->latestActivity();
        m_workbench->state()->setTimeRange(latest);
        QVERIFY(settle());
        Store store(m_path);
        QCOMPARE(m_view->summary()->traceCount(),
                 scalar(store,
                        "SELECT count(*) FROM spans WHERE parent_id IS NULL AND dur_ns > 0 AND start_ns >= " +
                            std::to_string(latest.startNs) + " AND start_ns < " +
                            std::to_string(latest.endNs)));

        // With the compliance service hidden, its time is its callers': no call path names it.
        QSet<TrackId> hidden;
        for (const Track& track : m_workbench->snapshot()->tracks) {
            if (track.name == QLatin1String("compliance"))
                hidden.insert(track.id);
        }
        QCOMPARE(hidden.size(), 1);
        m_workbench->state()->setHiddenTracks(hidden);
        QVERIFY(settle());
        QTableWidget* table = m_view->table();
        QVERIFY(table->rowCount() > 0);
        for (int row = 0; row < table->rowCount(); ++row)
            QVERIFY2(!table->item(row, 0)->text().contains(QStringLiteral("dlp.inspect_content")),
                     qPrintable(table->item(row, 0)->text()));
    }

  private:
    bool settle() { return test::settled(*m_workbench, *m_view); }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<CriticalPathView> m_view;
};

QTEST_MAIN(TestCriticalPathView)
#include "tst_criticalpathview.moc"
