#include "schema.h"

namespace lundi {

namespace {

// Version 1. Times are int64 nanoseconds (since the Unix epoch, or since the source's own zero).
// A span's attributes are one JSON object in its own row (json_extract() reads them): a table of
// its own cost a second insert per span, a third of a bulk import.
// Spans carry no secondary index yet: every query so far scans them whole, and an index costs
// as much as the inserts during a bulk import.
constexpr const char* const Migrations[] = {
    R"sql(
CREATE TABLE strings(
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE);
CREATE TABLE sources(
    id INTEGER PRIMARY KEY,
    format TEXT NOT NULL,
    origin TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_at_ns INTEGER NOT NULL,
    clock_offset_ns INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}');
CREATE INDEX sources_by_sha256 ON sources(sha256);
CREATE TABLE tracks(
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    kind INTEGER NOT NULL,
    name TEXT NOT NULL,
    process TEXT NOT NULL DEFAULT '',
    thread TEXT NOT NULL DEFAULT '',
    sort_index INTEGER NOT NULL DEFAULT 0);
CREATE TABLE spans(
    id INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks(id),
    parent_id INTEGER REFERENCES spans(id),
    name_id INTEGER NOT NULL REFERENCES strings(id),
    cat_id INTEGER REFERENCES strings(id),
    category INTEGER NOT NULL,
    start_ns INTEGER NOT NULL,
    dur_ns INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    status INTEGER NOT NULL DEFAULT 0,
    trace_id TEXT,
    attributes TEXT);
CREATE TABLE flows(
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    from_span INTEGER NOT NULL REFERENCES spans(id),
    to_span INTEGER NOT NULL REFERENCES spans(id),
    name_id INTEGER REFERENCES strings(id));
CREATE TABLE series(
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    track_id INTEGER REFERENCES tracks(id),
    name TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    unit TEXT NOT NULL DEFAULT '');
CREATE TABLE samples(
    series_id INTEGER NOT NULL REFERENCES series(id),
    t_ns INTEGER NOT NULL,
    value REAL NOT NULL);
)sql",
    // Version 2. Samples in blocks of up to 4096 per series (sampleblock.h has the encoding): a
    // row per sample capped imports at SQLite's row rate, and SQLite turned NaN into NULL. The
    // count per block keeps counting cheap. `samples` is now a virtual table over the blocks
    // (sampletable.h); the old rows are packed sorted by time, ties in rowid order, as read before.
    R"sql(
CREATE TABLE sample_blocks(
    series_id INTEGER NOT NULL REFERENCES series(id),
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    count INTEGER NOT NULL,
    times BLOB NOT NULL,
    "values" BLOB NOT NULL);
CREATE INDEX sample_blocks_by_series ON sample_blocks(series_id);
INSERT INTO sample_blocks(series_id, start_ns, end_ns, count, times, "values")
    SELECT series_id, min(t_ns), max(t_ns), count(*), lundi_pack_times(t_ns, ord, value),
        lundi_pack_values(t_ns, ord, value)
    FROM (SELECT series_id, t_ns, value, rowid AS ord,
        (row_number() OVER (PARTITION BY series_id ORDER BY t_ns, rowid) - 1) / 4096 AS block FROM samples)
    GROUP BY series_id, block ORDER BY series_id, block;
DROP TABLE samples;
)sql",
    // Version 3. Each span's kind and whether it FOLLOWS_FROM its parent: what the critical path
    // needs to leave non-blocking children out, without reading a million attribute objects.
    // Files written before take them from the attributes and from the "follows from" flows the
    // Jaeger importer wrote. A partial index holds the trace ids of the root spans, so that
    // naming the traces needs no pass over every span.
    R"sql(
ALTER TABLE spans ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spans ADD COLUMN follows_from INTEGER NOT NULL DEFAULT 0;
UPDATE spans SET kind = CASE json_extract(attributes, '$."span.kind"')
        WHEN 'internal' THEN 1 WHEN 'server' THEN 2 WHEN 'client' THEN 3 WHEN 'producer' THEN 4
        WHEN 'consumer' THEN 5 ELSE 0 END
    WHERE attributes LIKE '%"span.kind"%' AND json_valid(attributes);
UPDATE spans SET follows_from = 1 WHERE id IN (
    SELECT f.to_span FROM flows f JOIN strings n ON n.id = f.name_id JOIN spans s ON s.id = f.to_span
    WHERE n.text = 'follows from' AND f.from_span = s.parent_id);
CREATE INDEX spans_trace_roots ON spans(trace_id, parent_id) WHERE parent_id IS NULL AND trace_id IS NOT NULL;
)sql",
};

} // namespace

std::span<const char* const> schemaMigrations()
{
    return Migrations;
}

} // namespace lundi
