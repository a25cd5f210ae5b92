#pragma once

#include "expositionparser.h"
#include "metricfamilies.h"
#include "seriesindex.h"

#include <rapidjson/stringbuffer.h>

namespace lundi {
class ImportControl;
class Sink;
} // namespace lundi

namespace lundi::prometheus {

// One import of a Prometheus or OpenMetrics exposition into a sink: a series per metric name
// and label set, each sample line one sample, an exemplar a sample of a series of its own;
// samples without a timestamp at the control's undated time. See PrometheusTextImporter.
class ExpositionImport
{
  public:
    ExpositionImport(std::string_view data, Sink& sink, ImportControl& control);
    void run();

    // OpenMetrics ends with "# EOF"; the Prometheus text format does not.
    static bool endsWithEof(std::string_view data);

  private:
    void declare(const ExpositionLine& line, qint64 offset);
    void addSample(ExpositionLine& line, qint64 offset);
    void addExemplar(ExpositionLine& line, qint64 sampleTimeNs, qint64 offset);
    void checkBound(const ExpositionLine& line, std::string_view label, const char* family,
                    qint64 offset) const;
    void sortLabels(std::vector<Label>& labels) const;
    SeriesId seriesOf(std::string_view name, const std::vector<Label>& labels, bool exemplar,
                      std::string_view unit, qint64 offset);
    QByteArray labelsJson(const std::vector<Label>& labels);
    void noteOpenMetrics(const char* sign);
    void finish();

    std::string_view m_data;
    Dialect m_dialect;
    ExpositionParser m_parser;
    Sink& m_sink;
    ImportControl& m_control;
    MetricFamilies m_families;
    SeriesIndex m_index;
    qint64 m_undatedNs;
    qint64 m_lineNumber = 0;
    std::string m_identity;
    std::vector<Label> m_exemplarSeriesLabels;
    rapidjson::StringBuffer m_json;
    qint64 m_samples = 0;
    qint64 m_undated = 0;
    qint64 m_eofLines = 0;
    qint64 m_linesAfterEof = 0;
    // The first thing only OpenMetrics writes, and its line, for a file without "# EOF".
    const char* m_openMetricsSign = nullptr;
    qint64 m_openMetricsLine = 0;
};

} // namespace lundi::prometheus
