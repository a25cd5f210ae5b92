#include "diffview.h"

#include "changelegend.h"
#include "contributorsmodel.h"
#include "flamegraphview.h"
#include "plaintooltip.h"
#include "timeformat.h"
#include "workbench.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScopeGuard>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

QString rangeText(TimeRange range)
{
    return DiffView::tr("%1 – %2").arg(TimeFormat::utc(range.startNs), TimeFormat::utc(range.endNs));
}

QString percent(double share)
{
    return QString::number(100 * share, 'f', 1) + QLatin1Char('%');
}

QString points(double change)
{
    return DiffView::tr("%1 pp").arg(QString::asprintf("%+.1f", 100 * change));
}

} // namespace

DiffView::DiffView(Workbench* workbench, QWidget* parent)
    : QWidget(parent), m_workbench(workbench), m_baselineChoice(new QComboBox(this)),
      m_incidentChoice(new QComboBox(this)), m_baselineWidths(new QCheckBox(tr("Baseline widths"), this)),
      m_legend(new ChangeLegend(this)), m_summary(new QLabel(this)), m_graph(new FlameGraphView(this)),
      m_model(new ContributorsModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView(this))
{
    // Source names can be long: the choices must not widen the window (the popup shows them whole).
    for (QComboBox* choice : {m_baselineChoice, m_incidentChoice}) {
        choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        choice->setMinimumContentsLength(18);
    }
    m_baselineChoice->setToolTip(tr("What the incident is compared with"));
    m_incidentChoice->setToolTip(tr("What went wrong"));
    m_baselineWidths->setToolTip(
        tr("Draw each frame as wide as it was in the baseline, so that stacks that vanished show"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_graph->setEmptyText(tr("Nothing to compare: pick a baseline and an incident that hold spans."));
    m_graph->setToolTipNote([this](qint32 node) { return noteFor(node); });

    auto* choices = new QHBoxLayout;
    choices->addWidget(new QLabel(tr("Baseline:"), this));
    choices->addWidget(m_baselineChoice);
    choices->addSpacing(12);
    choices->addWidget(new QLabel(tr("Incident:"), this));
    choices->addWidget(m_incidentChoice);
    choices->addSpacing(12);
    choices->addWidget(m_baselineWidths);
    choices->addStretch(1);
    auto* scale = new QHBoxLayout;
    scale->addWidget(m_legend);
    scale->addSpacing(12);
    scale->addWidget(m_summary, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addLayout(choices);
    layout->addLayout(scale);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_graph);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    // The model's order (the largest growth first) until the user sorts by a column.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The path is what a row is about: room for it even when the figures need a scroll bar.
    m_table->horizontalHeader()->setSectionResizeMode(ContributorsModel::What, QHeaderView::Interactive);
    m_table->horizontalHeader()->resizeSection(ContributorsModel::What, 300);
    connect(m_table, &QTableView::clicked, this, &DiffView::showContributor);

    connect(m_baselineChoice, &QComboBox::currentIndexChanged, this, &DiffView::compareLater);
    connect(m_incidentChoice, &QComboBox::currentIndexChanged, this, &DiffView::compareLater);
    connect(m_baselineWidths, &QCheckBox::toggled, this, &DiffView::showDiff);
    connect(m_workbench, &Workbench::snapshotChanged, this, [this] {
        updateChoices();
        compareLater();
    });
    // A new selected range changes what is compared only where a side is that range.
    connect(m_workbench->state(), &ViewState::timeRangeChanged, this, [this] {
        const std::pair before{selection(m_baselineChoice), selection(m_incidentChoice)};
        updateChoices();
        if (before != std::pair{selection(m_baselineChoice), selection(m_incidentChoice)})
            compareLater();
    });
    updateChoices();
    compareLater();
}

DiffView::~DiffView() = default;

void DiffView::updateChoices()
{
    const auto snapshot = m_workbench->snapshot();
    const QString baseline = m_baselineChoice->currentText();
    const QString incident = m_incidentChoice->currentText();
    m_choices.clear();
    QString defaultBaseline;
    QString defaultIncident;
    if (snapshot) {
        // A baseline a week before the incident hour: the stretch before the gap against the
        // latest stretch, which is where a first look goes anyway.
        const TimeRange latest = snapshot->latestActivity();
        if (latest.startNs > snapshot->timeRange.startNs) {
            defaultBaseline = tr("Before the latest activity");
            defaultIncident = tr("Latest activity");
            const TimeRange before{snapshot->timeRange.startNs, latest.startNs};
            m_choices.push_back({defaultBaseline, rangeText(before), {std::nullopt, before}});
            m_choices.push_back({defaultIncident, rangeText(latest), {std::nullopt, latest}});
        }
        const TimeRange selected = m_workbench->state()->timeRange();
        if (!selected.isEmpty()) {
            m_choices.push_back({tr("Selected range"), rangeText(selected), {std::nullopt, selected}});
            // What came before it: the range a regression that began there is compared with.
            const TimeRange before{snapshot->timeRange.startNs, selected.startNs};
            if (!before.isEmpty())
                m_choices.push_back(
                    {tr("Before the selected range"), rangeText(before), {std::nullopt, before}});
        }
        m_choices.push_back({tr("Whole incident"), rangeText(snapshot->timeRange), {std::nullopt, {}}});
        const size_t firstSource = m_choices.size();
        for (const Source& source : snapshot->sources) {
            if (source.spanCount == 0)
                continue;
            m_choices.push_back({tr("Source %1: %2").arg(source.id).arg(QFileInfo(source.origin).fileName()),
                                 source.origin,
                                 {source.id, {}}});
        }
        // No gap in time but two sources: the first against the last (a differential profile
        // imports as its #baseline and then its #incident).
        if (defaultBaseline.isEmpty() && m_choices.size() >= firstSource + 2) {
            defaultBaseline = m_choices[firstSource].label;
            defaultIncident = m_choices.back().label;
        }
    }
    const auto fill = [&](QComboBox* box, const QString& keep, const QString& fallback) {
        const QSignalBlocker blocker(box);
        box->clear();
        for (const Choice& choice : m_choices) {
            box->addItem(choice.label);
            box->setItemData(box->count() - 1, plainToolTip(choice.detail), Qt::ToolTipRole);
        }
        int index = box->findText(keep);
        if (index < 0)
            index = std::max(0, box->findText(fallback));
        box->setCurrentIndex(m_choices.empty() ? -1 : index);
    };
    fill(m_baselineChoice, baseline, defaultBaseline);
    fill(m_incidentChoice, incident, defaultIncident);
}

std::optional<SpanSelection> DiffView::selection(const QComboBox* choice) const
{
    const int index = choice->currentIndex();
    return index >= 0 && size_t(index) < m_choices.size() ? std::optional(m_choices[size_t(index)].selection)
                                                          : std::nullopt;
}

void DiffView::compareLater()
{
    m_stale = true;
    if (isVisible())
        compare();
}

void DiffView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        compare();
}

void DiffView::compare()
{
    m_stale = false;
    const auto snapshot = m_workbench->snapshot();
    const int baseline = m_baselineChoice->currentIndex();
    const int incident = m_incidentChoice->currentIndex();
    if (!snapshot || baseline < 0 || incident < 0 || size_t(baseline) >= m_choices.size() ||
        size_t(incident) >= m_choices.size()) {
        ++m_request;
        m_diff.reset();
        m_model->setDiff(nullptr, nullptr);
        showDiff();
        return;
    }
    const quint64 request = ++m_request;
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
    QtConcurrent::run([snapshot, baseline = m_choices[size_t(baseline)].selection,
                       incident = m_choices[size_t(incident)].selection] {
        return std::make_shared<const BaselineDiff>(
            BaselineDiff::compute(snapshot->spans, snapshot->tracks, baseline, incident));
    }).then(this, [this, request](const std::shared_ptr<const BaselineDiff>& diff) {
        // Idle only after the result is shown, so that a screenshot taken when settled has it.
        const auto done = qScopeGuard([this] {
            if (--m_pending == 0)
                Q_EMIT busyChanged(false);
        });
        if (request != m_request)
            return;
        m_diff = diff;
        m_model->setDiff(diff, m_workbench->names());
        showDiff();
    });
}

void DiffView::showDiff()
{
    if (!m_diff) {
        m_graph->setTree(nullptr, nullptr);
        m_graph->setChanges(nullptr, 0);
        m_legend->setScale(0);
        m_summary->clear();
        return;
    }
    const FlameDiff& flame = m_diff->flame;
    auto changes = std::make_shared<std::vector<double>>(flame.changes().size());
    for (size_t n = 0; n < changes->size(); ++n)
        (*changes)[n] = flame.changes()[n].shareChange();
    const auto widths =
        m_baselineWidths->isChecked() ? FlameDiff::Widths::Baseline : FlameDiff::Widths::Incident;
    // The tree lives in the diff: share its lifetime rather than copy it.
    m_graph->setChanges(std::move(changes), flame.largestChange());
    m_graph->setTree(std::shared_ptr<const FlameTree>(m_diff, &flame.tree(widths)), m_workbench->names());
    m_legend->setScale(flame.largestChange());
    const QLocale locale;
    QString text =
        tr("Mean latency %1 → %2 over %3 → %4 traces. Widths: the %5's span time; colours: the "
           "change of each frame's share of its side's time.")
            .arg(TimeFormat::duration(m_diff->baseline.meanNs), TimeFormat::duration(m_diff->incident.meanNs),
                 locale.toString(m_diff->baseline.traces), locale.toString(m_diff->incident.traces),
                 m_baselineWidths->isChecked() ? tr("baseline") : tr("incident"));
    if (m_diff->paths.empty() && m_diff->categories.empty())
        text += QLatin1Char(' ') + tr("No call path or category changed its critical-path time per trace by "
                                      "%1% of the mean latency or more.")
                                       .arg(100 * BaselineDiff::MinimumShare);
    m_summary->setText(text);
}

void DiffView::showContributor(const QModelIndex& index)
{
    if (!m_diff || !index.isValid())
        return;
    const BaselineDiff::Contributor& row = m_model->contributor(m_proxy->mapToSource(index).row());
    if (row.path.empty())
        return;
    // Both widths have the same nodes: find the path's node by its frames.
    const std::vector<FlameTree::Node>& nodes = m_graph->tree()->nodes();
    qint32 node = 0;
    for (const StringId frame : row.path) {
        const auto& children = nodes[size_t(node)].children;
        const auto it = std::find_if(children.begin(), children.end(),
                                     [&](qint32 c) { return nodes[size_t(c)].frame == frame; });
        if (it == children.end())
            return;
        node = *it;
    }
    m_graph->zoomTo(node);
}

QString DiffView::noteFor(qint32 node) const
{
    if (!m_diff || node < 0 || size_t(node) >= m_diff->flame.changes().size())
        return {};
    const FlameDiff::Change& change = m_diff->flame.changes()[size_t(node)];
    const QLocale locale;
    QStringList lines;
    lines.append(tr("Baseline: %1 (%2 of its time), %3 calls")
                     .arg(TimeFormat::duration(change.baselineNs), percent(change.baselineShare),
                          locale.toString(change.baselineCount)));
    lines.append(tr("Incident: %1 (%2 of its time), %3 calls")
                     .arg(TimeFormat::duration(change.incidentNs), percent(change.incidentShare),
                          locale.toString(change.incidentCount)));
    lines.append(change.isNew()       ? tr("New in the incident (%1)").arg(points(change.shareChange()))
                 : change.isMissing() ? tr("Missing from the incident (%1)").arg(points(change.shareChange()))
                                      : tr("Change of share: %1").arg(points(change.shareChange())));
    return lines.join(QLatin1Char('\n'));
}

} // namespace lundi
