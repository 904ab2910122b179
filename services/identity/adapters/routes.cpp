#include "identity/adapters/routes.hpp"

#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "atelier/auth/secrets.hpp"
#include "atelier/http/json_body.hpp"
#include "atelier/http/pagination.hpp"
#include "identity/adapters/mfa_routes.hpp"
#include "identity/adapters/oauth_routes.hpp"
#include "identity/adapters/outbox_notifier.hpp"
#include "identity/adapters/sql_mfa_store.hpp"
#include "identity/adapters/sql_oauth_store.hpp"
#include "identity/adapters/sql_store.hpp"
#include "identity/app/api_keys.hpp"
#include "identity/app/members.hpp"
#include "identity/app/oauth_clients.hpp"
#include "identity/app/oauth_provider.hpp"
#include "identity/app/signing_keys.hpp"
#include "identity/domain/accounts.hpp"

namespace atelier::identity {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

// Accepts an access token (`Bearer eyJ...`) or an API key (`ApiKey atk_...`, or `Bearer atk_...`
// for clients that only know bearer tokens: an access token never starts with atk_).
class TokenAuthenticator final : public http::Authenticator {
 public:
  TokenAuthenticator(const app::Accounts& accounts, app::ApiKeys& api_keys)
      : accounts_(accounts), api_keys_(api_keys) {}

  Result<Principal> authenticate(std::string_view authorization) override {
    constexpr std::string_view kBearer = "Bearer ";
    constexpr std::string_view kApiKey = "ApiKey ";
    if (has_scheme(authorization, kApiKey)) {
      return api_keys_.verify(authorization.substr(kApiKey.size()));
    }
    if (!has_scheme(authorization, kBearer)) {
      return Error{ErrorCode::kUnauthenticated,
                   "Send credentials as 'Authorization: Bearer <access token>' or "
                   "'Authorization: ApiKey <API key>'.",
                   {},
                   {}};
    }
    const std::string_view credentials = authorization.substr(kBearer.size());
    if (auth::looks_like_api_key(credentials)) {
      return api_keys_.verify(credentials);
    }
    return accounts_.verify_access_token(credentials);
  }

 private:
  static bool has_scheme(std::string_view authorization, std::string_view scheme) {
    return authorization.size() > scheme.size() &&
           http::iequals(authorization.substr(0, scheme.size()), scheme);
  }

  const app::Accounts& accounts_;
  app::ApiKeys& api_keys_;
};

template <class T>
Response problem_or(const Result<T>& result, const Request& request) {
  return adapters::problem_of(result.error(), request);
}

// --- helpers of the members, invitations and API key routes ------------------------------

// The organisation in the path must be the caller's own: any other answers 404, as for an id that
// does not exist, so that a caller cannot learn which organisations exist. The use cases then act
// in the caller's organisation only, whatever the path says.
std::optional<Response> outside_caller_org(const Request& request) {
  if (request.param("org_id") != request.principal->org_id) {
    return Response::problem(Error::not_found("No organisation with this id."), request);
  }
  return std::nullopt;
}

json::value optional_time(const std::optional<TimePoint>& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

json::object member_json(const app::Member& m) {
  return {{"user_id", m.user_id},
          {"email", m.email},
          {"name", m.name},
          {"role", domain::role_name(m.role)},
          {"joined_at", format_rfc3339(m.joined_at)}};
}

json::object invitation_json(const app::Invitation& i) {
  return {{"id", i.id},
          {"email", i.email},
          {"role", domain::role_name(i.role)},
          {"invited_by", i.invited_by},
          {"created_at", format_rfc3339(i.created_at)},
          {"expires_at", format_rfc3339(i.expires_at)}};
}

json::array string_array(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) {
    out.emplace_back(item);
  }
  return out;
}

json::object oauth_client_json(const app::OAuthClient& c) {
  json::array grants;
  for (auto g : c.grant_types) {
    grants.emplace_back(domain::grant_type_name(g));
  }
  json::array roles;
  for (auto r : c.roles) {
    roles.emplace_back(domain::role_name(r));
  }
  return {{"id", c.id},
          {"client_id", c.id},
          {"name", c.name},
          {"type", domain::client_type_name(c.type)},
          {"redirect_uris", string_array(c.redirect_uris)},
          {"grant_types", std::move(grants)},
          {"roles", std::move(roles)},
          {"created_by", c.created_by},
          {"created_at", format_rfc3339(c.created_at)},
          {"revoked_at", optional_time(c.revoked_at)}};
}

// A list of strings in a JSON body, each at most `max_bytes`; absent is empty. Records a field
// error otherwise.
std::vector<std::string> string_list(const json::object& body, std::string_view name,
                                     size_t max_bytes, std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) {
    return out;
  }
  if (!v->is_array() || v->as_array().size() > 20) {
    errors.push_back({std::string(name), "This field must be a list of at most 20 strings."});
    return out;
  }
  for (const auto& item : v->as_array()) {
    if (!item.is_string() || item.as_string().size() > max_bytes) {
      errors.push_back({std::string(name), "Each item must be a string of at most " +
                                               std::to_string(max_bytes) + " bytes."});
      return {};
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

json::object api_key_json(const app::ApiKey& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"role", domain::role_name(k.role)},
          {"prefix", k.prefix},
          {"created_by", k.created_by},
          {"created_at", format_rfc3339(k.created_at)},
          {"last_used_at", optional_time(k.last_used_at)}};
}

// /api/v1/me is a person's; an API key or a client's own token has no profile.
Response no_profile(const Request& request) {
  return Response::problem(
      Error::forbidden("/api/v1/me describes a person signed in; an API key has no profile. It "
                       "acts in its organisation, under /api/v1/orgs/" +
                       request.principal->org_id + "/."),
      request);
}

json::object profile_json(const app::Profile& profile, const Principal& principal) {
  json::array memberships;
  for (const auto& m : profile.memberships) {
    memberships.push_back(json::object{
        {"org_id", m.org_id}, {"org_name", m.org_name}, {"role", domain::role_name(m.role)}});
  }
  json::array roles;
  for (const auto& r : principal.roles) {
    roles.emplace_back(r);
  }
  return {{"id", profile.user.id},
          {"email", profile.user.email},
          {"name", profile.user.name},
          {"locale", profile.user.locale},
          {"email_verified", profile.user.email_verified_at.has_value()},
          {"org_id", principal.org_id},
          {"roles", std::move(roles)},
          {"memberships", std::move(memberships)}};
}

// Reads a merge patch of the profile: `name` and `locale` may be set, not cleared (null); any
// other member, and a value that is not a string, is a field error, all reported at once.
Result<app::ProfilePatch> profile_patch_of(const json::object& body) {
  app::ProfilePatch patch;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : body) {
    const std::string name(key);
    if (name != "name" && name != "locale") {
      errors.push_back({name, "Unknown field: only name and locale can be changed here."});
    } else if (value.is_null()) {
      errors.push_back({name, "This field cannot be cleared."});
    } else if (!value.is_string() || value.as_string().size() > 1024) {
      errors.push_back({name, "Expected a string."});
    } else {
      (name == "name" ? patch.name : patch.locale) = std::string(value.as_string());
    }
  }
  if (!errors.empty()) {
    return Error::invalid("The profile could not be saved: see the fields.", std::move(errors));
  }
  return patch;
}

}  // namespace

struct IdentityService::State {
  State(const Config& c, db::Database& d, Options o)
      : config(c),
        db(d),
        options(std::move(o)),
        store(*options.secrets),
        mfa_store(*options.secrets),
        notifier(*options.clock) {}

  Config config;
  db::Database& db;
  Options options;
  adapters::SqlIdentityStore store;
  adapters::SqlMfaStore mfa_store;
  adapters::SqlOAuthStore oauth_store;
  adapters::OutboxNotifier notifier;
  std::unique_ptr<auth::KeyRing> keys;
  std::unique_ptr<auth::PasswordPolicy> policy;
  std::unique_ptr<app::Accounts> accounts;
  std::unique_ptr<TokenAuthenticator> authenticator;
  std::unique_ptr<app::Members> members;
  std::unique_ptr<app::ApiKeys> api_keys;
  std::unique_ptr<app::OAuthClients> oauth_clients;
  std::unique_ptr<app::OAuthProvider> oauth_provider;
  std::unique_ptr<app::SigningKeyRotation> key_rotation;

  // The timer that runs key_rotation: signing keys are rotated and dropped on time even when no
  // one asks for a token, and a key another process made is picked up within one interval.
  std::mutex timer_mutex;
  std::condition_variable timer_wake;
  bool stopping = false;
  std::thread timer;

  ~State() {
    {
      std::lock_guard lock(timer_mutex);
      stopping = true;
    }
    timer_wake.notify_all();
    if (timer.joinable()) {
      timer.join();
    }
  }
};

IdentityService::IdentityService(std::unique_ptr<State> state) : state_(std::move(state)) {}
IdentityService::~IdentityService() = default;

Result<std::shared_ptr<const auth::SecretBox>> IdentityService::load_secrets(const Config& config) {
  if (!config.secrets_key.empty()) {
    auto box = auth::SecretBox::from_hex(config.secrets_key);
    if (!box) {
      return Error::invalid("ATELIER_SECRETS_KEY: " + box.error().message);
    }
    log::info("identity.secrets_key").field("from", "ATELIER_SECRETS_KEY");
    return std::make_shared<const auth::SecretBox>(std::move(box).value());
  }
  const std::filesystem::path path = config.secrets_key_path();
  const bool existed = std::filesystem::exists(path);
  auto box = auth::SecretBox::from_key_file(path, true);
  if (!box) {
    return std::move(box).error();
  }
  log::info(existed ? "identity.secrets_key" : "identity.secrets_key_created")
      .field("from", path.string());
  return std::make_shared<const auth::SecretBox>(std::move(box).value());
}

Result<std::unique_ptr<IdentityService>> IdentityService::create(const Config& config,
                                                                 db::Database& db,
                                                                 Options options) {
  if (!options.secrets) {
    return Error::internal("identity: no secrets key (IdentityService::Options::secrets)");
  }
  // The one-time upgrade: values stored before sealing are sealed now, all in one transaction.
  auto sealed = db.transact(
      [&](db::Transaction& tx) { return adapters::seal_plain_secrets(tx, *options.secrets); });
  if (!sealed) {
    return std::move(sealed).error();
  }
  if (*sealed > 0) {
    log::info("identity.secrets_sealed").field("values", *sealed);
  }
  auto state = std::make_unique<State>(config, db, options);
  // Opens every signing key: under another secrets key, start-up stops here with a message that
  // names the key.
  auto keys = app::load_key_ring(db, state->store, *options.clock);
  if (!keys) {
    return std::move(keys).error();
  }
  state->keys = std::move(keys).value();
  app::TokenSettings tokens;
  tokens.issuer = config.issuer();
  // A replaced key verifies for the longest lifetime of a token it signed, plus five minutes for
  // clock skew and requests in flight.
  state->key_rotation = std::make_unique<app::SigningKeyRotation>(
      db, state->store, *state->keys, *options.clock,
      app::KeyRotationSettings{config.signing_key_rotation,
                               tokens.access_ttl + std::chrono::minutes(5)});
  if (auto rotated = state->key_rotation->run(); !rotated) {
    return std::move(rotated).error();
  }
  auth::PasswordPolicyOptions policy_options;
  policy_options.common_passwords_path = options.common_passwords;
  state->policy = std::make_unique<auth::PasswordPolicy>(policy_options);
  state->accounts = std::make_unique<app::Accounts>(
      db, state->store, *state->keys, tokens, *state->policy, *options.clock, options.throttle,
      options.hashing, &state->mfa_store, &state->notifier, &state->oauth_store);
  state->members =
      std::make_unique<app::Members>(db, state->store, *options.clock, app::Members::kInvitationTtl,
                                     &state->oauth_store, &state->notifier, tokens.issuer);
  state->api_keys = std::make_unique<app::ApiKeys>(db, state->store, *options.clock);
  state->oauth_clients =
      std::make_unique<app::OAuthClients>(db, state->store, state->oauth_store, *options.clock);
  state->oauth_provider = std::make_unique<app::OAuthProvider>(
      db, state->store, state->oauth_store, *state->accounts, *state->keys,
      app::OAuthSettings{tokens.issuer, tokens.audience, config.oauth_code_ttl, tokens.access_ttl},
      *options.clock);
  state->authenticator = std::make_unique<TokenAuthenticator>(*state->accounts, *state->api_keys);
  if (options.key_maintenance_interval.count() > 0) {
    State* s = state.get();
    s->timer = std::thread([s] {
      std::unique_lock lock(s->timer_mutex);
      while (!s->timer_wake.wait_for(lock, s->options.key_maintenance_interval,
                                     [s] { return s->stopping; })) {
        lock.unlock();
        if (auto r = s->key_rotation->run(); !r) {
          log::warn("identity.signing_key_rotation_failed").field("error", r.error().message);
        }
        lock.lock();
      }
    });
  }
  return std::unique_ptr<IdentityService>(new IdentityService(std::move(state)));
}

http::Authenticator& IdentityService::authenticator() {
  return *state_->authenticator;
}
app::Accounts& IdentityService::accounts() {
  return *state_->accounts;
}

void IdentityService::add_routes(http::Router& router) {
  State& s = *state_;
  app::Accounts& accounts = *s.accounts;

  // --- sign-up, log-in, tokens (no credentials needed) -----------------------------------
  router.add(
      Method::kPost, "/api/v1/auth/register",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        app::RegisterCommand cmd;
        cmd.email = f.string("email", true, 254);
        cmd.password = f.string("password", true, 1024);
        cmd.name = f.string("name", true, 200);
        cmd.org_name = f.string("org_name", true, 200);
        cmd.locale = f.string("locale", false, 8);
        if (cmd.locale.empty()) {
          cmd.locale = "fr";
        }
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        cmd.ip = request.client_address();
        auto registered = accounts.register_account(cmd);
        if (!registered) {
          return problem_or(registered, request);
        }
        Response created = Response::json(
            201, json::object{{"user_id", registered->user_id}, {"org_id", registered->org_id}});
        created.headers.set("Location", "/api/v1/me");
        return created;
      },
      RouteOptions::public_route("auth.register"));

  router.add(
      Method::kPost, "/api/v1/auth/login",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        app::LoginCommand cmd;
        cmd.email = f.string("email", true, 254);
        cmd.password = f.string("password", true, 1024);
        cmd.org_id = f.string("org_id", false, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        cmd.ip = request.client_address();
        auto tokens = accounts.login(cmd);
        if (!tokens) {
          return problem_or(tokens, request);
        }
        return Response::json(200, adapters::token_response_json(*tokens));
      },
      RouteOptions::public_route("auth.login").with_secret_response());

  router.add(
      Method::kPost, "/api/v1/auth/refresh",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string token = f.string("refresh_token", true, 512);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto tokens = accounts.refresh(token, request.client_address());
        if (!tokens) {
          return problem_or(tokens, request);
        }
        return Response::json(200, adapters::token_response_json(*tokens));
      },
      RouteOptions::public_route("auth.refresh").with_secret_response());

  router.add(
      Method::kPost, "/api/v1/auth/logout",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string token = f.string("refresh_token", true, 512);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done = accounts.logout(token, request.client_address()); !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions::public_route("auth.logout"));

  // --- second factor (adapters/mfa_routes.cpp) ------------------------------------------------
  adapters::add_mfa_routes(router, accounts);

  // --- OAuth 2 / OIDC: authorize, consent, token, revocation, userinfo (oauth_routes.cpp) -------
  adapters::add_oauth_routes(router, accounts, *s.oauth_provider, s.config.issuer());

  // --- the signed-in user ------------------------------------------------------------------
  // --- email verification and password reset (links sent by email) ------------------------
  router.add(
      Method::kPost, "/api/v1/auth/verify-email",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string token = f.string("token", true, 128);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done = accounts.verify_email(token, request.client_address()); !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions::public_route("auth.verify_email"));

  router.add(
      Method::kPost, "/api/v1/auth/password-reset",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string email = f.string("email", true, 254);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done = accounts.request_password_reset(email, request.client_address()); !done) {
          return Response::problem(done.error(), request);
        }
        // 202 whether or not the address has an account.
        return Response::json(202, json::object{{"status", "sent if the address has an account"}});
      },
      RouteOptions::public_route("auth.password_reset"));

  router.add(
      Method::kPost, "/api/v1/auth/password-reset/confirm",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string token = f.string("token", true, 128);
        const std::string password = f.string("new_password", true, 1024);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done = accounts.reset_password(token, password, request.client_address()); !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions::public_route("auth.password_reset.confirm"));

  router.add(
      Method::kPost, "/api/v1/me/password",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string current = f.string("current_password", true, 1024);
        const std::string next = f.string("new_password", true, 1024);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done = accounts.change_password(*request.principal, current, next,
                                                 request.client_address());
            !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions{.blocking = true, .name = "me.password", .anonymous = false});

  router.add(
      Method::kGet, "/api/v1/me",
      [&accounts](Request& request) {
        if (request.principal->kind != Principal::Kind::kUser) {
          return no_profile(request);
        }
        auto profile = accounts.profile(*request.principal);
        if (!profile) {
          return problem_or(profile, request);
        }
        return Response::json(200, profile_json(*profile, *request.principal));
      },
      RouteOptions{.blocking = true, .name = "me", .anonymous = false});

  // A JSON Merge Patch (RFC 7396) of one's name and language. No If-Match: the profile has no
  // version, like the other identity resources, and only its owner edits it.
  router.add(
      Method::kPatch, "/api/v1/me",
      [&accounts](Request& request) {
        if (request.principal->kind != Principal::Kind::kUser) {
          return no_profile(request);
        }
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto patch = profile_patch_of(*body);
        if (!patch) {
          return problem_or(patch, request);
        }
        patch->ip = request.client_address();
        auto profile = accounts.update_profile(*request.principal, *patch);
        if (!profile) {
          return problem_or(profile, request);
        }
        return Response::json(200, profile_json(*profile, *request.principal));
      },
      RouteOptions{.blocking = true, .name = "me.update", .anonymous = false});

  router.add(
      Method::kPost, "/api/v1/auth/switch-org",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string org_id = f.string("org_id", true, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto tokens = accounts.switch_org(*request.principal, org_id, request.client_address());
        if (!tokens) {
          return problem_or(tokens, request);
        }
        return Response::json(200, adapters::token_response_json(*tokens));
      },
      RouteOptions{.blocking = true, .name = "auth.switch_org", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kPost, "/api/v1/orgs",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string name = f.string("name", true, 200);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto created = accounts.create_org(*request.principal, name, request.client_address());
        if (!created) {
          return problem_or(created, request);
        }
        Response response = Response::json(
            201, json::object{{"id", created->org_id},
                              {"name", domain::normalize_name(name).value_or(name)}});
        response.headers.set("Location", "/api/v1/orgs/" + created->org_id + "/members");
        return response;
      },
      RouteOptions{.blocking = true, .name = "orgs.create", .anonymous = false});

  router.add(
      Method::kGet, "/api/v1/audit",
      [&accounts](Request& request) {
        auto page = http::page_request(request);
        if (!page) {
          return problem_or(page, request);
        }
        auto entries = accounts.audit(*request.principal, page->cursor, page->limit + 1);
        if (!entries) {
          return problem_or(entries, request);
        }
        return http::page_response(
            *entries, page->limit,
            [](const app::AuditEntry& e) {
              return json::object{
                  {"id", e.id},         {"actor", e.actor},
                  {"action", e.action}, {"target", e.target},
                  {"ip", e.ip},         {"created_at", format_rfc3339(e.created_at)}};
            },
            [](const app::AuditEntry& e) { return e.id; });
      },
      RouteOptions{.blocking = true, .name = "audit", .anonymous = false});

  // --- members, invitations, API keys ----------------------------------------------------
  // The organisation always comes from the credentials: a path naming another one answers 404
  // (outside_caller_org), and the use cases act in the caller's organisation only.
  app::Members& members = *s.members;
  app::ApiKeys& api_keys = *s.api_keys;

  router.add(
      Method::kGet, "/api/v1/orgs/{org_id}/members",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        auto page = http::page_request(request);
        if (!page) {
          return problem_or(page, request);
        }
        auto rows = members.list(*request.principal, page->cursor, page->limit + 1);
        if (!rows) {
          return problem_or(rows, request);
        }
        return http::page_response(*rows, page->limit, member_json,
                                   [](const app::Member& m) { return m.user_id; });
      },
      RouteOptions{.blocking = true, .name = "members.list", .anonymous = false});

  router.add(
      Method::kPatch, "/api/v1/orgs/{org_id}/members/{user_id}",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        http::JsonFields f(request);
        const std::string role = f.string("role", true, 16);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto member = members.change_role(*request.principal, std::string(request.param("user_id")),
                                          role, request.client_address());
        if (!member) {
          return problem_or(member, request);
        }
        return Response::json(200, member_json(*member));
      },
      RouteOptions{.blocking = true, .name = "members.change_role", .anonymous = false});

  router.add(
      Method::kDelete, "/api/v1/orgs/{org_id}/members/{user_id}",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        if (auto done = members.remove(*request.principal, std::string(request.param("user_id")),
                                       request.client_address());
            !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions{.blocking = true, .name = "members.remove", .anonymous = false});

  router.add(
      Method::kPost, "/api/v1/orgs/{org_id}/ownership",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        http::JsonFields f(request);
        const std::string user_id = f.string("user_id", true, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done =
                members.transfer_ownership(*request.principal, user_id, request.client_address());
            !done) {
          return Response::problem(done.error(), request);
        }
        return Response::json(
            200, json::object{{"org_id", request.principal->org_id}, {"owner_id", user_id}});
      },
      RouteOptions{.blocking = true, .name = "ownership.transfer", .anonymous = false});

  router.add(
      Method::kPost, "/api/v1/orgs/{org_id}/invitations",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        http::JsonFields f(request);
        app::InviteCommand cmd;
        cmd.email = f.string("email", true, 254);
        cmd.role = f.string("role", true, 16);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        cmd.ip = request.client_address();
        auto created = members.invite(*request.principal, cmd);
        if (!created) {
          return problem_or(created, request);
        }
        // The token is in this answer only: it is stored as a digest and kept out of events.
        json::object out = invitation_json(created->invitation);
        out["token"] = created->token;
        return Response::json(201, out);
      },
      RouteOptions{.blocking = true, .name = "invitations.create", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kGet, "/api/v1/orgs/{org_id}/invitations",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        auto page = http::page_request(request);
        if (!page) {
          return problem_or(page, request);
        }
        auto rows = members.pending_invitations(*request.principal, page->cursor, page->limit + 1);
        if (!rows) {
          return problem_or(rows, request);
        }
        return http::page_response(*rows, page->limit, invitation_json,
                                   [](const app::Invitation& i) { return i.id; });
      },
      RouteOptions{.blocking = true, .name = "invitations.list", .anonymous = false});

  router.add(
      Method::kDelete, "/api/v1/orgs/{org_id}/invitations/{invitation_id}",
      [&members](Request& request) {
        if (auto refused = outside_caller_org(request)) {
          return *refused;
        }
        if (auto done = members.cancel_invitation(*request.principal,
                                                  std::string(request.param("invitation_id")),
                                                  request.client_address());
            !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions{.blocking = true, .name = "invitations.cancel", .anonymous = false});

  // Signed in with any organisation: the invitation's token names the one to join.
  router.add(
      Method::kPost, "/api/v1/invitations/accept",
      [&members](Request& request) {
        http::JsonFields f(request);
        const std::string token = f.string("token", true, 128);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto accepted = members.accept(*request.principal, token, request.client_address());
        if (!accepted) {
          return problem_or(accepted, request);
        }
        return Response::json(200, json::object{{"org_id", accepted->org_id},
                                                {"role", domain::role_name(accepted->role)}});
      },
      RouteOptions{.blocking = true, .name = "invitations.accept", .anonymous = false});

  router.add(
      Method::kPost, "/api/v1/api-keys",
      [&api_keys](Request& request) {
        http::JsonFields f(request);
        app::CreateApiKeyCommand cmd;
        cmd.name = f.string("name", true, 200);
        cmd.role = f.string("role", true, 16);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        cmd.ip = request.client_address();
        auto created = api_keys.create(*request.principal, cmd);
        if (!created) {
          return problem_or(created, request);
        }
        // The key is in this answer only: it is stored as a digest.
        json::object out = api_key_json(created->key);
        out["key"] = created->secret;
        return Response::json(201, out);
      },
      RouteOptions{.blocking = true, .name = "api_keys.create", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kGet, "/api/v1/api-keys",
      [&api_keys](Request& request) {
        auto page = http::page_request(request);
        if (!page) {
          return problem_or(page, request);
        }
        auto rows = api_keys.list(*request.principal, page->cursor, page->limit + 1);
        if (!rows) {
          return problem_or(rows, request);
        }
        return http::page_response(*rows, page->limit, api_key_json,
                                   [](const app::ApiKey& k) { return k.id; });
      },
      RouteOptions{.blocking = true, .name = "api_keys.list", .anonymous = false});

  router.add(
      Method::kDelete, "/api/v1/api-keys/{key_id}",
      [&api_keys](Request& request) {
        if (auto done = api_keys.revoke(*request.principal, std::string(request.param("key_id")),
                                        request.client_address());
            !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions{.blocking = true, .name = "api_keys.revoke", .anonymous = false});

  // --- OAuth clients (applications) of the organisation ------------------------------------
  app::OAuthClients& oauth_clients = *s.oauth_clients;

  router.add(
      Method::kPost, "/api/v1/oauth-clients",
      [&oauth_clients](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        http::FieldReader f(*body);
        app::CreateOAuthClientCommand cmd;
        cmd.name = f.string("name", true, 200);
        cmd.type = f.string("type", true, 16);
        std::vector<FieldError> errors;
        cmd.redirect_uris = string_list(*body, "redirect_uris", 2000, errors);
        cmd.grant_types = string_list(*body, "grant_types", 32, errors);
        cmd.roles = string_list(*body, "roles", 16, errors);
        if (!f.ok() || !errors.empty()) {
          Error e = f.error();
          for (auto& field : errors) {
            e.fields.push_back(std::move(field));
          }
          return Response::problem(e, request);
        }
        cmd.ip = request.client_address();
        auto created = oauth_clients.create(*request.principal, cmd);
        if (!created) {
          return problem_or(created, request);
        }
        // The secret is in this answer only: it is stored as a digest.
        json::object out = oauth_client_json(created->client);
        if (!created->secret.empty()) {
          out["client_secret"] = created->secret;
        }
        Response r = Response::json(201, out);
        r.headers.set("Location", "/api/v1/oauth-clients/" + created->client.id);
        return r;
      },
      RouteOptions{.blocking = true, .name = "oauth_clients.create", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kGet, "/api/v1/oauth-clients",
      [&oauth_clients](Request& request) {
        auto page = http::page_request(request);
        if (!page) {
          return problem_or(page, request);
        }
        auto rows = oauth_clients.list(*request.principal, page->cursor, page->limit + 1);
        if (!rows) {
          return problem_or(rows, request);
        }
        return http::page_response(*rows, page->limit, oauth_client_json,
                                   [](const app::OAuthClient& c) { return c.id; });
      },
      RouteOptions{.blocking = true, .name = "oauth_clients.list", .anonymous = false});

  router.add(
      Method::kGet, "/api/v1/oauth-clients/{client_id}",
      [&oauth_clients](Request& request) {
        auto client =
            oauth_clients.get(*request.principal, std::string(request.param("client_id")));
        if (!client) {
          return problem_or(client, request);
        }
        return Response::json(200, oauth_client_json(*client));
      },
      RouteOptions{.blocking = true, .name = "oauth_clients.get", .anonymous = false});

  router.add(
      Method::kDelete, "/api/v1/oauth-clients/{client_id}",
      [&oauth_clients](Request& request) {
        if (auto done =
                oauth_clients.revoke(*request.principal, std::string(request.param("client_id")),
                                     request.client_address());
            !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions{.blocking = true, .name = "oauth_clients.revoke", .anonymous = false});

  // --- OpenID Connect discovery ----------------------------------------------------------------
  router.add(
      Method::kGet, "/.well-known/jwks.json",
      [&s](Request&) {
        Response r = Response::json(200, s.keys->jwks_json());
        r.headers.set("Cache-Control", "public, max-age=300");
        return r;
      },
      RouteOptions::public_route("jwks"));

  router.add(
      Method::kGet, "/.well-known/openid-configuration",
      [&s](Request&) {
        const std::string issuer = s.config.issuer();
        json::array scopes;
        for (auto scope : domain::kScopes) {
          scopes.emplace_back(scope);
        }
        Response r = Response::json(
            200,
            json::object{
                {"issuer", issuer},
                {"authorization_endpoint", issuer + "/oauth2/authorize"},
                {"jwks_uri", issuer + "/.well-known/jwks.json"},
                {"token_endpoint", issuer + "/oauth2/token"},
                {"revocation_endpoint", issuer + "/oauth2/revoke"},
                {"userinfo_endpoint", issuer + "/oauth2/userinfo"},
                {"response_types_supported", json::array{"code"}},
                {"response_modes_supported", json::array{"query"}},
                {"grant_types_supported",
                 json::array{"authorization_code", "refresh_token", "client_credentials"}},
                {"code_challenge_methods_supported", json::array{"S256"}},
                {"token_endpoint_auth_methods_supported",
                 json::array{"client_secret_basic", "client_secret_post", "none"}},
                {"id_token_signing_alg_values_supported", json::array{"EdDSA"}},
                {"scopes_supported", std::move(scopes)},
                {"subject_types_supported", json::array{"public"}},
                {"authorization_response_iss_parameter_supported", true},
                {"claims_supported",
                 json::array{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "jti", "org",
                             "roles", "client_id", "email", "email_verified", "name", "locale"}}});
        r.headers.set("Cache-Control", "public, max-age=300");
        return r;
      },
      RouteOptions::public_route("openid-configuration"));
}

}  // namespace atelier::identity
