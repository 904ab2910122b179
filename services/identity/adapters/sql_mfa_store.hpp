// MfaStore on the db port.
#pragma once

#include "atelier/auth/secret_box.hpp"
#include "identity/app/mfa_store.hpp"

namespace atelier::identity::adapters {

// TOTP secrets are sealed with `secrets` when written and opened when read; a secret stored before
// sealing (plain base32) is still read (ADR 0012).
class SqlMfaStore final : public app::MfaStore {
 public:
  explicit SqlMfaStore(const auth::SecretBox& secrets) : secrets_(secrets) {}

  Result<std::optional<app::TotpEnrolment>> totp(Tx& tx, const std::string& user_id) override;
  Result<void> start_totp(Tx& tx, const std::string& user_id, const std::string& secret,
                          TimePoint at) override;
  Result<void> confirm_totp(Tx& tx, const std::string& user_id, uint64_t step,
                            TimePoint at) override;
  Result<bool> use_totp_step(Tx& tx, const std::string& user_id, uint64_t step) override;
  Result<void> remove_totp(Tx& tx, const std::string& user_id) override;
  Result<void> replace_recovery_codes(Tx& tx, const std::string& user_id,
                                      const std::vector<std::string>& hashes) override;
  Result<bool> use_recovery_code(Tx& tx, const std::string& user_id, const std::string& hash,
                                 TimePoint at) override;
  Result<void> insert_challenge(Tx& tx, const app::MfaChallenge& challenge,
                                const std::string& token_hash, TimePoint at) override;
  Result<std::optional<app::MfaChallenge>> challenge(Tx& tx,
                                                     const std::string& token_hash) override;
  Result<void> fail_challenge(Tx& tx, const std::string& id) override;
  Result<bool> use_challenge(Tx& tx, const std::string& id, TimePoint at) override;

 private:
  const auth::SecretBox& secrets_;
};

}  // namespace atelier::identity::adapters
