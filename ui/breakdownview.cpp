#include "breakdownview.h"

#include "categorypalette.h"
#include "customplot.h"
#include "durationunit.h"
#include "plaintooltip.h"
#include "timeformat.h"
#include "workbench.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScopeGuard>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace lundi {

namespace {

// More buckets than this and a bar is too thin to read at a usual window width.
constexpr int MaxBuckets = 60;
const QColor SloColour(200, 30, 30);

// A round duration in the largest unit that divides it: "1 min", "500 ms", "20 s".
QString roundDuration(qint64 ns)
{
    static const std::pair<qint64, const char*> Units[] = {{3600'000'000'000, "h"},
                                                           {60'000'000'000, "min"},
                                                           {1'000'000'000, "s"},
                                                           {1'000'000, "ms"},
                                                           {1'000, "us"}};
    for (const auto& [size, name] : Units) {
        if (ns >= size && ns % size == 0)
            return QStringLiteral("%1 %2").arg(ns / size).arg(QLatin1String(name));
    }
    return QStringLiteral("%1 ns").arg(ns);
}

// One decimal, two below 0.1 %: one request in 3,000 over an SLO is not "0.0 %".
QString percent(double share)
{
    const double value = 100 * share;
    if (value > 0 && value < 0.005)
        return BreakdownView::tr("< %1 %").arg(QLocale().toString(0.01, 'f', 2));
    return QLocale().toString(value, 'f', value > 0 && value < 0.1 ? 2 : 1) + QStringLiteral(" %");
}

QString requestCount(qint64 count)
{
    return count == 1 ? BreakdownView::tr("1 request")
                      : BreakdownView::tr("%1 requests").arg(QLocale().toString(count));
}

double seconds(qint64 ns)
{
    return double(ns) / 1e9;
}

QCustomPlot* makePlot(QWidget* parent)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(320, 200);
    plot->setNoAntialiasingOnDrag(true);
    auto* title = new QCPTextElement(plot, QString(), QFont(plot->font().family(), -1, QFont::Bold));
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, title);
    // The legend in a row of its own under the title, where it never hides data.
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->insertRow(1);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->legend->setVisible(true);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(4, 0, 4, 0));
    return plot;
}

void setTitle(QCustomPlot* plot, const QString& text)
{
    static_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))->setText(text);
}

void clear(QCustomPlot* plot)
{
    plot->clearPlottables();
    plot->clearItems();
}

// Start times on a UTC clock, with as much of the date and the seconds as the span needs.
void setTimeAxis(QCustomPlot* plot, TimeRange range)
{
    QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
    ticker->setDateTimeSpec(Qt::UTC);
    const qint64 width = range.endNs - range.startNs;
    ticker->setDateTimeFormat(width > 2 * 86400e9 ? QStringLiteral("MMM d\nHH:mm")
                              : width > 600e9     ? QStringLiteral("HH:mm")
                              : width > 10e9      ? QStringLiteral("HH:mm:ss")
                                                  : QStringLiteral("HH:mm:ss.zzz"));
    // A label every 110 pixels or so: "08:15:30" takes about 60.
    ticker->setTickCount(std::max(2, plot->width() / 110));
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setLabel(BreakdownView::tr("request start time (UTC)"));
    plot->xAxis->setRange(seconds(range.startNs), seconds(range.endNs));
}

// From the first bucket's start to the last one's end.
TimeRange bucketSpan(const Breakdown::Overview& overview)
{
    if (overview.buckets.empty())
        return overview.scope;
    return {overview.buckets.front().startNs, overview.buckets.back().startNs + overview.stepNs};
}

} // namespace

BreakdownView::BreakdownView(Workbench* workbench, QWidget* parent)
    : QWidget(parent), m_workbench(workbench), m_summary(new QLabel(this)), m_sloEdit(new QLineEdit(this)),
      m_sloSummary(new QLabel(this)), m_slowest(makePlot(this)), m_percentiles(makePlot(this)),
      m_histogram(makePlot(this)), m_table(new QTableWidget(this))
{
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_sloSummary->setTextFormat(Qt::PlainText);
    m_sloEdit->setText(QStringLiteral("10s"));
    m_sloEdit->setMaximumWidth(90);
    m_sloEdit->setToolTip(tr("The latency objective: a duration such as 2s, 500ms or 1.5min"));

    // Each time with its share in one cell: six columns would not fit beside the charts.
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels(
        {tr("Category"), tr("Critical path (share)"), tr("p95/request"), tr("Self time (share)")});
    m_table->horizontalHeaderItem(1)->setToolTip(
        tr("What the requests waited for: time on their critical paths; sums to their latency"));
    m_table->horizontalHeaderItem(3)->setToolTip(
        tr("The work done: each span's time less its children's; parallel work adds up"));
    m_table->horizontalHeaderItem(2)->setToolTip(
        tr("The 95th percentile over the requests of their critical-path time in the category "
           "(requests with none count as 0)"));
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("SLO:"), this));
    top->addWidget(m_sloEdit);
    top->addWidget(m_sloSummary);

    // The two time charts share their time axis, one above the other.
    auto* charts = new QGridLayout;
    charts->addWidget(m_slowest, 0, 0);
    charts->addWidget(m_percentiles, 1, 0);
    charts->addWidget(m_histogram, 0, 1);
    charts->addWidget(m_table, 1, 1);
    charts->setColumnStretch(0, 1);
    charts->setColumnStretch(1, 1);
    charts->setRowStretch(0, 1);
    charts->setRowStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addLayout(top);
    layout->addLayout(charts, 1);

    connect(m_sloEdit, &QLineEdit::textChanged, this, &BreakdownView::showSlo);
    // A click on a bucket's bar narrows every view to that bucket's time.
    for (QCustomPlot* plot : {m_slowest, m_percentiles}) {
        connect(plot, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* plottable, int index) {
            if (qobject_cast<QCPBars*>(plottable))
                selectBucket(index);
        });
    }
    // The figures behind what the pointer is over.
    for (QCustomPlot* plot : {m_slowest, m_percentiles, m_histogram}) {
        connect(plot, &QCustomPlot::mouseMove, this, [this, plot](QMouseEvent* event) {
            const QString text = toolTipAt(plot, event->position());
            if (text.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(event->globalPosition().toPoint(), plainToolTip(text), plot);
        });
    }
    connect(m_workbench, &Workbench::snapshotChanged, this, &BreakdownView::computeLater);
    connect(m_workbench->state(), &ViewState::timeRangeChanged, this, &BreakdownView::computeLater);
    connect(m_workbench->state(), &ViewState::hiddenTracksChanged, this, &BreakdownView::computeLater);
    showOverview();
}

BreakdownView::~BreakdownView() = default;

std::optional<qint64> BreakdownView::slo() const
{
    const std::optional<qint64> ns = TimeFormat::parseDuration(m_sloEdit->text());
    return ns && *ns > 0 ? ns : std::nullopt;
}

void BreakdownView::setSlo(const QString& text)
{
    m_sloEdit->setText(text);
}

void BreakdownView::selectBucket(int index)
{
    if (!m_overview || index < 0 || size_t(index) >= m_overview->buckets.size())
        return;
    const qint64 start = m_overview->buckets[size_t(index)].startNs;
    m_workbench->state()->setTimeRange({start, start + m_overview->stepNs});
}

QString BreakdownView::toolTipAt(const QCustomPlot* plot, QPointF pos) const
{
    if (!m_overview || m_overview->summary.requests == 0 || !plot->axisRect()->rect().contains(pos.toPoint()))
        return {};
    const Breakdown::Overview& overview = *m_overview;
    const QLocale locale;
    if (plot == m_histogram) {
        const std::vector<DurationDistribution::Bin> bins = overview.summary.latency.histogram();
        const double key = std::round(plot->xAxis->pixelToCoord(pos.x()));
        if (key < 0 || key >= double(bins.size()))
            return {};
        const DurationDistribution::Bin& bin = bins[size_t(key)];
        return tr("%1 to %2: %3")
            .arg(roundDuration(bin.lowNs), roundDuration(bin.highNs), requestCount(bin.count));
    }
    if (overview.buckets.empty())
        return {};
    const double time = plot->xAxis->pixelToCoord(pos.x()) * 1e9;
    const double index =
        std::floor((time - double(overview.buckets.front().startNs)) / double(overview.stepNs));
    if (index < 0 || index >= double(overview.buckets.size()))
        return {};
    const Breakdown::Bucket& bucket = overview.buckets[size_t(index)];
    QString text = tr("%1 + %2: %3")
                       .arg(TimeFormat::utc(bucket.startNs), roundDuration(overview.stepNs),
                            requestCount(bucket.requests));
    if (bucket.requests == 0)
        return text;
    if (plot == m_percentiles) {
        text += tr("\np50 %1, p95 %2, p99 %3")
                    .arg(TimeFormat::duration(bucket.latency.p50), TimeFormat::duration(bucket.latency.p95),
                         TimeFormat::duration(bucket.latency.p99));
    } else {
        double total = 0;
        for (const double ns : bucket.slowCriticalMeanNs)
            total += ns;
        text += tr("\nthe slowest %1: %2 on the critical path on average")
                    .arg(locale.toString(bucket.slowRequests), TimeFormat::duration(std::llround(total)));
        for (const Category category : AllCategories) {
            if (const double ns = bucket.slowCriticalMeanNs[size_t(category)]; ns > 0)
                text += QStringLiteral("\n  %1: %2")
                            .arg(categoryName(category), TimeFormat::duration(std::llround(ns)));
        }
    }
    return text + tr("\nClick the bar to select this time range in every view (Esc goes back).");
}

void BreakdownView::computeLater()
{
    m_stale = true;
    if (isVisible())
        compute();
}

void BreakdownView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        compute();
}

void BreakdownView::compute()
{
    m_stale = false;
    const auto snapshot = m_workbench->snapshot();
    if (!snapshot) {
        ++m_request;
        m_overview.reset();
        showOverview();
        return;
    }
    SpanFilter filter;
    filter.range = m_workbench->state()->timeRange();
    filter.hiddenTracks = m_workbench->state()->hiddenTracks();
    // A week between a baseline and an incident would leave one bar for each: with no range
    // chosen, show the latest stretch of activity, and say so.
    const bool latest = filter.range.isEmpty();
    if (latest)
        filter.range = snapshot->latestActivity();
    const quint64 request = ++m_request;
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
    QtConcurrent::run([snapshot, filter] {
        return std::make_shared<const Breakdown::Overview>(
            Breakdown::overview(snapshot->spans, filter, MaxBuckets, SlowestShare));
    }).then(this, [this, request, latest](const std::shared_ptr<const Breakdown::Overview>& overview) {
        // Idle only after the result is shown, so that a screenshot taken when settled has it.
        const auto done = qScopeGuard([this] {
            if (--m_pending == 0)
                Q_EMIT busyChanged(false);
        });
        if (request != m_request)
            return;
        m_overview = overview;
        m_latestActivity = latest;
        showOverview();
    });
}

void BreakdownView::showOverview()
{
    const QLocale locale;
    if (!m_overview || m_overview->summary.requests == 0) {
        m_summary->setText(m_overview ? tr("No request (root span) starts in %1 – %2 on the visible tracks.")
                                            .arg(TimeFormat::utc(m_overview->scope.startNs),
                                                 TimeFormat::utc(m_overview->scope.endNs))
                                      : tr("No incident open."));
        for (QCustomPlot* plot : {m_slowest, m_percentiles, m_histogram}) {
            clear(plot);
            setTitle(plot, QString());
            plot->replot();
        }
        m_table->setRowCount(0);
        showSlo();
        return;
    }
    const Breakdown::Summary& summary = m_overview->summary;
    const DurationDistribution::Percentiles latency = summary.latency.percentiles();
    const QString scope = tr("%1 – %2").arg(TimeFormat::utc(m_overview->scope.startNs),
                                            TimeFormat::utc(m_overview->scope.endNs));
    m_summary->setText(
        tr("%1 started %2%3. Latency p50 %4, p95 %5, p99 %6.")
            .arg(requestCount(summary.requests), scope,
                 m_latestActivity
                     ? tr(" (the latest activity; select a range in the flame chart for another)")
                     : QString(),
                 TimeFormat::duration(latency.p50), TimeFormat::duration(latency.p95),
                 TimeFormat::duration(latency.p99)));
    showSlowest();
    showTable();
    showSlo(); // draws the percentiles and the histogram with the SLO on them
}

void BreakdownView::showSlowest()
{
    QCustomPlot* plot = m_slowest;
    clear(plot);
    const Breakdown::Overview& overview = *m_overview;
    setTitle(plot, tr("Slowest %1 % of requests per %2:\nmean critical-path time by category")
                       .arg(100 * SlowestShare)
                       .arg(roundDuration(overview.stepNs)));
    double tallest = 0;
    for (const Breakdown::Bucket& bucket : overview.buckets) {
        double height = 0;
        for (const double ns : bucket.slowCriticalMeanNs)
            height += ns;
        tallest = std::max(tallest, height);
    }
    const DurationUnit unit = DurationUnit::of(tallest);
    QCPBars* below = nullptr;
    for (const Category category : AllCategories) {
        QVector<double> keys;
        QVector<double> values;
        bool any = false;
        for (const Breakdown::Bucket& bucket : overview.buckets) {
            keys.append(seconds(bucket.startNs) + seconds(overview.stepNs) / 2);
            values.append(bucket.slowCriticalMeanNs[size_t(category)] / unit.ns);
            any = any || bucket.slowCriticalMeanNs[size_t(category)] > 0;
        }
        if (!any)
            continue;
        auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setName(categoryName(category));
        bars->setWidthType(QCPBars::wtPlotCoords);
        bars->setWidth(seconds(overview.stepNs) * 0.85);
        bars->setBrush(CategoryPalette::fill(category));
        bars->setPen(QPen(CategoryPalette::fill(category).darker(130), 0));
        bars->setData(keys, values, true);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    plot->legend->setWrap(4);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flows the entries
    setTimeAxis(plot, bucketSpan(overview));
    plot->yAxis->setLabel(tr("mean critical-path time (%1)").arg(unit.name));
    plot->yAxis->setRange(0, std::max(tallest / unit.ns, 1e-9) * 1.25); // room for the legend
    plot->replot();
}

void BreakdownView::showPercentiles(std::optional<qint64> slo)
{
    QCustomPlot* plot = m_percentiles;
    clear(plot);
    const Breakdown::Overview& overview = *m_overview;
    setTitle(plot,
             tr("Latency percentiles of requests per %1 of start time").arg(roundDuration(overview.stepNs)));
    qint64 highest = slo.value_or(0);
    for (const Breakdown::Bucket& bucket : overview.buckets)
        highest = std::max(highest, bucket.latency.p99);
    const DurationUnit unit = DurationUnit::of(double(highest));

    // The traffic behind each point, faint on the right axis: a p99 of a handful of requests
    // weighs less than one of thousands.
    auto* traffic = new QCPBars(plot->xAxis, plot->yAxis2);
    traffic->setName(tr("requests (right)"));
    traffic->setWidthType(QCPBars::wtPlotCoords);
    traffic->setWidth(seconds(overview.stepNs) * 0.85);
    traffic->setBrush(QColor(150, 150, 150, 60));
    traffic->setPen(Qt::NoPen);
    double busiest = 0;
    for (const Breakdown::Bucket& bucket : overview.buckets) {
        traffic->addData(seconds(bucket.startNs) + seconds(overview.stepNs) / 2, double(bucket.requests));
        busiest = std::max(busiest, double(bucket.requests));
    }
    plot->yAxis2->setVisible(true);
    plot->yAxis2->setLabel(tr("requests per %1").arg(roundDuration(overview.stepNs)));
    plot->yAxis2->setRange(0, std::max(busiest, 1.0) * 1.25);

    const std::pair<const char*, QColor> lines[] = {
        {"p50", QColor(40, 110, 200)}, {"p95", QColor(230, 140, 20)}, {"p99", QColor(120, 40, 160)}};
    for (size_t l = 0; l < std::size(lines); ++l) {
        QVector<double> keys;
        QVector<double> values;
        for (const Breakdown::Bucket& bucket : overview.buckets) {
            keys.append(seconds(bucket.startNs) + seconds(overview.stepNs) / 2);
            const qint64 ns = l == 0 ? bucket.latency.p50 : l == 1 ? bucket.latency.p95 : bucket.latency.p99;
            // A bucket without requests breaks the line rather than drawing a dip to 0.
            values.append(bucket.requests ? double(ns) / unit.ns : qQNaN());
        }
        QCPGraph* graph = plot->addGraph();
        graph->setName(QLatin1String(lines[l].first));
        graph->setPen(QPen(lines[l].second, 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        graph->setData(keys, values, true);
    }
    const TimeRange axis = bucketSpan(overview);
    if (slo) {
        QCPGraph* line = plot->addGraph();
        line->setName(tr("SLO %1").arg(TimeFormat::duration(*slo)));
        line->setPen(QPen(SloColour, 1.5, Qt::DashLine));
        line->setData({seconds(axis.startNs), seconds(axis.endNs)},
                      {double(*slo) / unit.ns, double(*slo) / unit.ns}, true);
    }
    plot->legend->setWrap(5);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-flows the entries
    setTimeAxis(plot, axis);
    plot->yAxis->setLabel(tr("latency (%1)").arg(unit.name));
    plot->yAxis->setRange(0, std::max(double(highest) / unit.ns, 1e-9) * 1.25);
    plot->replot();
}

void BreakdownView::showHistogram(std::optional<qint64> slo)
{
    QCustomPlot* plot = m_histogram;
    clear(plot);
    const DurationDistribution& latency = m_overview->summary.latency;
    setTitle(plot, tr("Latency histogram: %1").arg(requestCount(latency.count())));
    const std::vector<DurationDistribution::Bin> bins = latency.histogram();
    // Each bin split at the SLO: what met it below, what missed it stacked above in red.
    QVector<double> keys;
    QVector<double> within;
    QVector<double> over;
    double tallest = 0;
    for (size_t b = 0; b < bins.size(); ++b) {
        const DurationDistribution::Bin& bin = bins[b];
        const qint64 missed =
            slo ? std::clamp<qint64>(latency.countOver(*slo) - latency.countOver(bin.highNs - 1), 0,
                                     bin.count)
                : 0;
        keys.append(double(b));
        within.append(double(bin.count - missed));
        over.append(double(missed));
        tallest = std::max(tallest, double(bin.count));
    }
    auto* met = new QCPBars(plot->xAxis, plot->yAxis);
    met->setName(slo ? tr("within the SLO") : tr("requests"));
    met->setWidth(0.9);
    met->setBrush(QColor(120, 150, 190));
    met->setPen(Qt::NoPen);
    met->setData(keys, within, true);
    if (slo) {
        auto* missed = new QCPBars(plot->xAxis, plot->yAxis);
        missed->setName(tr("over the SLO"));
        missed->setWidth(0.9);
        missed->setBrush(SloColour.lighter(130));
        missed->setPen(Qt::NoPen);
        missed->setData(keys, over, true);
        missed->moveAbove(met);
    }

    // Bins are equal steps on a log scale; ticks at their edges, every one when there is room
    // (a label takes about 60 pixels), else the decades (1 ms, 10 ms, 100 ms ...), or every
    // second or third decade, so that labels never run into each other.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int labels = std::max(2, (plot->width() - 80) / 60);
    const int decadeStride = std::max(1, int(std::ceil(double(bins.size()) / 3 / labels)));
    for (size_t b = 0; b <= bins.size(); ++b) {
        const qint64 edge = b < bins.size() ? bins[b].lowNs : bins.back().highNs;
        qint64 mantissa = edge;
        int decade = 0;
        for (; mantissa >= 10 && mantissa % 10 == 0; ++decade)
            mantissa /= 10;
        if (int(bins.size()) + 1 <= labels || (mantissa == 1 && decade % decadeStride == 0))
            ticker->addTick(double(b) - 0.5, roundDuration(edge));
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setLabel(tr("latency (log scale; bins of 1, 2, 5 × 10ⁿ)"));
    plot->xAxis->setRange(-0.6, double(bins.size()) - 0.4);
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->yAxis->setLabel(tr("requests"));
    plot->yAxis->setRange(0, std::max(tallest, 1.0) * 1.25);

    if (slo && !bins.empty()) {
        // Where the SLO falls, on the same log scale as the bins.
        double x = double(bins.size()) - 0.5;
        for (size_t b = 0; b < bins.size(); ++b) {
            if (*slo < bins[b].highNs) {
                const double within = *slo <= bins[b].lowNs
                                          ? 0
                                          : std::log(double(*slo) / double(bins[b].lowNs)) /
                                                std::log(double(bins[b].highNs) / double(bins[b].lowNs));
                x = double(b) - 0.5 + within;
                break;
            }
        }
        auto* line = new QCPItemStraightLine(plot);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setPen(QPen(SloColour, 1.5, Qt::DashLine));
        auto* label = new QCPItemText(plot);
        label->position->setAxisRect(plot->axisRect());
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(x, 0.02);
        // Right of the line when it stands in the left half, else left of it.
        const bool leftHalf = x < double(bins.size()) / 2;
        label->setPositionAlignment(Qt::AlignTop | (leftHalf ? Qt::AlignLeft : Qt::AlignRight));
        label->setPadding(QMargins(4, 0, 4, 0));
        label->setColor(SloColour);
        label->setText(
            tr("SLO %1: %2 over").arg(TimeFormat::duration(*slo), percent(latency.shareOver(*slo))));
    }
    plot->legend->setWrap(8);
    plot->replot();
}

void BreakdownView::showTable()
{
    std::vector<Breakdown::CategoryRow> rows;
    for (const Breakdown::CategoryRow& row : m_overview->summary.categories) {
        if (row.criticalNs > 0 || row.selfNs > 0)
            rows.push_back(row);
    }
    // Most critical-path time first: the likeliest culprit leads.
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.criticalNs != b.criticalNs ? a.criticalNs > b.criticalNs : a.selfNs > b.selfNs;
    });
    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const Breakdown::CategoryRow& row = rows[size_t(r)];
        const QStringList cells{
            categoryName(row.category),
            tr("%1 (%2)").arg(TimeFormat::duration(row.criticalNs), percent(row.criticalShare)),
            TimeFormat::duration(row.criticalPerRequest.p95),
            tr("%1 (%2)").arg(TimeFormat::duration(row.selfNs), percent(row.selfShare))};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(r, c, item);
        }
        QPixmap swatch(12, 12);
        swatch.fill(CategoryPalette::fill(row.category));
        m_table->item(r, 0)->setIcon(QIcon(swatch));
    }
}

void BreakdownView::showSlo()
{
    const std::optional<qint64> threshold = slo();
    QPalette palette = m_sloEdit->palette();
    palette.setColor(QPalette::Text,
                     threshold || m_sloEdit->text().isEmpty() ? QPalette().color(QPalette::Text) : SloColour);
    m_sloEdit->setPalette(palette);
    if (!threshold) {
        m_sloSummary->setText(m_sloEdit->text().isEmpty() ? tr("none")
                                                          : tr("not a duration: type 2s, 500ms or 1.5min"));
    } else if (!m_overview || m_overview->summary.requests == 0) {
        m_sloSummary->clear();
    } else {
        const DurationDistribution& latency = m_overview->summary.latency;
        m_sloSummary->setText(tr("%1 of the requests (%2) took longer")
                                  .arg(percent(latency.shareOver(*threshold)),
                                       QLocale().toString(latency.countOver(*threshold))));
    }
    if (!m_overview || m_overview->summary.requests == 0)
        return;
    showPercentiles(threshold);
    showHistogram(threshold);
}

} // namespace lundi
