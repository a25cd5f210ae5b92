#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lundi::prometheus {

enum class MetricType : quint8 {
    Untyped,
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
    Unknown
};

// What a sample line is within its family: the value itself, or one of the parts that a
// counter, histogram, summary or info family writes as name_suffix.
enum class SampleRole : quint8 {
    Value,
    Total,
    Created,
    Bucket,
    Sum,
    Count,
    GaugeSum,
    GaugeCount,
    Quantile,
    Info
};

struct MetricFamily
{
    MetricType type = MetricType::Untyped;
    bool typed = false;
    std::optional<std::string> help;
    std::optional<std::string> unit;
};

struct SampleFamily
{
    const MetricFamily* family = nullptr; // null: a sample of an undeclared metric
    SampleRole role = SampleRole::Value;
    // Whether the sample's value is in the family's unit (a histogram's _sum is, its _count not).
    bool inUnit() const;
};

// The metric families an exposition declares with # TYPE, # HELP and # UNIT, and which family
// a sample belongs to (http_seconds_bucket to the histogram http_seconds). Throws ImportError
// for a type nobody defines, a family declared with two types, or more families than
// MaxFamilies.
class MetricFamilies
{
  public:
    static constexpr qsizetype MaxFamilies = 100'000;

    // Returns the type declared.
    MetricType declareType(std::string_view name, std::string_view type, qint64 offset);
    void declareHelp(std::string_view name, std::string_view help, qint64 offset);
    void declareUnit(std::string_view name, std::string_view unit, qint64 offset);

    SampleFamily familyOf(std::string_view sampleName);

    // TYPE lines that repeat a family's type (a family declared again further down).
    qsizetype repeatedTypes() const { return m_repeatedTypes; }
    // HELP and UNIT lines that differ from an earlier one for the same family; the first is kept.
    qsizetype conflictingTexts() const { return m_conflictingTexts; }
    // {"name": {"type": ..., "help": ..., "unit": ...}} for every family declared, by name.
    QByteArray json() const;

    static bool isOpenMetricsOnly(MetricType type);

  private:
    struct NameHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
    };

    MetricFamily& declare(std::string_view name, qint64 offset);
    void keepFirst(std::optional<std::string>& field, std::string_view text);

    std::unordered_map<std::string, MetricFamily, NameHash, std::equal_to<>> m_families;
    // Consecutive samples mostly share their name: the last answer, until a declaration.
    std::string m_lastSampleName;
    SampleFamily m_lastFamily;
    bool m_lastValid = false;
    qsizetype m_repeatedTypes = 0;
    qsizetype m_conflictingTexts = 0;
};

} // namespace lundi::prometheus
