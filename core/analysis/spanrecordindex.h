#pragma once

#include "model.h"

#include <algorithm>
#include <vector>

namespace lundi {

// Where each span id sits in the id-ordered span list: a dense table when ids are compact
// (one import, or a few), a binary search otherwise.
class SpanRecordIndex
{
  public:
    explicit SpanRecordIndex(const std::vector<SpanRecord>& spans) : m_spans(spans)
    {
        if (spans.empty())
            return;
        m_first = spans.front().id;
        const qint64 range = spans.back().id - m_first + 1;
        if (range <= qint64(spans.size()) * 4) {
            m_dense.assign(size_t(range), -1);
            for (size_t i = 0; i < spans.size(); ++i)
                m_dense[size_t(spans[i].id - m_first)] = qint32(i);
        }
    }

    qint32 find(SpanId id) const
    {
        if (id < m_first)
            return -1;
        if (!m_dense.empty())
            return id - m_first < qint64(m_dense.size()) ? m_dense[size_t(id - m_first)] : -1;
        const auto it =
            std::lower_bound(m_spans.begin(), m_spans.end(), id,
                             [](const SpanRecord& span, SpanId value) { return span.id < value; });
        return it != m_spans.end() && it->id == id ? qint32(it - m_spans.begin()) : -1;
    }

  private:
    const std::vector<SpanRecord>& m_spans;
    SpanId m_first = 0;
    std::vector<qint32> m_dense;
};

} // namespace lundi
