// SandwichView offscreen: the callers grow up from the frame, the callees hang below it, with
// widths by time; nothing selected or a frame absent from the range says so; a caller's tooltip
// says its figures are the frame's calls through it.

#include "categorypalette.h"
#include "flamegraphprobe.h"
#include "sandwichview.h"

#include <QHelpEvent>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using namespace lundi;
using namespace lundi::test;

namespace {

constexpr StringId M = 1, F = 2, G = 3, H = 4, Z = 5;
constexpr int Width = 400;

// M [0,100) api calls F [0,60) gpu, which calls H [0,30) storage; M also calls G [60,100)
// network, which calls F [70,90). F: 80 ns in 2 calls, 60 of them from M, 20 from G (from M).
std::shared_ptr<const FlameTree> calls()
{
    return std::make_shared<const FlameTree>(FlameTree::build({{1, 0, 1, M, Category::Api, 0, 100},
                                                               {2, 1, 1, F, Category::Gpu, 0, 60},
                                                               {3, 2, 1, H, Category::Storage, 0, 30},
                                                               {4, 1, 1, G, Category::Network, 60, 40},
                                                               {5, 4, 1, F, Category::Gpu, 70, 20}}));
}

std::shared_ptr<const std::vector<QString>> names()
{
    return std::make_shared<const std::vector<QString>>(
        std::vector<QString>{QString(), QStringLiteral("M"), QStringLiteral("F"), QStringLiteral("G"),
                             QStringLiteral("H"), QStringLiteral("Z")});
}

} // namespace

class TestSandwichView : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void init()
    {
        m_view = std::make_unique<SandwichView>();
        m_view->resize(Width, 500);
        m_view->setTree(calls(), names());
        m_view->show();
    }

    void nothingSelected()
    {
        QVERIFY(!m_view->callersView()->isVisible());
        QVERIFY(!m_view->calleesView()->isVisible());
        bool said = false;
        for (const QLabel* label : m_view->findChildren<QLabel*>())
            said = said || (label->isVisible() && label->text().contains(QStringLiteral("Select a frame")));
        QVERIFY(said);
    }

    void callersAboveCalleesBelow()
    {
        m_view->setSelectedFrame(F);
        FlameGraphView* callers = m_view->callersView();
        FlameGraphView* callees = m_view->calleesView();
        QVERIFY(callers->isVisible() && callees->isVisible());
        QVERIFY(callers->mapTo(m_view.get(), QPoint()).y() < callees->mapTo(m_view.get(), QPoint()).y());
        QVERIFY2(m_view->title().contains(QStringLiteral("F — 80 ns in 2 calls")),
                 qPrintable(m_view->title()));

        // Callers: F at the bottom, full width; above it M for 60 of F's 80 ns (75%), G for 20.
        const FlameTree& up = *callers->tree();
        QCOMPARE(up.root().frame, F);
        QCOMPARE(up.root().totalNs, 80);
        const qint32 m = nodeOf(up, {M});
        const qint32 g = nodeOf(up, {G});
        const qint32 gm = nodeOf(up, {G, M});
        QVERIFY(m > 0 && g > 0 && gm > 0);
        QCOMPARE(up.nodes()[size_t(m)].totalNs, 60);
        QCOMPARE(up.nodes()[size_t(gm)].totalNs, 20);
        const int yRoot = rowOf(*callers, 0);
        const int yM = rowOf(*callers, m);
        const int yGM = rowOf(*callers, gm, 350);
        QVERIFY(yRoot > yM && yM > yGM && yGM > 0);
        const QImage above = callers->grab().toImage();
        // F is the selected frame: outlined, its fill starts inside the outline.
        QVERIFY(extent(above, yRoot + 2, CategoryPalette::fill(Category::Gpu)).second >= Width - 6);
        QVERIFY(qAbs(extent(above, yM, CategoryPalette::fill(Category::Api)).second + 1 - 300) <= 2);
        QVERIFY(extent(above, yM, CategoryPalette::fill(Category::Network)).second >= Width - 2);
        QCOMPARE(above.pixelColor(2, yGM), callers->palette().color(QPalette::Base)); // nothing above M

        // Callees: F at the top, full width; H below it for 30 of 80 ns.
        const FlameTree& down = *callees->tree();
        QCOMPARE(down.root().frame, F);
        const qint32 h = nodeOf(down, {H});
        QVERIFY(h > 0);
        const int yTop = rowOf(*callees, 0);
        const int yH = rowOf(*callees, h);
        QVERIFY(yTop < yH);
        const QImage below = callees->grab().toImage();
        QVERIFY(extent(below, yTop + 2, CategoryPalette::fill(Category::Gpu)).second >= Width - 6);
        QVERIFY(qAbs(extent(below, yH, CategoryPalette::fill(Category::Storage)).second + 1 - 150) <= 2);
    }

    void halvesTakeTheHeightTheirRowsNeed()
    {
        // H is a leaf called through F, G and M: four rows of callers, one of callees. The
        // callers get what they need (at least a view's minimum height); the callees the rest.
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->setSelectedFrame(H);
        FlameGraphView* callers = m_view->callersView();
        FlameGraphView* callees = m_view->calleesView();
        QCOMPARE(callers->height(), std::max(callers->contentHeight(), callers->minimumHeight()));
        QVERIFY(callers->height() < callees->height());
        // M is a root with no caller: its callers half is a single row.
        m_view->setSelectedFrame(M);
        QCOMPARE(callers->height(), std::max(callers->contentHeight(), callers->minimumHeight()));
        QVERIFY(callees->height() > 2 * callers->height());
    }

    void clickSelectsACaller()
    {
        m_view->setSelectedFrame(F);
        QSignalSpy selected(m_view.get(), &SandwichView::frameSelected);
        FlameGraphView* callers = m_view->callersView();
        QTest::mouseClick(callers, Qt::LeftButton, {},
                          QPoint(100, rowOf(*callers, nodeOf(*callers->tree(), {M}))));
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().front().value<StringId>(), M);
        // The window answers with the new selection: M is now in the middle, a root with no callers.
        m_view->setSelectedFrame(M);
        QCOMPARE(m_view->callersView()->tree()->root().frame, M);
        QVERIFY(m_view->callersView()->tree()->root().children.empty());
        QCOMPARE(m_view->calleesView()->tree()->root().totalNs, 100);
    }

    void frameAbsentFromTheRange()
    {
        m_view->setSelectedFrame(Z);
        QVERIFY(m_view->callersView()->isVisible());
        QCOMPARE(m_view->callersView()->tree()->root().totalNs, 0);
        QCOMPARE(m_view->callersView()->nodeAt(QPoint(100, 100)), -1);
        QCOMPARE(m_view->title(), QStringLiteral("Z"));
        m_view->setSelectedFrame(0);
        QVERIFY(!m_view->callersView()->isVisible());
    }

    void callerToolTipsSayThroughThisCaller()
    {
        m_view->setSelectedFrame(F);
        const auto toolTipAt = [](FlameGraphView* view, QPoint pos) {
            QHelpEvent help(QEvent::ToolTip, pos, view->mapToGlobal(pos));
            QCoreApplication::sendEvent(view, &help);
            return QToolTip::text();
        };
        // M's figures in the callers half are F's 60 ns through M, not M's own 100 ns.
        FlameGraphView* callers = m_view->callersView();
        QString text = toolTipAt(callers, QPoint(100, rowOf(*callers, nodeOf(*callers->tree(), {M}))));
        QVERIFY2(text.contains(QStringLiteral("F through this caller: 60 ns (75.0%) in 1 call")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Self time of F in these calls: 30 ns")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Caller, category: api")), qPrintable(text));
        // The callees half shows each callee's own time.
        FlameGraphView* callees = m_view->calleesView();
        text = toolTipAt(callees, QPoint(100, rowOf(*callees, nodeOf(*callees->tree(), {H}))));
        QVERIFY2(text.contains(QStringLiteral("Total: 30 ns")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("through")), qPrintable(text));
        QToolTip::hideText();
    }

  private:
    std::unique_ptr<SandwichView> m_view;
};

QTEST_MAIN(TestSandwichView)
#include "tst_sandwichview.moc"
