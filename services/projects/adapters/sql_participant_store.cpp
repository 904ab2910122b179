#include "projects/adapters/sql_rows.hpp"
#include "projects/adapters/sql_store.hpp"

namespace atelier::projects::adapters {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO project_participants (id, org_id, project_id, kind, user_id, company_name, "
    "company_email, company_phone, company_siret, role, trade, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kFind =
    "SELECT id, org_id, project_id, kind, user_id, company_name, company_email, company_phone, "
    "company_siret, role, trade, version, created_at, updated_at FROM project_participants "
    "WHERE org_id = $1 AND project_id = $2 AND id = $3";
constexpr std::string_view kRoleOf =
    "SELECT role FROM project_participants "
    "WHERE org_id = $1 AND project_id = $2 AND user_id = $3";
// Only the role and the trade change: who the participant is stays.
constexpr std::string_view kUpdate =
    "UPDATE project_participants SET role = $4, trade = $5, version = $6, updated_at = $7 "
    "WHERE org_id = $1 AND project_id = $2 AND id = $3 AND version = $8";
constexpr std::string_view kDelete =
    "DELETE FROM project_participants WHERE org_id = $1 AND project_id = $2 AND id = $3";
constexpr std::string_view kCountManagers =
    "SELECT COUNT(*) FROM project_participants "
    "WHERE org_id = $1 AND project_id = $2 AND role = 'manager'";
constexpr std::string_view kList =
    "SELECT id, org_id, project_id, kind, user_id, company_name, company_email, company_phone, "
    "company_siret, role, trade, version, created_at, updated_at FROM project_participants "
    "WHERE org_id = $1 AND project_id = $2 AND id > $3 ORDER BY id LIMIT $4";

domain::Participant participant_of(const db::Row& row) {
  domain::Participant p;
  p.id = row.get_text(0);
  p.org_id = row.get_text(1);
  p.project_id = row.get_text(2);
  p.kind = row.get_text(3) == "company" ? domain::Participant::Kind::kCompany
                                        : domain::Participant::Kind::kUser;
  p.user_id = row.get_opt_text(4);
  if (auto name = row.get_opt_text(5)) {
    p.company =
        domain::Company{*name, row.get_opt_text(6), row.get_opt_text(7), row.get_opt_text(8)};
  }
  const auto role = auth::parse_project_role(row.get_text(9));
  if (!role) {
    throw std::logic_error("projects: unknown participant role in row " + p.id);
  }
  p.role = *role;
  p.trade = row.get_opt_text(10);
  p.version = row.get_int(11);
  p.created_at = time_of(row, 12);
  p.updated_at = time_of(row, 13);
  return p;
}

template <class T>
std::optional<std::string> company_field(const domain::Participant& p, T field) {
  return p.company ? (*p.company).*field : std::nullopt;
}

}  // namespace

Result<void> SqlParticipantStore::insert(Tx& tx, const domain::Participant& p) {
  auto r = tx.execute(
      kInsert, p.id, p.org_id, p.project_id, domain::kind_name(p.kind), p.user_id,
      p.company ? std::optional<std::string>(p.company->name) : std::nullopt,
      company_field(p, &domain::Company::email), company_field(p, &domain::Company::phone),
      company_field(p, &domain::Company::siret), auth::project_role_name(p.role), p.trade,
      p.version, format_rfc3339(p.created_at), format_rfc3339(p.updated_at));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::optional<domain::Participant>> SqlParticipantStore::find(Tx& tx,
                                                                     const std::string& org_id,
                                                                     const std::string& project_id,
                                                                     const std::string& id) {
  auto rows = tx.query(kFind, org_id, project_id, id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<domain::Participant>();
  }
  return std::optional<domain::Participant>(participant_of((*rows)[0]));
}

Result<std::optional<auth::ProjectRole>> SqlParticipantStore::role_of(Tx& tx,
                                                                      const std::string& org_id,
                                                                      const std::string& project_id,
                                                                      const std::string& user_id) {
  auto rows = tx.query(kRoleOf, org_id, project_id, user_id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<auth::ProjectRole>();
  }
  return auth::parse_project_role((*rows)[0].get_text(0));
}

Result<bool> SqlParticipantStore::update(Tx& tx, const domain::Participant& p,
                                         int64_t expected_version) {
  auto changed = tx.execute(kUpdate, p.org_id, p.project_id, p.id, auth::project_role_name(p.role),
                            p.trade, p.version, format_rfc3339(p.updated_at), expected_version);
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<bool> SqlParticipantStore::remove(Tx& tx, const domain::Participant& p) {
  auto removed = tx.execute(kDelete, p.org_id, p.project_id, p.id);
  if (!removed) {
    return std::move(removed).error();
  }
  return *removed == 1;
}

Result<int64_t> SqlParticipantStore::count_managers(Tx& tx, const std::string& org_id,
                                                    const std::string& project_id) {
  auto rows = tx.query(kCountManagers, org_id, project_id);
  if (!rows) {
    return std::move(rows).error();
  }
  return (*rows)[0].get_int(0);
}

Result<std::vector<domain::Participant>> SqlParticipantStore::list(Tx& tx,
                                                                   const std::string& org_id,
                                                                   const std::string& project_id,
                                                                   const app::PageQuery& page) {
  auto rows = tx.query(kList, org_id, project_id, page.cursor, page.limit);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<domain::Participant> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    out.push_back(participant_of(row));
  }
  return out;
}

}  // namespace atelier::projects::adapters
