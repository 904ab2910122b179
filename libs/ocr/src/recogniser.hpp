// One Tesseract engine, loaded once and reused page after page: an image in, a Page out. Not
// thread-safe; the pool gives each worker its own.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "atelier/core/error.hpp"
#include "atelier/ocr/reader.hpp"

struct Pix;  // Leptonica's image
namespace tesseract {
class TessBaseAPI;
}

namespace atelier::ocr::detail {

// Pixels owned by someone else, 1 (gray) to 4 (RGBA) bytes per pixel.
struct Raster {
  const unsigned char* data = nullptr;
  int width = 0;
  int height = 0;
  int bytes_per_pixel = 1;
  int bytes_per_line = 0;
};

// What may stop a page early: the pool shutting down, or the page's time running out.
struct Deadline {
  const std::atomic<bool>* stop = nullptr;
  std::chrono::milliseconds page_timeout{0};
};

class Recogniser {
 public:
  // kInternal when the languages cannot be loaded from the tessdata directory.
  static Result<std::unique_ptr<Recogniser>> create(const ReaderOptions& options);
  ~Recogniser();
  Recogniser(const Recogniser&) = delete;
  Recogniser& operator=(const Recogniser&) = delete;

  // `dpi` 0 when the image does not say: Tesseract then estimates it from the text height.
  // kTimeout past the deadline, kUnavailable when stopped.
  Result<Page> recognise(Pix* pix, int dpi, const Deadline& deadline);
  Result<Page> recognise(const Raster& raster, int dpi, const Deadline& deadline);

 private:
  explicit Recogniser(std::unique_ptr<tesseract::TessBaseAPI> api);
  Result<Page> run(int width, int height, int dpi, const Deadline& deadline);

  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace atelier::ocr::detail
