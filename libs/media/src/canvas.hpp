// cairo plumbing shared by the panels, the storyboard PDF and the video frames: owning handles,
// Image <-> cairo surface, and word wrapping with cairo's toy text API.
#pragma once

#include <cairo.h>

#include <memory>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/media/panel.hpp"

namespace atelier::media::detail {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

inline constexpr int kMaxSide = 8192;
inline constexpr const char* kFont = "DejaVu Sans";

// An Error (kInvalid) unless the image has a size within kMaxSide and exactly w * h * 4 bytes.
Result<void> check_image(const Image& image, const char* what);

// A fresh ARGB32 surface, or an Error (kInternal) when cairo cannot allocate it.
Result<SurfacePtr> new_surface(int width, int height);

// A cairo surface holding a copy of the image's pixels (checked with check_image first).
Result<SurfacePtr> surface_from_image(const Image& image);

// The pixels of an ARGB32 surface, flushed, with the stride squeezed to width * 4.
Image image_from_surface(cairo_surface_t* surface);

// A context on the surface, with greyscale antialiasing for text (no subpixel colour fringes).
ContextPtr new_context(cairo_surface_t* surface);

// `text` broken into lines no wider than `max_width` with the context's current font; words
// wider than a line are cut between characters (UTF-8 aware). Explicit '\n' starts a line.
std::vector<std::string> wrap_text(cairo_t* cr, const std::string& text, double max_width);

// Text that fits in `max_width` x `max_height`: the font size is reduced from `size` down to
// `min_size` until the wrapped lines fit; past that the last line is cut with an ellipsis.
// Leaves the chosen size selected on the context.
struct TextBlock {
  std::vector<std::string> lines;
  double size = 0;
  double line_height = 0;
};
TextBlock fit_text(cairo_t* cr, const std::string& text, double max_width, double max_height,
                   double size, double min_size);

}  // namespace atelier::media::detail
