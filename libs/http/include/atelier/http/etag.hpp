// ETags for optimistic concurrency (If-Match on PUT/PATCH/DELETE) and conditional GET
// (If-None-Match), following RFC 9110 §8.8.3 and §13.1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "atelier/core/error.hpp"
#include "atelier/http/request.hpp"

namespace atelier::http {

// A strong ETag for a row version: 7 -> "\"v7\"". Strong, because If-Match compares strongly
// and a weak tag would never match there; a version number pins the representation exactly.
std::string etag_for_version(int64_t version);

// Checks If-Match against the resource's current ETag (empty when the resource does not exist).
// Missing header: fine unless `required`, then kPreconditionRequired (428). Mismatch (strong
// comparison; `*` matches any existing resource): kPreconditionFailed (412).
Result<void> check_if_match(const Request& request, std::string_view current_etag, bool required);

// True when If-None-Match matches `etag` (weak comparison, or `*`): answer 304 Not Modified.
bool not_modified(const Request& request, std::string_view etag);

}  // namespace atelier::http
