// The identity use cases behind sign-up, log-in and tokens: accounts, organisations, access
// tokens (short-lived Ed25519 JWTs) and refresh tokens (opaque, rotated, reuse detected),
// throttling of failed log-ins, and the audit trail of it all.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "atelier/auth/jwt.hpp"
#include "atelier/auth/password.hpp"
#include "atelier/core/principal.hpp"
#include "atelier/db/database.hpp"
#include "identity/app/mfa_store.hpp"
#include "identity/app/notifier.hpp"
#include "identity/app/oauth_store.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

struct TokenSettings {
  std::string issuer;  // the public URL of this platform
  std::string audience = "atelier";
  std::chrono::seconds access_ttl{15 * 60};  // short: a stolen token is soon useless
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
};

struct ThrottleSettings {
  int account_failures = 5;   // wrong passwords for one account within the window
  int address_failures = 20;  // from one client address, over all accounts
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{15 * 60};
};

struct RegisterCommand {
  std::string email;
  std::string password;
  std::string name;
  std::string org_name;
  std::string locale = "fr";
  std::string ip;
};

struct Registered {
  std::string user_id;
  std::string org_id;
};

struct LoginCommand {
  std::string email;
  std::string password;
  std::string org_id;  // optional: which organisation to act in (default: the first)
  std::string ip;
};

// The claim that marks an access token as an OAuth client's own (client_credentials grant): the
// gateway then builds a Principal of Kind::kClient.
inline constexpr std::string_view kClientTokenKind = "client";

// What an OAuth client was granted on a user's behalf, carried by the tokens issued to it. Empty
// client_id for first-party sessions (the portal).
struct ClientGrant {
  std::string client_id;
  std::string scope;
  bool refresh = true;  // false: no refresh token (offline_access was not granted)
};

struct TokenPair {
  // Set instead of the tokens when the account has a second factor: the client sends it back with
  // a code to complete_mfa_login().
  std::string mfa_token;
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
  std::string org_id;
  std::vector<std::string> roles;
  std::string scope;  // for tokens issued to an OAuth client
};

struct TotpSetup {
  std::string secret_base32;  // for typing in by hand
  std::string otpauth_uri;    // for a QR code
};

struct Profile {
  User user;
  std::vector<Membership> memberships;
};

// A JSON Merge Patch of one's own profile: a field left out stays as it is.
struct ProfilePatch {
  std::optional<std::string> name;
  std::optional<std::string> locale;  // fr or en
  std::string ip;
};

class Accounts {
 public:
  Accounts(db::Database& db, IdentityStore& store, auth::KeyRing& keys, TokenSettings tokens,
           const auth::PasswordPolicy& policy, const Clock& clock = SystemClock::instance(),
           ThrottleSettings throttle = {},
           auth::PasswordHashParams hashing = auth::PasswordHashParams::interactive(),
           MfaStore* mfa = nullptr, Notifier* notifier = nullptr, OAuthStore* oauth = nullptr);

  // Creates the account and its first organisation, owned by it. kConflict when the email is
  // taken; kInvalid with field errors for bad input or a weak password.
  Result<Registered> register_account(const RegisterCommand& cmd);
  // kUnauthenticated for a wrong email or password (the same answer for both), kTooManyRequests
  // with retry_after when the account or the address is locked out, kForbidden when the user is
  // not a member of the requested organisation.
  Result<TokenPair> login(const LoginCommand& cmd);
  // Exchanges a refresh token for a new pair; the old one is spent. A spent token presented again
  // revokes its whole family and is recorded as token.reuse_detected. `client_id` is the OAuth
  // client that authenticated at the token endpoint, empty for a first-party refresh: a token
  // issued to a client is refused to anyone else, and left unspent.
  Result<TokenPair> refresh(const std::string& refresh_token, const std::string& ip,
                            const std::string& client_id = {});
  // Tokens for the same person acting in another of their organisations (the portal's switcher),
  // without asking for the password again: the session in hand already passed log-in and MFA.
  // kNotFound when the user is not a member there; kForbidden for API keys and OAuth clients.
  Result<TokenPair> switch_org(const Principal& principal, const std::string& org_id,
                               const std::string& ip);
  // A new organisation owned by the caller (events OrgCreated.v1 and MemberAdded.v1). kConflict
  // beyond kMaxOrganisationsPerUser memberships.
  Result<Registered> create_org(const Principal& principal, const std::string& name,
                                const std::string& ip);
  static constexpr std::size_t kMaxOrganisationsPerUser = 50;

  // Revokes the family of the refresh token (log out on this device). Unknown tokens are fine.
  // `client_id` is the OAuth client that authenticated at the revocation endpoint (RFC 7009
  // §2.1), nullopt for a first-party log-out: a token is revoked only at the request of the one
  // it was issued to, a client's by that client and the portal's by a first-party caller;
  // kForbidden otherwise, and the token stays valid.
  Result<void> logout(const std::string& refresh_token, const std::string& ip,
                      const std::optional<std::string>& client_id = std::nullopt);
  Result<Profile> profile(const Principal& principal);
  // Changes one's own name and language, recorded as profile.updated in the organisation of the
  // session. kInvalid with a field error for each bad field; kForbidden for API keys and OAuth
  // clients (they act for a person, they do not edit them). No version check: only the person
  // edits their profile, and the last of their own edits wins.
  Result<Profile> update_profile(const Principal& principal, const ProfilePatch& patch);
  // Email verification: sign-up sends a link (valid 48 h); the token in it marks the address as
  // verified. kNotFound for an unknown token, kGone for an expired or spent one.
  Result<void> verify_email(const std::string& token, const std::string& ip);
  // Sends a reset link (valid 1 h) when the address has an account; answers the same either way so
  // that the form does not reveal who has an account.
  Result<void> request_password_reset(const std::string& email, const std::string& ip);
  // Sets a new password with a reset token; ends every session and lifts a log-in lockout.
  Result<void> reset_password(const std::string& token, std::string_view new_password,
                              const std::string& ip);

  // Needs the current password; the new one must pass the policy. Ends every session of the user
  // (refresh tokens in all organisations): whoever had the old password is logged out.
  Result<void> change_password(const Principal& principal, std::string_view current_password,
                               std::string_view new_password, const std::string& ip);
  Result<std::vector<AuditEntry>> audit(const Principal& principal, const std::string& before_id,
                                        int limit);

  // Second factor. start_totp makes a new secret (kConflict when one is already active);
  // confirm_totp activates it with a first code and returns ten single-use recovery codes, shown
  // once; disable_totp needs a current code.
  Result<TotpSetup> start_totp(const Principal& principal);
  Result<std::vector<std::string>> confirm_totp(const Principal& principal, std::string_view code);
  Result<void> disable_totp(const Principal& principal, std::string_view code);
  // The second step of a log-in: a TOTP code (each time step accepted once) or a recovery code.
  // Five wrong codes end the challenge.
  Result<TokenPair> complete_mfa_login(const std::string& mfa_token, std::string_view code,
                                       const std::string& ip);

  // Checks an access token (for http::Authenticator). A token verified once is remembered until
  // it expires: an Ed25519 verification costs tens of microseconds, a lookup well under one. A
  // token issued to an OAuth client also needs the client to be still registered: one indexed
  // read per request, as for an API key, so that revoking a client stops its tokens at once in
  // every process sharing the database (dropping them from this process's cache would not).
  Result<Principal> verify_access_token(std::string_view token) const;

  // Tokens for `user_id` acting in `org_id` through an OAuth client (authorization code grant),
  // in the caller's transaction: the role comes from the membership as it is now. kForbidden when
  // the user is no longer a member there.
  Result<TokenPair> issue_for_client(db::Transaction& tx, const std::string& user_id,
                                     const std::string& org_id, const ClientGrant& grant,
                                     const std::string& family_id);

 private:
  Result<TokenPair> issue(db::Transaction& tx, const User& user, const Membership& membership,
                          const std::string& family_id, const ClientGrant& grant = {});
  // Makes a single-use token for `purpose` and asks the notifier to email the link to `page`.
  Result<void> send_link(db::Transaction& tx, const User& user, const std::string& org_id,
                         const std::string& purpose, std::chrono::seconds ttl,
                         std::string_view page);
  // Finds and spends a token of `purpose`: kNotFound when unknown, kGone when expired or spent.
  Result<UserToken> spend_token(db::Transaction& tx, const std::string& token,
                                const std::string& purpose);
  Result<void> audit_event(db::Transaction& tx, const std::string& org_id, const std::string& actor,
                           std::string_view action, const std::string& target,
                           const std::string& ip, const std::string& detail = {});
  // A hash to verify against when the email is unknown, so that both answers take as long.
  const std::string& decoy_hash();

  db::Database& db_;
  IdentityStore& store_;
  auth::KeyRing& keys_;
  TokenSettings tokens_;
  const auth::PasswordPolicy& policy_;
  const Clock& clock_;
  ThrottleSettings throttle_;
  auth::PasswordHashParams hashing_;
  MfaStore* mfa_;
  Notifier* notifier_;
  OAuthStore* oauth_;
  struct VerifiedToken {
    Principal principal;
    TimePoint valid_until;  // exp plus the verification leeway
    std::string client_id;  // the OAuth client it was issued to, whose revocation ends it
  };
  // kUnauthenticated unless `client_id` names a registered client that is not revoked.
  Result<void> check_client(const std::string& client_id) const;
  static constexpr size_t kVerifiedCacheSize = 20'000;
  mutable std::mutex verified_mutex_;
  mutable std::unordered_map<std::string, VerifiedToken> verified_;
  std::once_flag decoy_once_;
  std::string decoy_hash_;
};

// Loads the signing keys from the store, creating the first one when there is none.
Result<std::unique_ptr<auth::KeyRing>> load_key_ring(db::Database& db, IdentityStore& store,
                                                     const Clock& clock);

}  // namespace atelier::identity::app
