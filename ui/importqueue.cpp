#include "importqueue.h"

#include "classifier.h"
#include "demo/demoincident.h"
#include "ingest/importerregistry.h"
#include "ingest/importerror.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <variant>

namespace lundi {

ImportQueue::~ImportQueue()
{
    cancelAll();
}

void ImportQueue::importFiles(const QString& incident, const QStringList& files, const ImportOptions& options)
{
    QList<Job> jobs;
    for (const QString& file : files) {
        jobs.append({QFileInfo(file).fileName(), incident,
                     [file, options](Ingestor& ingestor, const ImporterRegistry&, ImportControl& control) {
                         return ingestor.importFile(file, options, control);
                     }});
    }
    enqueue(jobs);
}

void ImportQueue::writeDemo(const QString& incident)
{
    enqueue({{tr("demo incident"), incident, [](Ingestor& ingestor, const ImporterRegistry&, ImportControl&) {
                  return ingestor.importGenerated(QStringLiteral("lundi-demo"), QStringLiteral("lundi demo"),
                                                  DemoIncident::identity(), {}, DemoIncident::generate);
              }}});
}

void ImportQueue::importGenerated(const QString& incident, const QString& label, const Work& work)
{
    enqueue({{label, incident, work}});
}

void ImportQueue::cancelAll()
{
    m_jobs.clear();
    if (m_cancel)
        m_cancel->store(true);
}

void ImportQueue::enqueue(const QList<Job>& jobs)
{
    m_jobs.append(jobs);
    if (!m_running && !m_jobs.isEmpty())
        startNext();
}

void ImportQueue::startNext()
{
    if (m_jobs.isEmpty()) {
        m_running = false;
        Q_EMIT idle();
        return;
    }
    m_running = true;
    const Job job = m_jobs.dequeue();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    Q_EMIT started(job.label, int(m_jobs.size()));

    using Outcome = std::variant<ImportSummary, QString>;
    const QPointer<ImportQueue> self(this);
    QtConcurrent::run([self, job, cancel = m_cancel]() -> Outcome {
        // Progress arrives every few thousand events; pass on only whole-percent steps.
        int lastPercent = -1;
        ImportControl control(
            [self, &lastPercent](qint64 done, qint64 total) {
                const int percent = total > 0 ? int(100 * done / total) : -1;
                if (percent == lastPercent)
                    return;
                lastPercent = percent;
                QMetaObject::invokeMethod(self, [self, percent] {
                    if (self)
                        Q_EMIT self->progressed(percent < 0 ? -1.0 : percent / 100.0);
                });
            },
            cancel.get());
        try {
            Store store(job.incident);
            const ImporterRegistry registry;
            const Classifier classifier = Classifier::standard();
            Ingestor ingestor(store, registry, classifier);
            return job.work(ingestor, registry, control);
        } catch (const ImportError& error) {
            return error.sentence();
        } catch (const ImportCancelled&) {
            return tr("%1: import cancelled; the incident is as it was.").arg(job.label);
        } catch (const StoreError& error) {
            return error.sentence();
        } catch (const std::exception& error) {
            return QStringLiteral("%1: %2").arg(job.label, QString::fromUtf8(error.what()));
        }
    }).then(this, [this, incident = job.incident](const Outcome& outcome) {
        if (const auto* summary = std::get_if<ImportSummary>(&outcome))
            Q_EMIT imported(incident, *summary);
        else
            Q_EMIT failed(incident, std::get<QString>(outcome));
        startNext();
    });
}

} // namespace lundi
