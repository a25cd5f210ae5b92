#include "mainwindow.h"
#include "plaintooltip.h"

#include "breakdownview.h"
#include "categorylegend.h"
#include "correlationpanel.h"
#include "criticalpathview.h"
#include "detailspanel.h"
#include "diffview.h"
#include "flamechartview.h"
#include "flamegraphview.h"
#include "importoptionsdialog.h"
#include "importqueue.h"
#include "ingest/importer.h"
#include "ingest/importerregistry.h"
#include "metricplotpanel.h"
#include "probespanel.h"
#include "report/reportdialog.h"
#include "rulesdialog.h"
#include "sandwichview.h"
#include "sourcespanel.h"
#include "sqlconsole.h"
#include "store/store.h"
#include "store/storeerror.h"
#include "suspectspanel.h"
#include "timeformat.h"
#include "toptableview.h"
#include "workbench.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

namespace lundi {

namespace {

constexpr int MaxRecent = 10;
const QString RecentKey = QStringLiteral("recentIncidents");

// An incident file is an SQLite database; anything else is something to import.
bool isIncidentFile(const QString& path)
{
    QFile file(path);
    if (path.endsWith(QLatin1String(".lundi")) && !file.exists())
        return true;
    return file.open(QIODevice::ReadOnly) && file.read(16) == QByteArray("SQLite format 3\0", 16);
}

QString dataFolder()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return folder;
}

// A new incident file in the user's data folder named after what goes into it.
QString newIncidentPathFor(const QString& input)
{
    const QString base = QDir(dataFolder()).filePath(QFileInfo(input).completeBaseName());
    QString path = base + QStringLiteral(".lundi");
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = QStringLiteral("%1-%2.lundi").arg(base).arg(n);
    return path;
}

bool isEmptyIncident(const QString& path)
{
    try {
        return Store(path).counts().sources == 0;
    } catch (const StoreError&) {
        return false;
    }
}

} // namespace

MainWindow::MainWindow(Session session, QWidget* parent)
    : QMainWindow(parent), m_workbench(new Workbench(this)), m_imports(new ImportQueue(this)),
      m_session(session)
{
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks);
    createViews();
    createDocks();
    createActions();
    connectState();

    if (session == Session::Remembered) {
        QSettings settings;
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
        restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
        m_views->setCurrentIndex(settings.value(QStringLiteral("window/view"), 0).toInt());
    }
    updateTitle();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createViews()
{
    m_views = new QTabWidget(this);
    m_views->setDocumentMode(true);
    m_flameGraph = new FlameGraphView(m_views);
    // Metric plots under the flame chart, on its time axis.
    auto* chartAndPlots = new QSplitter(Qt::Vertical, m_views);
    m_flameChart = new FlameChartView(chartAndPlots);
    m_metricPlots = new MetricPlotPanel(chartAndPlots);
    chartAndPlots->setStretchFactor(0, 3);
    chartAndPlots->setStretchFactor(1, 2);
    m_metricPlots->alignWith(m_flameChart);
    m_sandwich = new SandwichView(m_views);
    const auto trackName = [this](TrackId id) { return m_workbench->trackName(id); };
    m_flameGraph->setTrackNames(trackName);
    m_sandwich->setTrackNames(trackName);
    m_topTable = new TopTableView(m_views);
    m_views->addTab(m_flameGraph, tr("Flame &graph"));
    m_views->addTab(chartAndPlots, tr("Flame &chart"));
    m_views->addTab(m_sandwich, tr("&Sandwich"));
    m_views->addTab(m_topTable, tr("&Top"));
    m_diffView = new DiffView(m_workbench, m_views);
    m_views->addTab(m_diffView, tr("&Diff"));
    m_breakdown = new BreakdownView(m_workbench, m_views);
    m_views->addTab(m_breakdown, tr("&Breakdown"));
    m_criticalPath = new CriticalPathView(m_workbench, m_views);
    m_views->addTab(m_criticalPath, tr("C&ritical path"));
    m_sqlConsole = new SqlConsole(m_workbench, m_views);
    m_views->addTab(m_sqlConsole, tr("S&QL"));
    connect(m_views, &QTabWidget::currentChanged, this, &MainWindow::selectTopFrameForSandwich);
    setCentralWidget(m_views);
}

void MainWindow::createDocks()
{
    m_sources = new SourcesPanel(this);
    auto* sourcesDock = new QDockWidget(tr("Sources"), this);
    sourcesDock->setObjectName(QStringLiteral("sourcesDock"));
    sourcesDock->setWidget(m_sources);
    addDockWidget(Qt::LeftDockWidgetArea, sourcesDock);

    // The answer, under the views: its sentences need the window's width.
    m_suspects = new SuspectsPanel(m_workbench, this);
    auto* suspectsDock = new QDockWidget(tr("Suspects"), this);
    suspectsDock->setObjectName(QStringLiteral("suspectsDock"));
    suspectsDock->setWidget(m_suspects);
    addDockWidget(Qt::BottomDockWidgetArea, suspectsDock);
    resizeDocks({suspectsDock}, {170}, Qt::Vertical);

    m_details = new DetailsPanel(this);
    auto* detailsDock = new QDockWidget(tr("Details"), this);
    detailsDock->setObjectName(QStringLiteral("detailsDock"));
    detailsDock->setWidget(m_details);
    addDockWidget(Qt::RightDockWidgetArea, detailsDock);
    resizeDocks({sourcesDock, detailsDock}, {240, 280}, Qt::Horizontal);

    m_correlation = new CorrelationPanel(this);
    auto* correlationDock = new QDockWidget(tr("Correlation"), this);
    correlationDock->setObjectName(QStringLiteral("correlationDock"));
    correlationDock->setWidget(m_correlation);
    addDockWidget(Qt::RightDockWidgetArea, correlationDock);

    // Live probes, beside the suspects under the views: their table needs the window's width.
    // A fresh session keeps no saved probes.
    m_probes = new ProbesPanel(m_workbench,
                               m_session == Session::Fresh ? QString() : SavedProbes::defaultPath(), this);
    auto* probesDock = new QDockWidget(tr("Probes"), this);
    probesDock->setObjectName(QStringLiteral("probesDock"));
    probesDock->setWidget(m_probes);
    addDockWidget(Qt::BottomDockWidgetArea, probesDock);
    tabifyDockWidget(suspectsDock, probesDock);
    suspectsDock->raise();
    // Shows it even when it is a tab behind the suspects, which its toggle would hide instead.
    m_showProbes = new QAction(tr("Show the &probes"), this);
    m_showProbes->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(m_showProbes, &QAction::triggered, this, [probesDock] {
        probesDock->show();
        probesDock->raise();
    });
    connect(m_probes, &ProbesPanel::liveChanged, m_flameChart, &FlameChartView::setFollowPresent);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New incident…"), QKeySequence::New, this, &MainWindow::newIncident);
    file->addAction(tr("&Open incident…"), QKeySequence::Open, this, &MainWindow::chooseIncident);
    file->addAction(tr("&Import files…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                    &MainWindow::chooseImports);
    file->addAction(tr("Import files &with options…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
                    &MainWindow::chooseImportsWithOptions);
    m_recentMenu = file->addMenu(tr("&Recent incidents"));
    file->addAction(tr("Open the &demo incident"), this, &MainWindow::openDemo);
    file->addAction(tr("&Pull from Prometheus…"), this, [this] { pull(PullDialog::Kind::Prometheus); });
    file->addAction(tr("Pull &traces…"), this, [this] { pull(PullDialog::Kind::Traces); });
    file->addSeparator();
    file->addAction(tr("Save a &copy as…"), QKeySequence::SaveAs, this, &MainWindow::saveCopy);
    file->addAction(tr("&Export report…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportReport);
    file->addAction(tr("Classification &rules…"), this, &MainWindow::editRules);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    updateRecentMenu();

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    const std::array views{View::FlameGraph, View::FlameChart, View::Sandwich,    View::Top,
                           View::Diff,       View::Breakdown,  View::CriticalPath};
    for (size_t i = 0; i < views.size(); ++i) {
        viewMenu->addAction(m_views->tabText(int(i)).remove(QLatin1Char('&')),
                            QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + int(i))), this,
                            [this, view = views[i]] { showView(view); });
    }
    viewMenu->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu->addAction(dock->toggleViewAction());
    viewMenu->addAction(m_showProbes);

    QToolBar* tools = addToolBar(tr("Navigation"));
    tools->setObjectName(QStringLiteral("navigationBar"));
    tools->setMovable(false);
    m_back = tools->addAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("Back"));
    m_back->setToolTip(tr("Back to the previous flame graph zoom (Backspace)"));
    m_back->setEnabled(false);
    connect(m_back, &QAction::triggered, m_flameGraph, &FlameGraphView::back);
    connect(m_flameGraph, &FlameGraphView::canGoBackChanged, m_back, &QAction::setEnabled);
    QAction* icicle = tools->addAction(tr("Icicle"));
    icicle->setCheckable(true);
    icicle->setChecked(true);
    icicle->setToolTip(tr("Roots at the top (icicle) or at the bottom (flame)"));
    connect(icicle, &QAction::toggled, m_flameGraph, &FlameGraphView::setIcicle);
    QAction* byTrack = tools->addAction(tr("By track"));
    byTrack->setCheckable(true);
    byTrack->setToolTip(
        tr("One root per track (service, thread, GPU stream) instead of stacks merged across tracks"));
    connect(byTrack, &QAction::toggled, this, [this](bool on) {
        m_workbench->setRoots(on ? FlameTree::Roots::ByTrack : FlameTree::Roots::Merged);
    });
    tools->addSeparator();

    m_search = new QLineEdit(tools);
    m_search->setPlaceholderText(tr("Search span names (regular expression, Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    m_search->setMaximumWidth(420);
    tools->addWidget(m_search);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(find);
    // Typing re-matches every name; wait for a pause in the typing.
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this,
            [this] { m_workbench->state()->setSearch(m_search->text()); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { search(m_search->text()); });
    tools->addSeparator();

    m_rangeLabel = new QLabel(tools);
    m_rangeLabel->setTextFormat(Qt::PlainText);
    m_rangeLabel->setContentsMargins(6, 0, 6, 0);
    tools->addWidget(m_rangeLabel);
    m_clearRange = tools->addAction(tr("Clear range"));
    m_clearRange->setToolTip(tr("Show the whole incident again (Esc)"));
    m_clearRange->setShortcut(Qt::Key_Escape);
    m_clearRange->setEnabled(false);
    connect(m_clearRange, &QAction::triggered, this, [this] { m_workbench->state()->setTimeRange({}); });

    QToolBar* legendBar = addToolBar(tr("Categories"));
    legendBar->setObjectName(QStringLiteral("categoriesBar"));
    m_legend = new CategoryLegend(legendBar);
    legendBar->addWidget(m_legend);

    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_summary, 1);
    m_importLabel = new QLabel(this);
    m_importLabel->setTextFormat(Qt::PlainText);
    m_importProgress = new QProgressBar(this);
    m_importProgress->setMaximumWidth(200);
    m_importProgress->setRange(0, 100);
    m_cancelImports = new QToolButton(this);
    m_cancelImports->setText(tr("Cancel"));
    m_cancelImports->setToolTip(tr("Cancel the running import and those waiting"));
    connect(m_cancelImports, &QToolButton::clicked, m_imports, &ImportQueue::cancelAll);
    statusBar()->addPermanentWidget(m_importLabel);
    statusBar()->addPermanentWidget(m_importProgress);
    statusBar()->addPermanentWidget(m_cancelImports);
    for (QWidget* widget : {static_cast<QWidget*>(m_importLabel), static_cast<QWidget*>(m_importProgress),
                            static_cast<QWidget*>(m_cancelImports)})
        widget->hide();
}

void MainWindow::connectState()
{
    ViewState* state = m_workbench->state();
    Workbench* workbench = m_workbench;

    // Views report what the user did to the state...
    connect(m_flameGraph, &FlameGraphView::frameSelected, state, &ViewState::setSelectedFrame);
    connect(m_sandwich, &SandwichView::frameSelected, state, &ViewState::setSelectedFrame);
    connect(m_topTable, &TopTableView::frameSelected, state, &ViewState::setSelectedFrame);
    connect(m_criticalPath, &CriticalPathView::frameSelected, state, &ViewState::setSelectedFrame);
    connect(m_flameChart, &FlameChartView::rangeSelected, state, &ViewState::setTimeRange);
    connect(m_flameChart, &FlameChartView::spanSelected, this, [this, state](SpanId id) {
        state->setSelectedSpan(id);
        const auto snapshot = m_workbench->snapshot();
        const qint32 index = snapshot ? snapshot->indexOf(id) : -1;
        if (index >= 0)
            state->setSelectedFrame(snapshot->spans[size_t(index)].name);
    });
    connect(m_sources, &SourcesPanel::hiddenTracksChanged, state, &ViewState::setHiddenTracks);
    connect(m_sources, &SourcesPanel::clockOffsetChosen, m_workbench, &Workbench::setClockOffset);
    connect(m_flameChart, &FlameChartView::sourceMoveRequested, this, [this](SourceId id, qint64 shiftNs) {
        for (const Source& source : m_workbench->snapshot()->sources) {
            if (source.id == id)
                m_workbench->setClockOffset(id, source.clockOffsetNs + shiftNs);
        }
    });
    connect(m_legend, &CategoryLegend::categoriesChanged, state, &ViewState::setCategories);
    connect(m_sources, &SourcesPanel::metricToggled, m_metricPlots, &MetricPlotPanel::setPlotted);
    connect(m_metricPlots, &MetricPlotPanel::plottedChanged, m_sources, &SourcesPanel::setMetricPlotted);
    connect(m_correlation, &CorrelationPanel::metricChosen, this, [this](SeriesId metric) {
        m_metricPlots->setPlotted(metric, true);
        showView(View::FlameChart);
    });
    connect(m_metricPlots, &MetricPlotPanel::spanRequested, this, [this, state](SpanId span) {
        showView(View::FlameChart);
        state->setSelectedSpan(span);
    });
    connect(m_metricPlots, &MetricPlotPanel::message, this,
            [this](const QString& sentence) { statusBar()->showMessage(sentence, 10000); });
    connect(m_metricPlots, &MetricPlotPanel::settled, this, &MainWindow::checkSettled);
    connect(m_correlation, &CorrelationPanel::busyChanged, this, &MainWindow::checkSettled);
    connect(m_suspects, &SuspectsPanel::seriesRequested, this,
            [this](SeriesId metric) { m_metricPlots->setPlotted(metric, true); });
    connect(m_suspects, &SuspectsPanel::busyChanged, this, &MainWindow::checkSettled);

    // ...and follow it.
    connect(state, &ViewState::selectedFrameChanged, this, [this](StringId name) {
        m_flameGraph->setSelectedFrame(name);
        m_flameChart->setSelectedFrame(name);
        m_sandwich->setSelectedFrame(name);
        m_topTable->setSelectedFrame(name);
    });
    connect(state, &ViewState::selectedSpanChanged, this, [this](SpanId id) {
        m_flameChart->setSelectedSpan(id);
        const std::optional<Span> span = id ? m_workbench->span(id) : std::nullopt;
        const auto snapshot = m_workbench->snapshot();
        const Track* track = span && snapshot ? snapshot->track(span->track) : nullptr;
        m_details->showSpan(span, track ? track->name : QString());
    });
    connect(state, &ViewState::timeRangeChanged, this, [this](TimeRange range) {
        m_flameChart->setTimeRange(range);
        m_correlation->setRange(range);
        m_metricPlots->setSelectedRange(range);
        updateStatus();
    });
    connect(state, &ViewState::hiddenTracksChanged, this, [this, state] {
        m_flameChart->setHiddenTracks(state->hiddenTracks());
        m_sources->setHiddenTracks(state->hiddenTracks());
    });
    connect(state, &ViewState::categoriesChanged, m_legend, &CategoryLegend::setCategories);

    connect(workbench, &Workbench::opened, this, [this](const QString& path) {
        addRecent(path);
        m_search->clear();
        m_legend->setCategories(CategorySet::all());
        m_flameChart->setTimeRange({});
        m_flameChart->setHiddenTracks({});
        m_details->showSpan(std::nullopt, {});
        updateTitle();
    });
    connect(workbench, &Workbench::snapshotChanged, this, [this] {
        m_flameChart->setSnapshot(m_workbench->snapshot());
        m_metricPlots->setSnapshot(m_workbench->snapshot());
        m_correlation->setSnapshot(m_workbench->snapshot());
        m_sources->setSnapshot(m_workbench->snapshot());
        m_sources->setHiddenTracks(m_workbench->state()->hiddenTracks());
        updateStatus();
    });
    connect(workbench, &Workbench::flameTreeChanged, this, [this] {
        const auto tree = m_workbench->flameTree();
        m_flameGraph->setTree(tree, m_workbench->names());
        m_sandwich->setTree(tree, m_workbench->names());
        m_topTable->setEntries(m_workbench->topList(), m_workbench->names(), tree ? tree->root().totalNs : 0);
        selectTopFrameForSandwich();
        updateStatus();
    });
    connect(workbench, &Workbench::highlightChanged, this, [this] {
        m_flameGraph->setHighlight(m_workbench->highlight());
        m_flameChart->setHighlight(m_workbench->highlight());
        m_sandwich->setHighlight(m_workbench->highlight());
        m_topTable->setHighlight(m_workbench->highlight());
        updateStatus();
    });
    connect(workbench, &Workbench::loadFailed, this, &MainWindow::showError);
    connect(workbench, &Workbench::busyChanged, this, &MainWindow::checkSettled);
    connect(m_sqlConsole, &SqlConsole::busyChanged, this, &MainWindow::checkSettled);
    connect(m_diffView, &DiffView::busyChanged, this, &MainWindow::checkSettled);
    connect(m_breakdown, &BreakdownView::busyChanged, this, &MainWindow::checkSettled);
    connect(m_criticalPath, &CriticalPathView::busyChanged, this, &MainWindow::checkSettled);

    connect(m_imports, &ImportQueue::started, this, [this](const QString& label, int waiting) {
        m_importLabel->setText(waiting > 0 ? tr("Importing %1 (%2 more waiting)").arg(label).arg(waiting)
                                           : tr("Importing %1").arg(label));
        m_importProgress->setRange(0, 0);
        for (QWidget* widget : {static_cast<QWidget*>(m_importLabel), static_cast<QWidget*>(m_importProgress),
                                static_cast<QWidget*>(m_cancelImports)})
            widget->show();
        checkSettled();
    });
    connect(m_imports, &ImportQueue::progressed, this, [this](double fraction) {
        if (fraction < 0) {
            m_importProgress->setRange(0, 0);
            return;
        }
        m_importProgress->setRange(0, 100);
        m_importProgress->setValue(int(fraction * 100));
    });
    connect(m_imports, &ImportQueue::imported, this,
            [this](const QString& incident, const ImportSummary& summary) {
                statusBar()->showMessage(tr("Imported %1: %2 spans, %3 samples")
                                             .arg(QFileInfo(summary.path).fileName(),
                                                  QLocale().toString(summary.counts.spans),
                                                  QLocale().toString(summary.counts.samples)),
                                         8000);
                if (incident == m_workbench->path() && m_workbench->snapshot())
                    m_workbench->reload();
                else
                    m_workbench->open(incident);
            });
    connect(m_imports, &ImportQueue::failed, this, [this](const QString& incident, const QString& sentence) {
        showError(sentence);
        // A new incident whose first import failed holds nothing: leave no empty file behind.
        if (incident != m_workbench->path() && isEmptyIncident(incident)) {
            for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(incident + suffix);
        }
    });
    connect(m_imports, &ImportQueue::idle, this, [this] {
        for (QWidget* widget : {static_cast<QWidget*>(m_importLabel), static_cast<QWidget*>(m_importProgress),
                                static_cast<QWidget*>(m_cancelImports)})
            widget->hide();
        checkSettled();
    });
}

void MainWindow::openOrImport(const QString& path)
{
    if (isIncidentFile(path)) {
        openIncident(path);
        return;
    }
    if (!QFileInfo(path).isFile()) {
        showError(tr("%1: no such file.").arg(path));
        return;
    }
    const QString incident = newIncidentPathFor(path);
    m_imports->importFiles(incident, {path});
}

void MainWindow::openIncident(const QString& path)
{
    m_workbench->open(QFileInfo(path).absoluteFilePath());
}

void MainWindow::importFiles(const QStringList& files, const ImportOptions& options)
{
    if (files.isEmpty())
        return;
    if (m_workbench->path().isEmpty()) {
        m_imports->importFiles(newIncidentPathFor(files.front()), files, options);
        return;
    }
    m_imports->importFiles(m_workbench->path(), files, options);
}

void MainWindow::openDemo()
{
    const QString path = QDir(dataFolder()).filePath(QStringLiteral("demo.lundi"));
    if (QFileInfo::exists(path))
        openIncident(path);
    else
        m_imports->writeDemo(path);
}

PullDialog* MainWindow::pull(PullDialog::Kind kind)
{
    const auto snapshot = m_workbench->snapshot();
    if (!snapshot) {
        showError(tr("Open or create an incident first: a pull goes into the open incident."));
        return nullptr;
    }
    auto* dialog = new PullDialog(kind, snapshot->timeRange, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_imports->importGenerated(m_workbench->path(), dialog->label(), dialog->work());
    });
    dialog->open();
    return dialog;
}

void MainWindow::showView(View view)
{
    m_views->setCurrentIndex(int(view));
}

void MainWindow::editRules()
{
    auto* dialog = new RulesDialog(m_workbench, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::search(const QString& pattern)
{
    m_search->setText(pattern);
    m_searchDelay->stop();
    m_workbench->state()->setSearch(pattern);
}

void MainWindow::selectTopFrameForSandwich()
{
    // An empty sandwich teaches nothing: start it on where the most time is spent.
    const auto topList = m_workbench->topList();
    if (m_views->currentWidget() == m_sandwich && !m_workbench->state()->selectedFrame() && topList &&
        !topList->empty())
        m_workbench->state()->setSelectedFrame(topList->front().name);
}

std::optional<MainWindow::View> MainWindow::viewFromName(const QString& name)
{
    static const QHash<QString, View> views{{QStringLiteral("flamegraph"), View::FlameGraph},
                                            {QStringLiteral("flamechart"), View::FlameChart},
                                            {QStringLiteral("sandwich"), View::Sandwich},
                                            {QStringLiteral("top"), View::Top},
                                            {QStringLiteral("diff"), View::Diff},
                                            {QStringLiteral("breakdown"), View::Breakdown},
                                            {QStringLiteral("criticalpath"), View::CriticalPath},
                                            {QStringLiteral("sql"), View::Sql}};
    const auto it = views.find(name);
    return it != views.end() ? std::optional(*it) : std::nullopt;
}

bool MainWindow::isSettled() const
{
    if (m_sqlConsole->busy())
        return false;
    return m_workbench->snapshot() && !m_workbench->busy() && m_imports->isIdle() &&
           m_metricPlots->isSettled() && !m_correlation->busy() && !m_suspects->busy() &&
           !m_diffView->busy() && !m_breakdown->busy() && !m_criticalPath->busy();
}

void MainWindow::checkSettled()
{
    const bool settledNow = isSettled();
    if (settledNow && !m_wasSettled)
        Q_EMIT settled();
    m_wasSettled = settledNow;
    updateStatus();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_imports->isIdle()) {
        const auto answer = QMessageBox::question(
            this, tr("Import running"),
            tr("An import is still running. Cancel it and quit? The incident stays as it was before it."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_imports->cancelAll();
    }
    if (m_session == Session::Fresh) {
        event->accept();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/view"), m_views->currentIndex());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList files;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            files.append(url.toLocalFile());
    }
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    if (files.size() == 1 && isIncidentFile(files.front()))
        openIncident(files.front());
    else
        importFiles(files);
}

void MainWindow::newIncident()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("New incident"), dataFolder(), tr("Lundi incidents (*.lundi)"));
    if (path.isEmpty())
        return;
    const QString file = path.endsWith(QLatin1String(".lundi")) ? path : path + QStringLiteral(".lundi");
    // Starting afresh: an existing file at that name was confirmed for replacing by the dialog.
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(file + suffix);
    openIncident(file);
}

void MainWindow::chooseIncident()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open incident"), dataFolder(),
                                                      tr("Lundi incidents (*.lundi);;All files (*)"));
    if (!path.isEmpty())
        openIncident(path);
}

QStringList MainWindow::chooseFiles(const QString& title)
{
    return QFileDialog::getOpenFileNames(
        this, title, QString(),
        tr("Traces, metrics and profiles (*.json *.jsonl *.gz *.trace *.prom "
           "*.om *.metrics *.csv *.txt *.folded "
           "*.collapsed *.stacks);;All files (*)"));
}

void MainWindow::chooseImports()
{
    importFiles(chooseFiles(tr("Import files")));
}

void MainWindow::chooseImportsWithOptions()
{
    const QStringList files = chooseFiles(tr("Import files with options"));
    if (files.isEmpty())
        return;
    const ImporterRegistry registry;
    QStringList formats;
    for (const Importer* importer : registry.importers())
        formats.append(importer->format());
    ImportOptionsDialog dialog(formats, this);
    if (dialog.exec() == QDialog::Accepted)
        importFiles(files, dialog.options());
}

void MainWindow::saveCopy()
{
    if (m_workbench->path().isEmpty())
        return;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save a copy as"), QString(), tr("Lundi incidents (*.lundi)"));
    if (path.isEmpty())
        return;
    try {
        QFile::remove(path);
        Store(m_workbench->path()).saveCopy(path);
        statusBar()->showMessage(tr("Saved a copy as %1").arg(path), 8000);
    } catch (const StoreError& error) {
        showError(error.sentence());
    }
}

void MainWindow::exportReport()
{
    if (m_workbench->path().isEmpty())
        return;
    ReportDialog dialog(m_workbench, this);
    dialog.resize(980, 900);
    dialog.exec();
}

void MainWindow::addRecent(const QString& path)
{
    if (m_session == Session::Fresh)
        return;
    QSettings settings;
    QStringList recent = settings.value(RecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > MaxRecent)
        recent.removeLast();
    settings.setValue(RecentKey, recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(RecentKey).toStringList();
    for (const QString& path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openIncident(path); })
            ->setToolTip(plainToolTip(path));
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    const QString path = m_workbench->path();
    setWindowTitle(path.isEmpty() ? tr("Lundi") : tr("%1 — Lundi").arg(QFileInfo(path).fileName()));
}

void MainWindow::updateStatus()
{
    const auto snapshot = m_workbench->snapshot();
    const TimeRange range = m_workbench->state()->timeRange();
    m_clearRange->setEnabled(!range.isEmpty());
    m_rangeLabel->setText(range.isEmpty() ? tr("Whole incident")
                                          : tr("Range %1 + %2")
                                                .arg(TimeFormat::utc(range.startNs),
                                                     TimeFormat::duration(range.endNs - range.startNs)));
    if (!snapshot) {
        m_summary->setText(m_workbench->busy() ? tr("Opening…") : tr("No incident open"));
        return;
    }
    if (!m_workbench->searchSummary().isEmpty()) {
        m_summary->setText(m_workbench->searchSummary());
        return;
    }
    const QLocale locale;
    const TimeRange whole = snapshot->timeRange;
    m_summary->setText(
        tr("%1 spans on %2 tracks, %3 series, %4 to %5%6")
            .arg(locale.toString(snapshot->counts.spans), locale.toString(snapshot->counts.tracks),
                 locale.toString(snapshot->counts.series), TimeFormat::utc(whole.startNs),
                 TimeFormat::utc(whole.endNs), m_workbench->busy() ? tr(" (working…)") : QString()));
}

void MainWindow::showError(const QString& sentence)
{
    statusBar()->showMessage(sentence, 15000);
    Q_EMIT failed(sentence);
    if (!isVisible())
        return;
    // Not exec(): the window keeps painting and importing while the message is up.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Lundi"), sentence, QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace lundi
