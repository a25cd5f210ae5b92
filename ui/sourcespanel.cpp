#include "sourcespanel.h"

#include "analysis/metriccatalog.h"
#include "plaintooltip.h"
#include "timeformat.h"

#include <QFileInfo>
#include <QHash>
#include <QHeaderView>
#include <QInputDialog>
#include <QLocale>
#include <QMenu>
#include <QScopedValueRollback>
#include <QTreeWidgetItemIterator>

namespace lundi {

namespace {

constexpr int TrackRole = Qt::UserRole + 1;
constexpr int SourceRole = Qt::UserRole + 2;
constexpr int OffsetRole = Qt::UserRole + 3;
constexpr int MetricRole = Qt::UserRole + 4; // a metric's first series (MetricCatalog)

} // namespace

SourcesPanel::SourcesPanel(QWidget* parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Source / track"), tr("Spans")});
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    setTextElideMode(Qt::ElideMiddle);
    connect(this, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item) {
        if (m_applying)
            return;
        if (item->data(0, MetricRole).isValid()) {
            Q_EMIT metricToggled(item->data(0, MetricRole).toLongLong(), item->checkState(0) == Qt::Checked);
            return;
        }
        if (!item->parent()) {
            // A source's box ticks or unticks all its tracks.
            const Qt::CheckState state = item->checkState(0);
            if (state != Qt::PartiallyChecked)
                setHiddenTracks(state == Qt::Checked ? hiddenTracks() - tracksOf(item)
                                                     : hiddenTracks() + tracksOf(item));
        } else {
            setHiddenTracks(hiddenTracks());
        }
        Q_EMIT hiddenTracksChanged(hiddenTracks());
    });
    // A source's context menu places it in time: the exact value, where a Ctrl-drag in the flame
    // chart is by eye.
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QTreeWidgetItem* item = itemAt(pos);
        if (!item || item->parent())
            return;
        QMenu menu(this);
        menu.addAction(tr("Clock offset..."), this, [this, item] { askClockOffset(item); });
        menu.exec(viewport()->mapToGlobal(pos));
    });
}

void SourcesPanel::askClockOffset(const QTreeWidgetItem* source)
{
    const SourceId id = source->data(0, SourceRole).toLongLong();
    QString text = TimeFormat::duration(source->data(0, OffsetRole).toLongLong()).remove(QLatin1Char(' '));
    while (true) {
        bool ok = false;
        text = QInputDialog::getText(
            this, tr("Clock offset"),
            tr("Shift every span and sample of source %1 by (e.g. 1.5s, -200ms, 0):").arg(id),
            QLineEdit::Normal, text, &ok);
        if (!ok)
            return;
        if (const std::optional<qint64> offset = TimeFormat::parseDuration(text)) {
            Q_EMIT clockOffsetChosen(id, *offset);
            return;
        }
    }
}

void SourcesPanel::setSnapshot(const std::shared_ptr<const IncidentSnapshot>& snapshot)
{
    const QScopedValueRollback applying(m_applying, true);
    QSet<SeriesId> plotted;
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        if ((*it)->data(0, MetricRole).isValid() && (*it)->checkState(0) == Qt::Checked)
            plotted.insert((*it)->data(0, MetricRole).toLongLong());
    }
    clear();
    if (!snapshot)
        return;
    const std::vector<MetricCatalog::Metric> catalog =
        MetricCatalog::build(snapshot->series, snapshot->sources);
    QHash<TrackId, qint64> spansOfTrack;
    for (const SpanRecord& span : snapshot->spans)
        ++spansOfTrack[span.track];
    const QLocale locale;
    for (const Source& source : snapshot->sources) {
        auto* item = new QTreeWidgetItem(
            this, {QFileInfo(source.origin).fileName(), locale.toString(source.spanCount)});
        item->setData(0, SourceRole, source.id);
        item->setData(0, OffsetRole, source.clockOffsetNs);
        item->setToolTip(
            0, plainToolTip(tr("%1\nformat: %2\n%3 spans, %4 samples\nclock offset: %5%6")
                                .arg(source.origin, source.format, locale.toString(source.spanCount),
                                     locale.toString(source.sampleCount),
                                     TimeFormat::duration(source.clockOffsetNs),
                                     source.warnings.isEmpty()
                                         ? QString()
                                         : QLatin1Char('\n') + source.warnings.join(QLatin1Char('\n')))));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Checked);
        item->setExpanded(true);
        for (const Track& track : snapshot->tracks) {
            if (track.source != source.id)
                continue;
            auto* child =
                new QTreeWidgetItem(item, {track.name, locale.toString(spansOfTrack.value(track.id))});
            child->setToolTip(0, plainToolTip(tr("%1 track %2").arg(trackKindName(track.kind), track.name)));
            child->setFlags(child->flags() | Qt::ItemIsUserCheckable);
            child->setCheckState(0, Qt::Checked);
            child->setData(0, TrackRole, track.id);
        }
        std::vector<const MetricCatalog::Metric*> metrics;
        for (const MetricCatalog::Metric& metric : catalog) {
            if (metric.source == source.id)
                metrics.push_back(&metric);
        }
        if (metrics.empty())
            continue;
        auto* group = new QTreeWidgetItem(item, {tr("%n metric series", nullptr, int(metrics.size()))});
        group->setFlags(group->flags() & ~Qt::ItemIsUserCheckable);
        group->setToolTip(0, tr("Tick a series to plot it under the flame chart"));
        for (const MetricCatalog::Metric* metric : metrics) {
            const QString title = metric->title();
            const QString transform = metric->transform();
            QString label = metric->unit.isEmpty() ? title : tr("%1 (%2)").arg(title, metric->unit);
            if (!transform.isEmpty())
                label += tr(" · %1").arg(transform);
            auto* child = new QTreeWidgetItem(group, {label});
            child->setToolTip(
                0, plainToolTip(label + QLatin1Char('\n') + tr("Tick to plot it under the flame chart")));
            child->setFlags(child->flags() | Qt::ItemIsUserCheckable);
            child->setCheckState(0, plotted.contains(metric->series.front()) ? Qt::Checked : Qt::Unchecked);
            child->setData(0, MetricRole, metric->series.front());
        }
    }
}

void SourcesPanel::setMetricPlotted(SeriesId metric, bool plotted)
{
    const QScopedValueRollback applying(m_applying, true);
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        if ((*it)->data(0, MetricRole).isValid() && (*it)->data(0, MetricRole).toLongLong() == metric)
            (*it)->setCheckState(0, plotted ? Qt::Checked : Qt::Unchecked);
    }
}

void SourcesPanel::setHiddenTracks(const QSet<TrackId>& hidden)
{
    const QScopedValueRollback applying(m_applying, true);
    for (int s = 0; s < topLevelItemCount(); ++s) {
        QTreeWidgetItem* source = topLevelItem(s);
        int shown = 0;
        int tracks = 0;
        for (int t = 0; t < source->childCount(); ++t) {
            QTreeWidgetItem* track = source->child(t);
            if (!track->data(0, TrackRole).isValid())
                continue;
            const bool visible = !hidden.contains(track->data(0, TrackRole).toLongLong());
            track->setCheckState(0, visible ? Qt::Checked : Qt::Unchecked);
            shown += visible;
            ++tracks;
        }
        source->setCheckState(0, shown == tracks ? Qt::Checked
                                 : shown == 0    ? Qt::Unchecked
                                                 : Qt::PartiallyChecked);
    }
}

QSet<TrackId> SourcesPanel::tracksOf(const QTreeWidgetItem* source)
{
    QSet<TrackId> tracks;
    for (int t = 0; t < source->childCount(); ++t) {
        if (source->child(t)->data(0, TrackRole).isValid())
            tracks.insert(source->child(t)->data(0, TrackRole).toLongLong());
    }
    return tracks;
}

QSet<TrackId> SourcesPanel::hiddenTracks() const
{
    QSet<TrackId> hidden;
    for (int s = 0; s < topLevelItemCount(); ++s) {
        const QTreeWidgetItem* source = topLevelItem(s);
        for (int t = 0; t < source->childCount(); ++t) {
            const QTreeWidgetItem* track = source->child(t);
            if (track->data(0, TrackRole).isValid() && track->checkState(0) == Qt::Unchecked)
                hidden.insert(track->data(0, TrackRole).toLongLong());
        }
    }
    return hidden;
}

} // namespace lundi
