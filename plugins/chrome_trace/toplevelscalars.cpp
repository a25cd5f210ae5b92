#include "toplevelscalars.h"

#include <rapidjson/reader.h>

namespace lundi::chrome {

namespace {

class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler>
{
  public:
    std::vector<std::pair<std::string, std::string>> values;

    bool Default() { return true; }
    bool Bool(bool value) { return add(value ? "true" : "false"); }
    bool RawNumber(const char* text, rapidjson::SizeType length, bool) { return add({text, length}); }
    bool String(const char* text, rapidjson::SizeType length, bool) { return add({text, length}); }
    bool Key(const char* text, rapidjson::SizeType length, bool)
    {
        if (m_depth == 1)
            m_key.assign(text, length);
        return true;
    }
    bool StartObject() { return ++m_depth, true; }
    bool EndObject(rapidjson::SizeType) { return --m_depth, true; }
    bool StartArray() { return ++m_depth, true; }
    bool EndArray(rapidjson::SizeType) { return --m_depth, true; }

  private:
    bool add(std::string_view value)
    {
        if (m_depth == 1)
            values.emplace_back(m_key, value);
        return true;
    }

    int m_depth = 0;
    std::string m_key;
};

} // namespace

std::vector<std::pair<std::string, std::string>> TopLevelScalars::read(std::string_view objectJson)
{
    Handler handler;
    rapidjson::MemoryStream stream(objectJson.data(), objectJson.size());
    rapidjson::Reader reader;
    reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(stream, handler);
    return std::move(handler.values);
}

} // namespace lundi::chrome
