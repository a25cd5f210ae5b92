// The workbench window end to end, driven as a user drives it: it opens on the demo incident,
// takes a corpus trace dropped on it, and answers search, zoom, range selection and Back from
// mouse and key events; its layout comes back on the next start.

#include "flamechartview.h"
#include "flamegraphview.h"
#include "importqueue.h"
#include "mainwindow.h"
#include "sourcespanel.h"
#include "store/store.h"
#include "workbench.h"

#include <QDockWidget>
#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace lundi;

namespace {

const QString Alexnet = QStringLiteral(LUNDI_CORPUS_DIR "/chrome-trace/hta_cuda_alexnet_critical_path.json");

bool settle(MainWindow& window)
{
    return QTest::qWaitFor([&] { return window.isSettled(); }, 120000);
}

QString statusText(MainWindow& window)
{
    QString text;
    for (QLabel* label : window.statusBar()->findChildren<QLabel*>())
        text += label->text() + QLatin1Char('|');
    return text;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The user's data and settings folders, inside the test's.
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("LUNDI_PLUGIN_PATH", LUNDI_PLUGIN_DIR);
        QCoreApplication::setOrganizationName(QStringLiteral("lundi-test"));
        QCoreApplication::setApplicationName(QStringLiteral("lundi-test"));
    }

    void opensTheDemoAndIsDrivenByTheUser()
    {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openDemo();
        QVERIFY(settle(window));
        const QString demo =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo.lundi");
        QCOMPARE(window.workbench()->path(), demo);
        QCOMPARE(window.workbench()->snapshot()->counts.spans, 248829);
        QVERIFY(window.windowTitle().contains(QLatin1String("demo.lundi")));
        const qint64 wholeNs = window.workbench()->flameTree()->root().totalNs;

        // A corpus trace dropped on the window is imported into the open incident.
        auto* mime = new QMimeData;
        mime->setUrls({QUrl::fromLocalFile(Alexnet)});
        QDragEnterEvent enter(QPoint(400, 300), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(400, 300), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        delete mime;
        QVERIFY(QTest::qWaitFor([&] { return window.workbench()->snapshot()->counts.sources == 2; }, 120000));
        QVERIFY(settle(window));
        QCOMPARE(window.sources()->topLevelItemCount(), 2);
        QVERIFY(window.workbench()->flameTree()->root().totalNs > wholeNs);
        const qint64 bothNs = window.workbench()->flameTree()->root().totalNs;

        // Ctrl+F, then typing a pattern: matches are counted in the status bar.
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(QTest::qWaitFor([&] { return window.searchField()->hasFocus(); }, 5000));
        QTest::keyClicks(window.searchField(), QStringLiteral("dlp\\.inspect"));
        QVERIFY(QTest::qWaitFor([&] { return window.workbench()->highlight().searching(); }, 10000));
        QVERIFY(settle(window));
        QVERIFY2(statusText(window).contains(QLatin1String("76,285 spans match")) ||
                     statusText(window).contains(QLatin1String("76285 spans match")),
                 qPrintable(statusText(window)));
        QTest::keyClick(window.searchField(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(window.searchField(), Qt::Key_Delete);
        QVERIFY(QTest::qWaitFor([&] { return !window.workbench()->highlight().searching(); }, 10000));

        // The flame chart: W zooms in around the centre.
        window.showView(MainWindow::View::FlameChart);
        FlameChartView* chart = window.flameChart();
        QVERIFY(QTest::qWaitForWindowExposed(chart));
        chart->setFocus();
        // The first look is the demo's incident hour, not the week since its baseline.
        const qint64 endNs = window.workbench()->snapshot()->timeRange.endNs;
        const TimeRange before = chart->visibleWindow();
        QCOMPARE(before.endNs, endNs);
        QVERIFY(before.startNs > endNs - 3720'000'000'000 && before.startNs < endNs - 3600'000'000'000);
        QTest::keyClick(chart, Qt::Key_W);
        const TimeRange zoomed = chart->visibleWindow();
        QVERIFY(zoomed.endNs - zoomed.startNs < before.endNs - before.startNs);

        // A drag on the ruler selects a time range; the flame graph re-aggregates to it.
        const QRect ruler = chart->rulerRect();
        const QPoint from(ruler.left() + ruler.width() / 4, ruler.center().y());
        const QPoint to(ruler.left() + ruler.width() / 2, ruler.center().y());
        QTest::mousePress(chart, Qt::LeftButton, {}, from);
        QTest::mouseMove(chart, (from + to) / 2);
        QTest::mouseMove(chart, to);
        QTest::mouseRelease(chart, Qt::LeftButton, {}, to);
        const TimeRange range = window.workbench()->state()->timeRange();
        QVERIFY(!range.isEmpty());
        QCOMPARE(range.startNs, chart->timeAt(from.x()));
        QCOMPARE(range.endNs, chart->timeAt(to.x()));
        QVERIFY(settle(window));
        const qint64 rangeNs = window.workbench()->flameTree()->root().totalNs;
        QVERIFY(rangeNs > 0 && rangeNs < bothNs);

        // The flame graph: a click on a frame zooms into it, Backspace goes back.
        window.showView(MainWindow::View::FlameGraph);
        FlameGraphView* graph = window.flameGraph();
        QVERIFY(QTest::qWaitForWindowExposed(graph));
        QPoint frame;
        for (int y = 0; y < graph->height() && frame.isNull(); y += 4) {
            if (graph->nodeAt(QPoint(20, y)) > 0)
                frame = QPoint(20, y);
        }
        QVERIFY(!frame.isNull());
        QTest::mouseClick(graph, Qt::LeftButton, {}, frame);
        QVERIFY(graph->zoomedNode() > 0);
        QVERIFY(graph->canGoBack());
        QVERIFY(window.workbench()->state()->selectedFrame() > 0);
        graph->setFocus();
        QTest::keyClick(graph, Qt::Key_Backspace);
        QCOMPARE(graph->zoomedNode(), 0);
        QVERIFY(!graph->canGoBack());

        // A file that cannot be imported: its sentence in a message box, the incident as it was.
        const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"traceEvents\": [{\"ph\": \"X\", \"name\": \"<b>x</b>\", \"ts\": 1, \"dur\": tru");
        file.close();
        const IncidentCounts counted = window.workbench()->snapshot()->counts;
        window.importFiles({broken});
        QMessageBox* box = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (box = window.findChild<QMessageBox*>()) != nullptr; }, 60000));
        QVERIFY2(box->text().startsWith(QLatin1String("broken.json: line 1, column")),
                 qPrintable(box->text()));
        QCOMPARE(box->textFormat(), Qt::PlainText);
        box->close();
        QVERIFY(settle(window));
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(Store(window.workbench()->path()).counts().sources, counted.sources);
        QCOMPARE(Store(window.workbench()->path()).counts().spans, counted.spans);

        // Esc clears the range: the totals are the whole incident's again.
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(window.workbench()->state()->timeRange().isEmpty());
        QVERIFY(settle(window));
        QCOMPARE(window.workbench()->flameTree()->root().totalNs, bothNs);
        window.close();
    }

    void restoresItsLayout()
    {
        {
            MainWindow window;
            window.resize(1200, 800);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.showView(MainWindow::View::Top);
            window.findChild<QDockWidget*>(QStringLiteral("detailsDock"))->hide();
            window.close();
        }
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.findChild<QTabWidget*>()->currentIndex(), int(MainWindow::View::Top));
        QVERIFY(!window.findChild<QDockWidget*>(QStringLiteral("detailsDock"))->isVisible());
        QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("sourcesDock"))->isVisible());
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
