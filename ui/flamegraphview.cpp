#include "flamegraphview.h"

#include "categorypalette.h"
#include "changepalette.h"
#include "plaintooltip.h"
#include "timeformat.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <utility>

namespace lundi {

namespace {

// Children narrower than this are merged into one box per parent, their subtrees skipped.
constexpr double MinBoxPx = 2.0;
constexpr int LabelPadding = 4;
constexpr int StripPadding = 6;
constexpr int CrumbWidth = 180;

QString percent(qint64 part, qint64 whole)
{
    if (whole <= 0)
        return QStringLiteral("–");
    return QString::number(100.0 * double(part) / double(whole), 'f', 1) + QLatin1Char('%');
}

QString calls(qint64 count)
{
    return count == 1 ? FlameGraphView::tr("1 call")
                      : FlameGraphView::tr("%1 calls").arg(QLocale().toString(count));
}

} // namespace

// One paint of the graph: walks the visible part of the tree from the zoomed node, drawing
// each box at most once and stopping at boxes too narrow or rows out of sight. Rows above the
// view are walked only along the subtrees that reach into it, and not drawn.
class FlameGraphView::Painter
{
  public:
    Painter(const FlameGraphView& view, QPainter& painter)
        : m_view(view), m_painter(painter), m_nodes(view.m_tree->nodes()), m_metrics(view.fontMetrics()),
          m_graph(view.graphRect()), m_rowHeight(view.rowHeight()), m_offset(view.rootOffset()),
          m_firstRow(m_offset / m_rowHeight), m_lastRow((m_offset + m_graph.height() - 1) / m_rowHeight),
          m_background(view.palette().color(QPalette::Base)), m_dimText(view.palette().color(QPalette::Text)),
          m_rest(CategoryPalette::dimmed(CategoryPalette::fill(Category::Other), m_background)),
          m_minLabel(m_metrics.averageCharWidth() * 3 + 2 * LabelPadding),
          m_baseline((m_rowHeight - 1 - m_metrics.height()) / 2 + m_metrics.ascent())
    {
        m_dimText.setAlpha(170);
    }

    void paint(qint32 node, double left, double right, int depth)
    {
        const FlameTree::Node& here = m_nodes[size_t(node)];
        if (depth >= m_firstRow)
            box(node, qRound(left), qRound(right), depth);
        const size_t begin = size_t(m_view.m_childBegin[size_t(node)]);
        const size_t end = size_t(m_view.m_childBegin[size_t(node) + 1]);
        if (depth + 1 > m_lastRow || begin == end)
            return;
        // Children that overlap or overhang their parent sum to more than it: keep them inside.
        const qint64 whole = std::max(here.totalNs, m_view.m_restTotal[begin]);
        if (whole <= 0)
            return;
        const double scale = (right - left) / double(whole);
        double x = left;
        for (size_t k = begin; k < end; ++k) {
            const qint32 child = m_view.m_children[k];
            const double width = double(m_nodes[size_t(child)].totalNs) * scale;
            if (width < MinBoxPx) {
                // Widest first: every child from here on is as narrow. One box stands for them.
                if (depth + 1 >= m_firstRow)
                    rest(k, qRound(x), qRound(x + double(m_view.m_restTotal[k]) * scale), depth + 1);
                break;
            }
            if (depth + 1 + m_view.m_height[size_t(child)] >= m_firstRow)
                paint(child, x, x + width, depth + 1);
            x += width;
        }
    }

  private:
    QRect rowRect(int left, int right, int depth) const
    {
        const int top = m_view.m_icicle ? m_graph.top() + depth * m_rowHeight - m_offset
                                        : m_graph.bottom() + 1 - (depth + 1) * m_rowHeight + m_offset;
        // A pixel of background between neighbours and rows, where there is room for it.
        const int width = right - left;
        return QRect(m_graph.left() + left, top, width >= 4 ? width - 1 : width, m_rowHeight - 1);
    }

    void box(qint32 node, int left, int right, int depth)
    {
        if (right <= left)
            return;
        const FlameTree::Node& here = m_nodes[size_t(node)];
        const QRect rect = rowRect(left, right, depth);
        const Highlight& highlight = m_view.m_highlight;
        bool dimmed = false;
        QColor fill;
        if (here.frame > 0) {
            fill = CategoryPalette::fill(here.frame, here.category, highlight, m_background);
            dimmed = !highlight.matched(here.frame) && highlight.dimmed(here.frame, here.category);
        } else {
            // The root and track nodes hold no time of their own kind: neutral, dimmed by a search.
            fill = CategoryPalette::fill(Category::Other);
            dimmed = here.frame < 0 && highlight.dimmed(0, Category::Other);
            if (dimmed)
                fill = CategoryPalette::dimmed(fill, m_background);
        }
        if (m_view.m_changes && size_t(node) < m_view.m_changes->size() && !highlight.matched(here.frame)) {
            // A differential graph: the change is the colour, whatever the category.
            const QColor change =
                ChangePalette::fill((*m_view.m_changes)[size_t(node)], m_view.m_changeScale);
            fill = dimmed ? CategoryPalette::dimmed(change, m_background) : change;
        }
        m_painter.fillRect(rect, fill);

        if (here.frame != 0 && here.frame == m_view.m_selected) {
            m_painter.setPen(QPen(m_view.palette().color(QPalette::Text), 2));
            m_painter.setBrush(Qt::NoBrush);
            m_painter.drawRect(rect.adjusted(1, 1, -1, -1));
        } else if (node == m_view.m_hover) {
            m_painter.setPen(m_view.palette().color(QPalette::Text));
            m_painter.setBrush(Qt::NoBrush);
            m_painter.drawRect(rect.adjusted(0, 0, -1, -1));
        }

        if (rect.width() < m_minLabel)
            return;
        const int available = rect.width() - 2 * LabelPadding;
        QString text = m_view.nodeName(node);
        int& width = m_view.m_nameWidth[size_t(node)];
        if (width < 0)
            width = m_metrics.horizontalAdvance(text);
        int shown = width;
        // The root says what it holds in all where that fits: the strip's crumb already says "all".
        if (here.frame == 0 && here.parent < 0) {
            const QString total = FlameGraphView::tr("%1 — %2").arg(text, TimeFormat::duration(here.totalNs));
            const int totalWidth = m_metrics.horizontalAdvance(total);
            if (totalWidth <= available) {
                text = total;
                shown = totalWidth;
            }
        }
        if (shown > available) {
            // A letter or two and an ellipsis say nothing: keep at least three of the name.
            text = m_metrics.elidedText(text, Qt::ElideRight, available);
            if (text.size() < 4)
                return;
        }
        m_painter.setPen(dimmed ? m_dimText : CategoryPalette::text());
        m_painter.drawText(rect.left() + LabelPadding, rect.top() + m_baseline, text);
    }

    // Children from k on of a parent, each too narrow to draw, as one box.
    void rest(size_t k, int left, int right, int depth)
    {
        if (right <= left)
            return;
        const bool matched = !m_view.m_restMatched.empty() && m_view.m_restMatched[k];
        m_painter.fillRect(rowRect(left, right, depth), matched ? CategoryPalette::match() : m_rest);
    }

    const FlameGraphView& m_view;
    QPainter& m_painter;
    const std::vector<FlameTree::Node>& m_nodes;
    const QFontMetrics m_metrics;
    const QRect m_graph;
    const int m_rowHeight;
    const int m_offset;
    const int m_firstRow;
    const int m_lastRow;
    const QColor m_background;
    QColor m_dimText;
    const QColor m_rest;
    const int m_minLabel;
    const int m_baseline;
};

FlameGraphView::FlameGraphView(QWidget* parent)
    : QWidget(parent), m_emptyText(tr("No spans to show: none fall in the selected time range on the "
                                      "visible tracks.")),
      m_scrollBar(new QScrollBar(Qt::Vertical, this))
{
    m_scrollBar->hide();
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this] {
        m_hover = -1;
        update();
    });
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 100);
}

FlameGraphView::~FlameGraphView() = default;

int FlameGraphView::contentHeight() const
{
    return stripRect().height() + (empty() ? 0 : drawnRows(width()) * rowHeight());
}

QSize FlameGraphView::sizeHint() const
{
    return QSize(800, 400);
}

void FlameGraphView::setTree(std::shared_ptr<const FlameTree> tree,
                             std::shared_ptr<const std::vector<QString>> names)
{
    // Where the user was, by names, to find it again in the new tree.
    std::vector<Step> zoomPath;
    std::vector<std::vector<Step>> historyPaths;
    if (m_tree) {
        zoomPath = pathOf(m_zoom);
        for (qint32 node : m_history)
            historyPaths.push_back(pathOf(node));
    }
    const bool couldGoBack = canGoBack();
    const qint32 oldZoom = m_zoom;
    const int offset = rootOffset();

    m_tree = std::move(tree);
    m_names = std::move(names);
    prepareTree();
    computeMatches();
    m_zoom = 0;
    m_history.clear();
    m_hover = -1;
    m_press = {};
    m_pressCrumb = -1;
    if (m_tree) {
        for (const std::vector<Step>& path : historyPaths) {
            const qint32 node = find(path);
            if (node >= 0 && (m_history.empty() || m_history.back() != node))
                m_history.push_back(node);
        }
        const qint32 zoom = find(zoomPath);
        m_zoom = std::max<qint32>(0, zoom);
        if (!m_history.empty() && m_history.back() == m_zoom)
            m_history.pop_back();
        // The same frames at the root's edge: the scroll stays where it was.
        updateScrollBar();
        setRootOffset(zoom >= 0 ? offset : 0);
    } else {
        updateScrollBar();
    }
    if (couldGoBack != canGoBack())
        Q_EMIT canGoBackChanged(canGoBack());
    if (oldZoom != m_zoom)
        Q_EMIT zoomChanged(m_zoom);
    update();
}

void FlameGraphView::prepareTree()
{
    m_childBegin.clear();
    m_children.clear();
    m_restTotal.clear();
    m_height.clear();
    m_nameWidth.clear();
    if (!m_tree)
        return;
    const std::vector<FlameTree::Node>& nodes = m_tree->nodes();
    m_childBegin.reserve(nodes.size() + 1);
    m_children.reserve(nodes.size());
    m_restTotal.resize(nodes.size());
    for (const FlameTree::Node& node : nodes) {
        const size_t begin = m_children.size();
        m_childBegin.push_back(qint32(begin));
        m_children.insert(m_children.end(), node.children.begin(), node.children.end());
        // Widest first; equal ones by name id, so the picture does not depend on arrival order.
        std::sort(m_children.begin() + qint64(begin), m_children.end(), [&](qint32 a, qint32 b) {
            const FlameTree::Node& x = nodes[size_t(a)];
            const FlameTree::Node& y = nodes[size_t(b)];
            return x.totalNs != y.totalNs ? x.totalNs > y.totalNs : x.frame < y.frame;
        });
        qint64 rest = 0;
        for (size_t k = m_children.size(); k-- > begin;) {
            rest += nodes[size_t(m_children[k])].totalNs;
            m_restTotal[k] = rest;
        }
    }
    m_childBegin.push_back(qint32(m_children.size()));
    m_nameWidth.assign(nodes.size(), -1);
    // Children come after their parents: going backwards, a node's height is known before its
    // parent's.
    m_height.assign(nodes.size(), 0);
    for (size_t n = nodes.size(); n-- > 1;) {
        qint32& parent = m_height[size_t(nodes[n].parent)];
        parent = std::max(parent, m_height[n] + 1);
    }
}

void FlameGraphView::computeMatches()
{
    m_subtreeMatched.clear();
    m_restMatched.clear();
    if (!m_tree || !m_highlight.searching())
        return;
    const std::vector<FlameTree::Node>& nodes = m_tree->nodes();
    m_subtreeMatched.assign(nodes.size(), false);
    // Children come after their parents: going backwards, a node is done before its parent.
    for (size_t n = nodes.size(); n-- > 0;) {
        if (m_highlight.matched(nodes[n].frame))
            m_subtreeMatched[n] = true;
        if (m_subtreeMatched[n] && nodes[n].parent >= 0)
            m_subtreeMatched[size_t(nodes[n].parent)] = true;
    }
    m_restMatched.assign(m_children.size(), false);
    for (size_t n = 0; n < nodes.size(); ++n) {
        bool any = false;
        for (size_t k = size_t(m_childBegin[n + 1]); k-- > size_t(m_childBegin[n]);) {
            any = any || m_subtreeMatched[size_t(m_children[k])];
            m_restMatched[k] = any;
        }
    }
}

void FlameGraphView::setChanges(std::shared_ptr<const std::vector<double>> changes, double scale)
{
    m_changes = std::move(changes);
    m_changeScale = scale;
    update();
}

void FlameGraphView::setTrackNames(TrackNames names)
{
    m_trackNames = std::move(names);
    std::fill(m_nameWidth.begin(), m_nameWidth.end(), -1);
    update();
}

void FlameGraphView::setHighlight(const Highlight& highlight)
{
    m_highlight = highlight;
    computeMatches();
    update();
}

void FlameGraphView::setSelectedFrame(StringId name)
{
    if (m_selected == name)
        return;
    m_selected = name;
    update();
}

void FlameGraphView::setIcicle(bool icicle)
{
    if (m_icicle == icicle)
        return;
    m_icicle = icicle;
    m_hover = -1;
    setRootOffset(0);
    update();
}

void FlameGraphView::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

void FlameGraphView::setCaption(const QString& text)
{
    m_caption = text;
    update();
}

QString FlameGraphView::frameName(qint64 frame) const
{
    if (frame == 0)
        return tr("all");
    if (frame < 0)
        return m_trackNames ? m_trackNames(-frame) : tr("track %1").arg(-frame);
    const QString name = m_names && size_t(frame) < m_names->size() ? (*m_names)[size_t(frame)] : QString();
    return name.isEmpty() ? tr("(unnamed)") : name;
}

std::vector<FlameGraphView::Step> FlameGraphView::pathOf(qint32 node) const
{
    std::vector<Step> path;
    for (qint32 n = node; n >= 0; n = m_tree->nodes()[size_t(n)].parent) {
        const qint64 frame = m_tree->nodes()[size_t(n)].frame;
        path.push_back({frame, frame > 0 ? frameName(frame) : QString()});
    }
    std::reverse(path.begin(), path.end());
    return path;
}

qint32 FlameGraphView::find(const std::vector<Step>& path) const
{
    const std::vector<FlameTree::Node>& nodes = m_tree->nodes();
    const auto matches = [&](qint32 node, const Step& step) {
        const qint64 frame = nodes[size_t(node)].frame;
        return frame > 0 ? step.frame > 0 && frameName(frame) == step.name : frame == step.frame;
    };
    if (path.empty() || !matches(0, path.front()))
        return -1;
    qint32 node = 0;
    for (size_t i = 1; i < path.size(); ++i) {
        const auto& children = nodes[size_t(node)].children;
        const auto it =
            std::find_if(children.begin(), children.end(), [&](qint32 c) { return matches(c, path[i]); });
        if (it == children.end())
            return -1;
        node = *it;
    }
    return node;
}

void FlameGraphView::zoomTo(qint32 node)
{
    if (!m_tree || node < 0 || size_t(node) >= m_tree->nodes().size() || node == m_zoom)
        return;
    m_history.push_back(m_zoom);
    if (m_history.size() == 1)
        Q_EMIT canGoBackChanged(true);
    setZoom(node);
}

void FlameGraphView::back()
{
    if (m_history.empty())
        return;
    const qint32 node = m_history.back();
    m_history.pop_back();
    if (m_history.empty())
        Q_EMIT canGoBackChanged(false);
    setZoom(node);
}

void FlameGraphView::setZoom(qint32 node)
{
    m_zoom = node;
    m_hover = -1;
    // The zoomed frame is the first row at the root's edge: in sight.
    updateScrollBar();
    setRootOffset(0);
    update();
    Q_EMIT zoomChanged(node);
}

bool FlameGraphView::empty() const
{
    return !m_tree || m_tree->root().totalNs <= 0;
}

int FlameGraphView::rowHeight() const
{
    return fontMetrics().height() + 6;
}

QRect FlameGraphView::stripRect() const
{
    return QRect(0, 0, width(), rowHeight() + 4);
}

QRect FlameGraphView::graphRect() const
{
    const int top = stripRect().bottom() + 1;
    const int right = m_scrollBar->isHidden() ? width() : m_scrollBar->x();
    return QRect(0, top, std::max(0, right), std::max(0, height() - top));
}

int FlameGraphView::rootOffset() const
{
    return m_icicle ? m_scrollBar->value() : m_scrollBar->maximum() - m_scrollBar->value();
}

void FlameGraphView::setRootOffset(int offset)
{
    m_scrollBar->setValue(m_icicle ? offset : m_scrollBar->maximum() - offset);
}

void FlameGraphView::updateScrollBar()
{
    const int offset = rootOffset();
    const int top = stripRect().bottom() + 1;
    const int graphHeight = std::max(0, height() - top);
    const int barWidth = m_scrollBar->sizeHint().width();
    int rows = 0;
    bool needed = false;
    if (!empty()) {
        rows = drawnRows(width());
        // With the bar the graph is narrower, and may hold fewer rows: never more.
        needed = rows * rowHeight() > graphHeight;
        if (needed)
            rows = drawnRows(std::max(0, width() - barWidth));
    }
    m_scrollBar->setGeometry(width() - barWidth, top, barWidth, graphHeight);
    m_scrollBar->setVisible(needed);
    m_scrollBar->setSingleStep(rowHeight());
    m_scrollBar->setPageStep(std::max(1, graphHeight));
    m_scrollBar->setRange(0, std::max(0, rows * rowHeight() - graphHeight));
    setRootOffset(offset);
}

int FlameGraphView::drawnRows(double width) const
{
    int rows = 0;
    deepestRow(m_zoom, 0, width, 0, rows);
    return rows;
}

// The paint's walk without drawing, pruned to the subtrees that could go deeper than the deepest
// row found so far: widest first, the first path down usually finds it.
void FlameGraphView::deepestRow(qint32 node, double left, double right, int depth, int& rows) const
{
    if (qRound(right) <= qRound(left))
        return;
    rows = std::max(rows, depth + 1);
    const FlameTree::Node& here = m_tree->nodes()[size_t(node)];
    const size_t begin = size_t(m_childBegin[size_t(node)]);
    const size_t end = size_t(m_childBegin[size_t(node) + 1]);
    if (begin == end || depth + 1 + m_height[size_t(node)] <= rows)
        return;
    const qint64 whole = std::max(here.totalNs, m_restTotal[begin]);
    if (whole <= 0)
        return;
    const double scale = (right - left) / double(whole);
    double x = left;
    for (size_t k = begin; k < end; ++k) {
        const qint32 child = m_children[k];
        const double width = double(m_tree->nodes()[size_t(child)].totalNs) * scale;
        if (width < MinBoxPx) {
            if (qRound(x + double(m_restTotal[k]) * scale) > qRound(x))
                rows = std::max(rows, depth + 2);
            break;
        }
        deepestRow(child, x, x + width, depth + 1, rows);
        x += width;
    }
}

FlameGraphView::Hit FlameGraphView::hitAt(QPoint pos) const
{
    const QRect graph = graphRect();
    if (empty() || !graph.contains(pos))
        return {};
    const int rowHeight = this->rowHeight();
    const int row = m_icicle ? (pos.y() - graph.top() + rootOffset()) / rowHeight
                             : (graph.bottom() - pos.y() + rootOffset()) / rowHeight;
    const int x = pos.x() - graph.left();
    const std::vector<FlameTree::Node>& nodes = m_tree->nodes();
    qint32 node = m_zoom;
    double left = 0;
    double right = graph.width();
    // The same walk as the paint, down one row at a time along the child under x.
    for (int depth = 0; depth < row; ++depth) {
        const size_t begin = size_t(m_childBegin[size_t(node)]);
        const size_t end = size_t(m_childBegin[size_t(node) + 1]);
        const qint64 whole = begin < end ? std::max(nodes[size_t(node)].totalNs, m_restTotal[begin]) : 0;
        if (whole <= 0)
            return {};
        const double scale = (right - left) / double(whole);
        double cx = left;
        bool found = false;
        for (size_t k = begin; k < end && !found; ++k) {
            const qint32 child = m_children[k];
            const double width = double(nodes[size_t(child)].totalNs) * scale;
            if (width < MinBoxPx) {
                const bool inRest = x >= qRound(cx) && x < qRound(cx + double(m_restTotal[k]) * scale);
                return inRest && depth + 1 == row ? Hit{-1, node, qint32(k - begin)} : Hit{};
            }
            if (x >= qRound(cx) && x < qRound(cx + width)) {
                node = child;
                left = cx;
                right = cx + width;
                found = true;
            }
            cx += width;
        }
        if (!found)
            return {};
    }
    return x >= qRound(left) && x < qRound(right) ? Hit{node, -1, 0} : Hit{};
}

qint32 FlameGraphView::nodeAt(QPoint pos) const
{
    return hitAt(pos).node;
}

std::vector<FlameGraphView::Crumb> FlameGraphView::crumbs() const
{
    std::vector<Crumb> crumbs;
    if (empty())
        return crumbs;
    const QFontMetrics metrics = fontMetrics();
    std::vector<qint32> path;
    for (qint32 n = m_zoom; n >= 0; n = m_tree->nodes()[size_t(n)].parent)
        path.push_back(n);
    std::reverse(path.begin(), path.end());
    const QString separator = QStringLiteral(" › ");
    const int separatorWidth = metrics.horizontalAdvance(separator);
    const auto crumbFor = [&](qint32 node) {
        Crumb crumb;
        crumb.node = node;
        crumb.text = metrics.elidedText(nodeName(node), Qt::ElideMiddle, CrumbWidth);
        crumb.rect.setWidth(metrics.horizontalAdvance(crumb.text));
        return crumb;
    };
    // The first crumb and as many of the last ones as fit in two thirds of the strip.
    const int available = width() * 2 / 3 - StripPadding;
    Crumb first = crumbFor(path.front());
    int used = first.rect.width();
    std::vector<Crumb> tail;
    size_t i = path.size();
    while (i-- > 1) {
        Crumb crumb = crumbFor(path[i]);
        if (used + separatorWidth + crumb.rect.width() > available && !tail.empty())
            break;
        used += separatorWidth + crumb.rect.width();
        tail.push_back(std::move(crumb));
    }
    crumbs.push_back(std::move(first));
    if (i > 0) { // some were left out
        Crumb ellipsis;
        ellipsis.node = -1;
        ellipsis.text = QStringLiteral("…");
        ellipsis.rect.setWidth(metrics.horizontalAdvance(ellipsis.text));
        crumbs.push_back(std::move(ellipsis));
    }
    crumbs.insert(crumbs.end(), std::make_move_iterator(tail.rbegin()), std::make_move_iterator(tail.rend()));

    const QRect strip = stripRect();
    int x = StripPadding;
    for (Crumb& crumb : crumbs) {
        crumb.rect = QRect(x, strip.top(), crumb.rect.width(), strip.height());
        x += crumb.rect.width() + separatorWidth;
    }
    return crumbs;
}

int FlameGraphView::crumbAt(QPoint pos) const
{
    const std::vector<Crumb> all = crumbs();
    for (size_t i = 0; i < all.size(); ++i) {
        if (all[i].node >= 0 && all[i].rect.contains(pos))
            return int(i);
    }
    return -1;
}

QString FlameGraphView::toolTipFor(const Hit& hit) const
{
    const std::vector<FlameTree::Node>& nodes = m_tree->nodes();
    const qint64 all = m_tree->root().totalNs;
    // Among callers, a node's figures are the root frame's, not the caller's: say so.
    const bool through = m_toolTipMode == ToolTipMode::RootThrough;
    if (hit.restOf >= 0) {
        const size_t first = size_t(m_childBegin[size_t(hit.restOf)] + hit.restFirst);
        const qint64 total = m_restTotal[first];
        const qint64 count = m_childBegin[size_t(hit.restOf) + 1] - qint64(first);
        if (through)
            return tr("%n callers too narrow to draw; click to zoom into %1", nullptr, int(count))
                       .arg(nodeName(hit.restOf)) +
                   QLatin1Char('\n') +
                   tr("%1 through them: %2 (%3)")
                       .arg(nodeName(0), TimeFormat::duration(total), percent(total, all));
        return tr("%n frames too narrow to draw; click to zoom into %1", nullptr, int(count))
                   .arg(nodeName(hit.restOf)) +
               QLatin1Char('\n') +
               tr("Total: %1 (%2 of parent, %3 of all)")
                   .arg(TimeFormat::duration(total), percent(total, nodes[size_t(hit.restOf)].totalNs),
                        percent(total, all));
    }
    const FlameTree::Node& node = nodes[size_t(hit.node)];
    QStringList lines{nodeName(hit.node)};
    if (through && hit.node != 0) {
        if (node.frame > 0)
            lines.append(tr("Caller, category: %1").arg(categoryName(node.category)));
        lines.append(tr("%1 through this caller: %2 (%3) in %4")
                         .arg(nodeName(0), TimeFormat::duration(node.totalNs), percent(node.totalNs, all),
                              calls(node.count)));
        lines.append(
            tr("Self time of %1 in these calls: %2").arg(nodeName(0), TimeFormat::duration(node.selfNs)));
        return lines.join(QLatin1Char('\n'));
    }
    if (node.frame > 0)
        lines.append(tr("Category: %1").arg(categoryName(node.category)));
    else if (node.frame < 0)
        lines.append(tr("Track"));
    const qint64 parentTotal = node.parent >= 0 ? nodes[size_t(node.parent)].totalNs : node.totalNs;
    lines.append(tr("Total: %1 (%2 of parent, %3 of all)")
                     .arg(TimeFormat::duration(node.totalNs), percent(node.totalNs, parentTotal),
                          percent(node.totalNs, all)));
    if (node.count > 0) {
        lines.append(
            tr("Self: %1 (%2 of all)").arg(TimeFormat::duration(node.selfNs), percent(node.selfNs, all)));
        lines.append(tr("Count: %1").arg(node.count));
    }
    if (m_toolTipNote)
        lines.append(m_toolTipNote(hit.node));
    return lines.join(QLatin1Char('\n'));
}

bool FlameGraphView::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto* help = static_cast<QHelpEvent*>(event);
    QString text;
    const int crumb = crumbAt(help->pos());
    if (crumb >= 0) {
        text = nodeName(crumbs()[size_t(crumb)].node);
    } else {
        const Hit hit = hitAt(help->pos());
        if (hit.node >= 0 || hit.restOf >= 0)
            text = toolTipFor(hit);
    }
    if (text.isEmpty()) {
        QToolTip::hideText();
        event->ignore();
    } else {
        QToolTip::showText(help->globalPos(), plainToolTip(text), this);
    }
    return true;
}

void FlameGraphView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QPalette& palette = this->palette();
    painter.fillRect(rect(), palette.color(QPalette::Base));
    if (empty()) {
        painter.setPen(palette.color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }

    const QRect strip = stripRect();
    painter.fillRect(strip, palette.color(QPalette::Window));
    painter.setPen(palette.color(QPalette::Mid));
    painter.drawLine(strip.bottomLeft(), strip.bottomRight());
    const QFontMetrics metrics = fontMetrics();
    const std::vector<Crumb> all = crumbs();
    int right = StripPadding;
    for (size_t i = 0; i < all.size(); ++i) {
        const Crumb& crumb = all[i];
        if (i > 0) {
            painter.setPen(palette.color(QPalette::PlaceholderText));
            painter.drawText(QRect(right, strip.top(), crumb.rect.left() - right, strip.height()),
                             Qt::AlignCenter, QStringLiteral("›"));
        }
        painter.setPen(crumb.node == m_zoom ? palette.color(QPalette::WindowText)
                       : crumb.node < 0     ? palette.color(QPalette::PlaceholderText)
                                            : palette.color(QPalette::Link));
        painter.drawText(crumb.rect, Qt::AlignLeft | Qt::AlignVCenter, crumb.text);
        right = crumb.rect.right() + 1;
    }
    // On the right: what the zoomed frame holds; at the root, how to zoom.
    const FlameTree::Node& zoomed = m_tree->nodes()[size_t(m_zoom)];
    const QString summary =
        m_zoom != 0
            ? tr("%1, %2 of all — Backspace goes back")
                  .arg(TimeFormat::duration(zoomed.totalNs), percent(zoomed.totalNs, m_tree->root().totalNs))
        : m_caption.isEmpty()
            ? tr("%1 in all — click a frame to zoom in").arg(TimeFormat::duration(zoomed.totalNs))
            : m_caption;
    const QRect summaryRect(right + 3 * StripPadding, strip.top(),
                            strip.right() - StripPadding - right - 3 * StripPadding, strip.height());
    painter.setPen(palette.color(QPalette::PlaceholderText));
    painter.drawText(summaryRect, Qt::AlignRight | Qt::AlignVCenter,
                     metrics.elidedText(summary, Qt::ElideLeft, summaryRect.width()));

    const QRect graph = graphRect();
    painter.setClipRect(graph);
    Painter(*this, painter).paint(m_zoom, 0, graph.width(), 0);
}

void FlameGraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_press = hitAt(event->position().toPoint());
    m_pressCrumb = crumbAt(event->position().toPoint());
}

void FlameGraphView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mouseReleaseEvent(event);
    const QPoint pos = event->position().toPoint();
    const int crumb = crumbAt(pos);
    const Hit hit = hitAt(pos);
    const Hit press = std::exchange(m_press, {});
    const int pressCrumb = std::exchange(m_pressCrumb, -1);
    m_clickZoomed = false;
    if (crumb >= 0) {
        if (crumb == pressCrumb)
            zoomTo(crumbs()[size_t(crumb)].node);
    } else if (hit.node >= 0 && hit.node == press.node) {
        const qint64 frame = m_tree->nodes()[size_t(hit.node)].frame;
        if (frame > 0)
            Q_EMIT frameSelected(frame);
        m_clickZoomed = hit.node != m_zoom;
        zoomTo(hit.node);
    } else if (hit.restOf >= 0 && hit.restOf == press.restOf) {
        // The merged narrow children get wide enough to tell apart in their parent.
        m_clickZoomed = hit.restOf != m_zoom;
        zoomTo(hit.restOf);
    }
}

void FlameGraphView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mouseDoubleClickEvent(event);
    // The release that follows belongs to this double click, not to a click of its own.
    m_press = {};
    m_pressCrumb = -1;
    // A double click on the frame that fills the width zooms out to everything; one whose first
    // click zoomed in stays there.
    if (!std::exchange(m_clickZoomed, false) && m_zoom != 0 &&
        hitAt(event->position().toPoint()).node == m_zoom)
        zoomTo(0);
}

void FlameGraphView::mouseMoveEvent(QMouseEvent* event)
{
    const qint32 hover = hitAt(event->position().toPoint()).node;
    if (hover != m_hover) {
        m_hover = hover;
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void FlameGraphView::leaveEvent(QEvent* event)
{
    if (m_hover >= 0) {
        m_hover = -1;
        update();
    }
    QWidget::leaveEvent(event);
}

void FlameGraphView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Backspace && canGoBack()) {
        back();
        return;
    }
    QWidget::keyPressEvent(event);
}

void FlameGraphView::wheelEvent(QWheelEvent* event)
{
    // Ctrl+wheel is left to the parent: the zoom here goes by clicks.
    if (m_scrollBar->isHidden() || (event->modifiers() & Qt::ControlModifier))
        return QWidget::wheelEvent(event);
    const QPoint pixels = event->pixelDelta();
    const int delta = !pixels.isNull() ? pixels.y() : event->angleDelta().y() * 3 * rowHeight() / 120;
    m_scrollBar->setValue(m_scrollBar->value() - delta);
    event->accept();
}

void FlameGraphView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateScrollBar();
}

void FlameGraphView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        std::fill(m_nameWidth.begin(), m_nameWidth.end(), -1);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateScrollBar();
}

} // namespace lundi
