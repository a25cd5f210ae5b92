#include "importcontrol.h"
#include "importerror.h"

namespace lundi {

ImportControl::ImportControl(ProgressFunction progress, const std::atomic_bool* cancel)
    : m_progress(std::move(progress)), m_cancel(cancel)
{
}

void ImportControl::progress(qint64 done) const
{
    if (m_cancel && m_cancel->load(std::memory_order_relaxed))
        throw ImportCancelled();
    if (m_progress)
        m_progress(done, m_total);
}

void ImportControl::setUndatedTime(qint64 ns, const QString& origin)
{
    m_undatedTimeNs = ns;
    m_undatedTimeOrigin = origin;
}

} // namespace lundi
