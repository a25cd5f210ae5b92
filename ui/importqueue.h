#pragma once

#include "ingest/ingestor.h"

#include <QObject>
#include <QQueue>

#include <atomic>
#include <functional>
#include <memory>

namespace lundi {

// Imports run one after another off the GUI thread, each in its own transaction: the incident
// is left as it was by one that fails or is cancelled, and the next one in the queue still runs.
class ImportQueue : public QObject
{
    Q_OBJECT

  public:
    // One import into the ingestor of the job's incident; registry holds the importers.
    using Work = std::function<ImportSummary(Ingestor&, const ImporterRegistry&, ImportControl&)>;

    using QObject::QObject;
    ~ImportQueue() override;

    void importFiles(const QString& incident, const QStringList& files, const ImportOptions& options = {});
    // Writes the built-in demo incident into incident.
    void writeDemo(const QString& incident);
    // Runs work (a pull from a remote API), shown as label, into incident.
    void importGenerated(const QString& incident, const QString& label, const Work& work);
    // Cancels the running import and drops the queued ones.
    void cancelAll();
    bool isIdle() const { return !m_running && m_jobs.isEmpty(); }
    int waiting() const { return int(m_jobs.size()); }

  Q_SIGNALS:
    void started(const QString& label, int waiting);
    void progressed(double fraction); // 0..1, or -1 when the total is unknown
    void imported(const QString& incident, const lundi::ImportSummary& summary);
    void failed(const QString& incident, const QString& sentence);
    void idle();

  private:
    struct Job
    {
        QString label;
        QString incident;
        Work work;
    };
    void enqueue(const QList<Job>& jobs);
    void startNext();

    QQueue<Job> m_jobs;
    bool m_running = false;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace lundi
