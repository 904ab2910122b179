// Format sniffing, text encodings (UTF-8, else Windows-1252) and the French/English guess.
#include <array>
#include <string>

#include "visiobook/domain/ingest/ingest.hpp"
#include "visiobook/domain/ingest/segment.hpp"

namespace atelier::visiobook::ingest {
namespace {

constexpr std::string_view kZipMagic = "PK\x03\x04";
constexpr std::string_view kPdfMagic = "%PDF-";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// PDF readers accept junk before the header within the first kilobyte.
constexpr std::size_t kPdfHeaderWindow = 1024;
// The language guess reads at most this much text: stop words settle long before.
constexpr std::size_t kGuessWindow = 256u << 10;

// Windows-1252 0x80..0x9F; the five unassigned bytes become U+FFFD.
constexpr std::array<char32_t, 32> kCp1252High{
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

constexpr std::array<std::string_view, 30> kEnglishStopWords{
    "the",  "and",  "of",   "to",   "in",   "that", "is",   "was",   "he",    "she",
    "it",   "with", "his",  "her",  "you",  "not",  "but",  "had",   "at",    "be",
    "this", "for",  "they", "have", "were", "what", "said", "would", "which", "from",
};
constexpr std::array<std::string_view, 32> kFrenchStopWords{
    "le",  "la",   "les",   "des",  "du",  "et",   "est",  "une",   "dans", "que", "qui",
    "pas", "pour", "sur",   "au",   "aux", "avec", "il",   "elle",  "ne",   "se",  "sa",
    "ses", "ce",   "cette", "mais", "je",  "vous", "nous", "était", "lui",  "qu",
};

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = detail::utf8_length_at(s, i);
    if (len == 0) {
      return false;
    }
    i += len;
  }
  return true;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  for (const auto w : words) {
    if (w == word) {
      return true;
    }
  }
  return false;
}

}  // namespace

SourceFormat detect_format(std::string_view bytes) {
  if (bytes.starts_with(kZipMagic)) {
    return SourceFormat::kEpub;  // read_epub explains why when the archive is no EPUB
  }
  if (bytes.substr(0, kPdfHeaderWindow).find(kPdfMagic) != std::string_view::npos) {
    return SourceFormat::kPdf;
  }
  return SourceFormat::kPlainText;
}

std::string to_utf8(std::string_view bytes) {
  if (bytes.starts_with(kUtf8Bom)) {
    bytes.remove_prefix(kUtf8Bom.size());
  }
  if (valid_utf8(bytes)) {
    return std::string(bytes);
  }
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out += c;
    } else if (b < 0xA0) {
      detail::append_utf8(out, kCp1252High[b - 0x80]);
    } else {
      detail::append_utf8(out, b);
    }
  }
  return out;
}

domain::Language guess_language(std::string_view text) {
  text = text.substr(0, kGuessWindow);
  int english = 0;
  int french = 0;
  std::string word;
  const auto count = [&] {
    if (word.empty()) {
      return;
    }
    if (contains(kEnglishStopWords, word)) {
      ++english;
    } else if (contains(kFrenchStopWords, word)) {
      ++french;
    }
    word.clear();
  };
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    const char32_t cp = detail::decode_at(text, i, len);
    if (detail::is_letter(cp)) {
      detail::append_utf8(word, detail::to_lower(cp));
    } else {
      count();  // apostrophes split "l’horloge" and "qu’il" into their stop words
    }
  }
  count();
  return french > english ? domain::Language::kFrench : domain::Language::kEnglish;
}

}  // namespace atelier::visiobook::ingest
