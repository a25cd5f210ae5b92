#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lundi::gpucsv {

// What a column of a GPU dump is to the importer.
enum class ColumnRole {
    Ignored,   // identity or version text that is no measurement (serial, driver_version, pci.*)
    Value,     // a measurement: each number in it is a sample of a series named after the column
    Label,     // names what the row measures (a GPU's index or uuid, a process id)
    Time,      // a timestamp, ISO 8601 or an epoch number
    Date,      // nvidia-smi dmon -o D: 20240501
    TimeOfDay, // nvidia-smi dmon -o T: 12:00:00
};

struct ColumnSpec
{
    ColumnRole role = ColumnRole::Ignored;
    std::string name; // the series name of a value, the label key of a label
    std::string unit; // from the header ("MiB" of "memory.used [MiB]"), or what is known of the field
    bool operator==(const ColumnSpec&) const = default;
};

// A column of an nvidia-smi --query-* CSV or of a generic CSV, from its header cell:
// "memory.used [MiB]", "power (W)", "timestamp". nvidia-smi's identity fields become labels
// (index as "gpu", uuid, name, pci.bus_id, pid, process_name as "process"), its version and
// serial fields are ignored, and every other column is a value.
ColumnSpec csvColumn(std::string_view header);

// A column of nvidia-smi dmon or pmon ("pwr" with the unit "W" from the line under the names).
// Quantities that --query-gpu also reports take its field names, so that both line up
// (dmon's sm is utilization.gpu, pwr is power.draw, fb is memory.used); the others are named
// "dmon.<column>" or "pmon.<column>".
ColumnSpec smiMonitorColumn(bool perProcess, std::string_view name, std::string_view unit);

// A field column of dcgmi dmon ("GPUTL", "POWER", "SMACT"); the same idea as above, the
// others named "dcgm.<field>".
ColumnSpec dcgmColumn(std::string_view field);

// Whether a header cell names a field only nvidia-smi writes ("utilization.gpu", "gpu_uuid").
bool isNvidiaSmiField(std::string_view header);
// Whether a header cell names a time column ("timestamp", "time [ms]", "Date").
bool isTimeName(std::string_view header);

} // namespace lundi::gpucsv
