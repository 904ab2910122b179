// The storage ports on the db port: the same SQL on SQLite and PostgreSQL, each statement a named
// constant beside the store that runs it (sql_store.cpp, sql_participant_store.cpp, ...).
#pragma once

#include "projects/app/store.hpp"

namespace atelier::projects::adapters {

class SqlProjectStore final : public app::ProjectStore {
 public:
  Result<void> insert(Tx& tx, const domain::Project& project) override;
  Result<std::optional<domain::Project>> find(Tx& tx, const std::string& org_id,
                                              const std::string& id) override;
  Result<bool> update(Tx& tx, const domain::Project& project, int64_t expected_version) override;
  Result<std::vector<app::ProjectWithRole>> list(Tx& tx, const std::string& org_id,
                                                 const app::ProjectFilter& filter) override;
  Result<void> lock(Tx& tx, const std::string& org_id, const std::string& id) override;
};

class SqlParticipantStore final : public app::ParticipantStore {
 public:
  Result<void> insert(Tx& tx, const domain::Participant& participant) override;
  Result<std::optional<domain::Participant>> find(Tx& tx, const std::string& org_id,
                                                  const std::string& project_id,
                                                  const std::string& id) override;
  Result<std::optional<auth::ProjectRole>> role_of(Tx& tx, const std::string& org_id,
                                                   const std::string& project_id,
                                                   const std::string& user_id) override;
  Result<bool> update(Tx& tx, const domain::Participant& participant,
                      int64_t expected_version) override;
  Result<bool> remove(Tx& tx, const domain::Participant& participant) override;
  Result<int64_t> count_managers(Tx& tx, const std::string& org_id,
                                 const std::string& project_id) override;
  Result<std::vector<domain::Participant>> list(Tx& tx, const std::string& org_id,
                                                const std::string& project_id,
                                                const app::PageQuery& page) override;
};

class SqlLotStore final : public app::LotStore {
 public:
  Result<void> insert(Tx& tx, const domain::Lot& lot) override;
  Result<std::optional<domain::Lot>> find(Tx& tx, const std::string& org_id,
                                          const std::string& project_id,
                                          const std::string& id) override;
  Result<bool> update(Tx& tx, const domain::Lot& lot, int64_t expected_version) override;
  Result<bool> remove(Tx& tx, const domain::Lot& lot) override;
  Result<int64_t> next_position(Tx& tx, const std::string& org_id,
                                const std::string& project_id) override;
  Result<std::vector<domain::Lot>> list(Tx& tx, const std::string& org_id,
                                        const std::string& project_id,
                                        const app::PageQuery& page) override;
  // "<position>.<id>"
  std::string cursor_after(const domain::Lot& lot) const override;
};

class SqlMilestoneStore final : public app::MilestoneStore {
 public:
  Result<void> insert(Tx& tx, const domain::Milestone& milestone) override;
  Result<std::optional<domain::Milestone>> find(Tx& tx, const std::string& org_id,
                                                const std::string& project_id,
                                                const std::string& id) override;
  Result<bool> update(Tx& tx, const domain::Milestone& milestone,
                      int64_t expected_version) override;
  Result<bool> remove(Tx& tx, const domain::Milestone& milestone) override;
  Result<void> clear_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                         const std::string& lot_id, TimePoint now) override;
  Result<std::vector<domain::Milestone>> list(Tx& tx, const std::string& org_id,
                                              const std::string& project_id,
                                              const app::PageQuery& page) override;
  // "<due date>.<id>"
  std::string cursor_after(const domain::Milestone& milestone) const override;
};

}  // namespace atelier::projects::adapters
