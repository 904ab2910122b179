// PDFs through poppler: a page with a text layer is read as text, exactly and at once; a page
// without (a scan) is rendered at 300 dpi in grey and recognised.
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "document.hpp"

namespace atelier::ocr::detail {

namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kScale = kPdfDpi / kPointsPerInch;  // PDF points to pixels of the render

std::string utf8(const poppler::ustring& text) {
  const auto bytes = text.to_utf8();
  return {bytes.begin(), bytes.end()};
}

// Code points that are not white space: how much text a layer really holds.
int visible_chars(std::string_view text) {
  int n = 0;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) != 0x80 && u != ' ' && u != '\n' && u != '\r' && u != '\t' && u != '\f') {
      ++n;
    }
  }
  return n;
}

// poppler's reading-order text: lines end with '\n' (some with "\r\n" or a form feed); trailing
// blanks are dropped so that the text compares equal to what was written.
std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\r' || c == '\f') {
      continue;
    }
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') {
        out.pop_back();
      }
    }
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  const auto first = out.find_first_not_of("\n ");
  return first == std::string::npos ? std::string() : out.substr(first);
}

int to_pixels(double points) {
  return static_cast<int>(std::lround(points * kScale));
}

Page text_layer_page(const poppler::page& page, std::string text, int width, int height) {
  Page out;
  out.text = clean_text(text);
  out.confidence = 100;
  out.width = width;
  out.height = height;
  out.from_text_layer = true;
  for (const auto& box : page.text_list()) {
    Word word;
    word.text = utf8(box.text());
    if (word.text.empty()) {
      continue;
    }
    const auto r = box.bbox();
    word.left = to_pixels(r.x());
    word.top = to_pixels(r.y());
    word.width = to_pixels(r.width());
    word.height = to_pixels(r.height());
    word.confidence = 100;
    out.words.push_back(std::move(word));
  }
  return out;
}

}  // namespace

Result<std::vector<Page>> read_pdf(std::span<const std::byte> bytes, const ReadContext& ctx) {
  const auto& limits = ctx.options.limits;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return too_large("the PDF is larger than poppler can read (2 GiB)");
  }
  // poppler reads the caller's bytes in place (no copy); they outlive the document.
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
  if (!doc) {
    return Error::invalid("corrupt PDF: it cannot be opened");
  }
  if (doc->is_locked()) {
    return Error::invalid("the PDF is protected by a password: upload it without the password");
  }
  const int count = doc->pages();
  if (count <= 0) {
    return Error::invalid("corrupt PDF: it has no pages");
  }
  if (count > limits.max_pages) {
    return too_large("the PDF has " + std::to_string(count) + " pages, beyond the limit of " +
                     std::to_string(limits.max_pages));
  }

  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);

  if (ctx.progress) {
    ctx.progress(Progress{.page = 0, .page_count = count});
  }
  std::vector<Page> pages;
  for (int index = 0; index < count; ++index) {
    if (ctx.stopped()) {
      return stopped_error();
    }
    const std::string where = "PDF page " + std::to_string(index + 1);
    std::unique_ptr<poppler::page> page(doc->create_page(index));
    if (!page) {
      return Error::invalid("corrupt PDF: " + where + " cannot be read");
    }
    const auto rect = page->page_rect(poppler::crop_box);
    double w = rect.width() * kScale;
    double h = rect.height() * kScale;
    if (page->orientation() == poppler::page::landscape ||
        page->orientation() == poppler::page::seascape) {
      std::swap(w, h);
    }
    if (!std::isfinite(w) || !std::isfinite(h) || w < 1 || h < 1) {
      return Error::invalid("corrupt PDF: " + where + " has no area");
    }
    if (w * h > static_cast<double>(limits.max_pixels)) {
      // Also refused when the page has a text layer: a page that size is not a document page.
      return too_large(where + " would be " + std::to_string(std::lround(w)) + "x" +
                       std::to_string(std::lround(h)) + " pixels at " + std::to_string(kPdfDpi) +
                       " dpi, beyond the limit of " + std::to_string(limits.max_pixels));
    }
    const int width = static_cast<int>(std::lround(w));
    const int height = static_cast<int>(std::lround(h));

    std::string text =
        utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
    Page result;
    if (visible_chars(text) >= ctx.options.min_text_layer_chars) {
      result = text_layer_page(*page, std::move(text), width, height);
    } else {
      poppler::image image = renderer.render_page(page.get(), kPdfDpi, kPdfDpi);
      if (!image.is_valid() || image.format() != poppler::image::format_gray8) {
        return Error::invalid("corrupt PDF: " + where + " cannot be rendered");
      }
      const Raster raster{
          .data = reinterpret_cast<const unsigned char*>(image.const_data()),
          .width = image.width(),
          .height = image.height(),
          .bytes_per_pixel = 1,
          .bytes_per_line = image.bytes_per_row(),
      };
      auto recognised = ctx.recogniser.recognise(raster, kPdfDpi, ctx.deadline);
      if (!recognised) {
        return std::move(recognised).error();
      }
      result = std::move(*recognised);
    }
    result.number = index + 1;
    pages.push_back(std::move(result));
    if (ctx.progress) {
      ctx.progress(Progress{.page = index + 1, .page_count = count});
    }
  }
  return pages;
}

}  // namespace atelier::ocr::detail
