// PostgreSQL adapter (libpq): one schema per service, statements prepared once per connection,
// the tenant passed to row-level security with set_config, and retries of transactions that lost
// a serialization race or a deadlock.
#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>

#include "adapters.hpp"
#include "atelier/core/log.hpp"
#include "pool.hpp"

namespace atelier::db::detail {

namespace {

constexpr std::string_view kBeginWrite = "BEGIN";
constexpr std::string_view kBeginRead = "BEGIN READ ONLY";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kPing = "SELECT 1";
constexpr std::string_view kSetOrg = "SELECT set_config('app.org_id', $1, true)";
constexpr std::string_view kSetCrossTenant = "SELECT set_config('app.cross_tenant', 'on', true)";
constexpr std::string_view kSchemaExists = "SELECT 1 FROM pg_namespace WHERE nspname = $1";

// The first run plus this many reruns after a serialization failure or a deadlock.
constexpr int kMaxAttempts = 4;
// As for SQLite: dynamic SQL beyond this many texts runs as the unnamed statement, uncached.
constexpr size_t kMaxCachedStatements = 256;

// Type OIDs from pg_type.h (stable across releases).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string shorten(std::string_view sql) {
  constexpr size_t kMax = 120;
  return sql.size() <= kMax ? std::string(sql) : std::string(sql.substr(0, kMax)) + "...";
}

// libpq's messages span lines ("...\n\tThis probably means..."): one line suits logs better.
std::string trimmed(const char* text) {
  std::string s;
  for (const char* p = text != nullptr ? text : ""; *p != '\0'; ++p) {
    const bool blank = *p == '\n' || *p == '\t' || *p == ' ';
    if (!blank) {
      s += *p;
    } else if (!s.empty() && s.back() != ' ') {
      s += ' ';
    }
  }
  while (!s.empty() && s.back() == ' ') {
    s.pop_back();
  }
  return s;
}

bool is_retryable(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";  // serialization_failure, deadlock_detected
}

// Maps a failed command to an Error. `res` may be null when libpq could not even send it.
Error pg_error(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string message =
      res != nullptr ? trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) : std::string();
  if (message.empty()) {
    message = trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  }
  if (message.empty()) {
    message = trimmed(PQerrorMessage(conn));
  }
  if (sqlstate == "23505" || sqlstate == "23503" || sqlstate == "23514") {
    const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    return Error::conflict("constraint " + std::string(constraint != nullptr ? constraint : "?") +
                           ": " + message);
  }
  if (is_retryable(sqlstate)) {
    return Error::conflict("postgres: " + message);
  }
  // lock_not_available, operator intervention (query_canceled, admin_shutdown, ...), connection
  // exceptions, insufficient resources (too_many_connections): the server, not the statement.
  if (sqlstate == "55P03" || sqlstate.starts_with("57") || sqlstate.starts_with("08") ||
      sqlstate.starts_with("53") || (sqlstate.empty() && PQstatus(conn) != CONNECTION_OK)) {
    return Error::unavailable("postgres: " + message);
  }
  return Error::internal("postgres: " + message + (sqlstate.empty() ? "" : " [" + sqlstate + "]") +
                         " (in: " + shorten(sql) + ")");
}

std::string sqlstate_of(const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

bool valid_schema_name(std::string_view name) {
  if (name.empty() || name.size() > 63) {
    return false;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::optional<double> parse_double(std::string_view text) {
  // Spelled out: PostgreSQL writes "Infinity" and "NaN", which not every parser takes.
  if (text == "NaN") {
    return std::nan("");
  }
  if (text == "Infinity") {
    return HUGE_VAL;
  }
  if (text == "-Infinity") {
    return -HUGE_VAL;
  }
  double out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return out;
}

Value column_value(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col) != 0) {
    return nullptr;
  }
  const char* data = PQgetvalue(res, row, col);
  const std::string_view text(data, static_cast<size_t>(PQgetlength(res, row, col)));
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      if (auto n = parse_int(text)) {
        return *n;
      }
      break;
    case kBoolOid:
      return int64_t{text == "t" ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid:
      if (auto d = parse_double(text)) {
        return *d;
      }
      break;
    case kNumericOid:
      // sum(bigint) and count-like arithmetic come back as numeric: keep whole numbers exact
      // (as SQLite does) and give the rest as double.
      if (auto n = parse_int(text)) {
        return *n;
      }
      if (auto d = parse_double(text)) {
        return *d;
      }
      break;
    case kByteaOid: {
      size_t size = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(data), &size);
      if (raw == nullptr) {
        break;
      }
      Bytes bytes(raw, raw + size);
      PQfreemem(raw);
      return bytes;
    }
    default:
      break;
  }
  return std::string(text);
}

// Parameters in libpq's form. Numbers go as text, bytes as binary (format 1) so that they need
// no escaping. The pointers refer to `params` and to `text_`, which must outlive the call.
class PgParams {
 public:
  explicit PgParams(std::span<const Value> params) {
    const size_t n = params.size();
    text_.resize(n);
    values_.resize(n, nullptr);
    lengths_.resize(n, 0);
    formats_.resize(n, 0);
    for (size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (const auto* num = std::get_if<int64_t>(&v)) {
        text_[i] = std::to_string(*num);
        values_[i] = text_[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        text_[i] = format_double(*d);
        values_[i] = text_[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        values_[i] = s->c_str();
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        static const char kEmpty[] = "";
        // A null pointer would send NULL; an empty bytea is not NULL.
        values_[i] = b->empty() ? kEmpty : reinterpret_cast<const char*>(b->data());
        lengths_[i] = static_cast<int>(b->size());
        formats_[i] = 1;
      }
    }
  }

  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  static std::string format_double(double d) {
    if (std::isnan(d)) {
      return "NaN";
    }
    if (std::isinf(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact round trip
    return std::string(buf, ptr);
  }

  std::vector<std::string> text_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

class PgConnection {
 public:
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() { PQfinish(conn_); }

  static Result<std::unique_ptr<PgConnection>> connect(const Options& options) {
    // The URL's own settings win over these defaults (later keywords override earlier ones, and
    // the expanded dbname stands where it is listed).
    const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "atelier", options.postgres_url.c_str(), nullptr};
    PGconn* raw = PQconnectdbParams(keywords, values, 1);
    if (raw == nullptr) {
      return Error::unavailable("postgres: out of memory while connecting");
    }
    std::unique_ptr<PgConnection> conn(new PgConnection(raw, options));
    if (auto ok = conn->set_up(); !ok) {
      return std::move(ok).error();
    }
    return conn;
  }

  PGconn* handle() const { return conn_; }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  bool reusable() const { return healthy() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

  // Reconnects in place after the server went away (restart, failover, terminated backend).
  Result<void> reconnect() {
    statements_.clear();  // prepared statements died with the old session
    PQreset(conn_);
    return set_up();
  }

  // Runs a command without parameters through the simple protocol.
  PgResult exec(std::string_view sql) {
    const std::string text(sql);
    return PgResult(PQexec(conn_, text.c_str()));
  }

  // Prepares `sql` on first use, then executes it with `params`.
  Result<PgResult> exec_prepared(std::string_view sql, std::span<const Value> params) {
    const std::string* name = nullptr;
    static const std::string kUnnamed;
    if (auto it = statements_.find(sql); it != statements_.end()) {
      name = &it->second;
    } else {
      const bool cache = statements_.size() < kMaxCachedStatements;
      std::string fresh = cache ? "atelier_" + std::to_string(++statement_counter_) : kUnnamed;
      const std::string text(sql);
      PgResult prepared(PQprepare(conn_, fresh.c_str(), text.c_str(), 0, nullptr));
      if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        return pg_error(conn_, prepared.get(), sql);
      }
      name = cache ? &statements_.emplace(text, std::move(fresh)).first->second : &kUnnamed;
    }
    const PgParams p(params);
    PgResult res(
        PQexecPrepared(conn_, name->c_str(), p.count(), p.values(), p.lengths(), p.formats(), 0));
    return res;
  }

 private:
  PgConnection(PGconn* conn, const Options& options) : conn_(conn), options_(options) {
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  }

  // Per session: the service's schema (created by the first connection that finds it missing)
  // and the lock timeout.
  Result<void> set_up() {
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Error::unavailable("postgres: cannot connect: " + trimmed(PQerrorMessage(conn_)));
    }
    const std::string& schema = options_.schema;
    const std::string quoted = "\"" + schema + "\"";  // safe: the name was validated
    const Value name[] = {Value(schema)};
    auto exists = exec_prepared(kSchemaExists, name);
    if (!exists) {
      return std::move(exists).error();
    }
    if (PQresultStatus(exists->get()) != PGRES_TUPLES_OK) {
      return pg_error(conn_, exists->get(), kSchemaExists);
    }
    if (PQntuples(exists->get()) == 0) {
      const std::string create = "CREATE SCHEMA IF NOT EXISTS " + quoted;
      PgResult res = exec(create);
      // Two connections may create it at once: the loser sees a duplicate in the catalog.
      const std::string state = sqlstate_of(res.get());
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK && state != "42P06" && state != "23505") {
        return pg_error(conn_, res.get(), create);
      }
    }
    const std::string settings = "SET search_path TO " + quoted + "; SET lock_timeout = " +
                                 std::to_string(options_.busy_timeout.count());
    PgResult res = exec(settings);
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      return pg_error(conn_, res.get(), settings);
    }
    return {};
  }

  PGconn* conn_;
  const Options& options_;
  std::map<std::string, std::string, std::less<>> statements_;  // SQL text -> statement name
  uint64_t statement_counter_ = 0;
};

class PgTransaction final : public Transaction {
 public:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) {}

  Kind kind() const override { return Kind::kPostgres; }
  using Transaction::query;

  Result<Rows> query(std::string_view sql, std::span<const Value> params) override {
    auto res = conn_.exec_prepared(sql, params);
    if (!res) {
      return failed(std::move(res).error());
    }
    const PGresult* r = res->get();
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
      retryable_ = retryable_ || is_retryable(sqlstate_of(r));
      return failed(pg_error(conn_.handle(), r, sql));
    }
    Rows out;
    const int columns = PQnfields(r);
    const int rows = PQntuples(r);
    if (columns > 0) {
      auto names = std::make_shared<std::vector<std::string>>();
      names->reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        names->emplace_back(PQfname(r, c));
      }
      std::shared_ptr<const std::vector<std::string>> shared_names = std::move(names);
      out.rows.reserve(static_cast<size_t>(rows));
      for (int i = 0; i < rows; ++i) {
        std::vector<Value> values;
        values.reserve(static_cast<size_t>(columns));
        for (int c = 0; c < columns; ++c) {
          values.push_back(column_value(r, i, c));
        }
        out.rows.emplace_back(shared_names, std::move(values));
      }
    }
    // PQcmdTuples counts the rows a SELECT returned too; only changes count as affected.
    if (!std::string_view(PQcmdStatus(const_cast<PGresult*>(r))).starts_with("SELECT")) {
      out.affected = parse_int(PQcmdTuples(const_cast<PGresult*>(r))).value_or(0);
    }
    return out;
  }

  Result<void> execute_script(std::string_view sql) override {
    PgResult res = conn_.exec(sql);
    const ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
      retryable_ = retryable_ || is_retryable(sqlstate_of(res.get()));
      return failed(pg_error(conn_.handle(), res.get(), sql));
    }
    return {};
  }

  // A statement failed with a serialization failure or a deadlock: the whole body may rerun.
  bool retryable() const { return retryable_; }
  // The first failure: after it the server ignores everything until ROLLBACK, so it is the one
  // to report if the body carries on and asks to commit anyway.
  const std::optional<Error>& first_error() const { return first_error_; }

 private:
  Error failed(Error error) {
    if (!first_error_) {
      first_error_ = error;
    }
    return error;
  }

  PgConnection& conn_;
  bool retryable_ = false;
  std::optional<Error> first_error_;
};

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(const Options& options)
      : options_(options), pool_(options.pool_size, options.acquire_timeout, [this] {
          return PgConnection::connect(options_);
        }) {}

  Kind kind() const override { return Kind::kPostgres; }

  Result<void> ping() override {
    auto lease = pool_.acquire();
    if (!lease) {
      return std::move(lease).error();
    }
    return with_reconnect(**lease, [&](PgConnection& conn) -> Result<void> {
      PgResult res = conn.exec(kPing);
      if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
        return pg_error(conn.handle(), res.get(), kPing);
      }
      return {};
    });
  }

  PoolStats pool_stats() const override { return pool_.stats(); }

 protected:
  Result<void> run(const TxOptions& options,
                   const std::function<bool(Transaction&)>& body) override {
    auto lease = pool_.acquire();
    if (!lease) {
      return std::move(lease).error();
    }
    PgConnection& conn = **lease;
    std::string last_failure;
    for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
      if (attempt > 1) {
        backoff(attempt);
      }
      if (auto begun = begin(conn, options); !begun) {
        return std::move(begun).error();
      }
      PgTransaction tx(conn);
      bool commit = false;
      try {
        commit = body(tx);
      } catch (...) {
        rollback(conn);  // a connection the rollback could not clean is closed, not reused
        throw;
      }
      if (tx.retryable()) {
        last_failure = tx.first_error() ? tx.first_error()->message : "";
        rollback(conn);
        continue;
      }
      if (!commit) {
        rollback(conn);
        return {};
      }
      PgResult res = conn.exec(kCommit);
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
        if (is_retryable(sqlstate_of(res.get()))) {
          last_failure = trimmed(PQresultErrorMessage(res.get()));
          rollback(conn);
          continue;
        }
        Error error = pg_error(conn.handle(), res.get(), kCommit);
        rollback(conn);
        return error;
      }
      // COMMIT of a transaction that had failed answers ROLLBACK, not an error.
      if (std::string_view(PQcmdStatus(res.get())) != "COMMIT") {
        if (tx.first_error()) {
          return *tx.first_error();
        }
        return Error::internal("postgres: the transaction was rolled back by the server");
      }
      return {};
    }
    log::warn("db.transaction.gave_up")
        .field("attempts", kMaxAttempts)
        .field("error", last_failure);
    return Error::conflict("postgres: transaction failed " + std::to_string(kMaxAttempts) +
                           " times on a serialization failure or deadlock: " + last_failure);
  }

 private:
  // Runs `fn` and, when the connection turns out to be dead (a server restart since it was last
  // used), reconnects once and runs it again. Only for work that is safe to repeat: nothing has
  // been done in a session that died.
  template <class F>
  Result<void> with_reconnect(PgConnection& conn, F&& fn) {
    Result<void> first = fn(conn);
    if (first || conn.healthy()) {
      return first;
    }
    log::warn("db.connection.lost").field("error", first.error().message);
    if (auto again = conn.reconnect(); !again) {
      return std::move(again).error();
    }
    return fn(conn);
  }

  Result<void> begin(PgConnection& conn, const TxOptions& options) {
    return with_reconnect(conn, [&](PgConnection& c) -> Result<void> {
      const std::string_view begin = options.mode == TxMode::kRead ? kBeginRead : kBeginWrite;
      PgResult res = c.exec(begin);
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
        return pg_error(c.handle(), res.get(), begin);
      }
      PgTransaction tx(c);
      if (options.org_id) {
        auto set = tx.query(kSetOrg, *options.org_id);
        if (!set) {
          rollback(c);
          return std::move(set).error();
        }
      }
      if (options.cross_tenant) {
        auto set = tx.query(kSetCrossTenant);
        if (!set) {
          rollback(c);
          return std::move(set).error();
        }
      }
      return {};
    });
  }

  static void rollback(PgConnection& conn) {
    if (PQtransactionStatus(conn.handle()) == PQTRANS_IDLE) {
      return;
    }
    PgResult res = conn.exec(kRollback);  // leaves the connection non-reusable if it fails
  }

  static void backoff(int attempt) {
    // Jittered, growing pause so that the transactions that collided do not collide again.
    thread_local std::minstd_rand rng(std::random_device{}());
    const int base_ms = 5 << (attempt - 2);
    std::uniform_int_distribution<int> jitter(base_ms, 2 * base_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }

  const Options options_;
  Pool<PgConnection> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const Options& options) {
  if (options.postgres_url.empty()) {
    return Error::invalid("postgres: no connection URL given (postgres_url)");
  }
  if (!valid_schema_name(options.schema)) {
    return Error::invalid("postgres: schema name '" + options.schema +
                          "' must match [a-z_][a-z0-9_]* (at most 63 characters)");
  }
  auto db = std::make_unique<PgDatabase>(options);
  // One connection now, so that a wrong URL or missing rights are reported at start-up.
  if (auto ok = db->ping(); !ok) {
    return std::move(ok).error();
  }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace atelier::db::detail
