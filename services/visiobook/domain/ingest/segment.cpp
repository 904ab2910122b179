// Line classification, UTF-8 helpers and BookBuilder shared by the readers.
#include "visiobook/domain/ingest/segment.hpp"

#include <array>
#include <utility>

namespace atelier::visiobook::ingest::detail {
namespace {

constexpr std::size_t kMaxHeadingBytes = 120;
constexpr int kMaxRomanValue = 399;

// Number words that may follow a heading keyword ("PART ONE", "CHAPITRE PREMIER").
constexpr std::array<std::string_view, 58> kNumberWords{
    "one",      "two",      "three",     "four",      "five",      "six",      "seven",
    "eight",    "nine",     "ten",       "eleven",    "twelve",    "thirteen", "fourteen",
    "fifteen",  "sixteen",  "seventeen", "eighteen",  "nineteen",  "twenty",   "first",
    "second",   "third",    "fourth",    "fifth",     "sixth",     "seventh",  "eighth",
    "ninth",    "tenth",    "last",      "un",        "une",       "deux",     "trois",
    "quatre",   "cinq",     "sept",      "huit",      "neuf",      "dix",      "onze",
    "douze",    "treize",   "quatorze",  "quinze",    "seize",     "premier",  "première",
    "seconde",  "deuxième", "troisième", "quatrième", "cinquième", "sixième",  "septième",
    "huitième", "dernière",
};

// Ordinals that may precede PARTIE / PART ("DEUXIÈME PARTIE", "FIRST PART").
constexpr std::array<std::string_view, 14> kOrdinals{
    "première", "deuxième", "seconde", "troisième", "quatrième", "cinquième", "dernière",
    "first",    "second",   "third",   "fourth",    "fifth",     "final",     "last",
};

constexpr std::array<std::string_view, 4> kChapterKeywords{"chapter", "chapitre", "chap.", "chap"};
constexpr std::array<std::string_view, 6> kPartKeywords{"part",  "partie", "book",
                                                        "livre", "volume", "tome"};
// Whole-line headings without a number.
constexpr std::array<std::string_view, 9> kNamedSections{
    "prologue", "épilogue",     "epilogue",   "préface",      "preface",
    "postface", "introduction", "conclusion", "avant-propos",
};

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  for (const auto w : words) {
    if (w == word) {
      return true;
    }
  }
  return false;
}

int roman_digit(char c) {
  switch (c) {
    case 'I':
    case 'i':
      return 1;
    case 'V':
    case 'v':
      return 5;
    case 'X':
    case 'x':
      return 10;
    case 'L':
    case 'l':
      return 50;
    case 'C':
    case 'c':
      return 100;
    default:
      return 0;
  }
}

std::string to_roman(int value) {
  static constexpr std::array<std::pair<int, std::string_view>, 9> kParts{{
      {100, "C"},
      {90, "XC"},
      {50, "L"},
      {40, "XL"},
      {10, "X"},
      {9, "IX"},
      {5, "V"},
      {4, "IV"},
      {1, "I"},
  }};
  std::string out;
  for (const auto& [v, s] : kParts) {
    while (value >= v) {
      out += s;
      value -= v;
    }
  }
  return out;
}

// The value of a canonical Roman numeral (I..CCCXCIX, either case, not mixed), 0 otherwise.
int roman_value(std::string_view s) {
  if (s.empty() || s.size() > 12) {
    return 0;
  }
  int value = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int d = roman_digit(s[i]);
    if (d == 0) {
      return 0;
    }
    const int next = i + 1 < s.size() ? roman_digit(s[i + 1]) : 0;
    value += next > d ? -d : d;
  }
  if (value <= 0 || value > kMaxRomanValue) {
    return 0;
  }
  std::string canonical = to_roman(value);
  if (s == canonical || s == lower(canonical)) {
    return value;
  }
  return 0;
}

bool all_ascii_digits(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits) {
    return false;
  }
  for (const char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

bool is_number_token(std::string_view token) {
  return all_ascii_digits(token, 4) || roman_value(token) > 0 || one_of(lower(token), kNumberWords);
}

bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// First letter of the line is a capital (ASCII or Latin-1).
bool starts_with_capital(std::string_view s) {
  std::size_t len = 0;
  return !s.empty() && is_upper(decode_at(s, 0, len));
}

// The token after a keyword: up to a space or punctuation.
std::string_view number_token(std::string_view rest) {
  std::size_t end = 0;
  while (end < rest.size()) {
    const char c = rest[end];
    if (c == ' ' || c == '\t' || c == '.' || c == ':' || c == ',' || c == ';' || c == '-' ||
        c == ')' || c == '(' || rest.substr(end).starts_with("\xE2\x80\x94") ||
        rest.substr(end).starts_with("\xE2\x80\x93")) {
      break;
    }
    ++end;
  }
  return rest.substr(0, end);
}

// What may follow the number of a keyword heading: nothing, or punctuation before a title.
bool heading_tail_ok(std::string_view after) {
  after = trim(after);
  return after.empty() || after[0] == '.' || after[0] == ':' || after[0] == '-' ||
         after.starts_with("\xE2\x80\x94") || after.starts_with("\xE2\x80\x93");
}

std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  const auto space = s.find_first_of(" \t");
  if (space == std::string_view::npos) {
    return {s, {}};
  }
  return {s.substr(0, space), trim(s.substr(space))};
}

bool strip_prefix(std::string_view& s, std::string_view prefix) {
  if (s.starts_with(prefix)) {
    s.remove_prefix(prefix.size());
    return true;
  }
  return false;
}

// Latin Extended-A alternates capital and small letters, with the parity flipping twice:
// 'u' for a capital, 'l' for a small letter, 0 for ĸ and ŉ.
char latin_extended_a_case(char32_t cp) {
  if (cp == 0x138 || cp == 0x149) {
    return 0;
  }
  if (cp == 0x17F) {
    return 'l';  // long s
  }
  const bool flipped = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
  return (cp % 2 == 0) != flipped ? 'u' : 'l';
}

}  // namespace

// --- UTF-8 -------------------------------------------------------------------------------------

std::size_t utf8_length_at(std::string_view s, std::size_t pos) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = at(pos);
  if (b0 < 0x80) {
    return 1;
  }
  const auto cont = [&](std::size_t i) { return i < s.size() && (at(i) & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    return cont(pos + 1) ? 2 : 0;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(pos + 1) || !cont(pos + 2)) {
      return 0;
    }
    const unsigned char b1 = at(pos + 1);
    if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0)) {
      return 0;  // overlong, or a UTF-16 surrogate
    }
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(pos + 1) || !cont(pos + 2) || !cont(pos + 3)) {
      return 0;
    }
    const unsigned char b1 = at(pos + 1);
    if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90)) {
      return 0;  // overlong, or above U+10FFFF
    }
    return 4;
  }
  return 0;
}

char32_t decode_at(std::string_view s, std::size_t pos, std::size_t& len) {
  len = utf8_length_at(s, pos);
  const auto at = [&](std::size_t i) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i]));
  };
  switch (len) {
    case 1:
      return at(pos);
    case 2:
      return ((at(pos) & 0x1F) << 6) | (at(pos + 1) & 0x3F);
    case 3:
      return ((at(pos) & 0x0F) << 12) | ((at(pos + 1) & 0x3F) << 6) | (at(pos + 2) & 0x3F);
    case 4:
      return ((at(pos) & 0x07) << 18) | ((at(pos + 1) & 0x3F) << 12) | ((at(pos + 2) & 0x3F) << 6) |
             (at(pos + 3) & 0x3F);
    default:
      len = 1;
      return 0xFFFD;
  }
}

char32_t decode_before(std::string_view s, std::size_t end, std::size_t& len) {
  std::size_t start = end;
  while (start > 0 && end - start < 4) {
    --start;
    if ((static_cast<unsigned char>(s[start]) & 0xC0) != 0x80) {
      break;
    }
  }
  const char32_t cp = decode_at(s, start, len);
  if (start + len != end) {
    len = 1;
    return 0xFFFD;
  }
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
    decode_at(s, i, len);
    ++n;
  }
  return n;
}

bool is_letter(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  if (cp >= 0xC0 && cp <= 0x24F) {
    return cp != 0xD7 && cp != 0xF7;
  }
  return (cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x400 && cp <= 0x4FF) ||
         (cp >= 0x1E00 && cp <= 0x1EFF);
}

bool is_lower(char32_t cp) {
  if (cp < 0x80) {
    return cp >= 'a' && cp <= 'z';
  }
  if (cp >= 0xDF && cp <= 0xFF) {
    return cp != 0xF7;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    return latin_extended_a_case(cp) == 'l';
  }
  return false;
}

bool is_upper(char32_t cp) {
  if (cp < 0x80) {
    return cp >= 'A' && cp <= 'Z';
  }
  if (cp >= 0xC0 && cp <= 0xDE) {
    return cp != 0xD7;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    return latin_extended_a_case(cp) == 'u';
  }
  return false;
}

char32_t to_lower(char32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) {
    return cp + 0x20;
  }
  if (cp == 0x152 || cp == 0x178) {  // Œ, Ÿ
    return cp == 0x152 ? 0x153 : 0xFF;
  }
  return cp;
}

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
    const char32_t cp = decode_at(s, i, len);
    if (cp == 0xFFFD && len == 1) {
      out += s[i];
    } else {
      append_utf8(out, to_lower(cp));
    }
  }
  return out;
}

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == 0x2007 || cp == 0x3000;
}

std::string_view trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t len = 0;
  while (begin < s.size() && is_space(decode_at(s, begin, len))) {
    begin += len;
  }
  std::size_t end = s.size();
  while (end > begin && is_space(decode_before(s, end, len))) {
    end -= len;
  }
  return s.substr(begin, end - begin);
}

// --- Lines ---------------------------------------------------------------------------------------

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      start = i + 1;
    }
  }
  if (start < text.size()) {
    lines.push_back(text.substr(start));
  }
  for (auto& line : lines) {
    while (!line.empty() && line.back() == '\f') {
      line.remove_suffix(1);
    }
    while (!line.empty() && line.front() == '\f') {
      line.remove_prefix(1);
    }
  }
  return lines;
}

HeadingKind heading_kind(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.size() > kMaxHeadingBytes) {
    return HeadingKind::kNone;
  }
  std::string_view core = line;
  if (core.back() == '.') {
    core.remove_suffix(1);
  }
  // "II" or "IV." alone: capitals only, so that a page number "iv" or a pronoun stays text.
  if (!core.empty() && is_ascii_upper(core[0]) && roman_value(core) > 0) {
    return HeadingKind::kChapter;
  }
  if (starts_with_capital(core) && one_of(lower(core), kNamedSections)) {
    return HeadingKind::kChapter;
  }
  if (!starts_with_capital(line)) {
    return HeadingKind::kNone;
  }
  const auto [word, rest] = first_word(line);
  const std::string keyword = lower(word);
  const bool chapter = one_of(keyword, kChapterKeywords);
  const bool part = one_of(keyword, kPartKeywords);
  if ((chapter || part) && !rest.empty()) {
    const std::string_view token = number_token(rest);
    if (!token.empty() && is_number_token(token) && heading_tail_ok(rest.substr(token.size()))) {
      return chapter ? HeadingKind::kChapter : HeadingKind::kPart;
    }
    return HeadingKind::kNone;
  }
  // "DEUXIÈME PARTIE", "First Part"
  if (one_of(keyword, kOrdinals) && !rest.empty()) {
    const auto [second, tail] = first_word(rest);
    const std::string second_lower = lower(second);
    if ((second_lower == "partie" || second_lower == "part" || second_lower == "partie." ||
         second_lower == "part.") &&
        heading_tail_ok(tail)) {
      return HeadingKind::kPart;
    }
  }
  return HeadingKind::kNone;
}

bool is_separator(std::string_view line) {
  line = trim(line);
  if (line.empty()) {
    return false;
  }
  for (std::size_t i = 0, len = 0; i < line.size(); i += len) {
    const char32_t cp = decode_at(line, i, len);
    const bool symbol = cp == '*' || cp == '#' || cp == '~' || cp == 0x2042 || cp == 0x2022 ||
                        cp == 0xB7 || cp == 0x2217;
    if (!symbol && !is_space(cp)) {
      return false;
    }
  }
  return true;
}

bool is_page_number(std::string_view line) {
  std::string_view s = trim(line);
  const auto strip_furniture = [&s] {
    bool changed = true;
    while (changed && !s.empty()) {
      changed = strip_prefix(s, "-") || strip_prefix(s, "[") || strip_prefix(s, "(") ||
                strip_prefix(s, "|") || strip_prefix(s, "\xE2\x80\x94") ||
                strip_prefix(s, "\xE2\x80\x93") || strip_prefix(s, " ");
    }
    changed = true;
    while (changed && !s.empty()) {
      changed = false;
      for (const std::string_view suffix :
           {std::string_view("-"), std::string_view("]"), std::string_view(")"),
            std::string_view("|"), std::string_view("\xE2\x80\x94"),
            std::string_view("\xE2\x80\x93"), std::string_view(" ")}) {
        if (s.ends_with(suffix)) {
          s.remove_suffix(suffix.size());
          changed = true;
        }
      }
    }
    s = trim(s);
  };
  strip_furniture();
  if (s.empty()) {
    return false;
  }
  const std::string low = lower(s);
  std::string_view rest = low;
  if (!strip_prefix(rest, "page ") && !strip_prefix(rest, "p. ")) {
    strip_prefix(rest, "p.");
  }
  rest = trim(rest);
  if (all_ascii_digits(rest, 4)) {
    return true;
  }
  // Lower-case Roman page numbers of front matter; capitals are headings.
  if (rest == std::string_view(s) && roman_value(rest) > 0) {
    return true;
  }
  for (const std::string_view sep :
       {std::string_view("/"), std::string_view(" of "), std::string_view(" sur ")}) {
    const auto at = rest.find(sep);
    if (at != std::string_view::npos) {
      return all_ascii_digits(trim(rest.substr(0, at)), 4) &&
             all_ascii_digits(trim(rest.substr(at + sep.size())), 4);
    }
  }
  return false;
}

// --- Limits --------------------------------------------------------------------------------------

Error over_limit_error(std::string_view what, std::size_t size, std::size_t limit,
                       std::string_view limit_name) {
  return Error::invalid(std::string(what) + " is " + std::to_string(size) +
                        " bytes, above the limit of " + std::to_string(limit) + " bytes (" +
                        std::string(limit_name) + ")");
}

Result<void> check_input_size(std::size_t size, const Limits& limits) {
  if (size == 0) {
    return Error::invalid("the file is empty");
  }
  if (size > limits.max_input_bytes) {
    return over_limit_error("the file", size, limits.max_input_bytes, "max_input_bytes");
  }
  return {};
}

// --- Book building ---------------------------------------------------------------------------

void BookBuilder::close_chapter() {
  if (!current_.paragraphs.empty()) {
    chapters_.push_back(std::move(current_));
  } else if (current_kind_ == HeadingKind::kPart && !current_.title.empty()) {
    part_prefix_ = std::move(current_.title);
  }
  current_ = {};
  current_kind_ = HeadingKind::kNone;
  pending_break_ = false;
}

void BookBuilder::heading(std::string title, HeadingKind kind) {
  close_chapter();
  if (kind == HeadingKind::kPart || part_prefix_.empty()) {
    current_.title = std::move(title);
  } else {
    current_.title = part_prefix_ + " — " + title;
  }
  part_prefix_.clear();
  current_kind_ = kind;
}

void BookBuilder::heading_continued(std::string title) {
  if (!current_.paragraphs.empty() || current_.title.empty()) {
    heading(std::move(title), HeadingKind::kChapter);
    return;
  }
  const std::string_view last = current_.title;
  const bool punctuated = last.ends_with('.') || last.ends_with(':') || last.ends_with('!') ||
                          last.ends_with('?') || last.ends_with('-') ||
                          last.ends_with("\xE2\x80\x94") || last.ends_with("\xE2\x80\x93");
  current_.title += punctuated ? " " : ". ";
  current_.title += title;
}

void BookBuilder::scene_break() {
  if (!current_.paragraphs.empty()) {
    pending_break_ = true;
  }
}

void BookBuilder::paragraph(std::string raw) {
  if (trim(raw).empty()) {
    return;
  }
  current_.paragraphs.push_back({std::move(raw), pending_break_});
  pending_break_ = false;
  ++paragraphs_;
}

Error BookBuilder::limit_error() const {
  return Error::invalid("the book has more than " + std::to_string(limits_.max_paragraphs) +
                        " paragraphs (max_paragraphs)");
}

std::string BookBuilder::sample(std::size_t max_bytes) const {
  std::string out;
  const auto add = [&](const domain::Chapter& chapter) {
    for (const auto& p : chapter.paragraphs) {
      if (out.size() >= max_bytes) {
        return;
      }
      out.append(p.text, 0, max_bytes - out.size());
      out += '\n';
    }
  };
  for (const auto& chapter : chapters_) {
    add(chapter);
  }
  add(current_);
  return out;
}

std::vector<domain::Chapter> BookBuilder::finish(domain::Language language) {
  close_chapter();
  std::vector<domain::Chapter> out;
  out.reserve(chapters_.size());
  for (auto& chapter : chapters_) {
    domain::Chapter cleaned;
    cleaned.title = clean_paragraph(chapter.title, language);
    bool carry_break = false;
    for (auto& p : chapter.paragraphs) {
      std::string text = clean_paragraph(p.text, language);
      if (text.empty()) {
        carry_break = carry_break || p.after_break;
        continue;
      }
      const bool after_break = (p.after_break || carry_break) && !cleaned.paragraphs.empty();
      cleaned.paragraphs.push_back({std::move(text), after_break});
      carry_break = false;
    }
    if (!cleaned.paragraphs.empty()) {
      out.push_back(std::move(cleaned));
    }
  }
  chapters_.clear();
  return out;
}

}  // namespace atelier::visiobook::ingest::detail
