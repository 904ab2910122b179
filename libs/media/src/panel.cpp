// Storyboard panels: a background for the kind of place and the time of day, tinted with the mood
// palette; labelled figures standing left to right; a title and a wrapped caption; three styles
// (pencil sketch, flat comic, greyscale noir). Everything random comes from the spec's seed.
#include "atelier/media/panel.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "canvas.hpp"

namespace atelier::media {

namespace {

using detail::ContextPtr;
using detail::kFont;
using detail::SurfacePtr;

constexpr double kPi = std::numbers::pi;
constexpr double kCaptionBand = 0.17;   // caption band height as a share of the panel height
constexpr double kSafeMargin = 0.05;    // text keeps this share of the width from the sides
constexpr double kFeet = 0.9;           // where figures stand, as a share of the scene height
constexpr double kFigureHeight = 0.55;  // an adult's height, as a share of the scene height
constexpr Rgb kPaper{0.97, 0.95, 0.89};
constexpr Rgb kInk{0.22, 0.2, 0.19};
constexpr Rgb kBlack{0.0, 0.0, 0.0};
constexpr Rgb kWhite{1.0, 1.0, 1.0};

// xorshift32: small, fast and the same everywhere, so that a seed always draws the same details.
class Rng {
 public:
  explicit Rng(uint32_t seed) : state_(seed * 2654435761u + 0x9E3779B9u) {
    if (state_ == 0) {
      state_ = 0x6D2B79F5u;
    }
    for (int i = 0; i < 4; ++i) {
      next();
    }
  }
  uint32_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * (next() / 4294967296.0); }

 private:
  uint32_t state_;
};

double clamp01(double v) {
  return v >= 0 ? std::min(v, 1.0) : 0.0;
}  // NaN becomes 0
Rgb clamp(Rgb c) {
  return {clamp01(c.r), clamp01(c.g), clamp01(c.b)};
}
Rgb mix(Rgb a, Rgb b, double t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}
Rgb shade(Rgb c, double k) {
  return clamp({c.r * k, c.g * k, c.b * k});
}
double luma(Rgb c) {
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}
Rgb saturate(Rgb c, double k) {
  const double l = luma(c);
  return clamp({l + (c.r - l) * k, l + (c.g - l) * k, l + (c.b - l) * k});
}

// The scene's geometry: the panel above the caption band, and a scale for strokes and text.
struct Scene {
  double w = 0;
  double h = 0;  // scene height: the panel less the caption band
  double s = 1;  // 1 at 600 pixels on the short side
  double horizon = 0;
  double feet = 0;
};

// Styled drawing: every colour goes through tone() and every outline through outline().
class Painter {
 public:
  Painter(cairo_t* cr, const PanelSpec& spec, const Scene& scene, Rng& rng)
      : cr_(cr), spec_(spec), scene_(scene), rng_(rng) {}

  cairo_t* cr() const { return cr_; }
  PanelStyle style() const { return spec_.style; }
  const Scene& scene() const { return scene_; }
  Rng& rng() { return rng_; }

  // How much of the mood palette colours the background: a hint only in noir.
  double tint() const { return spec_.style == PanelStyle::kNoir ? 0.1 : 0.28; }
  Rgb primary(Rgb base, double k = 1) const { return mix(base, clamp(spec_.primary), tint() * k); }
  Rgb secondary(Rgb base, double k = 1) const {
    return mix(base, clamp(spec_.secondary), tint() * k);
  }

  Rgb tone(Rgb c) const {
    c = clamp(c);
    switch (spec_.style) {
      case PanelStyle::kSketch:
        return mix(saturate(c, 0.7), kPaper, 0.22);
      case PanelStyle::kComic:
        return saturate(c, 1.35);
      case PanelStyle::kNoir: {
        const double l = clamp01((luma(c) - 0.45) * 1.4 + 0.5);
        return {l, l, l};
      }
    }
    return c;
  }

  void source(Rgb c, double alpha = 1) {
    const Rgb t = tone(c);
    cairo_set_source_rgba(cr_, t.r, t.g, t.b, alpha);
  }

  void add_stop(cairo_pattern_t* p, double offset, Rgb c, double alpha = 1) const {
    const Rgb t = tone(c);
    cairo_pattern_add_color_stop_rgba(p, offset, t.r, t.g, t.b, alpha);
  }

  double outline_width() const {
    switch (spec_.style) {
      case PanelStyle::kSketch:
        return 1.3 * scene_.s;
      case PanelStyle::kComic:
        return 3.5 * scene_.s;
      case PanelStyle::kNoir:
        return 2.0 * scene_.s;
    }
    return scene_.s;
  }

  // Fills the current path, then outlines it (weight 0: no outline) and clears it.
  void fill(Rgb c, double weight = 1, double alpha = 1) {
    source(c, alpha);
    if (weight <= 0) {
      cairo_fill(cr_);
      return;
    }
    cairo_fill_preserve(cr_);
    outline(weight);
  }

  // Strokes the current path in the style's ink and clears it. Sketches go over it twice,
  // slightly off, like a pencil.
  // Pencil grey for sketches, black, or a moonlit grey rim for noir nights.
  Rgb ink() const {
    if (spec_.style == PanelStyle::kSketch) {
      return kInk;
    }
    if (spec_.style == PanelStyle::kNoir && spec_.time == TimeOfDay::kNight) {
      return {0.6, 0.6, 0.6};
    }
    return kBlack;
  }

  void outline(double weight = 1) {
    const Rgb ink = this->ink();
    cairo_set_source_rgb(cr_, ink.r, ink.g, ink.b);
    cairo_set_line_width(cr_, outline_width() * weight);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
    if (spec_.style != PanelStyle::kSketch) {
      cairo_stroke(cr_);
      return;
    }
    cairo_path_t* path = cairo_copy_path(cr_);
    cairo_stroke(cr_);
    cairo_save(cr_);
    cairo_translate(cr_, rng_.uniform(-1.5, 1.5) * scene_.s, rng_.uniform(-1.5, 1.5) * scene_.s);
    cairo_append_path(cr_, path);
    cairo_set_source_rgba(cr_, ink.r, ink.g, ink.b, 0.45);
    cairo_set_line_width(cr_, outline_width() * weight * 0.7);
    cairo_stroke(cr_);
    cairo_restore(cr_);
    cairo_path_destroy(path);
  }

  // A thick line drawn as a limb: an outline under a coloured stroke.
  void limb(double x0, double y0, double x1, double y1, double width, Rgb c) {
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
    const Rgb ink = this->ink();
    cairo_move_to(cr_, x0, y0);
    cairo_line_to(cr_, x1, y1);
    cairo_set_source_rgb(cr_, ink.r, ink.g, ink.b);
    cairo_set_line_width(cr_, width + 2 * outline_width());
    cairo_stroke(cr_);
    cairo_move_to(cr_, x0, y0);
    cairo_line_to(cr_, x1, y1);
    source(c);
    cairo_set_line_width(cr_, width);
    cairo_stroke(cr_);
  }

 private:
  cairo_t* cr_;
  const PanelSpec& spec_;
  const Scene& scene_;
  Rng& rng_;
};

// ---- sky, sun, moon and stars ----

struct Sky {
  Rgb top;
  Rgb bottom;
};

Sky sky_colours(TimeOfDay time) {
  switch (time) {
    case TimeOfDay::kDay:
      return {{0.38, 0.62, 0.92}, {0.78, 0.88, 0.98}};
    case TimeOfDay::kDusk:
      return {{0.3, 0.22, 0.48}, {0.98, 0.6, 0.36}};
    case TimeOfDay::kNight:
      return {{0.02, 0.04, 0.13}, {0.1, 0.14, 0.3}};
  }
  return {};
}

// Sky in the box (x, y, w, h) with its sun or moon and stars; `small` for a window's view.
void draw_sky(Painter& p, TimeOfDay time, double x, double y, double w, double h, bool small) {
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  const Sky sky = sky_colours(time);
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, y, 0, y + h);
  p.add_stop(gradient, 0, p.primary(sky.top));
  p.add_stop(gradient, 1, p.primary(sky.bottom, 0.5));
  cairo_rectangle(cr, x, y, w, h);
  cairo_set_source(cr, gradient);
  cairo_fill(cr);
  cairo_pattern_destroy(gradient);

  const double r = std::min(w, h) * (small ? 0.14 : 0.09);
  const double cx = x + w * rng.uniform(0.2, 0.8);
  if (time == TimeOfDay::kNight) {
    const int stars = small ? 8 : 70;
    for (int i = 0; i < stars; ++i) {
      cairo_arc(cr, x + rng.uniform(0, w), y + rng.uniform(0, h * 0.85),
                p.scene().s * rng.uniform(0.6, 1.8), 0, 2 * kPi);
      p.fill({1.0, 0.97, 0.85}, 0, rng.uniform(0.5, 1.0));
    }
    const double cy = y + h * 0.28;
    cairo_push_group(cr);  // a crescent: a disc less an offset disc
    cairo_arc(cr, cx, cy, r, 0, 2 * kPi);
    p.fill({0.97, 0.95, 0.82}, 0);
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
    cairo_arc(cr, cx + r * 0.45, cy - r * 0.2, r * 0.85, 0, 2 * kPi);
    cairo_fill(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    cairo_pop_group_to_source(cr);
    cairo_paint(cr);
    return;
  }
  const bool dusk = time == TimeOfDay::kDusk;
  const double cy = dusk ? y + h * 0.85 : y + h * 0.25;
  const Rgb sun = dusk ? Rgb{1.0, 0.55, 0.25} : Rgb{1.0, 0.93, 0.55};
  const double radius = dusk ? r * 1.5 : r;
  cairo_pattern_t* glow = cairo_pattern_create_radial(cx, cy, radius, cx, cy, radius * 3);
  p.add_stop(glow, 0, sun, 0.45);
  p.add_stop(glow, 1, sun, 0);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  cairo_arc(cr, cx, cy, radius * 3, 0, 2 * kPi);
  cairo_set_source(cr, glow);
  cairo_fill(cr);
  cairo_arc(cr, cx, cy, radius, 0, 2 * kPi);
  p.fill(sun, 0);
  cairo_restore(cr);
  cairo_pattern_destroy(glow);
}

// How light the land is at a time of day: noir nights are moonlit, or nothing would show.
double daylight(TimeOfDay time, PanelStyle style) {
  switch (time) {
    case TimeOfDay::kDay:
      return 1.0;
    case TimeOfDay::kDusk:
      return 0.75;
    case TimeOfDay::kNight:
      return style == PanelStyle::kNoir ? 0.75 : 0.4;
  }
  return 1.0;
}

// Ground from y to the bottom of the scene, lighter at the horizon.
void draw_ground(Painter& p, double y, Rgb colour, double light) {
  const Scene& sc = p.scene();
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, y, 0, sc.h);
  p.add_stop(gradient, 0, p.secondary(shade(colour, light * 1.1)));
  p.add_stop(gradient, 1, p.secondary(shade(colour, light * 0.8)));
  cairo_rectangle(p.cr(), 0, y, sc.w, sc.h - y);
  cairo_set_source(p.cr(), gradient);
  cairo_fill(p.cr());
  cairo_pattern_destroy(gradient);
  cairo_move_to(p.cr(), 0, y);
  cairo_line_to(p.cr(), sc.w, y);
  p.outline(0.8);
}

// A wavy band of hills from `y` (mean crest) to the bottom of the scene.
void draw_hills(Painter& p, double y, double amplitude, int humps, Rgb colour) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  cairo_move_to(cr, -10, sc.h + 10);
  double x = -10;
  double prev = y + rng.uniform(-amplitude, amplitude);
  cairo_line_to(cr, x, prev);
  const double step = (sc.w + 20) / humps;
  for (int i = 0; i < humps; ++i) {
    const double next = y + rng.uniform(-amplitude, amplitude);
    cairo_curve_to(cr, x + step * 0.4, prev - amplitude, x + step * 0.6, next - amplitude, x + step,
                   next);
    x += step;
    prev = next;
  }
  cairo_line_to(cr, sc.w + 10, sc.h + 10);
  cairo_close_path(cr);
  p.fill(colour, 0.8);
}

void draw_tree(Painter& p, double x, double base, double height, Rgb leaves, Rgb trunk,
               bool conifer) {
  cairo_t* cr = p.cr();
  const double tw = height * 0.08;
  cairo_rectangle(cr, x - tw / 2, base - height * 0.35, tw, height * 0.35);
  p.fill(trunk, 0.8);
  if (conifer) {
    for (int tier = 0; tier < 3; ++tier) {
      const double top = base - height + tier * height * 0.2;
      const double bottom = base - height * (0.45 - tier * 0.1) + tier * height * 0.05;
      const double half = height * (0.16 + tier * 0.06);
      cairo_move_to(cr, x, top);
      cairo_line_to(cr, x + half, bottom);
      cairo_line_to(cr, x - half, bottom);
      cairo_close_path(cr);
      p.fill(leaves, 0.8);
    }
    return;
  }
  // Three discs: outlined all together first, then filled over, so that only the crown's outer
  // edge stays inked and not where the discs overlap.
  const double r = height * 0.27;
  const double cy = base - height + r;
  const auto crown = [&] {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x - r * 0.45, cy + r * 0.35, r * 0.75, 0, 2 * kPi);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + r * 0.45, cy + r * 0.35, r * 0.75, 0, 2 * kPi);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, cy, r * 0.85, 0, 2 * kPi);
  };
  crown();
  p.outline(1.6);
  crown();
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  p.fill(leaves, 0);
}

// ---- the settings ----

void draw_interior(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  // Lamplight: a night indoors is lighter than outside.
  const double light =
      std::min(0.9, daylight(time, p.style()) * (time == TimeOfDay::kNight ? 1.5 : 1.0));
  const double floor = sc.h * 0.72;
  cairo_rectangle(cr, 0, 0, sc.w, floor);
  p.fill(p.secondary(shade({0.86, 0.78, 0.64}, light)), 0);
  // wallpaper stripes
  for (double x = sc.w * 0.04; x < sc.w; x += sc.w * 0.08) {
    cairo_rectangle(cr, x, 0, sc.w * 0.025, floor);
    p.fill(p.secondary(shade({0.8, 0.7, 0.56}, light)), 0, 0.5);
  }
  cairo_rectangle(cr, 0, floor, sc.w, sc.h - floor);
  p.fill(p.secondary(shade({0.52, 0.37, 0.24}, light)), 0);
  for (int i = 1; i < 5; ++i) {  // floorboards
    const double y = floor + (sc.h - floor) * i * i / 25.0;
    cairo_move_to(cr, 0, y);
    cairo_line_to(cr, sc.w, y);
  }
  p.outline(0.4);
  cairo_rectangle(cr, 0, floor - sc.h * 0.03, sc.w, sc.h * 0.03);  // skirting board
  p.fill(p.secondary(shade({0.95, 0.93, 0.88}, light)), 0.8);

  const bool window_left = rng.next() % 2 == 0;
  const double ww = sc.w * 0.2;
  const double wh = sc.h * 0.32;
  const double wx = window_left ? sc.w * rng.uniform(0.08, 0.2) : sc.w * rng.uniform(0.6, 0.72);
  const double wy = sc.h * 0.14;
  cairo_rectangle(cr, wx - 6 * sc.s, wy - 6 * sc.s, ww + 12 * sc.s, wh + 12 * sc.s);
  p.fill({0.95, 0.93, 0.88}, 1);
  draw_sky(p, time, wx, wy, ww, wh, true);
  cairo_rectangle(cr, wx, wy, ww, wh);
  cairo_move_to(cr, wx + ww / 2, wy);
  cairo_line_to(cr, wx + ww / 2, wy + wh);
  cairo_move_to(cr, wx, wy + wh / 2);
  cairo_line_to(cr, wx + ww, wy + wh / 2);
  p.outline(1.2);
  for (const double side : {wx - ww * 0.18, wx + ww + ww * 0.02}) {  // curtains
    cairo_rectangle(cr, side, wy - 10 * sc.s, ww * 0.16, wh + 30 * sc.s);
    p.fill(p.primary(shade({0.7, 0.25, 0.25}, light), 2), 0.8);
  }

  const double dw = sc.w * 0.12;
  const double dh = sc.h * 0.5;
  const double dx = window_left ? sc.w * rng.uniform(0.72, 0.82) : sc.w * rng.uniform(0.08, 0.18);
  cairo_rectangle(cr, dx, floor - dh, dw, dh);
  p.fill(shade({0.45, 0.3, 0.2}, light), 1.2);
  cairo_rectangle(cr, dx + dw * 0.15, floor - dh * 0.9, dw * 0.7, dh * 0.35);
  cairo_rectangle(cr, dx + dw * 0.15, floor - dh * 0.48, dw * 0.7, dh * 0.38);
  p.outline(0.6);
  cairo_arc(cr, dx + dw * 0.82, floor - dh * 0.5, 4 * sc.s, 0, 2 * kPi);
  p.fill({0.85, 0.7, 0.3}, 0.5);

  if (time != TimeOfDay::kDay) {  // lamplight pool
    const double lx = sc.w * 0.5;
    cairo_pattern_t* glow =
        cairo_pattern_create_radial(lx, sc.h * 0.3, 0, lx, sc.h * 0.3, sc.w * 0.4);
    p.add_stop(glow, 0, {1.0, 0.85, 0.5}, 0.3);
    p.add_stop(glow, 1, {1.0, 0.85, 0.5}, 0);
    cairo_rectangle(cr, 0, 0, sc.w, sc.h);
    cairo_set_source(cr, glow);
    cairo_fill(cr);
    cairo_pattern_destroy(glow);
  }
}

void draw_street(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  const double light = daylight(time, p.style());
  const double pavement = sc.h * 0.7;
  draw_sky(p, time, 0, 0, sc.w, pavement, false);
  double x = -rng.uniform(0, sc.w * 0.08);
  while (x < sc.w) {
    const double hw = sc.w * rng.uniform(0.12, 0.2);
    const double hh = sc.h * rng.uniform(0.28, 0.45);
    const double top = pavement - hh;
    const Rgb wall = p.secondary(
        shade({rng.uniform(0.6, 0.85), rng.uniform(0.45, 0.65), rng.uniform(0.35, 0.5)}, light));
    cairo_rectangle(cr, x, top, hw, hh);
    p.fill(wall, 1);
    cairo_move_to(cr, x - hw * 0.05, top);
    cairo_line_to(cr, x + hw / 2, top - hh * rng.uniform(0.2, 0.35));
    cairo_line_to(cr, x + hw * 1.05, top);
    cairo_close_path(cr);
    p.fill(shade({0.55, 0.25, 0.2}, light), 1);
    const Rgb glass = time == TimeOfDay::kDay    ? Rgb{0.55, 0.7, 0.85}
                      : time == TimeOfDay::kDusk ? Rgb{0.95, 0.75, 0.4}
                                                 : Rgb{1.0, 0.85, 0.4};
    for (int row = 0; row < 2; ++row) {
      for (int col = 0; col < 2; ++col) {
        const bool lit = time == TimeOfDay::kDay || rng.next() % 3 != 0;
        cairo_rectangle(cr, x + hw * (0.18 + col * 0.42), top + hh * (0.14 + row * 0.3), hw * 0.22,
                        hh * 0.18);
        p.fill(lit ? glass : shade(glass, 0.25), 0.7);
      }
    }
    cairo_rectangle(cr, x + hw * 0.4, pavement - hh * 0.28, hw * 0.2, hh * 0.28);
    p.fill(shade({0.35, 0.22, 0.15}, light), 0.7);
    x += hw + sc.w * rng.uniform(0.0, 0.03);
  }
  draw_ground(p, pavement, {0.62, 0.6, 0.58}, light);
  const double road = sc.h * 0.96;
  cairo_rectangle(cr, 0, road, sc.w, sc.h - road);
  p.fill(shade({0.3, 0.3, 0.32}, light), 0);
  if (time == TimeOfDay::kNight || time == TimeOfDay::kDusk) {  // street lamps
    for (double lx = sc.w * rng.uniform(0.1, 0.3); lx < sc.w; lx += sc.w * 0.45) {
      cairo_rectangle(cr, lx - 2 * sc.s, pavement - sc.h * 0.4, 4 * sc.s, sc.h * 0.4);
      p.fill({0.2, 0.2, 0.22}, 0.5);
      cairo_pattern_t* glow = cairo_pattern_create_radial(lx, pavement - sc.h * 0.4, 0, lx,
                                                          pavement - sc.h * 0.4, sc.h * 0.3);
      p.add_stop(glow, 0, {1.0, 0.9, 0.55}, 0.7);
      p.add_stop(glow, 1, {1.0, 0.9, 0.55}, 0);
      cairo_arc(cr, lx, pavement - sc.h * 0.4, sc.h * 0.3, 0, 2 * kPi);
      cairo_set_source(cr, glow);
      cairo_fill(cr);
      cairo_pattern_destroy(glow);
    }
  }
}

void draw_countryside(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  const double light = daylight(time, p.style());
  draw_sky(p, time, 0, 0, sc.w, sc.h * 0.65, false);
  draw_hills(p, sc.h * 0.55, sc.h * 0.06, 3, p.secondary(shade({0.45, 0.6, 0.5}, light)));
  draw_hills(p, sc.h * 0.66, sc.h * 0.05, 4, p.secondary(shade({0.42, 0.68, 0.32}, light)));
  Rng& rng = p.rng();
  for (int i = 0; i < 3; ++i) {
    draw_tree(p, sc.w * rng.uniform(0.05, 0.95), sc.h * rng.uniform(0.66, 0.7),
              sc.h * rng.uniform(0.12, 0.2), shade({0.25, 0.5, 0.22}, light),
              shade({0.4, 0.28, 0.18}, light), false);
  }
  draw_hills(p, sc.h * 0.8, sc.h * 0.02, 2, p.secondary(shade({0.55, 0.75, 0.35}, light)));
}

void draw_forest(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  Rng& rng = p.rng();
  const double light = daylight(time, p.style());
  draw_sky(p, time, 0, 0, sc.w, sc.h * 0.7, false);
  draw_hills(p, sc.h * 0.62, sc.h * 0.03, 5, p.secondary(shade({0.2, 0.38, 0.25}, light)));
  for (int layer = 0; layer < 2; ++layer) {
    const int count = layer == 0 ? 16 : 9;
    const double k = layer == 0 ? 0.7 : 1.0;
    for (int i = 0; i < count; ++i) {
      const double x = sc.w * (i + rng.uniform(0.1, 0.9)) / count;
      const double base = sc.h * (layer == 0 ? 0.68 : 0.78) + rng.uniform(0, sc.h * 0.04);
      draw_tree(p, x, base, sc.h * rng.uniform(0.3, 0.45) * (layer == 0 ? 0.8 : 1.2),
                p.secondary(shade({0.15, 0.42, 0.2}, light * k)),
                shade({0.35, 0.24, 0.15}, light * k), rng.next() % 3 != 0);
    }
  }
  draw_ground(p, sc.h * 0.8, {0.3, 0.42, 0.2}, light);
}

void draw_sea(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  const double light = daylight(time, p.style());
  const double horizon = sc.h * 0.52;
  draw_sky(p, time, 0, 0, sc.w, horizon, false);
  cairo_pattern_t* water = cairo_pattern_create_linear(0, horizon, 0, sc.h);
  p.add_stop(water, 0, p.primary(shade({0.25, 0.5, 0.7}, light)));
  p.add_stop(water, 1, p.primary(shade({0.05, 0.22, 0.42}, light)));
  cairo_rectangle(cr, 0, horizon, sc.w, sc.h - horizon);
  cairo_set_source(cr, water);
  cairo_fill(cr);
  cairo_pattern_destroy(water);
  cairo_move_to(cr, 0, horizon);
  cairo_line_to(cr, sc.w, horizon);
  p.outline(0.8);
  for (int row = 0; row < 9; ++row) {  // waves, larger and sparser near the viewer
    const double t = (row + 1) / 10.0;
    const double y = horizon + (sc.h * 0.82 - horizon) * t * t;
    const double len = sc.w * 0.02 * (1 + 3 * t);
    for (double x = rng.uniform(0, len * 2); x < sc.w; x += len * rng.uniform(2.0, 3.5)) {
      cairo_move_to(cr, x, y);
      cairo_curve_to(cr, x + len * 0.3, y - len * 0.25, x + len * 0.7, y - len * 0.25, x + len, y);
    }
    p.source({0.9, 0.95, 1.0}, 0.6);
    cairo_set_line_width(cr, sc.s * (1 + 2 * t));
    cairo_stroke(cr);
  }
  if (rng.next() % 2 == 0) {  // a sail on the horizon
    const double bx = sc.w * rng.uniform(0.1, 0.9);
    cairo_move_to(cr, bx - sc.h * 0.04, horizon - sc.h * 0.005);
    cairo_line_to(cr, bx + sc.h * 0.04, horizon - sc.h * 0.005);
    cairo_line_to(cr, bx + sc.h * 0.03, horizon + sc.h * 0.01);
    cairo_line_to(cr, bx - sc.h * 0.03, horizon + sc.h * 0.01);
    cairo_close_path(cr);
    p.fill(shade({0.4, 0.25, 0.2}, light), 0.5);
    cairo_move_to(cr, bx, horizon - sc.h * 0.09);
    cairo_line_to(cr, bx + sc.h * 0.035, horizon - sc.h * 0.01);
    cairo_line_to(cr, bx, horizon - sc.h * 0.01);
    cairo_close_path(cr);
    p.fill(shade({0.98, 0.96, 0.9}, light), 0.5);
  }
  draw_hills(p, sc.h * 0.85, sc.h * 0.015, 2, p.secondary(shade({0.9, 0.8, 0.58}, light)));
}

void draw_mountain(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  const double light = daylight(time, p.style());
  draw_sky(p, time, 0, 0, sc.w, sc.h * 0.75, false);
  cairo_rectangle(cr, 0, sc.h * 0.7, sc.w, sc.h * 0.3);  // the range's foot, between the peaks
  p.fill(p.secondary(shade({0.5, 0.52, 0.6}, light)), 0);
  for (int layer = 0; layer < 2; ++layer) {
    const int peaks = layer == 0 ? 5 : 3;
    const Rgb rock = layer == 0 ? Rgb{0.55, 0.6, 0.72} : Rgb{0.42, 0.42, 0.48};
    const double base = sc.h * (layer == 0 ? 0.72 : 0.8);
    for (int i = 0; i < peaks; ++i) {
      const double cx = sc.w * (i + rng.uniform(0.2, 0.8)) / peaks;
      const double half = sc.w * rng.uniform(0.6, 0.9) / peaks;
      const double top = base - sc.h * rng.uniform(0.35, 0.55) * (layer == 0 ? 1.0 : 0.85);
      cairo_move_to(cr, cx - half, base);
      cairo_line_to(cr, cx, top);
      cairo_line_to(cr, cx + half, base);
      cairo_close_path(cr);
      p.fill(p.secondary(shade(rock, light)), 1);
      const double cap = 0.28;  // snow on the top 28 % of the slope
      cairo_move_to(cr, cx - half * cap, top + (base - top) * cap);
      cairo_line_to(cr, cx, top);
      cairo_line_to(cr, cx + half * cap, top + (base - top) * cap);
      cairo_line_to(cr, cx + half * cap * 0.4, top + (base - top) * cap * 0.75);
      cairo_line_to(cr, cx, top + (base - top) * cap * 1.1);
      cairo_line_to(cr, cx - half * cap * 0.4, top + (base - top) * cap * 0.8);
      cairo_close_path(cr);
      p.fill(shade({0.97, 0.97, 1.0}, light), 0.8);
    }
  }
  draw_hills(p, sc.h * 0.8, sc.h * 0.03, 3, p.secondary(shade({0.45, 0.6, 0.35}, light)));
}

void draw_unknown(Painter& p, TimeOfDay time) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  const double light = daylight(time, p.style());
  cairo_pattern_t* gradient =
      cairo_pattern_create_radial(sc.w * 0.5, sc.h * 0.4, 0, sc.w * 0.5, sc.h * 0.4, sc.w * 0.7);
  const Rgb a = mix(shade({0.85, 0.82, 0.78}, light), p.primary({0.85, 0.82, 0.78}, 2.5), 0.6);
  const Rgb b = mix(shade({0.35, 0.33, 0.4}, light), p.secondary({0.35, 0.33, 0.4}, 2.5), 0.6);
  p.add_stop(gradient, 0, a);
  p.add_stop(gradient, 1, b);
  cairo_rectangle(cr, 0, 0, sc.w, sc.h);
  cairo_set_source(cr, gradient);
  cairo_fill(cr);
  cairo_pattern_destroy(gradient);
  for (int i = 0; i < 12; ++i) {
    cairo_arc(cr, rng.uniform(0, sc.w), rng.uniform(0, sc.h), sc.h * rng.uniform(0.03, 0.12), 0,
              2 * kPi);
    p.fill({1, 1, 1}, 0, rng.uniform(0.05, 0.15));
  }
  cairo_rectangle(cr, 0, sc.h * 0.82, sc.w, sc.h * 0.18);
  p.fill(shade(b, 0.8), 0, 0.5);
}

// Comic halftone: dots over the upper part of the scene, bigger towards the top.
void draw_halftone(Painter& p, double bottom) {
  const Scene& sc = p.scene();
  cairo_t* cr = p.cr();
  const double step = 11 * sc.s;
  int row = 0;
  for (double y = step / 2; y < bottom; y += step, ++row) {
    const double r = step * 0.38 * (1 - y / bottom);
    if (r < 0.4) {
      continue;
    }
    for (double x = (row % 2) * step / 2; x < sc.w; x += step) {
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, r, 0, 2 * kPi);
    }
  }
  cairo_set_source_rgba(cr, 0, 0, 0.1, 0.12);
  cairo_fill(cr);
}

void draw_setting(Painter& p, Setting setting, TimeOfDay time) {
  switch (setting) {
    case Setting::kInterior:
      draw_interior(p, time);
      return;
    case Setting::kStreet:
      draw_street(p, time);
      return;
    case Setting::kCountryside:
      draw_countryside(p, time);
      return;
    case Setting::kForest:
      draw_forest(p, time);
      return;
    case Setting::kSea:
      draw_sea(p, time);
      return;
    case Setting::kMountain:
      draw_mountain(p, time);
      return;
    case Setting::kUnknown:
      draw_unknown(p, time);
      return;
  }
}

// ---- figures, labels, title, caption ----

// A rounded box behind a line of text; returns nothing, leaves the path empty.
void rounded_box(cairo_t* cr, double x, double y, double w, double h, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -kPi / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, kPi / 2);
  cairo_arc(cr, x + r, y + h - r, r, kPi / 2, kPi);
  cairo_arc(cr, x + r, y + r, r, kPi, 3 * kPi / 2);
  cairo_close_path(cr);
}

void draw_label(Painter& p, const std::string& label, double cx, double top, double max_width) {
  if (label.empty()) {
    return;
  }
  cairo_t* cr = p.cr();
  const Scene& sc = p.scene();
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  const auto block = detail::fit_text(cr, label, max_width, 20 * sc.s, 17 * sc.s, 8 * sc.s);
  const std::string& text = block.lines.front();
  cairo_text_extents_t ext;
  cairo_text_extents(cr, text.c_str(), &ext);
  cairo_font_extents_t font;
  cairo_font_extents(cr, &font);
  const double pad = 5 * sc.s;
  const double h = font.ascent + font.descent + pad;
  const bool dark = p.style() == PanelStyle::kNoir;
  rounded_box(cr, cx - ext.x_advance / 2 - pad, top, ext.x_advance + 2 * pad, h, h / 2.5);
  p.fill(dark ? kBlack : kWhite, 0.5, 0.85);
  p.source(dark ? kWhite : kBlack);
  cairo_move_to(cr, cx - ext.x_advance / 2, top + pad / 2 + font.ascent);
  cairo_show_text(cr, text.c_str());
}

void draw_bubble(Painter& p, double head_x, double head_y, double head_r) {
  cairo_t* cr = p.cr();
  const double bw = head_r * 2.6;
  const double bh = head_r * 1.6;
  const double bx = head_x + head_r * 1.9;
  const double by = head_y - head_r * 2.3;
  cairo_save(cr);
  cairo_translate(cr, bx, by);
  cairo_scale(cr, bw / 2, bh / 2);
  cairo_arc(cr, 0, 0, 1, 0, 2 * kPi);
  cairo_restore(cr);
  cairo_move_to(cr, bx - bw * 0.25, by + bh * 0.3);
  cairo_line_to(cr, head_x + head_r * 0.9, head_y - head_r * 0.6);
  cairo_line_to(cr, bx - bw * 0.05, by + bh * 0.42);
  cairo_close_path(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  p.fill(kWhite, 1);
  for (int i = -1; i <= 1; ++i) {
    cairo_arc(cr, bx + i * bw * 0.2, by, head_r * 0.13, 0, 2 * kPi);
    p.fill(kBlack, 0);
  }
}

void draw_figure(Painter& p, const Figure& figure, double x, double feet, double unit,
                 double label_width) {
  const double h = unit * std::clamp(figure.height > 0 ? figure.height : 1.0, 0.25, 1.4);
  const Rgb c = clamp(figure.colour);
  const Rgb skin = mix(c, {0.95, 0.82, 0.7}, 0.55);
  const double r = h * 0.11;
  const double head_y = feet - h + r;
  const double shoulder = head_y + r + h * 0.03;
  const double hip = feet - h * 0.44;
  const double limb = h * 0.085;

  // shadow on the ground
  cairo_t* cr = p.cr();
  cairo_save(cr);
  cairo_translate(cr, x, feet);
  cairo_scale(cr, h * 0.22, h * 0.035);
  cairo_arc(cr, 0, 0, 1, 0, 2 * kPi);
  cairo_restore(cr);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.25);
  cairo_fill(cr);

  p.limb(x - h * 0.06, hip, x - h * 0.09, feet - limb / 2, limb, shade(c, 0.7));
  p.limb(x + h * 0.06, hip, x + h * 0.09, feet - limb / 2, limb, shade(c, 0.7));
  p.limb(x - h * 0.14, shoulder + limb * 0.6, x - h * 0.21, hip - h * 0.02, limb * 0.85, c);
  if (figure.speaking) {  // a raised forearm
    p.limb(x + h * 0.14, shoulder + limb * 0.6, x + h * 0.26, shoulder - h * 0.06, limb * 0.85, c);
  } else {
    p.limb(x + h * 0.14, shoulder + limb * 0.6, x + h * 0.21, hip - h * 0.02, limb * 0.85, c);
  }
  cairo_move_to(cr, x - h * 0.16, shoulder + h * 0.04);
  cairo_curve_to(cr, x - h * 0.16, shoulder - h * 0.01, x - h * 0.12, shoulder - h * 0.01,
                 x - h * 0.05, shoulder);
  cairo_line_to(cr, x + h * 0.05, shoulder);
  cairo_curve_to(cr, x + h * 0.12, shoulder - h * 0.01, x + h * 0.16, shoulder - h * 0.01,
                 x + h * 0.16, shoulder + h * 0.04);
  cairo_line_to(cr, x + h * 0.13, hip + h * 0.03);
  cairo_line_to(cr, x - h * 0.13, hip + h * 0.03);
  cairo_close_path(cr);
  p.fill(c, 1);
  cairo_arc(cr, x, head_y, r, 0, 2 * kPi);
  p.fill(skin, 1);
  cairo_arc(cr, x, head_y - r * 0.15, r * 1.02, kPi * 1.05, kPi * 1.95);  // hair
  cairo_close_path(cr);
  p.fill(shade(c, 0.55), 0.6);
  if (figure.speaking) {
    draw_bubble(p, x, head_y, r);
  }
  draw_label(p, figure.label, x, feet + 4 * p.scene().s, label_width);
}

void draw_figures(Painter& p, const std::vector<Figure>& figures) {
  if (figures.empty()) {
    return;
  }
  const Scene& sc = p.scene();
  const double n = static_cast<double>(figures.size());
  const double slot = sc.w / (n + 1);
  const double unit = std::min(sc.h * kFigureHeight, slot * 1.6);
  for (size_t i = 0; i < figures.size(); ++i) {
    draw_figure(p, figures[i], slot * (static_cast<double>(i) + 1), sc.feet, unit, slot * 0.95);
  }
}

void draw_title(Painter& p, const std::string& title) {
  if (title.empty()) {
    return;
  }
  cairo_t* cr = p.cr();
  const Scene& sc = p.scene();
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  const auto block = detail::fit_text(cr, title, sc.w * 0.55, 24 * sc.s, 20 * sc.s, 9 * sc.s);
  cairo_font_extents_t font;
  cairo_font_extents(cr, &font);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, block.lines.front().c_str(), &ext);
  // Inside the margins a video's slow zoom may crop (see video.cpp).
  const double pad = 8 * sc.s;
  const double x = std::max(12 * sc.s, sc.w * kSafeMargin);
  const double y = std::max(12 * sc.s, (sc.h / (1 - kCaptionBand)) * kSafeMargin * 1.4);
  rounded_box(cr, x, y, ext.x_advance + 2 * pad, font.ascent + font.descent + pad, 6 * sc.s);
  const bool sketch = p.style() == PanelStyle::kSketch;
  p.fill(sketch ? kPaper : Rgb{0.08, 0.08, 0.1}, sketch ? 0.6 : 0, sketch ? 0.95 : 0.75);
  p.source(sketch ? kInk : kWhite);
  cairo_move_to(cr, x + pad, y + pad / 2 + font.ascent);
  cairo_show_text(cr, block.lines.front().c_str());
}

void draw_caption(Painter& p, const std::string& caption, double top, double width, double height) {
  cairo_t* cr = p.cr();
  const double s = p.scene().s;
  Rgb band = kPaper;
  Rgb ink = kInk;
  if (p.style() == PanelStyle::kComic) {
    band = {1.0, 0.93, 0.5};
    ink = kBlack;
  } else if (p.style() == PanelStyle::kNoir) {
    band = {0.04, 0.04, 0.04};
    ink = {0.95, 0.95, 0.95};
  }
  cairo_rectangle(cr, 0, top, width, height);
  p.source(band);
  cairo_fill(cr);
  cairo_move_to(cr, 0, top);
  cairo_line_to(cr, width, top);
  p.outline(p.style() == PanelStyle::kComic ? 1.0 : 0.8);
  const double pad = std::min(height * 0.15, 18 * s);
  const double side = std::max(pad, width * kSafeMargin);
  cairo_select_font_face(
      cr, kFont,
      p.style() == PanelStyle::kSketch ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
      CAIRO_FONT_WEIGHT_NORMAL);
  const auto block =
      detail::fit_text(cr, caption, width - 2 * side, height - 2 * pad, 26 * s, 10 * s);
  cairo_font_extents_t font;
  cairo_font_extents(cr, &font);
  const double text_h = static_cast<double>(block.lines.size()) * block.line_height;
  double y = top + (height - text_h) / 2 + (block.line_height - font.height) / 2 + font.ascent;
  p.source(ink);
  for (const auto& line : block.lines) {
    cairo_move_to(cr, side, y);
    cairo_show_text(cr, line.c_str());
    y += block.line_height;
  }
}

void sketch_paper(Painter& p, double width, double height) {
  cairo_t* cr = p.cr();
  Rng& rng = p.rng();
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_set_source_rgb(cr, kPaper.r, kPaper.g, kPaper.b);
  cairo_fill(cr);
  for (int i = 0; i < 400; ++i) {  // paper grain
    cairo_rectangle(cr, rng.uniform(0, width), rng.uniform(0, height), p.scene().s * 1.5,
                    p.scene().s * 1.5);
  }
  cairo_set_source_rgba(cr, 0.5, 0.45, 0.35, 0.12);
  cairo_fill(cr);
}

// Pencil hatching across the lower scene: a few diagonal strokes.
void sketch_hatching(Painter& p) {
  cairo_t* cr = p.cr();
  const Scene& sc = p.scene();
  Rng& rng = p.rng();
  for (int i = 0; i < 40; ++i) {
    const double x = rng.uniform(0, sc.w);
    const double y = rng.uniform(sc.h * 0.75, sc.h * 0.98);
    const double len = sc.s * rng.uniform(10, 25);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + len, y - len * 0.6);
  }
  cairo_set_source_rgba(cr, kInk.r, kInk.g, kInk.b, 0.25);
  cairo_set_line_width(cr, sc.s);
  cairo_stroke(cr);
}

void noir_vignette(cairo_t* cr, double width, double height) {
  cairo_pattern_t* v = cairo_pattern_create_radial(width / 2, height / 2, height * 0.35, width / 2,
                                                   height / 2, width * 0.75);
  cairo_pattern_add_color_stop_rgba(v, 0, 0, 0, 0, 0);
  cairo_pattern_add_color_stop_rgba(v, 1, 0, 0, 0, 0.75);
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_set_source(cr, v);
  cairo_fill(cr);
  cairo_pattern_destroy(v);
}

// Every pixel to its luma, so that noir is exactly grey whatever cairo's blending rounded.
void to_grey(Image& image) {
  for (size_t i = 0; i + 3 < image.bgra.size(); i += 4) {
    const int b = image.bgra[i];
    const int g = image.bgra[i + 1];
    const int r = image.bgra[i + 2];
    const auto y = static_cast<uint8_t>((r * 77 + g * 150 + b * 29 + 128) >> 8);
    image.bgra[i] = y;
    image.bgra[i + 1] = y;
    image.bgra[i + 2] = y;
  }
}

}  // namespace

Result<Image> render_panel(const PanelSpec& spec) {
  if (spec.width <= 0 || spec.height <= 0 || spec.width > detail::kMaxSide ||
      spec.height > detail::kMaxSide) {
    return Error::invalid("panel: width and height must be 1.." + std::to_string(detail::kMaxSide) +
                          " pixels, got " + std::to_string(spec.width) + "x" +
                          std::to_string(spec.height));
  }
  auto surface = detail::new_surface(spec.width, spec.height);
  if (!surface) {
    return std::move(surface).error();
  }
  ContextPtr context = detail::new_context(surface->get());
  cairo_t* cr = context.get();

  const double width = spec.width;
  const double height = spec.height;
  const double band = spec.caption.empty() ? 0.0 : std::round(height * kCaptionBand);
  Scene scene;
  scene.w = width;
  scene.h = height - band;
  scene.s = std::min(width, scene.h) / 600.0;
  scene.feet = scene.h * kFeet;
  Rng rng(spec.seed ^ (static_cast<uint32_t>(spec.setting) << 24));
  Painter painter(cr, spec, scene, rng);

  if (spec.style == PanelStyle::kSketch) {
    sketch_paper(painter, width, height);
    cairo_push_group(cr);  // the scene is drawn, then laid on the paper slightly transparent
  }
  cairo_save(cr);
  cairo_rectangle(cr, 0, 0, width, scene.h);
  cairo_clip(cr);
  draw_setting(painter, spec.setting, spec.time);
  if (spec.style == PanelStyle::kComic) {
    draw_halftone(painter, scene.h * 0.6);
  }
  if (spec.style == PanelStyle::kSketch) {
    sketch_hatching(painter);
  }
  if (spec.style == PanelStyle::kNoir) {
    noir_vignette(cr, width, scene.h);
  }
  draw_figures(painter, spec.figures);
  cairo_restore(cr);
  if (spec.style == PanelStyle::kSketch) {
    cairo_pop_group_to_source(cr);
    cairo_paint_with_alpha(cr, 0.93);
  }
  draw_title(painter, spec.title);
  if (band > 0) {
    draw_caption(painter, spec.caption, scene.h, width, band);
  }
  if (spec.style == PanelStyle::kComic) {  // the panel's frame
    cairo_rectangle(cr, 0, 0, width, height);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 8 * scene.s);
    cairo_stroke(cr);
  }
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr)));
  }
  context.reset();
  Image image = detail::image_from_surface(surface->get());
  if (spec.style == PanelStyle::kNoir) {
    to_grey(image);
  }
  return image;
}

Result<std::string> encode_png(const Image& image) {
  auto surface = detail::surface_from_image(image);
  if (!surface) {
    return std::move(surface).error();
  }
  std::string bytes;
  const auto write = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  const cairo_status_t status = cairo_surface_write_to_png_stream(surface->get(), write, &bytes);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("cairo PNG: ") + cairo_status_to_string(status));
  }
  return bytes;
}

}  // namespace atelier::media
