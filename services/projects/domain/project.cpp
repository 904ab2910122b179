#include "projects/domain/project.hpp"

#include <array>
#include <utility>

namespace atelier::projects::domain {

namespace {

constexpr std::array<std::pair<Status, std::string_view>, 6> kNames{{
    {Status::kDraft, "draft"},
    {Status::kPlanned, "planned"},
    {Status::kInProgress, "in_progress"},
    {Status::kOnHold, "on_hold"},
    {Status::kCompleted, "completed"},
    {Status::kCancelled, "cancelled"},
}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int digits(std::string_view text) {
  int v = 0;
  for (char c : text) {
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string join(const std::vector<Status>& statuses) {
  std::string out;
  for (Status s : statuses) {
    if (!out.empty()) {
      out += ", ";
    }
    out += status_name(s);
  }
  return out;
}

}  // namespace

std::string_view status_name(Status status) {
  for (const auto& [s, name] : kNames) {
    if (s == status) {
      return name;
    }
  }
  return "draft";
}

std::optional<Status> parse_status(std::string_view text) {
  for (const auto& [s, name] : kNames) {
    if (name == text) {
      return s;
    }
  }
  return std::nullopt;
}

std::string all_status_names() {
  std::vector<Status> all;
  for (const auto& [s, name] : kNames) {
    all.push_back(s);
  }
  return join(all);
}

std::vector<Status> allowed_transitions(Status from) {
  switch (from) {
    case Status::kDraft:
      return {Status::kPlanned, Status::kCancelled};
    case Status::kPlanned:
      return {Status::kInProgress, Status::kOnHold, Status::kCancelled};
    case Status::kInProgress:
      return {Status::kOnHold, Status::kCompleted, Status::kCancelled};
    case Status::kOnHold:
      return {Status::kInProgress, Status::kCancelled};
    case Status::kCompleted:
    case Status::kCancelled:
      return {};
  }
  return {};
}

Result<void> check_transition(Status from, Status to) {
  const auto allowed = allowed_transitions(from);
  for (Status s : allowed) {
    if (s == to) {
      return {};
    }
  }
  const std::string prefix = "A project cannot go from " + std::string(status_name(from)) + " to " +
                             std::string(status_name(to)) + ": ";
  if (allowed.empty()) {
    return Error::conflict(prefix + std::string(status_name(from)) +
                           " is final, no status change is allowed.");
  }
  return Error::conflict(prefix + "allowed: " + join(allowed) + ".");
}

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(text[i])) {
      return false;
    }
  }
  const int year = digits(text.substr(0, 4));
  const int month = digits(text.substr(5, 2));
  const int day = digits(text.substr(8, 2));
  if (year < 1 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= last;
}

// Characters, not bytes: a French name full of accents gets the same 200 as an English one.
size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

bool is_currency_code(std::string_view text) {
  if (text.size() != 3) {
    return false;
  }
  for (char c : text) {
    if (c < 'A' || c > 'Z') {
      return false;
    }
  }
  return true;
}

Result<void> validate(const Project& p) {
  std::vector<FieldError> errors;
  if (p.name.empty() || utf8_length(p.name) > Project::kMaxName) {
    errors.push_back({"name", "Give the project a name of 1 to 200 characters."});
  }
  bool code_ok = !p.code.empty() && p.code.size() <= Project::kMaxCode;
  for (char c : p.code) {
    code_ok = code_ok && ((c >= 'A' && c <= 'Z') || is_digit(c) || c == '-');
  }
  if (!code_ok) {
    errors.push_back(
        {"code", "Use 1 to 32 upper-case letters, digits or dashes, such as RES-TILLEULS."});
  }
  if (utf8_length(p.address) > Project::kMaxText) {
    errors.push_back({"address", "Keep the address under 2000 characters."});
  }
  if (utf8_length(p.client) > Project::kMaxText) {
    errors.push_back({"client", "Keep the client under 2000 characters."});
  }
  const bool start_ok = is_iso_date(p.start_date);
  if (!start_ok) {
    errors.push_back({"start_date", "Write the date as YYYY-MM-DD, such as 2026-03-02."});
  }
  if (p.end_date) {
    if (!is_iso_date(*p.end_date)) {
      errors.push_back({"end_date", "Write the date as YYYY-MM-DD, such as 2026-09-30."});
    } else if (start_ok && *p.end_date < p.start_date) {
      // ISO dates of equal length compare as text in calendar order.
      errors.push_back({"end_date", "The end date cannot be before the start date."});
    }
  }
  if (!is_currency_code(p.currency)) {
    errors.push_back(
        {"currency", "Use an ISO 4217 code of three upper-case letters, such as EUR."});
  }
  if (p.budget_minor && *p.budget_minor < 0) {
    errors.push_back({"budget_minor", "The budget cannot be negative."});
  }
  if (!errors.empty()) {
    return Error::invalid("The project is not valid: see the fields.", std::move(errors));
  }
  return {};
}

}  // namespace atelier::projects::domain
