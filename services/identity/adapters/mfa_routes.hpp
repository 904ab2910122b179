// HTTP routes of the second factor: enrolment of an authenticator app and the second step of a
// log-in.
#pragma once

#include "atelier/http/router.hpp"
#include "identity/app/accounts.hpp"

namespace atelier::identity::adapters {

// The JSON answer to a log-in step: tokens, or a request for the second factor.
std::string token_response_json(const app::TokenPair& tokens);

// The problem answer to a use case that failed. An internal error (a broken dependency, a stored
// secret that does not decrypt) is logged with its detail and answered 500 without it.
http::Response problem_of(const Error& error, const http::Request& request);

void add_mfa_routes(http::Router& router, app::Accounts& accounts);

}  // namespace atelier::identity::adapters
