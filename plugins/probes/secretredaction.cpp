#include "secretredaction.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace lundi::SecretRedaction {

namespace {

std::string lower(std::string_view text)
{
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return lowered;
}

bool containsAny(std::string_view text, std::initializer_list<std::string_view> parts)
{
    return std::any_of(parts.begin(), parts.end(),
                       [text](std::string_view part) { return text.find(part) != std::string_view::npos; });
}

void redactParameters(std::string_view parameters, std::string& result)
{
    while (true) {
        const size_t end = std::min(parameters.find('&'), parameters.size());
        const std::string_view parameter = parameters.substr(0, end);
        const size_t equals = parameter.find('=');
        if (equals != std::string_view::npos && isSecretParameter(parameter.substr(0, equals))) {
            result += parameter.substr(0, equals + 1);
            result += Replacement;
        } else {
            result += parameter;
        }
        if (end == parameters.size())
            return;
        result += '&';
        parameters.remove_prefix(end + 1);
    }
}

} // namespace

bool isSecretParameter(std::string_view name)
{
    const std::string lowered = lower(name);
    // Exact names that are too short to look for inside other names ("sig" is in "signal").
    static constexpr std::array exact = {std::string_view("sig"), std::string_view("pass"),
                                         std::string_view("pwd"), std::string_view("jwt")};
    if (std::find(exact.begin(), exact.end(), lowered) != exact.end())
        return true;
    return containsAny(lowered, {"token", "key", "secret", "password", "passwd", "signature", "auth",
                                 "credential", "session"});
}

bool isSecretHeader(std::string_view name)
{
    const std::string lowered = lower(name);
    return lowered == "cookie" || lowered == "set-cookie" ||
           containsAny(lowered, {"auth", "token", "secret", "key", "password", "session"});
}

std::string headerValue(std::string_view name, std::string_view value)
{
    return isSecretHeader(name) ? std::string(Replacement) : std::string(value);
}

std::string url(std::string_view url)
{
    const size_t scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return std::string(url);
    std::string result(url.substr(0, scheme + 3));
    std::string_view rest = url.substr(scheme + 3);
    // The authority ends at the first '/', '?' or '#'; userinfo is what comes before its last '@'.
    const size_t authorityEnd = std::min(rest.find_first_of("/?#"), rest.size());
    const std::string_view authority = rest.substr(0, authorityEnd);
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
        result += Replacement;
        result += authority.substr(at);
    } else {
        result += authority;
    }
    rest.remove_prefix(authorityEnd);
    const size_t path = std::min(rest.find_first_of("?#"), rest.size());
    result += rest.substr(0, path);
    rest.remove_prefix(path);
    // The query, then the fragment (where OAuth's implicit flow puts its token), alike.
    while (!rest.empty()) {
        result += rest[0];
        rest.remove_prefix(1);
        const size_t end = std::min(rest.find('#'), rest.size());
        redactParameters(rest.substr(0, end), result);
        rest.remove_prefix(end);
    }
    return result;
}

QString url(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    return QString::fromStdString(url(std::string_view(utf8.constData(), size_t(utf8.size()))));
}

} // namespace lundi::SecretRedaction
