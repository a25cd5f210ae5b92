#pragma once

// The incident model of DESIGN.md as plain structs, the shape in which the store hands data
// to analysis, views and the CLI.

#include "category.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <string_view>

namespace lundi {

using SourceId = qint64;
using TrackId = qint64;
using SpanId = qint64;
using SeriesId = qint64;
using StringId = qint64;

enum class TrackKind : quint8 { Thread, Process, Async, Gpu, Service, Probe, Counter };
enum class SpanStatus : quint8 { Unset, Ok, Error };
// As OTLP numbers it (Jaeger's span.kind tag names the same five).
enum class SpanKind : quint8 { Unspecified, Internal, Server, Client, Producer, Consumer };

QString trackKindName(TrackKind kind);

struct Source
{
    SourceId id = 0;
    QString format;
    QString origin; // path or URL, secrets removed
    QString sha256; // of the content, after decompression
    qint64 importedAtNs = 0;
    qint64 clockOffsetNs = 0;
    QStringList warnings;
    QByteArray metadataJson; // a JSON object: what the input said about itself
    qint64 spanCount = 0;
    qint64 sampleCount = 0;
};

struct Track
{
    TrackId id = 0;
    SourceId source = 0;
    TrackKind kind = TrackKind::Thread;
    QString name;
    QString process;
    QString thread;
    int sortIndex = 0;
};

// What analysis needs of a span; attributes stay in the store until asked for.
struct SpanRecord
{
    SpanId id = 0;
    SpanId parent = 0; // 0: a root span
    TrackId track = 0;
    StringId name = 0;
    Category category = Category::Other;
    qint64 startNs = 0;
    qint64 durNs = 0;
    SpanKind kind = SpanKind::Unspecified;
    bool followsFrom = false; // a Jaeger FOLLOWS_FROM nested it: its parent did not wait for it
};

// A span with everything it carries, for views and reports that show one track or one span.
struct Span
{
    SpanId id = 0;
    SpanId parent = 0;
    TrackId track = 0;
    QString name;
    QString cat;
    Category category = Category::Other;
    qint64 startNs = 0;
    qint64 durNs = 0;
    int depth = 0;
    SpanStatus status = SpanStatus::Unset;
    QString traceId;
    QByteArray attributesJson; // a JSON object, or empty
};

struct Flow
{
    SpanId from = 0;
    SpanId to = 0;
    QString name;
};

struct Series
{
    SeriesId id = 0;
    SourceId source = 0;
    TrackId track = 0;
    QString name;
    QByteArray labelsJson;
    QString unit;
};

struct Sample
{
    qint64 timeNs = 0;
    double value = 0;
};

struct TimeRange
{
    qint64 startNs = 0;
    qint64 endNs = 0;
    bool isEmpty() const { return endNs <= startNs; }
};

struct IncidentCounts
{
    qint64 sources = 0;
    qint64 tracks = 0;
    qint64 spans = 0;
    qint64 flows = 0;
    qint64 series = 0;
    qint64 samples = 0;
};

} // namespace lundi

namespace lundi {

// What an importer hands over for a new track, span or series (the store assigns the ids).
struct TrackSpec
{
    TrackKind kind = TrackKind::Thread;
    QString name;
    QString process;
    QString thread;
    int sortIndex = 0;
};

struct SpanSpec
{
    TrackId track = 0;
    SpanId parent = 0; // must have been added before this span, or 0
    StringId name = 0;
    StringId cat = 0; // the producer's own category (Chrome `cat`), 0 if none
    qint64 startNs = 0;
    qint64 durNs = 0;
    SpanStatus status = SpanStatus::Unset;
    SpanKind kind = SpanKind::Unspecified;
    bool followsFrom = false; // the parent is a FOLLOWS_FROM reference, which does not wait for it
    std::string_view traceId;
    std::string_view attributesJson; // a JSON object, or empty
    // A hash of the attribute keys in order, where the importer has it at no cost; spans that
    // share name, cat and keys are then classified once. 0: unknown.
    quint64 attributeKeys = 0;
};

struct SeriesSpec
{
    QString name;
    QByteArray labelsJson = "{}";
    QString unit;
    TrackId track = 0; // 0: not tied to a track
};

} // namespace lundi
