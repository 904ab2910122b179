// IdentityStore on the db port: the same SQL on SQLite and PostgreSQL.
#pragma once

#include "app/store.hpp"

namespace atelier::identity::adapters {

class SqlIdentityStore final : public app::IdentityStore {
 public:
  Result<void> insert_user(Tx& tx, const app::User& user) override;
  Result<std::optional<app::User>> find_user_by_email(Tx& tx, const std::string& email) override;
  Result<std::optional<app::User>> find_user(Tx& tx, const std::string& id) override;
  Result<void> insert_org(Tx& tx, const std::string& id, const std::string& name,
                          const std::string& created_by, TimePoint at) override;
  Result<void> insert_membership(Tx& tx, const std::string& org_id, const std::string& user_id,
                                 domain::OrgRole role, TimePoint at) override;
  Result<std::vector<app::Membership>> memberships_of(Tx& tx, const std::string& user_id) override;
  Result<void> insert_refresh_token(Tx& tx, const app::RefreshToken& token) override;
  Result<std::optional<app::RefreshToken>> find_refresh_token(Tx& tx,
                                                              const std::string& hash) override;
  Result<bool> use_refresh_token(Tx& tx, const std::string& id, TimePoint at) override;
  Result<int64_t> revoke_refresh_family(Tx& tx, const std::string& family_id,
                                        TimePoint at) override;
  Result<std::vector<app::StoredSigningKey>> signing_keys(Tx& tx) override;
  Result<void> insert_signing_key(Tx& tx, const app::StoredSigningKey& key) override;
  Result<std::optional<app::Throttle>> throttle(Tx& tx, const std::string& key) override;
  Result<void> save_throttle(Tx& tx, const std::string& key, const app::Throttle& t) override;
  Result<void> clear_throttle(Tx& tx, const std::string& key) override;
  Result<void> append_audit(Tx& tx, const app::AuditEntry& entry) override;
  Result<std::vector<app::AuditEntry>> audit_page(Tx& tx, const std::string& org_id,
                                                  const std::string& before_id, int limit) override;
};

}  // namespace atelier::identity::adapters
