#include "atelier/db/migrations.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "atelier/core/clock.hpp"
#include "atelier/core/log.hpp"

namespace atelier::db {

namespace {

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (component, version)
))sql";
// PostgreSQL only: one migrator per schema at a time, held to the end of the transaction. Keyed
// on the schema rather than the component because components of one schema share
// schema_migrations (whose creation must not race either).
constexpr std::string_view kLockMigrations =
    "SELECT pg_advisory_xact_lock(hashtext('atelier.schema_migrations:' || current_schema()))";
constexpr std::string_view kSelectRecorded =
    "SELECT version, checksum FROM schema_migrations WHERE component = $1";
constexpr std::string_view kSelectChecksum =
    "SELECT checksum FROM schema_migrations WHERE component = $1 AND version = $2";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (component, version, name, checksum, applied_at) "
    "VALUES ($1, $2, $3, $4, $5)";

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    // Only fails when OpenSSL cannot allocate or has no SHA-256: not something to recover from.
    throw std::runtime_error("OpenSSL EVP_Digest(SHA-256) failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size_t{size} * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

enum class Engines { kBoth, kPostgresOnly, kSqliteOnly };

struct ParsedName {
  int version = 0;
  Engines engines = Engines::kBoth;
};

std::optional<ParsedName> parse_name(std::string_view name) {
  constexpr std::string_view kSql = ".sql";
  constexpr std::string_view kPg = ".pg.sql";
  constexpr std::string_view kSqlite = ".sqlite.sql";
  if (!name.ends_with(kSql)) {
    return std::nullopt;
  }
  ParsedName out;
  std::string_view stem = name.substr(0, name.size() - kSql.size());
  if (name.ends_with(kPg)) {
    out.engines = Engines::kPostgresOnly;
    stem = name.substr(0, name.size() - kPg.size());
  } else if (name.ends_with(kSqlite)) {
    out.engines = Engines::kSqliteOnly;
    stem = name.substr(0, name.size() - kSqlite.size());
  }
  const size_t underscore = stem.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore + 1 == stem.size()) {
    return std::nullopt;
  }
  const std::string_view digits = stem.substr(0, underscore);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.version);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || out.version < 0) {
    return std::nullopt;
  }
  return out;
}

bool applies_to(Engines engines, Kind kind) {
  switch (engines) {
    case Engines::kBoth:
      return true;
    case Engines::kPostgresOnly:
      return kind == Kind::kPostgres;
    case Engines::kSqliteOnly:
      return kind == Kind::kSqlite;
  }
  return false;
}

std::string label(std::string_view component, std::string_view name) {
  return std::string(component) + "/" + std::string(name);
}

Error changed_error(std::string_view component, const Migration& m, std::string_view recorded) {
  return Error::conflict("migration " + label(component, m.name) +
                         " was changed after it was applied (recorded checksum " +
                         std::string(recorded) + ", file " + m.checksum + ")");
}

Result<void> lock_if_postgres(Transaction& tx) {
  if (tx.kind() != Kind::kPostgres) {
    return {};  // SQLite: BEGIN IMMEDIATE already made this the only writer
  }
  auto locked = tx.query(kLockMigrations);
  if (!locked) {
    return std::move(locked).error();
  }
  return {};
}

}  // namespace

Result<std::vector<Migration>> select_migrations(std::span<const MigrationFile> files, Kind kind) {
  std::vector<Migration> out;
  std::map<int, std::string> by_version;  // for this engine
  for (const MigrationFile& file : files) {
    const auto parsed = parse_name(file.name);
    if (!parsed) {
      return Error::invalid("migration file name '" + file.name +
                            "' is not NNNN_name.sql, NNNN_name.pg.sql or NNNN_name.sqlite.sql");
    }
    if (!applies_to(parsed->engines, kind)) {
      continue;
    }
    auto [it, inserted] = by_version.emplace(parsed->version, file.name);
    if (!inserted) {
      return Error::invalid("migrations " + it->second + " and " + file.name +
                            " have the same version " + std::to_string(parsed->version) + " for " +
                            std::string(kind_name(kind)));
    }
    out.push_back(Migration{parsed->version, file.name, file.sql, sha256_hex(file.sql)});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

Result<std::vector<MigrationFile>> read_migration_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    return Error::not_found("cannot read migration directory " + dir.string() + ": " +
                            ec.message());
  }
  std::vector<MigrationFile> out;
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec) || entry.path().extension() != ".sql") {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return Error::internal("cannot read migration " + entry.path().string());
    }
    out.push_back(MigrationFile{entry.path().filename().string(), std::move(text).str()});
  }
  std::sort(out.begin(), out.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.name < b.name; });
  return out;
}

Result<MigrateReport> migrate(Database& db, std::string_view component,
                              std::span<const Migration> migrations) {
  const std::string component_text(component);

  // The table, and what is recorded so far. Every changed migration is refused before any new
  // one runs, so a tampered history never gets half-applied on top.
  using Recorded = std::map<int64_t, std::string>;
  auto recorded = db.transact([&](Transaction& tx) -> Result<Recorded> {
    if (auto locked = lock_if_postgres(tx); !locked) {
      return std::move(locked).error();
    }
    if (auto created = tx.execute_script(kCreateMigrationsTable); !created) {
      return std::move(created).error();
    }
    auto rows = tx.query(kSelectRecorded, component_text);
    if (!rows) {
      return std::move(rows).error();
    }
    Recorded out;
    for (const Row& row : *rows) {
      out.emplace(row.get_int(0), row.get_text(1));
    }
    return out;
  });
  if (!recorded) {
    return std::move(recorded).error();
  }
  for (const Migration& m : migrations) {
    if (auto it = recorded->find(m.version); it != recorded->end() && it->second != m.checksum) {
      return changed_error(component, m, it->second);
    }
  }

  MigrateReport report;
  for (const Migration& m : migrations) {
    if (recorded->contains(m.version)) {
      ++report.already;
      continue;
    }
    // Applied and recorded in one transaction: a failure leaves neither. Checked again under
    // the lock, since another process may have applied it since the first look.
    bool applied_here = false;
    auto done = db.transact([&](Transaction& tx) -> Result<void> {
      applied_here = false;
      if (auto locked = lock_if_postgres(tx); !locked) {
        return std::move(locked).error();
      }
      auto existing = tx.query(kSelectChecksum, component_text, m.version);
      if (!existing) {
        return std::move(existing).error();
      }
      if (!existing->empty()) {
        const std::string checksum = (*existing)[0].get_text(0);
        if (checksum != m.checksum) {
          return changed_error(component, m, checksum);
        }
        return {};
      }
      if (auto ran = tx.execute_script(m.sql); !ran) {
        Error error = std::move(ran).error();
        error.message = "migration " + label(component, m.name) + " failed: " + error.message;
        return error;
      }
      auto inserted = tx.execute(kInsertMigration, component_text, m.version, m.name, m.checksum,
                                 format_rfc3339(SystemClock::instance().now()));
      if (!inserted) {
        return std::move(inserted).error();
      }
      applied_here = true;
      return {};
    });
    if (!done) {
      return std::move(done).error();
    }
    if (applied_here) {
      ++report.applied;
      log::info("db.migration.applied")
          .field("component", component)
          .field("name", m.name)
          .field("engine", kind_name(db.kind()));
    } else {
      ++report.already;
    }
  }
  return report;
}

}  // namespace atelier::db
