#include "atelier/http/pagination.hpp"

#include <charconv>

namespace atelier::http {

namespace {

// Cursors this API hands out are ids; anything much longer is not one of them.
constexpr size_t kMaxCursorBytes = 64;

}  // namespace

PageRequest read_page(const Request& request, std::vector<FieldError>& errors) {
  PageRequest page;
  if (auto text = request.query_param("limit")) {
    int value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 1 ||
        value > PageRequest::kMaxLimit) {
      errors.push_back({"limit", "An integer from 1 to 200."});
    } else {
      page.limit = value;
    }
  }
  page.cursor = request.query_param("cursor").value_or("");
  if (page.cursor.size() > kMaxCursorBytes) {
    errors.push_back({"cursor", "Pass the next_cursor of the previous page."});
  }
  return page;
}

Result<PageRequest> page_request(const Request& request) {
  std::vector<FieldError> errors;
  PageRequest page = read_page(request, errors);
  if (!errors.empty()) {
    return Error::invalid("Some query parameters are invalid.", std::move(errors));
  }
  return page;
}

}  // namespace atelier::http
