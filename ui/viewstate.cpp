#include "viewstate.h"

namespace lundi {

void ViewState::setSelectedFrame(StringId name)
{
    if (name == m_selectedFrame)
        return;
    m_selectedFrame = name;
    Q_EMIT selectedFrameChanged(name);
}

void ViewState::setSelectedSpan(SpanId span)
{
    if (span == m_selectedSpan)
        return;
    m_selectedSpan = span;
    Q_EMIT selectedSpanChanged(span);
}

void ViewState::setTimeRange(TimeRange range)
{
    if (range.isEmpty())
        range = {};
    if (range.startNs == m_timeRange.startNs && range.endNs == m_timeRange.endNs)
        return;
    m_timeRange = range;
    Q_EMIT timeRangeChanged(range);
}

void ViewState::setSearch(const QString& pattern)
{
    if (pattern == m_search.pattern())
        return;
    m_search = QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
    Q_EMIT searchChanged();
}

void ViewState::setCategories(CategorySet categories)
{
    if (categories == m_categories)
        return;
    m_categories = categories;
    Q_EMIT categoriesChanged(categories);
}

void ViewState::setHiddenTracks(const QSet<TrackId>& tracks)
{
    if (tracks == m_hiddenTracks)
        return;
    m_hiddenTracks = tracks;
    Q_EMIT hiddenTracksChanged();
}

void ViewState::reset()
{
    setSelectedSpan(0);
    setSelectedFrame(0);
    setTimeRange({});
    setSearch({});
    setCategories(CategorySet::all());
    setHiddenTracks({});
}

} // namespace lundi
