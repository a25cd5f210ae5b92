#include "flamechartview.h"

#include "categorypalette.h"
#include "plaintooltip.h"
#include "timeaxis.h"
#include "timeformat.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace lundi {

namespace {

constexpr int LabelColumnWidth = 180;
constexpr int OverviewHeight = 44;
constexpr int LanePadding = 6;   // between the lanes, split above and below the rows
constexpr int DragThreshold = 3; // pixels a press may move and still be a click
constexpr int LabelPadding = 3;

QColor mix(const QColor& a, const QColor& b, double share)
{
    return QColor(int(a.red() * share + b.red() * (1 - share)),
                  int(a.green() * share + b.green() * (1 - share)),
                  int(a.blue() * share + b.blue() * (1 - share)));
}

} // namespace

FlameChartView::FlameChartView(QWidget* parent)
    : QWidget(parent), m_scrollBar(new QScrollBar(Qt::Vertical, this))
{
    setFocusPolicy(Qt::StrongFocus);
    // Hovering shows which lane names are clickable.
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_scrollBarWidth = m_scrollBar->sizeHint().width();
    m_scrollBar->setSingleStep(m_rowHeight);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
    updateFontMetrics();
}

FlameChartView::~FlameChartView() = default;

QSize FlameChartView::sizeHint() const
{
    return {900, 500};
}

void FlameChartView::setSnapshot(std::shared_ptr<const IncidentSnapshot> snapshot)
{
    // A new snapshot of the same incident (after an import into it) keeps the zoom and scroll.
    const bool sameIncident =
        m_snapshot && snapshot && m_snapshot->path == snapshot->path && !snapshot->path.isEmpty();
    // An incident that had no time yet (a probe's first results) shows all it has.
    const bool hadTime = m_snapshot && !m_snapshot->timeRange.isEmpty();
    // Following the present, a window on the whole incident grows with it; one on its end slides.
    const TimeRange before = fullRange();
    const bool atPresent = sameIncident && hadTime && m_followPresent && m_window.endNs >= before.endNs;
    const bool wholeShown = atPresent && m_window.startNs <= before.startNs;
    m_snapshot = std::move(snapshot);
    if (!sameIncident)
        m_expandedTracks.clear();
    m_selectedIndex = m_snapshot ? m_snapshot->indexOf(m_selectedSpan) : -1;
    m_nameWidths.assign(m_snapshot ? m_snapshot->strings.size() : 0, -1);
    m_elided.clear();
    m_overview.clear();
    m_overviewPicture = QImage();
    const int scroll = sameIncident ? m_scrollBar->value() : 0;
    relayoutLanes();
    m_scrollBar->setValue(scroll);
    TimeRange window = sameIncident ? (hadTime ? m_window : fullRange())
                       : m_snapshot ? m_snapshot->latestActivity()
                                    : fullRange();
    if (wholeShown)
        window = fullRange();
    else if (atPresent)
        window = {fullRange().endNs - (m_window.endNs - m_window.startNs), fullRange().endNs};
    m_window = {};
    setVisibleWindow(window);
    update();
}

void FlameChartView::setHighlight(const Highlight& highlight)
{
    m_highlight = highlight;
    update();
}

void FlameChartView::setHiddenTracks(const QSet<TrackId>& tracks)
{
    if (tracks == m_hiddenTracks)
        return;
    m_hiddenTracks = tracks;
    m_overview.clear();
    m_overviewPicture = QImage();
    relayoutLanes();
    update();
}

bool FlameChartView::isLaneCompact(TrackId track) const
{
    if (!m_snapshot || m_expandedTracks.contains(track))
        return false;
    for (const TimelineLayout::Lane& lane : m_snapshot->timeline.lanes()) {
        if (lane.track == track)
            return lane.rowCount > CompactRows;
    }
    return false;
}

void FlameChartView::setLaneExpanded(TrackId track, bool expanded)
{
    const bool wasCompact = isLaneCompact(track);
    if (expanded)
        m_expandedTracks.insert(track);
    else
        m_expandedTracks.remove(track);
    const bool compact = isLaneCompact(track);
    if (compact == wasCompact)
        return;
    relayoutLanes();
    // A lane compacted while scrolled into its rows: its top goes to the top of the view, so
    // that what was clicked stays in sight.
    for (const VisibleLane& visible : m_visibleLanes) {
        if (m_snapshot->timeline.lanes()[size_t(visible.lane)].track == track &&
            contentTop() + visible.top < lanesRect().top())
            m_scrollBar->setValue(visible.top);
    }
    update();
    Q_EMIT laneExpandedChanged(track, !compact);
}

void FlameChartView::setSelectedSpan(SpanId span)
{
    m_selectedSpan = span;
    m_selectedIndex = m_snapshot ? m_snapshot->indexOf(span) : -1;
    if (m_selectedIndex >= 0)
        revealSpan(m_selectedIndex);
    update();
}

void FlameChartView::setSelectedFrame(StringId name)
{
    m_selectedFrame = name;
    update();
}

void FlameChartView::setTimeRange(TimeRange range)
{
    m_range = range.isEmpty() ? TimeRange{} : range;
    update();
}

TimeRange FlameChartView::fullRange() const
{
    if (!m_snapshot || m_snapshot->timeRange.isEmpty())
        return {0, MinWindowNs};
    TimeRange full = m_snapshot->timeRange;
    full.endNs = std::max(full.endNs, full.startNs + MinWindowNs);
    return full;
}

void FlameChartView::setVisibleWindow(TimeRange window)
{
    const TimeRange full = fullRange();
    const qint64 fullWidth = full.endNs - full.startNs;
    const qint64 width = std::clamp(window.endNs - window.startNs, MinWindowNs, fullWidth);
    const qint64 start = std::clamp(window.startNs, full.startNs, full.endNs - width);
    const TimeRange clamped{start, start + width};
    if (clamped.startNs == m_window.startNs && clamped.endNs == m_window.endNs)
        return;
    m_window = clamped;
    update();
    Q_EMIT visibleWindowChanged(m_window);
}

QRect FlameChartView::timeArea() const
{
    const int right = width() - m_scrollBarWidth;
    return QRect(QPoint(LabelColumnWidth, 0), QPoint(right - 1, height() - 1));
}

QRect FlameChartView::overviewRect() const
{
    const QRect area = timeArea();
    return {area.left(), 0, area.width(), OverviewHeight};
}

QRect FlameChartView::rulerRect() const
{
    const QRect area = timeArea();
    return {area.left(), OverviewHeight, area.width(), 2 * (m_rowHeight + 4)};
}

QRect FlameChartView::lanesRect() const
{
    const QRect ruler = rulerRect();
    return QRect(QPoint(0, ruler.bottom() + 1), QPoint(timeArea().right(), height() - 1));
}

double FlameChartView::nsPerPixel() const
{
    return double(m_window.endNs - m_window.startNs) / std::max(1, timeArea().width());
}

double FlameChartView::xOf(qint64 timeNs) const
{
    return timeArea().left() + double(timeNs - m_window.startNs) / nsPerPixel();
}

qint64 FlameChartView::timeAt(double x) const
{
    return m_window.startNs + qint64(std::llround((x - timeArea().left()) * nsPerPixel()));
}

int FlameChartView::contentTop() const
{
    return lanesRect().top() - m_scrollBar->value();
}

const FlameChartView::VisibleLane* FlameChartView::visibleLaneOf(int lane) const
{
    for (const VisibleLane& visible : m_visibleLanes) {
        if (visible.lane == lane)
            return &visible;
    }
    return nullptr;
}

const FlameChartView::VisibleLane* FlameChartView::visibleLaneAt(int contentY) const
{
    const auto it = std::upper_bound(m_visibleLanes.begin(), m_visibleLanes.end(), contentY,
                                     [](int y, const VisibleLane& visible) { return y < visible.top; });
    if (it == m_visibleLanes.begin())
        return nullptr;
    const VisibleLane& visible = *std::prev(it);
    return contentY < visible.top + visible.height ? &visible : nullptr;
}

int FlameChartView::rowTop(int row) const
{
    if (!m_snapshot)
        return -1;
    const VisibleLane* visible = visibleLaneOf(m_snapshot->timeline.laneOfRow(row));
    if (!visible)
        return -1;
    const int r = row - m_snapshot->timeline.lanes()[size_t(visible->lane)].firstRow;
    return contentTop() + visible->top + LanePadding / 2 + visible->rowOffset(r, m_rowHeight);
}

int FlameChartView::drawnRowHeight(int row) const
{
    if (!m_snapshot)
        return -1;
    const VisibleLane* visible = visibleLaneOf(m_snapshot->timeline.laneOfRow(row));
    if (!visible)
        return -1;
    return visible->rowPixels(row - m_snapshot->timeline.lanes()[size_t(visible->lane)].firstRow,
                              m_rowHeight);
}

void FlameChartView::relayoutLanes()
{
    m_visibleLanes.clear();
    int top = 0;
    if (m_snapshot) {
        const auto& lanes = m_snapshot->timeline.lanes();
        for (size_t l = 0; l < lanes.size(); ++l) {
            if (lanes[l].rowCount == 0 || m_hiddenTracks.contains(lanes[l].track))
                continue;
            VisibleLane visible;
            visible.lane = int(l);
            visible.top = top;
            visible.rowCount = lanes[l].rowCount;
            visible.compact = lanes[l].rowCount > CompactRows && !m_expandedTracks.contains(lanes[l].track);
            visible.rowsHeight = (visible.compact ? CompactHeightRows : lanes[l].rowCount) * m_rowHeight;
            // At least two rows' height, so the track's name and kind fit in the label column.
            visible.height = std::max(visible.rowsHeight, 2 * m_rowHeight) + LanePadding;
            m_visibleLanes.push_back(visible);
            top += visible.height;
        }
    }
    m_contentHeight = top;
    updateScrollBar();
}

void FlameChartView::updateScrollBar()
{
    const QRect lanes = lanesRect();
    m_scrollBar->setGeometry(width() - m_scrollBarWidth, lanes.top(), m_scrollBarWidth, lanes.height());
    m_scrollBar->setPageStep(std::max(1, lanes.height()));
    m_scrollBar->setRange(0, std::max(0, m_contentHeight - lanes.height()));
}

void FlameChartView::updateFontMetrics()
{
    const QFontMetrics metrics(font());
    m_rowHeight = std::max(15, metrics.height() + 3);
    m_charWidth = std::max(1, metrics.horizontalAdvance(QLatin1Char('x')));
    m_ascent = metrics.ascent();
    m_descent = metrics.descent();
    std::fill(m_nameWidths.begin(), m_nameWidths.end(), qint16(-1));
    m_elided.clear();
    m_scrollBar->setSingleStep(m_rowHeight);
    relayoutLanes();
}

void FlameChartView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    m_overviewPicture = QImage();
    updateScrollBar();
}

void FlameChartView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::StyleChange) {
        m_scrollBarWidth = m_scrollBar->sizeHint().width();
        updateScrollBar();
    }
    if (event->type() == QEvent::FontChange)
        updateFontMetrics();
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        m_overviewPicture = QImage();
}

// Self time per category in slices of the incident: each span adds its time to its category
// and takes it from its parent's (on the same track), with difference arrays so that a span
// costs the same whatever its length.
void FlameChartView::computeOverview()
{
    m_overview.assign(OverviewBins, {});
    if (!m_snapshot || m_snapshot->spans.empty())
        return;
    const TimeRange full = fullRange();
    const double binNs = double(full.endNs - full.startNs) / OverviewBins;
    std::vector<std::array<double, 8>> whole(OverviewBins + 1, std::array<double, 8>{});
    std::vector<std::array<double, 8>> partial(OverviewBins, std::array<double, 8>{});
    const auto add = [&](Category category, qint64 startNs, qint64 endNs, double sign) {
        const size_t c = size_t(category);
        const double from = std::clamp(double(startNs - full.startNs) / binNs, 0.0, double(OverviewBins));
        const double to = std::clamp(double(endNs - full.startNs) / binNs, 0.0, double(OverviewBins));
        const int first = std::min(int(from), OverviewBins - 1);
        const int last = std::min(int(to), OverviewBins - 1);
        if (first == last) {
            partial[size_t(first)][c] += sign * (to - from);
            return;
        }
        partial[size_t(first)][c] += sign * (first + 1 - from);
        partial[size_t(last)][c] += sign * (to - last);
        whole[size_t(first) + 1][c] += sign;
        whole[size_t(last)][c] -= sign;
    };
    const auto& spans = m_snapshot->spans;
    const SpanId firstId = spans.front().id;
    for (const SpanRecord& span : spans) {
        if (m_hiddenTracks.contains(span.track))
            continue;
        const qint64 endNs = span.startNs + std::max<qint64>(span.durNs, 0);
        add(span.category, span.startNs, endNs, 1);
        if (span.parent == 0)
            continue;
        const qint64 guess = span.parent - firstId;
        const qint32 parent =
            guess >= 0 && size_t(guess) < spans.size() && spans[size_t(guess)].id == span.parent
                ? qint32(guess)
                : m_snapshot->indexOf(span.parent);
        if (parent >= 0 && spans[size_t(parent)].track == span.track)
            add(spans[size_t(parent)].category, span.startNs, endNs, -1);
    }
    std::array<double, 8> running{};
    for (int b = 0; b < OverviewBins; ++b) {
        for (size_t c = 0; c < 8; ++c) {
            running[c] += whole[size_t(b)][c];
            m_overview[size_t(b)][c] = float(std::max(0.0, running[c] + partial[size_t(b)][c]));
        }
    }
}

void FlameChartView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QColor background = palette().color(QPalette::Base);
    painter.fillRect(rect(), background);
    if (!m_snapshot || m_snapshot->spans.empty()) {
        paintEmpty(painter, tr("This incident has no spans yet. Import a trace (File, Import files) to see "
                               "its tracks on one time axis."));
        return;
    }
    if (m_visibleLanes.empty()) {
        paintEmpty(painter, tr("Every track with spans is hidden. Tick a track in Sources to show it here."));
        return;
    }
    paintLanes(painter);
    paintOverview(painter);
    paintRuler(painter);
    if (m_drag == Drag::Offset)
        paintSourceMove(painter);
}

void FlameChartView::paintSourceMove(QPainter& painter) const
{
    const QString text =
        tr("Move source %1 by %2%3")
            .arg(m_offsetSource)
            .arg(m_offsetShift > 0 ? QStringLiteral("+") : QString(), TimeFormat::duration(m_offsetShift));
    const QPoint cursor = m_offsetPos;
    QRect box = fontMetrics().boundingRect(text).adjusted(-6, -3, 6, 3);
    box.moveTopLeft(
        QPoint(std::clamp(cursor.x() + 12, 0, std::max(0, width() - box.width())),
               std::clamp(cursor.y() - box.height() - 6, 0, std::max(0, height() - box.height()))));
    painter.fillRect(box, palette().color(QPalette::ToolTipBase));
    painter.setPen(palette().color(QPalette::ToolTipText));
    painter.drawRect(box.adjusted(0, 0, -1, -1));
    painter.drawText(box, Qt::AlignCenter, text);
}

void FlameChartView::paintEmpty(QPainter& painter, const QString& sentence) const
{
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, sentence);
}

void FlameChartView::paintOverview(QPainter& painter)
{
    const QRect strip = overviewRect();
    const QColor window = palette().color(QPalette::Window);
    painter.fillRect(QRect(0, 0, width(), strip.height()), window);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(8, 0, LabelColumnWidth - 16, strip.height()), Qt::AlignVCenter | Qt::AlignLeft,
                     tr("Whole incident"));

    if (m_overview.empty())
        computeOverview();
    if (m_overviewPicture.size() != strip.size()) {
        // Stacked self time per category, scaled to the busiest column.
        QImage picture(strip.size(), QImage::Format_RGB32);
        const QColor base = palette().color(QPalette::Base);
        picture.fill(base);
        QPainter p(&picture);
        const int columns = strip.width();
        std::vector<std::array<float, 8>> values(static_cast<size_t>(columns));
        float busiest = 0;
        for (int x = 0; x < columns; ++x) {
            const int first = x * OverviewBins / columns;
            const int last = std::max(first + 1, (x + 1) * OverviewBins / columns);
            float sum = 0;
            for (size_t c = 0; c < 8; ++c) {
                float v = 0;
                for (int b = first; b < last; ++b)
                    v += m_overview[size_t(b)][c];
                values[size_t(x)][c] = v / float(last - first);
                sum += values[size_t(x)][c];
            }
            busiest = std::max(busiest, sum);
        }
        // The square root of the load sets a column's height, so that a quiet hour still shows
        // beside a busy one; the categories share it in proportion.
        for (int x = 0; x < columns; ++x) {
            float sum = 0;
            for (size_t c = 0; c < 8; ++c)
                sum += values[size_t(x)][c];
            if (sum <= 0)
                continue;
            const double scale = (strip.height() - 4) * std::sqrt(sum / busiest) / sum;
            double y = strip.height();
            for (size_t c = 0; c < 8; ++c) {
                const double h = values[size_t(x)][c] * scale;
                if (h <= 0)
                    continue;
                const QColor fill = CategoryPalette::fill(Category(c));
                p.fillRect(QRectF(x, y - h, 1, h), fill);
                y -= h;
            }
        }
        m_overviewPicture = picture;
    }
    painter.drawImage(strip.topLeft(), m_overviewPicture);

    // The visible window framed, the rest veiled; the selected range marked.
    const TimeRange full = fullRange();
    const double scale = strip.width() / double(full.endNs - full.startNs);
    const auto x = [&](qint64 t) { return strip.left() + (t - full.startNs) * scale; };
    QColor veil = palette().color(QPalette::Window);
    veil.setAlpha(150);
    const double wx0 = x(m_window.startNs);
    const double wx1 = std::max(wx0 + 2, x(m_window.endNs));
    painter.fillRect(QRectF(strip.left(), strip.top(), wx0 - strip.left(), strip.height()), veil);
    painter.fillRect(QRectF(wx1, strip.top(), strip.right() + 1 - wx1, strip.height()), veil);
    if (!m_range.isEmpty()) {
        QColor shade = palette().color(QPalette::Highlight);
        shade.setAlpha(60);
        painter.fillRect(QRectF(x(m_range.startNs), strip.top(),
                                std::max(1.0, (m_range.endNs - m_range.startNs) * scale), strip.height()),
                         shade);
    }
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
    painter.drawRect(QRectF(wx0, strip.top() + 1, wx1 - wx0, strip.height() - 2));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(0, strip.bottom(), width(), strip.bottom());
}

void FlameChartView::paintRuler(QPainter& painter)
{
    const QRect ruler = rulerRect();
    const QColor window = palette().color(QPalette::Window);
    const QColor text = palette().color(QPalette::WindowText);
    const QColor faint = palette().color(QPalette::PlaceholderText);
    const int rowH = ruler.height() / 2;
    painter.fillRect(QRect(0, ruler.top(), width(), ruler.height()), window);
    const QFontMetrics metrics(font());
    const double npp = nsPerPixel();

    if (!m_range.isEmpty()) {
        QColor shade = palette().color(QPalette::Highlight);
        shade.setAlpha(70);
        const double x0 = std::max<double>(ruler.left(), xOf(m_range.startNs));
        const double x1 = std::min<double>(ruler.right() + 1, xOf(m_range.endNs));
        if (x1 > x0)
            painter.fillRect(QRectF(x0, ruler.top(), std::max(1.0, x1 - x0), ruler.height()), shade);
    }

    // A step wide enough for its own labels.
    const auto stepFor = [&](const auto& label) {
        qint64 step = TimeAxis::step(npp, 60);
        for (int i = 0; i < 3; ++i) {
            const int needed = metrics.horizontalAdvance(label(step)) + 16;
            if (step / npp >= needed)
                break;
            step = TimeAxis::step(npp, needed);
        }
        return step;
    };
    const auto drawTicks = [&](int top, qint64 step, qint64 origin, const auto& label) {
        for (qint64 t : TimeAxis::ticks(m_window.startNs, m_window.endNs, step, origin)) {
            const int x = int(std::floor(xOf(t)));
            painter.setPen(faint);
            painter.drawLine(x, top + rowH - 5, x, top + rowH - 1);
            const QString s = label(t, step);
            if (x + LabelPadding + metrics.horizontalAdvance(s) > ruler.right())
                continue;
            painter.setPen(text);
            painter.drawText(
                QPoint(x + LabelPadding, top + (rowH + metrics.ascent() - metrics.descent()) / 2), s);
        }
    };
    painter.save();
    painter.setClipRect(ruler);
    const auto utc = [](qint64 t, qint64 step) { return TimeAxis::utcLabel(t, step); };
    const qint64 utcStep = stepFor([&](qint64 step) { return utc(m_window.startNs, step); });
    drawTicks(ruler.top(), utcStep, 0, utc);
    if (!m_range.isEmpty()) {
        const qint64 origin = m_range.startNs;
        const auto relative = [origin](qint64 t, qint64 step) {
            return TimeAxis::relativeLabel(t - origin, step);
        };
        const qint64 span = std::max(std::abs(m_window.startNs - origin), std::abs(m_window.endNs - origin));
        const qint64 relStep = stepFor([&](qint64 step) { return relative(origin + span, step); });
        drawTicks(ruler.top() + rowH, relStep, origin, relative);
    }
    painter.restore();

    // The label column: what each row of the ruler counts from.
    painter.setPen(text);
    painter.drawText(QRect(8, ruler.top(), LabelColumnWidth - 12, rowH), Qt::AlignVCenter | Qt::AlignLeft,
                     TimeAxis::utcDate(m_window.startNs) + QStringLiteral(" UTC"));
    if (m_range.isEmpty()) {
        painter.setPen(faint);
        painter.drawText(QRect(8, ruler.top() + rowH, LabelColumnWidth - 12, rowH),
                         Qt::AlignVCenter | Qt::AlignLeft, tr("Drag here to select"));
    } else {
        painter.drawText(QRect(8, ruler.top() + rowH, LabelColumnWidth - 12, rowH),
                         Qt::AlignVCenter | Qt::AlignLeft,
                         tr("Selection, %1").arg(TimeFormat::duration(m_range.endNs - m_range.startNs)));
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(0, ruler.bottom(), width(), ruler.bottom());
    painter.drawLine(LabelColumnWidth - 1, 0, LabelColumnWidth - 1, ruler.bottom());
}

void FlameChartView::paintLabel(QPainter& painter, const QRectF& box, StringId name)
{
    const int available = int(box.width()) - 2 * LabelPadding;
    if (available < 3 * m_charWidth)
        return;
    if (name <= 0 || size_t(name) >= m_nameWidths.size())
        return;
    const QString& full = m_snapshot->strings[size_t(name)];
    if (full.isEmpty())
        return;
    qint16& width = m_nameWidths[size_t(name)];
    if (width < 0)
        width = qint16(std::min(QFontMetrics(font()).horizontalAdvance(full), 32767));
    const QPointF at(box.left() + LabelPadding, box.top() + (box.height() + m_ascent - m_descent) / 2);
    if (width <= available) {
        painter.drawText(at, full);
        return;
    }
    // An elided label says something only with a few characters before the ellipsis. Elided
    // forms are kept per 8 pixels of room, which the labels of a zoom share.
    const int room = available / 8 * 8;
    if (room < 7 * m_charWidth)
        return;
    if (m_elided.size() > 20000)
        m_elided.clear();
    const quint64 key = (quint64(name) << 16) | quint64(room);
    auto it = m_elided.find(key);
    if (it == m_elided.end())
        it = m_elided.insert(key, QFontMetrics(font()).elidedText(full, Qt::ElideRight, room));
    painter.drawText(at, *it);
}

void FlameChartView::paintLanes(QPainter& painter)
{
    const QRect lanes = lanesRect();
    const QRect area = timeArea();
    const QColor background = palette().color(QPalette::Base);
    const QColor alternate = mix(palette().color(QPalette::AlternateBase), background, 0.6);
    const QColor mid = palette().color(QPalette::Mid);
    const QColor labelText = CategoryPalette::text();
    const QColor dimmedText = mix(palette().color(QPalette::Text), background, 0.5);
    const TimelineLayout& layout = m_snapshot->timeline;
    const double npp = nsPerPixel();
    const int top = contentTop();
    const auto xOf = [left = area.left(), start = m_window.startNs, npp](qint64 t) {
        return left + double(t - start) / npp;
    };

    // The palette's colour depends only on the category and on whether the name matches, so
    // it is asked once per pair and not once per box.
    std::array<QColor, 8> fills, dims;
    for (Category c : AllCategories) {
        fills[size_t(c)] = CategoryPalette::fill(c);
        dims[size_t(c)] = CategoryPalette::dimmed(fills[size_t(c)], background);
    }
    const QColor match = CategoryPalette::match();
    const auto colourOf = [&](StringId name, Category category) -> const QColor& {
        if (m_highlight.matched(name))
            return match;
        return m_highlight.dimmed(name, category) ? dims[size_t(category)] : fills[size_t(category)];
    };

    // Backgrounds, grid and boxes go straight into an image, a few memory writes per pixel
    // whatever the number of boxes; labels and outlines are drawn over it.
    if (m_canvas.size() != QSize(area.width(), lanes.height()))
        m_canvas =
            QImage(QSize(std::max(1, area.width()), std::max(1, lanes.height())), QImage::Format_RGB32);
    m_canvas.fill(background);
    QRgb* const bits = reinterpret_cast<QRgb*>(m_canvas.bits());
    const qsizetype stride = m_canvas.bytesPerLine() / qsizetype(sizeof(QRgb));
    const int canvasWidth = m_canvas.width(), canvasHeight = m_canvas.height();
    // Fills [left, right) x [top, bottom) in widget coordinates, clipped to the canvas.
    const auto fill = [&](int left, int right, int top, int bottom, QRgb rgb) {
        left = std::max(0, left - area.left());
        right = std::min(canvasWidth, right - area.left());
        top = std::max(0, top - lanes.top());
        bottom = std::min(canvasHeight, bottom - lanes.top());
        for (int y = top; y < bottom; ++y)
            std::fill(bits + y * stride + left, bits + y * stride + std::max(left, right), rgb);
    };
    // The same, leaving the pixels of a search match as they are.
    const auto fillUnderMatch = [&](int left, int right, int top, int bottom, QRgb rgb, QRgb matchRgb) {
        left = std::max(0, left - area.left());
        right = std::min(canvasWidth, right - area.left());
        top = std::max(0, top - lanes.top());
        bottom = std::min(canvasHeight, bottom - lanes.top());
        for (int y = top; y < bottom; ++y) {
            QRgb* line = bits + y * stride;
            for (int x = left; x < right; ++x) {
                if (line[x] != matchRgb)
                    line[x] = rgb;
            }
        }
    };

    struct Label
    {
        QRectF rect;
        StringId name;
        bool dimmed;
    };
    const bool labelsFit = m_ascent + m_descent <= m_rowHeight + 1;
    const QRgb gridRgb = mix(mid, background, 0.35).rgb();
    const qint64 step = TimeAxis::step(npp, 100);
    const std::vector<qint64> grid = TimeAxis::ticks(m_window.startNs, m_window.endNs, step);
    // What painting a lane gives besides its pixels; lanes paint disjoint lines of the canvas,
    // so they are painted side by side on the pool's threads and this is merged after.
    struct LaneOutput
    {
        std::vector<Label> labels;
        std::vector<QRectF> frameRects;
        QRectF selectedRect;
        std::vector<TimelineLayout::Box> boxes;
    };
    std::vector<LaneOutput> outputs(m_visibleLanes.size());
    const auto paintLane = [&](size_t v) {
        LaneOutput& out = outputs[v];
        const VisibleLane& visible = m_visibleLanes[v];
        const int laneTop = top + visible.top;
        if (laneTop >= lanes.bottom() + 1 || laneTop + visible.height <= lanes.top())
            return;
        const int laneBottom = laneTop + visible.height; // exclusive
        const TimelineLayout::Lane& lane = layout.lanes()[size_t(visible.lane)];
        // The lanes of a source being moved in time (Ctrl-drag) show where they would land.
        const qint64 shift = m_drag == Drag::Offset && m_snapshot->track(lane.track) &&
                                     m_snapshot->track(lane.track)->source == m_offsetSource
                                 ? m_offsetShift
                                 : 0;
        const TimeRange window{m_window.startNs - shift, m_window.endNs - shift};
        const auto xOf = [left = area.left(), start = window.startNs, npp](qint64 t) {
            return left + double(t - start) / npp;
        };
        if (v % 2)
            fill(area.left(), area.right() + 1, laneTop, laneBottom, alternate.rgb());
        for (qint64 t : grid) {
            const int x = int(std::floor(xOf(t - shift)));
            fill(x, x + 1, laneTop, laneBottom, gridRgb);
        }
        const int rowsTop = laneTop + LanePadding / 2;
        // The rows that meet the view: in a compact lane a row is at least a pixel, so the row
        // a pixel line starts is at most the one its offset in proportion says.
        const auto rowAtOffset = [&](int offset) {
            return visible.compact ? int(qint64(offset) * visible.rowCount / visible.rowsHeight)
                                   : offset / m_rowHeight;
        };
        const int firstRow = std::max(0, rowAtOffset(std::max(0, lanes.top() - rowsTop)) - 1);
        const int lastRow = std::min(lane.rowCount - 1, rowAtOffset(lanes.bottom() + 1 - rowsTop) + 1);
        // Compact rows are drawn without labels, and rows that share a pixel line do not hide a
        // search match under a span that does not match.
        const bool compact = visible.compact;
        const bool keepMatches = compact && m_highlight.searching() && visible.rowCount > visible.rowsHeight;
        const int selectedRow = m_selectedIndex >= 0 ? layout.rowOf(m_selectedIndex) : -1;
        const QRgb matchRgb = match.rgb();
        for (int r = firstRow; r <= lastRow; ++r) {
            const int row = lane.firstRow + r;
            const int y = rowsTop + visible.rowOffset(r, m_rowHeight);
            // Rows of three pixels or more keep a gap below, as expanded ones do.
            const int pixels = visible.rowPixels(r, m_rowHeight);
            const int h = pixels >= 3 ? pixels - 1 : pixels;
            if (y >= lanes.bottom() + 1 || y + h <= lanes.top())
                continue;
            if (compact) {
                // Spans drawn as they come, without a Box each: a compact lane shows all its rows,
                // many times the spans of a screen of expanded rows. A pixel keeps the first span
                // drawn on it, as a merged box shows its first span. Outlines of the selected
                // frame are left to expanded lanes; at a pixel or two a row they would hide the rest.
                const double originX = area.left();
                const double pxPerNs = 1 / npp;
                int paintedTo = std::numeric_limits<int>::min();
                // The time at paintedTo's left edge, a nanosecond early so that rounding never
                // skips a span that reaches on: spans that end by then add no pixel.
                qint64 paintedToNs = std::numeric_limits<qint64>::min();
                layout.forEachSpan(
                    row, window.startNs, window.endNs,
                    [&](qint64 startNs, qint64 endNs, qint32, StringId name, Category category) {
                        // xOf() and floor() inlined by hand: this runs for every span of every
                        // row on screen, and x stays positive, so truncation is floor.
                        const double x0 =
                            std::max(originX + double(startNs - window.startNs) * pxPerNs, area.left() - 1.0);
                        const double x1 =
                            std::min(originX + double(endNs - window.startNs) * pxPerNs, area.right() + 2.0);
                        const int from = int(x0);
                        const int floorX1 = int(x1);
                        const int right =
                            x1 - x0 >= 3 ? floorX1 - 1 : std::max(from + 1, floorX1 + (double(floorX1) < x1));
                        const int left = std::max(from, paintedTo);
                        if (right <= left)
                            return paintedToNs;
                        paintedTo = right;
                        paintedToNs = window.startNs + qint64(double(right - area.left()) * npp) - 1;
                        const QColor& colour = colourOf(name, category);
                        if (keepMatches && &colour != &match)
                            fillUnderMatch(left, right, y, y + h, colour.rgb(), matchRgb);
                        else
                            fill(left, right, y, y + h, colour.rgb());
                        return paintedToNs;
                    });
                // The selected span is outlined even where the walk leapt over it.
                if (row == selectedRow) {
                    const SpanRecord& selected = m_snapshot->spans[size_t(m_selectedIndex)];
                    const double x0 = std::max(xOf(selected.startNs), area.left() - 1.0);
                    const double x1 = std::min(xOf(selected.startNs + selected.durNs), area.right() + 2.0);
                    out.selectedRect = QRectF(x0, y, std::max(3.0, x1 - x0 - 1), h);
                }
                continue;
            }
            out.boxes.clear();
            layout.boxes(row, window.startNs, window.endNs, npp, out.boxes);
            for (const TimelineLayout::Box& box : out.boxes) {
                const double x0 = std::max(xOf(box.startNs), area.left() - 1.0);
                const double x1 = std::min(xOf(box.endNs), area.right() + 2.0);
                const QColor& colour = colourOf(box.name, box.category);
                const int left = int(std::floor(x0));
                const bool wide = box.span >= 0 && x1 - x0 >= 3;
                // A gap of a pixel on the right keeps wide neighbours apart.
                const int right = wide ? int(std::floor(x1)) - 1 : std::max(left + 1, int(std::ceil(x1)));
                fill(left, right, y, y + h, colour.rgb());
                if (wide && labelsFit) {
                    const double labelLeft = std::max(x0, double(area.left()));
                    out.labels.push_back(
                        {QRectF(labelLeft, y, std::min(x1, area.right() + 1.0) - labelLeft, h), box.name,
                         &colour == &dims[size_t(box.category)]});
                }
                if (box.span >= 0 && box.span == m_selectedIndex)
                    out.selectedRect = QRectF(x0, y, std::max(3.0, x1 - x0 - 1), h);
                else if (m_selectedFrame != 0 && box.span >= 0 && box.name == m_selectedFrame)
                    out.frameRects.push_back(QRectF(x0, y, std::max(1.0, x1 - x0 - 1), h));
            }
        }
        fill(area.left(), area.right() + 1, laneBottom - 1, laneBottom, mid.rgb());
    };
    std::vector<size_t> laneIndices(m_visibleLanes.size());
    std::iota(laneIndices.begin(), laneIndices.end(), size_t(0));
    QtConcurrent::blockingMap(laneIndices, paintLane);
    std::vector<Label> labels;
    std::vector<QRectF> frameRects;
    QRectF selectedRect;
    for (LaneOutput& out : outputs) {
        labels.insert(labels.end(), out.labels.begin(), out.labels.end());
        frameRects.insert(frameRects.end(), out.frameRects.begin(), out.frameRects.end());
        if (!out.selectedRect.isNull())
            selectedRect = out.selectedRect;
    }
    painter.drawImage(QPoint(area.left(), lanes.top()), m_canvas);

    painter.save();
    painter.setClipRect(lanes);
    for (const Label& label : labels) {
        painter.setPen(label.dimmed ? dimmedText : labelText);
        paintLabel(painter, label.rect, label.name);
    }

    // Outlines over the boxes: spans of the selected frame, then the selected span.
    painter.setPen(QPen(palette().color(QPalette::Text), 1));
    for (const QRectF& rect : frameRects)
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    if (!selectedRect.isNull()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.drawRect(selectedRect);
    }
    if (!m_range.isEmpty()) {
        QColor shade = palette().color(QPalette::Highlight);
        shade.setAlpha(40);
        const double x0 = std::max<double>(area.left(), xOf(m_range.startNs));
        const double x1 = std::min<double>(area.right() + 1, xOf(m_range.endNs));
        if (x1 > x0)
            painter.fillRect(QRectF(x0, lanes.top(), std::max(1.0, x1 - x0), lanes.height()), shade);
    }

    // The label column: each lane's track and what kind of track it is; a lane that can be
    // compacted says how it is drawn and what a click does.
    const QRect column(0, lanes.top(), LabelColumnWidth, lanes.height());
    painter.fillRect(column, palette().color(QPalette::Window));
    const QFontMetrics metrics(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    for (size_t v = 0; v < m_visibleLanes.size(); ++v) {
        const VisibleLane& visible = m_visibleLanes[v];
        const int laneTop = top + visible.top;
        if (laneTop >= lanes.bottom() + 1 || laneTop + visible.height <= lanes.top())
            continue;
        const TimelineLayout::Lane& lane = layout.lanes()[size_t(visible.lane)];
        const Track* track = m_snapshot->track(lane.track);
        const bool toggles = lane.rowCount > CompactRows;
        const QString name = !toggles ? (track ? track->name : QString())
                             : visible.compact
                                 ? QStringLiteral("\u25B8 ") + (track ? track->name : QString())
                                 : QStringLiteral("\u25BE ") + (track ? track->name : QString());
        const int lines = toggles ? 3 : 2;
        // The name stays in sight while its lane is scrolled past, until the lane's end pushes it up.
        const int textTop = std::min(std::max(laneTop, lanes.top()),
                                     laneTop + visible.height - lines * m_rowHeight - LanePadding) +
                            LanePadding / 2;
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QPoint(8, textTop + boldMetrics.ascent() + 1),
                         boldMetrics.elidedText(name, Qt::ElideRight, LabelColumnWidth - 16));
        if (toggles) {
            painter.setFont(font());
            painter.setPen(palette().color(QPalette::Link));
            const QString state =
                visible.compact ? tr("compact, click to expand") : tr("expanded, click to fold");
            painter.drawText(QPoint(8, textTop + 2 * m_rowHeight + metrics.ascent() + 1),
                             metrics.elidedText(state, Qt::ElideRight, LabelColumnWidth - 16));
        }
        painter.setFont(font());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        const QString kind = track ? trackKindName(track->kind) : QString();
        const QString detail = lane.rowCount > 1 ? tr("%1, %n rows", nullptr, lane.rowCount).arg(kind) : kind;
        painter.drawText(QPoint(8, textTop + m_rowHeight + metrics.ascent() + 1),
                         metrics.elidedText(detail, Qt::ElideRight, LabelColumnWidth - 16));
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawLine(0, laneTop + visible.height - 1, LabelColumnWidth, laneTop + visible.height - 1);
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(LabelColumnWidth - 1, lanes.top(), LabelColumnWidth - 1, lanes.bottom());
    painter.restore();
}

std::optional<FlameChartView::Hit> FlameChartView::hitAt(QPoint pos) const
{
    const QRect lanes = lanesRect();
    const QRect area = timeArea();
    if (!m_snapshot || !lanes.contains(pos) || pos.x() < area.left())
        return std::nullopt;
    const VisibleLane* visible = visibleLaneAt(pos.y() - contentTop());
    if (!visible)
        return std::nullopt;
    const TimelineLayout::Lane& lane = m_snapshot->timeline.lanes()[size_t(visible->lane)];
    const int inLane = pos.y() - contentTop() - visible->top - LanePadding / 2;
    if (inLane < 0 || inLane >= visible->rowOffset(lane.rowCount, m_rowHeight))
        return std::nullopt;
    // The rows drawn on this pixel line: one, or in a compact lane of more rows than pixels,
    // every row that starts on it.
    int first = inLane / m_rowHeight, last = first;
    if (visible->compact) {
        first = std::clamp(int(qint64(inLane) * lane.rowCount / visible->rowsHeight), 0, lane.rowCount - 1);
        while (first > 0 &&
               visible->rowOffset(first - 1, m_rowHeight) + visible->rowPixels(first - 1, m_rowHeight) >
                   inLane)
            --first;
        while (first + 1 < lane.rowCount &&
               visible->rowOffset(first, m_rowHeight) + visible->rowPixels(first, m_rowHeight) <= inLane)
            ++first;
        last = first;
        while (last + 1 < lane.rowCount && visible->rowOffset(last + 1, m_rowHeight) <= inLane)
            ++last;
    }
    const double npp = nsPerPixel();
    const qint64 t = timeAt(pos.x());
    std::vector<TimelineLayout::Box> boxes;
    std::optional<Hit> hit;
    for (int r = first; r <= last; ++r) {
        boxes.clear();
        const int row = lane.firstRow + r;
        m_snapshot->timeline.boxes(row, t - qint64(2 * npp) - 1, t + qint64(2 * npp) + 1, npp, boxes);
        // As painted: a box covers the pixels from the floor of its start to at least one more.
        for (const TimelineLayout::Box& box : boxes) {
            const double x0 = std::floor(xOf(box.startNs));
            const double x1 = std::max(x0 + 1, std::ceil(xOf(box.endNs)));
            if (pos.x() < x0 || pos.x() >= x1)
                continue;
            // Of rows sharing the line, the last one drawn shows, unless a search match lies under it.
            if (!hit || !m_highlight.matched(hit->box.name))
                hit = Hit{row, box};
            break;
        }
    }
    return hit;
}

QString FlameChartView::toolTipFor(const Hit& hit) const
{
    const TimelineLayout::Box& box = hit.box;
    const int lane = m_snapshot->timeline.laneOfRow(hit.row);
    const Track* track = m_snapshot->track(m_snapshot->timeline.lanes()[size_t(lane)].track);
    const QString trackName = track ? track->name : QString();
    if (box.span < 0) {
        return tr("%n spans narrower than a pixel; zoom in to tell them apart", nullptr, box.merged) +
               QLatin1Char('\n') +
               tr("first: %1 (%2)").arg(m_snapshot->name(box.name), categoryName(box.category)) +
               QLatin1Char('\n') + tr("from: %1").arg(TimeFormat::utc(box.startNs)) + QLatin1Char('\n') +
               tr("track: %1").arg(trackName);
    }
    const SpanRecord& span = m_snapshot->spans[size_t(box.span)];
    return m_snapshot->name(span.name) + QLatin1Char('\n') +
           tr("category: %1").arg(categoryName(span.category)) + QLatin1Char('\n') +
           tr("duration: %1").arg(TimeFormat::duration(span.durNs)) + QLatin1Char('\n') +
           tr("start: %1").arg(TimeFormat::utc(span.startNs)) + QLatin1Char('\n') +
           tr("track: %1").arg(trackName);
}

bool FlameChartView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (const auto hit = hitAt(help->pos()))
            QToolTip::showText(help->globalPos(), plainToolTip(toolTipFor(*hit)), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void FlameChartView::zoomAround(double x, double factor)
{
    const double npp = nsPerPixel();
    const double under = m_window.startNs + (x - timeArea().left()) * npp;
    const qint64 fullWidth = fullRange().endNs - fullRange().startNs;
    const qint64 width = std::clamp<qint64>(std::llround((m_window.endNs - m_window.startNs) * factor),
                                            MinWindowNs, fullWidth);
    const qint64 start =
        std::llround(under - (x - timeArea().left()) / std::max(1, timeArea().width()) * width);
    setVisibleWindow({start, start + width});
}

void FlameChartView::panBy(qint64 ns)
{
    setVisibleWindow({m_window.startNs + ns, m_window.endNs + ns});
}

void FlameChartView::revealSpan(qint32 index)
{
    const SpanRecord& span = m_snapshot->spans[size_t(index)];
    const qint64 end = span.startNs + std::max<qint64>(span.durNs, 1);
    if (end <= m_window.startNs || span.startNs >= m_window.endNs) {
        const qint64 width =
            std::max(m_window.endNs - m_window.startNs, end - span.startNs + (end - span.startNs) / 5);
        const qint64 middle = span.startNs + (end - span.startNs) / 2;
        setVisibleWindow({middle - width / 2, middle - width / 2 + width});
    }
    // Its row scrolled into sight; a compact lane stays compact, the span outlined in it.
    const int row = m_snapshot->timeline.rowOf(index);
    const int y = rowTop(row);
    const QRect lanes = lanesRect();
    if (y >= 0 && (y < lanes.top() || y + drawnRowHeight(row) > lanes.bottom()))
        m_scrollBar->setValue(m_scrollBar->value() + y - lanes.top() - lanes.height() / 2);
}

void FlameChartView::wheelEvent(QWheelEvent* event)
{
    const QPointF pos = event->position();
    const QPoint delta = event->angleDelta();
    if (pos.x() < timeArea().left() || (event->modifiers() & Qt::ShiftModifier)) {
        // Over the track names, or with Shift, the wheel scrolls the lanes.
        const int d = delta.y() != 0 ? delta.y() : delta.x();
        m_scrollBar->setValue(m_scrollBar->value() - d * 3 * m_rowHeight / 120);
        event->accept();
        return;
    }
    if (delta.y() != 0)
        zoomAround(pos.x(), std::pow(ZoomStep, delta.y() / 120.0));
    if (delta.x() != 0)
        panBy(-qint64(delta.x() / 120.0 * PanShare * (m_window.endNs - m_window.startNs)));
    event->accept();
}

void FlameChartView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !m_snapshot) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    m_pressPos = pos;
    m_dragMoved = false;
    m_pressWindow = m_window;
    m_pressScroll = m_scrollBar->value();
    if (overviewRect().contains(pos)) {
        m_drag = Drag::Overview;
        mouseMoveEvent(event);
    } else if ((event->modifiers() & Qt::ControlModifier) && lanesRect().contains(pos) &&
               pos.x() >= timeArea().left()) {
        // Ctrl-drag moves the lane's whole source in time, to line up clocks that disagree.
        const VisibleLane* visible = visibleLaneAt(pos.y() - contentTop());
        const Track* track =
            visible ? m_snapshot->track(m_snapshot->timeline.lanes()[size_t(visible->lane)].track) : nullptr;
        m_drag = track ? Drag::Offset : Drag::None;
        m_offsetSource = track ? track->source : 0;
        m_offsetShift = 0;
        m_offsetPos = pos;
        if (track)
            setCursor(Qt::SizeHorCursor);
    } else if (rulerRect().contains(pos)) {
        m_drag = Drag::Ruler;
    } else if (lanesRect().contains(pos)) {
        m_drag = Drag::Lanes;
    } else {
        m_drag = Drag::None;
    }
    event->accept();
}

void FlameChartView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if ((pos - m_pressPos).manhattanLength() > DragThreshold)
        m_dragMoved = true;
    const QRect area = timeArea();
    switch (m_drag) {
    case Drag::Overview: {
        const QRect strip = overviewRect();
        const TimeRange full = fullRange();
        const double at = std::clamp<double>(pos.x() - strip.left(), 0, strip.width());
        const qint64 centre = full.startNs + qint64(at / strip.width() * double(full.endNs - full.startNs));
        const qint64 width = m_window.endNs - m_window.startNs;
        setVisibleWindow({centre - width / 2, centre - width / 2 + width});
        break;
    }
    case Drag::Ruler:
        if (m_dragMoved) {
            const qint64 a = timeAt(std::clamp(m_pressPos.x(), area.left(), area.right() + 1));
            const qint64 b = timeAt(std::clamp(pos.x(), area.left(), area.right() + 1));
            m_range = {std::min(a, b), std::max(a, b)};
            update();
        }
        break;
    case Drag::Offset:
        m_offsetShift = qint64(std::llround((pos.x() - m_pressPos.x()) * nsPerPixel()));
        m_offsetPos = pos;
        update();
        break;
    case Drag::Lanes:
        if (m_dragMoved) {
            const double npp =
                double(m_pressWindow.endNs - m_pressWindow.startNs) / std::max(1, area.width());
            const qint64 shift = qint64(std::llround((m_pressPos.x() - pos.x()) * npp));
            setVisibleWindow({m_pressWindow.startNs + shift, m_pressWindow.endNs + shift});
            m_scrollBar->setValue(m_pressScroll + m_pressPos.y() - pos.y());
        }
        break;
    case Drag::None: {
        // Hovering: a lane's name that folds or expands its lane says so with a pointing hand.
        const VisibleLane* visible = pos.x() < area.left() && pos.y() >= lanesRect().top()
                                         ? visibleLaneAt(pos.y() - contentTop())
                                         : nullptr;
        setCursor(visible && visible->rowCount > CompactRows ? Qt::PointingHandCursor : Qt::ArrowCursor);
        break;
    }
    }
    event->accept();
}

void FlameChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    mouseMoveEvent(event);
    const Drag drag = std::exchange(m_drag, Drag::None);
    if (drag == Drag::Offset) {
        setCursor(Qt::ArrowCursor);
        update();
        if (m_offsetShift != 0)
            Q_EMIT sourceMoveRequested(m_offsetSource, std::exchange(m_offsetShift, 0));
    } else if (drag == Drag::Ruler) {
        if (!m_dragMoved || m_range.isEmpty())
            m_range = {};
        update();
        Q_EMIT rangeSelected(m_range);
    } else if (drag == Drag::Lanes && !m_dragMoved && event->position().x() < timeArea().left()) {
        // A click on a lane's name compacts or expands it.
        const VisibleLane* visible = visibleLaneAt(int(event->position().y()) - contentTop());
        if (visible && visible->rowCount > CompactRows)
            setLaneExpanded(m_snapshot->timeline.lanes()[size_t(visible->lane)].track, visible->compact);
    } else if (drag == Drag::Lanes && !m_dragMoved) {
        const auto hit = hitAt(event->position().toPoint());
        if (hit && hit->box.span >= 0) {
            m_selectedIndex = hit->box.span;
            m_selectedSpan = m_snapshot->spans[size_t(m_selectedIndex)].id;
        } else {
            m_selectedIndex = -1;
            m_selectedSpan = 0;
        }
        update();
        Q_EMIT spanSelected(m_selectedSpan);
    }
    event->accept();
}

void FlameChartView::keyPressEvent(QKeyEvent* event)
{
    const QRect area = timeArea();
    const double centre = area.left() + area.width() / 2.0;
    const qint64 pan = qint64(std::llround(PanShare * double(m_window.endNs - m_window.startNs)));
    switch (event->key()) {
    case Qt::Key_W:
        zoomAround(centre, ZoomStep);
        break;
    case Qt::Key_S:
        zoomAround(centre, 1 / ZoomStep);
        break;
    case Qt::Key_A:
        panBy(-pan);
        break;
    case Qt::Key_D:
        panBy(pan);
        break;
    case Qt::Key_Home:
        setVisibleWindow(fullRange());
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace lundi
