#include "identity/adapters/oauth_routes.hpp"

#include <boost/json.hpp>

#include "atelier/auth/encoding.hpp"
#include "atelier/http/json_body.hpp"

namespace atelier::identity::adapters {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr size_t kMaxParamBytes = 2048;

// RFC 6749 §5.2: an error answer of the token endpoint (and of the authorization endpoint when
// it cannot redirect).
Response oauth_error(int status, std::string_view error, std::string_view description) {
  Response r =
      Response::json(status, json::object{{"error", error}, {"error_description", description}});
  r.headers.set("Cache-Control", "no-store");
  if (status == 401) {
    r.headers.set("WWW-Authenticate", "Bearer realm=\"atelier\", error=\"invalid_token\"");
  }
  return r;
}

Response oauth_error(const app::OAuthError& e) {
  Response r = oauth_error(e.status, e.error, e.description);
  if (e.error == "invalid_client") {
    r.headers.set("WWW-Authenticate", "Basic realm=\"atelier\"");
  }
  return r;
}

Response redirect(const std::string& location) {
  Response r;
  r.status = 302;
  r.headers.set("Location", location);
  r.headers.set("Cache-Control", "no-store");
  return r;
}

// application/x-www-form-urlencoded decoding of one value: '+' is a space, %XX a byte.
std::optional<std::string> form_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const auto bytes = i + 2 < s.size() ? auth::hex_decode(s.substr(i + 1, 2)) : std::nullopt;
      if (!bytes) {
        return std::nullopt;
      }
      out += *bytes;
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The parameters of a query or form, refusing any given twice (RFC 6749 §3.1) or too long.
Result<std::map<std::string, std::string>> params_of(std::string_view text) {
  Request as_form;
  as_form.body = std::string(text);
  auto params = http::form_body(as_form);
  if (!params) {
    return std::move(params).error();
  }
  for (const auto& [name, value] : *params) {
    if (value.size() > kMaxParamBytes) {
      return Error::bad_request("Parameter " + name + " is too long.");
    }
  }
  return params;
}

std::string param(const std::map<std::string, std::string>& params, const std::string& name) {
  const auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

app::AuthorizationRequest authorization_request(const std::map<std::string, std::string>& params) {
  return app::AuthorizationRequest{param(params, "response_type"),
                                   param(params, "client_id"),
                                   param(params, "redirect_uri"),
                                   param(params, "code_challenge"),
                                   param(params, "code_challenge_method"),
                                   param(params, "scope"),
                                   param(params, "state"),
                                   param(params, "nonce")};
}

// The client's credentials from HTTP Basic (client_secret_basic: id and secret each form-encoded
// before base64, RFC 6749 §2.3.1) or from the form (client_secret_post, or a public client's
// client_id alone). Using both at once is refused.
Result<app::ClientCredentials> client_credentials(const Request& request,
                                                  const std::map<std::string, std::string>& form) {
  app::ClientCredentials credentials;
  const auto form_secret = form.find("client_secret");
  const std::string form_id = param(form, "client_id");
  const std::string_view authorization = request.header("Authorization");
  constexpr std::string_view kBasic = "Basic ";
  if (authorization.size() > kBasic.size() &&
      http::iequals(authorization.substr(0, kBasic.size()), kBasic)) {
    const auto decoded = auth::base64_decode(authorization.substr(kBasic.size()));
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      return Error{ErrorCode::kUnauthenticated, "The Basic credentials are malformed.", {}, {}};
    }
    auto id = form_decode(std::string_view(*decoded).substr(0, colon));
    auto secret = form_decode(std::string_view(*decoded).substr(colon + 1));
    if (!id || !secret) {
      return Error{ErrorCode::kUnauthenticated, "The Basic credentials are malformed.", {}, {}};
    }
    if (form_secret != form.end() || (!form_id.empty() && form_id != *id)) {
      return Error::bad_request("Authenticate the client one way only: Basic or the form.");
    }
    credentials.client_id = std::move(*id);
    credentials.client_secret = std::move(*secret);
    return credentials;
  }
  credentials.client_id = form_id;
  if (form_secret != form.end()) {
    credentials.client_secret = form_secret->second;
  }
  return credentials;
}

json::object token_json(const app::TokenResponse& t) {
  json::object out{{"access_token", t.tokens.access_token},
                   {"token_type", "Bearer"},
                   {"expires_in", t.tokens.expires_in.count()}};
  if (!t.tokens.refresh_token.empty()) {
    out["refresh_token"] = t.tokens.refresh_token;
  }
  if (!t.tokens.scope.empty()) {
    out["scope"] = t.tokens.scope;
  }
  if (!t.id_token.empty()) {
    out["id_token"] = t.id_token;
  }
  return out;
}

}  // namespace

void add_oauth_routes(http::Router& router, app::Accounts& accounts, app::OAuthProvider& provider,
                      const std::string& portal_url) {
  // The browser arrives here from the client. Nothing is decided yet: a sound request goes on to
  // the portal's consent page with the same query; a faulty one is answered as RFC 6749 §4.1.2.1
  // says, never by a redirect to a URI the client did not register.
  router.add(
      Method::kGet, "/oauth2/authorize",
      [&provider, portal_url](Request& request) {
        auto params = params_of(request.query);
        if (!params) {
          return oauth_error(400, "invalid_request", params.error().message);
        }
        auto checked = provider.check(authorization_request(*params));
        if (!checked) {
          return Response::problem(checked.error(), request);
        }
        if (checked->refused) {
          if (!checked->refused->redirect) {
            return oauth_error(*checked->refused);
          }
          return redirect(checked->redirect_to);
        }
        return redirect(portal_url + "/authorize?" + request.query);
      },
      RouteOptions::public_route("oauth2.authorize"));

  // The portal's consent page, signed in with the user's own (first-party) access token.
  router.add(
      Method::kPost, "/api/v1/oauth2/authorize",
      [&provider](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        http::FieldReader f(*body);
        app::AuthorizationRequest authorization;
        authorization.response_type = f.string("response_type", true, 32);
        authorization.client_id = f.string("client_id", true, 64);
        authorization.redirect_uri = f.string("redirect_uri", true, kMaxParamBytes);
        authorization.code_challenge = f.string("code_challenge", true, 128);
        authorization.code_challenge_method = f.string("code_challenge_method", false, 16);
        authorization.scope = f.string("scope", false, 256);
        authorization.state = f.string("state", false, kMaxParamBytes);
        authorization.nonce = f.string("nonce", false, kMaxParamBytes);
        std::vector<FieldError> errors;
        const json::value* approve = body->if_contains("approve");
        if (approve == nullptr || !approve->is_bool()) {
          errors.push_back({"approve", "Say true (authorize) or false (refuse)."});
        }
        if (!f.ok() || !errors.empty()) {
          Error e = f.error();
          for (auto& field : errors) {
            e.fields.push_back(std::move(field));
          }
          return Response::problem(e, request);
        }
        auto decided = provider.decide(*request.principal, authorization, approve->as_bool(),
                                       request.client_address());
        if (!decided) {
          return Response::problem(decided.error(), request);
        }
        if (decided->refused && !decided->refused->redirect) {
          return Response::problem(
              Error{decided->refused->status == 404 ? ErrorCode::kNotFound : ErrorCode::kBadRequest,
                    decided->refused->description,
                    {},
                    {}},
              request);
        }
        return Response::json(200, json::object{{"redirect_to", decided->redirect_to}});
      },
      RouteOptions{.blocking = true, .name = "oauth2.authorize.decide", .anonymous = false}
          .with_secret_response());

  router.add(
      Method::kPost, "/oauth2/token",
      [&provider](Request& request) {
        auto form = http::form_body(request);
        if (!form) {
          return oauth_error(400, "invalid_request", form.error().message);
        }
        const std::string grant = param(*form, "grant_type");
        if (grant.empty()) {
          return oauth_error(400, "invalid_request", "grant_type is required.");
        }
        auto credentials = client_credentials(request, *form);
        if (!credentials) {
          return credentials.error().code == ErrorCode::kUnauthenticated
                     ? oauth_error(app::OAuthError{"invalid_client", credentials.error().message,
                                                   false, 401})
                     : oauth_error(400, "invalid_request", credentials.error().message);
        }
        app::TokenRequest token_request{grant,
                                        std::move(credentials).value(),
                                        param(*form, "code"),
                                        param(*form, "redirect_uri"),
                                        param(*form, "code_verifier"),
                                        param(*form, "refresh_token"),
                                        param(*form, "scope"),
                                        request.client_address()};
        auto issued = provider.token(token_request);
        if (!issued) {
          return Response::problem(issued.error(), request);
        }
        if (issued->refused) {
          return oauth_error(*issued->refused);
        }
        Response r = Response::json(200, token_json(*issued));
        r.headers.set("Cache-Control", "no-store");
        r.headers.set("Pragma", "no-cache");
        return r;
      },
      RouteOptions::public_route("oauth2.token").with_secret_response());

  router.add(
      Method::kPost, "/oauth2/revoke",
      [&provider](Request& request) {
        auto form = http::form_body(request);
        if (!form) {
          return oauth_error(400, "invalid_request", form.error().message);
        }
        const auto token = form->find("token");
        if (token == form->end() || token->second.empty()) {
          return oauth_error(400, "invalid_request", "token is required.");
        }
        auto credentials = client_credentials(request, *form);
        if (!credentials) {
          return credentials.error().code == ErrorCode::kUnauthenticated
                     ? oauth_error(app::OAuthError{"invalid_client", credentials.error().message,
                                                   false, 401})
                     : oauth_error(400, "invalid_request", credentials.error().message);
        }
        // RFC 7009 §2.2: 200 whether or not the token was known. Access tokens are short-lived
        // and not revocable one by one; their refresh token is. §2.1: a token is revoked only
        // for the client it was issued to (the portal's, without client credentials).
        auto refused = provider.revoke(*credentials, token->second, request.client_address());
        if (!refused) {
          return Response::problem(refused.error(), request);
        }
        if (*refused) {
          return oauth_error(**refused);
        }
        Response r = Response::json(200, json::object{});
        r.headers.set("Cache-Control", "no-store");
        return r;
      },
      RouteOptions::public_route("oauth2.revoke"));

  const http::Handler userinfo = [&accounts](Request& request) {
    if (!request.principal || request.principal->subject.empty()) {
      return oauth_error(401, "invalid_token", "Send 'Authorization: Bearer <access token>'.");
    }
    if (request.principal->kind != Principal::Kind::kUser) {
      return oauth_error(403, "insufficient_scope",
                         "userinfo describes people, not API keys or clients.");
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
