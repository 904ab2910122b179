// The database port: a pool of connections, transactions, statements with bound parameters only,
// and typed row access. Two adapters implement it: SQLite (embedded default, one file per service)
// and PostgreSQL (one schema per service, row-level security by org).
//
// SQL is written once, in the dialect both engines share, with PostgreSQL-style placeholders
// ($1, $2, ...). The SQLite adapter binds them by name, so `$2 ... $1` works on both.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "atelier/core/config.hpp"
#include "atelier/core/error.hpp"

namespace atelier::db {

using Bytes = std::vector<uint8_t>;
// A parameter or a column value. Booleans go in as integers 0/1 (portable across both engines).
using Value = std::variant<std::nullptr_t, int64_t, double, std::string, Bytes>;

inline Value to_value(std::nullptr_t) {
  return nullptr;
}
inline Value to_value(bool v) {
  return int64_t{v ? 1 : 0};
}
inline Value to_value(int v) {
  return int64_t{v};
}
inline Value to_value(unsigned v) {
  return int64_t{v};
}
inline Value to_value(int64_t v) {
  return v;
}
inline Value to_value(double v) {
  return v;
}
inline Value to_value(std::string v) {
  return v;
}
inline Value to_value(std::string_view v) {
  return std::string(v);
}
inline Value to_value(const char* v) {
  return std::string(v);
}
inline Value to_value(Bytes v) {
  return v;
}
template <class T>
Value to_value(const std::optional<T>& v) {
  return v ? to_value(*v) : Value(nullptr);
}

// One result row, materialised. Columns are addressed by index or by name.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool is_null(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  const Value& at(size_t i) const { return values_.at(i); }
  // Index of a column by name; throws std::out_of_range for a name the query does not return
  // (a programming error, caught by the repository's tests).
  size_t index(std::string_view column) const;

  // Typed access. Integers stored as text (PostgreSQL numeric) are converted; a NULL read as a
  // non-optional type throws std::logic_error (again a programming error).
  int64_t get_int(size_t i) const;
  double get_double(size_t i) const;
  bool get_bool(size_t i) const;
  std::string get_text(size_t i) const;
  Bytes get_bytes(size_t i) const;
  std::optional<int64_t> get_opt_int(size_t i) const;
  std::optional<std::string> get_opt_text(size_t i) const;

  int64_t get_int(std::string_view c) const { return get_int(index(c)); }
  double get_double(std::string_view c) const { return get_double(index(c)); }
  bool get_bool(std::string_view c) const { return get_bool(index(c)); }
  std::string get_text(std::string_view c) const { return get_text(index(c)); }
  Bytes get_bytes(std::string_view c) const { return get_bytes(index(c)); }
  std::optional<int64_t> get_opt_int(std::string_view c) const { return get_opt_int(index(c)); }
  std::optional<std::string> get_opt_text(std::string_view c) const {
    return get_opt_text(index(c));
  }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

struct Rows {
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
  const Row& operator[](size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

enum class Kind { kSqlite, kPostgres };
std::string_view kind_name(Kind kind);

// A transaction on one pooled connection. Only valid inside Database::transact().
// Statements are prepared once per connection and cached by their SQL text.
// Errors: a unique or foreign-key violation is kConflict (the message names the constraint),
// a lost connection or a lock timeout is kUnavailable, a malformed statement is kInternal.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Kind kind() const = 0;

  virtual Result<Rows> query(std::string_view sql, std::span<const Value> params) = 0;

  template <class... Args>
  Result<Rows> query(std::string_view sql, const Args&... args) {
    const Value values[] = {to_value(args)..., Value(nullptr)};  // sentinel keeps size > 0
    return query(sql, std::span<const Value>(values, sizeof...(Args)));
  }
  // Runs a statement for its effect; returns the number of rows changed.
  template <class... Args>
  Result<int64_t> execute(std::string_view sql, const Args&... args) {
    auto rows = query(sql, args...);
    if (!rows) {
      return std::move(rows).error();
    }
    return rows->affected;
  }
  // Runs several statements with no parameters (migrations only).
  virtual Result<void> execute_script(std::string_view sql) = 0;
};

enum class TxMode {
  kRead,   // SQLite: deferred BEGIN; PostgreSQL: READ ONLY
  kWrite,  // SQLite: BEGIN IMMEDIATE (takes the write lock up front, so no upgrade deadlocks)
};

struct TxOptions {
  TxMode mode = TxMode::kWrite;
  // The tenant of this transaction. On PostgreSQL it is set with set_config('app.org_id', ..,
  // true) so row-level security policies see it; on SQLite repositories filter by it.
  std::optional<std::string> org_id;
  // Reads or writes rows of any tenant on purpose (the identity look-ups that come before the
  // tenant is known: a refresh token or an API key found by its hash). On PostgreSQL it sets
  // app.cross_tenant, which the row-level security policies accept; grep for it in reviews.
  bool cross_tenant = false;
};

struct Options {
  Kind kind = Kind::kSqlite;
  std::filesystem::path sqlite_path;  // SQLite: the service's file (created if missing)
  std::string postgres_url;           // PostgreSQL: libpq connection string
  std::string schema;                 // PostgreSQL: the service's schema (search_path)
  unsigned pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5'000};  // waiting for a free connection
  std::chrono::milliseconds busy_timeout{5'000};     // SQLite busy_timeout / PG lock_timeout

  // The options for service `service` under `config`: <data_dir>/<service>.db, or schema
  // `service` on the configured PostgreSQL.
  static Options for_service(const Config& config, std::string_view service);
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Kind kind() const = 0;

  // Runs `fn(Transaction&)` in a transaction. `fn` returns a Result<T>; the transaction commits
  // when it is ok and rolls back when it is an error or when fn throws (the exception propagates).
  // On PostgreSQL a serialization failure or deadlock reruns fn (at most 3 times).
  template <class F>
  auto transact(const TxOptions& options, F&& fn) -> std::invoke_result_t<F&, Transaction&> {
    using R = std::invoke_result_t<F&, Transaction&>;
    std::optional<R> out;
    Result<void> status = run(options, [&](Transaction& tx) {
      out.reset();
      out.emplace(fn(tx));
      return out->ok();
    });
    if (!status) {
      return std::move(status).error();
    }
    return std::move(*out);
  }
  template <class F>
  auto transact(F&& fn) {
    return transact(TxOptions{}, std::forward<F>(fn));
  }

  // One round trip on a pooled connection, for /health/ready.
  virtual Result<void> ping() = 0;

  // Connections open and in use, for metrics.
  struct PoolStats {
    unsigned size = 0;
    unsigned in_use = 0;
    uint64_t waits = 0;     // acquisitions that had to wait
    uint64_t timeouts = 0;  // acquisitions that gave up
  };
  virtual PoolStats pool_stats() const = 0;

 protected:
  // Begins, calls body (true = commit, false = roll back), commits or rolls back. Returns an
  // error when the transaction could not begin or commit.
  virtual Result<void> run(const TxOptions& options,
                           const std::function<bool(Transaction&)>& body) = 0;
};

Result<std::unique_ptr<Database>> open(const Options& options);

}  // namespace atelier::db
