#include "atelier/http/etag.hpp"

namespace atelier::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // with its quotes
};

EntityTag split_tag(std::string_view tag) {
  if (tag.starts_with("W/")) {
    return {true, tag.substr(2)};
  }
  return {false, tag};
}

// Calls `visit(EntityTag)` for each tag of a comma-separated list (`"a", W/"b"`) until it returns
// true. A tag's quotes may enclose commas, so this walks quoted strings rather than splitting.
template <class Visit>
bool any_tag(std::string_view list, Visit visit) {
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == '\t' || list[i] == ',')) {
      ++i;
    }
    if (i >= list.size()) {
      break;
    }
    const size_t start = i;
    if (list.substr(i).starts_with("W/")) {
      i += 2;
    }
    if (i >= list.size() || list[i] != '"') {
      return false;  // not an entity-tag: treat the whole header as matching nothing
    }
    const size_t close = list.find('"', i + 1);
    if (close == std::string_view::npos) {
      return false;
    }
    i = close + 1;
    if (visit(split_tag(list.substr(start, i - start)))) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string etag_for_version(int64_t version) {
  return "\"v" + std::to_string(version) + "\"";
}

Result<void> check_if_match(const Request& request, std::string_view current_etag, bool required) {
  if (!request.headers.contains("If-Match")) {
    if (required) {
      return Error{ErrorCode::kPreconditionRequired,
                   "If-Match is required: send the ETag of the version you are changing.",
                   {},
                   {}};
    }
    return {};
  }
  const std::string_view header = trim(request.header("If-Match"));
  const EntityTag current = split_tag(current_etag);
  bool matches = false;
  if (header == "*") {
    matches = !current_etag.empty();
  } else if (!current_etag.empty() && !current.weak) {
    // Strong comparison: weak tags never match (RFC 9110 §13.1.1).
    matches = any_tag(
        header, [&](const EntityTag& tag) { return !tag.weak && tag.opaque == current.opaque; });
  }
  if (!matches) {
    return Error{ErrorCode::kPreconditionFailed,
                 "The resource has changed since you read it (its ETag is now " +
                     std::string(current_etag) + "); read it again and retry.",
                 {},
                 {}};
  }
  return {};
}

bool not_modified(const Request& request, std::string_view etag) {
  if (etag.empty() || !request.headers.contains("If-None-Match")) {
    return false;
  }
  const std::string_view header = trim(request.header("If-None-Match"));
  if (header == "*") {
    return true;
  }
  const std::string_view opaque = split_tag(etag).opaque;
  // Weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
  return any_tag(header, [&](const EntityTag& tag) { return tag.opaque == opaque; });
}

}  // namespace atelier::http
