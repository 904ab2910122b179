// The printable storyboard: an A4 landscape PDF written to memory, a heading on every page and
// the panels in a grid, each with its caption and scene notes under it.
#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "atelier/media/panel.hpp"
#include "canvas.hpp"

namespace atelier::media {

namespace {

constexpr double kPageWidth = 841.89;  // A4 landscape, in points
constexpr double kPageHeight = 595.28;
constexpr double kMargin = 28;
constexpr double kHeadingHeight = 30;
constexpr double kGutter = 14;
constexpr int kMaxPerPage = 12;

// Columns and rows for n panels a page: as square a grid as the landscape page allows.
void grid(int n, int& cols, int& rows) {
  cols = static_cast<int>(std::ceil(std::sqrt(n * 1.4)));
  cols = std::clamp(cols, 1, n);
  rows = (n + cols - 1) / cols;
}

void draw_heading(cairo_t* cr, const std::string& title, int page, int pages) {
  cairo_select_font_face(cr, detail::kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  const std::string number = std::to_string(page) + " / " + std::to_string(pages);
  cairo_set_font_size(cr, 11);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, number.c_str(), &ext);
  const double baseline = kMargin + 16;
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.38);
  cairo_move_to(cr, kPageWidth - kMargin - ext.x_advance, baseline);
  cairo_show_text(cr, number.c_str());

  const double room = kPageWidth - 2 * kMargin - ext.x_advance - 20;
  const auto block = detail::fit_text(cr, title, room, 20, 16, 9);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
  cairo_move_to(cr, kMargin, baseline);
  if (!block.lines.empty()) {
    cairo_show_text(cr, block.lines.front().c_str());
  }
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, kMargin, kMargin + kHeadingHeight - 4);
  cairo_line_to(cr, kPageWidth - kMargin, kMargin + kHeadingHeight - 4);
  cairo_stroke(cr);
}

// Lines of wrapped text from `y` down, at most `max_height` tall; returns the y after them.
double draw_lines(cairo_t* cr, const std::string& text, double x, double y, double width,
                  double max_height, double size) {
  if (text.empty() || max_height <= 0) {
    return y;
  }
  const auto block = detail::fit_text(cr, text, width, max_height, size, size * 0.75);
  cairo_font_extents_t font;
  cairo_font_extents(cr, &font);
  for (const auto& line : block.lines) {
    cairo_move_to(cr, x, y + font.ascent);
    cairo_show_text(cr, line.c_str());
    y += block.line_height;
  }
  return y;
}

Result<void> draw_entry(cairo_t* cr, const StoryboardEntry& entry, double x, double y, double w,
                        double h) {
  // The picture takes what the text leaves: at least 55 % of the cell, 16:9 at most.
  const double text_room = std::max(h * 0.3, 46.0);
  double image_h = std::min(h - text_room, w * 9 / 16);
  double image_w = w;
  if (entry.image != nullptr) {
    auto surface = detail::surface_from_image(*entry.image);
    if (!surface) {
      return std::move(surface).error();
    }
    const double scale = std::min(w / entry.image->width, image_h / entry.image->height);
    image_w = entry.image->width * scale;
    image_h = entry.image->height * scale;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, surface->get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
  } else {  // a frame to draw in by hand
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.96);
    cairo_rectangle(cr, x, y, image_w, image_h);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_set_line_width(cr, 0.6);
  cairo_rectangle(cr, x, y, image_w, image_h);
  cairo_stroke(cr);

  double ty = y + image_h + 5;
  const double bottom = y + h;
  cairo_select_font_face(cr, detail::kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
  const double caption_room = entry.notes.empty() ? bottom - ty : (bottom - ty) * 0.55;
  ty = draw_lines(cr, entry.caption, x, ty, image_w, caption_room, 9);
  cairo_select_font_face(cr, detail::kFont, CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_source_rgb(cr, 0.38, 0.38, 0.42);
  draw_lines(cr, entry.notes, x, ty + 2, image_w, bottom - ty - 2, 8);
  return {};
}

}  // namespace

Result<std::string> storyboard_pdf(const std::string& title,
                                   const std::vector<StoryboardEntry>& entries, int per_page) {
  if (per_page < 1 || per_page > kMaxPerPage) {
    return Error::invalid("storyboard: per_page must be 1.." + std::to_string(kMaxPerPage) +
                          ", got " + std::to_string(per_page));
  }
  if (entries.empty()) {
    return Error::invalid("storyboard: no entries");
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].image != nullptr) {
      const std::string what = "storyboard entry " + std::to_string(i);
      if (auto checked = detail::check_image(*entries[i].image, what.c_str()); !checked) {
        return std::move(checked).error();
      }
    }
  }

  std::string bytes;
  const auto write = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  detail::SurfacePtr surface(
      cairo_pdf_surface_create_for_stream(write, &bytes, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("cairo PDF: ") +
                           cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Atelier VisioBook");
  detail::ContextPtr context = detail::new_context(surface.get());
  cairo_t* cr = context.get();

  int cols = 0;
  int rows = 0;
  grid(per_page, cols, rows);
  const int count = static_cast<int>(entries.size());
  const int pages = (count + per_page - 1) / per_page;
  const double top = kMargin + kHeadingHeight + 4;
  const double cell_w = (kPageWidth - 2 * kMargin - (cols - 1) * kGutter) / cols;
  const double cell_h = (kPageHeight - top - kMargin - (rows - 1) * kGutter) / rows;
  for (int page = 0; page < pages; ++page) {
    draw_heading(cr, title, page + 1, pages);
    for (int k = 0; k < per_page && page * per_page + k < count; ++k) {
      const double x = kMargin + (k % cols) * (cell_w + kGutter);
      const double y = top + (k / cols) * (cell_h + kGutter);
      auto drawn = draw_entry(cr, entries[page * per_page + k], x, y, cell_w, cell_h);
      if (!drawn) {
        return std::move(drawn).error();
      }
    }
    cairo_show_page(cr);
  }
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("cairo PDF: ") + cairo_status_to_string(cairo_status(cr)));
  }
  context.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("cairo PDF: ") +
                           cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return bytes;
}

}  // namespace atelier::media
