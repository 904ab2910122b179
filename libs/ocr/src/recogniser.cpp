#include "recogniser.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <string>

namespace atelier::ocr::detail {

namespace {

// Tesseract wants at least a few pixels each way and refuses (noisily) below.
constexpr int kMinSide = 3;

bool stop_requested(void* stop, int /*words*/) {
  return static_cast<const std::atomic<bool>*>(stop)->load(std::memory_order_relaxed);
}

std::string take_text(char* text) {
  if (text == nullptr) {
    return {};
  }
  std::string out(text);
  delete[] text;
  return out;
}

Page blank_page(int width, int height) {
  Page page;
  page.width = width;
  page.height = height;
  return page;
}

std::string trim_end(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\f')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

Result<std::unique_ptr<Recogniser>> Recogniser::create(const ReaderOptions& options) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const char* datapath = options.tessdata_dir.empty() ? nullptr : options.tessdata_dir.c_str();
  if (api->Init(datapath, options.languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    return Error::internal("tesseract: cannot load the languages '" + options.languages +
                           "' from " +
                           (datapath != nullptr ? "'" + options.tessdata_dir + "'"
                                                : std::string("the default tessdata directory")));
  }
  // Tesseract's own diagnostics ("Empty page!!", "Estimating resolution as ...") would go to
  // stderr for every odd page; the outcome is reported through the Result instead.
  api->SetVariable("debug_file", "/dev/null");
  return std::unique_ptr<Recogniser>(new Recogniser(std::move(api)));
}

Recogniser::Recogniser(std::unique_ptr<tesseract::TessBaseAPI> api) : api_(std::move(api)) {}

Recogniser::~Recogniser() {
  api_->End();
}

Result<Page> Recogniser::recognise(Pix* pix, int dpi, const Deadline& deadline) {
  const int width = pixGetWidth(pix);
  const int height = pixGetHeight(pix);
  if (width < kMinSide || height < kMinSide) {
    return blank_page(width, height);
  }
  api_->SetImage(pix);
  return run(width, height, dpi, deadline);
}

Result<Page> Recogniser::recognise(const Raster& raster, int dpi, const Deadline& deadline) {
  if (raster.width < kMinSide || raster.height < kMinSide) {
    return blank_page(raster.width, raster.height);
  }
  api_->SetImage(raster.data, raster.width, raster.height, raster.bytes_per_pixel,
                 raster.bytes_per_line);
  return run(raster.width, raster.height, dpi, deadline);
}

Result<Page> Recogniser::run(int width, int height, int dpi, const Deadline& deadline) {
  // The C++ API starts in single-block mode; documents need the layout analysis of the command
  // line's default. Set on each page: Clear() keeps it, but a page must not depend on another.
  api_->SetPageSegMode(tesseract::PSM_AUTO);
  if (dpi > 0) {
    api_->SetSourceResolution(dpi);
  }
  tesseract::ETEXT_DESC monitor;
  if (deadline.stop != nullptr) {
    monitor.cancel = &stop_requested;
    monitor.cancel_this = const_cast<std::atomic<bool>*>(deadline.stop);  // read only
  }
  if (deadline.page_timeout.count() > 0) {
    monitor.set_deadline_msecs(static_cast<int32_t>(deadline.page_timeout.count()));
  }
  const int status = api_->Recognize(&monitor);
  if (deadline.stop != nullptr && deadline.stop->load()) {
    api_->Clear();
    return Error::unavailable("the reader is shutting down");
  }
  if (monitor.deadline_exceeded()) {
    api_->Clear();
    return Error{ErrorCode::kTimeout,
                 "recognition of the page took longer than " +
                     std::to_string(deadline.page_timeout.count()) + " ms",
                 {},
                 {}};
  }
  if (status != 0) {
    api_->Clear();
    return Error::invalid("the page could not be recognised");
  }

  Page page;
  page.width = width;
  page.height = height;
  page.text = trim_end(take_text(api_->GetUTF8Text()));
  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  double confidence_sum = 0;
  if (it != nullptr && !it->Empty(tesseract::RIL_WORD)) {
    do {
      Word word;
      word.text = take_text(it->GetUTF8Text(tesseract::RIL_WORD));
      if (word.text.empty()) {
        continue;
      }
      int left = 0;
      int top = 0;
      int right = 0;
      int bottom = 0;
      if (!it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) {
        continue;
      }
      word.left = left;
      word.top = top;
      word.width = right - left;
      word.height = bottom - top;
      word.confidence = it->Confidence(tesseract::RIL_WORD);
      confidence_sum += word.confidence;
      page.words.push_back(std::move(word));
    } while (it->Next(tesseract::RIL_WORD));
  }
  if (!page.words.empty()) {
    page.confidence = static_cast<float>(confidence_sum / static_cast<double>(page.words.size()));
  }
  it.reset();
  api_->Clear();
  return page;
}

}  // namespace atelier::ocr::detail
