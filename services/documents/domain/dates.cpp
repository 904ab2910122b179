// Dates: numeric forms in either day order, ISO order, and month names in French and English.
#include "documents/domain/dates.hpp"

#include <array>
#include <cstdio>
#include <utility>

#include "documents/domain/scanners.hpp"
#include "documents/domain/text_scan.hpp"

namespace atelier::documents::domain {
namespace {

using text::digit_at;
using text::is_digit;

// Documents older or newer than this are OCR noise ("12/03/0042"), not dates.
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2199;

struct MonthName {
  std::string_view name;  // folded: lower case, no accents
  int month;
};

constexpr MonthName kMonthNames[] = {
    {"janvier", 1},   {"janv", 1},      {"jan", 1},       {"january", 1},   {"fevrier", 2},
    {"fevr", 2},      {"fev", 2},       {"february", 2},  {"feb", 2},       {"mars", 3},
    {"mar", 3},       {"march", 3},     {"avril", 4},     {"avr", 4},       {"april", 4},
    {"apr", 4},       {"mai", 5},       {"may", 5},       {"juin", 6},      {"june", 6},
    {"jun", 6},       {"juillet", 7},   {"juil", 7},      {"july", 7},      {"jul", 7},
    {"aout", 8},      {"august", 8},    {"aug", 8},       {"septembre", 9}, {"sept", 9},
    {"sep", 9},       {"september", 9}, {"octobre", 10},  {"oct", 10},      {"october", 10},
    {"novembre", 11}, {"nov", 11},      {"november", 11}, {"decembre", 12}, {"dec", 12},
    {"december", 12},
};

struct DateMatch {
  size_t begin = 0;
  size_t end = 0;
  int year = 0;
  int month = 0;
  int day = 0;
};

// Reads 1..max_digits digits at pos (no more digits after them); returns the count, 0 if none.
size_t read_number(std::string_view s, size_t pos, size_t max_digits, int& value) {
  size_t n = 0;
  value = 0;
  while (digit_at(s, pos + n)) {
    if (n == max_digits) {
      return 0;
    }
    value = value * 10 + (s[pos + n] - '0');
    ++n;
  }
  return n;
}

bool year_in_range(int year) {
  return year >= kMinYear && year <= kMaxYear;
}

// Nothing that continues a number or a word may follow a date. An ISO date may run into a time
// ("2025-03-12T10:00").
bool clean_end(std::string_view s, size_t end, char sep) {
  if (end < s.size() && s[end] == 'T' && digit_at(s, end + 1) && sep == '-') {
    return true;
  }
  if (text::word_char_at(s, end)) {
    return false;
  }
  // "12/03/2025/1" and "2025-03-12-A" are references that merely start like dates.
  return !(end < s.size() && s[end] == sep && text::word_char_at(s, end + 1));
}

bool clean_start(std::string_view s, size_t begin, char sep) {
  if (text::word_char_before(s, begin)) {
    return false;
  }
  return !(begin >= 1 && s[begin - 1] == sep && text::word_char_before(s, begin - 1));
}

std::optional<DateMatch> numeric_date_at(std::string_view s, size_t pos, bool prefer_day_first) {
  int first = 0;
  const size_t n1 = read_number(s, pos, 4, first);
  if (n1 == 0 || n1 == 3 || pos + n1 >= s.size()) {
    return std::nullopt;
  }
  const char sep = s[pos + n1];
  if (sep != '/' && sep != '-' && sep != '.') {
    return std::nullopt;
  }
  int second = 0;
  const size_t p2 = pos + n1 + 1;
  const size_t n2 = read_number(s, p2, 2, second);
  if (n2 == 0 || p2 + n2 >= s.size() || s[p2 + n2] != sep) {
    return std::nullopt;
  }
  int third = 0;
  const size_t p3 = p2 + n2 + 1;
  const size_t n3 = read_number(s, p3, 4, third);
  const size_t end = p3 + n3;
  if (!clean_start(s, pos, sep) || !clean_end(s, end, sep)) {
    return std::nullopt;
  }
  DateMatch m{pos, end, 0, 0, 0};
  if (n1 == 4) {  // 2025-03-12: year first is always year-month-day
    if (n3 == 0 || n3 > 2) {
      return std::nullopt;
    }
    m.year = first;
    m.month = second;
    m.day = third;
  } else {
    if (n3 == 4) {
      m.year = third;
    } else if (n3 == 2 && sep == '/' && n1 == 2 && n2 == 2) {
      m.year = 2000 + third;  // 12/03/25 on a current document
    } else {
      return std::nullopt;
    }
    m.day = prefer_day_first ? first : second;
    m.month = prefer_day_first ? second : first;
    if (!is_valid_date(m.year, m.month, m.day) && is_valid_date(m.year, m.day, m.month)) {
      std::swap(m.day, m.month);  // 03/25/2025 read day first cannot be; month first can
    }
  }
  if (!year_in_range(m.year) || !is_valid_date(m.year, m.month, m.day)) {
    return std::nullopt;
  }
  return m;
}

// The ordinal suffix after a day number: "1er", "1st", "2nd", "3rd", "12th". Returns its length.
size_t ordinal_suffix_at(std::string_view s, size_t pos, int day) {
  std::string word;
  const size_t end = text::fold_word(s, pos, word, 3);
  if ((word == "er" && day == 1) || word == "st" || word == "nd" || word == "rd" || word == "th") {
    return end - pos;
  }
  return 0;
}

// A month name at pos, then an optional abbreviation point. Returns the end, or npos.
size_t month_at(std::string_view s, size_t pos, int& month) {
  if (text::letter_at(s, pos) == 0 || text::letter_before(s, pos)) {
    return std::string_view::npos;
  }
  std::string word;
  const size_t end = text::fold_word(s, pos, word, 10);
  const std::optional<int> found = end - pos <= 12 ? month_from_name(word) : std::nullopt;
  if (!found) {
    return std::string_view::npos;
  }
  month = *found;
  return end < s.size() && s[end] == '.' ? end + 1 : end;
}

// A separator between the parts of a written date: blanks, or a single '-' ("12-mar-2025").
size_t date_gap_at(std::string_view s, size_t pos, char& kind) {
  if (pos < s.size() && s[pos] == '-') {
    kind = '-';
    return 1;
  }
  kind = ' ';
  const size_t end = text::skip_blanks(s, pos);
  return end - pos <= 8 ? end - pos : 0;
}

// 12 mars 2025, 1er avril 2025, 12 Mar 2025, 12-mar-2025, 12th March 2025.
std::optional<DateMatch> day_month_year_at(std::string_view s, size_t pos) {
  if (text::word_char_before(s, pos)) {
    return std::nullopt;
  }
  DateMatch m{pos, 0, 0, 0, 0};
  size_t p = pos;
  const size_t nd = read_number(s, p, 2, m.day);
  if (nd == 0) {
    return std::nullopt;
  }
  p += nd;
  p += ordinal_suffix_at(s, p, m.day);
  char gap_kind = ' ';
  size_t gap = date_gap_at(s, p, gap_kind);
  if (gap == 0) {
    return std::nullopt;
  }
  p = month_at(s, p + gap, m.month);
  if (p == std::string_view::npos) {
    return std::nullopt;
  }
  char second_kind = ' ';
  gap = date_gap_at(s, p, second_kind);
  if (gap == 0 || second_kind != gap_kind) {
    return std::nullopt;
  }
  p += gap;
  if (read_number(s, p, 4, m.year) != 4) {
    return std::nullopt;
  }
  m.end = p + 4;
  if (text::word_char_at(s, m.end) || !year_in_range(m.year) ||
      !is_valid_date(m.year, m.month, m.day)) {
    return std::nullopt;
  }
  return m;
}

// March 12, 2025, Mar. 12 2025, March 12th, 2025.
std::optional<DateMatch> month_day_year_at(std::string_view s, size_t pos) {
  DateMatch m{pos, 0, 0, 0, 0};
  size_t p = month_at(s, pos, m.month);
  if (p == std::string_view::npos) {
    return std::nullopt;
  }
  const size_t blanks = text::skip_blanks(s, p);
  if (blanks == p) {
    return std::nullopt;
  }
  p = blanks;
  const size_t nd = read_number(s, p, 2, m.day);
  if (nd == 0) {
    return std::nullopt;
  }
  p += nd;
  p += ordinal_suffix_at(s, p, m.day);
  const bool comma = p < s.size() && s[p] == ',';
  p += comma ? 1 : 0;
  const size_t year_at = text::skip_blanks(s, p);
  if (year_at == p && !comma) {
    return std::nullopt;
  }
  if (read_number(s, year_at, 4, m.year) != 4) {
    return std::nullopt;
  }
  m.end = year_at + 4;
  if (text::word_char_at(s, m.end) || !year_in_range(m.year) ||
      !is_valid_date(m.year, m.month, m.day)) {
    return std::nullopt;
  }
  return m;
}

std::optional<DateMatch> date_at(std::string_view s, size_t pos, bool prefer_day_first) {
  if (is_digit(s[pos])) {
    if (auto m = numeric_date_at(s, pos, prefer_day_first)) {
      return m;
    }
    return day_month_year_at(s, pos);
  }
  return month_day_year_at(s, pos);
}

std::string iso(const DateMatch& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", m.year, m.month, m.day);
  return buf;
}

}  // namespace

bool is_valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) {
    return false;
  }
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
  return day <= days;
}

std::optional<int> month_from_name(std::string_view word) {
  std::string folded;
  const size_t end = text::fold_word(word, 0, folded, 12);
  if (end != word.size() || folded.empty()) {
    return std::nullopt;
  }
  for (const MonthName& m : kMonthNames) {
    if (m.name == folded) {
      return m.month;
    }
  }
  return std::nullopt;
}

std::optional<std::string> parse_date(std::string_view text, bool prefer_day_first) {
  if (text.empty()) {
    return std::nullopt;
  }
  const auto m = date_at(text, 0, prefer_day_first);
  if (!m || m->end != text.size()) {
    return std::nullopt;
  }
  return iso(*m);
}

namespace scan {

void dates(std::string_view s, const ExtractOptions& options, std::vector<Entity>& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    const bool digit_start = is_digit(s[i]) && !text::word_char_before(s, i);
    const bool word_start = text::letter_at(s, i) > 0 && !text::word_char_before(s, i);
    if (!digit_start && !word_start) {
      continue;
    }
    if (const auto m = date_at(s, i, options.prefer_day_first)) {
      out.push_back(make_entity(EntityKind::kDate, s, m->begin, m->end, iso(*m)));
      i = m->end - 1;
    } else if (word_start) {
      std::string ignored;
      i = text::fold_word(s, i, ignored, 0) - 1;  // a word is only worth reading at its start
    } else {
      while (i + 1 < s.size() && is_digit(s[i + 1])) {
        ++i;
      }
    }
  }
}

}  // namespace scan
}  // namespace atelier::documents::domain
