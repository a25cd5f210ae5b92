#include "attributesummary.h"

namespace lundi {

namespace {

// A cursor over JSON text that skips values whole; nesting is counted, not recursed into.
class JsonCursor
{
  public:
    explicit JsonCursor(std::string_view text) : m_text(text) {}

    bool atEnd() const { return m_at >= m_text.size(); }
    void skipSpace()
    {
        while (m_at < m_text.size() &&
               (m_text[m_at] == ' ' || m_text[m_at] == '\t' || m_text[m_at] == '\n' || m_text[m_at] == '\r'))
            ++m_at;
    }
    bool take(char c)
    {
        skipSpace();
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    // A string's raw text between its quotes, escapes left as they are.
    std::optional<std::string_view> string()
    {
        skipSpace();
        if (m_at >= m_text.size() || m_text[m_at] != '"')
            return std::nullopt;
        const size_t begin = ++m_at;
        // memchr to each quote (most of a span's attribute bytes are inside strings); a quote
        // after an odd run of backslashes is escaped.
        for (;;) {
            const size_t quote = m_text.find('"', m_at);
            if (quote == std::string_view::npos)
                return std::nullopt;
            size_t backslashes = 0;
            while (quote - backslashes > begin && m_text[quote - backslashes - 1] == '\\')
                ++backslashes;
            m_at = quote + 1;
            if (backslashes % 2 == 0)
                return m_text.substr(begin, quote - begin);
        }
    }
    // Any value's raw text.
    std::optional<std::string_view> value()
    {
        skipSpace();
        const size_t begin = m_at;
        if (m_at < m_text.size() && m_text[m_at] == '"')
            return string() ? std::optional(m_text.substr(begin, m_at - begin)) : std::nullopt;
        size_t depth = 0;
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (c == '"') {
                if (!string())
                    return std::nullopt;
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0)
                    break;
                if (--depth == 0) {
                    ++m_at;
                    break;
                }
            } else if (depth == 0 && c == ',') {
                break;
            }
            ++m_at;
        }
        if (depth != 0 || m_at == begin)
            return std::nullopt;
        return m_text.substr(begin, m_at - begin);
    }

  private:
    std::string_view m_text;
    size_t m_at = 0;
};

} // namespace

std::optional<AttributeSummary>
AttributeSummary::of(std::string_view json, const std::function<bool(std::string_view key)>& decisive)
{
    JsonCursor cursor(json);
    if (!cursor.take('{'))
        return std::nullopt;
    AttributeSummary summary;
    quint64 hash = 0xcbf29ce484222325ull; // FNV-1a over the keys, each ended by a 0
    if (!cursor.take('}')) {
        do {
            const std::optional<std::string_view> key = cursor.string();
            if (!key || !cursor.take(':'))
                return std::nullopt;
            const std::optional<std::string_view> value = cursor.value();
            if (!value)
                return std::nullopt;
            for (const char c : *key)
                hash = (hash ^ quint8(c)) * 0x100000001b3ull;
            hash = (hash ^ 0) * 0x100000001b3ull;
            if (decisive(*key)) {
                summary.decisiveValues.append(*key).append(1, '\x1f').append(*value).append(1, '\x1e');
            }
        } while (cursor.take(','));
        if (!cursor.take('}'))
            return std::nullopt;
    }
    cursor.skipSpace();
    if (!cursor.atEnd())
        return std::nullopt;
    summary.keysHash = hash;
    return summary;
}

} // namespace lundi
