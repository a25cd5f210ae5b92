#pragma once

#include <span>

namespace lundi {

// Migration i takes an incident from schema version i to i + 1. Never edit a released step:
// add a new one, so that every older incident file can still be opened.
std::span<const char* const> schemaMigrations();

} // namespace lundi
