#include "adapters/routes.hpp"

#include <boost/json.hpp>

#include "adapters/sql_store.hpp"
#include "atelier/http/json_body.hpp"

namespace atelier::identity {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

class TokenAuthenticator final : public http::Authenticator {
 public:
  explicit TokenAuthenticator(const app::Accounts& accounts) : accounts_(accounts) {}

  Result<Principal> authenticate(std::string_view authorization) override {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() <= kBearer.size() ||
        !http::iequals(authorization.substr(0, kBearer.size()), kBearer)) {
      return Error{ErrorCode::kUnauthenticated,
                   "Send credentials as 'Authorization: Bearer <access token>'.",
                   {},
                   {}};
    }
    return accounts_.verify_access_token(authorization.substr(kBearer.size()));
  }

 private:
  const app::Accounts& accounts_;
};

json::object token_json(const app::TokenPair& t) {
  json::array roles;
  for (const auto& r : t.roles) {
    roles.emplace_back(r);
  }
  return {{"access_token", t.access_token},
          {"token_type", "Bearer"},
          {"expires_in", t.expires_in.count()},
          {"refresh_token", t.refresh_token},
          {"org_id", t.org_id},
          {"roles", std::move(roles)}};
}

// The client address without its port, for throttling and the audit log.
std::string client_ip(const Request& request) {
  const std::string& a = request.remote_address;
  const size_t colon = a.rfind(':');
  return colon == std::string::npos ? a : a.substr(0, colon);
}

template <class T>
Response problem_or(const Result<T>& result, const Request& request) {
  return Response::problem(result.error(), request);
}

}  // namespace

struct IdentityService::State {
  Config config;
  db::Database& db;
  Options options;
  adapters::SqlIdentityStore store;
  std::unique_ptr<auth::KeyRing> keys;
  std::unique_ptr<auth::PasswordPolicy> policy;
  std::unique_ptr<app::Accounts> accounts;
  std::unique_ptr<TokenAuthenticator> authenticator;
};

IdentityService::IdentityService(std::unique_ptr<State> state) : state_(std::move(state)) {}
IdentityService::~IdentityService() = default;

Result<std::unique_ptr<IdentityService>> IdentityService::create(const Config& config,
                                                                 db::Database& db,
                                                                 Options options) {
  auto state = std::unique_ptr<State>(
      new State{config, db, options, {}, nullptr, nullptr, nullptr, nullptr});
  auto keys = app::load_key_ring(db, state->store, *options.clock);
  if (!keys) {
    return std::move(keys).error();
  }
  state->keys = std::move(keys).value();
  auth::PasswordPolicyOptions policy_options;
  policy_options.common_passwords_path = options.common_passwords;
  state->policy = std::make_unique<auth::PasswordPolicy>(policy_options);
  app::TokenSettings tokens;
  tokens.issuer = config.issuer();
  state->accounts =
      std::make_unique<app::Accounts>(db, state->store, *state->keys, tokens, *state->policy,
                                      *options.clock, options.throttle, options.hashing);
  state->authenticator = std::make_unique<TokenAuthenticator>(*state->accounts);
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
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        http::FieldReader f(*body);
        app::RegisterCommand cmd;
        cmd.email = f.string("email", true, 254);
        cmd.password = f.string("password", true, 1024);
        cmd.name = f.string("name", true, 200);
        cmd.org_name = f.string("org_name", true, 200);
        cmd.locale = f.string("locale", false, 8);
        if (cmd.locale.empty()) {
          cmd.locale = "fr";
        }
        if (!f.ok()) {
          return Response::problem(f.error(), request);
        }
        cmd.ip = client_ip(request);
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
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        http::FieldReader f(*body);
        app::LoginCommand cmd;
        cmd.email = f.string("email", true, 254);
        cmd.password = f.string("password", true, 1024);
        cmd.org_id = f.string("org_id", false, 64);
        if (!f.ok()) {
          return Response::problem(f.error(), request);
        }
        cmd.ip = client_ip(request);
        auto tokens = accounts.login(cmd);
        if (!tokens) {
          return problem_or(tokens, request);
        }
        return Response::json(200, token_json(*tokens));
      },
      RouteOptions::public_route("auth.login"));

  router.add(
      Method::kPost, "/api/v1/auth/refresh",
      [&accounts](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        http::FieldReader f(*body);
        const std::string token = f.string("refresh_token", true, 512);
        if (!f.ok()) {
          return Response::problem(f.error(), request);
        }
        auto tokens = accounts.refresh(token, client_ip(request));
        if (!tokens) {
          return problem_or(tokens, request);
        }
        return Response::json(200, token_json(*tokens));
      },
      RouteOptions::public_route("auth.refresh"));

  router.add(
      Method::kPost, "/api/v1/auth/logout",
      [&accounts](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        http::FieldReader f(*body);
        const std::string token = f.string("refresh_token", true, 512);
        if (!f.ok()) {
          return Response::problem(f.error(), request);
        }
        if (auto done = accounts.logout(token, client_ip(request)); !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions::public_route("auth.logout"));

  // --- the signed-in user ------------------------------------------------------------------
  router.add(
      Method::kGet, "/api/v1/me",
      [&accounts](Request& request) {
        auto profile = accounts.profile(*request.principal);
        if (!profile) {
          return problem_or(profile, request);
        }
        json::array memberships;
        for (const auto& m : profile->memberships) {
          memberships.push_back(json::object{
              {"org_id", m.org_id}, {"org_name", m.org_name}, {"role", domain::role_name(m.role)}});
        }
        json::array roles;
        for (const auto& r : request.principal->roles) {
          roles.emplace_back(r);
        }
        return Response::json(200, json::object{{"id", profile->user.id},
                                                {"email", profile->user.email},
                                                {"name", profile->user.name},
                                                {"locale", profile->user.locale},
                                                {"org_id", request.principal->org_id},
                                                {"roles", std::move(roles)},
                                                {"memberships", std::move(memberships)}});
      },
      RouteOptions{.blocking = true, .name = "me", .anonymous = false});

  router.add(
      Method::kGet, "/api/v1/audit",
      [&accounts](Request& request) {
        int limit = 50;
        if (auto l = request.query_param("limit")) {
          char* end = nullptr;
          const long v = std::strtol(l->c_str(), &end, 10);
          if (end == l->c_str() || *end != '\0' || v < 1 || v > 200) {
            return Response::problem(
                Error::invalid("limit must be an integer from 1 to 200", {{"limit", "1 to 200"}}),
                request);
          }
          limit = static_cast<int>(v);
        }
        const std::string cursor = request.query_param("cursor").value_or("");
        auto entries = accounts.audit(*request.principal, cursor, limit + 1);
        if (!entries) {
          return problem_or(entries, request);
        }
        json::array items;
        const size_t shown = std::min(entries->size(), static_cast<size_t>(limit));
        for (size_t i = 0; i < shown; ++i) {
          const auto& e = (*entries)[i];
          items.push_back(json::object{{"id", e.id},
                                       {"actor", e.actor},
                                       {"action", e.action},
                                       {"target", e.target},
                                       {"ip", e.ip},
                                       {"created_at", format_rfc3339(e.created_at)}});
        }
        json::value next = nullptr;
        if (entries->size() > shown) {
          next = (*entries)[shown - 1].id;
        }
        return Response::json(200,
                              json::object{{"items", std::move(items)}, {"next_cursor", next}});
      },
      RouteOptions{.blocking = true, .name = "audit", .anonymous = false});

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
        Response r = Response::json(
            200, json::object{{"issuer", issuer},
                              {"jwks_uri", issuer + "/.well-known/jwks.json"},
                              {"id_token_signing_alg_values_supported", json::array{"EdDSA"}},
                              {"token_endpoint_auth_methods_supported", json::array{"none"}},
                              {"subject_types_supported", json::array{"public"}},
                              {"claims_supported", json::array{"sub", "iss", "aud", "exp", "iat",
                                                               "jti", "org", "roles"}}});
        r.headers.set("Cache-Control", "public, max-age=300");
        return r;
      },
      RouteOptions::public_route("openid-configuration"));
}

}  // namespace atelier::identity
