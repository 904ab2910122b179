#include "identity/app/accounts.hpp"

#include <cctype>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/secrets.hpp"
#include "atelier/auth/totp.hpp"
#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "identity/app/org_access.hpp"
#include "identity/domain/accounts.hpp"

namespace atelier::identity::app {

namespace {

constexpr std::string_view kSource = "/services/identity";
constexpr std::chrono::minutes kMfaChallengeTtl{5};
constexpr int kMfaMaxFailures = 5;
constexpr int kRecoveryCodes = 10;
constexpr std::chrono::hours kVerifyEmailTtl{48};
constexpr std::chrono::hours kResetPasswordTtl{1};

// A recovery code as typed: case and dashes do not matter.
std::string normalize_recovery_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != '-' && c != ' ') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

bool looks_like_totp(std::string_view code) {
  size_t digits = 0;
  for (char c : code) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ') {
      return false;
    }
  }
  return digits == 6;
}

std::vector<std::string> roles_of(const Membership& m) {
  return {std::string(domain::role_name(m.role))};
}

Error unauthenticated(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), {}, {}};
}

}  // namespace

Accounts::Accounts(db::Database& db, IdentityStore& store, auth::KeyRing& keys,
                   TokenSettings tokens, const auth::PasswordPolicy& policy, const Clock& clock,
                   ThrottleSettings throttle, auth::PasswordHashParams hashing, MfaStore* mfa,
                   Notifier* notifier, OAuthStore* oauth)
    : db_(db),
      store_(store),
      keys_(keys),
      tokens_(std::move(tokens)),
      policy_(policy),
      clock_(clock),
      throttle_(throttle),
      hashing_(hashing),
      mfa_(mfa),
      notifier_(notifier),
      oauth_(oauth) {}

const std::string& Accounts::decoy_hash() {
  std::call_once(decoy_once_, [this] {
    auto h = auth::hash_password(auth::random_token(), hashing_);
    decoy_hash_ = h ? *h : std::string();
  });
  return decoy_hash_;
}

Result<void> Accounts::audit_event(db::Transaction& tx, const std::string& org_id,
                                   const std::string& actor, std::string_view action,
                                   const std::string& target, const std::string& ip,
                                   const std::string& detail) {
  return store_.append_audit(tx, AuditEntry{Uuid::v7(clock_).str(), org_id, actor,
                                            std::string(action), target, ip, detail, clock_.now()});
}

Result<Registered> Accounts::register_account(const RegisterCommand& cmd) {
  std::vector<FieldError> errors;
  const auto email = domain::normalize_email(cmd.email);
  if (!email) {
    errors.push_back({"email", "Enter an email address such as name@example.com."});
  }
  const auto name = domain::normalize_name(cmd.name);
  if (!name) {
    errors.push_back({"name", "Enter your name (1 to 200 characters)."});
  }
  const auto org_name = domain::normalize_name(cmd.org_name);
  if (!org_name) {
    errors.push_back({"org_name", "Enter the name of your organisation (1 to 200 characters)."});
  }
  if (cmd.locale != "fr" && cmd.locale != "en") {
    errors.push_back({"locale", "Choose fr or en."});
  }
  if (auto ok = policy_.check(cmd.password, email.value_or(""), name.value_or("")); !ok) {
    for (const auto& f : ok.error().fields) {
      errors.push_back(f);
    }
    if (ok.error().fields.empty()) {
      errors.push_back({"password", ok.error().message});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("The account could not be created: see the fields.", std::move(errors));
  }
  auto hash = auth::hash_password(cmd.password, hashing_);
  if (!hash) {
    return std::move(hash).error();
  }
  const TimePoint now = clock_.now();
  User user{Uuid::v7(clock_).str(), *email, *name, *hash, cmd.locale, now, std::nullopt};
  const std::string org_id = Uuid::v7(clock_).str();

  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = org_id},
      [&](db::Transaction& tx) -> Result<Registered> {
        auto existing = store_.find_user_by_email(tx, user.email);
        if (!existing) {
          return std::move(existing).error();
        }
        if (existing->has_value()) {
          return Error::conflict("An account already uses this email address; log in instead.");
        }
        for (auto step :
             {store_.insert_user(tx, user), store_.insert_org(tx, org_id, *org_name, user.id, now),
              store_.insert_membership(tx, org_id, user.id, domain::OrgRole::kOwner, now)}) {
          if (!step) {
            return std::move(step).error();
          }
        }
        const std::vector<events::CloudEvent> emitted = {
            events::CloudEvent::make(
                std::string(kSource), "identity.UserRegistered.v1", user.id, org_id,
                "{\"user_id\":" + json_quoted(user.id) + ",\"email\":" + json_quoted(user.email) +
                    ",\"name\":" + json_quoted(user.name) +
                    ",\"locale\":" + json_quoted(user.locale) + "}",
                clock_),
            events::CloudEvent::make(std::string(kSource), "identity.OrgCreated.v1", org_id, org_id,
                                     "{\"org_id\":" + json_quoted(org_id) +
                                         ",\"name\":" + json_quoted(*org_name) +
                                         ",\"owner_id\":" + json_quoted(user.id) + "}",
                                     clock_),
            events::CloudEvent::make(
                std::string(kSource), "identity.MemberAdded.v1", user.id, org_id,
                "{\"org_id\":" + json_quoted(org_id) + ",\"user_id\":" + json_quoted(user.id) +
                    ",\"role\":\"owner\"}",
                clock_),
        };
        for (const auto& e : emitted) {
          if (auto r = events::append(tx, e); !r) {
            return std::move(r).error();
          }
        }
        if (auto r = audit_event(tx, org_id, user.id, "account.registered", user.id, cmd.ip); !r) {
          return std::move(r).error();
        }
        if (auto r = send_link(tx, user, org_id, "verify_email", kVerifyEmailTtl, "/verify-email");
            !r) {
          return std::move(r).error();
        }
        return Registered{user.id, org_id};
      });
}

Result<void> Accounts::send_link(db::Transaction& tx, const User& user, const std::string& org_id,
                                 const std::string& purpose, std::chrono::seconds ttl,
                                 std::string_view page) {
  if (notifier_ == nullptr) {
    return {};
  }
  const TimePoint now = clock_.now();
  const std::string token = auth::random_token();
  const UserToken stored{
      Uuid::v7(clock_).str(), org_id, user.id, purpose, now, now + ttl, std::nullopt};
  if (auto r = store_.insert_user_token(tx, stored, auth::token_hash(token)); !r) {
    return r;
  }
  return notifier_->send_email(
      tx, EmailRequest{user.email,
                       user.locale,
                       purpose,
                       {{"name", user.name},
                        {"link", tokens_.issuer + std::string(page) + "?token=" + token},
                        {"expires_at", format_rfc3339(stored.expires_at)}},
                       org_id});
}

Result<UserToken> Accounts::spend_token(db::Transaction& tx, const std::string& token,
                                        const std::string& purpose) {
  auto found = store_.find_user_token(tx, auth::token_hash(token), purpose);
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value()) {
    return Error::not_found("This link is not valid: ask for a new one.");
  }
  if ((*found)->used_at || (*found)->expires_at <= clock_.now()) {
    return Error{
        ErrorCode::kGone, "This link has expired or was already used: ask for a new one.", {}, {}};
  }
  auto spent = store_.use_user_token(tx, (*found)->id, clock_.now());
  if (!spent) {
    return std::move(spent).error();
  }
  if (!*spent) {
    return Error{ErrorCode::kGone, "This link was already used.", {}, {}};
  }
  return **found;
}

Result<void> Accounts::verify_email(const std::string& token, const std::string& ip) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<void> {
        auto spent = spend_token(tx, token, "verify_email");
        if (!spent) {
          return std::move(spent).error();
        }
        if (auto r = store_.set_email_verified(tx, spent->user_id, clock_.now()); !r) {
          return r;
        }
        return audit_event(tx, spent->org_id, spent->user_id, "email.verified", spent->user_id, ip);
      });
}

Result<void> Accounts::request_password_reset(const std::string& email, const std::string& ip) {
  const auto normalized = domain::normalize_email(email);
  if (!normalized) {
    return Error::invalid("Enter an email address such as name@example.com.",
                          {{"email", "Enter an email address such as name@example.com."}});
  }
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<void> {
        auto user = store_.find_user_by_email(tx, *normalized);
        if (!user) {
          return std::move(user).error();
        }
        if (!user->has_value()) {
          return {};  // same answer as for an account: the form reveals nothing
        }
        auto memberships = store_.memberships_of(tx, (*user)->id);
        if (!memberships) {
          return std::move(memberships).error();
        }
        const std::string org_id = memberships->empty() ? "" : memberships->front().org_id;
        if (auto r = send_link(tx, **user, org_id, "reset_password", kResetPasswordTtl,
                               "/reset-password");
            !r) {
          return r;
        }
        return audit_event(tx, org_id, (*user)->id, "password.reset_requested", (*user)->id, ip);
      });
}

Result<void> Accounts::reset_password(const std::string& token, std::string_view new_password,
                                      const std::string& ip) {
  // The policy needs the account's email and name, so look the token up first (read only); the
  // token is spent in the writing transaction below.
  auto owner = db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<User> {
        auto found = store_.find_user_token(tx, auth::token_hash(token), "reset_password");
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return Error::not_found("This link is not valid: ask for a new one.");
        }
        auto user = store_.find_user(tx, (*found)->user_id);
        if (!user) {
          return std::move(user).error();
        }
        if (!user->has_value()) {
          return Error::not_found("This account no longer exists.");
        }
        return **user;
      });
  if (!owner) {
    return std::move(owner).error();
  }
  if (auto ok = policy_.check(new_password, owner->email, owner->name); !ok) {
    return ok;
  }
  auto hash = auth::hash_password(new_password, hashing_);
  if (!hash) {
    return std::move(hash).error();
  }
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<void> {
        auto spent = spend_token(tx, token, "reset_password");
        if (!spent) {
          return std::move(spent).error();
        }
        for (auto step : {store_.set_password_hash(tx, spent->user_id, *hash, now),
                          store_.clear_throttle(tx, "account:" + owner->email)}) {
          if (!step) {
            return step;
          }
        }
        if (auto r = store_.revoke_all_refresh_tokens(tx, spent->user_id, now); !r) {
          return std::move(r).error();
        }
        return audit_event(tx, spent->org_id, spent->user_id, "password.reset", spent->user_id, ip);
      });
}

Result<TokenPair> Accounts::issue(db::Transaction& tx, const User& user,
                                  const Membership& membership, const std::string& family_id,
                                  const ClientGrant& grant) {
  const TimePoint now = clock_.now();
  auth::Claims claims;
  claims.iss = tokens_.issuer;
  claims.sub = user.id;
  claims.aud = tokens_.audience;
  claims.org = membership.org_id;
  claims.roles = roles_of(membership);
  claims.jti = Uuid::v7(clock_).str();
  claims.iat = now;
  claims.exp = now + tokens_.access_ttl;
  if (!grant.client_id.empty()) {
    // RFC 9068 §2.2: the client the token was issued to; its revocation ends the token.
    claims.extra["client_id"] = grant.client_id;
    claims.scope = grant.scope;
  }

  TokenPair pair;
  if (grant.refresh) {
    const std::string refresh = auth::random_token();
    RefreshToken stored{Uuid::v7(clock_).str(),
                        membership.org_id,
                        user.id,
                        family_id,
                        auth::token_hash(refresh),
                        now,
                        now + tokens_.refresh_ttl,
                        std::nullopt,
                        std::nullopt,
                        grant.client_id,
                        grant.scope};
    if (auto r = store_.insert_refresh_token(tx, stored); !r) {
      return std::move(r).error();
    }
    pair.refresh_token = refresh;
  }
  pair.access_token = keys_.sign(claims);
  pair.expires_in = tokens_.access_ttl;
  pair.org_id = membership.org_id;
  pair.roles = claims.roles;
  pair.scope = grant.scope;
  return pair;
}

Result<TokenPair> Accounts::issue_for_client(db::Transaction& tx, const std::string& user_id,
                                             const std::string& org_id, const ClientGrant& grant,
                                             const std::string& family_id) {
  auto user = store_.find_user(tx, user_id);
  if (!user) {
    return std::move(user).error();
  }
  auto memberships = store_.memberships_of(tx, user_id);
  if (!memberships) {
    return std::move(memberships).error();
  }
  for (const auto& m : *memberships) {
    if (m.org_id == org_id && user->has_value()) {
      return issue(tx, **user, m, family_id, grant);
    }
  }
  return Error::forbidden("This account is no longer a member of that organisation.");
}

Result<TokenPair> Accounts::login(const LoginCommand& cmd) {
  const std::string email = domain::normalize_email(cmd.email).value_or(cmd.email);
  const std::string account_key = "account:" + email;
  const std::string address_key = "ip:" + cmd.ip;
  const TimePoint now = clock_.now();

  // Refuse early, without touching the password, while either key is locked out.
  auto locked = db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}},
                             [&](db::Transaction& tx) -> Result<std::optional<TimePoint>> {
                               std::optional<TimePoint> until;
                               for (const auto& key : {account_key, address_key}) {
                                 auto t = store_.throttle(tx, key);
                                 if (!t) {
                                   return std::move(t).error();
                                 }
                                 if (*t && (*t)->locked_until && *(*t)->locked_until > now) {
                                   until = std::max(until.value_or(now), *(*t)->locked_until);
                                 }
                               }
                               return until;
                             });
  if (!locked) {
    return std::move(locked).error();
  }
  if (*locked) {
    Error e{
        ErrorCode::kTooManyRequests,
        "Too many failed log-ins: try again later or reset your password.",
        {},
        std::chrono::duration_cast<std::chrono::seconds>(**locked - now) + std::chrono::seconds(1)};
    return e;
  }

  auto found =
      db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}},
                   [&](db::Transaction& tx) { return store_.find_user_by_email(tx, email); });
  if (!found) {
    return std::move(found).error();
  }
  const std::optional<User>& user = *found;
  // Verify against a decoy when the account does not exist, so timing does not tell.
  const bool password_ok =
      auth::verify_password(cmd.password, user ? user->password_hash : decoy_hash()) &&
      user.has_value();

  // A wrong password must still commit its failure counters, so the transaction succeeds with an
  // empty pair and the refusal is made after it.
  auto outcome = db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<TokenPair> {
        if (!password_ok) {
          for (const auto& [key, limit] : {std::pair{account_key, throttle_.account_failures},
                                           std::pair{address_key, throttle_.address_failures}}) {
            auto current = store_.throttle(tx, key);
            if (!current) {
              return std::move(current).error();
            }
            Throttle t = current->value_or(Throttle{0, now, std::nullopt});
            if (now - t.window_start > throttle_.window) {
              t = Throttle{0, now, std::nullopt};
            }
            if (++t.failures >= limit) {
              t.locked_until = now + throttle_.lockout;
            }
            if (auto r = store_.save_throttle(tx, key, t); !r) {
              return std::move(r).error();
            }
          }
          // A wrong password for an existing account is recorded in the log of every organisation
          // the account belongs to, not only its first: the password opens all of them, so the
          // owners and admins of each have a stake in attempts on it (it takes at most
          // kMaxOrganisationsPerUser rows, and the throttle caps the attempts). An unknown address
          // stays out of every organisation's log (org_id '').
          std::vector<std::string> orgs;
          if (user) {
            auto memberships = store_.memberships_of(tx, user->id);
            if (!memberships) {
              return std::move(memberships).error();
            }
            for (const auto& m : *memberships) {
              orgs.push_back(m.org_id);
            }
          }
          if (orgs.empty()) {
            orgs.emplace_back();
          }
          for (const auto& org_id : orgs) {
            if (auto r =
                    audit_event(tx, org_id, email, "login.failed", user ? user->id : "", cmd.ip);
                !r) {
              return std::move(r).error();
            }
          }
          return TokenPair{};
        }
        auto memberships = store_.memberships_of(tx, user->id);
        if (!memberships) {
          return std::move(memberships).error();
        }
        const Membership* chosen = nullptr;
        for (const auto& m : *memberships) {
          if (cmd.org_id.empty() || m.org_id == cmd.org_id) {
            chosen = &m;
            break;
          }
        }
        if (chosen == nullptr) {
          return Error::forbidden(cmd.org_id.empty()
                                      ? "This account belongs to no organisation yet."
                                      : "This account is not a member of that organisation.");
        }
        if (auto r = store_.clear_throttle(tx, account_key); !r) {
          return std::move(r).error();
        }
        if (mfa_ != nullptr) {
          auto totp = mfa_->totp(tx, user->id);
          if (!totp) {
            return std::move(totp).error();
          }
          if (*totp && (*totp)->confirmed_at) {
            const std::string token = auth::random_token();
            MfaChallenge challenge{Uuid::v7(clock_).str(),
                                   chosen->org_id,
                                   user->id,
                                   now + kMfaChallengeTtl,
                                   0,
                                   std::nullopt};
            if (auto r = mfa_->insert_challenge(tx, challenge, auth::token_hash(token), now); !r) {
              return std::move(r).error();
            }
            TokenPair pending;
            pending.mfa_token = token;
            pending.org_id = chosen->org_id;
            return pending;
          }
        }
        if (auto r = audit_event(tx, chosen->org_id, user->id, "login.succeeded", user->id, cmd.ip);
            !r) {
          return std::move(r).error();
        }
        return issue(tx, *user, *chosen, Uuid::v7(clock_).str());
      });
  if (outcome && outcome->access_token.empty() && outcome->mfa_token.empty()) {
    return unauthenticated("Wrong email or password.");
  }
  return outcome;
}

Result<TokenPair> Accounts::switch_org(const Principal& principal, const std::string& org_id,
                                       const std::string& ip) {
  if (principal.kind != Principal::Kind::kUser || !principal.client_id.empty()) {
    return Error::forbidden(
        "Only a person's own session can change organisation; API keys and OAuth clients act in "
        "the organisation they were given.");
  }
  // The target organisation is not the token's: the membership is looked up across tenants, and
  // a missing one reads as an unknown organisation.
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<TokenPair> {
        auto user = store_.find_user(tx, principal.subject);
        if (!user) {
          return std::move(user).error();
        }
        if (!user->has_value()) {
          return Error::not_found("This account no longer exists.");
        }
        auto memberships = store_.memberships_of(tx, principal.subject);
        if (!memberships) {
          return std::move(memberships).error();
        }
        for (const auto& m : *memberships) {
          if (m.org_id != org_id) {
            continue;
          }
          if (auto r = audit_event(tx, org_id, principal.subject, "session.org_switched",
                                   principal.subject, ip, "from " + principal.org_id);
              !r) {
            return std::move(r).error();
          }
          return issue(tx, **user, m, Uuid::v7(clock_).str());
        }
        return Error::not_found("You are not a member of that organisation.");
      });
}

Result<Registered> Accounts::create_org(const Principal& principal, const std::string& name,
                                        const std::string& ip) {
  if (principal.kind != Principal::Kind::kUser || !principal.client_id.empty()) {
    return Error::forbidden("Only a person can create an organisation.");
  }
  const auto org_name = domain::normalize_name(name);
  if (!org_name) {
    return Error::invalid("The organisation could not be created: see the fields.",
                          {{"name", "Enter the name of the organisation (1 to 200 characters)."}});
  }
  const TimePoint now = clock_.now();
  const std::string org_id = Uuid::v7(clock_).str();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = org_id, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<Registered> {
        auto memberships = store_.memberships_of(tx, principal.subject);
        if (!memberships) {
          return std::move(memberships).error();
        }
        // Generous for a person, and a wall against a script creating tenants in a loop.
        if (memberships->size() >= kMaxOrganisationsPerUser) {
          return Error::conflict("This account already belongs to " +
                                 std::to_string(kMaxOrganisationsPerUser) +
                                 " organisations, the most one account may.");
        }
        for (auto step : {store_.insert_org(tx, org_id, *org_name, principal.subject, now),
                          store_.insert_membership(tx, org_id, principal.subject,
                                                   domain::OrgRole::kOwner, now)}) {
          if (!step) {
            return std::move(step).error();
          }
        }
        const std::vector<events::CloudEvent> emitted = {
            events::CloudEvent::make(std::string(kSource), "identity.OrgCreated.v1", org_id, org_id,
                                     "{\"org_id\":" + json_quoted(org_id) +
                                         ",\"name\":" + json_quoted(*org_name) +
                                         ",\"owner_id\":" + json_quoted(principal.subject) + "}",
                                     clock_),
            events::CloudEvent::make(
                std::string(kSource), "identity.MemberAdded.v1", principal.subject, org_id,
                "{\"org_id\":" + json_quoted(org_id) +
                    ",\"user_id\":" + json_quoted(principal.subject) + ",\"role\":\"owner\"}",
                clock_),
        };
        for (const auto& e : emitted) {
          if (auto r = events::append(tx, e); !r) {
            return std::move(r).error();
          }
        }
        if (auto r = audit_event(tx, org_id, principal.subject, "org.created", org_id, ip); !r) {
          return std::move(r).error();
        }
        return Registered{principal.subject, org_id};
      });
}

Result<TokenPair> Accounts::refresh(const std::string& refresh_token, const std::string& ip,
                                    const std::string& client_id) {
  const TimePoint now = clock_.now();
  bool reused = false;
  auto outcome =
      db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
                   [&](db::Transaction& tx) -> Result<TokenPair> {
                     auto found = store_.find_refresh_token(tx, auth::token_hash(refresh_token));
                     if (!found) {
                       return std::move(found).error();
                     }
                     if (!found->has_value()) {
                       return unauthenticated("Unknown refresh token: log in again.");
                     }
                     const RefreshToken& token = **found;
                     // Checked before the token is spent, so that presenting it from the wrong
                     // place burns nothing of the rightful holder's session.
                     if (token.client_id != client_id) {
                       return unauthenticated(
                           token.client_id.empty()
                               ? "This refresh token belongs to a first-party session."
                               : "This refresh token was issued to an OAuth client: that client "
                                 "exchanges it at /oauth2/token.");
                     }
                     if (token.revoked_at) {
                       return unauthenticated("This session was ended: log in again.");
                     }
                     if (token.expires_at <= now) {
                       return unauthenticated("This refresh token has expired: log in again.");
                     }
                     auto first_use = store_.use_refresh_token(tx, token.id, now);
                     if (!first_use) {
                       return std::move(first_use).error();
                     }
                     if (!*first_use) {
                       // Spent already: someone holds a copy. End every session of this family,
                       // keep the record.
                       reused = true;
                       if (auto r = store_.revoke_refresh_family(tx, token.family_id, now); !r) {
                         return std::move(r).error();
                       }
                       if (auto r = audit_event(tx, token.org_id, token.user_id,
                                                "token.reuse_detected", token.family_id, ip);
                           !r) {
                         return std::move(r).error();
                       }
                       return TokenPair{};
                     }
                     auto user = store_.find_user(tx, token.user_id);
                     if (!user) {
                       return std::move(user).error();
                     }
                     auto memberships = store_.memberships_of(tx, token.user_id);
                     if (!memberships) {
                       return std::move(memberships).error();
                     }
                     for (const auto& m : *memberships) {
                       if (m.org_id == token.org_id && user->has_value()) {
                         return issue(tx, **user, m, token.family_id,
                                      ClientGrant{token.client_id, token.scope, true});
                       }
                     }
                     // Removed from the organisation since: the session ends with the membership.
                     if (auto r = store_.revoke_refresh_family(tx, token.family_id, now); !r) {
                       return std::move(r).error();
                     }
                     return TokenPair{};
                   });
  if (outcome && outcome->access_token.empty()) {
    return unauthenticated(reused ? "This refresh token was already used; every session of its "
                                    "family has been ended. Log in again."
                                  : "This session is no longer valid: log in again.");
  }
  return outcome;
}

Result<void> Accounts::logout(const std::string& refresh_token, const std::string& ip,
                              const std::optional<std::string>& client_id) {
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<void> {
        auto found = store_.find_refresh_token(tx, auth::token_hash(refresh_token));
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return {};
        }
        if ((*found)->client_id != client_id.value_or("")) {
          return Error::forbidden((*found)->client_id.empty()
                                      ? "This session was not issued to an OAuth client: log out "
                                        "through the portal."
                                      : "This token was issued to another client: only that client "
                                        "can revoke it.");
        }
        if (auto r = store_.revoke_refresh_family(tx, (*found)->family_id, now); !r) {
          return std::move(r).error();
        }
        return audit_event(tx, (*found)->org_id, (*found)->user_id, "logout", (*found)->user_id,
                           ip);
      });
}

Result<void> Accounts::change_password(const Principal& principal,
                                       std::string_view current_password,
                                       std::string_view new_password, const std::string& ip) {
  if (principal.kind != Principal::Kind::kUser) {
    return Error::forbidden("Only a person can change their password.");
  }
  auto user =
      db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}},
                   [&](db::Transaction& tx) { return store_.find_user(tx, principal.subject); });
  if (!user) {
    return std::move(user).error();
  }
  if (!user->has_value()) {
    return Error::not_found("This account no longer exists.");
  }
  if (!auth::verify_password(current_password, (*user)->password_hash)) {
    return Error::invalid("The current password is not right.",
                          {{"current_password", "Type the password you use today."}});
  }
  if (auto ok = policy_.check(new_password, (*user)->email, (*user)->name); !ok) {
    Error e = std::move(ok).error();
    for (auto& f : e.fields) {
      f.field = "new_password";  // the policy speaks of "password"; this form has two
    }
    return e;
  }
  auto hash = auth::hash_password(new_password, hashing_);
  if (!hash) {
    return std::move(hash).error();
  }
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<void> {
        if (auto r = store_.set_password_hash(tx, principal.subject, *hash, now); !r) {
          return r;
        }
        if (auto r = store_.revoke_all_refresh_tokens(tx, principal.subject, now); !r) {
          return std::move(r).error();
        }
        return audit_event(tx, principal.org_id, principal.subject, "password.changed",
                           principal.subject, ip);
      });
}

Result<Profile> Accounts::profile(const Principal& principal) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = principal.org_id, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<Profile> {
        auto user = store_.find_user(tx, principal.subject);
        if (!user) {
          return std::move(user).error();
        }
        if (!user->has_value()) {
          return Error::not_found("This account no longer exists.");
        }
        auto memberships = store_.memberships_of(tx, principal.subject);
        if (!memberships) {
          return std::move(memberships).error();
        }
        return Profile{**user, std::move(memberships).value()};
      });
}

Result<Profile> Accounts::update_profile(const Principal& principal, const ProfilePatch& patch) {
  if (principal.kind != Principal::Kind::kUser || !principal.client_id.empty()) {
    return Error::forbidden(
        "Only a person's own session can edit their profile; API keys and OAuth clients cannot.");
  }
  std::vector<FieldError> errors;
  std::optional<std::string> name;
  if (patch.name) {
    name = domain::normalize_name(*patch.name);
    if (!name) {
      errors.push_back({"name", "Enter your name (1 to 200 characters)."});
    }
  }
  if (patch.locale && *patch.locale != "fr" && *patch.locale != "en") {
    errors.push_back({"locale", "Choose fr or en."});
  }
  if (!errors.empty()) {
    return Error::invalid("The profile could not be saved: see the fields.", std::move(errors));
  }
  const TimePoint now = clock_.now();
  // Cross-tenant like profile(): the memberships it answers with span organisations.
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = principal.org_id, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<Profile> {
        auto found = store_.find_user(tx, principal.subject);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return Error::not_found("This account no longer exists.");
        }
        User user = **found;
        std::vector<std::string> changed;
        if (name && *name != user.name) {
          user.name = *name;
          changed.emplace_back("name");
        }
        if (patch.locale && *patch.locale != user.locale) {
          user.locale = *patch.locale;
          changed.emplace_back("locale");
        }
        if (!changed.empty()) {
          if (auto r = store_.update_user_profile(tx, user.id, user.name, user.locale, now); !r) {
            return std::move(r).error();
          }
          std::string fields;
          for (const auto& f : changed) {
            fields += (fields.empty() ? "" : ",") + json_quoted(f);
          }
          if (auto r = audit_event(tx, principal.org_id, user.id, "profile.updated", user.id,
                                   patch.ip, "{\"fields\":[" + fields + "]}");
              !r) {
            return std::move(r).error();
          }
        }
        auto memberships = store_.memberships_of(tx, user.id);
        if (!memberships) {
          return std::move(memberships).error();
        }
        return Profile{std::move(user), std::move(memberships).value()};
      });
}

Result<std::vector<AuditEntry>> Accounts::audit(const Principal& principal,
                                                const std::string& before_id, int limit) {
  // The role is read from the current membership (or key), like every member-management check,
  // so that a demotion takes effect at once.
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = principal.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<AuditEntry>> {
                        auto role = authorize(store_, tx, principal, domain::Action::kAuditRead,
                                              "Only owners and admins can read the audit log.");
                        if (!role) {
                          return std::move(role).error();
                        }
                        return store_.audit_page(tx, principal.org_id, before_id, limit);
                      });
}

Result<TotpSetup> Accounts::start_totp(const Principal& principal) {
  if (mfa_ == nullptr || principal.kind != Principal::Kind::kUser) {
    return Error::forbidden("A second factor can only be set up for a person's account.");
  }
  const std::string secret = auth::base32_encode(auth::generate_totp_secret());
  return db_.transact([&](db::Transaction& tx) -> Result<TotpSetup> {
    auto user = store_.find_user(tx, principal.subject);
    if (!user) {
      return std::move(user).error();
    }
    if (!user->has_value()) {
      return Error::not_found("This account no longer exists.");
    }
    auto current = mfa_->totp(tx, principal.subject);
    if (!current) {
      return std::move(current).error();
    }
    if (*current && (*current)->confirmed_at) {
      return Error::conflict("An authenticator is already active; disable it first.");
    }
    if (auto r = mfa_->start_totp(tx, principal.subject, secret, clock_.now()); !r) {
      return std::move(r).error();
    }
    return TotpSetup{secret, auth::otpauth_uri("Atelier", (*user)->email, secret)};
  });
}

Result<std::vector<std::string>> Accounts::confirm_totp(const Principal& principal,
                                                        std::string_view code) {
  if (mfa_ == nullptr || principal.kind != Principal::Kind::kUser) {
    return Error::forbidden("A second factor can only be set up for a person's account.");
  }
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = principal.org_id},
      [&](db::Transaction& tx) -> Result<std::vector<std::string>> {
        auto current = mfa_->totp(tx, principal.subject);
        if (!current) {
          return std::move(current).error();
        }
        if (!*current) {
          return Error::not_found("Start the authenticator set-up first.");
        }
        if ((*current)->confirmed_at) {
          return Error::conflict("This authenticator is already active.");
        }
        const auto secret = auth::base32_decode((*current)->secret_base32);
        auto step = secret ? auth::verify_totp(code, *secret, now)
                           : Result<uint64_t>(Error::internal("unreadable TOTP secret"));
        if (!step) {
          return Error::invalid("That code is not the one the authenticator shows now.",
                                {{"code", "Type the 6 digits your authenticator app shows."}});
        }
        if (auto r = mfa_->confirm_totp(tx, principal.subject, *step, now); !r) {
          return std::move(r).error();
        }
        std::vector<std::string> codes;
        std::vector<std::string> hashes;
        for (int i = 0; i < kRecoveryCodes; ++i) {
          std::string raw = auth::base32_encode(auth::random_bytes(7)).substr(0, 10);
          for (char& c : raw) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          }
          codes.push_back(raw.substr(0, 5) + "-" + raw.substr(5));
          hashes.push_back(auth::token_hash(raw));
        }
        if (auto r = mfa_->replace_recovery_codes(tx, principal.subject, hashes); !r) {
          return std::move(r).error();
        }
        if (auto r = audit_event(tx, principal.org_id, principal.subject, "mfa.enabled",
                                 principal.subject, "");
            !r) {
          return std::move(r).error();
        }
        return codes;
      });
}

Result<void> Accounts::disable_totp(const Principal& principal, std::string_view code) {
  if (mfa_ == nullptr || principal.kind != Principal::Kind::kUser) {
    return Error::forbidden("A second factor can only be managed for a person's account.");
  }
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = principal.org_id},
      [&](db::Transaction& tx) -> Result<void> {
        auto current = mfa_->totp(tx, principal.subject);
        if (!current) {
          return std::move(current).error();
        }
        if (!*current || !(*current)->confirmed_at) {
          return Error::not_found("No authenticator is active on this account.");
        }
        const auto secret = auth::base32_decode((*current)->secret_base32);
        auto step = secret ? auth::verify_totp(code, *secret, now, 1, (*current)->last_used_step)
                           : Result<uint64_t>(Error::internal("unreadable TOTP secret"));
        if (!step) {
          return Error::invalid("That code is not the one the authenticator shows now.",
                                {{"code", "Type the 6 digits your authenticator app shows."}});
        }
        if (auto r = mfa_->remove_totp(tx, principal.subject); !r) {
          return r;
        }
        return audit_event(tx, principal.org_id, principal.subject, "mfa.disabled",
                           principal.subject, "");
      });
}

Result<TokenPair> Accounts::complete_mfa_login(const std::string& mfa_token, std::string_view code,
                                               const std::string& ip) {
  if (mfa_ == nullptr) {
    return unauthenticated("No second factor is configured on this server.");
  }
  const TimePoint now = clock_.now();
  std::string refusal;
  // A wrong code must commit its failure count, so the refusal is made after the transaction.
  auto outcome = db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<TokenPair> {
        auto challenge = mfa_->challenge(tx, auth::token_hash(mfa_token));
        if (!challenge) {
          return std::move(challenge).error();
        }
        if (!*challenge || (*challenge)->used_at || (*challenge)->expires_at <= now ||
            (*challenge)->failures >= kMfaMaxFailures) {
          refusal = "This log-in has expired or was already completed: log in again.";
          return TokenPair{};
        }
        const MfaChallenge& c = **challenge;
        auto totp = mfa_->totp(tx, c.user_id);
        if (!totp) {
          return std::move(totp).error();
        }
        bool accepted = false;
        if (looks_like_totp(code) && *totp) {
          const auto secret = auth::base32_decode((*totp)->secret_base32);
          auto step = secret ? auth::verify_totp(code, *secret, now, 1, (*totp)->last_used_step)
                             : Result<uint64_t>(Error::internal("unreadable TOTP secret"));
          if (step) {
            auto fresh = mfa_->use_totp_step(tx, c.user_id, *step);
            if (!fresh) {
              return std::move(fresh).error();
            }
            accepted = *fresh;
          }
        } else {
          auto used = mfa_->use_recovery_code(tx, c.user_id,
                                              auth::token_hash(normalize_recovery_code(code)), now);
          if (!used) {
            return std::move(used).error();
          }
          accepted = *used;
        }
        if (!accepted) {
          if (auto r = mfa_->fail_challenge(tx, c.id); !r) {
            return std::move(r).error();
          }
          if (auto r = audit_event(tx, c.org_id, c.user_id, "login.mfa_failed", c.user_id, ip);
              !r) {
            return std::move(r).error();
          }
          refusal = "Wrong code.";
          return TokenPair{};
        }
        auto spent = mfa_->use_challenge(tx, c.id, now);
        if (!spent) {
          return std::move(spent).error();
        }
        if (!*spent) {
          refusal = "This log-in was already completed: log in again.";
          return TokenPair{};
        }
        auto user = store_.find_user(tx, c.user_id);
        if (!user) {
          return std::move(user).error();
        }
        auto memberships = store_.memberships_of(tx, c.user_id);
        if (!memberships) {
          return std::move(memberships).error();
        }
        for (const auto& m : *memberships) {
          if (m.org_id == c.org_id && user->has_value()) {
            if (auto r = audit_event(tx, c.org_id, c.user_id, "login.succeeded", c.user_id, ip);
                !r) {
              return std::move(r).error();
            }
            return issue(tx, **user, m, Uuid::v7(clock_).str());
          }
        }
        refusal = "This account is no longer a member of that organisation.";
        return TokenPair{};
      });
  if (outcome && !refusal.empty()) {
    return unauthenticated(refusal);
  }
  return outcome;
}

Result<void> Accounts::check_client(const std::string& client_id) const {
  if (oauth_ == nullptr) {
    return unauthenticated("OAuth clients are not accepted by this server.");
  }
  auto client =
      db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
                   [&](db::Transaction& tx) { return oauth_->find_client(tx, client_id); });
  if (!client) {
    return std::move(client).error();
  }
  if (!client->has_value() || (*client)->client.revoked_at) {
    return unauthenticated("The application this token was issued to has been revoked.");
  }
  return {};
}

Result<Principal> Accounts::verify_access_token(std::string_view token) const {
  const TimePoint now = clock_.now();
  {
    std::unique_lock lock(verified_mutex_);
    if (auto it = verified_.find(std::string(token)); it != verified_.end()) {
      if (now < it->second.valid_until) {
        VerifiedToken hit = it->second;
        lock.unlock();
        if (!hit.client_id.empty()) {
          if (auto active = check_client(hit.client_id); !active) {
            return std::move(active).error();
          }
        }
        return hit.principal;
      }
      verified_.erase(it);
    }
  }
  const auth::VerifyOptions options{tokens_.issuer, tokens_.audience, now, {}};
  auto claims = auth::verify_jwt(token, keys_, options);
  if (!claims) {
    return std::move(claims).error();
  }
  if (claims->org.empty()) {
    return unauthenticated("The access token names no organisation.");
  }
  std::string client_id;
  if (const auto* c = claims->extra.if_contains("client_id"); c != nullptr && c->is_string()) {
    client_id = std::string(c->get_string());
  }
  const auto* kind = claims->extra.if_contains("kind");
  const bool client_token =
      kind != nullptr && kind->is_string() && kind->get_string() == kClientTokenKind;
  if (client_token && client_id != claims->sub) {
    return unauthenticated("A client's token names the client as its subject.");
  }
  if (!client_id.empty()) {
    if (auto active = check_client(client_id); !active) {
      return std::move(active).error();
    }
  }
  Principal principal{client_token ? Principal::Kind::kClient : Principal::Kind::kUser,
                      claims->sub,
                      claims->org,
                      claims->roles,
                      claims->jti,
                      client_id};
  std::lock_guard lock(verified_mutex_);
  if (verified_.size() >= kVerifiedCacheSize) {
    std::erase_if(verified_, [&](const auto& entry) { return entry.second.valid_until <= now; });
    if (verified_.size() >= kVerifiedCacheSize) {
      verified_.clear();  // a burst of distinct live tokens: start over rather than grow
    }
  }
  verified_.emplace(std::string(token),
                    VerifiedToken{principal, claims->exp + options.leeway, client_id});
  return principal;
}

Result<std::unique_ptr<auth::KeyRing>> load_key_ring(db::Database& db, IdentityStore& store,
                                                     const Clock& clock) {
  return db.transact([&](db::Transaction& tx) -> Result<std::unique_ptr<auth::KeyRing>> {
    auto stored = store.signing_keys(tx);
    if (!stored) {
      return std::move(stored).error();
    }
    const StoredSigningKey* current = nullptr;
    for (const auto& k : *stored) {
      if (!k.not_after) {
        current = &k;  // the newest active key signs
      }
    }
    std::unique_ptr<auth::KeyRing> ring;
    if (current == nullptr) {
      StoredSigningKey fresh{Uuid::v7(clock).str(), "", clock.now(), std::nullopt};
      auto key = auth::SigningKey::generate(fresh.kid);
      fresh.private_pem = key.to_pem();
      if (auto r = store.insert_signing_key(tx, fresh); !r) {
        return std::move(r).error();
      }
      log::info("identity.signing_key_created").field("kid", fresh.kid);
      ring = std::make_unique<auth::KeyRing>(std::move(key));
    } else {
      auto key = auth::SigningKey::from_pem(current->kid, current->private_pem);
      if (!key) {
        return Error::internal("identity: signing key " + current->kid +
                               " is unreadable: " + key.error().message);
      }
      ring = std::make_unique<auth::KeyRing>(std::move(key).value());
    }
    for (const auto& k : *stored) {
      if (k.not_after && *k.not_after > clock.now()) {
        auto key = auth::SigningKey::from_pem(k.kid, k.private_pem);
        if (key) {
          (void)ring->add_retired(key->public_key(), *k.not_after);
        }
      }
    }
    return ring;
  });
}

}  // namespace atelier::identity::app
