// FlameGraphView rendered offscreen into images: box widths against the time they stand for,
// search colours, zoom by click, double click, breadcrumbs and Back, the zoom kept across trees,
// vertical scrolling of trees deeper than the view, the root's total and the callers' tooltips.

#include "categorypalette.h"
#include "flamegraphprobe.h"
#include "flamegraphview.h"

#include <QApplication>
#include <QHelpEvent>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using namespace lundi;
using namespace lundi::test;

namespace {

using Spans = std::vector<SpanRecord>;

constexpr StringId A = 1, B = 2, C = 3, D = 4;
constexpr int Width = 400;

std::shared_ptr<const std::vector<QString>> names(const QString& a = QStringLiteral("A"))
{
    return std::make_shared<const std::vector<QString>>(
        std::vector<QString>{QString(), a, QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("D")});
}

// A [0,75) api with C [0,50) gpu under it, and B [75,100) network: A is 75% of all, B 25%, and
// C two thirds of A.
Spans abc()
{
    return {{1, 0, 1, A, Category::Api, 0, 75},
            {2, 1, 1, C, Category::Gpu, 0, 50},
            {3, 0, 1, B, Category::Network, 75, 25}};
}

std::shared_ptr<const FlameTree> tree(const Spans& spans, const SpanFilter& filter = {})
{
    return std::make_shared<const FlameTree>(FlameTree::build(spans, FlameTree::Roots::Merged, filter));
}

// What a window system delivers for a double click: press, release, press, double click, release
// (QTest::mouseDClick on a widget sends the double click alone).
void doubleClick(QWidget* widget, QPoint pos)
{
    QTest::mouseClick(widget, Qt::LeftButton, {}, pos);
    QTest::mousePress(widget, Qt::LeftButton, {}, pos);
    QTest::mouseDClick(widget, Qt::LeftButton, {}, pos);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, pos);
}

QImage picture(FlameGraphView& view)
{
    return view.grab().toImage();
}

constexpr int Deep = 40;

// Frames 1..Deep, each calling the next for all of its time: Deep + 1 rows with the root, more
// than a 240 px view holds. The deepest is the only gpu frame.
Spans chain()
{
    Spans spans;
    for (int i = 1; i <= Deep; ++i)
        spans.push_back(
            {SpanId(i), SpanId(i - 1), 1, StringId(i), i == Deep ? Category::Gpu : Category::Api, 0, 100});
    return spans;
}

std::shared_ptr<const std::vector<QString>> chainNames()
{
    std::vector<QString> all{QString()};
    for (int i = 1; i <= Deep; ++i)
        all.push_back(QStringLiteral("f%1").arg(i));
    return std::make_shared<const std::vector<QString>>(std::move(all));
}

// The node at depth `depth` of the chain (0: the root).
qint32 chainNode(const FlameGraphView& view, int depth)
{
    qint32 node = 0;
    for (int i = 0; i < depth; ++i)
        node = view.tree()->nodes()[size_t(node)].children.front();
    return node;
}

// A turn of the wheel over the middle of the view; whether the view took it.
bool wheel(FlameGraphView& view, int angle, Qt::KeyboardModifiers modifiers = {})
{
    const QPointF pos(view.width() / 2, view.height() / 2);
    QWheelEvent event(pos, view.mapToGlobal(pos), QPoint(), QPoint(0, angle), Qt::NoButton, modifiers,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &event);
    return event.isAccepted();
}

} // namespace

class TestFlameGraphView : public QObject
{
    Q_OBJECT

  private Q_SLOTS:
    void init()
    {
        m_view = std::make_unique<FlameGraphView>();
        m_view->resize(Width, 240);
        m_view->setTree(tree(abc()), names());
    }

    void widthsFollowTime()
    {
        const QImage image = picture(*m_view);
        const int y = rowOf(*m_view, nodeOf(*m_view, {A}));
        QVERIFY(y > 0);
        // A holds 75% of the width: [0, 300), less the pixel between neighbours.
        const auto [aFirst, aLast] = extent(image, y, CategoryPalette::fill(Category::Api));
        QCOMPARE(aFirst, 0);
        QVERIFY2(qAbs(aLast + 1 - 300) <= 2, qPrintable(QString::number(aLast)));
        const auto [bFirst, bLast] = extent(image, y, CategoryPalette::fill(Category::Network));
        QVERIFY2(qAbs(bFirst - 300) <= 2, qPrintable(QString::number(bFirst)));
        QVERIFY(bLast >= Width - 2);
        // C: two thirds of A's 300 px, below it (icicle).
        const int yc = rowOf(*m_view, nodeOf(*m_view, {A, C}));
        QVERIFY(yc > y);
        const auto [cFirst, cLast] = extent(image, yc, CategoryPalette::fill(Category::Gpu));
        QCOMPARE(cFirst, 0);
        QVERIFY2(qAbs(cLast + 1 - 200) <= 2, qPrintable(QString::number(cLast)));
        // The root fills the width above A.
        const int yRoot = rowOf(*m_view, 0);
        QVERIFY(yRoot < y);
        const auto [rootFirst, rootLast] = extent(image, yRoot, CategoryPalette::fill(Category::Other));
        QCOMPARE(rootFirst, 0);
        QVERIFY(rootLast >= Width - 2);
    }

    void flameGrowsUp()
    {
        m_view->setIcicle(false);
        const int yRoot = rowOf(*m_view, 0);
        const int yA = rowOf(*m_view, nodeOf(*m_view, {A}));
        const int yC = rowOf(*m_view, nodeOf(*m_view, {A, C}));
        QVERIFY(yRoot > yA && yA > yC && yC > 0);
        QVERIFY(yRoot > m_view->height() - 40); // the root sits at the bottom
        const QImage image = picture(*m_view);
        QVERIFY(qAbs(extent(image, yA, CategoryPalette::fill(Category::Api)).second + 1 - 300) <= 2);
    }

    void searchPaintsMatchesAndDimsTheRest()
    {
        Highlight highlight;
        highlight.matches =
            std::make_shared<const std::vector<bool>>(std::vector<bool>{false, true, false, false});
        m_view->setHighlight(highlight);
        const QImage image = picture(*m_view);
        const QColor background = m_view->palette().color(QPalette::Base);
        const int y = rowOf(*m_view, nodeOf(*m_view, {A}));
        QCOMPARE(image.pixelColor(2, y), CategoryPalette::match());
        QCOMPARE(image.pixelColor(350, y),
                 CategoryPalette::dimmed(CategoryPalette::fill(Category::Network), background));
        const int yc = rowOf(*m_view, nodeOf(*m_view, {A, C}));
        QCOMPARE(image.pixelColor(2, yc),
                 CategoryPalette::dimmed(CategoryPalette::fill(Category::Gpu), background));
        // A category filter without a search dims the unticked categories only.
        Highlight categories;
        categories.categories = CategorySet::only(Category::Gpu);
        m_view->setHighlight(categories);
        const QImage filtered = picture(*m_view);
        QCOMPARE(filtered.pixelColor(2, yc), CategoryPalette::fill(Category::Gpu));
        QCOMPARE(filtered.pixelColor(2, y),
                 CategoryPalette::dimmed(CategoryPalette::fill(Category::Api), background));
    }

    void clickZoomsAndBackReturns()
    {
        QSignalSpy selected(m_view.get(), &FlameGraphView::frameSelected);
        QSignalSpy back(m_view.get(), &FlameGraphView::canGoBackChanged);
        const qint32 a = nodeOf(*m_view, {A});
        const int y = rowOf(*m_view, a);
        QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(100, y));
        QCOMPARE(m_view->zoomedNode(), a);
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().front().value<StringId>(), A);
        QCOMPARE(back.size(), 1);
        QCOMPARE(back.front().front().toBool(), true);

        // A now fills the width in the first row, and C two thirds of it below.
        QImage image = picture(*m_view);
        const int top = rowOf(*m_view, a);
        QVERIFY(top > 0 && top < y);
        const auto [first, last] = extent(image, top, CategoryPalette::fill(Category::Api));
        QCOMPARE(first, 0);
        QVERIFY(last >= Width - 2);
        const int yc = rowOf(*m_view, nodeOf(*m_view, {A, C}));
        QVERIFY(qAbs(extent(image, yc, CategoryPalette::fill(Category::Gpu)).second + 1 - 267) <= 2);
        // B is out of sight.
        QCOMPARE(extent(image, top, CategoryPalette::fill(Category::Network)).first, -1);

        m_view->back();
        QCOMPARE(m_view->zoomedNode(), 0);
        QCOMPARE(back.size(), 2);
        QCOMPARE(back.back().front().toBool(), false);
        image = picture(*m_view);
        QVERIFY(qAbs(extent(image, y, CategoryPalette::fill(Category::Api)).second + 1 - 300) <= 2);
    }

    void backspaceAndBreadcrumbs()
    {
        const qint32 a = nodeOf(*m_view, {A});
        const qint32 c = nodeOf(*m_view, {A, C});
        m_view->zoomTo(a);
        m_view->zoomTo(c);
        QCOMPARE(m_view->zoomedNode(), c);
        QTest::keyClick(m_view.get(), Qt::Key_Backspace);
        QCOMPARE(m_view->zoomedNode(), a);
        m_view->zoomTo(c);
        // The first breadcrumb, "all", at the left of the strip above the graph.
        QVERIFY(m_view->nodeAt(QPoint(8, 5)) < 0);
        QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(8, 5));
        QCOMPARE(m_view->zoomedNode(), 0);
        m_view->back();
        QCOMPARE(m_view->zoomedNode(), c);
    }

    void doubleClickOnTheZoomedFrameZoomsOut()
    {
        const qint32 a = nodeOf(*m_view, {A});
        const qint32 c = nodeOf(*m_view, {A, C});
        // A double click on a frame zooms into it, and stays there.
        doubleClick(m_view.get(), QPoint(100, rowOf(*m_view, a)));
        QCOMPARE(m_view->zoomedNode(), a);
        m_view->zoomTo(c);
        // A double click on the frame that fills the width shows everything again.
        doubleClick(m_view.get(), QPoint(100, rowOf(*m_view, c)));
        QCOMPARE(m_view->zoomedNode(), 0);
        m_view->back();
        QCOMPARE(m_view->zoomedNode(), c);
    }

    void zoomKeptAcrossTrees()
    {
        m_view->zoomTo(nodeOf(*m_view, {A}));
        m_view->zoomTo(nodeOf(*m_view, {A, C}));
        // A time range that still holds A > C: the zoom stays on it, the history too.
        SpanFilter early;
        early.range = {10, 40};
        m_view->setTree(tree(abc(), early), names());
        QCOMPARE(m_view->zoomedNode(), nodeOf(*m_view, {A, C}));
        QVERIFY(m_view->canGoBack());
        m_view->back();
        QCOMPARE(m_view->zoomedNode(), nodeOf(*m_view, {A}));

        // Zooms follow names, not ids: a tree where A's StringId names something else.
        m_view->setTree(tree(abc()), names(QStringLiteral("renamed")));
        QCOMPARE(m_view->zoomedNode(), 0);

        // A range without A: back at the root with nothing to go back to.
        m_view->setTree(tree(abc()), names());
        m_view->zoomTo(nodeOf(*m_view, {A}));
        QSignalSpy back(m_view.get(), &FlameGraphView::canGoBackChanged);
        SpanFilter late;
        late.range = {80, 100};
        m_view->setTree(tree(abc(), late), names());
        QCOMPARE(m_view->zoomedNode(), 0);
        QVERIFY(!m_view->canGoBack());
        QCOMPARE(back.size(), 1);
    }

    void narrowFramesMerged()
    {
        // D [0,1000) calls C for 500 ns, then 250 frames of 2 ns each: at 400 px those are
        // 0.8 px wide, drawn as one box that a click zooms into D.
        Spans spans{{1, 0, 1, D, Category::Storage, 0, 1000}, {2, 1, 1, C, Category::Gpu, 0, 500}};
        std::vector<QString> many{QString(), QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"),
                                  QStringLiteral("D")};
        for (int i = 0; i < 250; ++i) {
            many.push_back(QStringLiteral("tiny %1").arg(i));
            spans.push_back({3 + i, 1, 1, StringId(5 + i), Category::Compute, 500 + 2 * i, 2});
        }
        const auto manyNames = std::make_shared<const std::vector<QString>>(many);
        m_view->setTree(tree(spans), manyNames);
        const qint32 c = nodeOf(*m_view, {D, C});
        const int y = rowOf(*m_view, c);
        QCOMPARE(m_view->nodeAt(QPoint(300, y)), -1);
        const QColor background = m_view->palette().color(QPalette::Base);
        const QColor rest = CategoryPalette::dimmed(CategoryPalette::fill(Category::Other), background);
        QImage image = picture(*m_view);
        const auto [first, last] = extent(image, y, rest);
        QVERIFY2(qAbs(first - 200) <= 2 && qAbs(last + 1 - 400) <= 2,
                 qPrintable(QStringLiteral("%1 %2").arg(first).arg(last)));
        QCOMPARE(extent(image, y, CategoryPalette::fill(Category::Compute)).first, -1);

        // A match among them shows on the merged box.
        std::vector<bool> matches(many.size(), false);
        matches.back() = true;
        Highlight highlight;
        highlight.matches = std::make_shared<const std::vector<bool>>(matches);
        m_view->setHighlight(highlight);
        image = picture(*m_view);
        QCOMPARE(image.pixelColor(300, y), CategoryPalette::match());

        QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, QPoint(300, y));
        QCOMPARE(m_view->zoomedNode(), nodeOf(*m_view, {D}));
    }

    void selectedFrameOutlined()
    {
        const int y = rowOf(*m_view, nodeOf(*m_view, {A}));
        const QColor outline = m_view->palette().color(QPalette::Text);
        QVERIFY(picture(*m_view).pixelColor(150, y) != outline);
        m_view->setSelectedFrame(A);
        QCOMPARE(picture(*m_view).pixelColor(150, y), outline);
    }

    void toolTipIsPlainText()
    {
        m_view->setTree(tree(abc()), names(QStringLiteral("<b>x</b>")));
        m_view->show();
        const QPoint pos(100, rowOf(*m_view, nodeOf(*m_view, {A})));
        QHelpEvent help(QEvent::ToolTip, pos, m_view->mapToGlobal(pos));
        QCoreApplication::sendEvent(m_view.get(), &help);
        const QString text = QToolTip::text();
        QVERIFY2(text.contains(QStringLiteral("&lt;b&gt;x&lt;/b&gt;")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Total: 75 ns (75.0% of parent, 75.0% of all)")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Self: 25 ns")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Count: 1")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Category: api")), qPrintable(text));
        QToolTip::hideText();
    }

    void emptyStateSaysSo()
    {
        m_view->setTree(nullptr, names());
        const QColor background = m_view->palette().color(QPalette::Base);
        const QImage image = picture(*m_view);
        int inked = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                inked += image.pixelColor(x, y) != background;
        QVERIFY(inked > 100); // the sentence
        QCOMPARE(m_view->nodeAt(QPoint(100, 100)), -1);
        // A range with nothing in it is as empty.
        SpanFilter none;
        none.range = {1000, 2000};
        m_view->setTree(tree(abc(), none), names());
        QCOMPARE(m_view->nodeAt(QPoint(100, 100)), -1);
        QCOMPARE(extent(picture(*m_view), 100, CategoryPalette::fill(Category::Other)).first, -1);
    }

    void deepTreeScrollsInIcicle()
    {
        m_view->setTree(tree(chain()), chainNames());
        const auto* bar = m_view->findChild<QScrollBar*>();
        QVERIFY(bar && !bar->isHidden());
        const qint32 deepest = chainNode(*m_view, Deep);
        // At the top: the root in the first row, the deepest frame out of sight.
        QCOMPARE(bar->value(), 0);
        QVERIFY(rowOf(*m_view, 0) > 0);
        QCOMPARE(rowOf(*m_view, deepest), -1);
        // The wheel scrolls down to it; the root leaves, the strip stays.
        for (int i = 0; i < 20 && rowOf(*m_view, deepest) < 0; ++i)
            QVERIFY(wheel(*m_view, -120));
        const int y = rowOf(*m_view, deepest);
        QVERIFY2(y > 0, qPrintable(QString::number(bar->value())));
        QCOMPARE(rowOf(*m_view, 0), -1);
        const QImage image = picture(*m_view);
        QCOMPARE(image.pixelColor(2, y), CategoryPalette::fill(Category::Gpu));
        QCOMPARE(image.pixelColor(m_view->width() / 2, 1), m_view->palette().color(QPalette::Window));
        // The boxes end where the bar begins.
        QCOMPARE(m_view->nodeAt(QPoint(bar->x() + 1, y)), -1);
        QCOMPARE(m_view->nodeAt(QPoint(bar->x() - 3, y)), deepest);
        // At the bottom the last row is the deepest: nothing scrolls past it.
        QVERIFY(wheel(*m_view, -120 * 10));
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(m_view->height() - rowOf(*m_view, deepest) < 40);
        // Back up with the wheel.
        for (int i = 0; i < 30; ++i)
            wheel(*m_view, 120);
        QCOMPARE(bar->value(), 0);
        QVERIFY(rowOf(*m_view, 0) > 0);
    }

    void deepTreeStartsAtTheRootInFlame()
    {
        m_view->setIcicle(false);
        m_view->setTree(tree(chain()), chainNames());
        const auto* bar = m_view->findChild<QScrollBar*>();
        QVERIFY(bar && !bar->isHidden());
        // Roots at the bottom: the scroll starts there.
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(rowOf(*m_view, 0) > m_view->height() - 40);
        QCOMPARE(rowOf(*m_view, chainNode(*m_view, Deep)), -1);
        m_view->findChild<QScrollBar*>()->setValue(0);
        const int y = rowOf(*m_view, chainNode(*m_view, Deep));
        QVERIFY(y > 0 && y < 80);
        QCOMPARE(picture(*m_view).pixelColor(2, y), CategoryPalette::fill(Category::Gpu));
        QCOMPARE(rowOf(*m_view, 0), -1);
        // Switching to icicle starts at the root again, now at the top.
        m_view->setIcicle(true);
        QCOMPARE(bar->value(), 0);
        QVERIFY(rowOf(*m_view, 0) > 0 && rowOf(*m_view, 0) < 80);
    }

    void zoomShowsTheZoomedFrame()
    {
        m_view->setTree(tree(chain()), chainNames());
        auto* bar = m_view->findChild<QScrollBar*>();
        bar->setValue(bar->maximum());
        const qint32 middle = chainNode(*m_view, Deep / 2);
        m_view->zoomTo(middle);
        // The zoomed frame in the first row, under the strip.
        QCOMPARE(bar->value(), 0);
        const int y = rowOf(*m_view, middle);
        QVERIFY(y > 0 && y < 80);
        // Deep / 2 + 1 rows still do not fit: the bar stays, with a shorter range.
        QVERIFY(!bar->isHidden());
        bar->setValue(bar->maximum());
        QVERIFY(rowOf(*m_view, chainNode(*m_view, Deep)) > 0);
        // A zoom near the end needs no scrolling.
        m_view->zoomTo(chainNode(*m_view, Deep - 2));
        QVERIFY(bar->isHidden());
        QVERIFY(rowOf(*m_view, chainNode(*m_view, Deep)) > 0);

        // In flame mode the zoomed frame sits at the bottom.
        m_view->setIcicle(false);
        m_view->zoomTo(0);
        bar->setValue(0);
        m_view->zoomTo(middle);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(rowOf(*m_view, middle) > m_view->height() - 40);
    }

    void shallowTreeDoesNotScroll()
    {
        const auto* bar = m_view->findChild<QScrollBar*>();
        QVERIFY(bar->isHidden());
        const int y = rowOf(*m_view, nodeOf(*m_view, {A}));
        QVERIFY(!wheel(*m_view, -120));
        QCOMPARE(rowOf(*m_view, nodeOf(*m_view, {A})), y);
        // Ctrl+wheel does not scroll a deep one either.
        m_view->setTree(tree(chain()), chainNames());
        QVERIFY(!wheel(*m_view, -120, Qt::ControlModifier));
        QCOMPARE(bar->value(), 0);
    }

    void rootRowSaysTheTotal()
    {
        // The root's row holds "all — 100 ns": its label reaches past where "all" alone ends.
        const int y = rowOf(*m_view, 0);
        const QImage image = picture(*m_view);
        const QColor fill = CategoryPalette::fill(Category::Other);
        int inkEnd = -1;
        for (int row = y; row < y + m_view->fontMetrics().height(); ++row)
            for (int x = 0; x < Width - 4; ++x)
                if (image.pixelColor(x, row) != fill)
                    inkEnd = std::max(inkEnd, x);
        const QFontMetrics metrics = m_view->fontMetrics();
        const int labelled = 4 + metrics.horizontalAdvance(QStringLiteral("all — 100 ns"));
        QVERIFY2(qAbs(inkEnd - labelled) <= 3, qPrintable(QStringLiteral("%1 %2").arg(inkEnd).arg(labelled)));
    }

    void callersToolTipSaysWhoseTimeItIs()
    {
        m_view->setToolTipMode(FlameGraphView::ToolTipMode::RootThrough);
        m_view->show();
        const auto toolTipAt = [&](QPoint pos) {
            QHelpEvent help(QEvent::ToolTip, pos, m_view->mapToGlobal(pos));
            QCoreApplication::sendEvent(m_view.get(), &help);
            return QToolTip::text();
        };
        // Read as a callers tree: the root "all" stands for the frame, A for a caller of it.
        QString text = toolTipAt(QPoint(100, rowOf(*m_view, nodeOf(*m_view, {A}))));
        QVERIFY2(text.contains(QStringLiteral("all through this caller: 75 ns (75.0%) in 1 call")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Self time of all in these calls: 25 ns")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("Total:")), qPrintable(text));
        // The root's own figures are its own.
        text = toolTipAt(QPoint(100, rowOf(*m_view, 0)));
        QVERIFY2(text.contains(QStringLiteral("Total: 100 ns")), qPrintable(text));
        QToolTip::hideText();
    }

  private:
    std::unique_ptr<FlameGraphView> m_view;
};

QTEST_MAIN(TestFlameGraphView)
#include "tst_flamegraphview.moc"
