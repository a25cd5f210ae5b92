#include "metricwriter.h"
#include "fieldvalues.h"
#include "sentences.h"

#include "ingest/importerror.h"
#include "ingest/sink.h"

#include <algorithm>
#include <cmath>

namespace lundi::otlp {

namespace {

// More series than this from one file is no metric dump but a label explosion.
constexpr size_t MaxSeries = 1'000'000;

// AggregationTemporality
constexpr qint64 Delta = 1;
constexpr qint64 Cumulative = 2;

// DataPointFlags.FLAG_NO_RECORDED_VALUE
constexpr qint64 NoRecordedValue = 1;

std::string quotedBound(double value)
{
    return '"' + formatBound(value) + '"';
}

} // namespace

MetricWriter::MetricWriter(Sink& sink) : m_sink(sink) {}

void MetricWriter::collectLabels(const PointDraft& point, const ResourceDraft& resource,
                                 const ScopeDraft& scope)
{
    m_labels.clear();
    const auto addAll = [this](const Attributes& attributes) {
        for (const Attributes::Member& member : attributes.index)
            m_labels.emplace_back(attributes.key(member), attributes.value(member));
    };
    addAll(resource.attributes);
    if (!m_scopeName.empty())
        m_labels.emplace_back("\"otel.scope.name\"", m_scopeName);
    if (!m_scopeVersion.empty())
        m_labels.emplace_back("\"otel.scope.version\"", m_scopeVersion);
    addAll(scope.attributes);
    addAll(point.attributes);
    // Sorted, so that the same labels in another order are the same series; of a key given twice
    // the nearest one wins: the point's over the scope's over the resource's.
    std::stable_sort(m_labels.begin(), m_labels.end(),
                     [](const Label& a, const Label& b) { return a.first < b.first; });
    size_t kept = 0;
    for (size_t i = 0; i < m_labels.size(); ++i) {
        if (i + 1 < m_labels.size() && m_labels[i + 1].first == m_labels[i].first)
            continue;
        m_labels[kept++] = m_labels[i];
    }
    m_labels.resize(kept);
    m_key.clear();
    for (const Label& label : m_labels) {
        if (!m_key.empty())
            m_key.push_back(',');
        m_key += label.first;
        m_key.push_back(':');
        m_key += label.second;
    }
    // The labels of a point are looked up once; each of its series (buckets, count, sum) then by
    // its name and extra labels only.
    m_labelSet = &m_labelSets[m_key];
}

SeriesId MetricWriter::sample(std::string_view name, std::string_view suffix,
                              std::initializer_list<Label> extra, std::string_view unit, qint64 timeNs,
                              double value)
{
    m_key.assign(name);
    m_key += suffix;
    const size_t nameEnd = m_key.size();
    for (const Label& label : extra) {
        m_key.push_back(',');
        m_key += label.first;
        m_key.push_back(':');
        m_key += label.second;
    }
    auto [it, inserted] = m_labelSet->try_emplace(m_key, 0);
    if (inserted) {
        if (++m_seriesCount > MaxSeries)
            throw ImportError(
                QStringLiteral("the file defines more than %L1 series (metric names and labels); "
                               "Lundi reads at most that many from one file")
                    .arg(qulonglong(MaxSeries)),
                m_offset);
        std::string labels = "{";
        const auto append = [&](const Label& label) {
            if (labels.size() > 1)
                labels.push_back(',');
            labels += label.first;
            labels.push_back(':');
            labels += label.second;
        };
        // An extra label (le, quantile) replaces a point attribute of its name.
        for (const Label& label : m_labels) {
            if (std::none_of(extra.begin(), extra.end(),
                             [&](const Label& e) { return e.first == label.first; }))
                append(label);
        }
        for (const Label& label : extra)
            append(label);
        labels.push_back('}');
        SeriesSpec spec;
        spec.name = QString::fromUtf8(m_key.data(), qsizetype(nameEnd));
        spec.labelsJson = QByteArray(labels.data(), qsizetype(labels.size()));
        spec.unit = QString::fromUtf8(unit.data(), qsizetype(unit.size()));
        it->second = m_sink.addSeries(spec);
    }
    m_sink.addSample(it->second, timeNs, value);
    return it->second;
}

void MetricWriter::writeRate(const MetricDraft& metric, const PointDraft& point, SeriesId series)
{
    const std::string unit = (metric.unit.empty() ? std::string("1") : metric.unit) + "/s";
    if (metric.temporality == Delta) {
        // A delta point is the increase over its own interval.
        if (point.hasStart && point.timeNs > point.startNs)
            sample(metric.name, ":rate", {}, unit, point.timeNs,
                   point.value / (double(point.timeNs - point.startNs) / 1e9));
        return;
    }
    // A NaN counter has no increase; the next point's rate spans it.
    if (metric.temporality != Cumulative || std::isnan(point.value))
        return;
    auto [it, first] = m_counters.try_emplace(series);
    Counter& last = it->second;
    if (!first && point.timeNs <= last.timeNs) {
        ++m_unorderedCounters;
        return;
    }
    const Counter previous = last;
    last = {point.timeNs, point.value};
    if (first)
        return;
    // A counter below its last value was reset, and counts again from zero.
    const double increase = point.value >= previous.value ? point.value - previous.value : point.value;
    sample(metric.name, ":rate", {}, unit, point.timeNs,
           increase / (double(point.timeNs - previous.timeNs) / 1e9));
}

void MetricWriter::writeAggregates(const MetricDraft& metric, const PointDraft& point)
{
    if (point.hasCount)
        sample(metric.name, "_count", {}, "1", point.timeNs, point.count);
    if (point.hasSum)
        sample(metric.name, "_sum", {}, metric.unit, point.timeNs, point.sum);
    if (point.hasMin)
        sample(metric.name, "_min", {}, metric.unit, point.timeNs, point.min);
    if (point.hasMax)
        sample(metric.name, "_max", {}, metric.unit, point.timeNs, point.max);
}

void MetricWriter::writeHistogram(const MetricDraft& metric, const PointDraft& point)
{
    if (!point.bucketCounts.empty()) {
        if (point.bucketCounts.size() != point.explicitBounds.size() + 1) {
            ++m_mismatchedBuckets;
        } else {
            double cumulative = 0;
            for (size_t i = 0; i < point.bucketCounts.size(); ++i) {
                cumulative += point.bucketCounts[i];
                const std::string le = i < point.explicitBounds.size() ? quotedBound(point.explicitBounds[i])
                                                                       : std::string("\"+Inf\"");
                sample(metric.name, "_bucket", {{"\"le\"", le}}, "1", point.timeNs, cumulative);
            }
        }
    }
    writeAggregates(metric, point);
}

void MetricWriter::writeExponentialHistogram(const MetricDraft& metric, const PointDraft& point)
{
    // Bucket i holds the values in (base^i, base^(i+1)], base = 2^(2^-scale).
    const double step = std::exp2(-double(point.scale));
    for (size_t k = 0; k < point.positive.counts.size(); ++k) {
        const double index = double(point.positive.offset) + double(k);
        sample(metric.name, "_bucket",
               {{"\"lower\"", quotedBound(std::exp2(index * step))},
                {"\"upper\"", quotedBound(std::exp2((index + 1) * step))}},
               "1", point.timeNs, point.positive.counts[k]);
    }
    for (size_t k = 0; k < point.negative.counts.size(); ++k) {
        const double index = double(point.negative.offset) + double(k);
        sample(metric.name, "_bucket",
               {{"\"lower\"", quotedBound(-std::exp2((index + 1) * step))},
                {"\"upper\"", quotedBound(-std::exp2(index * step))}},
               "1", point.timeNs, point.negative.counts[k]);
    }
    if (point.hasZeroCount)
        sample(metric.name, "_zero_count", {}, "1", point.timeNs, point.zeroCount);
    writeAggregates(metric, point);
}

void MetricWriter::writeSummary(const MetricDraft& metric, const PointDraft& point)
{
    for (const auto& [quantile, value] : point.quantiles)
        sample(metric.name, "", {{"\"quantile\"", quotedBound(quantile)}}, metric.unit, point.timeNs, value);
    writeAggregates(metric, point);
}

void MetricWriter::write(const MetricDraft& metric, const ResourceDraft& resource, const ScopeDraft& scope,
                         qint64 offset)
{
    m_offset = offset;
    if (metric.type == MetricType::None) {
        ++m_withoutData;
        return;
    }
    m_scopeName.clear();
    m_scopeVersion.clear();
    if (!scope.name.empty())
        appendJsonString(m_scopeName, scope.name);
    if (!scope.version.empty())
        appendJsonString(m_scopeVersion, scope.version);
    for (size_t i = 0; i < metric.pointCount; ++i) {
        const PointDraft& point = metric.points[i];
        ++m_points;
        if (!point.hasTime || point.timeNs == 0) {
            ++m_withoutTime;
            continue;
        }
        if (point.flags & NoRecordedValue) {
            ++m_withoutValue;
            continue;
        }
        collectLabels(point, resource, scope);
        switch (metric.type) {
        case MetricType::Gauge:
        case MetricType::Sum:
            if (!point.hasValue) {
                ++m_withoutValue;
                break;
            }
            if (const SeriesId series = sample(metric.name, "", {}, metric.unit, point.timeNs, point.value);
                metric.type == MetricType::Sum && metric.monotonic)
                writeRate(metric, point, series);
            break;
        case MetricType::Histogram:
            writeHistogram(metric, point);
            break;
        case MetricType::ExponentialHistogram:
            writeExponentialHistogram(metric, point);
            break;
        case MetricType::Summary:
            writeSummary(metric, point);
            break;
        case MetricType::None:
            break;
        }
        writeExemplars(metric, point);
    }
}

void MetricWriter::writeExemplars(const MetricDraft& metric, const PointDraft& point)
{
    for (const ExemplarDraft& exemplar : point.exemplars) {
        if (!exemplar.hasValue) {
            ++m_exemplarsWithoutValue;
            continue;
        }
        // As the Prometheus importer keeps exemplars: a series "NAME:exemplar" of the point's
        // labels and the exemplar's trace_id and span_id, so that a sample leads to its trace.
        const qint64 timeNs = exemplar.hasTime && exemplar.timeNs ? exemplar.timeNs : point.timeNs;
        const std::string traceId = '"' + exemplar.traceId + '"';
        const std::string spanId = '"' + exemplar.spanId + '"';
        if (exemplar.traceId.empty())
            sample(metric.name, ":exemplar", {}, metric.unit, timeNs, exemplar.value);
        else if (exemplar.spanId.empty())
            sample(metric.name, ":exemplar", {{"\"trace_id\"", traceId}}, metric.unit, timeNs,
                   exemplar.value);
        else
            sample(metric.name, ":exemplar", {{"\"span_id\"", spanId}, {"\"trace_id\"", traceId}},
                   metric.unit, timeNs, exemplar.value);
    }
}

void MetricWriter::finish()
{
    const auto warn = [this](qint64 count, const char* singular, const char* plural) {
        if (count)
            m_sink.warn(countSentence(count, singular, plural));
    };
    warn(m_withoutData,
         "1 metric had no gauge, sum, histogram, exponentialHistogram or summary; it was left out.",
         "%1 metrics had no gauge, sum, histogram, exponentialHistogram or summary; they were left out.");
    warn(m_withoutTime, "1 data point had no \"timeUnixNano\"; it was left out.",
         "%1 data points had no \"timeUnixNano\"; they were left out.");
    warn(m_withoutValue, "1 data point had no recorded value; it was left out.",
         "%1 data points had no recorded value; they were left out.");
    warn(m_exemplarsWithoutValue, "1 exemplar had no \"asDouble\" or \"asInt\"; it was left out.",
         "%1 exemplars had no \"asDouble\" or \"asInt\"; they were left out.");
    warn(
        m_mismatchedBuckets,
        "1 histogram data point had a number of \"bucketCounts\" other than \"explicitBounds\" plus one; its "
        "buckets were left out.",
        "%1 histogram data points had a number of \"bucketCounts\" other than \"explicitBounds\" plus one; "
        "their buckets were left out.");
    warn(
        m_unorderedCounters,
        "1 data point of a cumulative sum was not later than the one before it; no rate was computed for it.",
        "%1 data points of cumulative sums were not later than the one before them; no rate was computed for "
        "them.");
}

} // namespace lundi::otlp
