#include "projects/domain/participant.hpp"

#include "projects/domain/project.hpp"

namespace atelier::projects::domain {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// One '@' between a non-empty local part and a domain with a dot; no spaces. The address is only
// a contact detail here: deliverability is the sender's concern.
bool looks_like_email(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = text.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size()) {
    return false;
  }
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
  }
  return true;
}

// Digits with the usual separators ("+33 4 78 00 00 00", "04.78.00.00.00"), 6 digits at least.
bool looks_like_phone(std::string_view text) {
  int digits = 0;
  for (char c : text) {
    if (is_digit(c)) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '.' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 6;
}

}  // namespace

std::string_view kind_name(Participant::Kind kind) {
  return kind == Participant::Kind::kCompany ? "company" : "user";
}

bool is_siret(std::string_view text) {
  if (text.size() != 14) {
    return false;
  }
  for (char c : text) {
    if (!is_digit(c)) {
      return false;
    }
  }
  if (text.substr(0, 9) == "356000000") {
    int sum = 0;
    for (char c : text) {
      sum += c - '0';
    }
    return sum % 5 == 0;
  }
  // Luhn: from the right, every second digit is doubled (and 9 taken off when over 9).
  int sum = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int d = text[text.size() - 1 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return sum % 10 == 0;
}

Result<void> validate(const Participant& p) {
  std::vector<FieldError> errors;
  if (p.kind == Participant::Kind::kUser) {
    if (!p.user_id || p.user_id->empty() || p.user_id->size() > Participant::kMaxUserId) {
      errors.push_back({"user_id", "Give the id of a user of your organisation."});
    }
    if (p.company) {
      errors.push_back({"company", "A participant is either a user or a company, not both."});
    }
  } else if (!p.company) {
    errors.push_back({"company", "Give the company's name, and its e-mail, phone or SIRET."});
  } else {
    const Company& c = *p.company;
    if (c.name.empty() || utf8_length(c.name) > Company::kMaxName) {
      errors.push_back({"company.name", "Give the company a name of 1 to 200 characters."});
    }
    if (c.email && (c.email->size() > Company::kMaxEmail || !looks_like_email(*c.email))) {
      errors.push_back({"company.email", "Write an e-mail address such as contact@plomberie.fr."});
    }
    if (c.phone && (c.phone->size() > Company::kMaxPhone || !looks_like_phone(*c.phone))) {
      errors.push_back(
          {"company.phone", "Write a phone number of digits, such as +33 4 78 00 00 00."});
    }
    if (c.siret && !is_siret(*c.siret)) {
      errors.push_back(
          {"company.siret", "A SIRET is 14 digits (with a valid check digit), without spaces."});
    }
    if (p.user_id) {
      errors.push_back({"user_id", "A participant is either a user or a company, not both."});
    }
  }
  if (p.trade && (p.trade->empty() || utf8_length(*p.trade) > Participant::kMaxTrade)) {
    errors.push_back({"trade", "Name the trade in 1 to 100 characters, such as plomberie."});
  }
  if (!errors.empty()) {
    return Error::invalid("The participant is not valid: see the fields.", std::move(errors));
  }
  return {};
}

Result<void> check_managers_left(int64_t managers_left) {
  if (managers_left < 1) {
    return Error::conflict(
        "This is the project's last manager: make another participant manager first, so that "
        "someone can still manage the project.");
  }
  return {};
}

}  // namespace atelier::projects::domain
