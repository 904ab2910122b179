// Reading one document, page by page, with one engine: images decoded by Leptonica, PDFs opened
// by poppler (text layer when there is one, else rendered at 300 dpi). Every refusal of hostile
// or oversized input happens here, before anything large is decoded.
#pragma once

#include <atomic>
#include <span>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/ocr/reader.hpp"
#include "format.hpp"
#include "recogniser.hpp"

namespace atelier::ocr::detail {

// Resolution PDF pages are rendered at, and the unit of their word boxes.
inline constexpr int kPdfDpi = 300;

struct ReadContext {
  const ReaderOptions& options;
  Recogniser& recogniser;
  const ProgressFn& progress;
  Deadline deadline;

  bool stopped() const { return deadline.stop != nullptr && deadline.stop->load(); }
};

// Silences Leptonica and poppler, which would otherwise print every complaint about a malformed
// file to stderr; the complaint is returned as an Error instead. Once per process, thread-safe.
void silence_libraries();

Result<std::vector<Page>> read_document(std::span<const std::byte> bytes,
                                        std::string_view content_type, const ReadContext& ctx);

Result<std::vector<Page>> read_image(std::span<const std::byte> bytes, Format format,
                                     const ReadContext& ctx);
Result<std::vector<Page>> read_pdf(std::span<const std::byte> bytes, const ReadContext& ctx);

// Errors shared by both readers.
Error too_large(std::string message);
Error stopped_error();

}  // namespace atelier::ocr::detail
