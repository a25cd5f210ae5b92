#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace lundi {

// The importer's line back to whoever started it: progress in bytes, the cancel request, and the
// time to give samples that the input does not date itself.
class ImportControl
{
  public:
    using ProgressFunction = std::function<void(qint64 done, qint64 total)>;

    ImportControl() = default;
    ImportControl(ProgressFunction progress, const std::atomic_bool* cancel);

    void setTotal(qint64 total) { m_total = total; }
    qint64 total() const { return m_total; }
    // Importers call this every few thousand items; it throws ImportCancelled once cancelled.
    void progress(qint64 done) const;

    // For dumps without timestamps (a Prometheus scrape, an nvidia-smi table): the time their
    // samples take, and where that time came from ("--at", "the file's modification time"), for
    // the sentence that tells the user.
    void setUndatedTime(qint64 ns, const QString& origin);
    qint64 undatedTimeNs() const { return m_undatedTimeNs; }
    const QString& undatedTimeOrigin() const { return m_undatedTimeOrigin; }

    // The column names of a CSV written without its header line (nvidia-smi's
    // --format=csv,noheader), as the user gave them; empty: the file names its columns.
    void setColumns(const QStringList& columns) { m_columns = columns; }
    const QStringList& columns() const { return m_columns; }

    // The caller knows that times written without a zone are UTC (the GPU probe runs nvidia-smi
    // with TZ=UTC), so they need no warning that they were read as UTC.
    void setZonelessTimesAreUtc(bool utc) { m_zonelessTimesAreUtc = utc; }
    bool zonelessTimesAreUtc() const { return m_zonelessTimesAreUtc; }

  private:
    ProgressFunction m_progress;
    const std::atomic_bool* m_cancel = nullptr;
    qint64 m_total = 0;
    qint64 m_undatedTimeNs = 0;
    QString m_undatedTimeOrigin = QStringLiteral("the import time");
    QStringList m_columns;
    bool m_zonelessTimesAreUtc = false;
};

} // namespace lundi
