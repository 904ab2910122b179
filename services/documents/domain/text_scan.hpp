// Byte-level helpers shared by the entity scanners: OCR text is UTF-8 with no-break spaces, accents
// and stray invalid bytes, so the scanners work on bytes and recognise the few sequences they need.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace atelier::documents::domain::text {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
inline bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
inline bool is_alpha(char c) {
  return is_upper(c) || is_lower(c);
}
inline bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
inline char to_lower(char c) {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
inline char to_upper(char c) {
  return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}
inline bool digit_at(std::string_view s, size_t pos) {
  return pos < s.size() && is_digit(s[pos]);
}
inline bool alnum_at(std::string_view s, size_t pos) {
  return pos < s.size() && is_alnum(s[pos]);
}
inline bool has_at(std::string_view s, size_t pos, std::string_view what) {
  return pos <= s.size() && s.substr(pos, what.size()) == what;
}

// Byte length of a space that may sit inside a number or between the parts of an identifier:
// ASCII space, U+00A0 no-break, U+2007 figure, U+2009 thin, U+202F narrow no-break. 0 otherwise.
size_t space_at(std::string_view s, size_t pos);
// The same, for a space that ends just before `pos` (backward scans).
size_t space_before(std::string_view s, size_t pos);
// A space as above or a tab: what may separate words of a label ("Facture  n°").
size_t blank_at(std::string_view s, size_t pos);
// Skips any run of blanks.
size_t skip_blanks(std::string_view s, size_t pos);

// Byte length of a letter at `pos`: an ASCII letter, a Latin-1 accented letter (é, Û, ç ...), œ/Œ,
// or a combining accent (OCR sometimes emits e + U+0301). 0 when not a letter.
size_t letter_at(std::string_view s, size_t pos);
// True when a letter ends just before `pos`.
bool letter_before(std::string_view s, size_t pos);
// True when an ASCII digit or a letter ends just before `pos`: `pos` is not a word start.
inline bool word_char_before(std::string_view s, size_t pos) {
  return pos > 0 && (is_digit(s[pos - 1]) || letter_before(s, pos));
}
// True when a digit or a letter starts at `pos`: an entity ending at `pos` would cut a word.
inline bool word_char_at(std::string_view s, size_t pos) {
  return pos < s.size() && (is_digit(s[pos]) || letter_at(s, pos) > 0);
}

// Reads the word (letters as letter_at() sees them) starting at `pos`, folded to lower-case ASCII
// without accents ("Février" -> "fevrier"), into `out`. Returns the end of the word. Stops folding
// after `max_letters` letters but still returns the real end, so callers see long words whole.
size_t fold_word(std::string_view s, size_t pos, std::string& out, size_t max_letters = 16);

// Start of the line holding `pos` (the byte after the previous '\n'), looking back no further
// than `floor`, so that look-backs stay bounded on a page that is one huge line.
size_t line_start(std::string_view s, size_t pos, size_t floor = 0);

}  // namespace atelier::documents::domain::text
