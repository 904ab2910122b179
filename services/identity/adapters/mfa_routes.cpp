#include "identity/adapters/mfa_routes.hpp"

#include <boost/json.hpp>

#include "atelier/core/log.hpp"
#include "atelier/http/json_body.hpp"

namespace atelier::identity::adapters {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

std::string token_response_json(const app::TokenPair& t) {
  if (!t.mfa_token.empty()) {
    return json::serialize(json::object{{"mfa_required", true},
                                        {"mfa_token", t.mfa_token},
                                        {"methods", json::array{"totp", "recovery_code"}}});
  }
  json::array roles;
  for (const auto& r : t.roles) {
    roles.emplace_back(r);
  }
  return json::serialize(json::object{{"access_token", t.access_token},
                                      {"token_type", "Bearer"},
                                      {"expires_in", t.expires_in.count()},
                                      {"refresh_token", t.refresh_token},
                                      {"org_id", t.org_id},
                                      {"roles", std::move(roles)}});
}

Response problem_of(const Error& error, const Request& request) {
  if (error.code == ErrorCode::kInternal) {
    log::error("identity.request_failed")
        .field("route", request.route)
        .field("error", error.message);
    return Response::problem(Error::internal("The server failed to handle the request."), request);
  }
  return Response::problem(error, request);
}

void add_mfa_routes(http::Router& router, app::Accounts& accounts) {
  router.add(
      Method::kPost, "/api/v1/auth/login/mfa",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string token = f.string("mfa_token", true, 128);
        const std::string code = f.string("code", true, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto tokens = accounts.complete_mfa_login(token, code, request.client_address());
        if (!tokens) {
          return problem_of(tokens.error(), request);
        }
        return Response::json(200, token_response_json(*tokens));
      },
      RouteOptions::public_route("auth.login.mfa").with_secret_response());

  router.add(
      Method::kPost, "/api/v1/me/mfa/totp",
      [&accounts](Request& request) {
        auto setup = accounts.start_totp(*request.principal);
        if (!setup) {
          return Response::problem(setup.error(), request);
        }
        return Response::json(201, json::object{{"secret", setup->secret_base32},
                                                {"otpauth_uri", setup->otpauth_uri}});
      },
      RouteOptions{.blocking = true, .name = "mfa.totp.start", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kPost, "/api/v1/me/mfa/totp/confirm",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string code = f.string("code", true, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto codes = accounts.confirm_totp(*request.principal, code);
        if (!codes) {
          return Response::problem(codes.error(), request);
        }
        json::array list;
        for (const auto& c : *codes) {
          list.emplace_back(c);
        }
        return Response::json(200, json::object{{"recovery_codes", std::move(list)}});
      },
      RouteOptions{.blocking = true, .name = "mfa.totp.confirm", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kDelete, "/api/v1/me/mfa/totp",
      [&accounts](Request& request) {
        http::JsonFields f(request);
        const std::string code = f.string("code", true, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (auto done = accounts.disable_totp(*request.principal, code); !done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      RouteOptions{.blocking = true, .name = "mfa.totp.disable", .anonymous = false});
}

}  // namespace atelier::identity::adapters
