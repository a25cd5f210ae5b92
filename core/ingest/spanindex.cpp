#include "spanindex.h"

#include <bit>
#include <functional>

namespace lundi {

SpanKey SpanKey::of(std::string_view traceId, std::string_view spanId)
{
    // std::hash of a string view is a 64-bit Murmur hash. Adding the span's hash to a bijection
    // of the trace's keeps spans of one trace apart; the check mixes both another way.
    const std::hash<std::string_view> hash;
    const quint64 trace = hash(traceId);
    const quint64 span = hash(spanId);
    return {trace * 0x9E37'79B9'7F4A'7C15ull + span,
            quint32(((trace ^ std::rotl(span, 29)) * 0xC2B2'AE3D'27D4'EB4Full) >> 32)};
}

size_t SpanIndex::home(SpanKey key) const
{
    // Fibonacci hashing: the top bits of the product depend on every bit of the key.
    return size_t((key.mixed * 0x9E37'79B9'7F4A'7C15ull) >> m_shift);
}

quint32* SpanIndex::find(SpanKey key)
{
    if (m_slots.empty())
        return nullptr;
    for (size_t at = home(key);; at = next(at)) {
        Slot& slot = m_slots[at];
        if (slot.value == Empty)
            return nullptr;
        if (slot.holds(key))
            return &slot.value;
    }
}

bool SpanIndex::insert(SpanKey key, quint32 value)
{
    Q_ASSERT(value <= MaxValue);
    if (size_t(m_size + 1) * 5 > m_slots.size() * 4)
        grow();
    for (size_t at = home(key);; at = next(at)) {
        Slot& slot = m_slots[at];
        if (slot.value == Empty) {
            slot = {key.mixed, key.check, value};
            ++m_size;
            return true;
        }
        if (slot.holds(key))
            return false;
    }
}

void SpanIndex::grow()
{
    std::vector<Slot> old(m_slots.empty() ? 1024 : m_slots.size() * 2);
    old.swap(m_slots);
    m_shift = 64 - std::countr_zero(m_slots.size());
    for (const Slot& slot : old) {
        if (slot.value == Empty)
            continue;
        size_t at = home({slot.mixed, slot.check});
        while (m_slots[at].value != Empty)
            at = next(at);
        m_slots[at] = slot;
    }
}

} // namespace lundi
