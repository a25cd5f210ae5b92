#include "probespanel.h"

#include "classifier.h"
#include "httpprobe.h"
#include "ingest/importerregistry.h"
#include "ingest/livesource.h"
#include "plaintooltip.h"
#include "probedialog.h"
#include "probeengine.h"
#include "proberecorder.h"
#include "prometheusscrape.h"
#include "store/storeerror.h"
#include "tcpprobe.h"
#include "timeformat.h"
#include "workbench.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lundi {

namespace {

// The workbench reads the incident again at most this often while results land.
constexpr int ReloadMs = 1000;

ProbesPanel::Result httpResult(const HttpResult& result)
{
    ProbesPanel::Result shown;
    shown.ok = result.ok;
    const QString total = TimeFormat::duration(result.totalNs);
    shown.shown = result.status > 0 ? ProbesPanel::tr("%1 in %2").arg(result.status).arg(total)
                                    : ProbesPanel::tr("no response in %1").arg(total);
    shown.errorClass = QString::fromLatin1(probeErrorClassName(result.errorClass));
    shown.error = QString::fromStdString(result.error);
    return shown;
}

ProbesPanel::Result tcpResult(const TcpResult& result)
{
    ProbesPanel::Result shown;
    shown.ok = result.ok;
    const QString total = TimeFormat::duration(result.totalNs);
    shown.shown = result.ok ? ProbesPanel::tr("connected in %1").arg(total)
                            : ProbesPanel::tr("not connected in %1").arg(total);
    shown.errorClass = QString::fromLatin1(probeErrorClassName(result.errorClass));
    shown.error = QString::fromStdString(result.error);
    return shown;
}

ProbesPanel::Result gpuResult(const GpuProbe::Progress& progress)
{
    ProbesPanel::Result shown;
    shown.ok = true;
    shown.shown = ProbesPanel::tr("%1 samples of %2 series, the latest at %3")
                      .arg(QLocale().toString(progress.samples))
                      .arg(progress.series)
                      .arg(TimeFormat::utc(progress.lastSampleNs));
    return shown;
}

ProbesPanel::Result scrapeResult(const PrometheusScrape::Result& result)
{
    ProbesPanel::Result shown;
    shown.ok = result.error.isEmpty();
    const QString total = TimeFormat::duration(result.durationNs);
    // An exposition holds one sample a series: its samples are the series scraped.
    shown.shown = shown.ok ? ProbesPanel::tr("%1 series in %2").arg(QLocale().toString(result.samples), total)
                           : ProbesPanel::tr("up 0 after %1").arg(total);
    shown.error = result.error;
    return shown;
}

QTableWidgetItem* cell(const QString& text)
{
    // QTableWidget draws its items' text as it is: never rich text.
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

} // namespace

// One probe from start to stop: one source of the incident.
struct ProbesPanel::Session
{
    QString incident;
    // Declared before the probes that write into them, so destroyed after them.
    std::unique_ptr<ProbeRecorder> recorder;
    std::unique_ptr<LiveSource> live;
    std::unique_ptr<HttpProbe> http;
    std::unique_ptr<TcpProbe> tcp;
    std::unique_ptr<GpuProbe> gpu;
    std::unique_ptr<PrometheusScrape> scrape;

    void stop()
    {
        if (http)
            http->stop();
        if (tcp)
            tcp->stop();
        if (gpu)
            gpu->stop();
        if (scrape)
            scrape->stop();
    }
    // Blocks until the last run has ended; destroying the session then commits what it recorded.
    void wait()
    {
        if (http)
            http->wait();
        if (tcp)
            tcp->wait();
        if (gpu)
            gpu->wait();
        if (scrape)
            scrape->wait();
    }
};

ProbesPanel::ProbesPanel(Workbench* workbench, const QString& savedProbes, QWidget* parent)
    : QWidget(parent), m_workbench(workbench), m_savedProbes(savedProbes), m_table(new QTableWidget(this)),
      m_message(new QLabel(this)), m_add(new QPushButton(tr("&Add…"), this)),
      m_edit(new QPushButton(tr("&Edit…"), this)), m_duplicate(new QPushButton(tr("D&uplicate"), this)),
      m_start(new QPushButton(tr("&Start"), this)), m_stop(new QPushButton(tr("S&top"), this)),
      m_remove(new QPushButton(tr("&Remove"), this)), m_reload(new QTimer(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_add, m_edit, m_duplicate, m_start, m_stop, m_remove})
        buttons->addWidget(button);
    buttons->addWidget(m_message, 1);
    layout->addLayout(buttons);
    m_message->setTextFormat(Qt::PlainText);

    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("Probe"), tr("TLS"), tr("Kind"), tr("Status"), tr("Last result"),
                                        tr("Success"), tr("Last error"), tr("Headers")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(Target, 340);
    m_table->setColumnWidth(Tls, 70);
    m_table->setColumnWidth(Kind, 60);
    m_table->setColumnWidth(Status, 70);
    m_table->setColumnWidth(LastResult, 190);
    m_table->setColumnWidth(Success, 110);
    m_table->setColumnWidth(LastError, 340);
    layout->addWidget(m_table, 1);

    m_classifier = std::make_unique<Classifier>(Classifier::standard());
    for (const ProbeDefinition& probe :
         m_savedProbes.isEmpty() ? QList<ProbeDefinition>() : SavedProbes::load(m_savedProbes)) {
        m_entries.push_back(Entry{probe, 0, false, 0, 0, {}, {}});
        m_table->insertRow(m_table->rowCount());
        showRow(count() - 1);
    }

    m_reload->setSingleShot(true);
    m_reload->setInterval(ReloadMs);
    connect(m_reload, &QTimer::timeout, m_workbench, &Workbench::reload);
    connect(this, &ProbesPanel::resultArrived, this, &ProbesPanel::showResult, Qt::QueuedConnection);
    connect(
        this, &ProbesPanel::sessionEnded, this,
        [this](quint64 session, const QString& error) {
            Entry* entry = entryOf(session);
            if (!entry || entry->stopping)
                return;
            if (!error.isEmpty())
                entry->lastError = error;
            stop(int(entry - m_entries.data()));
        },
        Qt::QueuedConnection);
    // Probes write into the incident they were started in: another one opened ends them.
    connect(m_workbench, &Workbench::opened, this, [this](const QString& path) {
        for (const auto& [id, session] : m_sessions) {
            if (session->incident != path) {
                stopAll();
                break;
            }
        }
    });

    connect(m_add, &QPushButton::clicked, this, [this] {
        ProbeDialog dialog(ProbeDefinition{}, this);
        if (dialog.exec() == QDialog::Accepted)
            m_table->selectRow(addProbe(dialog.probe()));
    });
    connect(m_edit, &QPushButton::clicked, this, [this] { edit(selectedRow()); });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row) { edit(row); });
    connect(m_duplicate, &QPushButton::clicked, this,
            [this] { m_table->selectRow(duplicate(selectedRow())); });
    connect(m_start, &QPushButton::clicked, this, [this] { start(selectedRow()); });
    connect(m_stop, &QPushButton::clicked, this, [this] { stop(selectedRow()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { remove(selectedRow()); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ProbesPanel::updateButtons);
    updateButtons();
}

ProbesPanel::~ProbesPanel()
{
    for (auto& [id, session] : m_sessions)
        session->stop();
    for (auto& [id, session] : m_sessions)
        session->wait();
    m_sessions.clear();
    for (QFuture<void>& stopping : m_stopping)
        stopping.waitForFinished();
}

int ProbesPanel::addProbe(const ProbeDefinition& probe)
{
    m_entries.push_back(Entry{probe, 0, false, 0, 0, {}, {}});
    m_table->insertRow(m_table->rowCount());
    showRow(count() - 1);
    save();
    updateButtons();
    return count() - 1;
}

void ProbesPanel::setProbe(int row, const ProbeDefinition& probe)
{
    if (row < 0 || row >= count() || isRunning(row))
        return;
    m_entries[size_t(row)].definition = probe;
    showRow(row);
    save();
}

int ProbesPanel::duplicate(int row)
{
    if (row < 0 || row >= count())
        return -1;
    return addProbe(m_entries[size_t(row)].definition);
}

void ProbesPanel::remove(int row)
{
    if (row < 0 || row >= count())
        return;
    stop(row);
    // A stopping session finds no entry for its id any more, and ends unseen.
    m_entries.erase(m_entries.begin() + row);
    m_table->removeRow(row);
    save();
    updateButtons();
    updateLive();
}

void ProbesPanel::edit(int row)
{
    if (row < 0 || row >= count() || isRunning(row))
        return;
    ProbeDialog dialog(m_entries[size_t(row)].definition, this);
    if (dialog.exec() == QDialog::Accepted)
        setProbe(row, dialog.probe());
}

bool ProbesPanel::isRunning(int row) const
{
    return row >= 0 && row < count() && m_entries[size_t(row)].session != 0;
}

bool ProbesPanel::isLive() const
{
    return !m_sessions.empty() ||
           std::any_of(m_entries.begin(), m_entries.end(), [](const Entry& entry) { return entry.stopping; });
}

void ProbesPanel::start(int row)
{
    if (row < 0 || row >= count() || isRunning(row))
        return;
    Entry& entry = m_entries[size_t(row)];
    entry.runs = 0;
    entry.successes = 0;
    entry.lastResult.clear();
    entry.lastError.clear();
    startSession(entry);
    showRow(row);
    updateButtons();
    updateLive();
}

void ProbesPanel::startSession(Entry& entry)
{
    const ProbeDefinition& probe = entry.definition;
    const QString incident = m_workbench->path();
    if (incident.isEmpty()) {
        entry.lastError = tr("Open or create an incident first: a probe writes its results into it.");
        return;
    }
    if (probe.secretsMissing) {
        entry.lastError = tr("This probe was saved without its secrets: edit it to type them again.");
        return;
    }
    if (!m_engine)
        m_engine = std::make_unique<ProbeEngine>();
    auto session = std::make_unique<Session>();
    session->incident = incident;
    const quint64 id = ++m_lastSession;
    ProbeScheduler::Options schedule;
    schedule.interval = probe.interval;
    // The importers of the GPU and scrape kinds come from the plugins, looked for once.
    const auto importerOf = [&](const QString& format) -> const Importer* {
        if (!m_registry)
            m_registry = std::make_unique<ImporterRegistry>();
        const Importer* importer = m_registry->byFormat(format);
        if (!importer)
            entry.lastError =
                tr("The %1 importer was not found: Lundi's plugins folder is incomplete.").arg(format);
        return importer;
    };
    try {
        switch (probe.kind) {
        case ProbeDefinition::Kind::Http: {
            session->recorder =
                std::make_unique<ProbeRecorder>(incident, QStringLiteral("probe-http"),
                                                QString::fromStdString(probe.http.url), *m_classifier);
            session->http = std::make_unique<HttpProbe>(
                *m_engine, HttpProbeConfig{{}, probe.http, schedule},
                [this, id, recorder = session->recorder.get(),
                 request = probe.http](const QString& target, const HttpResult& result) {
                    recorder->record(target, request, result);
                    Q_EMIT resultArrived(id, httpResult(result));
                });
            session->http->start();
            break;
        }
        case ProbeDefinition::Kind::Tcp:
            session->recorder = std::make_unique<ProbeRecorder>(incident, QStringLiteral("probe-tcp"),
                                                                probe.target(), *m_classifier);
            session->tcp = std::make_unique<TcpProbe>(*m_engine, TcpProbeConfig{{}, probe.tcp, schedule},
                                                      [this, id, recorder = session->recorder.get()](
                                                          const QString& target, const TcpResult& result) {
                                                          recorder->record(target, result);
                                                          Q_EMIT resultArrived(id, tcpResult(result));
                                                      });
            session->tcp->start();
            break;
        case ProbeDefinition::Kind::Gpu: {
            // Said before a source is made for it: no empty source for a machine without a GPU.
            QString missing;
            if (GpuProbe::locate(probe.gpu.program, &missing).isEmpty()) {
                entry.lastError = missing;
                return;
            }
            const Importer* importer = importerOf(QStringLiteral("gpu-csv"));
            if (!importer)
                return;
            GpuProbe::Options options = probe.gpu;
            options.interval = probe.interval;
            session->live =
                std::make_unique<LiveSource>(incident, GpuProbe::sourceSpec(options), *m_classifier);
            session->gpu = std::make_unique<GpuProbe>(
                *m_engine, *session->live, *importer, options,
                GpuProbe::Callbacks{[this, id](const GpuProbe::Progress& progress) {
                                        Q_EMIT resultArrived(id, gpuResult(progress));
                                    },
                                    [this, id](const QString& error) { Q_EMIT sessionEnded(id, error); }});
            if (const std::optional<QString> error = session->gpu->start()) {
                entry.lastError = *error;
                return;
            }
            break;
        }
        case ProbeDefinition::Kind::Scrape: {
            const Importer* importer = importerOf(QStringLiteral("prometheus"));
            if (!importer)
                return;
            session->scrape = std::make_unique<PrometheusScrape>(
                *m_engine, *importer, incident, *m_classifier, probe.http, schedule,
                [this, id](const PrometheusScrape::Result& result) {
                    Q_EMIT resultArrived(id, scrapeResult(result));
                });
            session->scrape->start();
            break;
        }
        }
    } catch (const StoreError& error) {
        entry.lastError = error.sentence();
        return;
    }
    entry.session = id;
    m_sessions.emplace(id, std::move(session));
    m_message->setText(tr("Probes write into %1").arg(QFileInfo(incident).fileName()));
}

void ProbesPanel::stop(int row)
{
    if (!isRunning(row))
        return;
    Entry& entry = m_entries[size_t(row)];
    if (entry.stopping)
        return;
    const quint64 id = entry.session;
    const auto it = m_sessions.find(id);
    entry.stopping = true;
    it->second->stop();
    // A run in flight may take up to its timeout to end: wait for it off the GUI thread.
    std::shared_ptr<Session> ending(it->second.release());
    m_sessions.erase(it);
    QFuture<void> stopping = QtConcurrent::run([ending = std::move(ending)]() mutable {
        ending->wait();
        ending.reset();
    });
    m_stopping.append(stopping);
    stopping.then(this, [this, id] { finishSession(id); });
    showRow(row);
    updateButtons();
}

void ProbesPanel::stopAll()
{
    for (int row = 0; row < count(); ++row)
        stop(row);
}

void ProbesPanel::finishSession(quint64 session)
{
    m_stopping.erase(std::remove_if(m_stopping.begin(), m_stopping.end(),
                                    [](const QFuture<void>& future) { return future.isFinished(); }),
                     m_stopping.end());
    if (Entry* entry = entryOf(session)) {
        entry->session = 0;
        entry->stopping = false;
        showRow(int(entry - m_entries.data()));
    }
    // Everything the session recorded is committed now.
    m_reload->stop();
    m_workbench->reload();
    updateButtons();
    updateLive();
}

void ProbesPanel::showResult(quint64 session, const Result& result)
{
    Entry* entry = entryOf(session);
    if (!entry)
        return;
    ++entry->runs;
    if (result.ok)
        ++entry->successes;
    entry->lastResult = result.shown;
    if (!result.ok)
        entry->lastError = result.errorClass.isEmpty()
                               ? result.error
                               : result.errorClass + QStringLiteral(": ") + result.error;
    showRow(int(entry - m_entries.data()));
    scheduleReload();
}

void ProbesPanel::scheduleReload()
{
    // Results are committed in batches a fraction of a second apart: one reload a second sees them.
    if (!m_reload->isActive())
        m_reload->start();
}

ProbesPanel::Entry* ProbesPanel::entryOf(quint64 session)
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [session](const Entry& entry) { return entry.session == session; });
    return it != m_entries.end() ? &*it : nullptr;
}

void ProbesPanel::showRow(int row)
{
    const Entry& entry = m_entries[size_t(row)];
    const ProbeDefinition& probe = entry.definition;
    QTableWidgetItem* target = cell(probe.target());
    target->setToolTip(plainToolTip(probe.headersShown().isEmpty()
                                        ? probe.target()
                                        : probe.target() + QLatin1Char('\n') + probe.headersShown()));
    m_table->setItem(row, Target, target);

    QTableWidgetItem* tls = cell(QString());
    if (probe.insecure()) {
        // The badge: the certificate is not checked, so anyone on the path could answer.
        tls->setText(tr("insecure"));
        tls->setBackground(QColor(0xc6, 0x28, 0x28));
        tls->setForeground(Qt::white);
        QFont bold = tls->font();
        bold.setBold(true);
        tls->setFont(bold);
        tls->setTextAlignment(Qt::AlignCenter);
        tls->setToolTip(plainToolTip(tr("TLS certificates are not verified for this probe")));
    } else if (probe.overHttp() && probe.http.url.starts_with("https://")) {
        tls->setText(tr("verified"));
    }
    m_table->setItem(row, Tls, tls);
    m_table->setItem(row, Kind, cell(probe.kindName()));
    m_table->setItem(row, Status,
                     cell(entry.stopping  ? tr("stopping")
                          : entry.session ? tr("running")
                                          : tr("stopped")));
    m_table->setItem(row, LastResult, cell(entry.lastResult));
    QString success;
    if (probe.kind != ProbeDefinition::Kind::Gpu && entry.runs > 0) {
        success = tr("%1% of %2")
                      .arg(QLocale().toString(100.0 * double(entry.successes) / double(entry.runs), 'f', 1))
                      .arg(entry.runs);
    }
    m_table->setItem(row, Success, cell(success));
    QTableWidgetItem* error = cell(entry.lastError);
    error->setToolTip(entry.lastError.isEmpty() ? QString() : plainToolTip(entry.lastError));
    if (!entry.lastError.isEmpty())
        error->setForeground(QColor(0xb0, 0x00, 0x20));
    m_table->setItem(row, LastError, error);
    m_table->setItem(row, Headers, cell(probe.headersShown()));
}

int ProbesPanel::selectedRow() const
{
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    return ranges.isEmpty() ? -1 : ranges.front().topRow();
}

void ProbesPanel::updateButtons()
{
    const int row = selectedRow();
    const bool selected = row >= 0;
    const bool running = isRunning(row);
    m_edit->setEnabled(selected && !running);
    m_duplicate->setEnabled(selected);
    m_start->setEnabled(selected && !running);
    m_stop->setEnabled(running && !m_entries[size_t(row)].stopping);
    m_remove->setEnabled(selected);
    if (m_sessions.empty() && !isLive())
        m_message->clear();
}

void ProbesPanel::updateLive()
{
    const bool live = isLive();
    if (live == m_live)
        return;
    m_live = live;
    Q_EMIT liveChanged(live);
}

void ProbesPanel::save() const
{
    if (m_savedProbes.isEmpty())
        return;
    QList<ProbeDefinition> probes;
    for (const Entry& entry : m_entries)
        probes.append(entry.definition);
    SavedProbes::save(m_savedProbes, probes);
}

} // namespace lundi
