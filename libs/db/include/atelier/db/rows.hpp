// What every SQL store does with a query's answer: map its rows, take the first one, or only
// pass on its error.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "atelier/db/database.hpp"

namespace atelier::db {

// Every row of `rows` mapped by `of` (a function of const Row&), or the query's error.
template <class Of, class T = std::decay_t<std::invoke_result_t<Of&, const Row&>>>
Result<std::vector<T>> all_of(Result<Rows> rows, Of of) {
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    out.push_back(of(row));
  }
  return out;
}

// The first row mapped by `of`, nullopt when there is none, or the query's error.
template <class Of, class T = std::decay_t<std::invoke_result_t<Of&, const Row&>>>
Result<std::optional<T>> first_of(Result<Rows> rows, Of of) {
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<T>();
  }
  return std::optional<T>(of((*rows)[0]));
}

// A statement's outcome without its count of rows changed.
inline Result<void> done(Result<int64_t> changed) {
  if (!changed) {
    return std::move(changed).error();
  }
  return {};
}

}  // namespace atelier::db
