#include "seriesindex.h"

#include <QHashFunctions>

namespace lundi::prometheus {

namespace {

// Two independent hashes of the same bytes: Qt's hash with two seeds.
constexpr size_t HashSeed = 0x9E3779B97F4A7C15ull;
constexpr size_t CheckSeed = 0xC2B2AE3D27D4EB4Full;

} // namespace

SeriesId* SeriesIndex::find(std::string_view identity)
{
    const quint64 hash = qHashBits(identity.data(), identity.size(), HashSeed);
    const auto check = quint32(qHashBits(identity.data(), identity.size(), CheckSeed));
    size_t mask = m_slots.size() - 1;
    size_t at = hash & mask;
    while (m_slots[at].ordinal) {
        const Slot& slot = m_slots[at];
        if (slot.hash == hash && slot.check == check)
            return &m_series[slot.ordinal - 1];
        at = (at + 1) & mask;
    }
    if (size() >= MaxSeries)
        return nullptr;
    // At most three quarters full, so that a probe stays short.
    if (4 * (m_series.size() + 1) > 3 * m_slots.size()) {
        grow();
        mask = m_slots.size() - 1;
        at = hash & mask;
        while (m_slots[at].ordinal)
            at = (at + 1) & mask;
    }
    m_series.push_back(0);
    m_slots[at] = {hash, check, quint32(m_series.size())};
    return &m_series.back();
}

void SeriesIndex::grow()
{
    std::vector<Slot> larger(2 * m_slots.size());
    const size_t mask = larger.size() - 1;
    for (const Slot& slot : m_slots) {
        if (!slot.ordinal)
            continue;
        size_t at = slot.hash & mask;
        while (larger[at].ordinal)
            at = (at + 1) & mask;
        larger[at] = slot;
    }
    m_slots.swap(larger);
}

} // namespace lundi::prometheus
