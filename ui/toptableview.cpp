#include "toptableview.h"

#include "toplistmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lundi {

TopTableView::TopTableView(QWidget* parent)
    : QWidget(parent), m_model(new TopListModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit(this)), m_table(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(TopListModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setPlaceholderText(tr("Filter frames by name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TopListModel::Self, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(TopListModel::Name, QHeaderView::Stretch);
    m_table->setTextElideMode(Qt::ElideMiddle);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_applying)
                    return;
                m_selected = current.isValid() ? current.data(TopListModel::NameIdRole).toLongLong() : 0;
                Q_EMIT frameSelected(m_selected);
            });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_table);
}

void TopTableView::setEntries(std::shared_ptr<const std::vector<TopList::Entry>> entries,
                              std::shared_ptr<const std::vector<QString>> names, qint64 allNs)
{
    m_applying = true;
    m_model->setEntries(std::move(entries), std::move(names), allNs);
    m_applying = false;
    for (int column = TopListModel::CategoryColumn; column < TopListModel::ColumnCount; ++column)
        m_table->resizeColumnToContents(column);
    setSelectedFrame(m_selected);
}

void TopTableView::setHighlight(const Highlight& highlight)
{
    m_model->setHighlight(highlight);
}

void TopTableView::setSelectedFrame(StringId name)
{
    m_selected = name;
    // Selecting here follows the state; only a user's selection is reported back.
    const QScopedValueRollback applying(m_applying, true);
    const int row = m_model->rowOf(name);
    const QModelIndex index = row >= 0 ? m_proxy->mapFromSource(m_model->index(row, 0)) : QModelIndex();
    if (!index.isValid()) {
        m_table->selectionModel()->clear();
        return;
    }
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

} // namespace lundi
