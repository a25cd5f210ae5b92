#include "tagobject.h"

#include <algorithm>

namespace lundi::jaeger {

namespace {

constexpr quint64 FnvBasis = 0xcbf29ce484222325ull;
constexpr quint64 FnvPrime = 0x100000001b3ull;
// Beyond this many keys, repeats are found through the set rather than the list.
constexpr size_t ListedKeys = 32;

quint64 fnv(std::string_view text, quint64 hash = FnvBasis)
{
    for (const char c : text)
        hash = (hash ^ quint8(c)) * FnvPrime;
    return hash;
}

bool isDigits(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// JSON's own number grammar, so that the text can be written into the object as it is.
bool isJsonNumber(std::string_view text, bool integerOnly)
{
    if (text.starts_with('-'))
        text.remove_prefix(1);
    const size_t intEnd = std::min(text.find_first_not_of("0123456789"), text.size());
    const std::string_view integer = text.substr(0, intEnd);
    if (!isDigits(integer) || (integer.size() > 1 && integer[0] == '0'))
        return false;
    text.remove_prefix(intEnd);
    if (integerOnly)
        return text.empty();
    if (text.starts_with('.')) {
        const size_t end = std::min(text.find_first_not_of("0123456789", 1), text.size());
        if (!isDigits(text.substr(1, end - 1)))
            return false;
        text.remove_prefix(end);
    }
    if (text.starts_with('e') || text.starts_with('E')) {
        text.remove_prefix(1);
        if (text.starts_with('+') || text.starts_with('-'))
            text.remove_prefix(1);
        return isDigits(text);
    }
    return text.empty();
}

} // namespace

void TagObject::Tag::clear()
{
    key.clear();
    type.clear();
    value.clear();
    kind = ValueKind::None;
    hasKey = false;
}

TagObject::TagObject() : m_writer(m_buffer) {}

void TagObject::clear()
{
    m_buffer.Clear();
    m_writer.Reset(m_buffer);
    m_keyHashes.clear();
    m_keyHashSet.clear();
    m_keysHash = FnvBasis;
    m_open = false;
}

bool TagObject::startMember(std::string_view key)
{
    const quint64 hash = fnv(key);
    if (m_keyHashes.size() < ListedKeys) {
        if (std::find(m_keyHashes.begin(), m_keyHashes.end(), hash) != m_keyHashes.end())
            return false;
        m_keyHashes.push_back(hash);
    } else {
        if (m_keyHashSet.empty())
            m_keyHashSet.insert(m_keyHashes.begin(), m_keyHashes.end());
        if (!m_keyHashSet.insert(hash).second)
            return false;
    }
    if (!m_open) {
        m_writer.StartObject();
        m_open = true;
    }
    m_keysHash = (fnv(key, m_keysHash) ^ 0xff) * FnvPrime;
    m_writer.Key(key.data(), rapidjson::SizeType(key.size()), true);
    return true;
}

TagObject::Outcome TagObject::add(const Tag& tag)
{
    if (!startMember(tag.key))
        return Outcome::Repeated;
    const std::string_view value = tag.value;
    const auto asString = [&] { m_writer.String(value.data(), rapidjson::SizeType(value.size()), true); };
    const auto asNumber = [&] { m_writer.RawValue(value.data(), value.size(), rapidjson::kNumberType); };
    if (tag.kind == ValueKind::Null || tag.kind == ValueKind::None) {
        m_writer.Null();
        return Outcome::Added;
    }
    const std::string_view type = tag.type;
    if (type == "bool") {
        if (tag.kind == ValueKind::Bool || value == "true" || value == "false") {
            m_writer.Bool(value == "true");
            return Outcome::Added;
        }
    } else if (type == "int64" || type == "float64") {
        // RapidJSON has checked the text of a number; the text of a string is checked here.
        if (tag.kind == ValueKind::Number || isJsonNumber(value, type == "int64")) {
            asNumber();
            return Outcome::Added;
        }
    } else if (type == "string" || type == "binary" || tag.kind == ValueKind::String) {
        asString();
        return Outcome::Added;
    } else if (tag.kind == ValueKind::Number) {
        asNumber();
        return Outcome::Added;
    } else {
        m_writer.Bool(value == "true");
        return Outcome::Added;
    }
    asString();
    return Outcome::Mistyped;
}

bool TagObject::addJson(std::string_view key, std::string_view json)
{
    if (!startMember(key))
        return false;
    m_writer.RawValue(json.data(), json.size(), rapidjson::kArrayType);
    return true;
}

std::string_view TagObject::finish()
{
    if (!m_open) {
        m_writer.StartObject();
        m_open = true;
    }
    m_writer.EndObject();
    return {m_buffer.GetString(), m_buffer.GetSize()};
}

} // namespace lundi::jaeger
