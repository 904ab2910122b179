// Contact details: e-mail addresses and telephone numbers (French formats normalised to E.164,
// other international numbers kept as written in E.164 form).
#include <string>

#include "documents/domain/scanners.hpp"
#include "documents/domain/text_scan.hpp"

namespace atelier::documents::domain {
namespace {

using text::is_alnum;
using text::is_digit;

constexpr size_t kMaxLocalPart = 64;
constexpr size_t kMaxDomain = 253;

bool local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool domain_char(char c) {
  return is_alnum(c) || c == '.' || c == '-';
}

// Labels of 1-63 letters, digits and inner hyphens, at least two of them, the last alphabetic.
bool valid_domain(std::string_view domain) {
  size_t labels = 0;
  size_t begin = 0;
  while (begin <= domain.size()) {
    size_t end = domain.find('.', begin);
    if (end == std::string_view::npos) {
      end = domain.size();
    }
    const std::string_view label = domain.substr(begin, end - begin);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    ++labels;
    if (end == domain.size()) {
      if (label.size() < 2) {
        return false;
      }
      for (const char c : label) {
        if (!text::is_alpha(c)) {
          return false;
        }
      }
      break;
    }
    begin = end + 1;
  }
  return labels >= 2;
}

void scan_emails(std::string_view s, std::vector<Entity>& out) {
  size_t claimed = 0;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    // The local part, read backwards and bounded so that "a@a@a@..." stays linear.
    size_t begin = at;
    while (begin > claimed && at - begin <= kMaxLocalPart && local_char(s[begin - 1])) {
      --begin;
    }
    if (at - begin > kMaxLocalPart || text::letter_before(s, begin)) {
      continue;  // too long, or an accented letter the local part cannot hold
    }
    while (begin < at && s[begin] == '.') {
      ++begin;
    }
    size_t end = at + 1;
    while (end < s.size() && end - at <= kMaxDomain && domain_char(s[end])) {
      ++end;
    }
    // "écrire à contact@exemple.fr." ends with the sentence, not with the address.
    while (end > at + 1 && (s[end - 1] == '.' || s[end - 1] == '-')) {
      --end;
    }
    const std::string_view local = s.substr(begin, at - begin);
    const std::string_view domain = s.substr(at + 1, end - at - 1);
    if (local.empty() || local.back() == '.' || local.find("..") != std::string_view::npos ||
        domain.size() > kMaxDomain || !valid_domain(domain) || text::letter_at(s, end) > 0) {
      continue;
    }
    std::string value(s.substr(begin, end - begin));
    for (char& c : value) {
      c = text::to_lower(c);
    }
    out.push_back(scan::make_entity(EntityKind::kEmail, s, begin, end, std::move(value)));
    claimed = end;
    at = end - 1;
  }
}

// Digits of a telephone number read from the text, and where it ends.
struct PhoneDigits {
  std::string digits;
  size_t end = 0;
  bool trunk_zero = false;  // "+33 (0)1 ...": the (0) was seen and dropped
  bool plain_groups = true;
  size_t groups = 0;
};

// One separator between digit groups of a phone number: a space, '.', or '-'.
size_t phone_sep_at(std::string_view s, size_t pos) {
  if (const size_t n = text::space_at(s, pos)) {
    return n;
  }
  return pos < s.size() && (s[pos] == '.' || s[pos] == '-') ? 1 : 0;
}

// "(0)" with optional spaces around it, as in "+33 (0)1 23 45 67 89". Returns its end or npos.
size_t trunk_zero_at(std::string_view s, size_t pos) {
  pos += text::space_at(s, pos);
  if (!text::has_at(s, pos, "(0)")) {
    return std::string_view::npos;
  }
  pos += 3;
  return pos + text::space_at(s, pos);
}

// Reads digit groups joined by single separators from pos (a digit). Group sizes are checked by
// the caller through plain_groups: national numbers go by 1-4 digits ("0 800 12 34 56",
// "01 23 45 67 89"), or come whole ("0123456789").
PhoneDigits read_phone_digits(std::string_view s, size_t pos, bool allow_trunk_zero) {
  constexpr size_t kMaxDigits = 20;
  PhoneDigits out;
  size_t& groups = out.groups;
  while (true) {
    const size_t begin = pos;
    while (text::digit_at(s, pos)) {
      if (out.digits.size() <= kMaxDigits) {
        out.digits.push_back(s[pos]);
      }
      ++pos;
    }
    const size_t size = pos - begin;
    if (size > 4) {
      out.plain_groups = false;
    }
    ++groups;
    out.end = pos;
    if (allow_trunk_zero && groups == 1 && !out.trunk_zero) {
      if (const size_t after = trunk_zero_at(s, pos);
          after != std::string_view::npos && text::digit_at(s, after)) {
        out.trunk_zero = true;
        pos = after;
        continue;
      }
    }
    const size_t gap = phone_sep_at(s, pos);
    if (gap == 0 || !text::digit_at(s, pos + gap)) {
      break;
    }
    pos += gap;
  }
  if (groups == 1) {
    out.plain_groups = true;  // a number written whole
  }
  return out;
}

// The E.164 form of a French number from its digits after the country code, "123456789" or
// "0123456789" (the trunk 0 kept by mistake). Empty when it is not a French number.
std::string french_e164(std::string_view national) {
  if (national.size() == 10 && national[0] == '0') {
    national.remove_prefix(1);
  }
  if (national.size() != 9 || national[0] == '0') {
    return {};
  }
  return "+33" + std::string(national);
}

std::string international_e164(std::string_view digits) {
  if (digits.substr(0, 2) == "33") {
    return french_e164(digits.substr(2));
  }
  // E.164 caps numbers at 15 digits; fewer than 8 is a short code or not a phone at all.
  if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') {
    return {};
  }
  return "+" + std::string(digits);
}

// True when a separator that may join digit groups ends at pos, right after a digit.
bool continues_number(std::string_view s, size_t pos) {
  size_t gap = text::space_before(s, pos);
  if (gap == 0 && pos > 0 && (s[pos - 1] == '.' || s[pos - 1] == '-' || s[pos - 1] == ',')) {
    gap = 1;
  }
  return gap > 0 && pos > gap && is_digit(s[pos - gap - 1]);
}

void scan_phones(std::string_view s, std::vector<Entity>& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    const bool plus = s[i] == '+' && text::digit_at(s, i + 1);
    if (!plus && !is_digit(s[i])) {
      continue;
    }
    // A phone number is a whole run of digit groups: never the tail of a longer number.
    if (text::word_char_before(s, i) || continues_number(s, i)) {
      continue;
    }
    const size_t first = plus ? i + 1 : i;
    const PhoneDigits phone = read_phone_digits(s, first, plus);
    const std::string_view d = phone.digits;
    std::string value;
    if (plus) {
      value = international_e164(d);
    } else if (d.size() >= 2 && d[0] == '0' && d[1] == '0') {
      // "0033 1 23 45 67 89". Other countries only when grouped: a bare run of digits starting
      // with 00 is more often a reference than a call from abroad.
      if (d.substr(2, 2) == "33" || (phone.groups > 1 && phone.plain_groups)) {
        value = international_e164(d.substr(2));
      }
    } else if (d.size() == 10 && d[0] == '0' && phone.plain_groups) {
      value = french_e164(d);
    }
    if (!value.empty() && !text::word_char_at(s, phone.end)) {
      out.push_back(scan::make_entity(EntityKind::kPhone, s, i, phone.end, std::move(value)));
    }
    i = phone.end - 1;
  }
}

}  // namespace

namespace scan {

void emails(std::string_view text, std::vector<Entity>& out) {
  scan_emails(text, out);
}

void phones(std::string_view text, std::vector<Entity>& out) {
  scan_phones(text, out);
}

}  // namespace scan
}  // namespace atelier::documents::domain
