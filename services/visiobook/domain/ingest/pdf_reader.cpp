// pdf_pages(): a PDF's text layer through poppler-cpp, page by page, in its physical layout (lines
// keep their indentation). read_pages(): pages of text (from a PDF or OCR) to a book.
//
// Page furniture: on each page, up to two lines at the top and two at the bottom are dropped
// when they are page numbers ("12", "— 12 —", "Page 12", "xii") or running headers/footers: a
// line whose text, digits aside, stands at the top (or the bottom) of at least two pages. A
// heading line counts as furniture only when repeated exactly. Limit: two pages that happen to
// start with the same line lose it.
//
// Re-flow: lines join into paragraphs across line and page breaks. A paragraph ends at a blank
// line, before an indented line (two columns or more beyond the page's margin), before a dialogue
// dash after a finished sentence, and after a short line (under 80% of the usual line length)
// ending a sentence. Headings start chapters; "* * *" lines are scene breaks.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "visiobook/domain/ingest/ingest.hpp"
#include "visiobook/domain/ingest/segment.hpp"

namespace atelier::visiobook::ingest {
namespace {

using detail::HeadingKind;
using detail::trim;

constexpr std::size_t kFurnitureLines = 2;
constexpr std::size_t kMinFurnitureRepeats = 2;
constexpr std::size_t kIndentColumns = 2;
constexpr std::size_t kGuessSampleBytes = 64u << 10;

struct Line {
  std::string_view text;  // trimmed; empty for a blank line
  std::size_t indent = 0;
};

std::vector<Line> page_lines(std::string_view page) {
  std::vector<Line> lines;
  for (const auto raw : detail::split_lines(page)) {
    Line line;
    line.text = trim(raw);
    while (line.indent < raw.size() && (raw[line.indent] == ' ' || raw[line.indent] == '\t')) {
      ++line.indent;
    }
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().text.empty()) {
    lines.pop_back();
  }
  const auto first =
      std::find_if(lines.begin(), lines.end(), [](const Line& l) { return !l.text.empty(); });
  lines.erase(lines.begin(), first);
  return lines;
}

// The line as a running header or footer: lower case, digits and spaces dropped (the page
// number changes from page to page); a heading keeps its number.
std::string furniture_key(std::string_view text) {
  if (detail::heading_kind(text) != HeadingKind::kNone) {
    return detail::lower(text);
  }
  std::string key;
  bool letter = false;
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    const char32_t cp = detail::decode_at(text, i, len);
    if ((cp >= '0' && cp <= '9') || detail::is_space(cp)) {
      continue;
    }
    letter = letter || detail::is_letter(cp);
    detail::append_utf8(key, detail::to_lower(cp));
  }
  return letter ? key : std::string();
}

// Indices of the first (or last) `kFurnitureLines` non-blank lines of a page.
std::vector<std::size_t> edge_lines(const std::vector<Line>& lines, bool top) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < lines.size() && out.size() < kFurnitureLines; ++k) {
    const std::size_t i = top ? k : lines.size() - 1 - k;
    if (!lines[i].text.empty()) {
      out.push_back(i);
    }
  }
  return out;
}

using KeyCounts = std::unordered_map<std::string, std::size_t>;

KeyCounts count_edge_keys(const std::vector<std::vector<Line>>& pages, bool top) {
  KeyCounts counts;
  for (const auto& lines : pages) {
    std::unordered_set<std::string> seen;
    for (const std::size_t i : edge_lines(lines, top)) {
      std::string key = furniture_key(lines[i].text);
      if (!key.empty() && seen.insert(key).second) {
        ++counts[key];
      }
    }
  }
  return counts;
}

bool is_furniture(std::string_view text, const KeyCounts& counts) {
  if (detail::is_page_number(text)) {
    return true;
  }
  const auto it = counts.find(furniture_key(text));
  return it != counts.end() && it->second >= kMinFurnitureRepeats;
}

void strip_furniture(std::vector<Line>& lines, const KeyCounts& top, const KeyCounts& bottom) {
  for (std::size_t n = 0; n < kFurnitureLines && !lines.empty(); ++n) {
    if (!is_furniture(lines.front().text, top)) {
      break;
    }
    lines.erase(lines.begin());
    while (!lines.empty() && lines.front().text.empty()) {
      lines.erase(lines.begin());
    }
  }
  for (std::size_t n = 0; n < kFurnitureLines && !lines.empty(); ++n) {
    if (!is_furniture(lines.back().text, bottom)) {
      break;
    }
    lines.pop_back();
    while (!lines.empty() && lines.back().text.empty()) {
      lines.pop_back();
    }
  }
}

bool ends_sentence(std::string_view text) {
  std::size_t len = 0;
  const char32_t last = detail::decode_before(text, text.size(), len);
  return last == '.' || last == '!' || last == '?' || last == ':' || last == '"' || last == ')' ||
         last == 0x2026 || last == 0xBB || last == 0x201D || last == 0x2019;
}

bool starts_with_dialogue_dash(std::string_view text) {
  return text.starts_with("\xE2\x80\x94") || text.starts_with("\xE2\x80\x93") ||
         text.starts_with("- ");
}

std::string join_lines(const std::vector<std::string_view>& lines) {
  std::string out;
  for (const auto line : lines) {
    if (!out.empty()) {
      out += '\n';
    }
    out += line;
  }
  return out;
}

// The usual length of a full line, in code points: the 75th percentile of the lines' lengths.
std::size_t usual_line_length(const std::vector<std::vector<Line>>& pages) {
  std::vector<std::size_t> lengths;
  for (const auto& lines : pages) {
    for (const auto& line : lines) {
      if (!line.text.empty()) {
        lengths.push_back(detail::code_points(line.text));
      }
    }
  }
  if (lengths.empty()) {
    return 0;
  }
  const std::size_t at = lengths.size() * 3 / 4;
  std::nth_element(lengths.begin(), lengths.begin() + static_cast<std::ptrdiff_t>(at),
                   lengths.end());
  return lengths[at];
}

struct PdfDeleter {
  void operator()(poppler::document* document) const { delete document; }
};

std::string to_string(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

Result<std::unique_ptr<poppler::document, PdfDeleter>> load_pdf(std::string_view bytes,
                                                                const Limits& limits) {
  if (auto size = detail::check_input_size(bytes.size(), limits); !size.ok()) {
    return std::move(size).error();
  }
  if (detect_format(bytes) != SourceFormat::kPdf) {
    return Error::invalid("the file is not a PDF");
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return detail::over_limit_error("the file", bytes.size(), static_cast<std::size_t>(INT_MAX),
                                    "the PDF reader's limit");
  }
  std::unique_ptr<poppler::document, PdfDeleter> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!document) {
    return Error::invalid("the PDF is damaged or unreadable");
  }
  if (document->is_locked()) {
    return Error::invalid("the PDF is encrypted");
  }
  if (document->pages() <= 0) {
    return Error::invalid("the PDF has no pages");
  }
  return document;
}

std::vector<std::string> text_of_pages(poppler::document& document) {
  std::vector<std::string> pages;
  pages.reserve(static_cast<std::size_t>(document.pages()));
  for (int i = 0; i < document.pages(); ++i) {
    const std::unique_ptr<poppler::page> page(document.create_page(i));
    std::string text;
    if (page) {
      text = to_string(page->text(poppler::rectf(), poppler::page::physical_layout));
    }
    if (trim(text).empty()) {
      text.clear();
    }
    while (!text.empty() && (text.back() == '\f' || text.back() == '\n')) {
      text.pop_back();
    }
    pages.push_back(std::move(text));
  }
  return pages;
}

}  // namespace

Result<std::vector<std::string>> pdf_pages(std::string_view bytes) {
  return pdf_pages(bytes, Limits{});
}

Result<std::vector<std::string>> pdf_pages(std::string_view bytes, const Limits& limits) {
  auto document = load_pdf(bytes, limits);
  if (!document.ok()) {
    return std::move(document).error();
  }
  return text_of_pages(**document);
}

Result<domain::Book> read_pdf(std::string_view bytes, const Limits& limits) {
  auto document = load_pdf(bytes, limits);
  if (!document.ok()) {
    return std::move(document).error();
  }
  auto book = read_pages(text_of_pages(**document), limits);
  if (!book.ok()) {
    return book;
  }
  book->title = clean_paragraph(to_string((*document)->get_title()), book->language);
  book->author = clean_paragraph(to_string((*document)->get_author()), book->language);
  return book;
}

Result<domain::Book> read_pages(const std::vector<std::string>& pages, const Limits& limits) {
  if (pages.empty()) {
    return Error::invalid("there are no pages");
  }
  std::size_t total = 0;
  for (const auto& page : pages) {
    total += page.size();
  }
  if (total > limits.max_input_bytes) {
    return detail::over_limit_error("the pages' text", total, limits.max_input_bytes,
                                    "max_input_bytes");
  }

  std::vector<std::vector<Line>> lines;
  lines.reserve(pages.size());
  for (const auto& page : pages) {
    lines.push_back(page_lines(page));
  }
  const KeyCounts top = count_edge_keys(lines, true);
  const KeyCounts bottom = count_edge_keys(lines, false);
  for (auto& page : lines) {
    strip_furniture(page, top, bottom);
  }
  const std::size_t usual = usual_line_length(lines);

  detail::BookBuilder builder(limits);
  std::vector<std::string_view> paragraph;
  const auto flush = [&] {
    if (!paragraph.empty()) {
      builder.paragraph(join_lines(paragraph));
      paragraph.clear();
    }
  };
  for (const auto& page : lines) {
    std::size_t margin = SIZE_MAX;
    for (const auto& line : page) {
      if (!line.text.empty()) {
        margin = std::min(margin, line.indent);
      }
    }
    for (const auto& line : page) {
      if (line.text.empty()) {
        flush();
        continue;
      }
      if (detail::is_separator(line.text)) {
        flush();
        builder.scene_break();
        continue;
      }
      if (const HeadingKind kind = detail::heading_kind(line.text); kind != HeadingKind::kNone) {
        flush();
        builder.heading(std::string(line.text), kind);
        continue;
      }
      const bool indented = line.indent >= margin + kIndentColumns;
      const bool dialogue = starts_with_dialogue_dash(line.text) &&
                            (paragraph.empty() || ends_sentence(paragraph.back()));
      if (indented || dialogue) {
        flush();
      }
      paragraph.push_back(line.text);
      if (ends_sentence(line.text) && detail::code_points(line.text) * 10 < usual * 8) {
        flush();
      }
      if (builder.over_limit()) {
        return builder.limit_error();
      }
    }
  }
  flush();
  if (builder.over_limit()) {
    return builder.limit_error();
  }

  domain::Book book;
  book.language = guess_language(builder.sample(kGuessSampleBytes));
  book.chapters = builder.finish(book.language);
  if (book.chapters.empty()) {
    return Error::invalid("the pages have no text (scanned pages need OCR first)");
  }
  return book;
}

Result<domain::Book> read_book(std::string_view bytes, const Limits& limits) {
  switch (detect_format(bytes)) {
    case SourceFormat::kEpub:
      return read_epub(bytes, limits);
    case SourceFormat::kPdf:
      return read_pdf(bytes, limits);
    case SourceFormat::kPlainText:
      break;
  }
  return read_text(bytes, limits);
}

}  // namespace atelier::visiobook::ingest
