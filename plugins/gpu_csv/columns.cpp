#include "columns.h"

#include <algorithm>
#include <array>
#include <utility>

namespace lundi::gpucsv {

namespace {

using Pair = std::pair<std::string_view, std::string_view>;

std::string lowerCase(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
    return lower;
}

template <size_t N> std::string_view lookUp(const std::array<Pair, N>& table, std::string_view key)
{
    for (const auto& [from, to] : table) {
        if (from == key)
            return to;
    }
    return {};
}

bool startsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes)
{
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view prefix) { return text.starts_with(prefix); });
}

// "memory.used [MiB]" or "power (W)": the name and the unit.
std::pair<std::string_view, std::string_view> splitUnit(std::string_view header)
{
    if (header.size() > 2 && (header.back() == ']' || header.back() == ')')) {
        const char open = header.back() == ']' ? '[' : '(';
        const size_t at = header.rfind(open);
        if (at != std::string_view::npos && at > 0) {
            std::string_view name = header.substr(0, at);
            while (!name.empty() && name.back() == ' ')
                name.remove_suffix(1);
            if (!name.empty())
                return {name, header.substr(at + 1, header.size() - at - 2)};
        }
    }
    return {header, {}};
}

// nvidia-smi's identity fields, and the generic names of the same, as label keys.
constexpr std::array<Pair, 15> LabelFields{{
    {"index", "gpu"},
    {"gpu", "gpu"},
    {"gpu_index", "gpu"},
    {"uuid", "uuid"},
    {"gpu_uuid", "uuid"},
    {"name", "name"},
    {"gpu_name", "name"},
    {"pci.bus_id", "pci.bus_id"},
    {"gpu_bus_id", "pci.bus_id"},
    {"pid", "pid"},
    {"process_name", "process"},
    {"gpu_instance_id", "gpu_instance_id"},
    {"compute_instance_id", "compute_instance_id"},
    {"hostname", "host"},
    {"host", "host"},
}};

// Numbers that identify or version, not measure.
bool isIdentityField(std::string_view lower)
{
    static constexpr std::array<std::string_view, 8> Exact{
        "serial",        "gpu_serial",  "driver_version",  "kmd_version",
        "vbios_version", "compute_cap", "fabric.cliqueid", "fabric.clusteruuid"};
    return std::find(Exact.begin(), Exact.end(), lower) != Exact.end() ||
           startsWithAny(lower, {"inforom.", "platform.", "pci.", "retired_pages.address"});
}

// Units nvidia-smi leaves out of the header although the field has one.
std::string_view knownUnit(std::string_view name)
{
    return name.starts_with("temperature.") ? "°C" : std::string_view();
}

// dmon and pmon abbreviate units in the line under the names.
std::string monitorUnit(std::string_view unit)
{
    if (unit == "C")
        return "°C";
    if (unit == "Idx" || unit == "#" || unit == "C/G" || unit == "name" || unit == "-")
        return {};
    return std::string(unit);
}

ColumnSpec value(std::string_view name, std::string_view unit)
{
    return {ColumnRole::Value, std::string(name), std::string(unit.empty() ? knownUnit(name) : unit)};
}

} // namespace

bool isTimeName(std::string_view header)
{
    const std::string lower = lowerCase(splitUnit(header).first);
    static constexpr std::array<std::string_view, 7> Names{"timestamp", "time",  "ts",       "datetime",
                                                           "date_time", "epoch", "unix_time"};
    return std::find(Names.begin(), Names.end(), lower) != Names.end() ||
           startsWithAny(lower, {"timestamp_", "time_", "ts_", "epoch_"});
}

namespace {

// The unit a time column's name ends in ("time_ns", "timestamp_ms"), or none.
std::string_view timeUnitSuffix(std::string_view lower)
{
    for (const std::string_view unit : {"s", "ms", "us", "ns"}) {
        if (lower.size() > unit.size() + 1 && lower.ends_with(unit) &&
            lower[lower.size() - unit.size() - 1] == '_')
            return unit;
    }
    return {};
}

} // namespace

bool isNvidiaSmiField(std::string_view header)
{
    const std::string lower = lowerCase(splitUnit(header).first);
    static constexpr std::array<std::string_view, 9> Exact{
        "gpu_uuid",    "gpu_bus_id",     "gpu_name", "gpu_serial",  "used_gpu_memory",
        "used_memory", "driver_version", "pstate",   "process_name"};
    return std::find(Exact.begin(), Exact.end(), lower) != Exact.end() ||
           startsWithAny(lower, {"utilization.", "memory.", "temperature.", "power.", "clocks.",
                                 "clocks_event_reasons", "clocks_throttle_reasons", "pcie.", "ecc.", "fan.",
                                 "pci.", "encoder.", "enforced.power."});
}

ColumnSpec csvColumn(std::string_view header)
{
    const auto [name, unit] = splitUnit(header);
    const std::string lower = lowerCase(name);
    if (isTimeName(name))
        return {ColumnRole::Time, std::string(name),
                std::string(unit.empty() ? timeUnitSuffix(lower) : unit)};
    if (const std::string_view key = lookUp(LabelFields, lower); !key.empty())
        return {ColumnRole::Label, std::string(key), {}};
    if (isIdentityField(lower))
        return {ColumnRole::Ignored, std::string(name), {}};
    return value(name, unit);
}

ColumnSpec smiMonitorColumn(bool perProcess, std::string_view name, std::string_view unit)
{
    const std::string lower = lowerCase(name);
    if (lower == "date")
        return {ColumnRole::Date, std::string(name), {}};
    if (lower == "time")
        return {ColumnRole::TimeOfDay, std::string(name), {}};
    static constexpr std::array<Pair, 4> Labels{
        {{"gpu", "gpu"}, {"pid", "pid"}, {"type", "type"}, {"command", "process"}}};
    if (const std::string_view key = lookUp(Labels, lower); !key.empty())
        return {ColumnRole::Label, std::string(key), {}};
    static constexpr std::array<Pair, 12> Device{{
        {"pwr", "power.draw"},
        {"gtemp", "temperature.gpu"},
        {"mtemp", "temperature.memory"},
        {"sm", "utilization.gpu"},
        {"mem", "utilization.memory"},
        {"enc", "utilization.encoder"},
        {"dec", "utilization.decoder"},
        {"jpg", "utilization.jpeg"},
        {"ofa", "utilization.ofa"},
        {"mclk", "clocks.current.memory"},
        {"pclk", "clocks.current.graphics"},
        {"fb", "memory.used"},
    }};
    static constexpr std::array<Pair, 3> Process{{
        {"sm", "gpu_utilization"},
        {"mem", "mem_utilization"},
        {"fb", "used_gpu_memory"},
    }};
    const std::string_view known = perProcess ? lookUp(Process, lower) : lookUp(Device, lower);
    const std::string series =
        known.empty() ? (perProcess ? "pmon." : "dmon.") + std::string(name) : std::string(known);
    return value(series, monitorUnit(unit));
}

ColumnSpec dcgmColumn(std::string_view field)
{
    struct Known
    {
        std::string_view field, name, unit;
    };
    static constexpr std::array<Known, 12> Fields{{
        {"GPUTL", "utilization.gpu", "%"},
        {"MCUTL", "utilization.memory", "%"},
        {"ECUTL", "utilization.encoder", "%"},
        {"DCUTL", "utilization.decoder", "%"},
        {"POWER", "power.draw", "W"},
        {"TMPTR", "temperature.gpu", "°C"},
        {"MMTMP", "temperature.memory", "°C"},
        {"SMCLK", "clocks.current.sm", "MHz"},
        {"MMCLK", "clocks.current.memory", "MHz"},
        {"FBUSD", "memory.used", "MiB"},
        {"FBFRE", "memory.free", "MiB"},
        {"FBTTL", "memory.total", "MiB"},
    }};
    for (const Known& known : Fields) {
        if (known.field == field)
            return {ColumnRole::Value, std::string(known.name), std::string(known.unit)};
    }
    return {ColumnRole::Value, "dcgm." + std::string(field), {}};
}

} // namespace lundi::gpucsv
