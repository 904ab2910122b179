// A lot: the work package of one trade on a project ("GO" Gros œuvre, "PLB" Plomberie), with its
// own budget and its place in the project's list of lots.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::projects::domain {

struct Lot {
  static constexpr size_t kMaxCode = 16;
  static constexpr size_t kMaxName = 200;
  static constexpr size_t kMaxTrade = 100;
  static constexpr int64_t kMaxPosition = 1'000'000;

  std::string id;
  std::string org_id;
  std::string project_id;
  std::string code;  // short, unique in the project: "GO", "CVC", "LOT-02"
  std::string name;  // "Gros œuvre"
  std::optional<std::string> trade;
  std::optional<int64_t> budget_minor;  // in minor units of `currency`
  std::string currency = "EUR";
  int64_t position = 0;  // the order lots are listed in; ties by creation
  int64_t version = 1;
  TimePoint created_at;
  TimePoint updated_at;
};

// kInvalid listing every bad field: code 1-16 of [A-Z0-9.-], name 1-200 characters, trade 1-100,
// a budget >= 0, a currency code, a position from 0 to 1 000 000.
Result<void> validate(const Lot& lot);

}  // namespace atelier::projects::domain
