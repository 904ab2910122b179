// PNG, JPEG and TIFF through Leptonica: the header of each frame is read and checked against the
// limits before the frame is decoded.
#include <leptonica/allheaders.h>

#include <memory>
#include <string>

#include "document.hpp"

namespace atelier::ocr::detail {

namespace {

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Resolutions outside this range are missing or wrong (72 dpi written by a screenshot tool is
// common): Tesseract is then left to estimate it from the height of the text.
constexpr int kMinPlausibleDpi = 100;
constexpr int kMaxPlausibleDpi = 2400;

struct Header {
  int width = 0;
  int height = 0;
};

Result<Header> read_header(const l_uint8* data, size_t size, Format format, int frame) {
  Header h;
  l_int32 bps = 0;
  l_int32 spp = 0;
  l_int32 cmap = 0;
  l_int32 res = 0;
  l_int32 iff = 0;
  const l_ok status =
      format == Format::kTiff
          ? readHeaderMemTiff(data, size, frame, &h.width, &h.height, &bps, &spp, &res, &cmap, &iff)
          : pixReadHeaderMem(data, size, &iff, &h.width, &h.height, &bps, &spp, &cmap);
  if (status != 0) {
    return Error::invalid("corrupt " + std::string(format_name(format)) +
                          ": unreadable header of page " + std::to_string(frame + 1));
  }
  return h;
}

PixPtr decode(const l_uint8* data, size_t size, Format format, int frame, bool& warned) {
  switch (format) {
    case Format::kPng:
      return PixPtr(pixReadMemPng(data, size));
    case Format::kJpeg: {
      // libjpeg fills what a truncated or damaged file lacks with grey and only warns: such a
      // file is refused rather than recognised in part.
      l_int32 warnings = 0;
      PixPtr pix(pixReadMemJpeg(data, size, 0, 1, &warnings, 0));
      warned = warnings > 0;
      return pix;
    }
    case Format::kTiff:
      return PixPtr(pixReadMemTiff(data, size, frame));
    case Format::kPdf:
      break;
  }
  return nullptr;
}

// Tesseract takes 1, 8, 24 and 32 bpp without a colour map; the rest is brought to 8 bpp grey,
// and an alpha channel is blended over white (a transparent background is paper, not black).
PixPtr normalise(PixPtr pix) {
  if (pixGetDepth(pix.get()) == 32 && pixGetSpp(pix.get()) == 4) {
    PixPtr opaque(pixRemoveAlpha(pix.get()));
    if (opaque) {
      pix = std::move(opaque);
    }
  }
  const int depth = pixGetDepth(pix.get());
  if (pixGetColormap(pix.get()) != nullptr || depth == 2 || depth == 4 || depth == 16) {
    PixPtr grey(pixConvertTo8(pix.get(), 0));
    if (grey) {
      pix = std::move(grey);
    }
  }
  return pix;
}

}  // namespace

Result<std::vector<Page>> read_image(std::span<const std::byte> bytes, Format format,
                                     const ReadContext& ctx) {
  const auto& limits = ctx.options.limits;
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  const std::string name(format_name(format));

  if (format == Format::kPng || format == Format::kJpeg) {
    auto checked =
        format == Format::kPng ? check_png_structure(bytes) : check_jpeg_structure(bytes);
    if (!checked) {
      return std::move(checked).error();
    }
  }
  int frames = 1;
  if (format == Format::kTiff) {
    auto count = count_tiff_frames(bytes, limits.max_pages + 1);
    if (!count) {
      return std::move(count).error();
    }
    if (*count > limits.max_pages) {
      return too_large("the TIFF has more than " + std::to_string(limits.max_pages) + " pages");
    }
    frames = *count;
  }

  if (ctx.progress) {
    ctx.progress(Progress{.page = 0, .page_count = frames});
  }
  std::vector<Page> pages;
  for (int frame = 0; frame < frames; ++frame) {
    if (ctx.stopped()) {
      return stopped_error();
    }
    auto header = read_header(data, bytes.size(), format, frame);
    if (!header) {
      return std::move(header).error();
    }
    if (header->width <= 0 || header->height <= 0) {
      return Error::invalid(name + " page " + std::to_string(frame + 1) + " has no pixels");
    }
    const std::int64_t pixels = std::int64_t{header->width} * header->height;
    if (pixels > limits.max_pixels) {
      return too_large(name + " page " + std::to_string(frame + 1) + " is " +
                       std::to_string(header->width) + "x" + std::to_string(header->height) +
                       " pixels, beyond the limit of " + std::to_string(limits.max_pixels));
    }
    bool warned = false;
    PixPtr pix = decode(data, bytes.size(), format, frame, warned);
    if (!pix || warned) {
      return Error::invalid("corrupt or truncated " + name + ": page " + std::to_string(frame + 1) +
                            " cannot be decoded");
    }
    if (pixGetWidth(pix.get()) != header->width || pixGetHeight(pix.get()) != header->height) {
      return Error::invalid("corrupt " + name + ": page " + std::to_string(frame + 1) +
                            " is not the size its header says");
    }
    pix = normalise(std::move(pix));
    const int dpi = pixGetXRes(pix.get());
    auto page = ctx.recogniser.recognise(
        pix.get(), dpi >= kMinPlausibleDpi && dpi <= kMaxPlausibleDpi ? dpi : 0, ctx.deadline);
    if (!page) {
      return std::move(page).error();
    }
    page->number = frame + 1;
    pages.push_back(std::move(*page));
    if (ctx.progress) {
      ctx.progress(Progress{.page = frame + 1, .page_count = frames});
    }
  }
  return pages;
}

}  // namespace atelier::ocr::detail
