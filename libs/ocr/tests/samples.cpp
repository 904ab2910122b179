#include "samples.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace atelier::ocr::samples {

namespace {

constexpr const char* kFont = "DejaVu Serif";
constexpr double kLineSpacing = 1.5;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::byte>*>(closure);
  const auto* begin = reinterpret_cast<const std::byte*>(data);
  out->insert(out->end(), begin, begin + length);
  return CAIRO_STATUS_SUCCESS;
}

// Unhinted metrics: glyph advances are then the same on an image at any resolution, in a PDF
// and in locate(), so that where a word was drawn is known to a fraction of a pixel.
void set_font(cairo_t* cr, const Sheet& sheet) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, sheet.font_pt);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

double baseline(const Sheet& sheet, size_t line) {
  return sheet.margin_pt + sheet.font_pt + static_cast<double>(line) * sheet.font_pt * kLineSpacing;
}

// Draws in points, whatever the surface's own unit.
void draw(cairo_t* cr, const Sheet& sheet) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  set_font(cr, sheet);
  for (size_t i = 0; i < sheet.lines.size(); ++i) {
    cairo_move_to(cr, sheet.margin_pt, baseline(sheet, i));
    cairo_show_text(cr, sheet.lines[i].c_str());
  }
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

Surface render(const Sheet& sheet, int dpi) {
  const double scale = dpi / 72.0;
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                             static_cast<int>(sheet.width_pt * scale + 0.5),
                                             static_cast<int>(sheet.height_pt * scale + 0.5)));
  Context cr(cairo_create(surface.get()));
  cairo_scale(cr.get(), scale, scale);
  draw(cr.get(), sheet);
  cairo_surface_flush(surface.get());
  return surface;
}

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

PixPtr pix_of(const Sheet& sheet, int dpi) {
  const auto bytes = png(sheet, dpi);
  PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size()));
  if (!pix) {
    throw std::runtime_error("leptonica cannot read cairo's PNG");
  }
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

std::vector<std::byte> take(l_uint8* data, size_t size) {
  std::vector<std::byte> out(reinterpret_cast<const std::byte*>(data),
                             reinterpret_cast<const std::byte*>(data) + size);
  lept_free(data);
  return out;
}

std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    ++i;
    for (; extra > 0 && i < s.size(); --extra, ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    }
    out.push_back(cp);
  }
  return out;
}

std::u32string fold_space(std::u32string_view s) {
  std::u32string out;
  bool space = false;
  for (const char32_t c : s) {
    if (c == U' ' || c == U'\n' || c == U'\t' || c == U'\r' || c == U'\f') {
      space = !out.empty();
    } else {
      if (space) {
        out.push_back(U' ');
      }
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> french_lines() {
  return {
      "Le maître d'ouvrage réceptionne les travaux de façade le 12 mars 2025",
      "pour 1 234,56 €. Les réserves émises lors de la visite du chantier",
      "seront levées par l'entreprise générale avant la fin du mois.",
  };
}

std::vector<std::string> english_lines() {
  return {
      "The contractor hands over the finished facade on 12 March 2025 for",
      "a total of 1,234.56 euros. Any defects noted during the site visit",
      "will be remedied by the general contractor before the month ends.",
  };
}

Sheet small_sheet(std::vector<std::string> lines) {
  Sheet sheet;
  sheet.lines = std::move(lines);
  sheet.height_pt =
      2 * sheet.margin_pt + sheet.font_pt * kLineSpacing * static_cast<double>(sheet.lines.size());
  return sheet;
}

Sheet a4_sheet() {
  Sheet sheet;
  const auto fr = french_lines();
  const auto en = english_lines();
  for (int block = 0; block < 6; ++block) {
    const auto& lines = block % 2 == 0 ? fr : en;
    sheet.lines.insert(sheet.lines.end(), lines.begin(), lines.end());
    sheet.lines.emplace_back();
  }
  sheet.lines.pop_back();
  return sheet;
}

std::string text_of(const Sheet& sheet) {
  std::string out;
  for (const auto& line : sheet.lines) {
    if (!out.empty()) {
      out += '\n';
    }
    out += line;
  }
  return out;
}

std::vector<std::byte> png(const Sheet& sheet, int dpi) {
  const Surface surface = render(sheet, dpi);
  std::vector<std::byte> out;
  if (cairo_surface_write_to_png_stream(surface.get(), &append, &out) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error("cairo cannot write the PNG");
  }
  return out;
}

std::vector<std::byte> jpeg(const Sheet& sheet, int dpi) {
  const PixPtr pix = pix_of(sheet, dpi);
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemJpeg(&data, &size, pix.get(), 90, 0) != 0) {
    throw std::runtime_error("leptonica cannot write the JPEG");
  }
  return take(data, size);
}

std::vector<std::byte> tiff(const std::vector<Sheet>& sheets, int dpi) {
  Pixa* pixa = pixaCreate(static_cast<l_int32>(sheets.size()));
  for (const auto& sheet : sheets) {
    const PixPtr colour = pix_of(sheet, dpi);
    const PixPtr grey(pixConvertRGBToLuminance(colour.get()));
    Pix* binary = pixThresholdToBinary(grey.get(), 160);
    pixSetResolution(binary, dpi, dpi);
    pixaAddPix(pixa, binary, L_INSERT);
  }
  l_uint8* data = nullptr;
  size_t size = 0;
  const l_ok status = pixaWriteMemMultipageTiff(&data, &size, pixa);
  pixaDestroy(&pixa);
  if (status != 0) {
    throw std::runtime_error("leptonica cannot write the TIFF");
  }
  return take(data, size);
}

std::vector<std::byte> text_pdf(const std::vector<Sheet>& sheets) {
  std::vector<std::byte> out;
  {
    Surface surface(cairo_pdf_surface_create_for_stream(&append, &out, sheets.front().width_pt,
                                                        sheets.front().height_pt));
    Context cr(cairo_create(surface.get()));
    for (const auto& sheet : sheets) {
      cairo_pdf_surface_set_size(surface.get(), sheet.width_pt, sheet.height_pt);
      draw(cr.get(), sheet);
      cairo_show_page(cr.get());
    }
  }  // the PDF is complete once the surface is destroyed
  return out;
}

std::vector<std::byte> scanned_pdf(const std::vector<Sheet>& sheets) {
  constexpr int kDpi = 300;
  std::vector<std::byte> out;
  {
    Surface surface(cairo_pdf_surface_create_for_stream(&append, &out, sheets.front().width_pt,
                                                        sheets.front().height_pt));
    Context cr(cairo_create(surface.get()));
    for (const auto& sheet : sheets) {
      cairo_pdf_surface_set_size(surface.get(), sheet.width_pt, sheet.height_pt);
      const Surface image = render(sheet, kDpi);
      cairo_save(cr.get());
      cairo_scale(cr.get(), 72.0 / kDpi, 72.0 / kDpi);
      cairo_set_source_surface(cr.get(), image.get(), 0, 0);
      cairo_paint(cr.get());
      cairo_restore(cr.get());
      cairo_show_page(cr.get());
    }
  }
  return out;
}

std::vector<std::byte> pdf_from_objects(const std::vector<std::string>& objects,
                                        std::string_view trailer) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const size_t offset : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         std::string(trailer) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return bytes_of(pdf);
}

std::optional<Box> locate(const Sheet& sheet, std::string_view word, int dpi) {
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1));
  Context cr(cairo_create(surface.get()));
  set_font(cr.get(), sheet);
  for (size_t i = 0; i < sheet.lines.size(); ++i) {
    const auto at = sheet.lines[i].find(word);
    if (at == std::string::npos) {
      continue;
    }
    cairo_text_extents_t prefix;
    cairo_text_extents(cr.get(), sheet.lines[i].substr(0, at).c_str(), &prefix);
    cairo_text_extents_t ink;
    cairo_text_extents(cr.get(), std::string(word).c_str(), &ink);
    const double scale = dpi / 72.0;
    return Box{.left = (sheet.margin_pt + prefix.x_advance + ink.x_bearing) * scale,
               .top = (baseline(sheet, i) + ink.y_bearing) * scale,
               .width = ink.width * scale,
               .height = ink.height * scale};
  }
  return std::nullopt;
}

double character_error_rate(std::string_view expected, std::string_view actual) {
  const std::u32string a = fold_space(code_points(expected));
  const std::u32string b = fold_space(code_points(actual));
  if (a.empty()) {
    return b.empty() ? 0.0 : 1.0;
  }
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    previous[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return static_cast<double>(previous[b.size()]) / static_cast<double>(a.size());
}

std::vector<std::byte> bytes_of(std::string_view text) {
  const auto* begin = reinterpret_cast<const std::byte*>(text.data());
  return {begin, begin + text.size()};
}

unsigned long crc32(const unsigned char* data, size_t size) {
  unsigned long crc = 0xFFFFFFFFul;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ (0xEDB88320ul & (0ul - (crc & 1ul)));
    }
  }
  return crc ^ 0xFFFFFFFFul;
}

}  // namespace atelier::ocr::samples
