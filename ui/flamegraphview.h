#pragma once

#include "analysis/flametree.h"
#include "highlight.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QScrollBar;

namespace lundi {

// A flame graph of a FlameTree: children left-heavy (widest first), roots at the top (icicle)
// or at the bottom (flame). A click selects a frame and zooms into it, so that it fills the
// width; a strip at the top holds the breadcrumbs of the zoom, each one clickable, and back()
// returns to the previous zoom. Frames narrower than two pixels are merged into one box per
// parent and their subtrees skipped, so a paint costs what is visible, not the tree's size.
// Rows that do not fit scroll vertically (wheel or scroll bar); the strip stays at the top.
class FlameGraphView : public QWidget
{
    Q_OBJECT

  public:
    // The name of a track node (FlameTree::Roots::ByTrack).
    using TrackNames = std::function<QString(TrackId)>;
    // What the figures in a frame's tooltip stand for.
    enum class ToolTipMode {
        Own,         // the frame's own total, self time and calls
        RootThrough, // the root frame's calls through this chain of callers (Sandwich::callers)
    };

    explicit FlameGraphView(QWidget* parent = nullptr);
    ~FlameGraphView() override;

    // names is indexed by StringId. The zoom (and the Back history) is kept where the same path
    // of frame names leads to a node of the new tree, as after a change of the time range.
    void setTree(std::shared_ptr<const FlameTree> tree, std::shared_ptr<const std::vector<QString>> names);
    std::shared_ptr<const FlameTree> tree() const { return m_tree; }
    void setTrackNames(TrackNames names);
    void setHighlight(const Highlight& highlight);
    // Frames of this name are outlined; 0: none.
    void setSelectedFrame(StringId name);
    StringId selectedFrame() const { return m_selected; }
    bool isIcicle() const { return m_icicle; }
    // What the view says when the tree has no time to show.
    void setEmptyText(const QString& text);
    // What the strip says on the right while the view is not zoomed; empty: the root's total
    // and how to zoom.
    void setCaption(const QString& text);
    void setToolTipMode(ToolTipMode mode) { m_toolTipMode = mode; }
    ToolTipMode toolTipMode() const { return m_toolTipMode; }
    // Fills frames by a change per node (a differential flame graph: ChangePalette's red grew,
    // blue shrank, grey unchanged, fullest at scale) instead of by category. changes is indexed
    // like the nodes of the tree set next; null: by category.
    void setChanges(std::shared_ptr<const std::vector<double>> changes, double scale);
    // Lines a frame's tooltip adds after its own figures (the other side of a diff); null: none.
    using ToolTipNote = std::function<QString(qint32 node)>;
    void setToolTipNote(ToolTipNote note) { m_toolTipNote = std::move(note); }

    // The node (index into the tree's nodes) that fills the width; 0: the root.
    qint32 zoomedNode() const { return m_zoom; }
    // Zooms into a node, remembering the current zoom for back().
    void zoomTo(qint32 node);
    bool canGoBack() const { return !m_history.empty(); }
    // The node drawn at a point of the widget, or -1 (background, breadcrumbs, merged frames).
    qint32 nodeAt(QPoint pos) const;

    // The height that shows every row drawn at the current width, the breadcrumbs included.
    int contentHeight() const;

    QSize sizeHint() const override;

  public Q_SLOTS:
    void back();
    // Roots at the top (icicle, the default) or at the bottom (flame).
    void setIcicle(bool icicle);

  Q_SIGNALS:
    // A frame was clicked (a named one: track nodes and the root select nothing).
    void frameSelected(lundi::StringId name);
    void canGoBackChanged(bool canGoBack);
    void zoomChanged(qint32 node);

  protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    // One step of a path from the root, by name, so it can be found again in another tree.
    struct Step
    {
        qint64 frame = 0;
        QString name;
    };
    // What lies under a point: a node, or the merged box of a parent's narrow children.
    struct Hit
    {
        qint32 node = -1;
        qint32 restOf = -1; // the parent whose children from restFirst on are merged
        qint32 restFirst = 0;
    };
    struct Crumb
    {
        qint32 node = 0;
        QRect rect;
        QString text;
    };
    class Painter;

    void prepareTree();
    void computeMatches();
    QString frameName(qint64 frame) const;
    QString nodeName(qint32 node) const { return frameName(m_tree->nodes()[size_t(node)].frame); }
    std::vector<Step> pathOf(qint32 node) const;
    qint32 find(const std::vector<Step>& path) const;
    void setZoom(qint32 node);
    bool empty() const;
    int rowHeight() const;
    QRect stripRect() const;
    QRect graphRect() const;
    // How far the rows are scrolled from the root's edge (the top in icicle, the bottom in flame).
    int rootOffset() const;
    void setRootOffset(int offset);
    // The range of the scroll bar and whether it shows, after a change of tree, zoom or size.
    void updateScrollBar();
    // The rows a paint of the zoomed node at a width fills: depth + 1 of its deepest box.
    int drawnRows(double width) const;
    void deepestRow(qint32 node, double left, double right, int depth, int& rows) const;
    Hit hitAt(QPoint pos) const;
    std::vector<Crumb> crumbs() const;
    int crumbAt(QPoint pos) const;
    QString toolTipFor(const Hit& hit) const;

    std::shared_ptr<const FlameTree> m_tree;
    std::shared_ptr<const std::vector<QString>> m_names;
    TrackNames m_trackNames;
    Highlight m_highlight;
    StringId m_selected = 0;
    bool m_icicle = true;
    QString m_emptyText;
    QString m_caption;
    ToolTipMode m_toolTipMode = ToolTipMode::Own;
    std::shared_ptr<const std::vector<double>> m_changes;
    double m_changeScale = 0;
    ToolTipNote m_toolTipNote;
    QScrollBar* m_scrollBar;

    // Per tree: each node's children widest first, as [m_childBegin[n], m_childBegin[n + 1]) of
    // m_children, with the total of each child and of those after it (the merged rest).
    std::vector<qint32> m_childBegin;
    std::vector<qint32> m_children;
    std::vector<qint64> m_restTotal;
    // Per tree: how many levels lie below each node, so a paint skips subtrees that end above
    // the rows in view.
    std::vector<qint32> m_height;
    // Per tree and highlight: whether a node's subtree holds a match, and whether a child or
    // one after it does (so a merged box shows that a match hides in it).
    std::vector<bool> m_subtreeMatched;
    std::vector<bool> m_restMatched;
    // The width of each node's label in the current font, measured when first drawn; -1: not yet.
    mutable std::vector<int> m_nameWidth;

    qint32 m_zoom = 0;
    std::vector<qint32> m_history;
    qint32 m_hover = -1;
    Hit m_press;
    int m_pressCrumb = -1;
    bool m_clickZoomed = false; // the click before a double click zoomed in
};

} // namespace lundi
