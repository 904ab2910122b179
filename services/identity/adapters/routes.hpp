// The identity service's HTTP API, and the service object the platform starts.
#pragma once

#include <memory>

#include "atelier/auth/secret_box.hpp"
#include "atelier/core/config.hpp"
#include "atelier/http/middleware.hpp"
#include "atelier/http/router.hpp"
#include "identity/app/accounts.hpp"

namespace atelier::identity {

// Everything the identity service runs, kept alive together for the life of the process.
class IdentityService {
 public:
  struct Options {
    const Clock* clock = &SystemClock::instance();
    auth::PasswordHashParams hashing = auth::PasswordHashParams::interactive();
    app::ThrottleSettings throttle;
    std::filesystem::path common_passwords = "/usr/share/john/password.lst";
    // How often signing keys are checked for rotation and expiry (0: only at start-up).
    std::chrono::seconds key_maintenance_interval{60};
    // Required: seals TOTP secrets and signing keys' private keys in the database (ADR 0012).
    // load_secrets() makes it from the configuration.
    std::shared_ptr<const auth::SecretBox> secrets;
  };

  // The key that seals stored secrets: ATELIER_SECRETS_KEY when set (nothing is written), else
  // the key file (secrets_key_file, default <data_dir>/secrets.key), made when missing.
  static Result<std::shared_ptr<const auth::SecretBox>> load_secrets(const Config& config);

  static Result<std::unique_ptr<IdentityService>> create(const Config& config, db::Database& db,
                                                         Options options);
  ~IdentityService();

  // Adds every route of the service (the table of contents of its API is in routes.cpp).
  void add_routes(http::Router& router);
  // Verifies bearer access tokens for the gateway.
  http::Authenticator& authenticator();
  app::Accounts& accounts();

  struct State;

 private:
  explicit IdentityService(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace atelier::identity
