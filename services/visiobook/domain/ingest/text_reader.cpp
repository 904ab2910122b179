// read_text(): plain-text books. Project Gutenberg framing (header fields, START/END markers) is
// understood; the body is cut into paragraphs by blank lines, or one per line when the file
// holds long lines (a paragraph per line); heading lines start chapters.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "visiobook/domain/ingest/ingest.hpp"
#include "visiobook/domain/ingest/segment.hpp"

namespace atelier::visiobook::ingest {
namespace {

using detail::HeadingKind;
using detail::trim;

// A line longer than this is a whole paragraph rather than a hard-wrapped line.
constexpr std::size_t kLongLineBytes = 160;
// Without START marker, header fields are looked for in the leading lines only.
constexpr std::size_t kMaxHeaderLines = 60;
// A first line taken as the book's title is at most this long.
constexpr std::size_t kMaxTitleLineBytes = 80;
constexpr std::size_t kGuessSampleBytes = 64u << 10;

constexpr std::string_view kKnownHeaderKeys[] = {
    "title",
    "author",
    "language",
    "release date",
    "posting date",
    "credits",
    "translator",
    "illustrator",
    "editor",
    "produced by",
    "character set encoding",
    "most recently updated",
    "original publication",
};

struct Header {
  std::string title;
  std::string author;
  std::optional<domain::Language> language;
};

// The lower-cased key of a "Key: value" header line, empty when the line is none.
std::string header_key(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 40) {
    return {};
  }
  std::string key = detail::lower(trim(line.substr(0, colon)));
  for (const auto known : kKnownHeaderKeys) {
    if (key == known) {
      return key;
    }
  }
  return {};
}

std::optional<domain::Language> language_named(std::string_view value) {
  const std::string v = detail::lower(trim(value));
  if (v.starts_with("fr")) {
    return domain::Language::kFrench;
  }
  if (v.starts_with("en")) {
    return domain::Language::kEnglish;
  }
  return std::nullopt;
}

bool starts_with_space(std::string_view line) {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

// Reads "Key: value" lines (with indented continuation lines) from lines[begin, end); stops at the
// first other non-blank line when `leading_only`. Returns the index after the last header line.
std::size_t read_header(const std::vector<std::string_view>& lines, std::size_t begin,
                        std::size_t end, bool leading_only, Header& header) {
  std::size_t after = begin;
  std::string* field = nullptr;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string_view line = lines[i];
    if (trim(line).empty()) {
      field = nullptr;
      continue;
    }
    if (field != nullptr && starts_with_space(line)) {
      *field += ' ';
      *field += trim(line);
      after = i + 1;
      continue;
    }
    const std::string key = header_key(line);
    if (key.empty()) {
      field = nullptr;
      if (leading_only) {
        break;
      }
      continue;
    }
    const std::string_view value = trim(line.substr(line.find(':') + 1));
    field = nullptr;
    if (key == "title" && header.title.empty()) {
      header.title = value;
      field = &header.title;
    } else if (key == "author" && header.author.empty()) {
      header.author = value;
      field = &header.author;
    } else if (key == "language" && !header.language) {
      header.language = language_named(value);
    }
    after = i + 1;
  }
  return after;
}

bool is_gutenberg_marker(std::string_view line, std::string_view which) {
  const std::string low = detail::lower(trim(line));
  return low.starts_with(which) && low.find("project gutenberg") != std::string::npos;
}

// A first line that names the book: capitals only ("SARRASINE.", "LA MORTE AMOUREUSE").
bool is_title_line(std::string_view line) {
  if (line.size() > kMaxTitleLineBytes || detail::heading_kind(line) != HeadingKind::kNone ||
      detail::is_separator(line) || detail::is_page_number(line)) {
    return false;
  }
  std::size_t letters = 0;
  for (std::size_t i = 0, len = 0; i < line.size(); i += len) {
    const char32_t cp = detail::decode_at(line, i, len);
    if (detail::is_lower(cp)) {
      return false;
    }
    letters += detail::is_letter(cp) ? 1 : 0;
  }
  return letters >= 2;
}

std::string join_lines(const std::vector<std::string_view>& lines) {
  std::size_t size = 0;
  for (const auto line : lines) {
    size += line.size() + 1;
  }
  std::string out;
  out.reserve(size);
  for (const auto line : lines) {
    if (!out.empty()) {
      out += '\n';
    }
    out += line;
  }
  return out;
}

class TextSegmenter {
 public:
  explicit TextSegmenter(detail::BookBuilder& builder) : builder_(builder) {}

  // Blank-line mode: a block of consecutive non-blank lines.
  void block(const std::vector<std::string_view>& lines) {
    bool all_separators = true;
    for (const auto line : lines) {
      all_separators = all_separators && detail::is_separator(line);
    }
    if (all_separators) {
      builder_.scene_break();
      return;
    }
    const HeadingKind kind = detail::heading_kind(lines.front());
    if (kind == HeadingKind::kNone) {
      builder_.paragraph(join_lines(lines));
      return;
    }
    builder_.heading(std::string(trim(lines.front())), kind);
    if (lines.size() > 1) {
      builder_.paragraph(join_lines({lines.begin() + 1, lines.end()}));
    }
  }

  // Line mode: each line is a paragraph, a heading or a separator.
  void line(std::string_view line) {
    if (detail::is_separator(line)) {
      builder_.scene_break();
      return;
    }
    const HeadingKind kind = detail::heading_kind(line);
    if (kind != HeadingKind::kNone) {
      builder_.heading(std::string(trim(line)), kind);
      return;
    }
    builder_.paragraph(std::string(line));
  }

 private:
  detail::BookBuilder& builder_;
};

}  // namespace

Result<domain::Book> read_text(std::string_view bytes, const Limits& limits) {
  if (auto size = detail::check_input_size(bytes.size(), limits); !size.ok()) {
    return std::move(size).error();
  }
  const std::string text = to_utf8(bytes);
  const std::vector<std::string_view> lines = detail::split_lines(text);

  // Gutenberg framing: header fields before "*** START OF ...", nothing after "*** END OF ...".
  Header header;
  std::size_t begin = 0;
  std::size_t end = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_gutenberg_marker(lines[i], "*** start of")) {
      read_header(lines, 0, i, false, header);
      begin = i + 1;
      break;
    }
  }
  for (std::size_t i = begin; i < lines.size(); ++i) {
    if (is_gutenberg_marker(lines[i], "*** end of")) {
      end = i;
      break;
    }
  }
  if (begin == 0) {
    while (begin < end && trim(lines[begin]).empty()) {
      ++begin;
    }
    begin = read_header(lines, begin, std::min(end, begin + kMaxHeaderLines), true, header);
  }

  std::size_t non_blank = 0;
  std::size_t long_lines = 0;
  std::size_t blank = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (trim(lines[i]).empty()) {
      ++blank;
    } else {
      ++non_blank;
      long_lines += lines[i].size() > kLongLineBytes ? 1 : 0;
    }
  }
  const bool line_mode = long_lines * 5 >= non_blank || (blank == 0 && non_blank > 1);

  // A first line in capitals, alone, names the book when no header did.
  while (begin < end && trim(lines[begin]).empty()) {
    ++begin;
  }
  if (header.title.empty() && begin < end && is_title_line(trim(lines[begin])) &&
      (line_mode || begin + 1 == end || trim(lines[begin + 1]).empty())) {
    std::string_view title = trim(lines[begin]);
    if (title.ends_with('.')) {
      title.remove_suffix(1);
    }
    header.title = title;
    ++begin;
  }

  detail::BookBuilder builder(limits);
  TextSegmenter segmenter(builder);
  std::vector<std::string_view> block;
  std::size_t blank_run = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const std::string_view line = lines[i];
    if (trim(line).empty()) {
      if (!block.empty()) {
        segmenter.block(block);
        block.clear();
      }
      ++blank_run;
      continue;
    }
    if (blank_run >= 2) {
      builder.scene_break();
    }
    blank_run = 0;
    if (line_mode) {
      segmenter.line(line);
    } else {
      block.push_back(line);
    }
    if (builder.over_limit()) {
      return builder.limit_error();
    }
  }
  if (!block.empty()) {
    segmenter.block(block);
  }
  if (builder.over_limit()) {
    return builder.limit_error();
  }

  domain::Book book;
  book.language =
      header.language ? *header.language : guess_language(builder.sample(kGuessSampleBytes));
  book.title = clean_paragraph(header.title, book.language);
  book.author = clean_paragraph(header.author, book.language);
  book.chapters = builder.finish(book.language);
  if (book.chapters.empty()) {
    return Error::invalid("the file has no text");
  }
  return book;
}

}  // namespace atelier::visiobook::ingest
