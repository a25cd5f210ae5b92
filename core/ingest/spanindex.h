#pragma once

#include <QtGlobal>

#include <string_view>
#include <vector>

namespace lundi {

// A span's identity as 96 bits of hash of its trace id and its own id. Two spans of one trace
// differ in the first 64 bits whenever their ids' 64-bit hashes differ; spans of two traces
// would have to agree in all 96. Over a file of 10 million spans the odds that any two distinct
// spans share a key are below one in a billion.
struct SpanKey
{
    quint64 mixed = 0;
    quint32 check = 0;

    static SpanKey of(std::string_view traceId, std::string_view spanId);
    bool operator==(const SpanKey&) const = default;
};

// Spans by key, each to a 32-bit value: 16 bytes a slot in one open-addressing table (linear
// probing, at most 4/5 full), so that a file of millions of spans costs tens of megabytes where
// a node-based map would cost hundreds.
class SpanIndex
{
  public:
    static constexpr quint32 MaxValue = 0xFFFF'FFFE;

    // The value of key, or nullptr.
    quint32* find(SpanKey key);
    // Adds key with value (at most MaxValue) unless the key is there; returns whether it added.
    bool insert(SpanKey key, quint32 value);
    qsizetype size() const { return m_size; }

    // Calls f(key, value) for every key, in no particular order.
    template <typename F> void forEach(F&& f) const
    {
        for (const Slot& slot : m_slots)
            if (slot.value != Empty)
                f(SpanKey{slot.mixed, slot.check}, slot.value);
    }

  private:
    static constexpr quint32 Empty = MaxValue + 1;

    struct Slot // the key's members, not a SpanKey, so that a slot is 16 bytes
    {
        quint64 mixed = 0;
        quint32 check = 0;
        quint32 value = Empty;
        bool holds(SpanKey key) const { return mixed == key.mixed && check == key.check; }
    };

    size_t home(SpanKey key) const;
    size_t next(size_t at) const { return (at + 1) & (m_slots.size() - 1); }
    void grow();

    std::vector<Slot> m_slots;
    int m_shift = 64; // 64 - log2 of the table's size
    qsizetype m_size = 0;
};

} // namespace lundi
