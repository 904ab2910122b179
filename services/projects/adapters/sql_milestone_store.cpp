#include "projects/adapters/sql_rows.hpp"
#include "projects/adapters/sql_store.hpp"
#include "projects/domain/project.hpp"

namespace atelier::projects::adapters {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO project_milestones (id, org_id, project_id, lot_id, name, description, due_date, "
    "reached_on, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
constexpr std::string_view kFind =
    "SELECT id, org_id, project_id, lot_id, name, description, due_date, reached_on, version, "
    "created_at, updated_at FROM project_milestones "
    "WHERE org_id = $1 AND project_id = $2 AND id = $3";
// A compare-and-set on the version, so two concurrent changes cannot both win.
constexpr std::string_view kUpdate =
    "UPDATE project_milestones SET lot_id = $4, name = $5, description = $6, due_date = $7, "
    "reached_on = $8, version = $9, updated_at = $10 "
    "WHERE org_id = $1 AND project_id = $2 AND id = $3 AND version = $11";
constexpr std::string_view kDelete =
    "DELETE FROM project_milestones WHERE org_id = $1 AND project_id = $2 AND id = $3";
constexpr std::string_view kClearLot =
    "UPDATE project_milestones SET lot_id = NULL, version = version + 1, updated_at = $4 "
    "WHERE org_id = $1 AND project_id = $2 AND lot_id = $3";
// Keyset paging on (due_date, id): the page starts after the cursor's milestone.
constexpr std::string_view kList =
    "SELECT id, org_id, project_id, lot_id, name, description, due_date, reached_on, version, "
    "created_at, updated_at FROM project_milestones WHERE org_id = $1 AND project_id = $2 "
    "AND (due_date > $3 OR (due_date = $3 AND id > $4)) ORDER BY due_date, id LIMIT $5";

domain::Milestone milestone_of(const db::Row& row) {
  domain::Milestone m;
  m.id = row.get_text(0);
  m.org_id = row.get_text(1);
  m.project_id = row.get_text(2);
  m.lot_id = row.get_opt_text(3);
  m.name = row.get_text(4);
  m.description = row.get_text(5);
  m.due_date = row.get_text(6);
  m.reached_on = row.get_opt_text(7);
  m.version = row.get_int(8);
  m.created_at = time_of(row, 9);
  m.updated_at = time_of(row, 10);
  return m;
}

}  // namespace

Result<void> SqlMilestoneStore::insert(Tx& tx, const domain::Milestone& m) {
  auto r = tx.execute(kInsert, m.id, m.org_id, m.project_id, m.lot_id, m.name, m.description,
                      m.due_date, m.reached_on, m.version, format_rfc3339(m.created_at),
                      format_rfc3339(m.updated_at));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::optional<domain::Milestone>> SqlMilestoneStore::find(Tx& tx, const std::string& org_id,
                                                                 const std::string& project_id,
                                                                 const std::string& id) {
  auto rows = tx.query(kFind, org_id, project_id, id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<domain::Milestone>();
  }
  return std::optional<domain::Milestone>(milestone_of((*rows)[0]));
}

Result<bool> SqlMilestoneStore::update(Tx& tx, const domain::Milestone& m,
                                       int64_t expected_version) {
  auto changed =
      tx.execute(kUpdate, m.org_id, m.project_id, m.id, m.lot_id, m.name, m.description, m.due_date,
                 m.reached_on, m.version, format_rfc3339(m.updated_at), expected_version);
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<bool> SqlMilestoneStore::remove(Tx& tx, const domain::Milestone& m) {
  auto removed = tx.execute(kDelete, m.org_id, m.project_id, m.id);
  if (!removed) {
    return std::move(removed).error();
  }
  return *removed == 1;
}

Result<void> SqlMilestoneStore::clear_lot(Tx& tx, const std::string& org_id,
                                          const std::string& project_id, const std::string& lot_id,
                                          TimePoint now) {
  auto r = tx.execute(kClearLot, org_id, project_id, lot_id, format_rfc3339(now));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::vector<domain::Milestone>> SqlMilestoneStore::list(Tx& tx, const std::string& org_id,
                                                               const std::string& project_id,
                                                               const app::PageQuery& page) {
  std::string after_date;
  std::string after_id;
  if (!page.cursor.empty()) {
    // "YYYY-MM-DD.<id>"
    if (page.cursor.size() < 12 || page.cursor[10] != '.' ||
        !domain::is_iso_date(std::string_view(page.cursor).substr(0, 10))) {
      return bad_cursor();
    }
    after_date = page.cursor.substr(0, 10);
    after_id = page.cursor.substr(11);
  }
  auto rows = tx.query(kList, org_id, project_id, after_date, after_id, page.limit);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<domain::Milestone> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    out.push_back(milestone_of(row));
  }
  return out;
}

std::string SqlMilestoneStore::cursor_after(const domain::Milestone& m) const {
  return m.due_date + "." + m.id;
}

}  // namespace atelier::projects::adapters
