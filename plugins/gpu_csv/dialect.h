#pragma once

#include <string_view>

namespace lundi::gpucsv {

// The kinds of GPU dump the importer reads, told apart by their first lines.
enum class Dialect {
    Unknown,
    SmiQueryCsv,      // nvidia-smi --query-gpu / --query-compute-apps ... --format=csv
    SmiHeaderlessCsv, // the same with noheader: values without column names
    GenericCsv,       // any CSV with a time column
    SmiDmon,          // nvidia-smi dmon: "# gpu   pwr  gtemp ..."
    SmiPmon,          // nvidia-smi pmon: "# gpu        pid  type ..."
    DcgmiDmon,        // dcgmi dmon: "#Entity   GPUTL  POWER ..."
    SmiCapture,       // many nvidia-smi commands in '####' banner sections (nvidia_gpu_exporter)
};

// Detection takes a CSV for one with a time column only when its first row holds a time there;
// an import that was told the format takes the header's word for it, and counts bad times.
enum class Sniff { Detect, Import };

// The dialect of the content that starts with head (a byte-order mark and blank lines allowed).
Dialect sniffDialect(std::string_view head, Sniff sniff);
// How sure detection may be of it: 0 to 100.
int dialectConfidence(Dialect dialect);
// What the source's metadata calls it: "nvidia-smi dmon".
const char* dialectName(Dialect dialect);

// Content without a UTF-8 byte-order mark.
std::string_view withoutBom(std::string_view text);

} // namespace lundi::gpucsv
