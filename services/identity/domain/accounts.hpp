// Validation of what people type when they sign up: email addresses, names, organisation names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace atelier::identity::domain {

// The address lower-cased and trimmed, or nullopt when it is not a plausible address
// (local@domain.tld, no spaces, at most 254 bytes). Deliverability is proven by verification.
std::optional<std::string> normalize_email(std::string_view email);

// A display name or an organisation name: trimmed, 1 to 200 bytes, no control characters.
std::optional<std::string> normalize_name(std::string_view name);

}  // namespace atelier::identity::domain
