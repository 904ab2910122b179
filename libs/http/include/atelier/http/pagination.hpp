// Cursor pagination as every list endpoint does it: `?limit=&cursor=` in, and
// `{ "items": [...], "next_cursor": ... }` out, built from a page fetched with limit + 1 rows.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/http/request.hpp"
#include "atelier/http/response.hpp"

namespace atelier::http {

struct PageRequest {
  static constexpr int kDefaultLimit = 50;
  static constexpr int kMaxLimit = 200;
  int limit = kDefaultLimit;
  std::string cursor;  // empty: the first page
};

// Reads `?limit=` (1 to 200, default 50) and `?cursor=`; each bad one adds a FieldError to
// `errors`, so that a caller with its own filters reports them all in one 422.
PageRequest read_page(const Request& request, std::vector<FieldError>& errors);
// The same, as kInvalid (422) when either is bad.
Result<PageRequest> page_request(const Request& request);

// `rows` were fetched with limit + 1: the extra row only tells that there is a next page, whose
// cursor is the id of the last row shown.
template <class T, class ToJson, class IdOf>
Response page_response(const std::vector<T>& rows, int limit, ToJson to_json, IdOf id_of) {
  boost::json::array items;
  const size_t shown = std::min(rows.size(), static_cast<size_t>(limit));
  for (size_t i = 0; i < shown; ++i) {
    items.push_back(to_json(rows[i]));
  }
  boost::json::value next = nullptr;
  if (rows.size() > shown) {
    next = boost::json::value(id_of(rows[shown - 1]));
  }
  return Response::json(200,
                        boost::json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace atelier::http
