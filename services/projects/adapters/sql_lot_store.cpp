#include <charconv>

#include "projects/adapters/sql_rows.hpp"
#include "projects/adapters/sql_store.hpp"

namespace atelier::projects::adapters {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO project_lots (id, org_id, project_id, code, name, trade, budget_minor, currency, "
    "position, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kFind =
    "SELECT id, org_id, project_id, code, name, trade, budget_minor, currency, position, version, "
    "created_at, updated_at FROM project_lots WHERE org_id = $1 AND project_id = $2 AND id = $3";
// A compare-and-set on the version, so two concurrent changes cannot both win.
constexpr std::string_view kUpdate =
    "UPDATE project_lots SET code = $4, name = $5, trade = $6, budget_minor = $7, currency = $8, "
    "position = $9, version = $10, updated_at = $11 "
    "WHERE org_id = $1 AND project_id = $2 AND id = $3 AND version = $12";
constexpr std::string_view kDelete =
    "DELETE FROM project_lots WHERE org_id = $1 AND project_id = $2 AND id = $3";
constexpr std::string_view kNextPosition =
    "SELECT COALESCE(MAX(position) + 1, 0) FROM project_lots WHERE org_id = $1 AND project_id = $2";
// Keyset paging on (position, id): the page starts after the cursor's lot.
constexpr std::string_view kList =
    "SELECT id, org_id, project_id, code, name, trade, budget_minor, currency, position, version, "
    "created_at, updated_at FROM project_lots WHERE org_id = $1 AND project_id = $2 "
    "AND (position > $3 OR (position = $3 AND id > $4)) ORDER BY position, id LIMIT $5";

domain::Lot lot_of(const db::Row& row) {
  domain::Lot lot;
  lot.id = row.get_text(0);
  lot.org_id = row.get_text(1);
  lot.project_id = row.get_text(2);
  lot.code = row.get_text(3);
  lot.name = row.get_text(4);
  lot.trade = row.get_opt_text(5);
  lot.budget_minor = row.get_opt_int(6);
  lot.currency = row.get_text(7);
  lot.position = row.get_int(8);
  lot.version = row.get_int(9);
  lot.created_at = time_of(row, 10);
  lot.updated_at = time_of(row, 11);
  return lot;
}

}  // namespace

Result<void> SqlLotStore::insert(Tx& tx, const domain::Lot& lot) {
  auto r = tx.execute(kInsert, lot.id, lot.org_id, lot.project_id, lot.code, lot.name, lot.trade,
                      lot.budget_minor, lot.currency, lot.position, lot.version,
                      format_rfc3339(lot.created_at), format_rfc3339(lot.updated_at));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::optional<domain::Lot>> SqlLotStore::find(Tx& tx, const std::string& org_id,
                                                     const std::string& project_id,
                                                     const std::string& id) {
  auto rows = tx.query(kFind, org_id, project_id, id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<domain::Lot>();
  }
  return std::optional<domain::Lot>(lot_of((*rows)[0]));
}

Result<bool> SqlLotStore::update(Tx& tx, const domain::Lot& lot, int64_t expected_version) {
  auto changed = tx.execute(kUpdate, lot.org_id, lot.project_id, lot.id, lot.code, lot.name,
                            lot.trade, lot.budget_minor, lot.currency, lot.position, lot.version,
                            format_rfc3339(lot.updated_at), expected_version);
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<bool> SqlLotStore::remove(Tx& tx, const domain::Lot& lot) {
  auto removed = tx.execute(kDelete, lot.org_id, lot.project_id, lot.id);
  if (!removed) {
    return std::move(removed).error();
  }
  return *removed == 1;
}

Result<int64_t> SqlLotStore::next_position(Tx& tx, const std::string& org_id,
                                           const std::string& project_id) {
  auto rows = tx.query(kNextPosition, org_id, project_id);
  if (!rows) {
    return std::move(rows).error();
  }
  return (*rows)[0].get_int(0);
}

Result<std::vector<domain::Lot>> SqlLotStore::list(Tx& tx, const std::string& org_id,
                                                   const std::string& project_id,
                                                   const app::PageQuery& page) {
  int64_t after_position = -1;
  std::string after_id;
  if (!page.cursor.empty()) {
    const size_t dot = page.cursor.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == page.cursor.size()) {
      return bad_cursor();
    }
    const char* first = page.cursor.data();
    const char* last = first + dot;
    auto [ptr, ec] = std::from_chars(first, last, after_position);
    if (ec != std::errc() || ptr != last || after_position < 0) {
      return bad_cursor();
    }
    after_id = page.cursor.substr(dot + 1);
  }
  auto rows = tx.query(kList, org_id, project_id, after_position, after_id, page.limit);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<domain::Lot> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    out.push_back(lot_of(row));
  }
  return out;
}

std::string SqlLotStore::cursor_after(const domain::Lot& lot) const {
  return std::to_string(lot.position) + "." + lot.id;
}

}  // namespace atelier::projects::adapters
