// UTF-8 text helpers of the analysis: code point decoding, lower-casing, and the word tokenizer
// that knows French elisions (l’homme → l’ + homme) and English possessives (Alice’s → Alice).
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kRightQuote = 0x2019;  // ’, also the typographic apostrophe

// French words that elide before a vowel: l’, d’, qu’, jusqu’ ...
constexpr std::array<std::string_view, 14> kElisions = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"};

// English contractions kept inside their word: don’t, I’ll, you’re, we’ve, he’d, I’m.
constexpr std::array<std::string_view, 6> kContractionTails = {"t", "ll", "re", "ve", "d", "m"};

bool is_word_char(char32_t cp) {
  return u_isalnum(static_cast<UChar32>(cp)) != 0;
}
bool is_letter(char32_t cp) {
  return u_isalpha(static_cast<UChar32>(cp)) != 0;
}
bool is_apostrophe(char32_t cp) {
  return cp == U'\'' || cp == kRightQuote;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  for (const auto w : list) {
    if (w == word) {
      return true;
    }
  }
  return false;
}

// The letters from pos on, lower-cased, up to the first non-letter.
std::string letters_from(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end < s.size()) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(s, end, cp);
    if (!is_letter(cp)) {
      break;
    }
    end += n;
  }
  return to_lower(s.substr(pos, end - pos));
}

void finish_token(std::string_view text, Token& t) {
  const std::string_view w = text.substr(t.begin, t.end - t.begin);
  const std::string lower = to_lower(w);
  t.lower.clear();
  for (std::size_t at = 0; at < lower.size();) {
    if (lower.compare(at, 3, "\xE2\x80\x99") == 0) {
      t.lower.push_back('\'');
      at += 3;
    } else {
      t.lower.push_back(lower[at]);
      ++at;
    }
  }
  char32_t first = 0;
  decode_utf8(w, 0, first);
  t.numeric = u_isdigit(static_cast<UChar32>(first)) != 0;
  t.capitalised =
      u_isupper(static_cast<UChar32>(first)) != 0 || u_istitle(static_cast<UChar32>(first)) != 0;
  std::size_t letters = 0;
  bool all_upper = true;
  for (std::size_t pos = 0; pos < w.size();) {
    char32_t cp = 0;
    pos += decode_utf8(w, pos, cp);
    if (is_letter(cp)) {
      ++letters;
      all_upper = all_upper && u_isupper(static_cast<UChar32>(cp)) != 0;
    }
  }
  t.all_caps = letters >= 2 && all_upper;
  t.period_after = t.end < text.size() && text[t.end] == '.';
}

}  // namespace

std::size_t decode_utf8(std::string_view s, std::size_t pos, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  std::size_t n = 1;
  char32_t value = b0;
  if (b0 >= 0xF0 && b0 < 0xF8) {
    n = 4;
    value = b0 & 0x07U;
  } else if (b0 >= 0xE0) {
    n = 3;
    value = b0 & 0x0FU;
  } else if (b0 >= 0xC0) {
    n = 2;
    value = b0 & 0x1FU;
  } else if (b0 >= 0x80) {
    cp = kReplacement;
    return 1;
  }
  if (b0 >= 0xF8 || pos + n > s.size()) {
    cp = kReplacement;
    return 1;
  }
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0U) != 0x80U) {
      cp = kReplacement;
      return 1;
    }
    value = (value << 6U) | (b & 0x3FU);
  }
  cp = value;
  return n;
}

std::string to_lower(std::string_view s) {
  bool ascii = true;
  for (const char c : s) {
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  }
  std::string out;
  if (ascii) {
    out.reserve(s.size());
    for (const char c : s) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
  }
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  u.toLower(icu::Locale::getRoot());
  u.toUTF8String(out);
  return out;
}

std::string trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t end = s.size();
  const auto space_at = [&](std::size_t pos) -> std::size_t {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(s, pos, cp);
    return u_isUWhiteSpace(static_cast<UChar32>(cp)) || cp == 0xA0 || cp == 0x202F ? n : 0;
  };
  while (begin < end) {
    const std::size_t n = space_at(begin);
    if (n == 0) {
      break;
    }
    begin += n;
  }
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0U) == 0x80U) {
      --start;
    }
    if (space_at(start) != end - start) {
      break;
    }
    end = start;
  }
  return std::string(s.substr(begin, end - begin));
}

bool is_opening_mark(char32_t cp) {
  return cp == 0x2018 || cp == 0x201C || cp == 0xAB || cp == U'"' || cp == U'(' || cp == 0x2014 ||
         cp == 0x2013;
}

bool adjacent(const Para& para, std::size_t i, bool allow_period) {
  if (i + 1 >= para.tokens.size()) {
    return false;
  }
  std::size_t pos = para.tokens[i].end;
  const std::size_t end = para.tokens[i + 1].begin;
  if (allow_period && pos < end && para.text[pos] == '.') {
    ++pos;
  }
  while (pos < end) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(para.text, pos, cp);
    if (u_isUWhiteSpace(static_cast<UChar32>(cp)) == 0 && cp != 0xA0 && cp != 0x202F) {
      return false;
    }
    pos += n;
  }
  return true;
}

std::vector<Token> tokenize(std::string_view text, Language language) {
  std::vector<Token> tokens;
  const bool french = language == Language::kFrench;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    std::size_t n = decode_utf8(text, pos, cp);
    if (!is_word_char(cp)) {
      pos += n;
      continue;
    }
    Token t;
    t.begin = pos;
    pos += n;
    bool skip_tail = false;  // an English possessive ’s follows: it is no part of the word
    std::size_t tail_end = 0;
    while (pos < text.size()) {
      n = decode_utf8(text, pos, cp);
      if (is_word_char(cp)) {
        pos += n;
        continue;
      }
      char32_t next = 0;
      const std::size_t next_n = pos + n < text.size() ? decode_utf8(text, pos + n, next) : 0;
      if (cp == U'-' && next_n > 0 && is_word_char(next)) {
        pos += n;
        continue;
      }
      if (!is_apostrophe(cp) || next_n == 0 || !is_letter(next)) {
        break;
      }
      const std::string head = to_lower(text.substr(t.begin, pos - t.begin));
      if (french) {
        if (contains(kElisions, head)) {
          t.end = pos + n;
          t.elided = true;
          break;
        }
        pos += n;  // aujourd’hui, prud’homme
        continue;
      }
      const std::string tail = letters_from(text, pos + n);
      if (tail == "s") {
        skip_tail = true;
        tail_end = pos + n + 1;
        break;
      }
      if (!contains(kContractionTails, tail)) {
        break;
      }
      pos += n;
    }
    if (!t.elided) {
      t.end = pos;
    }
    finish_token(text, t);
    tokens.push_back(std::move(t));
    pos = skip_tail ? tail_end : tokens.back().end;
  }
  return tokens;
}

}  // namespace atelier::visiobook::analysis::detail
