#include "sampleblock.h"

#include <QtEndian>

#include <bit>
#include <cstring>

namespace lundi::SampleBlock {

void pack(std::span<const Sample> samples, std::string& times, std::string& values)
{
    constexpr size_t MaxVarintBytes = 10; // 64 bits, 7 to a byte
    times.resize(samples.size() * MaxVarintBytes);
    values.resize(samples.size() * sizeof(double));
    auto* time = reinterpret_cast<unsigned char*>(times.data());
    char* value = values.data();
    quint64 previous = 0;
    for (const Sample& sample : samples) {
        quint64 delta = quint64(sample.timeNs) - previous;
        previous = quint64(sample.timeNs);
        for (; delta >= 0x80; delta >>= 7)
            *time++ = (unsigned char)(delta | 0x80);
        *time++ = (unsigned char)delta;
        const quint64 bits = qToLittleEndian(std::bit_cast<quint64>(sample.value));
        std::memcpy(value, &bits, sizeof bits);
        value += sizeof bits;
    }
    times.resize(size_t(time - reinterpret_cast<unsigned char*>(times.data())));
}

bool unpack(std::string_view times, std::string_view values, qint64 count, qint64 offsetNs,
            std::vector<Sample>& out)
{
    if (count < 0 || values.size() / sizeof(double) != quint64(count) || values.size() % sizeof(double))
        return false;
    const size_t first = out.size();
    out.resize(first + size_t(count));
    auto* time = reinterpret_cast<const unsigned char*>(times.data());
    const auto* const end = time + times.size();
    quint64 previous = 0;
    for (size_t i = 0; i < size_t(count); ++i) {
        quint64 delta = 0;
        for (int shift = 0;; shift += 7) {
            if (time == end || shift > 63) {
                out.resize(first);
                return false;
            }
            const unsigned char byte = *time++;
            delta |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                break;
        }
        previous += delta;
        quint64 bits;
        std::memcpy(&bits, values.data() + i * sizeof bits, sizeof bits);
        // Wrapping, as the deltas do: an absurd offset must not be undefined behaviour.
        out[first + i] = {qint64(previous + quint64(offsetNs)),
                          std::bit_cast<double>(qFromLittleEndian(bits))};
    }
    if (time != end) {
        out.resize(first);
        return false;
    }
    return true;
}

} // namespace lundi::SampleBlock
