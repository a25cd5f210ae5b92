#include "queryresultmodel.h"

#include <QBrush>
#include <QPalette>

namespace lundi {

void QueryResultModel::setResult(std::shared_ptr<const QueryResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

int QueryResultModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_result->rows.size());
}

int QueryResultModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_result ? 0 : int(m_result->columns.size());
}

QVariant QueryResultModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_result)
        return {};
    const QVariant& cell = m_result->rows[size_t(index.row())].at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return cell.isNull() ? QStringLiteral("NULL") : QueryResult::cellText(cell);
    case Qt::ForegroundRole:
        return cell.isNull() ? QVariant(QPalette().brush(QPalette::Disabled, QPalette::Text)) : QVariant();
    case Qt::TextAlignmentRole:
        return cell.typeId() == QMetaType::LongLong || cell.typeId() == QMetaType::Double
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    default:
        return {};
    }
}

QVariant QueryResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_result)
        return {};
    if (orientation == Qt::Horizontal)
        return m_result->columns.value(section);
    return section + 1;
}

} // namespace lundi
