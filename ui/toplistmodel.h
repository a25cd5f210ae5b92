#pragma once

#include "analysis/toplist.h"
#include "highlight.h"

#include <QAbstractTableModel>

#include <memory>

namespace lundi {

// The top list as a table: name, category, self and total time with their shares, and counts.
// Qt::UserRole gives each cell's raw value, for sorting.
class TopListModel : public QAbstractTableModel
{
    Q_OBJECT

  public:
    enum Column { Name, CategoryColumn, Self, SelfShare, Total, TotalShare, Count, ColumnCount };
    static constexpr int NameIdRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(std::shared_ptr<const std::vector<TopList::Entry>> entries,
                    std::shared_ptr<const std::vector<QString>> names, qint64 allNs);
    // Rows of matching names are painted in the match colour, dimmed ones in a faded text.
    void setHighlight(const Highlight& highlight);
    // The row of a frame name, or -1.
    int rowOf(StringId name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::shared_ptr<const std::vector<TopList::Entry>> m_entries;
    std::shared_ptr<const std::vector<QString>> m_names;
    qint64 m_allNs = 0;
    Highlight m_highlight;
};

} // namespace lundi
