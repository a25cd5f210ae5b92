#include "sandwichview.h"

#include "analysis/sandwich.h"
#include "timeformat.h"

#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace lundi {

SandwichView::SandwichView(QWidget* parent)
    : QWidget(parent), m_pages(new QStackedWidget(this)), m_empty(new QLabel(m_pages)), m_title(new QLabel),
      m_callers(new FlameGraphView), m_callees(new FlameGraphView)
{
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(20);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setText(tr("Select a frame in the flame graph, the flame chart or the top table to see "
                        "who calls it (above) and what it calls (below)."));

    // Span names are untrusted: the title is plain text, and a long name must not widen the window.
    m_title->setTextFormat(Qt::PlainText);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setContentsMargins(6, 4, 6, 4);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_callers->setIcicle(false);
    // A caller's figures are the frame's calls through it: its tooltip says so.
    m_callers->setToolTipMode(FlameGraphView::ToolTipMode::RootThrough);
    m_callees->setIcicle(true);
    m_callers->setCaption(tr("Callers: who called it, up to the roots — click one to centre on it"));
    m_callees->setCaption(tr("Callees: what it called — click one to centre on it"));
    for (FlameGraphView* view : {m_callers, m_callees})
        connect(view, &FlameGraphView::frameSelected, this, &SandwichView::frameSelected);

    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->addWidget(m_callers);
    m_splitter->addWidget(m_callees);
    m_splitter->setChildrenCollapsible(false);
    auto* sandwich = new QWidget;
    auto* layout = new QVBoxLayout(sandwich);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_title);
    layout->addWidget(m_splitter, 1);

    m_pages->addWidget(m_empty);
    m_pages->addWidget(sandwich);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
}

void SandwichView::setTree(std::shared_ptr<const FlameTree> tree,
                           std::shared_ptr<const std::vector<QString>> names)
{
    m_tree = std::move(tree);
    m_names = std::move(names);
    rebuild();
}

void SandwichView::setTrackNames(FlameGraphView::TrackNames names)
{
    m_callers->setTrackNames(names);
    m_callees->setTrackNames(std::move(names));
}

void SandwichView::setSelectedFrame(StringId name)
{
    if (m_frame == name)
        return;
    m_frame = name;
    rebuild();
}

void SandwichView::setHighlight(const Highlight& highlight)
{
    m_callers->setHighlight(highlight);
    m_callees->setHighlight(highlight);
}

QString SandwichView::title() const
{
    return m_title->text();
}

void SandwichView::rebuild()
{
    m_pages->setCurrentIndex(m_frame ? 1 : 0);
    m_callers->setSelectedFrame(m_frame);
    m_callees->setSelectedFrame(m_frame);
    if (!m_frame || !m_tree) {
        m_callers->setTree(nullptr, m_names);
        m_callees->setTree(nullptr, m_names);
        m_title->clear();
        return;
    }
    Sandwich sandwich = Sandwich::build(*m_tree, m_frame);
    const FlameTree::Node frame = sandwich.callees.root();
    const QString name =
        m_names && size_t(m_frame) < m_names->size() ? (*m_names)[size_t(m_frame)] : QString();
    const QString shown = name.isEmpty() ? tr("(unnamed)") : name;
    if (frame.count == 0) {
        m_title->setText(shown);
    } else {
        const qint64 all = m_tree->root().totalNs;
        const QString calls = frame.count == 1 ? tr("1 call") : tr("%1 calls").arg(frame.count);
        m_title->setText(
            tr("%1 — %2 in %3, %4% of all; callers above, callees below")
                .arg(shown, TimeFormat::duration(frame.totalNs), calls,
                     QString::number(all > 0 ? 100.0 * double(frame.totalNs) / double(all) : 0, 'f', 1)));
    }
    const QString absent = tr("%1 has no spans in the selected time range on the visible tracks.").arg(shown);
    m_callers->setEmptyText(absent);
    m_callees->setEmptyText(absent);
    m_callers->setTree(std::make_shared<const FlameTree>(std::move(sandwich.callers)), m_names);
    m_callees->setTree(std::make_shared<const FlameTree>(std::move(sandwich.callees)), m_names);
    // Each half gets the height its rows need, the callers up to half when both need more; what
    // one leaves goes to the other, so a frame with few callers does not float in empty space.
    const QList<int> sizes = m_splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (total > 0) {
        const int top = std::clamp(std::max(total / 2, total - m_callees->contentHeight()), 0, total);
        const int callers = std::min(m_callers->contentHeight(), top);
        m_splitter->setSizes({callers, total - callers});
    }
}

} // namespace lundi
