// Ingestion: the bytes of a book (plain text, EPUB, or the text of a PDF / OCR'd pages) become a
// domain::Book of cleaned chapters and paragraphs. Pure functions over memory: the service reads
// files and runs OCR; malformed input is an Error (kInvalid) whose message names the reason.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::ingest {

enum class SourceFormat { kPlainText, kEpub, kPdf };

struct Limits {
  std::size_t max_input_bytes = 64u << 20;  // larger inputs are refused before any parsing
  std::size_t max_paragraphs = 200'000;
};

// Which format the bytes are, from their content (zip + EPUB mimetype, %PDF-, else text).
SourceFormat detect_format(std::string_view bytes);

// Text encodings: valid UTF-8 stays as is (a BOM is dropped); anything else is read as
// Windows-1252 (a superset of Latin-1 for printable text) and converted to UTF-8.
std::string to_utf8(std::string_view bytes);

// Cleaning of raw text lines, shared by every format: ligatures (ﬁ → fi), line-end hyphenation
// joined, running headers/footers and page numbers dropped, quotes and dialogue dashes
// normalised (« », —), whitespace collapsed.
std::string clean_paragraph(std::string_view text, domain::Language language);

// Plain text: paragraphs separated by blank lines (or one per line when the file has long lines
// and no blank lines), chapter headings recognised ("CHAPTER I", "Chapitre 3", "II.", ...).
Result<domain::Book> read_text(std::string_view bytes, const Limits& limits = {});

// EPUB 2/3: container.xml → OPF → spine order; each XHTML item to paragraphs; <h1>-<h3> become
// chapter titles; dc:title, dc:creator and dc:language fill the book's metadata.
Result<domain::Book> read_epub(std::string_view bytes, const Limits& limits = {});

// Pages of text in order (a PDF's text layer or OCR output, one string per page): page furniture
// (repeated first/last lines, page numbers) removed, paragraphs re-flowed across page breaks.
Result<domain::Book> read_pages(const std::vector<std::string>& pages, const Limits& limits = {});

// The PDF's text layer, one string per page (poppler). An Error when the file is not a PDF, is
// encrypted, or has no page; pages without text come back empty (the caller may OCR them).
Result<std::vector<std::string>> pdf_pages(std::string_view bytes);
// The same, refusing inputs above limits.max_input_bytes before parsing.
Result<std::vector<std::string>> pdf_pages(std::string_view bytes, const Limits& limits);

// A PDF's text layer read as pages (read_pages), with the document's Title and Author.
Result<domain::Book> read_pdf(std::string_view bytes, const Limits& limits = {});

// Any supported book: detect_format, then read_epub, read_pdf or read_text.
Result<domain::Book> read_book(std::string_view bytes, const Limits& limits = {});

// Language guess from stop-word frequencies (French vs English).
domain::Language guess_language(std::string_view text);

}  // namespace atelier::visiobook::ingest
