#include "criticalpathview.h"
#include "categorypalette.h"
#include "flamegraphview.h"
#include "timeformat.h"
#include "workbench.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScopeGuard>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

// A table of more rows is slow to fill and no one reads that far: the flame graph has the rest.
constexpr int MaxRows = 500;

QString percent(double share)
{
    return QLocale().toString(100 * share, 'f', 1) + QStringLiteral(" %");
}

QTableWidgetItem* item(const QString& text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* cell = new QTableWidgetItem(text);
    cell->setTextAlignment(alignment);
    return cell;
}

QTableWidgetItem* durationItem(qint64 ns)
{
    return item(TimeFormat::duration(ns), Qt::AlignRight | Qt::AlignVCenter);
}

} // namespace

CriticalPathView::CriticalPathView(Workbench* workbench, QWidget* parent)
    : QWidget(parent), m_workbench(workbench), m_traces(new QComboBox(this)), m_skew(new QCheckBox(this)),
      m_caption(new QLabel(this)), m_flameGraph(new FlameGraphView(this)), m_table(new QTableWidget(this))
{
    m_traces->addItem(tr("All traces"));
    m_traces->addItem(tr("Slowest %1 % of traces").arg(100 * SlowestShare));
    m_traces->setToolTip(tr("Which of the traces that start in the selected range (all time without one)"));
    m_skew->setText(tr("Tolerate clock skew"));
    m_skew->setToolTip(tr("As CRISP does: a call that overlaps the next one on the path by up to 1 % of its "
                          "caller still counts as before it, as clocks of different hosts disagree"));
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setWordWrap(true);

    m_flameGraph->setEmptyText(
        tr("No trace: no root span of some duration starts in the range on the visible "
           "tracks."));
    m_table->setColumnCount(7);
    m_table->setHorizontalHeaderLabels(
        {tr("Call path"), tr("Category"), tr("Share"), tr("p50"), tr("p95"), tr("p99"), tr("Traces")});
    m_table->horizontalHeaderItem(2)->setToolTip(tr("Of the traces' summed latency"));
    for (int column : {3, 4, 5})
        m_table->horizontalHeaderItem(column)->setToolTip(
            tr("Per trace: the time of the trace's critical path spent in this call path itself (traces "
               "without any count as 0)"));
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideLeft); // the end of a call path says most
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);

    auto* top = new QHBoxLayout;
    top->addWidget(m_caption, 1);
    top->addSpacing(12);
    top->addWidget(m_traces);
    top->addWidget(m_skew);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_flameGraph);
    split->addWidget(m_table);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_traces, &QComboBox::currentIndexChanged, this, &CriticalPathView::computeLater);
    connect(m_skew, &QCheckBox::toggled, this, &CriticalPathView::computeLater);
    connect(m_flameGraph, &FlameGraphView::frameSelected, this, &CriticalPathView::frameSelected);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row) {
        if (!m_summary || row < 0 || size_t(row) >= m_summary->paths().size())
            return;
        const CriticalPathSummary::PathRow& path = m_summary->paths()[size_t(row)];
        m_flameGraph->zoomTo(path.node);
        Q_EMIT frameSelected(path.name);
    });
    connect(m_workbench, &Workbench::snapshotChanged, this, &CriticalPathView::computeLater);
    connect(m_workbench->state(), &ViewState::timeRangeChanged, this, &CriticalPathView::computeLater);
    connect(m_workbench->state(), &ViewState::hiddenTracksChanged, this, &CriticalPathView::computeLater);
    showSummary();
}

CriticalPathView::~CriticalPathView() = default;

void CriticalPathView::setSlowestOnly(bool slowest)
{
    m_traces->setCurrentIndex(slowest ? 1 : 0);
}

void CriticalPathView::computeLater()
{
    m_stale = true;
    if (isVisible())
        compute();
}

void CriticalPathView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        compute();
}

void CriticalPathView::compute()
{
    m_stale = false;
    const auto snapshot = m_workbench->snapshot();
    if (!snapshot) {
        ++m_request;
        m_summary.reset();
        showSummary();
        return;
    }
    CriticalPath::Selection selection;
    selection.filter.range = m_workbench->state()->timeRange();
    selection.filter.hiddenTracks = m_workbench->state()->hiddenTracks();
    selection.slowestShare = m_traces->currentIndex() == 1 ? SlowestShare : 1;
    CriticalPath::Options options;
    options.skewTolerance = m_skew->isChecked() ? 0.01 : 0;
    const quint64 request = ++m_request;
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
    QtConcurrent::run([snapshot, selection, options] {
        return std::make_shared<const CriticalPathSummary>(CriticalPathSummary::build(
            snapshot->spans, CriticalPath::compute(snapshot->spans, selection, options), selection.filter));
    }).then(this, [this, request](const std::shared_ptr<const CriticalPathSummary>& summary) {
        // Idle only after the result is shown, so that a screenshot taken when settled has it.
        const auto done = qScopeGuard([this] {
            if (--m_pending == 0)
                Q_EMIT busyChanged(false);
        });
        if (request != m_request)
            return;
        m_summary = summary;
        showSummary();
    });
}

void CriticalPathView::showSummary()
{
    const auto names = m_workbench->names();
    m_table->setRowCount(0);
    if (!m_summary || m_summary->traceCount() == 0 || !names) {
        m_caption->setText(m_summary ? tr("No trace (root span of some duration) starts in the range on the "
                                          "visible tracks.")
                                     : tr("No incident open."));
        m_flameGraph->setTree(nullptr, names);
        return;
    }
    const QLocale locale;
    const auto latency = m_summary->duration();
    QStringList categories;
    std::vector<CriticalPathSummary::CategoryRow> byShare = m_summary->categories();
    std::sort(byShare.begin(), byShare.end(), [](const auto& a, const auto& b) { return a.share > b.share; });
    for (const auto& category : byShare) {
        if (category.share >= 0.01)
            categories += tr("%1 %2").arg(categoryName(category.category), percent(category.share));
    }
    m_caption->setText(tr("%1 traces, latency p50 %2, p95 %3, p99 %4. Their critical paths: %5.")
                           .arg(locale.toString(m_summary->traceCount()), TimeFormat::duration(latency.p50),
                                TimeFormat::duration(latency.p95), TimeFormat::duration(latency.p99),
                                categories.join(QStringLiteral(", "))));
    m_flameGraph->setCaption(
        tr("Critical-path time of %1 traces: %2 — click a frame to zoom")
            .arg(locale.toString(m_summary->traceCount()), TimeFormat::duration(m_summary->totalNs())));
    m_flameGraph->setTree(std::shared_ptr<const FlameTree>(m_summary, &m_summary->tree()), names);

    const int rows = int(std::min<size_t>(m_summary->paths().size(), MaxRows));
    m_table->setRowCount(rows);
    for (int row = 0; row < rows; ++row) {
        const CriticalPathSummary::PathRow& path = m_summary->paths()[size_t(row)];
        QStringList frames;
        for (const StringId name : m_summary->callPath(path.node))
            frames += (*names)[size_t(name)];
        m_table->setItem(row, 0, item(frames.join(QStringLiteral(" › "))));
        auto* category = item(categoryName(path.category));
        category->setBackground(CategoryPalette::fill(path.category));
        category->setForeground(CategoryPalette::text());
        m_table->setItem(row, 1, category);
        m_table->setItem(row, 2, item(percent(path.share), Qt::AlignRight | Qt::AlignVCenter));
        m_table->setItem(row, 3, durationItem(path.perTrace.p50));
        m_table->setItem(row, 4, durationItem(path.perTrace.p95));
        m_table->setItem(row, 5, durationItem(path.perTrace.p99));
        m_table->setItem(row, 6, item(locale.toString(path.traces), Qt::AlignRight | Qt::AlignVCenter));
    }
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(0, std::min(m_table->columnWidth(0), std::max(240, m_table->width() / 2)));
}

} // namespace lundi
