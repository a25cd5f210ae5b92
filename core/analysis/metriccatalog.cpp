#include "metriccatalog.h"

#include "metricmath.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace lundi {

namespace {

const QString BucketSuffix = QStringLiteral("_bucket");
const QString ExemplarSuffix = QStringLiteral(":exemplar");
const QString LeLabel = QStringLiteral("le");

QJsonObject labelsOf(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray jsonOf(const QJsonObject& labels)
{
    return QJsonDocument(labels).toJson(QJsonDocument::Compact);
}

// The families each Prometheus source declared, by name: {"metrics": {name: {"type", "unit"}}}.
using Families = QHash<QString, QJsonObject>;

Families familiesOf(const Source& source)
{
    Families families;
    const QJsonObject metrics =
        QJsonDocument::fromJson(source.metadataJson).object().value(QLatin1String("metrics")).toObject();
    for (auto it = metrics.begin(); it != metrics.end(); ++it)
        families.insert(it.key(), it.value().toObject());
    return families;
}

QString typeOf(const Families& families, const QString& name)
{
    return families.value(name).value(QLatin1String("type")).toString();
}

QString withoutSuffix(const QString& name, QLatin1String suffix)
{
    return name.endsWith(suffix) ? name.chopped(suffix.size()) : QString();
}

// Counters are cumulative: declared so (0.0.4 names the family with its _total, OpenMetrics
// without), a histogram's or summary's _count and _sum, or, in a dump that declares nothing,
// named _total as the naming convention asks.
bool isCounter(const Families& families, const QString& name)
{
    if (typeOf(families, name) == QLatin1String("counter"))
        return true;
    if (const QString base = withoutSuffix(name, QLatin1String("_total")); !base.isEmpty())
        return typeOf(families, base) == QLatin1String("counter") || !families.contains(name);
    for (const QLatin1String suffix : {QLatin1String("_count"), QLatin1String("_sum")}) {
        const QString base = withoutSuffix(name, suffix);
        const QString type = base.isEmpty() ? QString() : typeOf(families, base);
        if (type == QLatin1String("histogram") || type == QLatin1String("summary"))
            return true;
    }
    return false;
}

std::optional<double> boundOf(const QJsonValue& le)
{
    bool ok = false;
    const double bound = le.toString().toDouble(&ok);
    if (ok)
        return bound;
    if (le.toString() == QLatin1String("+Inf") || le.toString() == QLatin1String("Inf"))
        return std::numeric_limits<double>::infinity();
    return std::nullopt;
}

// The unit a name's suffix states, for histograms whose dump gives none.
QString unitFromName(const QString& name)
{
    if (name.endsWith(QLatin1String("_seconds")))
        return QStringLiteral("s");
    if (name.endsWith(QLatin1String("_bytes")))
        return QStringLiteral("bytes");
    return {};
}

bool containsAll(const QJsonObject& labels, const QJsonObject& subset)
{
    for (auto it = subset.begin(); it != subset.end(); ++it) {
        if (labels.value(it.key()) != it.value())
            return false;
    }
    return true;
}

} // namespace

QString MetricCatalog::Metric::title() const
{
    const QJsonObject labels = labelsOf(labelsJson);
    if (labels.isEmpty())
        return name;
    QStringList pairs;
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        const QString value = it.value().toVariant().toString();
        pairs.append(QStringLiteral("%1=\"%2\"").arg(it.key(), value));
    }
    return QStringLiteral("%1{%2}").arg(name, pairs.join(QLatin1Char(',')));
}

QString MetricCatalog::Metric::transform() const
{
    switch (kind) {
    case Kind::Gauge:
        return {};
    case Kind::Counter:
        return QStringLiteral("rate");
    case Kind::Histogram:
        break;
    }
    QStringList names;
    for (const double q : Quantiles)
        names.append(QStringLiteral("p%1").arg(q * 100));
    return names.join(QStringLiteral(", "));
}

std::vector<MetricCatalog::Metric> MetricCatalog::build(const QList<Series>& series,
                                                        const QList<Source>& sources)
{
    QHash<SourceId, Families> families;
    for (const Source& source : sources)
        families.insert(source.id, familiesOf(source));
    // A histogram's unit: its _sum's (in the bounds' unit), its family's, or its name's.
    QHash<std::pair<SourceId, QString>, QString> sumUnits;
    for (const Series& one : series) {
        if (one.name.endsWith(QLatin1String("_sum")) && !one.unit.isEmpty() && one.unit != QLatin1String("1"))
            sumUnits.insert({one.source, one.name.chopped(4)}, one.unit);
    }

    // Every series is a metric of its own, until its bucket siblings join it into a histogram
    // in the place of the first of them.
    std::vector<Metric> metrics;
    std::map<std::tuple<SourceId, QString, QByteArray>, size_t> histograms;
    std::vector<std::vector<std::pair<double, const Series*>>> buckets;
    std::vector<const Series*> exemplars;
    for (const Series& one : series) {
        if (one.name.endsWith(ExemplarSuffix)) {
            exemplars.push_back(&one);
            continue;
        }
        QJsonObject labels = labelsOf(one.labelsJson);
        const std::optional<double> bound =
            one.name.endsWith(BucketSuffix) ? boundOf(labels.value(LeLabel)) : std::nullopt;
        if (bound) {
            labels.remove(LeLabel);
            const QString name = one.name.chopped(BucketSuffix.size());
            const auto [it, added] =
                histograms.try_emplace({one.source, name, jsonOf(labels)}, metrics.size());
            if (added) {
                metrics.push_back({Kind::Histogram, one.source, name, jsonOf(labels), {}, {}, {}, {}});
                buckets.emplace_back();
            }
            buckets[it->second].emplace_back(*bound, &one);
            continue;
        }
        metrics.push_back({isCounter(families.value(one.source), one.name) ? Kind::Counter : Kind::Gauge,
                           one.source,
                           one.name,
                           one.labelsJson,
                           one.unit,
                           {one.id},
                           {},
                           {}});
        buckets.emplace_back();
    }

    std::vector<Metric> result;
    result.reserve(metrics.size());
    for (size_t i = 0; i < metrics.size(); ++i) {
        Metric& metric = metrics[i];
        if (metric.kind != Kind::Histogram) {
            result.push_back(std::move(metric));
            continue;
        }
        auto& bounds = buckets[i];
        std::sort(bounds.begin(), bounds.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        // Quantiles need the +Inf bucket and another, as histogram_quantile() does; buckets
        // without stay series of their own.
        if (bounds.size() < 2 || !std::isinf(bounds.back().first)) {
            for (const auto& [bound, one] : bounds)
                result.push_back(
                    {Kind::Gauge, one->source, one->name, one->labelsJson, one->unit, {one->id}, {}, {}});
            continue;
        }
        for (const auto& [bound, one] : bounds) {
            metric.upperBounds.push_back(bound);
            metric.series.push_back(one->id);
        }
        metric.unit = sumUnits.value({metric.source, metric.name});
        if (metric.unit.isEmpty())
            metric.unit =
                families.value(metric.source).value(metric.name).value(QLatin1String("unit")).toString();
        if (metric.unit.isEmpty())
            metric.unit = unitFromName(metric.name);
        result.push_back(std::move(metric));
    }

    // An exemplar series carries its sample's labels and the exemplar's own (the trace id).
    for (const Series* exemplar : exemplars) {
        const QString target = exemplar->name.chopped(ExemplarSuffix.size());
        const QJsonObject labels = labelsOf(exemplar->labelsJson);
        for (Metric& metric : result) {
            // Prometheus keeps a histogram's exemplars on its buckets, OTLP on the metric.
            const bool named = target == metric.name ||
                               (metric.kind == Kind::Histogram && target == metric.name + BucketSuffix);
            if (named && metric.source == exemplar->source &&
                containsAll(labels, labelsOf(metric.labelsJson)))
                metric.exemplars.push_back({exemplar->id, traceIdOf(exemplar->labelsJson)});
        }
    }
    return result;
}

MetricCatalog::Plot MetricCatalog::plot(const Metric& metric, const SamplesOf& samplesOf)
{
    Plot plot;
    plot.unit = metric.unit;
    switch (metric.kind) {
    case Kind::Gauge:
        plot.lines.push_back({metric.title(), samplesOf(metric.series.front()), {}});
        break;
    case Kind::Counter:
        plot.unit = metric.unit.isEmpty() ? QStringLiteral("/s") : metric.unit + QStringLiteral("/s");
        plot.lines.push_back({metric.title(), MetricMath::rates(samplesOf(metric.series.front())), {}});
        break;
    case Kind::Histogram: {
        MetricMath::HistogramSeries histogram{metric.upperBounds, {}};
        for (const SeriesId id : metric.series)
            histogram.samples.push_back(samplesOf(id));
        plot.highestFiniteBound = metric.upperBounds[metric.upperBounds.size() - 2];
        for (const double q : Quantiles) {
            Line line{QStringLiteral("p%1").arg(q * 100), {}, {}};
            for (const MetricMath::QuantilePoint& point : MetricMath::quantilesOverTime(q, histogram)) {
                line.points.push_back({point.timeNs, point.quantile.value});
                if (point.quantile.aboveFiniteBounds)
                    line.aboveFiniteBoundsNs.push_back(point.timeNs);
            }
            plot.pointsAboveFiniteBounds += qint64(line.aboveFiniteBoundsNs.size());
            plot.lines.push_back(std::move(line));
        }
        break;
    }
    }
    for (const Metric::ExemplarSeries& exemplar : metric.exemplars) {
        for (const Sample& sample : samplesOf(exemplar.series))
            plot.exemplars.push_back({sample.timeNs, sample.value, exemplar.traceId});
    }
    return plot;
}

std::vector<Sample> MetricCatalog::values(const Metric& metric, const SamplesOf& samplesOf)
{
    switch (metric.kind) {
    case Kind::Gauge:
        return samplesOf(metric.series.front());
    case Kind::Counter:
        return MetricMath::rates(samplesOf(metric.series.front()));
    case Kind::Histogram:
        break;
    }
    MetricMath::HistogramSeries histogram{metric.upperBounds, {}};
    for (const SeriesId id : metric.series)
        histogram.samples.push_back(samplesOf(id));
    std::vector<Sample> result;
    for (const MetricMath::QuantilePoint& point :
         MetricMath::quantilesOverTime(CorrelatedQuantile, histogram))
        result.push_back({point.timeNs, point.quantile.value});
    return result;
}

QString MetricCatalog::traceIdOf(const QByteArray& labelsJson)
{
    const QJsonObject labels = labelsOf(labelsJson);
    for (const char* key : {"trace_id", "traceId", "trace.id", "traceID"}) {
        const QString id = labels.value(QLatin1String(key)).toString();
        if (!id.isEmpty())
            return id.toLower();
    }
    return {};
}

} // namespace lundi
