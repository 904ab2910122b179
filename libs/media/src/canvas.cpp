#include "canvas.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace atelier::media::detail {

namespace {

constexpr double kLineSpacing = 1.25;  // line height as a multiple of the font size

double text_width(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

// Byte length of the UTF-8 sequence that starts with `lead`.
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) {
    return 4;
  }
  if (lead >= 0xE0) {
    return 3;
  }
  if (lead >= 0xC0) {
    return 2;
  }
  return 1;
}

// Appends `word` to `lines`, cutting it between characters where it is wider than a line.
void push_long_word(cairo_t* cr, const std::string& word, double max_width,
                    std::vector<std::string>& lines) {
  std::string piece;
  for (size_t i = 0; i < word.size();) {
    const size_t n = std::min(utf8_length(static_cast<unsigned char>(word[i])), word.size() - i);
    const std::string next = piece + word.substr(i, n);
    if (!piece.empty() && text_width(cr, next) > max_width) {
      lines.push_back(piece);
      piece = word.substr(i, n);
    } else {
      piece = next;
    }
    i += n;
  }
  if (!piece.empty()) {
    lines.push_back(piece);
  }
}

std::vector<std::string> split_words(std::string_view paragraph) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < paragraph.size()) {
    while (i < paragraph.size() && (paragraph[i] == ' ' || paragraph[i] == '\t')) {
      ++i;
    }
    size_t j = i;
    while (j < paragraph.size() && paragraph[j] != ' ' && paragraph[j] != '\t') {
      ++j;
    }
    if (j > i) {
      words.emplace_back(paragraph.substr(i, j - i));
    }
    i = j;
  }
  return words;
}

}  // namespace

Result<void> check_image(const Image& image, const char* what) {
  if (image.width <= 0 || image.height <= 0 || image.width > kMaxSide || image.height > kMaxSide) {
    return Error::invalid(std::string(what) + ": the size must be 1.." + std::to_string(kMaxSide) +
                          " pixels a side, got " + std::to_string(image.width) + "x" +
                          std::to_string(image.height));
  }
  if (image.bgra.size() != static_cast<size_t>(image.width) * image.height * 4) {
    return Error::invalid(std::string(what) + ": expected width * height * 4 bytes of BGRA");
  }
  return {};
}

Result<SurfacePtr> new_surface(int width, int height) {
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("cairo: ") +
                           cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return surface;
}

Result<SurfacePtr> surface_from_image(const Image& image) {
  if (auto checked = check_image(image, "image"); !checked) {
    return std::move(checked).error();
  }
  auto surface = new_surface(image.width, image.height);
  if (!surface) {
    return surface;
  }
  cairo_surface_t* s = surface->get();
  cairo_surface_flush(s);
  unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  const size_t row = static_cast<size_t>(image.width) * 4;
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(data + static_cast<size_t>(y) * stride, image.bgra.data() + y * row, row);
  }
  cairo_surface_mark_dirty(s);
  return surface;
}

Image image_from_surface(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  Image image;
  image.width = cairo_image_surface_get_width(surface);
  image.height = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const size_t row = static_cast<size_t>(image.width) * 4;
  image.bgra.resize(row * image.height);
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(image.bgra.data() + y * row, data + static_cast<size_t>(y) * stride, row);
  }
  return image;
}

ContextPtr new_context(cairo_surface_t* surface) {
  ContextPtr cr(cairo_create(surface));
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_set_font_options(cr.get(), options);
  cairo_font_options_destroy(options);
  return cr;
}

std::vector<std::string> wrap_text(cairo_t* cr, const std::string& text, double max_width) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line;
    for (const auto& word : split_words(std::string_view(text).substr(start, end - start))) {
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (text_width(cr, candidate) <= max_width) {
        line = candidate;
        continue;
      }
      if (!line.empty()) {
        lines.push_back(line);
        line.clear();
      }
      if (text_width(cr, word) <= max_width) {
        line = word;
      } else {
        push_long_word(cr, word, max_width, lines);
        line = lines.back();
        lines.pop_back();
      }
    }
    if (!line.empty()) {
      lines.push_back(line);
    }
    start = end + 1;
  }
  return lines;
}

TextBlock fit_text(cairo_t* cr, const std::string& text, double max_width, double max_height,
                   double size, double min_size) {
  TextBlock block;
  for (block.size = size;; block.size = std::max(min_size, block.size * 0.9)) {
    cairo_set_font_size(cr, block.size);
    block.line_height = block.size * kLineSpacing;
    block.lines = wrap_text(cr, text, max_width);
    if (block.lines.size() * block.line_height <= max_height || block.size <= min_size) {
      break;
    }
  }
  const auto room = static_cast<size_t>(std::max(1.0, max_height / block.line_height));
  if (block.lines.size() > room) {
    block.lines.resize(room);
    std::string& last = block.lines.back();
    while (!last.empty() && text_width(cr, last + "…") > max_width) {
      while (!last.empty() && (static_cast<unsigned char>(last.back()) & 0xC0) == 0x80) {
        last.pop_back();  // continuation bytes of the last character
      }
      if (!last.empty()) {
        last.pop_back();  // its first byte
      }
    }
    last += "…";
  }
  return block;
}

}  // namespace atelier::media::detail
