#include "atelier/db/database.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "adapters.hpp"

namespace atelier::db {

namespace {

std::string_view type_name(const Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "integer";
    case 2:
      return "double";
    case 3:
      return "text";
    default:
      return "bytes";
  }
}

}  // namespace

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kSqlite:
      return "sqlite";
    case Kind::kPostgres:
      return "postgres";
  }
  return "unknown";
}

Options Options::for_service(const Config& config, std::string_view service) {
  Options options;
  options.kind = config.database == DatabaseKind::kPostgres ? Kind::kPostgres : Kind::kSqlite;
  options.sqlite_path = config.data_dir / (std::string(service) + ".db");
  options.postgres_url = config.postgres_url;
  options.schema = config.postgres_schema_prefix + std::string(service);
  options.pool_size = config.db_pool_size;
  return options;
}

Result<std::unique_ptr<Database>> open(const Options& options) {
  if (options.pool_size == 0) {
    return Error::invalid("database pool_size must be at least 1");
  }
  switch (options.kind) {
    case Kind::kSqlite:
      return detail::open_sqlite(options);
    case Kind::kPostgres:
      return detail::open_postgres(options);
  }
  return Error::invalid("unknown database kind");
}

size_t Row::index(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) {
      return i;
    }
  }
  std::string known;
  for (const std::string& c : *columns_) {
    known += known.empty() ? "" : ", ";
    known += c;
  }
  throw std::out_of_range("no column named '" + std::string(column) +
                          "' in this row (columns: " + known + ")");
}

namespace {

// Reading a column with the wrong type is a bug in the repository that reads it: say which
// column, and what it held, so the failing test points straight at it.
[[noreturn]] void wrong_type(const std::vector<std::string>& columns, size_t i, const Value& v,
                             std::string_view wanted) {
  std::string name = i < columns.size() ? columns[i] : std::string();
  throw std::logic_error("column " + std::to_string(i) + " (" + name + ") holds " +
                         std::string(type_name(v)) + ", read as " + std::string(wanted));
}

}  // namespace

int64_t Row::get_int(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) {
    return *n;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    const char* end = s->data() + s->size();
    auto [ptr, ec] = std::from_chars(s->data(), end, out);
    if (ec == std::errc() && ptr == end && !s->empty()) {
      return out;
    }
  }
  wrong_type(*columns_, i, v, "integer");
}

double Row::get_double(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  if (const auto* n = std::get_if<int64_t>(&v)) {
    return static_cast<double>(*n);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    double out = 0;
    const char* end = s->data() + s->size();
    auto [ptr, ec] = std::from_chars(s->data(), end, out);
    if (ec == std::errc() && ptr == end && !s->empty()) {
      return out;
    }
  }
  wrong_type(*columns_, i, v, "double");
}

bool Row::get_bool(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) {
    if (*n == 0 || *n == 1) {
      return *n == 1;
    }
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (*s == "t" || *s == "true") {
      return true;
    }
    if (*s == "f" || *s == "false") {
      return false;
    }
  }
  wrong_type(*columns_, i, v, "bool");
}

std::string Row::get_text(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  wrong_type(*columns_, i, v, "text");
}

Bytes Row::get_bytes(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* b = std::get_if<Bytes>(&v)) {
    return *b;
  }
  wrong_type(*columns_, i, v, "bytes");
}

std::optional<int64_t> Row::get_opt_int(size_t i) const {
  if (is_null(i)) {
    return std::nullopt;
  }
  return get_int(i);
}

std::optional<std::string> Row::get_opt_text(size_t i) const {
  if (is_null(i)) {
    return std::nullopt;
  }
  return get_text(i);
}

}  // namespace atelier::db
