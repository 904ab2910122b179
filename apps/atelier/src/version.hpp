// The version this binary reports (`atelier version`, GET /api/v1/version).
#pragma once

#include <string_view>

namespace atelier::app {

inline constexpr std::string_view kVersion = ATELIER_VERSION;

}  // namespace atelier::app
