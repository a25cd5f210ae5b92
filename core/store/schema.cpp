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
};

} // namespace

std::span<const char* const> schemaMigrations()
{
    return Migrations;
}

} // namespace lundi
