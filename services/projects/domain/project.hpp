// A construction project as the company sees it: its identity (code, name, client, site address),
// its planned dates and budget, and the status it moves through from draft to completion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::projects::domain {

enum class Status { kDraft, kPlanned, kInProgress, kOnHold, kCompleted, kCancelled };

std::string_view status_name(Status status);
std::optional<Status> parse_status(std::string_view text);
// Every status name, in the order of the life cycle (for error messages and the API contract).
std::string all_status_names();

// The statuses `from` may move to; empty for the final ones (completed, cancelled).
std::vector<Status> allowed_transitions(Status from);
// kConflict naming the allowed targets when `from` may not move to `to`.
Result<void> check_transition(Status from, Status to);

// A calendar date written YYYY-MM-DD that exists (no 2025-02-30).
bool is_iso_date(std::string_view text);
// Three upper-case letters, the shape of an ISO 4217 code.
bool is_currency_code(std::string_view text);
// Characters, not bytes, of UTF-8 text: the limits users are told about count characters.
size_t utf8_length(std::string_view text);

struct Project {
  static constexpr size_t kMaxName = 200;
  static constexpr size_t kMaxCode = 32;
  static constexpr size_t kMaxText = 2000;  // address, client

  std::string id;
  std::string org_id;
  std::string code;  // short, unique in the organisation: "RES-TILLEULS"
  std::string name;
  std::string address;
  std::string client;
  std::string start_date;               // YYYY-MM-DD
  std::optional<std::string> end_date;  // YYYY-MM-DD, not before start_date
  std::optional<int64_t> budget_minor;  // in minor units of `currency` (cents for EUR)
  std::string currency = "EUR";
  Status status = Status::kDraft;
  int64_t version = 1;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> archived_at;
};

// kInvalid listing every field that breaks the rules (name 1-200 characters, code 1-32 of
// [A-Z0-9-], real dates with end >= start, a currency code, a budget >= 0).
Result<void> validate(const Project& project);

}  // namespace atelier::projects::domain
