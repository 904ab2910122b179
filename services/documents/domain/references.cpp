// Invoice and quote numbers. Their formats are whatever each supplier invented ("F-2025-0042",
// "FA2025/118", "D_0042"), so they are recognised by the label in front of them, not by shape.
#include <string>

#include "documents/domain/scanners.hpp"
#include "documents/domain/text_scan.hpp"

namespace atelier::documents::domain {
namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr size_t kMaxReference = 40;

std::optional<EntityKind> keyword_kind(std::string_view word) {
  if (word == "facture" || word == "invoice") {
    return EntityKind::kInvoiceNumber;
  }
  if (word == "devis" || word == "quote" || word == "quotation") {
    return EntityKind::kQuoteNumber;
  }
  return std::nullopt;
}

// The "number" marker at pos: n°, nº, N°., No, No., n., num., numéro, number, nr, #.
// Returns its end, or npos.
size_t marker_at(std::string_view s, size_t pos) {
  if (pos >= s.size()) {
    return kNpos;
  }
  if (s[pos] == '#') {
    return pos + 1;
  }
  if (text::letter_before(s, pos)) {
    return kNpos;
  }
  if ((s[pos] == 'n' || s[pos] == 'N') &&
      (text::has_at(s, pos + 1, "\xC2\xB0") || text::has_at(s, pos + 1, "\xC2\xBA"))) {
    const size_t end = pos + 3;
    return end < s.size() && s[end] == '.' ? end + 1 : end;
  }
  std::string word;
  const size_t end = text::fold_word(s, pos, word, 8);
  const bool dotted = end < s.size() && s[end] == '.';
  if (word == "no" || word == "num" || word == "numero" || word == "number" || word == "nr" ||
      (word == "n" && dotted)) {
    return dotted ? end + 1 : end;
  }
  return kNpos;
}

// Blanks, then an optional ':' and more blanks: what separates a label from its value.
size_t skip_label_colon(std::string_view s, size_t pos) {
  pos = text::skip_blanks(s, pos);
  if (pos < s.size() && s[pos] == ':') {
    pos = text::skip_blanks(s, pos + 1);
  }
  return pos;
}

bool reference_char(char c) {
  return text::is_alnum(c) || c == '-' || c == '/' || c == '_' || c == '.';
}

// The end of the token at pos (letters, digits and inner - / _ .), or npos when there is none or
// it runs into an accented letter (a word, not an identifier).
size_t token_end(std::string_view s, size_t pos) {
  if (!text::alnum_at(s, pos)) {
    return kNpos;
  }
  size_t end = pos;
  while (end < s.size() && reference_char(s[end])) {
    if (end - pos > kMaxReference) {
      return kNpos;
    }
    ++end;
  }
  while (!text::is_alnum(s[end - 1])) {
    --end;  // "Facture n° F-2025-0042." ends before the full stop
  }
  return text::letter_at(s, end) > 0 ? kNpos : end;
}

bool has_digit(std::string_view s) {
  return s.find_first_of("0123456789") != std::string_view::npos;
}

bool all_letters(std::string_view s) {
  for (const char c : s) {
    if (!text::is_alpha(c)) {
      return false;
    }
  }
  return true;
}

// The identifier at pos, with at least one digit: "F-2025-0042", or a short letter prefix printed
// apart from its number, "FA 2025 0042" (the digit groups after the prefix belong to it).
// Returns its end, or npos.
size_t reference_end(std::string_view s, size_t pos) {
  const size_t end = token_end(s, pos);
  if (end == kNpos) {
    return kNpos;
  }
  const std::string_view token = s.substr(pos, end - pos);
  if (has_digit(token)) {
    return end;
  }
  if (token.size() > 4 || !all_letters(token) || end >= s.size() || s[end] != ' ') {
    return kNpos;
  }
  size_t joined = token_end(s, end + 1);
  if (joined == kNpos || !has_digit(s.substr(end + 1, joined - end - 1))) {
    return kNpos;
  }
  // Further groups of 3+ digits ("FA 2025 0042"), but not the start of an amount that happens to
  // follow ("FA 118 1 234,56 €", "FA 118 234,56 €").
  while (joined + 1 < s.size() && s[joined] == ' ' && text::is_digit(s[joined + 1])) {
    size_t group = joined + 1;
    while (group < s.size() && text::is_digit(s[group])) {
      ++group;
    }
    const bool decimal = group + 1 < s.size() && (s[group] == ',' || s[group] == '.') &&
                         text::is_digit(s[group + 1]);
    if (group - joined - 1 < 3 || decimal || text::word_char_at(s, group) ||
        group - pos > kMaxReference) {
      break;
    }
    joined = group;
  }
  return joined;
}

// "Facture n° F-2025-0042", "Invoice #INV-118", "Devis N° : D-2025-0042": keyword, marker, value.
size_t after_keyword_then_marker(std::string_view s, size_t word_end) {
  const size_t marker = marker_at(s, text::skip_blanks(s, word_end));
  return marker == kNpos ? kNpos : skip_label_colon(s, marker);
}

// "N° de facture : F-2025-0042", "Numéro de devis D-12", "N° facture F-1": marker, keyword, value.
size_t after_marker_then_keyword(std::string_view s, size_t pos, std::optional<EntityKind>& kind) {
  const size_t marker = marker_at(s, pos);
  if (marker == kNpos) {
    return kNpos;
  }
  std::string word;
  size_t p = text::skip_blanks(s, marker);
  size_t end = text::fold_word(s, p, word);
  if (word == "de" || word == "du" || word == "of") {
    p = text::skip_blanks(s, end);
    end = text::fold_word(s, p, word);
  }
  kind = keyword_kind(word);
  return kind ? skip_label_colon(s, end) : kNpos;
}

void scan_references(std::string_view s, std::vector<Entity>& out) {
  std::string word;
  for (size_t i = 0; i < s.size(); ++i) {
    if (text::letter_at(s, i) == 0 || text::word_char_before(s, i)) {
      continue;
    }
    const size_t word_end = text::fold_word(s, i, word);
    std::optional<EntityKind> kind = keyword_kind(word);
    size_t value = kind ? after_keyword_then_marker(s, word_end) : kNpos;
    if (!kind) {
      value = after_marker_then_keyword(s, i, kind);
    }
    const size_t end = value == kNpos ? kNpos : reference_end(s, value);
    if (end != kNpos) {
      out.push_back(
          scan::make_entity(*kind, s, value, end, std::string(s.substr(value, end - value))));
      i = end - 1;
    } else {
      i = word_end - 1;
    }
  }
}

}  // namespace

namespace scan {

void references(std::string_view text, std::vector<Entity>& out) {
  scan_references(text, out);
}

}  // namespace scan
}  // namespace atelier::documents::domain
