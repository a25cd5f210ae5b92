#pragma once

#include <QtGlobal>

#include <atomic>
#include <functional>

namespace lundi {

// The importer's line back to whoever started it: progress in bytes, and the cancel request.
class ImportControl
{
  public:
    using ProgressFunction = std::function<void(qint64 done, qint64 total)>;

    ImportControl() = default;
    ImportControl(ProgressFunction progress, const std::atomic_bool* cancel);

    void setTotal(qint64 total) { m_total = total; }
    // Importers call this every few thousand items; it throws ImportCancelled once cancelled.
    void progress(qint64 done) const;

  private:
    ProgressFunction m_progress;
    const std::atomic_bool* m_cancel = nullptr;
    qint64 m_total = 0;
};

} // namespace lundi
