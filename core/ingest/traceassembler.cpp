#include "traceassembler.h"
#include "importcontrol.h"
#include "importerror.h"
#include "sink.h"

#include <QTemporaryFile>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

namespace lundi {

namespace {

constexpr size_t None = size_t(-1);
// In the index, a span that waits: its place in m_waiting.
constexpr quint32 Pending = 0x8000'0000;

[[noreturn]] void tooMany()
{
    throw ImportError(
        QStringLiteral("the input holds more than two billion spans, more than Lundi can keep"));
}

} // namespace

TraceAssembler::TraceAssembler(Sink& sink, const ImportControl& control, size_t batch, size_t archiveAt)
    : m_sink(sink), m_control(control), m_batch(std::max<size_t>(batch, 1)), m_archiveAt(archiveAt),
      m_batchEnd(m_batch)
{
}

TraceAssembler::~TraceAssembler() = default;

void TraceAssembler::add(const PendingSpan& span)
{
    Waiting waiting;
    waiting.key = SpanKey::of(span.traceId, span.spanId);
    if (span.parentId == span.spanId)
        ++m_selfParents;
    else if (!span.parentId.empty()) {
        waiting.parent = SpanKey::of(span.traceId, span.parentId);
        waiting.hasParent = true;
    }
    if (m_waiting.size() >= Pending)
        tooMany();
    // An archived key is never in the index as well: a span with it repeats an earlier id.
    waiting.first =
        !m_archive.find(waiting.key) && m_index.insert(waiting.key, Pending | quint32(m_waiting.size()));
    m_duplicates += !waiting.first;
    waiting.status = span.status;
    waiting.kind = span.kind;
    waiting.followsFrom = span.followsFrom;
    waiting.traceIdSize = quint32(span.traceId.size());
    waiting.attributesSize = quint32(span.attributesJson.size());
    waiting.textOffset = qint64(m_text.size());
    m_text += span.traceId;
    m_text += span.attributesJson;
    waiting.track = span.track;
    waiting.name = span.name;
    waiting.cat = span.cat;
    waiting.startNs = span.startNs;
    waiting.durNs = span.durNs;
    waiting.attributeKeys = span.attributeKeys;
    m_waiting.push_back(waiting);
    ++m_added;
    if (m_waiting.size() >= m_batchEnd || m_text.size() >= BatchBytes)
        writeBatch(false);
}

void TraceAssembler::addLink(const PendingLink& link)
{
    m_links.push_back({SpanKey::of(link.fromTraceId, link.fromSpanId),
                       SpanKey::of(link.toTraceId, link.toSpanId), link.name});
    // Links wait for the end in the spill file, a few thousand at a time.
    if (m_links.size() == LinksInMemory) {
        m_spilledLinks.push_back(
            spill(reinterpret_cast<const char*>(m_links.data()), qint64(m_links.size() * sizeof(Link))));
        m_links.clear();
    }
}

qint64 TraceAssembler::spill(const char* data, qint64 size)
{
    if (!m_spill) {
        m_spill = std::make_unique<QTemporaryFile>();
        if (!m_spill->open())
            throw ImportError(
                QStringLiteral("cannot write a temporary file (%1)").arg(m_spill->errorString()));
    }
    if (m_spill->write(data, size) != size)
        throw ImportError(QStringLiteral("cannot write a temporary file (%1); is the disk full?")
                              .arg(m_spill->errorString()));
    const qint64 offset = m_spilled;
    m_spilled += size;
    return offset;
}

void TraceAssembler::flushSpill()
{
    if (!m_spill->flush())
        throw ImportError(QStringLiteral("cannot write a temporary file (%1)").arg(m_spill->errorString()));
}

const char* TraceAssembler::mapSpill()
{
    flushSpill();
    const char* mapped = reinterpret_cast<const char*>(m_spill->map(0, m_spilled));
    if (!mapped)
        throw ImportError(QStringLiteral("cannot read a temporary file (%1)").arg(m_spill->errorString()));
    return mapped;
}

void TraceAssembler::writeBatch(bool last)
{
    const size_t count = m_waiting.size();
    // Each waiting span's parent among the waiting, or the written span it goes under, or none:
    // a root, or (before the last batch) a span whose parent has not come yet.
    std::vector<size_t> parent(count, None);
    std::vector<SpanId> written(count, 0);
    std::vector<bool> waitsForParent(count, false);
    bool readsSpill = false;
    for (size_t i = 0; i < count; ++i) {
        const Waiting& span = m_waiting[i];
        readsSpill |= span.spilled;
        if (!span.hasParent)
            continue;
        const quint32* found = m_index.find(span.parent);
        if (!found) {
            if (const std::optional<SpanId> archived = m_archive.find(span.parent))
                written[i] = *archived;
            else if (last)
                ++m_orphans;
            else
                waitsForParent[i] = true;
        } else if (*found & Pending) {
            parent[i] = *found & ~Pending;
        } else {
            written[i] = m_written[*found];
        }
    }

    // Walk up from each span to where its tree is decided: a span that can be written now, one
    // that waits (for a parent that has not come, or in a cycle), or its own walk's path again,
    // a cycle. In the last batch a cycle is broken where it closes, and everything is written.
    enum : quint8 { Unseen, OnPath, Ready, Waits };
    std::vector<quint8> state(count, Unseen);
    std::vector<size_t> path;
    for (size_t i = 0; i < count; ++i) {
        size_t at = i;
        while (at != None && state[at] == Unseen) {
            state[at] = OnPath;
            path.push_back(at);
            at = parent[at];
        }
        quint8 verdict = Ready;
        if (at == None) {
            if (!path.empty() && waitsForParent[path.back()])
                verdict = Waits;
        } else if (state[at] == OnPath) {
            if (last) {
                ++m_cycles;
                parent[path.back()] = None;
            } else {
                verdict = Waits;
            }
        } else {
            verdict = state[at];
        }
        for (const size_t walked : path)
            state[walked] = verdict;
        path.clear();
    }

    // Children of each span, and the tops of the trees to write, in start order.
    std::vector<size_t> firstChild(count + 1, 0);
    for (size_t i = 0; i < count; ++i)
        if (state[i] == Ready && parent[i] != None)
            ++firstChild[parent[i] + 1];
    for (size_t i = 0; i < count; ++i)
        firstChild[i + 1] += firstChild[i];
    std::vector<size_t> children(firstChild[count]);
    std::vector<size_t> fill(firstChild.begin(), firstChild.end() - 1);
    std::vector<size_t> tops;
    for (size_t i = 0; i < count; ++i) {
        if (state[i] != Ready)
            continue;
        if (parent[i] == None)
            tops.push_back(i);
        else
            children[fill[parent[i]]++] = i;
    }
    const auto byStart = [this](size_t a, size_t b) { return m_waiting[a].startNs < m_waiting[b].startNs; };
    std::stable_sort(tops.begin(), tops.end(), byStart);
    for (size_t i = 0; i < count; ++i)
        std::stable_sort(children.begin() + qsizetype(firstChild[i]),
                         children.begin() + qsizetype(firstChild[i + 1]), byStart);

    // Spilled text comes back through a mapping whose pages are given back now and then: the
    // tree order reads it out of order, and a large spill must not stay resident.
    const char* spilled = readsSpill ? mapSpill() : nullptr;
    constexpr qint64 ResidentSpill = 16 << 20;
    qint64 readSinceRelease = 0;
    std::vector<SpanId> ids(count, 0);
    std::vector<size_t> stack;
    size_t writtenNow = 0;
    for (const size_t top : tops) {
        stack.push_back(top);
        while (!stack.empty()) {
            const size_t i = stack.back();
            stack.pop_back();
            const Waiting& span = m_waiting[i];
            const char* text = (span.spilled ? spilled : m_text.data()) + span.textOffset;
            if (span.spilled) {
                readSinceRelease += span.traceIdSize + span.attributesSize;
                if (readSinceRelease > ResidentSpill) {
                    madvise(const_cast<char*>(spilled), size_t(m_spilled), MADV_DONTNEED);
                    readSinceRelease = 0;
                }
            }
            SpanSpec spec;
            spec.track = span.track;
            spec.parent = parent[i] == None ? written[i] : ids[parent[i]];
            spec.name = span.name;
            spec.cat = span.cat;
            spec.startNs = span.startNs;
            spec.durNs = span.durNs;
            spec.status = span.status;
            spec.kind = span.kind;
            spec.followsFrom = span.followsFrom && spec.parent != 0; // a span shown as a root follows nothing
            spec.traceId = std::string_view(text, span.traceIdSize);
            spec.attributesJson = std::string_view(text + span.traceIdSize, span.attributesSize);
            spec.attributeKeys = span.attributeKeys;
            ids[i] = m_sink.addSpan(spec);
            if (span.first) {
                if (m_written.size() >= Pending)
                    tooMany();
                *m_index.find(span.key) = quint32(m_written.size());
                m_written.push_back(ids[i]);
            }
            // Reversed, so that the earliest child is written first.
            for (size_t c = firstChild[i + 1]; c > firstChild[i]; --c)
                stack.push_back(children[c - 1]);
            // The reader reports progress while it reads; the last batch, after it, does.
            if (last && ++writtenNow % 4096 == 0)
                m_control.progress(m_control.total());
        }
    }
    if (spilled)
        m_spill->unmap(reinterpret_cast<uchar*>(const_cast<char*>(spilled)));

    // The spans that wait on move to the front, their text to the spill file: they may wait
    // long (for a parent that never comes), and the next batch's text takes their place.
    size_t kept = 0;
    for (size_t i = 0; i < count; ++i) {
        if (state[i] != Waits)
            continue;
        Waiting& span = m_waiting[i];
        if (!span.spilled) {
            span.textOffset =
                spill(m_text.data() + span.textOffset, qint64(span.traceIdSize) + span.attributesSize);
            span.spilled = true;
        }
        if (span.first)
            *m_index.find(span.key) = Pending | quint32(kept);
        m_waiting[kept++] = span;
    }
    m_waiting.resize(kept);
    m_text.clear();
    m_batchEnd = kept + std::max(m_batch, kept);
    if (!last && m_written.size() >= m_archiveAt)
        archiveWritten();
}

void TraceAssembler::archiveWritten()
{
    std::vector<SpanArchive::Entry> entries;
    entries.reserve(m_written.size());
    m_index.forEach([&](SpanKey key, quint32 value) {
        if (!(value & Pending))
            entries.push_back({key, m_written[value]});
    });
    m_archive.add(std::move(entries));
    SpanIndex waiting;
    for (size_t i = 0; i < m_waiting.size(); ++i)
        if (m_waiting[i].first)
            waiting.insert(m_waiting[i].key, Pending | quint32(i));
    m_index = std::move(waiting);
    m_written.clear();
}

std::optional<SpanId> TraceAssembler::writtenId(SpanKey key)
{
    if (const quint32* at = m_index.find(key))
        return m_written[*at];
    return m_archive.find(key);
}

void TraceAssembler::finish()
{
    writeBatch(true);

    qint64 unresolvedLinks = 0;
    const auto resolve = [&](const Link& link) {
        const std::optional<SpanId> from = writtenId(link.from);
        const std::optional<SpanId> to = writtenId(link.to);
        if (!from || !to)
            ++unresolvedLinks;
        else
            m_sink.addFlow(*from, *to, link.name);
    };
    if (!m_spilledLinks.empty()) {
        flushSpill();
        std::vector<Link> spilled(LinksInMemory);
        const auto bytes = qint64(spilled.size() * sizeof(Link));
        for (const qint64 offset : m_spilledLinks) {
            // pread: the file's position, where spill() writes, stays.
            if (pread(m_spill->handle(), spilled.data(), size_t(bytes), offset) != bytes)
                throw ImportError(
                    QStringLiteral("cannot read a temporary file (%1)").arg(qt_error_string(errno)));
            std::for_each(spilled.begin(), spilled.end(), resolve);
        }
    }
    std::for_each(m_links.begin(), m_links.end(), resolve);

    // One sentence per kind of oddity, in the grammar of its count.
    const auto warn = [this](qint64 count, const QString& one, const QString& many) {
        if (count)
            m_sink.warn(count == 1 ? one : many.arg(count));
    };
    warn(m_selfParents, QStringLiteral("1 span names itself as its parent; it is shown as a root"),
         QStringLiteral("%1 spans name themselves as their parent; they are shown as roots"));
    warn(m_cycles, QStringLiteral("1 parent cycle was broken; the span that closes it is shown as a root"),
         QStringLiteral("%1 parent cycles were broken; the span that closes each is shown as a root"));
    warn(m_orphans, QStringLiteral("1 span names a parent that is not in the input; it is shown as a root"),
         QStringLiteral("%1 spans name a parent that is not in the input; they are shown as roots"));
    warn(m_duplicates,
         QStringLiteral(
             "1 span repeats the id of an earlier span of the same trace; it is kept as a separate span"),
         QStringLiteral(
             "%1 spans repeat the id of an earlier span of the same trace; they are kept as separate "
             "spans"));
    warn(unresolvedLinks, QStringLiteral("1 link points at a span that is not in the input; it was left out"),
         QStringLiteral("%1 links point at spans that are not in the input; they were left out"));

    m_added = 0;
    m_waiting.clear();
    m_text.clear();
    m_index = SpanIndex();
    m_written.clear();
    m_archive = SpanArchive();
    m_links.clear();
    m_spilledLinks.clear();
    m_spill.reset();
    m_spilled = 0;
    m_selfParents = m_duplicates = m_cycles = m_orphans = 0;
    m_batchEnd = m_batch;
}

} // namespace lundi
