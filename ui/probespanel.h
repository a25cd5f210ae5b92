#pragma once

#include "probedefinition.h"

#include <QFuture>
#include <QList>
#include <QWidget>

#include <map>
#include <memory>

class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace lundi {

class Classifier;
class ImporterRegistry;
class ProbeEngine;
class Workbench;

// The live probes of the open incident: add, edit, start, stop, duplicate and remove HTTP, TCP,
// GPU probes and Prometheus scrapes, each run a session of its own (one source of the incident) on
// the probe engine's one thread. A table shows per target whether it runs, its last result, its
// success rate and its last error, all as plain text; secret header values and the secrets of URLs
// are shown redacted, and a probe that does not verify TLS wears a red "insecure" badge.
//
// Results come from the engine's thread through queued signals; the workbench reloads the
// incident at most once a second while results land, so that the views grow live.
//
// The probes are saved for reuse in a JSON file of their own (SavedProbes: the user's config
// folder), never in the incident, and without their secrets: a saved probe that had some asks for
// them again before it runs.
class ProbesPanel : public QWidget
{
    Q_OBJECT

  public:
    enum Column { Target, Tls, Kind, Status, LastResult, Success, LastError, Headers, ColumnCount };

    // What one probe run ended with, as the table shows it.
    struct Result
    {
        bool ok = false;
        // "200 in 12.3 ms", "connected in 0.4 ms", "8 samples of 4 series", "52 series in 3 ms"
        QString shown;
        QString errorClass; // "refused", "timeout"...; empty when ok
        QString error;
    };

    // savedProbes: the file the probes are kept in (SavedProbes::defaultPath()); empty: none,
    // the panel starts empty and keeps nothing.
    explicit ProbesPanel(Workbench* workbench, const QString& savedProbes = SavedProbes::defaultPath(),
                         QWidget* parent = nullptr);
    ~ProbesPanel() override; // stops every probe and waits for it

    int count() const { return int(m_entries.size()); }
    const ProbeDefinition& probe(int row) const { return m_entries[size_t(row)].definition; }
    int addProbe(const ProbeDefinition& probe);
    void setProbe(int row, const ProbeDefinition& probe);
    int duplicate(int row);
    void remove(int row);
    // Starts a probe into the open incident; a probe that cannot start says why in its row.
    void start(int row);
    void stop(int row);
    void stopAll();
    bool isRunning(int row) const;
    // A probe runs, or one is still stopping.
    bool isLive() const;
    // Results seen since the probe last started, and how many succeeded.
    qint64 runs(int row) const { return m_entries[size_t(row)].runs; }
    qint64 successes(int row) const { return m_entries[size_t(row)].successes; }

    QTableWidget* table() const { return m_table; }

  Q_SIGNALS:
    // A probe started or the last one stopped: the views follow the present while live.
    void liveChanged(bool live);
    // Emitted on the engine's thread and delivered queued: what a run of session ended with.
    void resultArrived(quint64 session, const lundi::ProbesPanel::Result& result);
    // A session ended of itself (a GPU probe whose nvidia-smi failed): error says why.
    void sessionEnded(quint64 session, const QString& error);

  private:
    struct Session;
    struct Entry
    {
        ProbeDefinition definition;
        quint64 session = 0; // 0: stopped
        bool stopping = false;
        qint64 runs = 0;
        qint64 successes = 0;
        QString lastResult;
        QString lastError;
    };

    void edit(int row);
    void startSession(Entry& entry);
    void finishSession(quint64 session);
    void showResult(quint64 session, const Result& result);
    void showRow(int row);
    void updateButtons();
    void save() const;
    void scheduleReload();
    Entry* entryOf(quint64 session);
    int selectedRow() const;
    void updateLive();

    Workbench* m_workbench;
    QString m_savedProbes;
    std::vector<Entry> m_entries;
    std::unique_ptr<Classifier> m_classifier;
    std::unique_ptr<ImporterRegistry> m_registry;
    std::unique_ptr<ProbeEngine> m_engine;
    std::map<quint64, std::unique_ptr<Session>> m_sessions;
    QList<QFuture<void>> m_stopping; // sessions ending off the GUI thread
    quint64 m_lastSession = 0;
    bool m_live = false;

    QTableWidget* m_table;
    QLabel* m_message;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_duplicate;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_remove;
    QTimer* m_reload;
};

} // namespace lundi
