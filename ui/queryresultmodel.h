#pragma once

#include "store/queryresult.h"

#include <QAbstractTableModel>

#include <memory>

namespace lundi {

// The rows of a SQL query as a table: every cell plain text (a BLOB reads "<n bytes>"), NULL
// greyed so that it stands apart from an empty text.
class QueryResultModel : public QAbstractTableModel
{
    Q_OBJECT

  public:
    using QAbstractTableModel::QAbstractTableModel;

    void setResult(std::shared_ptr<const QueryResult> result);
    std::shared_ptr<const QueryResult> result() const { return m_result; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    std::shared_ptr<const QueryResult> m_result;
};

} // namespace lundi
