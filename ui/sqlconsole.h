#pragma once

#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace lundi {

struct QueryResult;
class QueryResultModel;
class QueryRunner;
class Workbench;

// Read-only SQL on the open incident: an editor, Run (Ctrl+Enter), Cancel, the rows in a table
// (the first RowCap of them), their count and time, and Export CSV, which writes every row.
// Queries run off the GUI thread on a connection of their own that cannot write (QueryRunner).
class SqlConsole : public QWidget
{
    Q_OBJECT

  public:
    static constexpr qsizetype RowCap = 10'000;

    explicit SqlConsole(Workbench* workbench, QWidget* parent = nullptr);
    ~SqlConsole() override;

    // A query or an export is under way.
    bool busy() const { return m_busy; }
    QPlainTextEdit* editor() const { return m_editor; }
    QueryResultModel* model() const { return m_model; }
    QLabel* status() const { return m_status; }

    // Runs the editor's statement.
    void run();
    // Stops the query or export under way; the status says it was cancelled.
    void cancel();
    // Runs the editor's statement again without the row cap and writes its rows to path as
    // RFC 4180 CSV.
    void exportCsv(const QString& path);

  Q_SIGNALS:
    void busyChanged(bool busy);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void open(const QString& path);
    // Runs work on a worker, the console busy and the status saying what it does; done gets the
    // rows of the latest request, and an error's sentence goes to the status.
    void start(const QString& doing, std::function<std::shared_ptr<const QueryResult>()> work,
               std::function<void(const std::shared_ptr<const QueryResult>&)> done);
    void chooseCsv();
    void setBusy(bool busy);
    void showError(const QString& sentence);

    Workbench* m_workbench;
    std::shared_ptr<QueryRunner> m_runner; // of the open incident; null when none
    QPlainTextEdit* m_editor;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QPushButton* m_export;
    QLabel* m_status;
    QTableView* m_table;
    QueryResultModel* m_model;
    bool m_busy = false;
    bool m_ranOnce = false; // the example query runs when the console is first shown
    quint64 m_request = 0;  // a result for an older request than the latest is dropped
};

} // namespace lundi
