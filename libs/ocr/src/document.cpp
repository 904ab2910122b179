#include "document.hpp"

#include <leptonica/allheaders.h>
#include <poppler-global.h>

#include <mutex>
#include <string>

namespace atelier::ocr::detail {

namespace {

void ignore_poppler_message(const std::string& /*message*/, void* /*closure*/) {}

}  // namespace

void silence_libraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    setMsgSeverity(L_SEVERITY_NONE);
    poppler::set_debug_error_function(&ignore_poppler_message, nullptr);
  });
}

Error too_large(std::string message) {
  return {ErrorCode::kPayloadTooLarge, std::move(message), {}, {}};
}

Error stopped_error() {
  return Error::unavailable("the reader is shutting down");
}

Result<std::vector<Page>> read_document(std::span<const std::byte> bytes,
                                        std::string_view content_type, const ReadContext& ctx) {
  const auto& limits = ctx.options.limits;
  if (static_cast<std::int64_t>(bytes.size()) > limits.max_bytes) {
    return too_large("the document is " + std::to_string(bytes.size()) +
                     " bytes, beyond the limit of " + std::to_string(limits.max_bytes));
  }
  auto format = sniff(bytes, content_type);
  if (!format) {
    return std::move(format).error();
  }
  if (*format == Format::kPdf) {
    return read_pdf(bytes, ctx);
  }
  return read_image(bytes, *format, ctx);
}

}  // namespace atelier::ocr::detail
