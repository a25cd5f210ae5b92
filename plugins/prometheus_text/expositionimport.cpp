#include "expositionimport.h"

#include "ingest/importcontrol.h"
#include "ingest/importerror.h"
#include "ingest/sink.h"
#include "timeformat.h"

#include <QByteArrayView>

#include <rapidjson/writer.h>

#include <algorithm>

namespace lundi::prometheus {

namespace {

QString quoted(std::string_view text)
{
    return QStringLiteral("\"%1\"").arg(QString::fromUtf8(text.data(), qsizetype(text.size())));
}

bool byName(const Label& a, const Label& b)
{
    return a.name < b.name;
}

} // namespace

ExpositionImport::ExpositionImport(std::string_view data, Sink& sink, ImportControl& control)
    : m_data(data), m_dialect(endsWithEof(data) ? Dialect::OpenMetrics : Dialect::Text004),
      m_parser(data, m_dialect), m_sink(sink), m_control(control), m_undatedNs(control.undatedTimeNs())
{
}

bool ExpositionImport::endsWithEof(std::string_view data)
{
    const size_t last = data.find_last_not_of(" \t\r\n");
    if (last == std::string_view::npos)
        return false;
    data = data.substr(0, last + 1);
    if (!data.ends_with("# EOF"))
        return false;
    return data.size() == 5 || data[data.size() - 6] == '\n';
}

void ExpositionImport::run()
{
    ExpositionLine line;
    qint64 lineStart = m_parser.offset();
    while (m_parser.next(line)) {
        ++m_lineNumber;
        if (m_eofLines && line.kind != ExpositionLine::Kind::Blank && line.kind != ExpositionLine::Kind::Eof)
            ++m_linesAfterEof;
        switch (line.kind) {
        case ExpositionLine::Kind::Blank:
        case ExpositionLine::Kind::Comment:
            break;
        case ExpositionLine::Kind::Eof:
            ++m_eofLines;
            break;
        case ExpositionLine::Kind::Help:
        case ExpositionLine::Kind::Type:
        case ExpositionLine::Kind::Unit:
            declare(line, lineStart);
            break;
        case ExpositionLine::Kind::Sample:
            addSample(line, lineStart);
            break;
        }
        if (m_lineNumber % 4096 == 0)
            m_control.progress(m_parser.offset());
        lineStart = m_parser.offset();
    }
    finish();
}

void ExpositionImport::declare(const ExpositionLine& line, qint64 offset)
{
    if (line.kind == ExpositionLine::Kind::Help) {
        m_families.declareHelp(line.name, line.text, offset);
    } else if (line.kind == ExpositionLine::Kind::Unit) {
        m_families.declareUnit(line.name, line.text, offset);
        noteOpenMetrics("# UNIT");
    } else if (MetricFamilies::isOpenMetricsOnly(m_families.declareType(line.name, line.text, offset))) {
        noteOpenMetrics("a type only OpenMetrics has");
    }
}

void ExpositionImport::addSample(ExpositionLine& line, qint64 offset)
{
    const SampleFamily family = m_families.familyOf(line.name);
    if (family.role == SampleRole::Bucket)
        checkBound(line, "le", "histogram bucket", offset);
    else if (family.role == SampleRole::Quantile)
        checkBound(line, "quantile", "summary quantile", offset);
    sortLabels(line.labels);
    const qint64 timeNs = line.timeNs.value_or(m_undatedNs);
    const bool hasUnit = family.family && family.family->unit && family.inUnit();
    m_sink.addSample(
        seriesOf(line.name, line.labels, false, hasUnit ? *family.family->unit : std::string_view(), offset),
        timeNs, line.value);
    ++m_samples;
    m_undated += !line.timeNs;
    if (line.hasExemplar)
        addExemplar(line, timeNs, offset);
}

void ExpositionImport::addExemplar(ExpositionLine& line, qint64 sampleTimeNs, qint64 offset)
{
    noteOpenMetrics("an exemplar");
    // The sample's labels and the exemplar's in one set; the exemplar's win a clash, so that its
    // trace id is never lost.
    sortLabels(line.exemplarLabels);
    m_exemplarSeriesLabels.clear();
    auto sample = line.labels.begin();
    auto exemplar = line.exemplarLabels.begin();
    while (sample != line.labels.end() || exemplar != line.exemplarLabels.end()) {
        if (exemplar == line.exemplarLabels.end() ||
            (sample != line.labels.end() && sample->name < exemplar->name)) {
            m_exemplarSeriesLabels.push_back(*sample++);
            continue;
        }
        if (sample != line.labels.end() && sample->name == exemplar->name)
            ++sample;
        m_exemplarSeriesLabels.push_back(*exemplar++);
    }
    m_sink.addSample(seriesOf(line.name, m_exemplarSeriesLabels, true, {}, offset),
                     line.exemplarTimeNs.value_or(sampleTimeNs), line.exemplarValue);
    ++m_samples;
    m_undated += !line.exemplarTimeNs && !line.timeNs;
}

void ExpositionImport::checkBound(const ExpositionLine& line, std::string_view label, const char* family,
                                  qint64 offset) const
{
    const auto bound =
        std::find_if(line.labels.begin(), line.labels.end(), [&](const Label& l) { return l.name == label; });
    if (bound == line.labels.end())
        throw ImportError(QStringLiteral("the %1 %2 has no %3 label")
                              .arg(QLatin1String(family), quoted(line.name), quoted(label)),
                          offset);
    double value = 0;
    if (!ExpositionParser::parseValue(bound->value, value))
        throw ImportError(QStringLiteral("the %1 %2 has %3=%4, which is not a number")
                              .arg(QLatin1String(family), quoted(line.name),
                                   QLatin1String(label.data(), qsizetype(label.size())),
                                   quoted(bound->value)),
                          m_parser.offsetOf(bound->quoted.data()));
}

void ExpositionImport::sortLabels(std::vector<Label>& labels) const
{
    // Mostly written in order already: one pass finds them strictly ascending, hence also unique.
    const auto notAscending = [](const Label& a, const Label& b) { return !(a.name < b.name); };
    if (std::adjacent_find(labels.begin(), labels.end(), notAscending) == labels.end())
        return;
    std::sort(labels.begin(), labels.end(), byName);
    const auto twice = std::adjacent_find(labels.begin(), labels.end(),
                                          [](const Label& a, const Label& b) { return a.name == b.name; });
    if (twice != labels.end())
        throw ImportError(QStringLiteral("the label %1 is given twice").arg(quoted(twice->name)),
                          m_parser.offsetOf(std::max(twice->name.data(), (twice + 1)->name.data())));
}

SeriesId ExpositionImport::seriesOf(std::string_view name, const std::vector<Label>& labels, bool exemplar,
                                    std::string_view unit, qint64 offset)
{
    // Unambiguous whatever the bytes of the values: names cannot hold '\0', values come with
    // their length.
    m_identity.clear();
    m_identity.push_back(exemplar ? '\1' : '\0');
    m_identity.append(name);
    for (const Label& label : labels) {
        const auto size = quint32(label.value.size());
        m_identity.push_back('\0');
        m_identity.append(label.name);
        m_identity.push_back('\0');
        m_identity.append(reinterpret_cast<const char*>(&size), sizeof size);
        m_identity.append(label.value);
    }
    SeriesId* series = m_index.find(m_identity);
    if (!series)
        throw ImportError(
            QStringLiteral("the file has more than %1 distinct series (metric name and labels); "
                           "Lundi reads at most that many from one file: split or filter it")
                .arg(SeriesIndex::MaxSeries),
            offset);
    if (!*series) {
        QString seriesName = QString::fromUtf8(name.data(), qsizetype(name.size()));
        if (exemplar)
            seriesName += QLatin1String(":exemplar");
        *series = m_sink.addSeries(
            {seriesName, labelsJson(labels), QString::fromUtf8(unit.data(), qsizetype(unit.size())), 0});
    }
    return *series;
}

QByteArray ExpositionImport::labelsJson(const std::vector<Label>& labels)
{
    m_json.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> writer(m_json);
    writer.StartObject();
    for (const Label& label : labels) {
        if (!QByteArrayView(label.value.data(), qsizetype(label.value.size())).isValidUtf8())
            throw ImportError(
                QStringLiteral("the value of label %1 is not valid UTF-8").arg(quoted(label.name)),
                m_parser.offsetOf(label.quoted.data()));
        writer.Key(label.name.data(), rapidjson::SizeType(label.name.size()));
        writer.String(label.value.data(), rapidjson::SizeType(label.value.size()));
    }
    writer.EndObject();
    return QByteArray(m_json.GetString(), qsizetype(m_json.GetSize()));
}

void ExpositionImport::noteOpenMetrics(const char* sign)
{
    if (!m_openMetricsSign) {
        m_openMetricsSign = sign;
        m_openMetricsLine = m_lineNumber;
    }
}

void ExpositionImport::finish()
{
    m_control.progress(qint64(m_data.size()));
    if (m_samples == 0)
        m_sink.warn(QStringLiteral("The file has no samples."));
    const QString dated =
        QStringLiteral("dated %1 (from %2)").arg(TimeFormat::utc(m_undatedNs), m_control.undatedTimeOrigin());
    if (m_undated && m_undated == m_samples)
        m_sink.warn(QStringLiteral("The dump has no timestamps; its samples are %1.").arg(dated));
    else if (m_undated)
        m_sink.warn(QStringLiteral("%1 of %2 samples have no timestamp; they are %3.")
                        .arg(m_undated)
                        .arg(m_samples)
                        .arg(dated));
    if (m_families.repeatedTypes())
        m_sink.warn(
            QStringLiteral("%1 # TYPE lines declare a metric again; its samples were read as one family.")
                .arg(m_families.repeatedTypes()));
    if (m_families.conflictingTexts())
        m_sink.warn(
            QStringLiteral("%1 # HELP or # UNIT lines differ from an earlier one for the same metric; "
                           "the first was kept.")
                .arg(m_families.conflictingTexts()));
    if (m_dialect == Dialect::Text004 && m_openMetricsSign)
        m_sink.warn(
            QStringLiteral("The file is OpenMetrics (%1 on line %2) but does not end with \"# EOF\": it "
                           "may be cut short, and its timestamps were read as milliseconds, as in the "
                           "Prometheus text format.")
                .arg(QLatin1String(m_openMetricsSign))
                .arg(m_openMetricsLine));
    if (m_linesAfterEof)
        m_sink.warn(QStringLiteral("%1 lines follow a \"# EOF\"; they were read too (dumps put one after "
                                   "another?).")
                        .arg(m_linesAfterEof));

    QByteArray metadata = m_dialect == Dialect::OpenMetrics
                              ? R"({"exposition":"OpenMetrics 1.0","metrics":)"
                              : R"({"exposition":"Prometheus text 0.0.4","metrics":)";
    metadata += m_families.json();
    metadata += '}';
    m_sink.setMetadata(metadata);
}

} // namespace lundi::prometheus
