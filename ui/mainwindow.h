#pragma once

#include "ingest/ingestor.h"
#include "pulldialog.h"

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QProgressBar;
class QTabWidget;
class QTimer;
class QToolButton;

namespace lundi {

class BreakdownView;
class CategoryLegend;
class CriticalPathView;
class CorrelationPanel;
class SuspectsPanel;
class DetailsPanel;
class DiffView;
class FlameChartView;
class FlameGraphView;
class ImportQueue;
class MetricPlotPanel;
class ProbesPanel;
class SandwichView;
class SourcesPanel;
class SqlConsole;
class TopTableView;
class Workbench;

// The workbench window: the views of one incident around the shared view state, the sources
// and details docks, and the file menu that opens incidents and queues imports into them.
class MainWindow : public QMainWindow
{
    Q_OBJECT

  public:
    enum class View { FlameGraph, FlameChart, Sandwich, Top, Diff, Breakdown, CriticalPath, Sql };

    // Session::Remembered restores the docks, sizes and view of the last session, saves them on
    // close and keeps the recent incidents; Session::Fresh starts from the built-in layout and
    // remembers nothing, as screenshots need.
    enum class Session { Remembered, Fresh };

    explicit MainWindow(Session session = Session::Remembered, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens an incident file, or imports any other file into a new incident.
    void openOrImport(const QString& path);
    void openIncident(const QString& path);
    void importFiles(const QStringList& files, const ImportOptions& options = {});
    // Opens the built-in demo incident, writing it first if the user's data folder lacks it.
    void openDemo();
    // Opens the dialog of a pull into the open incident (nullptr and an error without one); OK
    // queues the pull with the imports.
    PullDialog* pull(PullDialog::Kind kind);
    void showView(View view);
    // Searches span names as typing into the search field does.
    void search(const QString& pattern);
    // Nothing is loading, aggregating or importing, and an incident is open.
    bool isSettled() const;

    Workbench* workbench() const { return m_workbench; }
    ImportQueue* imports() const { return m_imports; }
    FlameGraphView* flameGraph() const { return m_flameGraph; }
    FlameChartView* flameChart() const { return m_flameChart; }
    SandwichView* sandwich() const { return m_sandwich; }
    TopTableView* topTable() const { return m_topTable; }
    SqlConsole* sqlConsole() const { return m_sqlConsole; }
    DiffView* diffView() const { return m_diffView; }
    BreakdownView* breakdown() const { return m_breakdown; }
    CriticalPathView* criticalPath() const { return m_criticalPath; }
    SourcesPanel* sources() const { return m_sources; }
    DetailsPanel* details() const { return m_details; }
    MetricPlotPanel* metricPlots() const { return m_metricPlots; }
    CorrelationPanel* correlation() const { return m_correlation; }
    SuspectsPanel* suspects() const { return m_suspects; }
    ProbesPanel* probes() const { return m_probes; }
    QLineEdit* searchField() const { return m_search; }

    // For the views' names on the command line: flamegraph, flamechart, sandwich, top, diff, breakdown,
    // criticalpath.
    static std::optional<View> viewFromName(const QString& name);

  Q_SIGNALS:
    // The window became settled (see isSettled()).
    void settled();
    // Opening or importing failed; the sentence was shown to the user.
    void failed(const QString& sentence);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void createViews();
    void createDocks();
    void createActions();
    void connectState();
    void newIncident();
    void chooseIncident();
    void chooseImports();
    void chooseImportsWithOptions();
    QStringList chooseFiles(const QString& title);
    void saveCopy();
    // File > Export report: the PDF for those who do not open Lundi, with a preview.
    void exportReport();
    void editRules();
    void addRecent(const QString& path);
    void updateRecentMenu();
    void updateTitle();
    void updateStatus();
    void showError(const QString& sentence);
    void checkSettled();
    void selectTopFrameForSandwich();

    Workbench* m_workbench;
    ImportQueue* m_imports;
    QTabWidget* m_views = nullptr;
    FlameGraphView* m_flameGraph = nullptr;
    FlameChartView* m_flameChart = nullptr;
    SandwichView* m_sandwich = nullptr;
    TopTableView* m_topTable = nullptr;
    SqlConsole* m_sqlConsole = nullptr;
    DiffView* m_diffView = nullptr;
    BreakdownView* m_breakdown = nullptr;
    CriticalPathView* m_criticalPath = nullptr;
    SourcesPanel* m_sources = nullptr;
    DetailsPanel* m_details = nullptr;
    MetricPlotPanel* m_metricPlots = nullptr;
    CorrelationPanel* m_correlation = nullptr;
    SuspectsPanel* m_suspects = nullptr;
    ProbesPanel* m_probes = nullptr;
    QAction* m_showProbes = nullptr;
    CategoryLegend* m_legend = nullptr;
    QLineEdit* m_search = nullptr;
    QTimer* m_searchDelay = nullptr;
    QLabel* m_rangeLabel = nullptr;
    QAction* m_clearRange = nullptr;
    QAction* m_back = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_importLabel = nullptr;
    QProgressBar* m_importProgress = nullptr;
    QToolButton* m_cancelImports = nullptr;
    const Session m_session;
    bool m_wasSettled = false;
};

} // namespace lundi
