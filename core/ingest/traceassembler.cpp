#include "traceassembler.h"
#include "importcontrol.h"
#include "importerror.h"
#include "sink.h"

#include <QTemporaryFile>

#include <sys/mman.h>

#include <algorithm>
#include <string_view>

namespace lundi {

namespace {

constexpr size_t None = size_t(-1);

struct SpanKey
{
    std::string_view trace;
    std::string_view span;
    bool operator==(const SpanKey&) const = default;
};

struct SpanKeyHash
{
    size_t operator()(const SpanKey& key) const
    {
        const std::hash<std::string_view> hash;
        return hash(key.trace) * 31 ^ hash(key.span);
    }
};

} // namespace

TraceAssembler::TraceAssembler() = default;
TraceAssembler::~TraceAssembler() = default;

void TraceAssembler::add(PendingSpan span)
{
    Spilled spilled{m_spilled, qint64(span.attributesJson.size())};
    if (spilled.size) {
        if (!m_spill) {
            m_spill = std::make_unique<QTemporaryFile>();
            if (!m_spill->open())
                throw ImportError(
                    QStringLiteral("cannot write a temporary file (%1)").arg(m_spill->errorString()));
        }
        if (m_spill->write(span.attributesJson.data(), spilled.size) != spilled.size)
            throw ImportError(QStringLiteral("cannot write a temporary file (%1); is the disk full?")
                                  .arg(m_spill->errorString()));
        m_spilled += spilled.size;
        std::string().swap(span.attributesJson);
    }
    m_spans.push_back(std::move(span));
    m_attributes.push_back(spilled);
}

void TraceAssembler::addLink(PendingLink link)
{
    m_links.push_back(std::move(link));
}

void TraceAssembler::finish(Sink& sink, ImportControl& control)
{
    const size_t count = m_spans.size();
    // The attributes come back through a mapping whose pages are given back now and then: the
    // tree order reads them out of order, and a whole large file must not stay resident.
    const char* spilled = nullptr;
    if (m_spilled) {
        if (!m_spill->flush())
            throw ImportError(
                QStringLiteral("cannot write a temporary file (%1)").arg(m_spill->errorString()));
        spilled = reinterpret_cast<const char*>(m_spill->map(0, m_spilled));
        if (!spilled)
            throw ImportError(
                QStringLiteral("cannot read a temporary file (%1)").arg(m_spill->errorString()));
    }
    constexpr qint64 ResidentSpill = 16 << 20;
    qint64 readSinceRelease = 0;
    // The first span of each id is the one children and links find; later ones are kept apart.
    std::unordered_map<SpanKey, size_t, SpanKeyHash> byId;
    byId.reserve(count);
    qint64 duplicates = 0;
    for (size_t i = 0; i < count; ++i)
        duplicates += !byId.try_emplace(SpanKey{m_spans[i].traceId, m_spans[i].spanId}, i).second;

    std::vector<size_t> parent(count, None);
    qint64 selfParents = 0;
    qint64 orphans = 0;
    for (size_t i = 0; i < count; ++i) {
        const PendingSpan& span = m_spans[i];
        if (span.parentId.empty())
            continue;
        if (span.parentId == span.spanId) {
            ++selfParents;
            continue;
        }
        const auto found = byId.find(SpanKey{span.traceId, span.parentId});
        if (found == byId.end())
            ++orphans;
        else
            parent[i] = found->second;
    }

    // Walk up from each span; meeting the walk's own path again is a cycle, broken where it closes.
    enum : quint8 { Unseen, OnPath, Done };
    std::vector<quint8> state(count, Unseen);
    std::vector<size_t> path;
    qint64 cycles = 0;
    for (size_t i = 0; i < count; ++i) {
        size_t at = i;
        while (at != None && state[at] == Unseen) {
            state[at] = OnPath;
            path.push_back(at);
            at = parent[at];
        }
        if (at != None && state[at] == OnPath) {
            ++cycles;
            parent[path.back()] = None;
        }
        for (const size_t walked : path)
            state[walked] = Done;
        path.clear();
    }

    // Children of each span, and the roots, in start order.
    std::vector<size_t> firstChild(count + 1, 0);
    for (size_t i = 0; i < count; ++i)
        if (parent[i] != None)
            ++firstChild[parent[i] + 1];
    for (size_t i = 0; i < count; ++i)
        firstChild[i + 1] += firstChild[i];
    std::vector<size_t> children(firstChild[count]);
    std::vector<size_t> fill(firstChild.begin(), firstChild.end() - 1);
    std::vector<size_t> roots;
    for (size_t i = 0; i < count; ++i) {
        if (parent[i] == None)
            roots.push_back(i);
        else
            children[fill[parent[i]]++] = i;
    }
    const auto byStart = [this](size_t a, size_t b) { return m_spans[a].startNs < m_spans[b].startNs; };
    std::stable_sort(roots.begin(), roots.end(), byStart);
    for (size_t i = 0; i < count; ++i)
        std::stable_sort(children.begin() + qsizetype(firstChild[i]),
                         children.begin() + qsizetype(firstChild[i + 1]), byStart);

    std::vector<SpanId> ids(count, 0);
    std::vector<size_t> stack;
    size_t written = 0;
    for (const size_t root : roots) {
        stack.push_back(root);
        while (!stack.empty()) {
            const size_t i = stack.back();
            stack.pop_back();
            const PendingSpan& span = m_spans[i];
            SpanSpec spec;
            spec.track = span.track;
            spec.parent = parent[i] == None ? 0 : ids[parent[i]];
            spec.name = span.name;
            spec.cat = span.cat;
            spec.startNs = span.startNs;
            spec.durNs = span.durNs;
            spec.status = span.status;
            spec.kind = span.kind;
            spec.followsFrom = span.followsFrom && parent[i] != None;
            spec.traceId = span.traceId;
            const Spilled& attributes = m_attributes[i];
            spec.attributesJson =
                std::string_view(spilled ? spilled + attributes.offset : nullptr, size_t(attributes.size));
            readSinceRelease += attributes.size;
            if (readSinceRelease > ResidentSpill) {
                madvise(const_cast<char*>(spilled), size_t(m_spilled), MADV_DONTNEED);
                readSinceRelease = 0;
            }
            spec.attributeKeys = span.attributeKeys;
            ids[i] = sink.addSpan(spec);
            // Reversed, so that the earliest child is written first.
            for (size_t c = firstChild[i + 1]; c > firstChild[i]; --c)
                stack.push_back(children[c - 1]);
            if (++written % 4096 == 0)
                control.progress(control.total());
        }
    }

    qint64 unresolvedLinks = 0;
    for (const PendingLink& link : m_links) {
        const auto from = byId.find(SpanKey{link.fromTraceId, link.fromSpanId});
        const auto to = byId.find(SpanKey{link.toTraceId, link.toSpanId});
        if (from == byId.end() || to == byId.end())
            ++unresolvedLinks;
        else
            sink.addFlow(ids[from->second], ids[to->second], link.name);
    }

    // One sentence per kind of oddity, in the grammar of its count.
    const auto warn = [&sink](qint64 count, const QString& one, const QString& many) {
        if (count)
            sink.warn(count == 1 ? one : many.arg(count));
    };
    warn(selfParents, QStringLiteral("1 span names itself as its parent; it is shown as a root"),
         QStringLiteral("%1 spans name themselves as their parent; they are shown as roots"));
    warn(cycles, QStringLiteral("1 parent cycle was broken; the span that closes it is shown as a root"),
         QStringLiteral("%1 parent cycles were broken; the span that closes each is shown as a root"));
    warn(orphans, QStringLiteral("1 span names a parent that is not in the input; it is shown as a root"),
         QStringLiteral("%1 spans name a parent that is not in the input; they are shown as roots"));
    warn(duplicates,
         QStringLiteral(
             "1 span repeats the id of an earlier span of the same trace; it is kept as a separate span"),
         QStringLiteral(
             "%1 spans repeat the id of an earlier span of the same trace; they are kept as separate "
             "spans"));
    warn(unresolvedLinks, QStringLiteral("1 link points at a span that is not in the input; it was left out"),
         QStringLiteral("%1 links point at spans that are not in the input; they were left out"));
    m_spans.clear();
    m_attributes.clear();
    m_links.clear();
    if (spilled)
        m_spill->unmap(reinterpret_cast<uchar*>(const_cast<char*>(spilled)));
    m_spill.reset();
    m_spilled = 0;
}

} // namespace lundi
