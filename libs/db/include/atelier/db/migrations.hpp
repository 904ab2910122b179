// Schema migrations: numbered SQL files applied in order, each inside a transaction, recorded in
// `schema_migrations` with a checksum. A recorded migration whose file changed stops start-up.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"

namespace atelier::db {

struct Migration {
  int version = 0;   // from the NNNN_ prefix
  std::string name;  // file name, e.g. 0001_outbox.sql or 0002_rls.pg.sql
  std::string sql;
  std::string checksum;  // SHA-256 of sql, hex
};

// A migration as compiled into the binary (see atelier_embed_migrations in cmake/).
struct MigrationFile {
  std::string name;
  std::string sql;
};

// The migrations of `files` that apply to `kind`: `NNNN_x.sql` everywhere, `NNNN_x.pg.sql` on
// PostgreSQL only, `NNNN_x.sqlite.sql` on SQLite only; sorted by version. Two files with the same
// version for the same engine, or a name without the NNNN_ prefix, are an error.
Result<std::vector<Migration>> select_migrations(std::span<const MigrationFile> files, Kind kind);
// Reads a directory of migration files (for tools and tests).
Result<std::vector<MigrationFile>> read_migration_dir(const std::filesystem::path& dir);

struct MigrateReport {
  int applied = 0;
  int already = 0;
};

// Applies the migrations of `component` (a service name, or "events" for the kernel's tables)
// that are not yet recorded. Refuses (kConflict) when a recorded migration's checksum differs.
Result<MigrateReport> migrate(Database& db, std::string_view component,
                              std::span<const Migration> migrations);

}  // namespace atelier::db
