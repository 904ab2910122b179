// IdentityStore on the db port: the same SQL on SQLite and PostgreSQL.
#pragma once

#include "atelier/auth/secret_box.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::adapters {

// Signing keys' private keys are sealed with `secrets` when written and opened when read; a key
// stored before sealing (plain PEM) is still read (ADR 0012).
class SqlIdentityStore final : public app::IdentityStore {
 public:
  explicit SqlIdentityStore(const auth::SecretBox& secrets) : secrets_(secrets) {}

  Result<void> insert_user(Tx& tx, const app::User& user) override;
  Result<std::optional<app::User>> find_user_by_email(Tx& tx, const std::string& email) override;
  Result<std::optional<app::User>> find_user(Tx& tx, const std::string& id) override;
  Result<void> set_email_verified(Tx& tx, const std::string& user_id, TimePoint at) override;
  Result<void> insert_user_token(Tx& tx, const app::UserToken& token,
                                 const std::string& token_hash) override;
  Result<std::optional<app::UserToken>> find_user_token(Tx& tx, const std::string& token_hash,
                                                        const std::string& purpose) override;
  Result<bool> use_user_token(Tx& tx, const std::string& id, TimePoint at) override;
  Result<void> set_password_hash(Tx& tx, const std::string& user_id, const std::string& hash,
                                 TimePoint at) override;
  Result<void> update_user_profile(Tx& tx, const std::string& user_id, const std::string& name,
                                   const std::string& locale, TimePoint at) override;
  Result<int64_t> revoke_all_refresh_tokens(Tx& tx, const std::string& user_id,
                                            TimePoint at) override;
  Result<void> insert_org(Tx& tx, const std::string& id, const std::string& name,
                          const std::string& created_by, TimePoint at) override;
  Result<std::optional<std::string>> org_name(Tx& tx, const std::string& org_id) override;
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
  Result<bool> retire_signing_key(Tx& tx, const std::string& kid, TimePoint at,
                                  TimePoint not_after) override;
  Result<int64_t> delete_expired_signing_keys(Tx& tx, TimePoint now) override;
  Result<std::optional<app::Throttle>> throttle(Tx& tx, const std::string& key) override;
  Result<void> save_throttle(Tx& tx, const std::string& key, const app::Throttle& t) override;
  Result<void> clear_throttle(Tx& tx, const std::string& key) override;
  Result<void> append_audit(Tx& tx, const app::AuditEntry& entry) override;
  Result<std::vector<app::AuditEntry>> audit_page(Tx& tx, const std::string& org_id,
                                                  const std::string& before_id, int limit) override;

  // --- members, invitations, API keys ---------------------------------------------------------
  Result<std::optional<app::Member>> find_member(Tx& tx, const std::string& org_id,
                                                 const std::string& user_id) override;
  Result<std::vector<app::Member>> members_page(Tx& tx, const std::string& org_id,
                                                const std::string& after_user_id,
                                                int limit) override;
  Result<bool> change_member_role(Tx& tx, const std::string& org_id, const std::string& user_id,
                                  domain::OrgRole from, domain::OrgRole to) override;
  Result<bool> delete_member(Tx& tx, const std::string& org_id,
                             const std::string& user_id) override;
  Result<int64_t> revoke_refresh_tokens_of(Tx& tx, const std::string& org_id,
                                           const std::string& user_id, TimePoint at) override;
  Result<void> insert_invitation(Tx& tx, const app::Invitation& invitation,
                                 const std::string& token_hash) override;
  Result<std::optional<app::Invitation>> find_invitation_by_token(
      Tx& tx, const std::string& token_hash) override;
  Result<std::optional<app::Invitation>> find_invitation(Tx& tx, const std::string& org_id,
                                                         const std::string& id) override;
  Result<std::vector<app::Invitation>> pending_invitations(Tx& tx, const std::string& org_id,
                                                           TimePoint now,
                                                           const std::string& after_id,
                                                           int limit) override;
  Result<int64_t> revoke_invitations_for(Tx& tx, const std::string& org_id,
                                         const std::string& email, TimePoint at) override;
  Result<bool> revoke_invitation(Tx& tx, const std::string& org_id, const std::string& id,
                                 TimePoint at) override;
  Result<bool> accept_invitation(Tx& tx, const std::string& id, const std::string& user_id,
                                 TimePoint at) override;
  Result<void> insert_api_key(Tx& tx, const app::ApiKey& key, const std::string& key_hash) override;
  Result<std::optional<app::ApiKey>> find_api_key_by_hash(Tx& tx,
                                                          const std::string& key_hash) override;
  Result<std::optional<app::ApiKey>> find_api_key(Tx& tx, const std::string& org_id,
                                                  const std::string& id) override;
  Result<std::vector<app::ApiKey>> api_keys_page(Tx& tx, const std::string& org_id,
                                                 const std::string& after_id, int limit) override;
  Result<std::vector<app::ApiKey>> api_keys_created_by(Tx& tx, const std::string& org_id,
                                                       const std::string& user_id) override;
  Result<bool> revoke_api_key(Tx& tx, const std::string& org_id, const std::string& id,
                              TimePoint at) override;
  Result<bool> touch_api_key(Tx& tx, const std::string& id, TimePoint at,
                             TimePoint stale_before) override;

 private:
  const auth::SecretBox& secrets_;
};

// The one-time upgrade to sealed secrets: seals every TOTP secret and signing key still stored in
// plain text, in the caller's transaction. Returns how many values it sealed.
Result<int64_t> seal_plain_secrets(db::Transaction& tx, const auth::SecretBox& secrets);

}  // namespace atelier::identity::adapters
