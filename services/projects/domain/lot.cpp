#include "projects/domain/lot.hpp"

#include "projects/domain/project.hpp"

namespace atelier::projects::domain {

Result<void> validate(const Lot& lot) {
  std::vector<FieldError> errors;
  bool code_ok = !lot.code.empty() && lot.code.size() <= Lot::kMaxCode;
  for (char c : lot.code) {
    code_ok = code_ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
  }
  if (!code_ok) {
    errors.push_back(
        {"code", "Use 1 to 16 upper-case letters, digits, dots or dashes, such as GO."});
  }
  if (lot.name.empty() || utf8_length(lot.name) > Lot::kMaxName) {
    errors.push_back({"name", "Give the lot a name of 1 to 200 characters, such as Gros œuvre."});
  }
  if (lot.trade && (lot.trade->empty() || utf8_length(*lot.trade) > Lot::kMaxTrade)) {
    errors.push_back({"trade", "Name the trade in 1 to 100 characters, such as maçonnerie."});
  }
  if (lot.budget_minor && *lot.budget_minor < 0) {
    errors.push_back({"budget_minor", "The budget cannot be negative."});
  }
  if (!is_currency_code(lot.currency)) {
    errors.push_back(
        {"currency", "Use an ISO 4217 code of three upper-case letters, such as EUR."});
  }
  if (lot.position < 0 || lot.position > Lot::kMaxPosition) {
    errors.push_back({"position", "Use a position from 0 to 1000000."});
  }
  if (!errors.empty()) {
    return Error::invalid("The lot is not valid: see the fields.", std::move(errors));
  }
  return {};
}

}  // namespace atelier::projects::domain
