#include "atelier/http/request.hpp"

#include <algorithm>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace atelier::http {

namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method parse_method(std::string_view text) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    if (text == method_name(m)) {
      return m;
    }
  }
  return Method::kOther;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// --- Headers -----------------------------------------------------------------------------

std::string_view Headers::get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (iequals(key, name)) {
      return value;
    }
  }
  return {};
}

bool Headers::contains(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const Field& f) { return iequals(f.first, name); });
}

void Headers::set(std::string_view name, std::string_view value) {
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [&](const Field& f) { return iequals(f.first, name); });
  if (it == fields_.end()) {
    fields_.emplace_back(name, value);
    return;
  }
  it->second.assign(value);
  // Any later duplicates go: set() means "exactly this value".
  fields_.erase(std::remove_if(std::next(it), fields_.end(),
                               [&](const Field& f) { return iequals(f.first, name); }),
                fields_.end());
}

void Headers::set_default(std::string_view name, std::string_view value) {
  if (!contains(name)) {
    fields_.emplace_back(name, value);
  }
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(name, value);
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

// --- PathParams --------------------------------------------------------------------------

std::string_view PathParams::get(std::string_view name, std::string_view path) const {
  for (size_t i = 0; i < size_; ++i) {
    const Param& p = items_[i];
    if (p.name == name && p.offset + p.length <= path.size()) {
      return path.substr(p.offset, p.length);
    }
  }
  return {};
}

bool PathParams::push(size_t offset, size_t length) {
  if (size_ == kMax) {
    return false;
  }
  items_[size_++] = Param{{}, static_cast<uint32_t>(offset), static_cast<uint32_t>(length)};
  return true;
}

// --- Request -----------------------------------------------------------------------------

bool decode_path(std::string_view encoded, std::string& out) {
  out.clear();
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c == '%') {
      if (i + 2 >= encoded.size()) {
        return false;
      }
      const int hi = hex_value(encoded[i + 1]);
      const int lo = hex_value(encoded[i + 2]);
      if (hi < 0 || lo < 0) {
        return false;
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') {
      return false;
    }
    out.push_back(c);
  }
  return true;
}

bool Request::set_target(std::string_view raw_target) {
  target.assign(raw_target);
  std::string_view rest = raw_target;
  // Absolute form ("http://host/path"), which proxies send: keep only path and query.
  if (starts_with_ci(rest, "http://") || starts_with_ci(rest, "https://")) {
    rest.remove_prefix(rest.find("//") + 2);
    const size_t slash = rest.find_first_of("/?");
    if (slash == std::string_view::npos) {
      rest = "/";
    } else if (rest[slash] == '?') {
      // "http://host?x" has an empty path, which means "/".
      path.assign("/");
      query.assign(rest.substr(slash + 1));
      return true;
    } else {
      rest.remove_prefix(slash);
    }
  }
  if (rest.empty() || rest.front() != '/') {
    return false;
  }
  const size_t question = rest.find('?');
  if (question == std::string_view::npos) {
    query.clear();
  } else {
    query.assign(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  return decode_path(rest, path);
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  if (query.empty()) {
    return std::nullopt;
  }
  // Validate first: params_view's constructor throws on a malformed query.
  if (!boost::urls::parse_query(query)) {
    return std::nullopt;
  }
  const boost::urls::params_view decoded(query, boost::urls::encoding_opts(true));
  for (const auto& param : decoded) {
    if (param.key == name) {
      return param.has_value ? param.value : std::string();
    }
  }
  return std::nullopt;
}

std::string Request::client_address() const {
  const size_t colon = remote_address.rfind(':');
  std::string host = colon == std::string::npos ? remote_address : remote_address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

void Request::clear() {
  method = Method::kGet;
  target.clear();
  path.clear();
  query.clear();
  headers.clear();
  body.clear();
  upload.reset();
  route = {};
  route_id = -1;
  params.clear();
  request_id.clear();
  traceparent.clear();
  remote_address.clear();
  principal.reset();
}

}  // namespace atelier::http
