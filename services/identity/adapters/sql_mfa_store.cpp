#include "identity/adapters/sql_mfa_store.hpp"

#include "atelier/db/rows.hpp"

namespace atelier::identity::adapters {

namespace {

using db::done;

constexpr std::string_view kTotp =
    "SELECT user_id, secret, confirmed_at, last_used_step FROM mfa_totp WHERE user_id = $1";
constexpr std::string_view kDeleteTotp = "DELETE FROM mfa_totp WHERE user_id = $1";
constexpr std::string_view kInsertTotp =
    "INSERT INTO mfa_totp (user_id, secret, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kConfirmTotp =
    "UPDATE mfa_totp SET confirmed_at = $2, last_used_step = $3 WHERE user_id = $1";
constexpr std::string_view kUseStep =
    "UPDATE mfa_totp SET last_used_step = $2 WHERE user_id = $1 "
    "AND (last_used_step IS NULL OR last_used_step < $2)";
constexpr std::string_view kDeleteCodes = "DELETE FROM mfa_recovery_codes WHERE user_id = $1";
constexpr std::string_view kInsertCode =
    "INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)";
constexpr std::string_view kUseCode =
    "UPDATE mfa_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 "
    "AND used_at IS NULL";
constexpr std::string_view kInsertChallenge =
    "INSERT INTO mfa_challenges (id, org_id, user_id, token_hash, created_at, expires_at, "
    "failures) VALUES ($1, $2, $3, $4, $5, $6, 0)";
constexpr std::string_view kChallenge =
    "SELECT id, org_id, user_id, expires_at, failures, used_at FROM mfa_challenges "
    "WHERE token_hash = $1";
constexpr std::string_view kFailChallenge =
    "UPDATE mfa_challenges SET failures = failures + 1 WHERE id = $1";
constexpr std::string_view kUseChallenge =
    "UPDATE mfa_challenges SET used_at = $2 WHERE id = $1 AND used_at IS NULL";

std::optional<TimePoint> opt_time(const db::Row& row, size_t i) {
  return row.is_null(i) ? std::nullopt : parse_rfc3339(row.get_text(i));
}

Result<bool> changed_one(Result<int64_t> r) {
  if (!r) {
    return std::move(r).error();
  }
  return *r == 1;
}

}  // namespace

Result<std::optional<app::TotpEnrolment>> SqlMfaStore::totp(Tx& tx, const std::string& user_id) {
  auto rows = tx.query(kTotp, user_id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<app::TotpEnrolment>();
  }
  const db::Row& r = (*rows)[0];
  std::optional<uint64_t> step;
  if (auto s = r.get_opt_int(3)) {
    step = static_cast<uint64_t>(*s);
  }
  std::string secret = r.get_text(1);
  if (auth::SecretBox::is_sealed(secret)) {  // else a secret stored before sealing, read as it is
    auto opened = secrets_.open(secret);
    if (!opened) {
      return Error::internal("the TOTP secret of user " + user_id +
                             " cannot be decrypted: wrong secrets key? (" + opened.error().message +
                             ")");
    }
    secret = std::move(opened).value();
  }
  return std::optional<app::TotpEnrolment>(
      app::TotpEnrolment{r.get_text(0), std::move(secret), opt_time(r, 2), step});
}

Result<void> SqlMfaStore::start_totp(Tx& tx, const std::string& user_id, const std::string& secret,
                                     TimePoint at) {
  if (auto r = done(tx.execute(kDeleteTotp, user_id)); !r) {
    return r;
  }
  return done(tx.execute(kInsertTotp, user_id, secrets_.seal(secret), format_rfc3339(at)));
}

Result<void> SqlMfaStore::confirm_totp(Tx& tx, const std::string& user_id, uint64_t step,
                                       TimePoint at) {
  return done(tx.execute(kConfirmTotp, user_id, format_rfc3339(at), static_cast<int64_t>(step)));
}

Result<bool> SqlMfaStore::use_totp_step(Tx& tx, const std::string& user_id, uint64_t step) {
  return changed_one(tx.execute(kUseStep, user_id, static_cast<int64_t>(step)));
}

Result<void> SqlMfaStore::remove_totp(Tx& tx, const std::string& user_id) {
  if (auto r = done(tx.execute(kDeleteCodes, user_id)); !r) {
    return r;
  }
  return done(tx.execute(kDeleteTotp, user_id));
}

Result<void> SqlMfaStore::replace_recovery_codes(Tx& tx, const std::string& user_id,
                                                 const std::vector<std::string>& hashes) {
  if (auto r = done(tx.execute(kDeleteCodes, user_id)); !r) {
    return r;
  }
  for (const auto& h : hashes) {
    if (auto r = done(tx.execute(kInsertCode, user_id, h)); !r) {
      return r;
    }
  }
  return {};
}

Result<bool> SqlMfaStore::use_recovery_code(Tx& tx, const std::string& user_id,
                                            const std::string& hash, TimePoint at) {
  return changed_one(tx.execute(kUseCode, user_id, hash, format_rfc3339(at)));
}

Result<void> SqlMfaStore::insert_challenge(Tx& tx, const app::MfaChallenge& c,
                                           const std::string& token_hash, TimePoint at) {
  return done(tx.execute(kInsertChallenge, c.id, c.org_id, c.user_id, token_hash,
                         format_rfc3339(at), format_rfc3339(c.expires_at)));
}

Result<std::optional<app::MfaChallenge>> SqlMfaStore::challenge(Tx& tx,
                                                                const std::string& token_hash) {
  auto rows = tx.query(kChallenge, token_hash);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<app::MfaChallenge>();
  }
  const db::Row& r = (*rows)[0];
  return std::optional<app::MfaChallenge>(
      app::MfaChallenge{r.get_text(0), r.get_text(1), r.get_text(2),
                        parse_rfc3339(r.get_text(3)).value_or(TimePoint{}),
                        static_cast<int>(r.get_int(4)), opt_time(r, 5)});
}

Result<void> SqlMfaStore::fail_challenge(Tx& tx, const std::string& id) {
  return done(tx.execute(kFailChallenge, id));
}

Result<bool> SqlMfaStore::use_challenge(Tx& tx, const std::string& id, TimePoint at) {
  return changed_one(tx.execute(kUseChallenge, id, format_rfc3339(at)));
}

}  // namespace atelier::identity::adapters
