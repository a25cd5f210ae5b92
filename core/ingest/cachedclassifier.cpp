#include "cachedclassifier.h"
#include "attributesummary.h"
#include "classifier.h"

#include <optional>

namespace lundi {

CachedClassifier::CachedClassifier(const Classifier& classifier) : m_classifier(classifier) {}

bool CachedClassifier::isDecisive(std::string_view key)
{
    auto it = m_decisiveKeys.find(key);
    if (it == m_decisiveKeys.end())
        it = m_decisiveKeys.emplace(std::string(key), m_classifier.readsValueOf(key)).first;
    return it->second;
}

Category CachedClassifier::classify(StringId name, std::string_view nameText, StringId cat,
                                    std::string_view catText, std::string_view attributes,
                                    quint64 attributeKeys)
{
    std::optional<AttributeSummary> summary;
    quint64 keys = 0;
    if (!attributes.empty()) {
        keys = attributeKeys;
        if (!keys) {
            summary =
                AttributeSummary::of(attributes, [this](std::string_view key) { return isDecisive(key); });
            if (!summary)
                return m_classifier.classify(nameText, catText, attributes);
            keys = std::max<quint64>(summary->keysHash, 1);
        }
    }
    auto [it, inserted] = m_verdicts.try_emplace(VerdictKey{name, cat, keys, {}}, qint8(-1));
    if (inserted) {
        bool valuesMatter = false;
        const Category category = m_classifier.classify(nameText, catText, attributes, &valuesMatter);
        if (!valuesMatter)
            it->second = qint8(category);
    }
    if (it->second >= 0)
        return Category(it->second);
    if (!summary)
        summary = AttributeSummary::of(attributes, [this](std::string_view key) { return isDecisive(key); });
    if (!summary)
        return m_classifier.classify(nameText, catText, attributes);
    auto [byValue, judged] =
        m_verdictsByValue.try_emplace(VerdictKey{name, cat, keys, std::move(summary->decisiveValues)});
    if (judged)
        byValue->second = m_classifier.classify(nameText, catText, attributes);
    return byValue->second;
}

} // namespace lundi
