#pragma once

#include <QtGlobal>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace lundi::jaeger {

// A JSON object of Jaeger key/value pairs (a span's tags, a log's fields, a process's tags),
// each typed as its "type" says: int64 and float64 become numbers and bool a boolean, also where
// the value is written as a string ("9223372036854775222", "true"), as Jaeger does for values a
// double cannot hold; string and binary (base64) stay strings. A key that repeats keeps its first
// value, so that readers of the JSON, which keep one value per key, all see the same one.
class TagObject
{
  public:
    enum class ValueKind : quint8 { None, String, Number, Bool, Null };
    enum class Outcome : quint8 { Added, Mistyped, Repeated };

    // One key/value object as read: its members arrive in any order.
    struct Tag
    {
        std::string key;
        std::string type;
        std::string value; // the text of a string or a number, "true"/"false", or empty
        ValueKind kind = ValueKind::None;
        bool hasKey = false;
        void clear();
    };

    TagObject();

    void clear();
    // Mistyped: kept as a string, since its value does not fit its type. Repeated: left out.
    Outcome add(const Tag& tag);
    // A member whose value is JSON text already (the array of a span's events).
    bool addJson(std::string_view key, std::string_view json);
    bool isEmpty() const { return !m_open; }
    // The JSON bytes written so far, to keep a span within bounds.
    size_t size() const { return m_buffer.GetSize(); }
    // A hash of the keys in order (never 0 or 1), for the classifier to judge alike spans once.
    quint64 keysHash() const { return m_keysHash | 2; }
    // Closes the object ("{}" when nothing was added); the text is valid until clear().
    std::string_view finish();

  private:
    bool startMember(std::string_view key);

    rapidjson::StringBuffer m_buffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_writer;
    // Hashes of the keys so far: a short list covers nearly every span, the set the rest.
    std::vector<quint64> m_keyHashes;
    std::unordered_set<quint64> m_keyHashSet;
    quint64 m_keysHash = 0;
    bool m_open = false;
};

} // namespace lundi::jaeger
