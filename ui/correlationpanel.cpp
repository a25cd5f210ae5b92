#include "correlationpanel.h"

#include "plaintooltip.h"
#include "store/store.h"
#include "store/storeerror.h"
#include "timeformat.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace lundi {

namespace {

enum Column { Rho, Lag, Points, SeriesName, ColumnCount };

struct Computed
{
    Correlation::Result result;
    QString error;
};

QTableWidgetItem* numberItem(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

CorrelationPanel::CorrelationPanel(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_table(new QTableWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("ρ"), tr("Lag"), tr("n"), tr("Series")});
    m_table->horizontalHeaderItem(Rho)->setToolTip(tr("Spearman's rank correlation with root-span latency"));
    m_table->horizontalHeaderItem(Lag)->setToolTip(
        tr("Where the correlation is strongest: negative, the series moved before latency; positive, after"));
    m_table->horizontalHeaderItem(Points)->setToolTip(tr("The steps paired with latency"));
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight); // the name first: labels are often alike
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(SeriesName, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row) {
        if (row >= 0 && size_t(row) < m_result.rows.size())
            Q_EMIT metricChosen(m_result.rows[size_t(row)].series);
    });
    show(m_result);
}

void CorrelationPanel::setSnapshot(std::shared_ptr<const IncidentSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    compute();
}

void CorrelationPanel::setRange(TimeRange range)
{
    m_range = range;
    compute();
}

void CorrelationPanel::compute()
{
    const quint64 request = ++m_request;
    if (!m_snapshot) {
        show({});
        return;
    }
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
    // Latency from the spans the snapshot holds; only the samples are read from the file.
    QtConcurrent::run([snapshot = m_snapshot, range = m_range]() -> Computed {
        try {
            const Store store(snapshot->path);
            return {Correlation::rank(Correlation::rootLatency(snapshot->spans), Correlation::inputs(store),
                                      range),
                    {}};
        } catch (const StoreError& error) {
            return {{}, error.sentence()};
        }
    }).then(this, [this, request](const Computed& computed) {
        if (request == m_request) {
            show(computed.result);
            if (!computed.error.isEmpty())
                m_summary->setText(computed.error);
        }
        if (--m_pending == 0)
            Q_EMIT busyChanged(false);
    });
}

void CorrelationPanel::show(const Correlation::Result& result)
{
    m_result = result;
    m_table->clearContents();
    m_table->setRowCount(int(result.rows.size()));
    if (result.latencySteps == 0) {
        m_summary->setText(m_snapshot
                               ? tr("No root span ends in this range: there is no latency to correlate with.")
                               : QString());
        return;
    }
    if (result.latencySteps < Correlation::Options().minPoints) {
        m_summary->setText(
            tr("Requests end in only %n step(s) of this range: too few to correlate with (%1 needed).",
               nullptr, int(result.latencySteps))
                .arg(Correlation::Options().minPoints));
        return;
    }
    QString summary = tr("Root-span latency against %n series, %1 to %2, step %3, lags up to ±%4 steps.",
                         nullptr, int(result.rows.size()))
                          .arg(TimeFormat::utc(result.range.startNs), TimeFormat::utc(result.range.endNs),
                               TimeFormat::duration(result.stepNs))
                          .arg(result.maxLagSteps);
    if (result.constantSeries || result.tooFewPoints)
        summary += tr(" Left out: %1 constant, %2 with too few points.")
                       .arg(result.constantSeries)
                       .arg(result.tooFewPoints);
    m_summary->setText(summary);
    for (size_t r = 0; r < result.rows.size(); ++r) {
        const Correlation::Row& row = result.rows[r];
        auto* rho = numberItem(QString::number(row.rho, 'f', 3));
        // Strong correlations stand out: the stronger, the deeper the tint (red up, blue down).
        const int alpha = int(std::abs(row.rho) * std::abs(row.rho) * 160);
        rho->setBackground(row.rho > 0 ? QColor(214, 39, 40, alpha) : QColor(31, 119, 180, alpha));
        m_table->setItem(int(r), Rho, rho);
        m_table->setItem(int(r), Lag,
                         numberItem(row.lagSteps
                                        ? tr("%1 (%2)").arg(TimeFormat::duration(row.lagNs)).arg(row.lagSteps)
                                        : QStringLiteral("0")));
        m_table->setItem(int(r), Points, numberItem(QString::number(row.n)));
        const QString labels = row.labelsJson == "{}" ? QString() : QString::fromUtf8(row.labelsJson);
        const QString name =
            row.name + labels + (row.transform.isEmpty() ? QString() : tr(" · %1").arg(row.transform));
        auto* series = new QTableWidgetItem(name);
        series->setToolTip(
            plainToolTip(name + QLatin1Char('\n') + tr("Click to plot it under the flame chart")));
        m_table->setItem(int(r), SeriesName, series);
    }
}

} // namespace lundi
