// Storage port for the second factor (TOTP, recovery codes, log-in challenges). Methods run in the
// caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"

namespace atelier::identity::app {

struct TotpEnrolment {
  std::string user_id;
  std::string secret_base32;
  std::optional<TimePoint> confirmed_at;
  std::optional<uint64_t> last_used_step;
};

struct MfaChallenge {
  std::string id;
  std::string org_id;
  std::string user_id;
  TimePoint expires_at;
  int failures = 0;
  std::optional<TimePoint> used_at;
};

class MfaStore {
 public:
  virtual ~MfaStore() = default;
  using Tx = db::Transaction;

  virtual Result<std::optional<TotpEnrolment>> totp(Tx& tx, const std::string& user_id) = 0;
  // Replaces any unconfirmed enrolment of the user.
  virtual Result<void> start_totp(Tx& tx, const std::string& user_id, const std::string& secret,
                                  TimePoint at) = 0;
  virtual Result<void> confirm_totp(Tx& tx, const std::string& user_id, uint64_t step,
                                    TimePoint at) = 0;
  // Records the step of an accepted code unless a later or equal one was recorded (a replay):
  // false then.
  virtual Result<bool> use_totp_step(Tx& tx, const std::string& user_id, uint64_t step) = 0;
  virtual Result<void> remove_totp(Tx& tx, const std::string& user_id) = 0;

  virtual Result<void> replace_recovery_codes(Tx& tx, const std::string& user_id,
                                              const std::vector<std::string>& hashes) = 0;
  // Spends a recovery code; false when it is unknown or spent.
  virtual Result<bool> use_recovery_code(Tx& tx, const std::string& user_id,
                                         const std::string& hash, TimePoint at) = 0;

  virtual Result<void> insert_challenge(Tx& tx, const MfaChallenge& challenge,
                                        const std::string& token_hash, TimePoint at) = 0;
  virtual Result<std::optional<MfaChallenge>> challenge(Tx& tx, const std::string& token_hash) = 0;
  virtual Result<void> fail_challenge(Tx& tx, const std::string& id) = 0;
  virtual Result<bool> use_challenge(Tx& tx, const std::string& id, TimePoint at) = 0;
};

}  // namespace atelier::identity::app
