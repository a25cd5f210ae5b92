#pragma once

#include "flamegraphview.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QSplitter;
class QStackedWidget;

namespace lundi {

// One frame name between its callers and its callees: above, who called it (a flame growing up
// from the frame towards the stacks' roots); below, what it called (an icicle hanging from it).
// Recursion counts once (see Sandwich). A click on a frame in either half selects that frame.
class SandwichView : public QWidget
{
    Q_OBJECT

  public:
    explicit SandwichView(QWidget* parent = nullptr);

    void setTree(std::shared_ptr<const FlameTree> tree, std::shared_ptr<const std::vector<QString>> names);
    void setTrackNames(FlameGraphView::TrackNames names);
    // The frame in the middle; 0: none, and the view says how to choose one.
    void setSelectedFrame(StringId name);
    StringId selectedFrame() const { return m_frame; }
    void setHighlight(const Highlight& highlight);

    FlameGraphView* callersView() const { return m_callers; }
    FlameGraphView* calleesView() const { return m_callees; }
    // The line above the two halves: the frame, its time and its calls.
    QString title() const;

  Q_SIGNALS:
    void frameSelected(lundi::StringId name);

  private:
    void rebuild();

    std::shared_ptr<const FlameTree> m_tree;
    std::shared_ptr<const std::vector<QString>> m_names;
    StringId m_frame = 0;
    QStackedWidget* m_pages;
    QLabel* m_empty;
    QLabel* m_title;
    QSplitter* m_splitter;
    FlameGraphView* m_callers;
    FlameGraphView* m_callees;
};

} // namespace lundi
