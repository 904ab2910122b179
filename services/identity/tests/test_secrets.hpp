// Test support: the key that seals the identity service's stored secrets in tests.
#pragma once

#include <memory>

#include "atelier/auth/secret_box.hpp"

namespace atelier::identity::testing {

inline constexpr std::string_view kTestSecretsKey =
    "8d5e1f0c3b2a49768d5e1f0c3b2a49768d5e1f0c3b2a49768d5e1f0c3b2a4976";

inline std::shared_ptr<const auth::SecretBox> shared_test_secrets() {
  static const auto box =
      std::make_shared<const auth::SecretBox>(auth::SecretBox::from_hex(kTestSecretsKey).value());
  return box;
}

inline const auth::SecretBox& test_secrets() {
  return *shared_test_secrets();
}

}  // namespace atelier::identity::testing
