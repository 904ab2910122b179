// Pieces shared by the readers: UTF-8 helpers, the classification of a line (chapter heading,
// scene-break separator, page number), the input-size checks, and BookBuilder, which turns a
// stream of headings, breaks and raw paragraphs into chapters. Internal to ingestion: callers use
// ingest.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "visiobook/domain/book.hpp"
#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook::ingest::detail {

// --- UTF-8 -------------------------------------------------------------------------------------

// Length of the well-formed UTF-8 sequence at pos (1 to 4), 0 when the bytes there are not one.
std::size_t utf8_length_at(std::string_view s, std::size_t pos);

// The code point at pos and its length in `len`; an ill-formed byte reads as U+FFFD, length 1.
char32_t decode_at(std::string_view s, std::size_t pos, std::size_t& len);

// The last code point before `end` (which is a sequence boundary) and its length in `len`.
char32_t decode_before(std::string_view s, std::size_t end, std::size_t& len);

void append_utf8(std::string& out, char32_t cp);

std::size_t code_points(std::string_view s);

// Letters: ASCII, Latin-1 Supplement and Latin Extended-A/B, Greek and Cyrillic; enough to tell
// words from punctuation in the languages the product reads.
bool is_letter(char32_t cp);
bool is_lower(char32_t cp);
bool is_upper(char32_t cp);
// Lower case for ASCII and the Latin-1 letters (É → é); other code points are returned as is.
char32_t to_lower(char32_t cp);
std::string lower(std::string_view s);

// Space, tab, CR, LF, FF, VT, and the no-break / narrow no-break / thin spaces.
bool is_space(char32_t cp);
std::string_view trim(std::string_view s);

// --- Lines ---------------------------------------------------------------------------------------

// The lines of `text` (LF, CRLF or CR endings; form feeds are dropped from the line ends), as
// views.
std::vector<std::string_view> split_lines(std::string_view text);

enum class HeadingKind { kNone, kChapter, kPart };

// Whether a whole (trimmed) line is a chapter heading: "CHAPTER I. Down the Rabbit-Hole",
// "Chapter 12", "CHAPITRE PREMIER", "Chapitre III", "I.", "II", "PART ONE", "Livre 2",
// "DEUXIÈME PARTIE", "PROLOGUE". A keyword must start with a capital and be followed by a number
// (digits, a Roman numeral or a number word) and then the end of the line or punctuation.
HeadingKind heading_kind(std::string_view line);

// A scene-break line: only '*', '#', '~', '⁂', '•', '·' and spaces ("* * *", "***", "#").
bool is_separator(std::string_view line);

// A page-number line: "3", "— 3 —", "-3-", "[3]", "Page 3", "p. 3", "3 / 10", "xii".
bool is_page_number(std::string_view line);

// --- Limits --------------------------------------------------------------------------------------

// "the file is empty" for 0 bytes, the limit error above max_input_bytes, nothing otherwise.
Result<void> check_input_size(std::size_t size, const Limits& limits);
Error over_limit_error(std::string_view what, std::size_t size, std::size_t limit,
                       std::string_view limit_name);

// --- Book building ---------------------------------------------------------------------------

// Collects chapters in reading order. Paragraphs are kept raw until finish() cleans them for the
// book's language; a heading starts a chapter, a titled chapter left without paragraphs is
// dropped (a table of contents) unless it is a part heading, whose title then prefixes the next
// chapter's ("PART ONE — CHAPTER I"); a scene break marks the next paragraph of the same chapter.
class BookBuilder {
 public:
  explicit BookBuilder(const Limits& limits) : limits_(limits) {}

  void heading(std::string title, HeadingKind kind);
  // Appends to the current chapter's title when it has no paragraph yet (<h1>Chapter 1</h1>
  // <h2>Loomings</h2>); starts a chapter otherwise.
  void heading_continued(std::string title);
  void scene_break();
  void paragraph(std::string raw);

  bool over_limit() const { return paragraphs_ > limits_.max_paragraphs; }
  Error limit_error() const;
  // Raw text of the first paragraphs, up to `max_bytes`, for a language guess.
  std::string sample(std::size_t max_bytes) const;
  // Cleans every paragraph for `language`, drops those left empty and the empty chapters.
  std::vector<domain::Chapter> finish(domain::Language language);

 private:
  void close_chapter();

  const Limits& limits_;
  std::vector<domain::Chapter> chapters_;
  domain::Chapter current_;
  HeadingKind current_kind_ = HeadingKind::kNone;
  std::string part_prefix_;
  bool pending_break_ = false;
  std::size_t paragraphs_ = 0;
};

}  // namespace atelier::visiobook::ingest::detail
