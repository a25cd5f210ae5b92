#pragma once

#include "analysis/baselinediff.h"

#include <QAbstractTableModel>

#include <memory>

namespace lundi {

// The contributors of a BaselineDiff as a table: its call paths (the frame first, then its
// callers), then its categories, each with
// the change of its critical-path time per trace at p50, p95 and on average, its share of the
// change of the mean latency, and apart from those, its calls per trace and traces on each side.
// Qt::UserRole gives each cell's raw value, for sorting.
class ContributorsModel : public QAbstractTableModel
{
    Q_OBJECT

  public:
    enum Column {
        What,
        Status,
        CategoryColumn,
        DeltaP50,
        DeltaP95,
        DeltaMean,
        Share,
        FromCalls,
        FromTime,
        CallsPerTrace,
        Traces,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setDiff(std::shared_ptr<const BaselineDiff> diff, std::shared_ptr<const std::vector<QString>> names);
    // The contributor of a row: a call path or a category.
    const BaselineDiff::Contributor& contributor(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    QString pathText(const BaselineDiff::Contributor& row) const;

    std::shared_ptr<const BaselineDiff> m_diff;
    std::shared_ptr<const std::vector<QString>> m_names;
};

} // namespace lundi
