#pragma once

#include <QtGlobal>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lundi {

// What decides a span's category among its attributes, read from their JSON object without
// parsing it: a hash of the top-level keys in order, and the raw values of the keys whose
// value a rule reads. Spans alike in both get the same category, so it is worked out once.
struct AttributeSummary
{
    quint64 keysHash = 0;
    std::string decisiveValues; // "key\x1fvalue\x1e" for each decisive key, in order

    // Nothing where the text is not one well-formed JSON object.
    static std::optional<AttributeSummary> of(std::string_view json,
                                              const std::function<bool(std::string_view key)>& decisive);
};

} // namespace lundi
