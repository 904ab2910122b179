// Byte-level helpers shared by the entity scanners.
#include "documents/domain/text_scan.hpp"

namespace atelier::documents::domain::text {
namespace {

// The ASCII letter each U+00C0..U+00FF character folds to (second byte 0x80..0xBF after 0xC3),
// 0 for the two that are not letters (× and ÷).
constexpr char kLatin1FoldChars[] =
    "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
    "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
constexpr std::string_view kLatin1Fold(kLatin1FoldChars, sizeof(kLatin1FoldChars) - 1);
static_assert(kLatin1Fold.size() == 64);

unsigned char byte(std::string_view s, size_t pos) {
  return static_cast<unsigned char>(s[pos]);
}

// Folded letter for a two-byte letter at pos, 0 when there is none.
char fold_two_byte_letter(std::string_view s, size_t pos) {
  if (pos + 1 >= s.size()) {
    return 0;
  }
  const unsigned char lead = byte(s, pos);
  const unsigned char next = byte(s, pos + 1);
  if (next < 0x80 || next > 0xBF) {
    return 0;
  }
  if (lead == 0xC3) {
    return kLatin1Fold[next - 0x80];
  }
  if (lead == 0xC5 && (next == 0x92 || next == 0x93)) {  // Œ œ
    return 'o';
  }
  return 0;
}

// A combining diacritical mark U+0300..U+036F: CC 80..CC BF or CD 80..CD AF.
bool combining_mark_at(std::string_view s, size_t pos) {
  if (pos + 1 >= s.size()) {
    return false;
  }
  const unsigned char lead = byte(s, pos);
  const unsigned char next = byte(s, pos + 1);
  return (lead == 0xCC && next >= 0x80 && next <= 0xBF) ||
         (lead == 0xCD && next >= 0x80 && next <= 0xAF);
}

}  // namespace

size_t space_at(std::string_view s, size_t pos) {
  if (pos >= s.size()) {
    return 0;
  }
  if (s[pos] == ' ') {
    return 1;
  }
  if (has_at(s, pos, "\xC2\xA0")) {
    return 2;
  }
  if (has_at(s, pos, "\xE2\x80\xAF") || has_at(s, pos, "\xE2\x80\x87") ||
      has_at(s, pos, "\xE2\x80\x89")) {
    return 3;
  }
  return 0;
}

size_t space_before(std::string_view s, size_t pos) {
  if (pos >= 1 && space_at(s, pos - 1) == 1) {
    return 1;
  }
  if (pos >= 2 && space_at(s, pos - 2) == 2) {
    return 2;
  }
  if (pos >= 3 && space_at(s, pos - 3) == 3) {
    return 3;
  }
  return 0;
}

size_t blank_at(std::string_view s, size_t pos) {
  if (pos < s.size() && s[pos] == '\t') {
    return 1;
  }
  return space_at(s, pos);
}

size_t skip_blanks(std::string_view s, size_t pos) {
  while (const size_t n = blank_at(s, pos)) {
    pos += n;
  }
  return pos;
}

size_t letter_at(std::string_view s, size_t pos) {
  if (pos >= s.size()) {
    return 0;
  }
  if (is_alpha(s[pos])) {
    return 1;
  }
  if (fold_two_byte_letter(s, pos) != 0 || combining_mark_at(s, pos)) {
    return 2;
  }
  return 0;
}

bool letter_before(std::string_view s, size_t pos) {
  if (pos >= 1 && is_alpha(s[pos - 1])) {
    return true;
  }
  return pos >= 2 && letter_at(s, pos - 2) == 2;
}

size_t fold_word(std::string_view s, size_t pos, std::string& out, size_t max_letters) {
  out.clear();
  size_t letters = 0;
  while (const size_t n = letter_at(s, pos)) {
    if (letters < max_letters) {
      if (n == 1) {
        out.push_back(to_lower(s[pos]));
        ++letters;
      } else if (const char folded = fold_two_byte_letter(s, pos)) {
        out.push_back(folded);
        ++letters;
      }
    }
    pos += n;
  }
  return pos;
}

size_t line_start(std::string_view s, size_t pos, size_t floor) {
  while (pos > floor && s[pos - 1] != '\n') {
    --pos;
  }
  return pos;
}

}  // namespace atelier::documents::domain::text
