// The Diff view on the demo incident, whose baseline hour comes a week before its incident hour:
// what it picks by itself, the differential flame graph it draws (checked against the incident
// file through SQL, and in the pixels), the baseline-widths toggle, and a side against itself.

#include "changelegend.h"
#include "changepalette.h"
#include "contributorsmodel.h"
#include "demofile.h"
#include "diffview.h"
#include "flamegraphprobe.h"
#include "flamegraphview.h"
#include "store/statement.h"
#include "store/store.h"
#include "viewonincident.h"
#include "workbench.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

const QString Culprit = QStringLiteral("dlp.inspect_content");

qint64 scalar(Store& store, const std::string& sql)
{
    Statement query(store.connection(), sql);
    return query.step() ? query.int64(0) : 0;
}

// The union node whose frame is named name, or -1.
qint32 nodeNamed(const FlameTree& tree, const std::vector<QString>& names, const QString& name)
{
    for (size_t n = 0; n < tree.nodes().size(); ++n) {
        const qint64 frame = tree.nodes()[n].frame;
        if (frame > 0 && names[size_t(frame)] == name)
            return qint32(n);
    }
    return -1;
}

} // namespace

class TestDiffView : public QObject
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

    // The baseline is the hour before the gap, the incident the hour after it: the culprit is
    // new, and its calls are those of the incident hour in the file.
    void comparesTheBaselineHourWithTheIncidentHour()
    {
        QCOMPARE(m_view->baselineChoice()->currentText(), QStringLiteral("Before the latest activity"));
        QCOMPARE(m_view->incidentChoice()->currentText(), QStringLiteral("Latest activity"));
        const auto diff = m_view->diff();
        QVERIFY(diff);
        const FlameTree& tree = diff->flame.tree(FlameDiff::Widths::Incident);
        const auto names = m_workbench->names();
        const qint32 culprit = nodeNamed(tree, *names, Culprit);
        QVERIFY(culprit > 0);
        const FlameDiff::Change& change = diff->flame.changes()[size_t(culprit)];
        QVERIFY(change.isNew());
        Store store(m_path);
        QCOMPARE(change.incidentCount, scalar(store, "SELECT count(*) FROM spans s JOIN strings n ON n.id = "
                                                     "s.name_id WHERE n.text = 'dlp.inspect_content'"));
        // Most of the incident's time, none of the baseline's: the largest change there is.
        QVERIFY(change.shareChange() > 0.5);
        QCOMPARE(diff->flame.largestChange(), m_view->legend()->scale());
        QVERIFY(m_view->graph()->tree().get() == &tree);

        // Drawn red, as the palette draws the largest change.
        const QImage image = m_view->graph()->grab().toImage();
        const int y = test::rowOf(*m_view->graph(), culprit);
        QVERIFY(y >= 0);
        const QColor red = ChangePalette::fill(change.shareChange(), diff->flame.largestChange());
        QVERIFY(red.red() > red.blue() + 100);
        const auto [first, last] = test::extent(image, y, red);
        QVERIFY2(last - first > m_view->graph()->width() / 2, qPrintable(QString::number(last - first)));
    }

    // The table: the culprit first, new, in its category; a click on it zooms the graph into it.
    void contributorsTable()
    {
        const auto diff = m_view->diff();
        QVERIFY(diff);
        QTableView* table = m_view->table();
        QCOMPARE(table->model()->rowCount(), int(diff->paths.size() + diff->categories.size()));
        QVERIFY(table->model()->rowCount() >= 2);
        const auto cell = [&](int row, int column) {
            return table->model()->index(row, column).data().toString();
        };
        QVERIFY2(
            cell(0, ContributorsModel::What).startsWith(Culprit + QStringLiteral(" ‹ pii_scan.documents")),
            qPrintable(cell(0, ContributorsModel::What)));
        QCOMPARE(cell(0, ContributorsModel::Status), QStringLiteral("new"));
        QCOMPARE(cell(0, ContributorsModel::CategoryColumn), QStringLiteral("compliance"));
        QCOMPARE(cell(int(diff->paths.size()), ContributorsModel::What),
                 QStringLiteral("all compliance time"));

        const QModelIndex first = table->model()->index(0, ContributorsModel::What);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
        const qint32 zoomed = m_view->graph()->zoomedNode();
        QVERIFY(zoomed > 0);
        const auto names = m_workbench->names();
        QCOMPARE((*names)[size_t(m_view->graph()->tree()->nodes()[size_t(zoomed)].frame)], Culprit);
    }

    // Baseline widths: the tree of the baseline's time, where the culprit has no width and a
    // frame that the incident lacks still has its own.
    void baselineWidths()
    {
        const auto diff = m_view->diff();
        QVERIFY(diff);
        m_view->baselineWidths()->setChecked(true);
        const FlameTree& tree = *m_view->graph()->tree();
        QVERIFY(&tree == &diff->flame.tree(FlameDiff::Widths::Baseline));
        const auto names = m_workbench->names();
        QCOMPARE(tree.nodes()[size_t(nodeNamed(tree, *names, Culprit))].totalNs, 0);
        Store store(m_path);
        const TimeRange whole = m_workbench->snapshot()->timeRange;
        const TimeRange latest = m_workbench->snapshot()->latestActivity();
        // The root spans of the baseline, clipped to where it ends.
        const std::string clipped = "max(0, min(start_ns + dur_ns, " + std::to_string(latest.startNs) +
                                    ") - max(start_ns, " + std::to_string(whole.startNs) + "))";
        QCOMPARE(tree.root().totalNs,
                 scalar(store, "SELECT sum(" + clipped + ") FROM spans WHERE parent_id IS NULL"));
        m_view->baselineWidths()->setChecked(false);
        QVERIFY(m_view->graph()->tree().get() == &diff->flame.tree(FlameDiff::Widths::Incident));
    }

    // The selected range against what came before it: the traces of each side are those whose
    // root starts in it, as the file has them.
    void selectedRangeAgainstWhatCameBefore()
    {
        const TimeRange latest = m_workbench->snapshot()->latestActivity();
        const TimeRange selected{latest.startNs + (latest.endNs - latest.startNs) / 2, latest.endNs};
        const auto untouched = m_view->diff();
        m_workbench->state()->setTimeRange(selected);
        QVERIFY(settle());
        // Neither side is the selected range yet: nothing to compare again.
        QCOMPARE(m_view->diff(), untouched);
        const int before = m_view->baselineChoice()->findText(QStringLiteral("Before the selected range"));
        const int range = m_view->incidentChoice()->findText(QStringLiteral("Selected range"));
        QVERIFY(before >= 0 && range >= 0);
        m_view->baselineChoice()->setCurrentIndex(before);
        m_view->incidentChoice()->setCurrentIndex(range);
        QVERIFY(settle());
        const auto diff = m_view->diff();
        QVERIFY(diff);
        Store store(m_path);
        const auto roots = [&](qint64 startNs, qint64 endNs) {
            return scalar(store, "SELECT count(*) FROM spans WHERE parent_id IS NULL AND start_ns >= " +
                                     std::to_string(startNs) + " AND start_ns < " + std::to_string(endNs));
        };
        QCOMPARE(diff->incident.traces, roots(selected.startNs, selected.endNs));
        QCOMPARE(diff->baseline.traces, roots(m_workbench->snapshot()->timeRange.startNs, selected.startNs));
        QVERIFY(diff->incident.traces > 0 && diff->baseline.traces > diff->incident.traces);
    }

    // A side against itself: no frame changed, and nothing is drawn red or blue.
    void itselfChangesNothing()
    {
        m_view->baselineChoice()->setCurrentIndex(m_view->incidentChoice()->currentIndex());
        QVERIFY(settle());
        const auto diff = m_view->diff();
        QVERIFY(diff);
        QCOMPARE(diff->flame.largestChange(), 0.0);
        QCOMPARE(m_view->table()->model()->rowCount(), 0);
        const QImage image = m_view->graph()->grab().toImage();
        for (int y = 0; y < image.height(); y += 3) {
            for (int x = 0; x < image.width(); x += 3) {
                const QColor c = image.pixelColor(x, y);
                QVERIFY2(std::abs(c.red() - c.blue()) < 40,
                         qPrintable(QStringLiteral("(%1, %2) is %3").arg(x).arg(y).arg(c.name())));
            }
        }
    }

  private:
    bool settle() { return test::settled(*m_workbench, *m_view); }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<DiffView> m_view;
};

QTEST_MAIN(TestDiffView)
#include "tst_diffview.moc"
