#pragma once

struct sqlite3;

namespace lundi {

// The SQL face of the packed samples (sample_blocks), installed on every connection:
// - `samples`, an eponymous read-only virtual table (series_id INTEGER, t_ns INTEGER, value REAL),
//   one row per sample as schema 1 stored them, so that SQL written against rows keeps working.
//   Times are as stored, without the source's clock offset (as spans.start_ns); a NaN value reads
//   as NULL, SQLite having no NaN. `WHERE series_id = N` reads only that series' blocks.
// - lundi_pack_times(t_ns, ord, value) and lundi_pack_values(t_ns, ord, value), aggregates that
//   pack rows sorted by (t_ns, ord) into a block's times and values; migration 2 packs schema 1's
//   rows with them.
namespace SampleTable {
// Returns SQLite's result code.
int install(sqlite3* db);
} // namespace SampleTable

} // namespace lundi
