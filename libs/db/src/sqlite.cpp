// SQLite adapter: one WAL-mode file per service, a pool of connections to it, and one writer at a
// time (BEGIN IMMEDIATE behind an in-process lock, busy_timeout for other processes).
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "adapters.hpp"
#include "pool.hpp"

namespace atelier::db::detail {

namespace {

constexpr std::string_view kBeginWrite = "BEGIN IMMEDIATE";
constexpr std::string_view kBeginRead = "BEGIN";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kPing = "SELECT 1";
constexpr const char* kConnectionSetup =
    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

// Dynamic SQL (IN lists of varying length, ...) must not grow the cache without bound; beyond
// this many statements a connection prepares, runs and finalizes.
constexpr size_t kMaxCachedStatements = 256;

std::string shorten(std::string_view sql) {
  constexpr size_t kMax = 120;
  return sql.size() <= kMax ? std::string(sql) : std::string(sql.substr(0, kMax)) + "...";
}

Error sqlite_error(sqlite3* db, int rc, std::string_view sql) {
  const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
      // "UNIQUE constraint failed: items.name": SQLite names the columns, not the constraint.
      return Error::conflict(message);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error::unavailable("sqlite: " + message);
    default:
      return Error::internal("sqlite: " + message + " (in: " + shorten(sql) + ")");
  }
}

class SqliteConnection {
 public:
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() {
    for (auto& [sql, stmt] : statements_) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<SqliteConnection>> open(const Options& options) {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(options.sqlite_path.c_str(), &db, flags, nullptr);
    // The handle exists even when opening failed, and must be closed by its owner.
    std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
    if (rc != SQLITE_OK) {
      return Error::unavailable("sqlite: cannot open " + options.sqlite_path.string() + ": " +
                                (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db, 1);
    // Before the pragmas: switching to WAL needs a moment of exclusive access, which another
    // connection opening at the same time may hold.
    sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
    char* message = nullptr;
    if (sqlite3_exec(db, kConnectionSetup, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      return Error::unavailable("sqlite: cannot set up " + options.sqlite_path.string() + ": " +
                                text);
    }
    return conn;
  }

  sqlite3* handle() const { return db_; }
  // Outside a transaction: anything else means a ROLLBACK failed and the connection must go.
  bool reusable() const { return sqlite3_get_autocommit(db_) != 0; }

  // A statement ready to bind, reset and unbound again when the handle goes out of scope.
  class Statement {
   public:
    Statement(sqlite3_stmt* stmt, bool owned) : stmt_(stmt), owned_(owned) {}
    Statement(Statement&& other) noexcept
        : stmt_(std::exchange(other.stmt_, nullptr)), owned_(other.owned_) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;
    ~Statement() {
      if (stmt_ == nullptr) {
        return;
      }
      if (owned_) {
        sqlite3_finalize(stmt_);
      } else {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
      }
    }
    sqlite3_stmt* get() const { return stmt_; }

   private:
    sqlite3_stmt* stmt_;
    bool owned_;
  };

  Result<Statement> prepare(std::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) {
      return Statement(it->second, false);
    }
    const bool cache = statements_.size() < kMaxCachedStatements;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
    if (rc != SQLITE_OK) {
      return sqlite_error(db_, rc, sql);
    }
    if (stmt == nullptr) {
      return Error::internal("sqlite: empty statement");
    }
    // A second statement would be silently ignored; PostgreSQL refuses it, so refuse it here.
    // What follows may still be blanks or comments, which prepare to no statement at all.
    const char* end = sql.data() + sql.size();
    if (tail != nullptr && tail < end) {
      sqlite3_stmt* extra = nullptr;
      const int extra_rc =
          sqlite3_prepare_v3(db_, tail, static_cast<int>(end - tail), 0, &extra, nullptr);
      if (extra_rc != SQLITE_OK || extra != nullptr) {
        sqlite3_finalize(extra);
        sqlite3_finalize(stmt);
        return Error::internal(
            "sqlite: query() runs one statement; use execute_script (in: " + shorten(sql) + ")");
      }
    }
    if (cache) {
      statements_.emplace(std::string(sql), stmt);
    }
    return Statement(stmt, !cache);
  }

  // Runs a parameterless statement to completion (BEGIN, COMMIT, ...).
  Result<void> run(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) {
      return std::move(stmt).error();
    }
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) {
      rc = sqlite3_step(stmt->get());
    }
    if (rc != SQLITE_DONE) {
      return sqlite_error(db_, rc, sql);
    }
    return {};
  }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
};

Result<void> bind(sqlite3_stmt* stmt, std::span<const Value> params, std::string_view sql) {
  if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
    return Error::internal(
        "sqlite: statement takes " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
        " parameters, given " + std::to_string(params.size()) + " (in: " + shorten(sql) + ")");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    // By name, so that $2 may come before $1 and $1 may appear twice, as on PostgreSQL.
    const std::string name = "$" + std::to_string(i + 1);
    const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
    if (index == 0) {
      return Error::internal("sqlite: the statement does not use " + name +
                             " (placeholders are $1, $2, ...) (in: " + shorten(sql) + ")");
    }
    const Value& v = params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(v)) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // SQLITE_STATIC: the caller's values outlive the statement's execution.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Bytes>(&v)) {
      // A null pointer would bind NULL; an empty blob is still a blob.
      rc = b->empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                      : sqlite3_bind_blob64(stmt, index, b->data(), b->size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) {
      return sqlite_error(sqlite3_db_handle(stmt), rc, sql);
    }
  }
  return {};
}

Value column_value(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return int64_t{sqlite3_column_int64(stmt, i)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* text = sqlite3_column_text(stmt, i);
      const int size = sqlite3_column_bytes(stmt, i);
      return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
      const int size = sqlite3_column_bytes(stmt, i);
      return data == nullptr ? Bytes{} : Bytes(data, data + size);
    }
    default:
      return nullptr;
  }
}

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteConnection& conn, TxMode mode) : conn_(conn), mode_(mode) {}

  Kind kind() const override { return Kind::kSqlite; }
  using Transaction::query;

  Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
    if (first_error_) {
      return aborted();
    }
    auto out = run_query(sql, params);
    if (!out) {
      first_error_ = out.error();
    }
    return out;
  }

  Result<void> execute_script(std::string_view sql) override {
    if (first_error_) {
      return aborted();
    }
    if (mode_ == TxMode::kRead) {
      first_error_ = Error::internal("sqlite: execute_script in a read-only transaction");
      return *first_error_;
    }
    const std::string text(sql);  // sqlite3_exec wants a terminated string
    char* message = nullptr;
    const int rc = sqlite3_exec(conn_.handle(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      sqlite3_free(message);
      first_error_ = sqlite_error(conn_.handle(), rc, sql);
      return *first_error_;
    }
    return {};
  }

  // SQLite would carry on after a failed statement and commit the others; PostgreSQL aborts
  // the transaction. The stricter rule holds on both, so that code tested on SQLite does not
  // come to rely on partial commits: after the first failure every statement is refused and
  // the transaction rolls back even if the body asks to commit.
  const std::optional<Error>& first_error() const { return first_error_; }

 private:
  Error aborted() const {
    return Error::internal("sqlite: the transaction was aborted by an earlier error: " +
                           first_error_->message);
  }

  Result<Rows> run_query(std::string_view sql, std::span<const Value> params) {
    auto stmt = conn_.prepare(sql);
    if (!stmt) {
      return std::move(stmt).error();
    }
    sqlite3_stmt* s = stmt->get();
    // PostgreSQL refuses writes in a READ ONLY transaction; refuse them here too, so that code
    // tested on SQLite behaves the same on PostgreSQL.
    if (mode_ == TxMode::kRead && sqlite3_stmt_readonly(s) == 0) {
      return Error::internal(
          "sqlite: cannot write in a read-only transaction (in: " + shorten(sql) + ")");
    }
    if (auto bound = bind(s, params, sql); !bound) {
      return std::move(bound).error();
    }
    sqlite3* db = conn_.handle();
    const int64_t changes_before = sqlite3_total_changes64(db);
    const int columns = sqlite3_column_count(s);
    auto names = std::make_shared<std::vector<std::string>>();
    names->reserve(static_cast<size_t>(columns));
    for (int i = 0; i < columns; ++i) {
      const char* name = sqlite3_column_name(s, i);
      names->emplace_back(name != nullptr ? name : "");
    }
    std::shared_ptr<const std::vector<std::string>> shared_names = std::move(names);
    Rows out;
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        return sqlite_error(db, rc, sql);
      }
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(columns));
      for (int i = 0; i < columns; ++i) {
        values.push_back(column_value(s, i));
      }
      out.rows.emplace_back(shared_names, std::move(values));
    }
    // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, even across a SELECT.
    if (sqlite3_total_changes64(db) != changes_before) {
      out.affected = sqlite3_changes64(db);
    }
    return out;
  }

  SqliteConnection& conn_;
  TxMode mode_;
  std::optional<Error> first_error_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const Options& options)
      : options_(options), pool_(options.pool_size, options.acquire_timeout, [this] {
          return SqliteConnection::open(options_);
        }) {}

  Kind kind() const override { return Kind::kSqlite; }

  Result<void> ping() override {
    auto conn = pool_.acquire();
    if (!conn) {
      return std::move(conn).error();
    }
    return (*conn)->run(kPing);
  }

  PoolStats pool_stats() const override { return pool_.stats(); }

 protected:
  Result<void> run(const TxOptions& options,
                   const std::function<bool(Transaction&)>& body) override {
    auto lease = pool_.acquire();
    if (!lease) {
      return std::move(lease).error();
    }
    SqliteConnection& conn = **lease;
    // SQLite has one writer per file. Queueing this process's writers on a mutex keeps them off
    // SQLite's busy handler, which polls with sleeps and is unfair under contention; the busy
    // timeout still covers writers in other processes. Taken after the connection so that no
    // one holds the lock while waiting for the pool.
    std::unique_lock write_lock(write_mutex_, std::defer_lock);
    if (options.mode == TxMode::kWrite && !write_lock.try_lock_for(options_.busy_timeout)) {
      return Error::unavailable("sqlite: another write transaction held " +
                                options_.sqlite_path.string() + " for more than " +
                                std::to_string(options_.busy_timeout.count()) + " ms");
    }
    if (auto begun = conn.run(options.mode == TxMode::kWrite ? kBeginWrite : kBeginRead); !begun) {
      return std::move(begun).error();
    }
    SqliteTransaction tx(conn, options.mode);
    bool commit = false;
    try {
      commit = body(tx);
    } catch (...) {
      (void)conn.run(kRollback);  // a failed rollback leaves the connection unusable: closed
      throw;
    }
    if (!commit) {
      (void)conn.run(kRollback);
      return {};
    }
    if (tx.first_error()) {
      (void)conn.run(kRollback);
      return *tx.first_error();
    }
    if (auto committed = conn.run(kCommit); !committed) {
      (void)conn.run(kRollback);
      return std::move(committed).error();
    }
    return {};
  }

 private:
  const Options options_;
  std::timed_mutex write_mutex_;
  Pool<SqliteConnection> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const Options& options) {
  if (options.sqlite_path.empty()) {
    return Error::invalid("sqlite: no database file given");
  }
  if (options.sqlite_path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(options.sqlite_path.parent_path(), ec);
    if (ec) {
      return Error::unavailable("sqlite: cannot create " +
                                options.sqlite_path.parent_path().string() + ": " + ec.message());
    }
  }
  auto db = std::make_unique<SqliteDatabase>(options);
  // One connection now, so that a bad path or a locked file is reported at start-up.
  if (auto ok = db->ping(); !ok) {
    return std::move(ok).error();
  }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace atelier::db::detail
