// Check digits of SIREN, SIRET, French VAT numbers and IBANs, and the scanner that finds them in
// page text.
#include "documents/domain/identifiers.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "documents/domain/scanners.hpp"
#include "documents/domain/text_scan.hpp"

namespace atelier::documents::domain {
namespace {

using text::is_digit;

constexpr std::string_view kLaPosteSiren = "356000000";

// The characters a new-style VAT key may use: digits and letters without I and O.
constexpr std::string_view kVatKeyAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

struct IbanCountry {
  std::string_view code;
  int length;
};

// ISO 13616 registry lengths for the SEPA area.
constexpr std::array<IbanCountry, 39> kIbanCountries{{
    {"AD", 24}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GI", 23},
    {"GL", 18}, {"GR", 27}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27}, {"LI", 21},
    {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MT", 31}, {"NL", 18}, {"NO", 15}, {"PL", 28},
    {"PT", 25}, {"RO", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"VA", 22},
}};

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (!is_digit(c)) {
      return false;
    }
  }
  return !s.empty();
}

int digit_sum(std::string_view digits) {
  int sum = 0;
  for (const char c : digits) {
    sum += c - '0';
  }
  return sum;
}

bool compact_siren_valid(std::string_view s) {
  return s.size() == 9 && all_digits(s) && luhn_valid(s);
}

bool compact_siret_valid(std::string_view s) {
  if (s.size() != 14 || !all_digits(s)) {
    return false;
  }
  if (luhn_valid(s)) {
    return true;
  }
  // La Poste registers far more establishments than Luhn's NIC range allows, so INSEE gave its
  // SIRETs their own rule.
  return s.substr(0, 9) == kLaPosteSiren && digit_sum(s) % 5 == 0;
}

int64_t to_int(std::string_view digits) {
  int64_t value = 0;
  for (const char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

bool compact_vat_valid(std::string_view s) {
  if (s.size() != 13 || s.substr(0, 2) != "FR") {
    return false;
  }
  const std::string_view key = s.substr(2, 2);
  const std::string_view siren = s.substr(4);
  if (!all_digits(siren)) {
    return false;
  }
  // Monaco's companies carry French VAT numbers without being in the SIREN register.
  if (siren.substr(0, 3) != "000" && !compact_siren_valid(siren)) {
    return false;
  }
  if (all_digits(key)) {
    return to_int(key) == (12 + 3 * (to_int(siren) % 97)) % 97;
  }
  const size_t first = kVatKeyAlphabet.find(key[0]);
  const size_t second = kVatKeyAlphabet.find(key[1]);
  if (first == std::string_view::npos || second == std::string_view::npos) {
    return false;
  }
  const int64_t check = is_digit(key[0]) ? static_cast<int64_t>(first * 24 + second) - 10
                                         : static_cast<int64_t>(first * 34 + second) - 100;
  return (to_int(siren) + 1 + check / 11) % 11 == check % 11;
}

bool compact_iban_valid(std::string_view s) {
  if (s.size() < 5 || !text::is_upper(s[0]) || !text::is_upper(s[1]) || !is_digit(s[2]) ||
      !is_digit(s[3])) {
    return false;
  }
  const std::optional<int> length = iban_length(s.substr(0, 2));
  if (!length || static_cast<size_t>(*length) != s.size()) {
    return false;
  }
  const int check = (s[2] - '0') * 10 + (s[3] - '0');
  if (check < 2 || check > 98) {
    return false;
  }
  // Mod 97 of the number formed by moving the first four characters to the end and writing each
  // letter as 10..35, computed digit by digit so that no big integer is needed.
  int remainder = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[(i + 4) % s.size()];
    if (is_digit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (text::is_upper(c)) {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

// Collects `count` letters or digits starting at `pos`, allowing one space between any two of
// them (printed IBANs go by fours, SIRENs by threes, OCR adds its own). Upper-cases into `out` and
// returns the end, or npos when the run is shorter.
size_t collect_spaced(std::string_view s, size_t pos, size_t count, std::string& out) {
  out.clear();
  while (out.size() < count) {
    if (!text::alnum_at(s, pos)) {
      return std::string_view::npos;
    }
    out.push_back(text::to_upper(s[pos]));
    ++pos;
    if (out.size() < count) {
      if (const size_t gap = text::space_at(s, pos); gap > 0 && text::alnum_at(s, pos + gap)) {
        pos += gap;
      }
    }
  }
  return pos;
}

void scan_ibans(std::string_view s, std::vector<Entity>& out) {
  std::string compact;
  for (size_t i = 0; i + 4 <= s.size(); ++i) {
    if (!text::is_alpha(s[i]) || !text::is_alpha(s[i + 1]) || text::word_char_before(s, i)) {
      continue;
    }
    // The check digits follow the country, at most one space apart ("FR76 3000", "FR 76 3000").
    const size_t check = i + 2 + text::space_at(s, i + 2);
    if (!text::digit_at(s, check) || !text::digit_at(s, check + 1)) {
      continue;
    }
    const std::string country{text::to_upper(s[i]), text::to_upper(s[i + 1])};
    const std::optional<int> length = iban_length(country);
    if (!length) {
      continue;
    }
    const size_t end = collect_spaced(s, i, static_cast<size_t>(*length), compact);
    if (end == std::string_view::npos || text::word_char_at(s, end) ||
        !compact_iban_valid(compact)) {
      continue;
    }
    out.push_back(scan::make_entity(EntityKind::kIban, s, i, end, compact));
    i = end - 1;
  }
}

void scan_vat_numbers(std::string_view s, std::vector<Entity>& out) {
  std::string compact;
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (text::to_upper(s[i]) != 'F' || text::to_upper(s[i + 1]) != 'R' ||
        text::word_char_before(s, i)) {
      continue;
    }
    size_t pos = i + 2;
    pos += text::space_at(s, pos);
    const size_t end = collect_spaced(s, pos, 11, compact);
    if (end == std::string_view::npos || text::word_char_at(s, end)) {
      continue;
    }
    compact.insert(0, "FR");
    if (compact_vat_valid(compact)) {
      out.push_back(scan::make_entity(EntityKind::kVatNumber, s, i, end, compact));
      i = end - 1;
    }
  }
}

// A run of digit groups separated by single spaces ("732 829 320 00074"): SIRETs and SIRENs are
// printed whole or in groups of three.
struct DigitRun {
  static constexpr size_t kMaxGroups = 5;
  size_t begin = 0;
  size_t end = 0;  // end of the whole run
  size_t groups = 0;
  std::array<std::pair<size_t, size_t>, kMaxGroups> group{};  // [begin, end) of the first groups
};

DigitRun read_digit_run(std::string_view s, size_t pos) {
  DigitRun run;
  run.begin = pos;
  while (true) {
    const size_t group_begin = pos;
    while (text::digit_at(s, pos)) {
      ++pos;
    }
    if (run.groups < DigitRun::kMaxGroups) {
      run.group[run.groups] = {group_begin, pos};
    }
    ++run.groups;
    run.end = pos;
    const size_t gap = text::space_at(s, pos);
    if (gap == 0 || !text::digit_at(s, pos + gap)) {
      return run;
    }
    pos += gap;
  }
}

bool has_siren_label(std::string_view s, size_t pos) {
  constexpr size_t kWindow = 48;
  const size_t from = text::line_start(s, pos, pos > kWindow ? pos - kWindow : 0);
  std::string lower;
  for (size_t i = from; i < pos; ++i) {
    lower.push_back(text::to_lower(s[i]));
  }
  for (const std::string_view label : {"siren", "siret", "rcs", "r.c.s", "r c s"}) {
    if (lower.find(label) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void scan_company_numbers(std::string_view s, const ExtractOptions& options,
                          std::vector<Entity>& out) {
  // Group sizes a printed SIRET or SIREN takes; anything else is some other number.
  constexpr std::array<std::array<size_t, 5>, 4> kSiretLayouts{
      {{14}, {9, 5}, {3, 3, 3, 5}, {3, 3, 3, 3, 2}}};
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i]) || text::word_char_before(s, i)) {
      continue;
    }
    const DigitRun run = read_digit_run(s, i);
    i = run.end - 1;  // the run is read whole: its inner groups are not run starts
    bool found_siret = false;
    for (const auto& layout : kSiretLayouts) {
      std::string digits;
      size_t g = 0;
      for (; g < layout.size() && layout[g] != 0; ++g) {
        if (g >= std::min(run.groups, DigitRun::kMaxGroups) ||
            run.group[g].second - run.group[g].first != layout[g]) {
          break;
        }
        digits.append(s.substr(run.group[g].first, layout[g]));
      }
      if ((g == layout.size() || layout[g] == 0) && compact_siret_valid(digits) &&
          !text::word_char_at(s, run.group[g - 1].second)) {
        out.push_back(
            scan::make_entity(EntityKind::kSiret, s, run.begin, run.group[g - 1].second, digits));
        found_siret = true;
        break;
      }
    }
    if (found_siret || text::word_char_at(s, run.end)) {
      continue;
    }
    // A SIREN stands alone: the 9 digits are the whole run, so the head of a SIRET with a typo
    // does not come back as a SIREN.
    std::string digits;
    if (run.groups == 1 && run.end - run.begin == 9) {
      digits = s.substr(run.begin, 9);
    } else if (run.groups == 3) {
      for (size_t g = 0; g < 3; ++g) {
        if (run.group[g].second - run.group[g].first == 3) {
          digits.append(s.substr(run.group[g].first, 3));
        }
      }
    }
    if (compact_siren_valid(digits) &&
        (!options.siren_needs_label || has_siren_label(s, run.begin))) {
      out.push_back(scan::make_entity(EntityKind::kSiren, s, run.begin, run.end, digits));
    }
  }
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) {
    return false;
  }
  int sum = 0;
  bool doubled = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

std::optional<std::string> compact_identifier(std::string_view s) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    if (const size_t gap = text::space_at(s, pos)) {
      pos += gap;
      continue;
    }
    if (!text::is_alnum(s[pos])) {
      return std::nullopt;
    }
    out.push_back(text::to_upper(s[pos]));
    ++pos;
  }
  return out;
}

bool siren_valid(std::string_view siren) {
  const auto compact = compact_identifier(siren);
  return compact && compact_siren_valid(*compact);
}

bool siret_valid(std::string_view siret) {
  const auto compact = compact_identifier(siret);
  return compact && compact_siret_valid(*compact);
}

bool french_vat_valid(std::string_view vat) {
  const auto compact = compact_identifier(vat);
  return compact && compact_vat_valid(*compact);
}

std::string french_vat_key(std::string_view siren) {
  const auto compact = compact_identifier(siren);
  if (!compact || !compact_siren_valid(*compact)) {
    return {};
  }
  const int64_t key = (12 + 3 * (to_int(*compact) % 97)) % 97;
  return {static_cast<char>('0' + key / 10), static_cast<char>('0' + key % 10)};
}

bool iban_valid(std::string_view iban) {
  const auto compact = compact_identifier(iban);
  return compact && compact_iban_valid(*compact);
}

std::optional<int> iban_length(std::string_view country) {
  for (const IbanCountry& c : kIbanCountries) {
    if (c.code == country) {
      return c.length;
    }
  }
  return std::nullopt;
}

namespace scan {

void identifiers(std::string_view text, const ExtractOptions& options, std::vector<Entity>& out) {
  scan_ibans(text, out);
  scan_vat_numbers(text, out);
  scan_company_numbers(text, options, out);
}

}  // namespace scan
}  // namespace atelier::documents::domain
