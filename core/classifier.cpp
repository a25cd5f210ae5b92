#include "classifier.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace lundi {

namespace {

QRegularExpression compile(const QJsonValue& pattern, const QString& where)
{
    QRegularExpression regex(pattern.toString(), QRegularExpression::CaseInsensitiveOption);
    if (!regex.isValid())
        throw RulesError(QStringLiteral("%1: %2 in \"%3\".")
                             .arg(where, regex.errorString(), pattern.toString())
                             .toStdString());
    return regex;
}

bool matches(const QRegularExpression& regex, const QString& text)
{
    return regex.pattern().isEmpty() || regex.match(text).hasMatch();
}

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

Classifier Classifier::fromJson(const QByteArray& json, const QString& origin)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        throw RulesError(QStringLiteral("%1: byte %2: %3.")
                             .arg(origin)
                             .arg(error.offset)
                             .arg(error.errorString())
                             .toStdString());
    Classifier classifier;
    const QJsonArray rules = document.object().value(QLatin1String("rules")).toArray();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonObject object = rules.at(i).toObject();
        const QString where = QStringLiteral("%1: rule %2").arg(origin).arg(i + 1);
        const auto category = categoryFromName(object.value(QLatin1String("category")).toString());
        if (!category)
            throw RulesError(QStringLiteral("%1: unknown category \"%2\".")
                                 .arg(where, object.value(QLatin1String("category")).toString())
                                 .toStdString());
        Rule rule;
        rule.category = *category;
        rule.name = compile(object.value(QLatin1String("name")), where);
        rule.cat = compile(object.value(QLatin1String("cat")), where);
        const QJsonObject attributes = object.value(QLatin1String("attributes")).toObject();
        for (auto it = attributes.begin(); it != attributes.end(); ++it)
            rule.attributes.append({compile(it.key(), where), compile(it.value(), where)});
        classifier.m_rules.append(rule);
    }
    if (classifier.m_rules.isEmpty())
        throw RulesError(
            QStringLiteral("%1: no rules (expected {\"rules\": [...]}).").arg(origin).toStdString());
    return classifier;
}

QByteArray Classifier::builtInJson()
{
    QFile file(QStringLiteral(":/lundi/classification-rules.json"));
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

Classifier Classifier::standard()
{
    QString path = qEnvironmentVariable("LUNDI_RULES");
    if (path.isEmpty())
        path = QStandardPaths::locate(QStandardPaths::GenericConfigLocation,
                                      QStringLiteral("lundi/classification-rules.json"));
    if (path.isEmpty())
        return fromJson(builtInJson(), QStringLiteral("built-in classification rules"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw RulesError(QStringLiteral("%1: %2.").arg(path, file.errorString()).toStdString());
    return fromJson(file.readAll(), path);
}

QString Classifier::userRulesPath()
{
    const QString path = qEnvironmentVariable("LUNDI_RULES");
    if (!path.isEmpty())
        return path;
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/lundi/classification-rules.json");
}

std::optional<Category> Classifier::classifyWithoutAttributes(std::string_view name,
                                                              std::string_view cat) const
{
    const QString nameText = fromUtf8(name);
    const QString catText = fromUtf8(cat);
    for (const Rule& rule : m_rules) {
        if (!matches(rule.name, nameText) || !matches(rule.cat, catText))
            continue;
        if (!rule.attributes.isEmpty())
            return std::nullopt;
        return rule.category;
    }
    return Category::Other;
}

bool Classifier::readsValueOf(std::string_view key) const
{
    const QString keyText = fromUtf8(key);
    for (const Rule& rule : m_rules) {
        for (const auto& [keyPattern, valuePattern] : rule.attributes) {
            if (!valuePattern.pattern().isEmpty() && keyPattern.match(keyText).hasMatch())
                return true;
        }
    }
    return false;
}

Category Classifier::classify(std::string_view name, std::string_view cat, std::string_view attributesJson,
                              bool* valuesMatter) const
{
    if (valuesMatter)
        *valuesMatter = false;
    const QString nameText = fromUtf8(name);
    const QString catText = fromUtf8(cat);
    QJsonObject attributes;
    if (!attributesJson.empty())
        attributes = QJsonDocument::fromJson(
                         QByteArray::fromRawData(attributesJson.data(), qsizetype(attributesJson.size())))
                         .object();
    const auto attributeMatches = [&](const std::pair<QRegularExpression, QRegularExpression>& condition) {
        for (auto it = attributes.begin(); it != attributes.end(); ++it) {
            const QJsonValue value = it.value();
            const QString valueText =
                value.isString()   ? value.toString()
                : value.isDouble() ? QString::number(value.toDouble())
                : value.isBool()   ? (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                   : QString();
            if (!condition.first.match(it.key()).hasMatch())
                continue;
            if (valuesMatter && !condition.second.pattern().isEmpty())
                *valuesMatter = true;
            if (matches(condition.second, valueText))
                return true;
        }
        return false;
    };
    for (const Rule& rule : m_rules) {
        if (!matches(rule.name, nameText) || !matches(rule.cat, catText))
            continue;
        if (std::all_of(rule.attributes.begin(), rule.attributes.end(), attributeMatches))
            return rule.category;
    }
    return Category::Other;
}

} // namespace lundi
