// Helpers shared by the documents domain tests: readable failure output for entities, the
// no-break spaces OCR emits, and valid identifiers made on the spot.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "documents/domain/entities.hpp"

namespace atelier::documents::domain {

inline void PrintTo(const Entity& e, std::ostream* os) {
  *os << "{" << kind_name(e.kind) << " \"" << e.text << "\" -> \"" << e.value << "\" @" << e.page
      << ":" << e.offset << "+" << e.length;
  if (!e.currency.empty()) {
    *os << " " << e.currency;
  }
  if (!e.qualifier.empty()) {
    *os << " " << e.qualifier;
  }
  *os << "}";
}

namespace testing {

inline const std::string kNbsp = "\xC2\xA0";       // U+00A0 NO-BREAK SPACE
inline const std::string kNnbsp = "\xE2\x80\xAF";  // U+202F NARROW NO-BREAK SPACE
inline const std::string kEuro = "\xE2\x82\xAC";

// The entities of `kind` in `text` (page 1).
inline std::vector<Entity> find(std::string_view text, EntityKind kind,
                                const ExtractOptions& options = {}) {
  std::vector<Entity> all = extract_entities(text, 1, options);
  std::erase_if(all, [kind](const Entity& e) { return e.kind != kind; });
  return all;
}

// The only entity in `text`, or a failed expectation. Returns a default Entity when there is not
// exactly one, so callers can go on comparing.
inline Entity only(std::string_view text, const ExtractOptions& options = {}) {
  const std::vector<Entity> all = extract_entities(text, 1, options);
  if (all.size() != 1) {
    ADD_FAILURE() << "expected exactly one entity in \"" << text << "\", got " << all.size()
                  << (all.empty() ? "" : ", first: " + ::testing::PrintToString(all.front()));
    return {};
  }
  return all.front();
}

// `digits` followed by the Luhn check digit that makes the whole valid.
inline std::string with_luhn_digit(const std::string& digits) {
  for (char check = '0'; check <= '9'; ++check) {
    if (luhn_valid(digits + check)) {
      return digits + check;
    }
  }
  return {};
}

}  // namespace testing
}  // namespace atelier::documents::domain
