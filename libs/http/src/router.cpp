#include "atelier/http/router.hpp"

#include <stdexcept>

namespace atelier::http {

namespace {

constexpr size_t kEnd = std::string_view::npos;  // search position: the whole path is consumed

size_t index_of(Method m) {
  return static_cast<size_t>(m);
}

bool valid_param_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

[[noreturn]] void bad_pattern(Method method, std::string_view pattern, std::string_view why) {
  throw std::invalid_argument("route " + std::string(method_name(method)) + " " +
                              std::string(pattern) + ": " + std::string(why));
}

}  // namespace

std::string RouteMatch::allow() const {
  std::string out;
  uint32_t mask = allowed;
  if ((mask & (1u << index_of(Method::kGet))) != 0) {
    mask |= 1u << index_of(Method::kHead);
  }
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    if ((mask & (1u << index_of(m))) != 0) {
      if (!out.empty()) {
        out += ", ";
      }
      out += method_name(m);
    }
  }
  return out;
}

Router& Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  if (method == Method::kOther) {
    bad_pattern(method, pattern, "routes need a standard method");
  }
  if (pattern.empty() || pattern.front() != '/') {
    bad_pattern(method, pattern, "a pattern starts with '/'");
  }
  std::vector<std::string> names;
  uint32_t node = 0;
  bool catch_all = false;
  // "/" is the root itself; otherwise every '/' starts one non-empty segment.
  size_t pos = pattern.size() == 1 ? kEnd : 0;
  while (pos != kEnd) {
    const size_t start = pos + 1;
    const size_t slash = pattern.find('/', start);
    const std::string_view segment =
        std::string_view(pattern).substr(start, slash == kEnd ? kEnd : slash - start);
    pos = slash;
    if (segment.empty()) {
      bad_pattern(method, pattern, "empty segment");
    }
    if (segment.front() == '{') {
      if (segment.back() != '}') {
        bad_pattern(method, pattern, "unclosed '{'");
      }
      std::string_view name = segment.substr(1, segment.size() - 2);
      const bool star = !name.empty() && name.front() == '*';
      if (star) {
        name.remove_prefix(1);
      }
      if (!valid_param_name(name)) {
        bad_pattern(method, pattern, "parameter names are [A-Za-z0-9_]+");
      }
      for (const auto& existing : names) {
        if (existing == name) {
          bad_pattern(method, pattern, "repeated parameter name");
        }
      }
      if (names.size() == PathParams::kMax) {
        bad_pattern(method, pattern, "too many parameters");
      }
      names.emplace_back(name);
      if (star) {
        if (pos != kEnd) {
          bad_pattern(method, pattern, "{*name} must be the last segment");
        }
        catch_all = true;
        break;
      }
      if (nodes_[node].param_child < 0) {
        nodes_[node].param_child = static_cast<int32_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = static_cast<uint32_t>(nodes_[node].param_child);
      continue;
    }
    if (segment.find_first_of("{}") != std::string_view::npos) {
      bad_pattern(method, pattern, "braces must enclose a whole segment");
    }
    uint32_t next = 0;
    for (const auto& [text, child] : nodes_[node].literals) {
      if (text == segment) {
        next = child;
        break;
      }
    }
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_[node].literals.emplace_back(std::string(segment), next);
      nodes_.emplace_back();
    }
    node = next;
  }

  auto& table = catch_all ? nodes_[node].catch_all : nodes_[node].routes;
  int32_t& slot = table[index_of(method)];
  if (slot >= 0) {
    bad_pattern(method, pattern, "duplicate route");
  }
  const int id = static_cast<int>(routes_.size());
  slot = id;
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), std::move(options), id,
                          std::move(names)});
  return *this;
}

struct Router::Search {
  Method method;
  std::string_view path;
  PathParams& params;
  uint32_t allowed = 0;
  int32_t found = -1;
};

bool Router::accept(const std::array<int32_t, kMethodCount>& table, Search& state) const {
  int32_t id = table[index_of(state.method)];
  if (id < 0 && state.method == Method::kHead) {
    id = table[index_of(Method::kGet)];
  }
  if (id >= 0) {
    state.found = id;
    return true;
  }
  for (size_t m = 0; m < kMethodCount; ++m) {
    if (table[m] >= 0) {
      state.allowed |= 1u << m;
    }
  }
  return false;
}

// Depth-first: literal children, then the parameter child, then a catch-all. `pos` is the index
// of the '/' that starts the next segment, or kEnd once the path is consumed.
bool Router::search(uint32_t node_index, size_t pos, Search& state) const {
  const Node& node = nodes_[node_index];
  const std::string_view path = state.path;
  if (pos == kEnd) {
    if (accept(node.routes, state)) {
      return true;
    }
    if (state.params.push(path.size(), 0)) {
      if (accept(node.catch_all, state)) {
        return true;
      }
      state.params.pop();
    }
    return false;
  }
  const size_t start = pos + 1;
  const size_t slash = path.find('/', start);
  const size_t end = slash == kEnd ? path.size() : slash;
  const std::string_view segment = path.substr(start, end - start);
  for (const auto& [text, child] : node.literals) {
    if (text == segment && search(child, slash, state)) {
      return true;
    }
  }
  if (node.param_child >= 0 && !segment.empty() && state.params.push(start, end - start)) {
    if (search(static_cast<uint32_t>(node.param_child), slash, state)) {
      return true;
    }
    state.params.pop();
  }
  if (state.params.push(start, path.size() - start)) {
    if (accept(node.catch_all, state)) {
      return true;
    }
    state.params.pop();
  }
  return false;
}

RouteMatch Router::match(Method method, std::string_view path, PathParams& params) const {
  params.clear();
  RouteMatch result;
  if (path.empty() || path.front() != '/') {
    return result;
  }
  Search state{method, path, params};
  if (search(0, path.size() == 1 ? kEnd : 0, state)) {
    const Route& route = routes_[static_cast<size_t>(state.found)];
    for (size_t i = 0; i < params.size() && i < route.param_names.size(); ++i) {
      params.set_name(i, route.param_names[i]);
    }
    result.route = &route;
    return result;
  }
  params.clear();
  result.allowed = state.allowed;
  return result;
}

RouteMatch Router::match(Request& request) const {
  RouteMatch m = match(request.method, request.path, request.params);
  if (m.route != nullptr) {
    request.route = m.route->pattern;
    request.route_id = m.route->id;
  } else {
    request.route = {};
    request.route_id = -1;
  }
  return m;
}

}  // namespace atelier::http
