#pragma once

#include "model.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lundi {

// The samples of one series in one row of sample_blocks: a row per sample capped imports at
// SQLite's row rate, and SQLite stores a bound NaN as NULL. Times are varint deltas, each from
// the time before it (wrapping, so that any order packs); values are the raw little-endian IEEE
// doubles, so that NaN, ±Inf and -0 come back bit for bit.
namespace SampleBlock {
// At most this many samples to a block: large enough that the row overhead vanishes, small
// enough that a series' open block stays cheap to hold while an import fills it.
constexpr size_t MaxSamples = 4096;

// Packs samples in the order given into times and values (both replaced).
void pack(std::span<const Sample> samples, std::string& times, std::string& values);
// Appends the count samples of a block to out, each time moved by offsetNs; false, with out
// unchanged, when the bytes do not hold exactly count samples.
bool unpack(std::string_view times, std::string_view values, qint64 count, qint64 offsetNs,
            std::vector<Sample>& out);
} // namespace SampleBlock

} // namespace lundi
