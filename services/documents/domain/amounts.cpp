// Money amounts: the locale-neutral number reader and the scanner that pairs numbers with the
// currency printed before or after them.
#include "documents/domain/amounts.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <vector>

#include "documents/domain/scanners.hpp"
#include "documents/domain/text_scan.hpp"

namespace atelier::documents::domain {
namespace {

using text::is_digit;

enum class Sep { kSpace, kDot, kComma, kApostrophe };

// Past this many bytes a run of digits and separators is no amount any int64 can hold; capping
// the scans keeps a page of 100 000 digits linear.
constexpr size_t kMaxNumberBytes = 64;

// Byte length of a separator that may sit between two digit groups, and its kind.
size_t number_sep_at(std::string_view s, size_t pos, Sep& kind) {
  if (const size_t n = text::space_at(s, pos)) {
    kind = Sep::kSpace;
    return n;
  }
  if (pos >= s.size()) {
    return 0;
  }
  switch (s[pos]) {
    case '.':
      kind = Sep::kDot;
      return 1;
    case ',':
      kind = Sep::kComma;
      return 1;
    case '\'':
      kind = Sep::kApostrophe;
      return 1;
    default:
      break;
  }
  if (text::has_at(s, pos, "\xE2\x80\x99")) {  // ’ as printed in Swiss amounts
    kind = Sep::kApostrophe;
    return 3;
  }
  return 0;
}

size_t number_sep_before(std::string_view s, size_t pos, Sep& kind) {
  for (size_t n = 1; n <= 3 && n <= pos; ++n) {
    if (number_sep_at(s, pos - n, kind) == n) {
      return n;
    }
  }
  return 0;
}

// A '-', U+2212 minus or U+2013 en dash (OCR reads minus signs as either) at pos.
size_t minus_at(std::string_view s, size_t pos) {
  if (pos < s.size() && s[pos] == '-') {
    return 1;
  }
  if (text::has_at(s, pos, "\xE2\x88\x92") || text::has_at(s, pos, "\xE2\x80\x93")) {
    return 3;
  }
  return 0;
}

// Length of a minus sign ending at pos that is not a hyphen inside a word ("A-12").
size_t sign_before(std::string_view s, size_t pos) {
  for (const size_t n : {size_t{1}, size_t{3}}) {
    if (pos >= n && minus_at(s, pos - n) == n && !text::word_char_before(s, pos - n)) {
      return n;
    }
  }
  return 0;
}

bool checked_append_digits(int64_t& value, std::string_view digits) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  for (const char c : digits) {
    const int d = c - '0';
    if (value > (kMax - d) / 10) {
      return false;
    }
    value = value * 10 + d;
  }
  return true;
}

struct Groups {
  std::vector<std::string_view> digits;
  std::vector<Sep> seps;  // seps[i] sits between digits[i] and digits[i + 1]
};

// Splits "1 234,56" into digit groups and the single separators between them; nullopt when the
// token holds anything else, starts or ends with a separator, or has two separators in a row.
std::optional<Groups> split_groups(std::string_view token) {
  Groups out;
  size_t pos = 0;
  while (pos < token.size()) {
    const size_t begin = pos;
    while (pos < token.size() && is_digit(token[pos])) {
      ++pos;
    }
    if (pos == begin) {
      return std::nullopt;
    }
    out.digits.push_back(token.substr(begin, pos - begin));
    if (pos == token.size()) {
      break;
    }
    Sep kind = Sep::kSpace;
    const size_t n = number_sep_at(token, pos, kind);
    if (n == 0 || pos + n >= token.size()) {
      return std::nullopt;
    }
    out.seps.push_back(kind);
    pos += n;
  }
  if (out.digits.empty()) {
    return std::nullopt;
  }
  return out;
}

// Whether digits[0..count) with seps[0..count-1) form thousands grouping: one separator kind,
// a first group of 1-3 digits not starting with 0, then groups of exactly 3.
bool thousands_grouping(const Groups& g, size_t count) {
  if (count <= 1) {
    return true;
  }
  if (g.digits[0].size() > 3 || g.digits[0][0] == '0') {
    return false;
  }
  for (size_t i = 1; i < count; ++i) {
    if (g.digits[i].size() != 3 || g.seps[i - 1] != g.seps[0]) {
      return false;
    }
  }
  return true;
}

std::optional<int64_t> parse_unsigned(std::string_view token, int decimals) {
  const std::optional<Groups> groups = split_groups(token);
  if (!groups || decimals < 0 || decimals > 6) {
    return std::nullopt;
  }
  const Groups& g = *groups;
  const size_t n = g.digits.size();
  size_t integer_groups = n;
  std::string_view fraction;
  if (n > 1) {
    const Sep last = g.seps.back();
    const bool point = last == Sep::kDot || last == Sep::kComma;
    // A final ".123" or ",123" is thousands whenever the whole number groups as thousands; only
    // otherwise is it a (3-digit) decimal part.
    if (point && (g.digits.back().size() != 3 || !thousands_grouping(g, n))) {
      fraction = g.digits.back();
      integer_groups = n - 1;
      if (fraction.size() > static_cast<size_t>(decimals)) {
        return std::nullopt;
      }
      if (integer_groups > 1 && g.seps[0] == last) {
        return std::nullopt;  // "1.234.56": the decimal point cannot also group thousands
      }
    }
  }
  if (!thousands_grouping(g, integer_groups)) {
    return std::nullopt;
  }
  int64_t value = 0;
  for (size_t i = 0; i < integer_groups; ++i) {
    if (!checked_append_digits(value, g.digits[i])) {
      return std::nullopt;
    }
  }
  std::string padded(fraction);
  padded.resize(static_cast<size_t>(decimals), '0');
  if (!checked_append_digits(value, padded)) {
    return std::nullopt;
  }
  return value;
}

struct Currency {
  std::string_view code;
  size_t length = 0;  // bytes of the symbol or word in the text
};

// The currency symbol or code at pos: € $ £, or the words EUR, euro(s), USD, GBP, CHF.
Currency currency_at(std::string_view s, size_t pos, std::string& word) {
  if (text::has_at(s, pos, "\xE2\x82\xAC")) {
    return {"EUR", 3};
  }
  if (text::has_at(s, pos, "\xC2\xA3")) {
    return {"GBP", 2};
  }
  if (pos < s.size() && s[pos] == '$') {
    return {"USD", 1};
  }
  if (pos >= s.size() || !text::is_alpha(s[pos]) || text::letter_before(s, pos)) {
    return {};
  }
  const size_t end = text::fold_word(s, pos, word, 6);
  if (end - pos > 5) {
    return {};
  }
  if (word == "eur" || word == "euro" || word == "euros") {
    return {"EUR", end - pos};
  }
  if (word == "usd" || word == "gbp" || word == "chf") {
    return {word == "usd" ? "USD" : word == "gbp" ? "GBP" : "CHF", end - pos};
  }
  return {};
}

struct Qualifier {
  std::string_view name;
  size_t end = 0;
};

// "HT", "TTC" or "TVA" at pos, in any of their printed forms.
Qualifier qualifier_at(std::string_view s, size_t pos) {
  struct Form {
    std::string_view text;
    std::string_view name;
  };
  static constexpr std::array<Form, 12> kForms{{
      {"toutes taxes comprises", "TTC"},
      {"hors taxes", "HT"},
      {"hors taxe", "HT"},
      {"h.t.v.a.", "HT"},
      {"t.t.c.", "TTC"},
      {"t.v.a.", "TVA"},
      {"t.t.c", "TTC"},
      {"t.v.a", "TVA"},
      {"htva", "HT"},
      {"h.t.", "HT"},
      {"ttc", "TTC"},
      {"tva", "TVA"},
  }};
  if (pos >= s.size() || !text::is_alpha(s[pos]) || text::letter_before(s, pos)) {
    return {};
  }
  auto matches = [&](std::string_view form) {
    if (pos + form.size() > s.size()) {
      return false;
    }
    for (size_t i = 0; i < form.size(); ++i) {
      if (text::to_lower(s[pos + i]) != form[i]) {
        return false;
      }
    }
    return text::letter_at(s, pos + form.size()) == 0;
  };
  for (const Form& form : kForms) {
    if (matches(form.text)) {
      return {form.name, pos + form.text.size()};
    }
  }
  for (const std::string_view form : {std::string_view("h.t"), std::string_view("ht")}) {
    if (matches(form)) {
      return {"HT", pos + form.size()};
    }
  }
  return {};
}

struct Number {
  size_t begin = 0;  // the sign when there is one
  size_t end = 0;
  int64_t minor = 0;
};

bool natural_start(std::string_view s, size_t pos) {
  return !text::word_char_before(s, pos) && !(pos > 0 && (s[pos - 1] == '.' || s[pos - 1] == ','));
}

// The number ending at `end` (a digit just before it), read backwards. Its start is uncertain when
// spaces group thousands ("Qté 3 1 234,56 €"), so the longest reading is tried first and then
// each shorter one starting after a space. Nothing starting before `floor` is considered.
std::optional<Number> number_ending_at(std::string_view s, size_t end, size_t floor) {
  size_t q = end;
  std::vector<size_t> space_starts;  // right to left
  bool capped = false;
  while (q > 0) {
    if (end - q >= kMaxNumberBytes) {
      capped = true;
      break;
    }
    if (is_digit(s[q - 1])) {
      --q;
      continue;
    }
    Sep kind = Sep::kSpace;
    const size_t n = number_sep_before(s, q, kind);
    if (n > 0 && q - n > 0 && is_digit(s[q - n - 1])) {
      if (kind == Sep::kSpace) {
        space_starts.push_back(q);
      }
      q -= n;
      continue;
    }
    break;
  }
  std::vector<size_t> starts;
  if (!capped && natural_start(s, q)) {
    starts.push_back(q);
  }
  starts.insert(starts.end(), space_starts.rbegin(), space_starts.rend());
  for (const size_t start : starts) {
    if (start < floor) {
      continue;
    }
    if (const auto minor = parse_unsigned(s.substr(start, end - start), 2)) {
      const size_t sign = sign_before(s, start);
      if (sign > 0 && start - sign >= floor) {
        return Number{start - sign, end, -*minor};
      }
      return Number{start, end, *minor};
    }
  }
  return std::nullopt;
}

// The number starting at `begin` (a digit), read forwards: the longest reading first, then each
// shorter one ending before a space ("€1,234.56 12 unités").
std::optional<Number> number_starting_at(std::string_view s, size_t begin) {
  size_t q = begin;
  std::vector<size_t> space_ends;  // left to right
  bool capped = false;
  while (q < s.size()) {
    if (q - begin >= kMaxNumberBytes) {
      capped = true;
      break;
    }
    if (is_digit(s[q])) {
      ++q;
      continue;
    }
    Sep kind = Sep::kSpace;
    const size_t n = number_sep_at(s, q, kind);
    if (n > 0 && text::digit_at(s, q + n)) {
      if (kind == Sep::kSpace) {
        space_ends.push_back(q);
      }
      q += n;
      continue;
    }
    break;
  }
  std::vector<size_t> ends;
  if (!capped && !text::word_char_at(s, q)) {
    ends.push_back(q);
  }
  ends.insert(ends.end(), space_ends.rbegin(), space_ends.rend());
  for (const size_t end : ends) {
    if (const auto minor = parse_unsigned(s.substr(begin, end - begin), 2)) {
      return Number{begin, end, *minor};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> parse_amount_minor(std::string_view text, int decimals) {
  bool negative = false;
  if (text.size() > 0 && text[0] == '+') {
    text.remove_prefix(1);
  } else if (const size_t n = minus_at(text, 0)) {
    negative = true;
    text.remove_prefix(n);
    text.remove_prefix(text::space_at(text, 0));
  }
  if (text.empty() || !is_digit(text[0])) {
    return std::nullopt;
  }
  const std::optional<int64_t> value = parse_unsigned(text, decimals);
  if (!value) {
    return std::nullopt;
  }
  return negative ? -*value : *value;
}

namespace scan {

void amounts(std::string_view s, std::vector<Entity>& out) {
  // End of the last amount and of the qualifier read after it: the next amount neither starts
  // inside it nor takes its qualifier.
  size_t claimed = 0;
  std::string word;
  for (size_t i = 0; i < s.size(); ++i) {
    const Currency currency = currency_at(s, i, word);
    if (currency.length == 0) {
      if (text::is_alpha(s[i]) && !text::letter_before(s, i)) {
        // Skip the rest of the word: only its start can be a currency code.
        i = text::fold_word(s, i, word, 0) - 1;
      }
      continue;
    }
    const size_t symbol_end = i + currency.length;
    std::optional<Number> number;
    size_t begin = 0;
    size_t end = 0;
    // "1 234,56 €": the number before the symbol, at most one space away.
    const size_t before = i - text::space_before(s, i);
    if (before > 0 && is_digit(s[before - 1])) {
      number = number_ending_at(s, before, claimed);
      if (number) {
        begin = number->begin;
        end = symbol_end;
      }
    }
    // "€ 1,234.56", "-€1,234.56", "€-1,234.56": the number after the symbol.
    if (!number) {
      size_t pos = symbol_end + text::space_at(s, symbol_end);
      const size_t inner_sign = minus_at(s, pos);
      pos += inner_sign;
      if (text::digit_at(s, pos)) {
        number = number_starting_at(s, pos);
      }
      if (number) {
        const size_t outer_sign = inner_sign == 0 ? sign_before(s, i) : 0;
        const bool signed_outside = outer_sign > 0 && i - outer_sign >= claimed;
        if (inner_sign > 0 || signed_outside) {
          number->minor = -number->minor;
        }
        begin = signed_outside ? i - outer_sign : i;
        end = number->end;
      }
    }
    if (!number) {
      i = symbol_end - 1;
      continue;
    }
    Entity entity = make_entity(EntityKind::kAmount, s, begin, end, std::to_string(number->minor));
    entity.amount_minor = number->minor;
    entity.currency = currency.code;
    const size_t previous_claimed = claimed;
    claimed = end;
    // The qualifier is stated after the amount ("1 234,56 € HT") or in its label before it, on
    // the same line and after the previous amount ("Total TTC : 1 481,47 €"). A word after the
    // amount that opens the next label ("1 000,00 € TVA (20 %) 200,00 €") yields to the label
    // before; with no label before, it is the amount's own ("850,00 € HT 408,00 € HT").
    const size_t after = text::skip_blanks(s, end);
    const Qualifier trailing = after - end <= 3 ? qualifier_at(s, after) : Qualifier{};
    const size_t next = trailing.name.empty() ? 0 : text::skip_blanks(s, trailing.end);
    const bool opens_label = next < s.size() && (is_digit(s[next]) || s[next] == '(');
    if (!trailing.name.empty() && !opens_label) {
      entity.qualifier = trailing.name;
      claimed = trailing.end;
    } else {
      constexpr size_t kLookBack = 64;
      const size_t floor =
          std::max(begin > kLookBack ? begin - kLookBack : 0, std::min(previous_claimed, begin));
      for (size_t j = text::line_start(s, begin, floor); j < begin; ++j) {
        if (const Qualifier label = qualifier_at(s, j); !label.name.empty() && label.end <= begin) {
          entity.qualifier = label.name;
        }
      }
      if (entity.qualifier.empty() && !trailing.name.empty()) {
        entity.qualifier = trailing.name;
        claimed = trailing.end;
      }
    }
    out.push_back(std::move(entity));
    i = std::max(end, claimed) - 1;
  }
}

}  // namespace scan
}  // namespace atelier::documents::domain
