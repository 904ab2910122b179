#include "identity/adapters/oauth_routes.hpp"

#include <boost/json.hpp>

#include "atelier/http/json_body.hpp"

namespace atelier::identity::adapters {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

// RFC 6749 §5.2: an error answer of the token endpoint.
Response oauth_error(int status, std::string_view error, std::string_view description) {
  Response r =
      Response::json(status, json::object{{"error", error}, {"error_description", description}});
  r.headers.set("Cache-Control", "no-store");
  if (status == 401) {
    r.headers.set("WWW-Authenticate", "Bearer realm=\"atelier\", error=\"invalid_token\"");
  }
  return r;
}

}  // namespace

void add_oauth_routes(http::Router& router, app::Accounts& accounts) {
  router.add(
      Method::kPost, "/oauth2/token",
      [&accounts](Request& request) {
        auto form = http::form_body(request);
        if (!form) {
          return oauth_error(400, "invalid_request", form.error().message);
        }
        const auto grant = form->find("grant_type");
        if (grant == form->end()) {
          return oauth_error(400, "invalid_request", "grant_type is required.");
        }
        if (grant->second != "refresh_token") {
          return oauth_error(400, "unsupported_grant_type",
                             "Only the refresh_token grant is offered here; log in through "
                             "/api/v1/auth/login.");
        }
        const auto token = form->find("refresh_token");
        if (token == form->end() || token->second.empty()) {
          return oauth_error(400, "invalid_request", "refresh_token is required.");
        }
        auto tokens = accounts.refresh(token->second, request.client_address());
        if (!tokens) {
          if (tokens.error().code == ErrorCode::kUnauthenticated) {
            return oauth_error(400, "invalid_grant", tokens.error().message);
          }
          return Response::problem(tokens.error(), request);
        }
        Response r = Response::json(200, json::object{{"access_token", tokens->access_token},
                                                      {"token_type", "Bearer"},
                                                      {"expires_in", tokens->expires_in.count()},
                                                      {"refresh_token", tokens->refresh_token}});
        r.headers.set("Cache-Control", "no-store");
        return r;
      },
      RouteOptions::public_route("oauth2.token").with_secret_response());

  router.add(
      Method::kPost, "/oauth2/revoke",
      [&accounts](Request& request) {
        auto form = http::form_body(request);
        if (!form) {
          return oauth_error(400, "invalid_request", form.error().message);
        }
        const auto token = form->find("token");
        if (token == form->end() || token->second.empty()) {
          return oauth_error(400, "invalid_request", "token is required.");
        }
        // RFC 7009 §2.2: 200 whether or not the token was known. Access tokens are short-lived
        // and not revocable one by one; their refresh token is.
        if (auto done = accounts.logout(token->second, request.client_address()); !done) {
          return Response::problem(done.error(), request);
        }
        return Response::json(200, json::object{});
      },
      RouteOptions::public_route("oauth2.revoke"));

  const http::Handler userinfo = [&accounts](Request& request) {
    if (!request.principal) {
      return oauth_error(401, "invalid_token", "Send 'Authorization: Bearer <access token>'.");
    }
    if (request.principal->kind != Principal::Kind::kUser) {
      return oauth_error(403, "insufficient_scope", "userinfo describes people, not API keys.");
    }
    auto profile = accounts.profile(*request.principal);
    if (!profile) {
      return Response::problem(profile.error(), request);
    }
    return Response::json(
        200, json::object{{"sub", profile->user.id},
                          {"email", profile->user.email},
                          {"email_verified", profile->user.email_verified_at.has_value()},
                          {"name", profile->user.name},
                          {"locale", profile->user.locale},
                          {"org", request.principal->org_id}});
  };
  router.add(Method::kGet, "/oauth2/userinfo", userinfo,
             RouteOptions{.blocking = true, .name = "oauth2.userinfo", .anonymous = true});
  router.add(Method::kPost, "/oauth2/userinfo", userinfo,
             RouteOptions{.blocking = true, .name = "oauth2.userinfo", .anonymous = true});
}

}  // namespace atelier::identity::adapters
