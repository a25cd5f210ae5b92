#pragma once

#include "category.h"
#include "model.h"

#include <string>
#include <string_view>
#include <unordered_map>

namespace lundi {

class Classifier;

// A Classifier that judges spans alike once: name, cat and attribute keys repeat across
// thousands of spans, so each combination is classified once, and where a rule reads attribute
// values, once per combination of those values. Imports and re-classification share it.
class CachedClassifier
{
  public:
    explicit CachedClassifier(const Classifier& classifier);

    // name and cat are interned ids (0: none) with their texts; attributeKeys is a hash of the
    // attribute keys in order where the caller has one (SpanSpec::attributeKeys), else 0.
    Category classify(StringId name, std::string_view nameText, StringId cat, std::string_view catText,
                      std::string_view attributesJson, quint64 attributeKeys = 0);

  private:
    bool isDecisive(std::string_view key);

    const Classifier& m_classifier;
    struct VerdictKey
    {
        StringId name;
        StringId cat;
        quint64 attributes; // 0: none; else the keys' hash
        std::string values; // of the keys whose values rules read, where those decide
        bool operator==(const VerdictKey&) const = default;
    };
    struct VerdictHash
    {
        size_t operator()(const VerdictKey& key) const
        {
            return size_t(key.name * 0x9E3779B97F4A7C15ull ^ key.cat * 0xC2B2AE3D27D4EB4Full ^
                          key.attributes) ^
                   std::hash<std::string>{}(key.values);
        }
    };
    struct TextHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    // The category of spans alike by name, cat and attribute keys, or -1 where the values of
    // some attributes decide; those are judged again per combination of those values.
    std::unordered_map<VerdictKey, qint8, VerdictHash> m_verdicts;
    std::unordered_map<VerdictKey, Category, VerdictHash> m_verdictsByValue;
    std::unordered_map<std::string, bool, TextHash, std::equal_to<>> m_decisiveKeys;
};

} // namespace lundi
