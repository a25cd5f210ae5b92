#include "suspectspanel.h"

#include "categorypalette.h"
#include "store/store.h"
#include "store/storeerror.h"
#include "timeformat.h"
#include "workbench.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

QIcon categoryIcon(Category category)
{
    QPixmap swatch(12, 12);
    swatch.fill(CategoryPalette::fill(category));
    return QIcon(swatch);
}

QString describe(const Suspects::Side& side)
{
    return SuspectsPanel::tr("%1 requests; the slowest %2 take %3 on average")
        .arg(side.traces)
        .arg(side.slowTraces)
        .arg(TimeFormat::duration(side.meanSlowNs));
}

} // namespace

SuspectsPanel::SuspectsPanel(Workbench* workbench, QWidget* parent)
    : QWidget(parent), m_workbench(workbench), m_baseline(new QComboBox(this)), m_summary(new QLabel(this)),
      m_list(new QListWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* header = new QHBoxLayout;
    m_baseline->setToolTip(tr("What normal looks like: suspects are then what grew since"));
    m_baseline->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    header->addWidget(m_baseline);
    header->addWidget(m_summary, 1);
    layout->addLayout(header);
    // Sentences wrap to the panel's width rather than scroll sideways.
    m_list->setWordWrap(true);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setSpacing(2);
    layout->addWidget(m_list, 1);

    connect(m_workbench, &Workbench::snapshotChanged, this, &SuspectsPanel::fillBaselines);
    connect(m_workbench->state(), &ViewState::hiddenTracksChanged, this, &SuspectsPanel::rank);
    connect(m_baseline, &QComboBox::currentIndexChanged, this, &SuspectsPanel::rank);
    connect(m_list, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { focus(m_list->row(item)); });
}

SuspectsPanel::~SuspectsPanel() = default;

void SuspectsPanel::fillBaselines()
{
    const auto snapshot = m_workbench->snapshot();
    m_comparisons.clear();
    m_comparisons.push_back({tr("No baseline: the slowest requests of all"), std::nullopt, {}});
    const TimeRange all = snapshot->timeRange;
    const TimeRange latest = snapshot->latestActivity();
    if (latest.startNs > all.startNs) {
        SpanFilter before;
        before.range = {all.startNs, latest.startNs};
        SpanFilter incident;
        incident.range = latest;
        m_comparisons.push_back(
            {tr("Baseline: the activity before %1").arg(TimeFormat::utc(latest.startNs)), before, incident});
    }
    if (snapshot->sources.size() > 1) {
        for (const Source& source : snapshot->sources) {
            Comparison comparison{
                tr("Baseline: source %1, %2").arg(source.id).arg(QFileInfo(source.origin).fileName()),
                SpanFilter{}, SpanFilter{}};
            for (const Track& track : snapshot->tracks)
                (track.source == source.id ? comparison.incident : *comparison.baseline)
                    .hiddenTracks.insert(track.id);
            m_comparisons.push_back(comparison);
        }
    }
    const QSignalBlocker blocker(m_baseline);
    m_baseline->clear();
    for (const Comparison& comparison : m_comparisons)
        m_baseline->addItem(comparison.label);
    // A stretch of activity long before the latest is most likely the baseline it was kept for.
    m_baseline->setCurrentIndex(latest.startNs > all.startNs ? 1 : 0);
    rank();
}

void SuspectsPanel::rank()
{
    const auto snapshot = m_workbench->snapshot();
    if (!snapshot || m_baseline->currentIndex() < 0)
        return;
    Comparison comparison = m_comparisons[size_t(m_baseline->currentIndex())];
    for (const TrackId track : m_workbench->state()->hiddenTracks()) {
        comparison.incident.hiddenTracks.insert(track);
        if (comparison.baseline)
            comparison.baseline->hiddenTracks.insert(track);
    }
    const quint64 request = ++m_request;
    if (!m_busy)
        Q_EMIT busyChanged(m_busy = true);
    m_summary->setText(tr("Ranking…"));
    QtConcurrent::run([snapshot, comparison, path = m_workbench->path()] {
        std::vector<Correlation::Input> metrics;
        CriticalPath::TraceIds traceIds;
        try {
            const Store store(path);
            metrics = Correlation::inputs(store);
            traceIds = store.rootTraceIds();
        } catch (const StoreError&) {
            // The spans are in the snapshot: rank without trace ids and metric evidence.
        }
        return Suspects::find(snapshot->spans, snapshot->strings, comparison.incident, comparison.baseline,
                              metrics, traceIds);
    }).then(this, [this, request](const Suspects::Result& result) {
        if (request != m_request)
            return;
        showResult(result);
        Q_EMIT busyChanged(m_busy = false);
    });
}

void SuspectsPanel::showResult(const Suspects::Result& result)
{
    m_result = result;
    QString summary = tr("Incident: %1.").arg(describe(result.incident));
    if (result.baseline)
        summary += QLatin1Char(' ') + tr("Baseline: %1.").arg(describe(*result.baseline));
    if (result.suspects.empty())
        summary +=
            QLatin1Char('\n') + (result.baseline ? tr("Nothing on the slow requests' critical path grew.")
                                                 : tr("No requests to rank."));
    m_summary->setText(summary);
    m_list->clear();
    for (const Suspects::Suspect& suspect : result.suspects) {
        auto* item =
            new QListWidgetItem(categoryIcon(suspect.category),
                                QStringLiteral("%1. %2").arg(suspect.rank).arg(suspect.evidence), m_list);
        item->setToolTip(tr("Click to show its slow requests, its frame and its slowest request"));
    }
}

void SuspectsPanel::focus(int row)
{
    if (row < 0 || size_t(row) >= m_result.suspects.size())
        return;
    const Suspects::Suspect& suspect = m_result.suspects[size_t(row)];
    ViewState* state = m_workbench->state();
    state->setTimeRange(suspect.range);
    state->setSelectedFrame(suspect.name);
    state->setSelectedSpan(suspect.slowestRoot);
    if (suspect.moved)
        Q_EMIT seriesRequested(suspect.moved->series);
}

} // namespace lundi
