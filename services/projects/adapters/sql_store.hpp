// ProjectStore on the db port: the same SQL on SQLite and PostgreSQL.
#pragma once

#include "projects/app/store.hpp"

namespace atelier::projects::adapters {

class SqlProjectStore final : public app::ProjectStore {
 public:
  Result<void> insert(Tx& tx, const domain::Project& project) override;
  Result<std::optional<domain::Project>> find(Tx& tx, const std::string& org_id,
                                              const std::string& id) override;
  Result<bool> update(Tx& tx, const domain::Project& project, int64_t expected_version) override;
  Result<std::vector<domain::Project>> list(Tx& tx, const std::string& org_id,
                                            const app::ProjectFilter& filter) override;
};

}  // namespace atelier::projects::adapters
