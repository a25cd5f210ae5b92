#pragma once

#include "model.h"

#include <string_view>
#include <vector>

namespace lundi::prometheus {

// The series of an import by identity (metric name and label set), in at most 50 bytes a
// series whatever the length of its labels: the table keeps a 96-bit hash of the identity, not
// the identity itself. A chance collision of two series among two million is below 1e-16.
class SeriesIndex
{
  public:
    // The most distinct series of one file: the index then holds 84 MB, 117 MB while it grows
    // the last time, which keeps an import's peak resident memory under 400 MB beside SQLite's
    // page cache and the mapped input. A scrape of that many series is over 100 MB.
    static constexpr qsizetype MaxSeries = 2'000'000;

    // The series of this identity, 0 when it is new: the caller sets it through the returned
    // pointer before the next call. Null when the identity is new and the index is full.
    SeriesId* find(std::string_view identity);
    qsizetype size() const { return qsizetype(m_series.size()); }

  private:
    struct Slot
    {
        quint64 hash = 0;
        quint32 check = 0;
        quint32 ordinal = 0; // into m_series, plus one; 0: the slot is empty
    };

    void grow();

    std::vector<Slot> m_slots = std::vector<Slot>(1024);
    std::vector<SeriesId> m_series;
};

} // namespace lundi::prometheus
