#include "toplistmodel.h"

#include "categorypalette.h"
#include "plaintooltip.h"
#include "timeformat.h"

#include <QLocale>
#include <QPalette>

namespace lundi {

void TopListModel::setEntries(std::shared_ptr<const std::vector<TopList::Entry>> entries,
                              std::shared_ptr<const std::vector<QString>> names, qint64 allNs)
{
    beginResetModel();
    m_entries = std::move(entries);
    m_names = std::move(names);
    m_allNs = allNs;
    endResetModel();
}

void TopListModel::setHighlight(const Highlight& highlight)
{
    m_highlight = highlight;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           {Qt::BackgroundRole, Qt::ForegroundRole});
}

int TopListModel::rowOf(StringId name) const
{
    if (!m_entries)
        return -1;
    for (size_t row = 0; row < m_entries->size(); ++row) {
        if ((*m_entries)[row].name == name)
            return int(row);
    }
    return -1;
}

int TopListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_entries ? 0 : int(m_entries->size());
}

int TopListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_entries)
        return {};
    const TopList::Entry& entry = (*m_entries)[size_t(index.row())];
    const auto share = [this](qint64 ns) { return m_allNs > 0 ? 100.0 * double(ns) / double(m_allNs) : 0.0; };
    if (role == NameIdRole)
        return entry.name;
    if (role == Qt::UserRole) {
        switch (index.column()) {
        case Name:
            return m_names && size_t(entry.name) < m_names->size() ? (*m_names)[size_t(entry.name)]
                                                                   : QString();
        case CategoryColumn:
            return categoryName(entry.category);
        case Self:
        case SelfShare:
            return entry.selfNs;
        case Total:
        case TotalShare:
            return entry.totalNs;
        case Count:
            return entry.count;
        }
    }
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name:
            // Plain text even in tooltips: a name that looks like HTML shows its characters.
            return role == Qt::ToolTipRole ? QVariant(plainToolTip(data(index, Qt::UserRole).toString()))
                                           : data(index, Qt::UserRole);
        case CategoryColumn:
            return categoryName(entry.category);
        case Self:
            return TimeFormat::duration(entry.selfNs);
        case SelfShare:
            return QLocale().toString(share(entry.selfNs), 'f', 1);
        case Total:
            return TimeFormat::duration(entry.totalNs);
        case TotalShare:
            return QLocale().toString(share(entry.totalNs), 'f', 1);
        case Count:
            return QLocale().toString(entry.count);
        }
    }
    if (role == Qt::BackgroundRole && m_highlight.matched(entry.name))
        return CategoryPalette::match();
    if (role == Qt::ForegroundRole) {
        if (m_highlight.matched(entry.name))
            return CategoryPalette::text();
        if (m_highlight.dimmed(entry.name, entry.category))
            return QPalette().color(QPalette::Disabled, QPalette::Text);
    }
    if (role == Qt::DecorationRole && index.column() == CategoryColumn)
        return CategoryPalette::fill(entry.category);
    if (role == Qt::TextAlignmentRole && index.column() >= Self)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant TopListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case CategoryColumn:
        return tr("Category");
    case Self:
        return tr("Self");
    case SelfShare:
        return tr("Self %");
    case Total:
        return tr("Total");
    case TotalShare:
        return tr("Total %");
    case Count:
        return tr("Count");
    }
    return {};
}

} // namespace lundi
