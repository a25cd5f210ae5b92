#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lundi::chrome {

// The scalar members of a JSON object's first level, as text (strings unquoted, numbers as
// written); nested values are passed over. For the few events whose args Lundi reads (counters,
// metadata); an iterative SAX pass, so deeply nested args cost no stack.
class TopLevelScalars
{
  public:
    static std::vector<std::pair<std::string, std::string>> read(std::string_view objectJson);
};

} // namespace lundi::chrome
