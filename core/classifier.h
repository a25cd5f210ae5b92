#pragma once

#include "category.h"

#include <QList>
#include <QRegularExpression>

#include <optional>
#include <stdexcept>
#include <string_view>

namespace lundi {

class RulesError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

// Puts each span into a Category by an ordered list of rules (resources/classification-rules.json,
// user-overridable); the first rule whose every condition matches wins, and no match is "other".
class Classifier
{
  public:
    struct Rule
    {
        Category category = Category::Other;
        QRegularExpression name; // empty pattern: any
        QRegularExpression cat;
        QList<std::pair<QRegularExpression, QRegularExpression>> attributes; // key, value
    };

    // Throws RulesError with a sentence naming the origin and the faulty rule.
    static Classifier fromJson(const QByteArray& json, const QString& origin);
    // The user's rules file if there is one (LUNDI_RULES, else the config folder), else the built-in.
    static Classifier standard();
    // Where the rules editor saves the user's rules: LUNDI_RULES, else the config folder.
    static QString userRulesPath();
    static QByteArray builtInJson();

    // The category where name and cat decide alone; nullopt where an attribute rule might.
    std::optional<Category> classifyWithoutAttributes(std::string_view name, std::string_view cat) const;
    // valuesMatter, if given, is set when an attribute's value (not only its key) took part in
    // the verdict: spans with the same name, cat and attribute keys then need not agree.
    Category classify(std::string_view name, std::string_view cat, std::string_view attributesJson,
                      bool* valuesMatter = nullptr) const;

    // Whether a rule reads the value of this attribute, not only its presence.
    bool readsValueOf(std::string_view key) const;

    const QList<Rule>& rules() const { return m_rules; }

  private:
    QList<Rule> m_rules;
};

} // namespace lundi
