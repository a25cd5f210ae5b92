#include "sqlconsole.h"
#include "queryresultmodel.h"
#include "store/queryrunner.h"
#include "store/storeerror.h"
#include "timeformat.h"
#include "workbench.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextStream>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

// What the console shows first: the span names that take the most time, a query to start from.
const char* const ExampleQuery =
    "-- Read-only SQL on this incident; docs/schema.md describes the tables.\n"
    "SELECT n.text AS name, count(*) AS spans, round(sum(s.dur_ns) / 1e9, 3) AS total_s\n"
    "FROM spans s JOIN strings n ON n.id = s.name_id\n"
    "GROUP BY s.name_id ORDER BY total_s DESC LIMIT 100;\n";

// A worker's answer: the rows, or the sentence saying why there are none.
struct Outcome
{
    std::shared_ptr<const QueryResult> result;
    QString error;
};

} // namespace

void SqlConsole::start(const QString& doing, std::function<std::shared_ptr<const QueryResult>()> work,
                       std::function<void(const std::shared_ptr<const QueryResult>&)> done)
{
    setBusy(true);
    m_status->setStyleSheet(QString());
    m_status->setText(doing);
    const quint64 request = ++m_request;
    QtConcurrent::run([work = std::move(work)]() -> Outcome {
        try {
            return {work(), {}};
        } catch (const StoreError& error) {
            return {nullptr, error.sentence()};
        } catch (const std::bad_alloc&) {
            return {nullptr, tr("There is not enough memory for this result; add a LIMIT.")};
        }
    }).then(this, [this, request, done = std::move(done)](const Outcome& outcome) {
        if (request != m_request)
            return;
        setBusy(false);
        if (outcome.result)
            done(outcome.result);
        else
            showError(outcome.error);
    });
}

SqlConsole::SqlConsole(Workbench* workbench, QWidget* parent)
    : QWidget(parent), m_workbench(workbench), m_editor(new QPlainTextEdit(this)),
      m_run(new QPushButton(tr("Run"), this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_export(new QPushButton(tr("Export CSV…"), this)), m_status(new QLabel(this)),
      m_table(new QTableView(this)), m_model(new QueryResultModel(this))
{
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlainText(QString::fromUtf8(ExampleQuery));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_run->setToolTip(tr("Run the statement (Ctrl+Enter)"));
    m_cancel->setEnabled(false);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setModel(m_model);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_export);
    buttons->addWidget(m_status, 1);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_editor);
    topLayout->addLayout(buttons);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({160, 600});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    for (const QKeySequence& keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)})
        connect(new QShortcut(keys, m_editor), &QShortcut::activated, this, &SqlConsole::run);
    connect(m_run, &QPushButton::clicked, this, &SqlConsole::run);
    connect(m_cancel, &QPushButton::clicked, this, &SqlConsole::cancel);
    connect(m_export, &QPushButton::clicked, this, &SqlConsole::chooseCsv);
    connect(m_workbench, &Workbench::opened, this, &SqlConsole::open);
    setBusy(false);
    if (!m_workbench->path().isEmpty())
        open(m_workbench->path());
}

SqlConsole::~SqlConsole()
{
    // A query still running on a worker holds the runner; stop it rather than wait for it.
    if (m_runner)
        m_runner->interrupt();
}

void SqlConsole::open(const QString& path)
{
    if (m_runner)
        m_runner->interrupt();
    m_runner.reset();
    ++m_request;
    m_ranOnce = false;
    m_model->setResult(nullptr);
    m_status->clear();
    setBusy(false);
    try {
        m_runner = std::make_shared<QueryRunner>(path);
    } catch (const StoreError& error) {
        showError(error.sentence());
    }
    if (isVisible())
        run();
}

void SqlConsole::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_ranOnce && m_runner && !m_busy)
        run();
}

void SqlConsole::run()
{
    if (!m_runner || m_busy)
        return;
    m_ranOnce = true;
    start(
        tr("Running…"),
        [runner = m_runner, sql = m_editor->toPlainText()] {
            return std::make_shared<const QueryResult>(runner->run(sql, RowCap));
        },
        [this](const std::shared_ptr<const QueryResult>& result) {
            m_model->setResult(result);
            m_table->resizeColumnsToContents();
            const QString rows = QLocale().toString(qlonglong(result->rows.size()));
            const QString time = TimeFormat::duration(result->elapsedNs);
            if (result->truncated)
                m_status->setText(
                    tr("The first %1 rows, in %2; Export CSV writes them all.").arg(rows, time));
            else
                m_status->setText(result->rows.size() == 1 ? tr("1 row in %1.").arg(time)
                                                           : tr("%1 rows in %2.").arg(rows, time));
        });
}

void SqlConsole::cancel()
{
    if (m_runner && m_busy)
        m_runner->interrupt();
}

void SqlConsole::chooseCsv()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the rows as CSV"), QString(), tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void SqlConsole::exportCsv(const QString& path)
{
    if (!m_runner || m_busy)
        return;
    // Row by row into the file: an export of millions of rows never waits in memory whole.
    auto written = std::make_shared<qint64>(0);
    start(
        tr("Exporting…"),
        [runner = m_runner, sql = m_editor->toPlainText(), path, written] {
            QSaveFile file(path);
            if (file.open(QIODevice::WriteOnly)) {
                QTextStream out(&file);
                runner->stream(
                    sql, [&out](const QStringList& columns) { QueryResult::writeCsvLine(out, columns); },
                    [&out, &written](QVariantList&& row) {
                        QueryResult::writeCsvLine(out, row);
                        ++*written;
                        return true;
                    });
                out.flush();
            }
            if (!file.commit())
                throw StoreError(tr("%1: %2.").arg(path, file.errorString()));
            return std::make_shared<const QueryResult>();
        },
        [this, path, written](const std::shared_ptr<const QueryResult>&) {
            m_status->setText(
                tr("Wrote %1 rows to %2.").arg(QLocale().toString(*written), QFileInfo(path).fileName()));
        });
}

void SqlConsole::setBusy(bool busy)
{
    m_run->setEnabled(!busy && m_runner);
    m_export->setEnabled(!busy && m_runner);
    m_cancel->setEnabled(busy);
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void SqlConsole::showError(const QString& sentence)
{
    m_status->setStyleSheet(QStringLiteral("color: #b00020"));
    m_status->setText(sentence);
}

} // namespace lundi
