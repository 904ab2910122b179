#include "projects/adapters/sql_store.hpp"

#include <stdexcept>

#include "projects/adapters/sql_rows.hpp"

namespace atelier::projects::adapters {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO projects (id, org_id, code, name, address, client, start_date, end_date, "
    "budget_minor, currency, status, version, created_at, updated_at, archived_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
constexpr std::string_view kFind =
    "SELECT id, org_id, code, name, address, client, start_date, end_date, budget_minor, "
    "currency, status, version, created_at, updated_at, archived_at FROM projects "
    "WHERE org_id = $1 AND id = $2";
// A compare-and-set on the version, so two concurrent changes cannot both win.
constexpr std::string_view kUpdate =
    "UPDATE projects SET code = $3, name = $4, address = $5, client = $6, start_date = $7, "
    "end_date = $8, budget_minor = $9, currency = $10, status = $11, version = $12, "
    "updated_at = $13, archived_at = $14 WHERE org_id = $1 AND id = $2 AND version = $15";
// Optional filters are written so that one statement serves every combination: an empty
// status or pattern matches everything. `!` escapes LIKE's wildcards in the user's text. The
// join brings the project role of user $6 ('' joins nothing); $7 = 1 keeps only the projects
// they take part in.
constexpr std::string_view kList =
    "SELECT p.id, p.org_id, p.code, p.name, p.address, p.client, p.start_date, p.end_date, "
    "p.budget_minor, p.currency, p.status, p.version, p.created_at, p.updated_at, p.archived_at, "
    "pp.role FROM projects p "
    "LEFT JOIN project_participants pp ON pp.org_id = p.org_id AND pp.project_id = p.id "
    "AND pp.user_id = CAST($6 AS TEXT) "
    "WHERE p.org_id = $1 AND p.id > $2 "
    "AND (CAST($3 AS TEXT) = '' OR p.status = CAST($3 AS TEXT)) "
    "AND (CAST($4 AS TEXT) = '' OR LOWER(p.name) LIKE CAST($4 AS TEXT) ESCAPE '!' "
    "OR LOWER(p.code) LIKE CAST($4 AS TEXT) ESCAPE '!') "
    "AND (CAST($5 AS BIGINT) = 1 OR p.archived_at IS NULL) "
    "AND (CAST($7 AS BIGINT) = 0 OR pp.id IS NOT NULL) "
    "ORDER BY p.id LIMIT $8";
// Takes the row lock on PostgreSQL without changing anything (SQLite's write transactions hold
// the database lock already).
constexpr std::string_view kLock =
    "UPDATE projects SET version = version WHERE org_id = $1 AND id = $2";

domain::Project project_of(const db::Row& row) {
  domain::Project p;
  p.id = row.get_text(0);
  p.org_id = row.get_text(1);
  p.code = row.get_text(2);
  p.name = row.get_text(3);
  p.address = row.get_text(4);
  p.client = row.get_text(5);
  p.start_date = row.get_text(6);
  p.end_date = row.get_opt_text(7);
  p.budget_minor = row.get_opt_int(8);
  p.currency = row.get_text(9);
  const auto status = domain::parse_status(row.get_text(10));
  if (!status) {
    throw std::logic_error("projects: unknown status in row " + p.id);
  }
  p.status = *status;
  p.version = row.get_int(11);
  p.created_at = time_of(row, 12);
  p.updated_at = time_of(row, 13);
  if (!row.is_null(14)) {
    p.archived_at = time_of(row, 14);
  }
  return p;
}

// `text` as a LIKE pattern matching it anywhere, lower-cased, its wildcards escaped.
std::string contains_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '!' || c == '%' || c == '_') {
      out += '!';
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  out += '%';
  return out;
}

}  // namespace

Result<void> SqlProjectStore::insert(Tx& tx, const domain::Project& p) {
  auto r = tx.execute(kInsert, p.id, p.org_id, p.code, p.name, p.address, p.client, p.start_date,
                      p.end_date, p.budget_minor, p.currency, domain::status_name(p.status),
                      p.version, format_rfc3339(p.created_at), format_rfc3339(p.updated_at),
                      opt_time(p.archived_at));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::optional<domain::Project>> SqlProjectStore::find(Tx& tx, const std::string& org_id,
                                                             const std::string& id) {
  auto rows = tx.query(kFind, org_id, id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<domain::Project>();
  }
  return std::optional<domain::Project>(project_of((*rows)[0]));
}

Result<bool> SqlProjectStore::update(Tx& tx, const domain::Project& p, int64_t expected_version) {
  auto changed =
      tx.execute(kUpdate, p.org_id, p.id, p.code, p.name, p.address, p.client, p.start_date,
                 p.end_date, p.budget_minor, p.currency, domain::status_name(p.status), p.version,
                 format_rfc3339(p.updated_at), opt_time(p.archived_at), expected_version);
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<std::vector<app::ProjectWithRole>> SqlProjectStore::list(Tx& tx, const std::string& org_id,
                                                                const app::ProjectFilter& f) {
  const std::string status = f.status ? std::string(domain::status_name(*f.status)) : "";
  const std::string pattern = f.q.empty() ? "" : contains_pattern(f.q);
  auto rows = tx.query(kList, org_id, f.after_id, status, pattern, f.archived, f.role_of,
                       f.only_participating, f.limit);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<app::ProjectWithRole> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    auto role = row.get_opt_text(15);
    out.push_back({project_of(row), role ? auth::parse_project_role(*role) : std::nullopt});
  }
  return out;
}

Result<void> SqlProjectStore::lock(Tx& tx, const std::string& org_id, const std::string& id) {
  auto r = tx.execute(kLock, org_id, id);
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

}  // namespace atelier::projects::adapters
