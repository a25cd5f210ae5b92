#include "metricfamilies.h"

#include "ingest/importerror.h"

#include <QByteArrayView>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <vector>

namespace lundi::prometheus {

namespace {

struct TypeName
{
    MetricType type;
    std::string_view name;
};

// OpenMetrics's types; "untyped" is 0.0.4's name for its "unknown".
constexpr std::array<TypeName, 9> TypeNames = {{
    {MetricType::Counter, "counter"},
    {MetricType::Gauge, "gauge"},
    {MetricType::Histogram, "histogram"},
    {MetricType::GaugeHistogram, "gaugehistogram"},
    {MetricType::Summary, "summary"},
    {MetricType::Info, "info"},
    {MetricType::StateSet, "stateset"},
    {MetricType::Unknown, "unknown"},
    {MetricType::Untyped, "untyped"},
}};

std::string_view nameOf(MetricType type)
{
    return std::find_if(TypeNames.begin(), TypeNames.end(), [&](const TypeName& t) { return t.type == type; })
        ->name;
}

struct Suffix
{
    std::string_view text;
    SampleRole role;
};

constexpr std::array<Suffix, 8> Suffixes = {{
    {"_bucket", SampleRole::Bucket},
    {"_count", SampleRole::Count},
    {"_sum", SampleRole::Sum},
    {"_total", SampleRole::Total},
    {"_created", SampleRole::Created},
    {"_gcount", SampleRole::GaugeCount},
    {"_gsum", SampleRole::GaugeSum},
    {"_info", SampleRole::Info},
}};

// Which name_suffix samples a family of this type writes.
bool writes(MetricType type, SampleRole role)
{
    switch (type) {
    case MetricType::Counter:
        return role == SampleRole::Total || role == SampleRole::Created;
    case MetricType::Histogram:
        return role == SampleRole::Bucket || role == SampleRole::Sum || role == SampleRole::Count ||
               role == SampleRole::Created;
    case MetricType::GaugeHistogram:
        return role == SampleRole::Bucket || role == SampleRole::GaugeSum || role == SampleRole::GaugeCount;
    case MetricType::Summary:
        return role == SampleRole::Sum || role == SampleRole::Count || role == SampleRole::Created;
    case MetricType::Info:
        return role == SampleRole::Info;
    default:
        return false;
    }
}

QString quoted(std::string_view name)
{
    return QStringLiteral("\"%1\"").arg(QString::fromUtf8(name.data(), qsizetype(name.size())));
}

void requireUtf8(std::string_view text, const char* what, std::string_view name, qint64 offset)
{
    if (!QByteArrayView(text.data(), qsizetype(text.size())).isValidUtf8())
        throw ImportError(
            QStringLiteral("the %1 of %2 is not valid UTF-8").arg(QLatin1String(what), quoted(name)), offset);
}

} // namespace

bool SampleFamily::inUnit() const
{
    switch (role) {
    case SampleRole::Value:
    case SampleRole::Total:
    case SampleRole::Sum:
    case SampleRole::GaugeSum:
    case SampleRole::Quantile:
        return true;
    default:
        return false;
    }
}

bool MetricFamilies::isOpenMetricsOnly(MetricType type)
{
    return type == MetricType::GaugeHistogram || type == MetricType::Info || type == MetricType::StateSet ||
           type == MetricType::Unknown;
}

MetricFamily& MetricFamilies::declare(std::string_view name, qint64 offset)
{
    m_lastValid = false;
    auto it = m_families.find(name);
    if (it != m_families.end())
        return it->second;
    if (qsizetype(m_families.size()) >= MaxFamilies)
        throw ImportError(
            QStringLiteral("the file declares more than %1 metric families; Lundi reads at most "
                           "that many from one file")
                .arg(MaxFamilies),
            offset);
    return m_families.try_emplace(std::string(name)).first->second;
}

MetricType MetricFamilies::declareType(std::string_view name, std::string_view type, qint64 offset)
{
    const auto known =
        std::find_if(TypeNames.begin(), TypeNames.end(), [&](const TypeName& t) { return t.name == type; });
    if (known == TypeNames.end())
        throw ImportError(
            QStringLiteral("%1 is declared with the type %2, which is none of counter, gauge, histogram, "
                           "gaugehistogram, summary, info, stateset, unknown or untyped")
                .arg(quoted(name), QString::fromUtf8(type.data(), qsizetype(type.size()))),
            offset);
    MetricFamily& family = declare(name, offset);
    if (family.typed && family.type != known->type)
        throw ImportError(QStringLiteral("%1 is declared a second time, as %2 after %3")
                              .arg(quoted(name), quoted(known->name), quoted(nameOf(family.type))),
                          offset);
    if (family.typed)
        ++m_repeatedTypes;
    family.typed = true;
    family.type = known->type;
    return family.type;
}

void MetricFamilies::keepFirst(std::optional<std::string>& field, std::string_view text)
{
    if (field)
        m_conflictingTexts += *field != text;
    else
        field = text;
}

void MetricFamilies::declareHelp(std::string_view name, std::string_view help, qint64 offset)
{
    requireUtf8(help, "HELP text", name, offset);
    keepFirst(declare(name, offset).help, help);
}

void MetricFamilies::declareUnit(std::string_view name, std::string_view unit, qint64 offset)
{
    requireUtf8(unit, "UNIT", name, offset);
    keepFirst(declare(name, offset).unit, unit);
}

SampleFamily MetricFamilies::familyOf(std::string_view sampleName)
{
    if (m_lastValid && sampleName == m_lastSampleName)
        return m_lastFamily;
    SampleFamily found;
    const auto exact = m_families.find(sampleName);
    if (exact != m_families.end() && exact->second.typed) {
        const MetricType type = exact->second.type;
        found = {&exact->second, type == MetricType::Summary ? SampleRole::Quantile : SampleRole::Value};
    } else {
        for (const Suffix& suffix : Suffixes) {
            if (!sampleName.ends_with(suffix.text))
                continue;
            const auto base = m_families.find(sampleName.substr(0, sampleName.size() - suffix.text.size()));
            if (base != m_families.end() && base->second.typed && writes(base->second.type, suffix.role)) {
                found = {&base->second, suffix.role};
                break;
            }
        }
        // A metric with HELP or UNIT and no TYPE is untyped, but keeps its unit.
        if (!found.family && exact != m_families.end())
            found = {&exact->second, SampleRole::Value};
    }
    m_lastSampleName = sampleName;
    m_lastFamily = found;
    m_lastValid = true;
    return found;
}

QByteArray MetricFamilies::json() const
{
    std::vector<const std::pair<const std::string, MetricFamily>*> families;
    families.reserve(m_families.size());
    for (const auto& entry : m_families)
        families.push_back(&entry);
    std::sort(families.begin(), families.end(), [](auto* a, auto* b) { return a->first < b->first; });

    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto* entry : families) {
        const MetricFamily& family = entry->second;
        writer.Key(entry->first.data(), rapidjson::SizeType(entry->first.size()));
        writer.StartObject();
        if (family.typed) {
            const std::string_view type = nameOf(family.type);
            writer.Key("type");
            writer.String(type.data(), rapidjson::SizeType(type.size()));
        }
        if (family.help) {
            writer.Key("help");
            writer.String(family.help->data(), rapidjson::SizeType(family.help->size()));
        }
        if (family.unit) {
            writer.Key("unit");
            writer.String(family.unit->data(), rapidjson::SizeType(family.unit->size()));
        }
        writer.EndObject();
    }
    writer.EndObject();
    return QByteArray(buffer.GetString(), qsizetype(buffer.GetSize()));
}

} // namespace lundi::prometheus
