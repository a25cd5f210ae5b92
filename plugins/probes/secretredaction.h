#pragma once

#include <QString>

#include <string>
#include <string_view>

namespace lundi {

// What a probe or a pull writes about its target (origins, span names, attributes, the CLI's
// output) with the secrets replaced by "REDACTED": they never reach the incident file.
namespace SecretRedaction {

inline constexpr std::string_view Replacement = "REDACTED";

// The URL with its userinfo (user:password@) and the values of query parameters whose names look
// like secrets (token, key, apikey, access_token, secret, password, sig, signature, auth, …)
// replaced. Text that is no URL comes back unchanged.
std::string url(std::string_view url);
QString url(const QString& url);
// Whether a query parameter of this name carries a secret.
bool isSecretParameter(std::string_view name);
// Whether a header of this name carries a secret: Authorization, Proxy-Authorization, Cookie,
// Set-Cookie, X-Api-Key, and any name containing token, secret, key, auth, password or session.
bool isSecretHeader(std::string_view name);
// The value as it may be shown: Replacement for a secret header, else the value.
std::string headerValue(std::string_view name, std::string_view value);

} // namespace SecretRedaction

} // namespace lundi
