#pragma once

#include "analysis/toplist.h"
#include "highlight.h"

#include <QWidget>

#include <memory>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace lundi {

class TopListModel;

// Frames by self and total time: sortable by any column, filtered by a name pattern typed
// above it. Selecting a row selects that frame in every view.
class TopTableView : public QWidget
{
    Q_OBJECT

  public:
    explicit TopTableView(QWidget* parent = nullptr);

    void setEntries(std::shared_ptr<const std::vector<TopList::Entry>> entries,
                    std::shared_ptr<const std::vector<QString>> names, qint64 allNs);
    void setSelectedFrame(StringId name);
    void setHighlight(const Highlight& highlight);
    QTableView* table() const { return m_table; }
    QLineEdit* filter() const { return m_filter; }

  Q_SIGNALS:
    void frameSelected(lundi::StringId name);

  private:
    TopListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_table;
    StringId m_selected = 0;
    bool m_applying = false;
};

} // namespace lundi
