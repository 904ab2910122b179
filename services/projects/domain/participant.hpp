// Who takes part in a project, and as what: a user of the organisation, or an outside company (a
// subcontractor, the architect's practice), each with a project role (manager, contributor,
// viewer: the roles of the access policy in libs/auth) and an optional trade ("plomberie").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atelier/auth/policy.hpp"
#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::projects::domain {

struct Company {
  static constexpr size_t kMaxName = 200;
  static constexpr size_t kMaxEmail = 254;
  static constexpr size_t kMaxPhone = 32;

  std::string name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> siret;  // 14 digits, the French establishment number
};

struct Participant {
  static constexpr size_t kMaxTrade = 100;
  static constexpr size_t kMaxUserId = 64;

  enum class Kind { kUser, kCompany };

  std::string id;
  std::string org_id;
  std::string project_id;
  Kind kind = Kind::kUser;
  std::optional<std::string> user_id;  // set for kUser
  std::optional<Company> company;      // set for kCompany
  auth::ProjectRole role = auth::ProjectRole::kViewer;
  std::optional<std::string> trade;  // "plomberie", "électricité"
  int64_t version = 1;
  TimePoint created_at;
  TimePoint updated_at;
};

std::string_view kind_name(Participant::Kind kind);

// A SIRET: 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments, SIREN
// 356000000, use a sum of digits that is a multiple of 5 instead).
bool is_siret(std::string_view text);

// kInvalid listing every bad field: a user id for a user and a company for a company (never
// both), a company name of 1-200 characters, an e-mail address, a phone number, a SIRET, a trade
// of at most 100 characters. Company fields are named "company.name", "company.siret", ...
Result<void> validate(const Participant& participant);

// kConflict when a change would leave the project with `managers_left` managers and that is none:
// someone must always be able to manage its participants.
Result<void> check_managers_left(int64_t managers_left);

}  // namespace atelier::projects::domain
