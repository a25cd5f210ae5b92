#pragma once

#include "drafts.h"

#include <initializer_list>
#include <unordered_map>

namespace lundi {
class Sink;
} // namespace lundi

namespace lundi::otlp {

// Turns OTLP metrics into series and samples, one series per name and labels (the data point's,
// scope's and resource's attributes), the way Prometheus names them: a gauge or sum as itself
// (a monotonic sum also as "<name>:rate" per second), a histogram as cumulative "<name>_bucket"
// series by "le" with "<name>_count" and "<name>_sum", an exponential histogram as one
// "<name>_bucket" series per bucket by "lower" and "upper" bound, a summary by "quantile".
class MetricWriter
{
  public:
    explicit MetricWriter(Sink& sink);

    // offset: where the input is, for the sentence when there are too many series.
    void write(const MetricDraft& metric, const ResourceDraft& resource, const ScopeDraft& scope,
               qint64 offset);
    qint64 pointCount() const { return m_points; }
    // The warnings about what was odd in the points.
    void finish();

  private:
    using Label = std::pair<std::string_view, std::string_view>; // quoted key, JSON value

    void collectLabels(const PointDraft& point, const ResourceDraft& resource, const ScopeDraft& scope);
    // Writes one sample to the series of that name, the point's labels and the extra ones, made
    // on first use; returns the series.
    SeriesId sample(std::string_view name, std::string_view suffix, std::initializer_list<Label> extra,
                    std::string_view unit, qint64 timeNs, double value);
    // series: where the point's value went.
    void writeRate(const MetricDraft& metric, const PointDraft& point, SeriesId series);
    // count, sum, min and max, where the point has them.
    void writeAggregates(const MetricDraft& metric, const PointDraft& point);
    void writeHistogram(const MetricDraft& metric, const PointDraft& point);
    void writeExponentialHistogram(const MetricDraft& metric, const PointDraft& point);
    // Each exemplar with a value as a sample of its own series (see the Prometheus importer).
    void writeExemplars(const MetricDraft& metric, const PointDraft& point);
    void writeSummary(const MetricDraft& metric, const PointDraft& point);

    // The last point of a cumulative monotonic sum, for its rate.
    struct Counter
    {
        qint64 timeNs = 0;
        double value = 0;
    };

    Sink& m_sink;
    qint64 m_offset = 0;
    qint64 m_points = 0;
    // The series by their labels (JSON members, sorted), then by name and extra labels.
    using LabelSet = std::unordered_map<std::string, SeriesId>;
    std::unordered_map<std::string, LabelSet> m_labelSets;
    LabelSet* m_labelSet = nullptr; // of the point being written
    size_t m_seriesCount = 0;
    std::unordered_map<SeriesId, Counter> m_counters;
    std::vector<Label> m_labels; // of the point being written, sorted by key
    std::string m_scopeName;     // quoted, for the labels
    std::string m_scopeVersion;
    std::string m_key; // scratch
    qint64 m_withoutTime = 0;
    qint64 m_withoutValue = 0;
    qint64 m_exemplarsWithoutValue = 0;
    qint64 m_mismatchedBuckets = 0;
    qint64 m_unorderedCounters = 0;
    qint64 m_withoutData = 0;
};

} // namespace lundi::otlp
