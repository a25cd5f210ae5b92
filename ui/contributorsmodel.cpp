#include "contributorsmodel.h"

#include "categorypalette.h"
#include "plaintooltip.h"
#include "timeformat.h"

#include <QLocale>

namespace lundi {

namespace {

QString signedDuration(qint64 ns)
{
    return ns > 0 ? QLatin1Char('+') + TimeFormat::duration(ns) : TimeFormat::duration(ns);
}

double perTrace(qint64 count, qint64 traces)
{
    return traces > 0 ? double(count) / double(traces) : 0;
}

} // namespace

void ContributorsModel::setDiff(std::shared_ptr<const BaselineDiff> diff,
                                std::shared_ptr<const std::vector<QString>> names)
{
    beginResetModel();
    m_diff = std::move(diff);
    m_names = std::move(names);
    endResetModel();
}

const BaselineDiff::Contributor& ContributorsModel::contributor(int row) const
{
    return size_t(row) < m_diff->paths.size() ? m_diff->paths[size_t(row)]
                                              : m_diff->categories[size_t(row) - m_diff->paths.size()];
}

int ContributorsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_diff ? 0 : int(m_diff->paths.size() + m_diff->categories.size());
}

int ContributorsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ContributorsModel::pathText(const BaselineDiff::Contributor& row) const
{
    if (row.path.empty())
        return tr("all %1 time").arg(categoryName(row.category));
    // The frame first, then its callers: a narrow column still shows what the row is.
    QStringList frames;
    for (auto it = row.path.rbegin(); it != row.path.rend(); ++it)
        frames.append(m_names && size_t(*it) < m_names->size() ? (*m_names)[size_t(*it)] : QString());
    return frames.join(QStringLiteral(" ‹ "));
}

QVariant ContributorsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_diff)
        return {};
    const BaselineDiff::Contributor& row = contributor(index.row());
    const qint64 baselineTraces = m_diff->baseline.traces;
    const qint64 incidentTraces = m_diff->incident.traces;
    if (role == Qt::UserRole) {
        switch (index.column()) {
        case What:
            return pathText(row);
        case Status:
            return contributorStatusName(row.status);
        case CategoryColumn:
            return categoryName(row.category);
        case DeltaP50:
            return row.deltaP50Ns();
        case DeltaP95:
            return row.deltaP95Ns();
        case DeltaMean:
            return row.deltaMeanNs();
        case Share:
            return row.share;
        case FromCalls:
            return row.fromCallsNs;
        case FromTime:
            return row.fromTimeNs;
        case CallsPerTrace:
            return perTrace(row.incidentCalls, incidentTraces) - perTrace(row.baselineCalls, baselineTraces);
        case Traces:
            return row.incidentTraces - row.baselineTraces;
        }
    }
    if (role == Qt::DisplayRole) {
        const QLocale locale;
        switch (index.column()) {
        case What:
        case Status:
        case CategoryColumn:
            return data(index, Qt::UserRole);
        case DeltaP50:
        case DeltaP95:
        case DeltaMean:
        case FromCalls:
        case FromTime:
            return signedDuration(data(index, Qt::UserRole).toLongLong());
        case Share:
            return QString(locale.toString(100 * row.share, 'f', 1) + QLatin1Char('%'));
        case CallsPerTrace:
            return tr("%1 → %2").arg(locale.toString(perTrace(row.baselineCalls, baselineTraces), 'f', 1),
                                     locale.toString(perTrace(row.incidentCalls, incidentTraces), 'f', 1));
        case Traces:
            return tr("%1 → %2").arg(locale.toString(row.baselineTraces),
                                     locale.toString(row.incidentTraces));
        }
    }
    if (role == Qt::ToolTipRole && index.column() == What)
        return plainToolTip(pathText(row));
    if (role == Qt::DecorationRole && index.column() == CategoryColumn)
        return CategoryPalette::fill(row.category);
    if (role == Qt::TextAlignmentRole && index.column() >= DeltaP50)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ContributorsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case DeltaP50:
        case DeltaP95:
        case DeltaMean:
            return tr("Change of the critical-path time per trace, incident less baseline (traces without it "
                      "count as 0)");
        case Share:
            return tr("Part of the change of the mean trace latency");
        case FromCalls:
            return tr("The part of the mean's change that the calls per trace explain, at the baseline's "
                      "time per call");
        case FromTime:
            return tr("The part of the mean's change that the time per call explains");
        case CallsPerTrace:
            return tr("Spans on this path (or of this category) per trace, baseline → incident");
        case Traces:
            return tr("Traces with critical-path time here, baseline → incident");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case What:
        return tr("Call path or category");
    case Status:
        return tr("Status");
    case CategoryColumn:
        return tr("Category");
    case DeltaP50:
        return tr("Δ p50");
    case DeltaP95:
        return tr("Δ p95");
    case DeltaMean:
        return tr("Δ mean");
    case Share:
        return tr("Share of Δ");
    case FromCalls:
        return tr("From calls");
    case FromTime:
        return tr("From time");
    case CallsPerTrace:
        return tr("Calls per trace");
    case Traces:
        return tr("Traces");
    }
    return {};
}

} // namespace lundi
