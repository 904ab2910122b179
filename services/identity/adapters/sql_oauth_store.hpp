// OAuthStore on the db port: the same SQL on SQLite and PostgreSQL.
#pragma once

#include "identity/app/oauth_store.hpp"

namespace atelier::identity::adapters {

class SqlOAuthStore final : public app::OAuthStore {
 public:
  Result<void> insert_client(Tx& tx, const app::OAuthClient& client,
                             const std::string& secret_hash) override;
  Result<std::optional<app::StoredOAuthClient>> find_client(Tx& tx, const std::string& id) override;
  Result<std::optional<app::OAuthClient>> find_client_in(Tx& tx, const std::string& org_id,
                                                         const std::string& id) override;
  Result<std::vector<app::OAuthClient>> clients_page(Tx& tx, const std::string& org_id,
                                                     const std::string& after_id,
                                                     int limit) override;
  Result<std::vector<app::OAuthClient>> clients_created_by(Tx& tx, const std::string& org_id,
                                                           const std::string& user_id) override;
  Result<bool> revoke_client(Tx& tx, const std::string& org_id, const std::string& id,
                             TimePoint at) override;
  Result<int64_t> revoke_client_sessions(Tx& tx, const std::string& client_id,
                                         TimePoint at) override;
  Result<void> insert_code(Tx& tx, const app::AuthorizationCode& code,
                           const std::string& code_hash) override;
  Result<std::optional<app::AuthorizationCode>> find_code(Tx& tx,
                                                          const std::string& code_hash) override;
  Result<bool> use_code(Tx& tx, const std::string& id, TimePoint at,
                        const std::string& family_id) override;
};

}  // namespace atelier::identity::adapters
