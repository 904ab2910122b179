// clean_paragraph(): the cleaning every reader applies to a paragraph's raw lines.
//
// The rules, in order:
//  1. Lines are trimmed; a line that is only a page number ("12", "— 3 —", "Page 4") is dropped
//     when the paragraph has several lines (a paragraph that is only "1984" stays).
//  2. Line ends are joined. A soft hyphen at a line end is removed. A hyphen after a letter at a
//     line end is a typesetter's break when the next line starts with a lower-case letter
//     ("beau-" + "coup" → "beaucoup") and a real hyphen otherwise ("Jean-" + "Pierre" →
//     "Jean-Pierre"). Limit: without a dictionary, a compound broken after its hyphen before a
//     lower-case word ("rabbit-" + "hole") loses the hyphen ("rabbithole"); hyphens inside a line
//     are never touched.
//  3. Ligatures are spelled out (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ); œ and æ are letters of French and stay. Soft
//     hyphens, zero-width characters and control characters are removed. Runs of white space
//     collapse to one space, or one no-break space when the run held one (French typography).
//  4. Quotes. English: curly quotes stay as in the source; straight ones become curly by position
//     (" after a space or an opening bracket opens “, otherwise ”; ' opens ‘ there when a letter
//     follows, otherwise it is the apostrophe ’ — so a leading elision like 'tis reads ‘tis).
//     French: ' becomes ’; a straight " becomes « or » by the same position rule; « and » get a
//     narrow no-break space (U+202F) on their inner side in place of any space there. Curly “ ”
//     in French stay (second-level quotes inside « »).
//  5. French dialogue: a paragraph starting with "-", "–", "―" or "—" starts with "— ".
#include <string>

#include "visiobook/domain/ingest/ingest.hpp"
#include "visiobook/domain/ingest/segment.hpp"

namespace atelier::visiobook::ingest {
namespace {

using detail::append_utf8;
using detail::decode_at;
using detail::decode_before;

constexpr char32_t kNoBreakSpace = 0xA0;
constexpr char32_t kNarrowNoBreakSpace = 0x202F;
constexpr char32_t kSoftHyphen = 0xAD;
constexpr char32_t kHyphen = 0x2010;
constexpr std::string_view kEmDashSpace = "\xE2\x80\x94 ";

bool is_hyphen(char32_t cp) {
  return cp == '-' || cp == kHyphen;
}

bool is_dash(char32_t cp) {
  return cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == 0x2015;
}

// Appends `line` to `out` with the line-end rules (2).
void join_line(std::string& out, std::string_view line) {
  if (out.empty()) {
    out += line;
    return;
  }
  std::size_t last_len = 0;
  const char32_t last = decode_before(out, out.size(), last_len);
  if (last == kSoftHyphen) {
    out.resize(out.size() - last_len);
    out += line;
    return;
  }
  if (is_hyphen(last) && out.size() > last_len) {
    std::size_t before_len = 0;
    const char32_t before = decode_before(out, out.size() - last_len, before_len);
    if (detail::is_letter(before)) {
      std::size_t first_len = 0;
      if (detail::is_lower(decode_at(line, 0, first_len))) {
        out.resize(out.size() - last_len);
      }
      out += line;
      return;
    }
  }
  out += ' ';
  out += line;
}

// The ligature's letters, or empty when `cp` is none.
std::string_view ligature(char32_t cp) {
  switch (cp) {
    case 0xFB00:
      return "ff";
    case 0xFB01:
      return "fi";
    case 0xFB02:
      return "fl";
    case 0xFB03:
      return "ffi";
    case 0xFB04:
      return "ffl";
    case 0xFB05:
    case 0xFB06:
      return "st";
    default:
      return {};
  }
}

bool is_invisible(char32_t cp) {
  return cp == kSoftHyphen || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
         cp == 0xFEFF ||
         (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f' && cp != '\v') ||
         (cp >= 0x7F && cp < 0xA0);
}

bool is_collapsible_space(char32_t cp) {
  return detail::is_space(cp) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2000 && cp <= 0x200A);
}

// Rule 3: ligatures, invisible characters, white space.
std::string normalise_characters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t pending_space = 0;
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    const char32_t cp = decode_at(text, i, len);
    if (is_invisible(cp)) {
      continue;
    }
    if (is_collapsible_space(cp)) {
      if (cp == kNarrowNoBreakSpace || pending_space == kNarrowNoBreakSpace) {
        pending_space = kNarrowNoBreakSpace;
      } else if (cp == kNoBreakSpace || pending_space == kNoBreakSpace) {
        pending_space = kNoBreakSpace;
      } else {
        pending_space = ' ';
      }
      continue;
    }
    if (pending_space != 0) {
      if (!out.empty()) {
        append_utf8(out, pending_space);
      }
      pending_space = 0;
    }
    const std::string_view letters = ligature(cp);
    if (!letters.empty()) {
      out += letters;
    } else if (cp == 0xFFFD && len == 1) {
      out += text[i];  // an ill-formed byte passes through; to_utf8() runs before cleaning
    } else {
      out.append(text.substr(i, len));
    }
  }
  return out;
}

// Whether a quote after `out` opens: at the start, after a space, a bracket or a dash.
bool opens_after(const std::string& out) {
  if (out.empty()) {
    return true;
  }
  std::size_t len = 0;
  const char32_t prev = decode_before(out, out.size(), len);
  return detail::is_space(prev) || prev == '(' || prev == '[' || prev == '{' || prev == 0x201C ||
         prev == 0x2018 || prev == 0xAB || is_dash(prev);
}

void strip_trailing_spaces(std::string& out) {
  while (!out.empty()) {
    std::size_t len = 0;
    if (!detail::is_space(decode_before(out, out.size(), len))) {
      return;
    }
    out.resize(out.size() - len);
  }
}

// Rule 4.
std::string normalise_quotes(std::string_view text, domain::Language language) {
  const bool french = language == domain::Language::kFrench;
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  bool after_open_guillemet = false;
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    char32_t cp = decode_at(text, i, len);
    if (after_open_guillemet && detail::is_space(cp)) {
      continue;
    }
    after_open_guillemet = false;
    if (cp == '\'') {
      std::size_t next_len = 0;
      const bool letter_next =
          i + 1 < text.size() && detail::is_letter(decode_at(text, i + 1, next_len));
      append_utf8(out, !french && letter_next && opens_after(out) ? 0x2018 : 0x2019);
      continue;
    }
    if (cp == '"') {
      if (french) {
        cp = opens_after(out) ? 0xAB : 0xBB;
      } else {
        append_utf8(out, opens_after(out) ? 0x201C : 0x201D);
        continue;
      }
    }
    if (french && cp == 0xAB) {
      append_utf8(out, 0xAB);
      append_utf8(out, kNarrowNoBreakSpace);
      after_open_guillemet = true;
      continue;
    }
    if (french && cp == 0xBB) {
      strip_trailing_spaces(out);
      if (!out.empty()) {
        append_utf8(out, kNarrowNoBreakSpace);
      }
      append_utf8(out, 0xBB);
      continue;
    }
    if (cp == 0xFFFD && len == 1) {
      out += text[i];
    } else {
      out.append(text.substr(i, len));
    }
  }
  strip_trailing_spaces(out);
  return out;
}

// Rule 5.
std::string french_dialogue(std::string text) {
  std::size_t len = 0;
  if (text.empty() || !is_dash(decode_at(text, 0, len))) {
    return text;
  }
  std::size_t pos = 0;
  while (pos < text.size() && is_dash(decode_at(text, pos, len))) {
    pos += len;
  }
  const std::string_view rest = detail::trim(std::string_view(text).substr(pos));
  if (rest.empty() || (rest[0] >= '0' && rest[0] <= '9')) {
    return text;  // "-5 °C" or a lone dash: no dialogue
  }
  std::string out(kEmDashSpace);
  out += rest;
  return out;
}

}  // namespace

std::string clean_paragraph(std::string_view text, domain::Language language) {
  const std::vector<std::string_view> lines = detail::split_lines(text);
  std::size_t non_blank = 0;
  for (const auto line : lines) {
    non_blank += detail::trim(line).empty() ? 0 : 1;
  }
  std::string joined;
  joined.reserve(text.size());
  for (const auto raw : lines) {
    const std::string_view line = detail::trim(raw);
    if (line.empty() || (non_blank > 1 && detail::is_page_number(line))) {
      continue;
    }
    join_line(joined, line);
  }
  std::string out = normalise_quotes(normalise_characters(joined), language);
  if (language == domain::Language::kFrench) {
    out = french_dialogue(std::move(out));
  }
  return out;
}

}  // namespace atelier::visiobook::ingest
