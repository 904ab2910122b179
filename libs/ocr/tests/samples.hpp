// Known text drawn with cairo into the formats the reader takes (PNG, JPEG, TIFF, PDF with and
// without a text layer), hand-written PDFs for hostile cases, and the character error rate that
// measures how well the text came back. Shared by the tests and the OCR benchmark.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::ocr::samples {

// A page of text: lines drawn top to bottom in DejaVu Serif, black on white.
struct Sheet {
  std::vector<std::string> lines;
  double width_pt = 595;  // A4 by default
  double height_pt = 842;
  double font_pt = 12;
  double margin_pt = 36;
};

// The French paragraph of the brief (accents, a date, an amount in euros) on a few lines.
std::vector<std::string> french_lines();
std::vector<std::string> english_lines();
// A sheet just tall enough for `lines`.
Sheet small_sheet(std::vector<std::string> lines);
// A full A4 page: French and English paragraphs alternating, about 2,500 characters.
Sheet a4_sheet();
// The text as drawn: lines joined by '\n'.
std::string text_of(const Sheet& sheet);

std::vector<std::byte> png(const Sheet& sheet, int dpi = 300);
std::vector<std::byte> jpeg(const Sheet& sheet, int dpi = 300);
// Every sheet a frame, thresholded to 1 bit and compressed G4 like a scanner's output.
std::vector<std::byte> tiff(const std::vector<Sheet>& sheets, int dpi = 300);
// Text drawn as text: a PDF with a text layer.
std::vector<std::byte> text_pdf(const std::vector<Sheet>& sheets);
// The sheets drawn as 300 dpi images: a PDF without a text layer, like a scan.
std::vector<std::byte> scanned_pdf(const std::vector<Sheet>& sheets);

// A PDF written object by object (object i + 1 is objects[i]) with a correct cross-reference
// table; `trailer` is added inside the trailer dictionary (/Root is object 1).
std::vector<std::byte> pdf_from_objects(const std::vector<std::string>& objects,
                                        std::string_view trailer = {});

// Where the first occurrence of `word` was inked, in pixels at `dpi`.
struct Box {
  double left = 0;
  double top = 0;
  double width = 0;
  double height = 0;
};
std::optional<Box> locate(const Sheet& sheet, std::string_view word, int dpi = 300);

// Levenshtein distance over code points divided by the expected length, once runs of white
// space are folded into one space on both sides.
double character_error_rate(std::string_view expected, std::string_view actual);

std::vector<std::byte> bytes_of(std::string_view text);
// The CRC-32 of PNG chunks, to forge a PNG header that still checks.
unsigned long crc32(const unsigned char* data, size_t size);

}  // namespace atelier::ocr::samples
