#include "workbench.h"

#include "analysis/spanfilter.h"
#include "store/store.h"
#include "store/storeerror.h"

#include <QFileInfo>
#include <QLocale>
#include <QScopeGuard>
#include <QtConcurrent/QtConcurrentRun>

#include <variant>

namespace lundi {

Workbench::Workbench(QObject* parent) : QObject(parent)
{
    connect(&m_state, &ViewState::timeRangeChanged, this, &Workbench::aggregate);
    connect(&m_state, &ViewState::hiddenTracksChanged, this, &Workbench::aggregate);
    connect(&m_state, &ViewState::searchChanged, this, &Workbench::matchSearch);
    connect(&m_state, &ViewState::categoriesChanged, this, [this](CategorySet categories) {
        m_highlight.categories = categories;
        Q_EMIT highlightChanged();
    });
}

Workbench::~Workbench() = default;

std::shared_ptr<const std::vector<QString>> Workbench::names() const
{
    if (!m_snapshot)
        return {};
    return {m_snapshot, &m_snapshot->strings};
}

void Workbench::open(const QString& path)
{
    m_path = path;
    load(false);
}

void Workbench::reload()
{
    load(true);
}

void Workbench::setRoots(FlameTree::Roots roots)
{
    if (roots == m_roots)
        return;
    m_roots = roots;
    aggregate();
}

QString Workbench::trackName(TrackId id) const
{
    const Track* track = m_snapshot ? m_snapshot->track(id) : nullptr;
    return track ? track->name : tr("track %1").arg(id);
}

void Workbench::setClockOffset(SourceId source, qint64 offsetNs)
{
    if (!m_store)
        return;
    try {
        m_store->setClockOffset(source, offsetNs);
    } catch (const StoreError& error) {
        Q_EMIT loadFailed(error.sentence());
        return;
    }
    reload();
}

std::optional<Span> Workbench::span(SpanId id) const
{
    return m_store ? m_store->span(id) : std::nullopt;
}

void Workbench::load(bool keepState)
{
    using Loaded = std::variant<std::shared_ptr<const IncidentSnapshot>, QString>;
    const quint64 request = ++m_loadRequest;
    begin();
    QtConcurrent::run([path = m_path]() -> Loaded {
        try {
            const Store store(path);
            return IncidentSnapshot::load(store);
        } catch (const StoreError& error) {
            return error.sentence();
        } catch (const std::exception& error) {
            return QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(error.what()));
        }
    }).then(this, [this, request, keepState](const Loaded& loaded) {
        // Done when this continuation returns, after the work it starts has begun: never idle in between.
        const auto done = qScopeGuard([this] { end(); });
        if (request != m_loadRequest)
            return;
        if (const auto* sentence = std::get_if<QString>(&loaded)) {
            Q_EMIT loadFailed(*sentence);
            return;
        }
        const bool reopened = keepState && m_snapshot && m_store;
        try {
            if (!reopened)
                m_store = std::make_unique<Store>(m_path);
        } catch (const StoreError& error) {
            Q_EMIT loadFailed(error.sentence());
            return;
        }
        m_snapshot = std::get<0>(loaded);
        if (!reopened) {
            // Block the state's signals: one aggregation for the new incident, not one per reset field.
            const QSignalBlocker blocker(&m_state);
            m_state.reset();
            m_highlight = {};
        }
        Q_EMIT snapshotChanged();
        if (!reopened)
            Q_EMIT opened(m_path);
        aggregate();
        matchSearch();
    });
}

void Workbench::aggregate()
{
    if (!m_snapshot)
        return;
    struct Aggregated
    {
        std::shared_ptr<const FlameTree> tree;
        std::shared_ptr<const std::vector<TopList::Entry>> topList;
    };
    const quint64 request = ++m_aggregateRequest;
    SpanFilter filter;
    filter.range = m_state.timeRange();
    filter.hiddenTracks = m_state.hiddenTracks();
    begin();
    QtConcurrent::run([snapshot = m_snapshot, filter, roots = m_roots] {
        auto tree = std::make_shared<const FlameTree>(FlameTree::build(snapshot->spans, roots, filter));
        auto topList = std::make_shared<const std::vector<TopList::Entry>>(
            TopList::build(*tree, TopList::Order::BySelf));
        return Aggregated{std::move(tree), std::move(topList)};
    }).then(this, [this, request](const Aggregated& aggregated) {
        // Done when this continuation returns, after the work it starts has begun: never idle in between.
        const auto done = qScopeGuard([this] { end(); });
        if (request != m_aggregateRequest)
            return;
        m_tree = aggregated.tree;
        m_topList = aggregated.topList;
        summariseSearch();
        Q_EMIT flameTreeChanged();
    });
}

void Workbench::matchSearch()
{
    if (!m_snapshot)
        return;
    const quint64 request = ++m_searchRequest;
    if (!m_state.searching()) {
        m_highlight.matches.reset();
        summariseSearch();
        Q_EMIT highlightChanged();
        return;
    }
    begin();
    QtConcurrent::run([snapshot = m_snapshot, search = m_state.search()] {
        auto matches = std::make_shared<std::vector<bool>>(snapshot->strings.size());
        if (search.isValid()) {
            for (size_t i = 1; i < snapshot->strings.size(); ++i)
                (*matches)[i] = search.match(snapshot->strings[i]).hasMatch();
        }
        return std::shared_ptr<const std::vector<bool>>(std::move(matches));
    }).then(this, [this, request](const std::shared_ptr<const std::vector<bool>>& matches) {
        // Done when this continuation returns, after the work it starts has begun: never idle in between.
        const auto done = qScopeGuard([this] { end(); });
        if (request != m_searchRequest)
            return;
        m_highlight.matches = matches;
        summariseSearch();
        Q_EMIT highlightChanged();
    });
}

void Workbench::summariseSearch()
{
    m_searchSummary.clear();
    if (!m_state.searching() || !m_tree)
        return;
    if (!m_state.search().isValid()) {
        m_searchSummary = tr("Not a valid regular expression: %1").arg(m_state.search().errorString());
        return;
    }
    if (!m_highlight.matches)
        return;
    // A match inside a match adds its count but not its time, which its outer match holds already.
    const auto& nodes = m_tree->nodes();
    std::vector<bool> insideMatch(nodes.size());
    qint64 count = 0;
    qint64 timeNs = 0;
    for (size_t n = 1; n < nodes.size(); ++n) {
        const FlameTree::Node& node = nodes[n];
        const bool matched = m_highlight.matched(node.frame);
        const bool outer = node.parent > 0 && insideMatch[size_t(node.parent)];
        insideMatch[n] = outer || matched;
        if (!matched)
            continue;
        count += node.count;
        if (!outer)
            timeNs += node.totalNs;
    }
    const qint64 allNs = m_tree->root().totalNs;
    const QString share =
        QLocale().toString(allNs > 0 ? 100.0 * double(timeNs) / double(allNs) : 0.0, 'f', 1);
    m_searchSummary = count == 1
                          ? tr("1 span matches, %1% of the time").arg(share)
                          : tr("%1 spans match, %2% of the time").arg(QLocale().toString(count), share);
}

void Workbench::begin()
{
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
}

void Workbench::end()
{
    if (--m_pending == 0)
        Q_EMIT busyChanged(false);
}

} // namespace lundi
