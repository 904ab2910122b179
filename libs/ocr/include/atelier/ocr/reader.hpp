// Text out of documents: the text layer of PDFs that have one (poppler), Tesseract OCR (French and
// English) for images and scanned pages. What the documents service calls; no database, no HTTP.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"

namespace atelier::ocr {

// A word and where it sits on its page, in pixels of the page image (300 dpi for rendered PDF
// pages, the image's own pixels otherwise), origin top left: what the portal highlights.
struct Word {
  std::string text;
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
  float confidence = 0;  // 0..100; 100 for words from a PDF text layer
};

struct Page {
  int number = 1;        // from 1
  std::string text;      // UTF-8, lines separated by '\n', paragraphs by a blank line
  float confidence = 0;  // mean word confidence, 0..100
  int width = 0;         // the page image's size, for the word boxes
  int height = 0;
  bool from_text_layer = false;  // read from the PDF, not recognised
  std::vector<Word> words;
};

// Where a document's reading has got to: calls come from the reading thread, once with page 0
// when the document is opened (page_count known, no page read yet), then page by page.
struct Progress {
  int page = 0;        // the page just finished; 0 before the first
  int page_count = 0;  // known once the document is opened
};
using ProgressFn = std::function<void(const Progress&)>;

struct Limits {
  int max_pages = 500;
  std::int64_t max_pixels = 120'000'000;  // per page image: beyond, the page fails, not the worker
  std::int64_t max_bytes = 256LL * 1024 * 1024;
};

// Reads one document: PNG, JPEG, TIFF (every frame a page) or PDF (pages with a text layer read
// as text, the others rendered at 300 dpi and recognised). kInvalid with a clear message for a
// corrupt or unsupported file; kPayloadTooLarge beyond the limits. Never throws, never aborts.
class Reader {
 public:
  virtual ~Reader() = default;
  virtual Result<std::vector<Page>> read(std::span<const std::byte> bytes,
                                         std::string_view content_type,
                                         const ProgressFn& progress = {}) = 0;
};

struct ReaderOptions {
  std::string languages = "fra+eng";  // Tesseract's syntax: models tried in this order
  // Where <language>.traineddata lie. Empty: $TESSDATA_PREFIX, else Tesseract's built-in path
  // (/usr/share/tesseract-ocr/5/tessdata on Debian).
  std::string tessdata_dir;
  Limits limits;
  int workers = 0;     // engines, one thread each; 0: std::thread::hardware_concurrency()
  int max_queued = 0;  // documents waiting for a worker; beyond, kUnavailable; 0: 4 per worker
  // A PDF page is read from its text layer when that holds at least this many non-blank
  // characters; fewer (nothing, or a lone page number over a scan) and the page is recognised.
  int min_text_layer_chars = 16;
  // Recognition of one page stops after this (kTimeout); 0: no limit. Rendering and layout
  // analysis are not covered, only the recognition of words.
  std::chrono::milliseconds page_timeout = std::chrono::minutes(5);
};

// A fixed set of workers, each owning one Tesseract engine loaded once (loading costs about half
// a second and some 45 MB per engine), in front of a bounded queue of documents. Each document is
// read by one worker, page after page; progress and completion are called on that worker's
// thread, so they must not block for long nor destroy the pool.
//
// Tesseract 5 runs parts of its recognition on OpenMP threads of its own. With several engines
// in one process that oversubscribes the cores: set OMP_THREAD_LIMIT=1 in the environment the
// process starts with (the OpenMP runtime reads it at load time, so setting it later has no
// effect). create() logs a warning when it is missing and there is more than one worker.
class ReaderPool final : public Reader {
 public:
  using Pages = Result<std::vector<Page>>;
  using DoneFn = std::function<void(Pages)>;

  // Loads every engine before returning: kInternal when the languages cannot be loaded (a
  // deployment error, to be reported at start-up).
  static Result<std::unique_ptr<ReaderPool>> create(const ReaderOptions& options = {});
  ~ReaderPool() override;  // shutdown()
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // Queues a document; `done` is called once, with its pages or its error. kUnavailable when
  // the queue is full or the pool is shutting down (then `done` is never called).
  Result<void> enqueue(std::vector<std::byte> bytes, std::string content_type, DoneFn done,
                       ProgressFn progress = {});
  // The same with a future.
  Result<std::future<Pages>> submit(std::vector<std::byte> bytes, std::string content_type,
                                    ProgressFn progress = {});
  // Queues and waits: kUnavailable at once when the queue is full. The bytes are not copied.
  Pages read(std::span<const std::byte> bytes, std::string_view content_type,
             const ProgressFn& progress = {}) override;

  // Refuses new documents, fails the queued ones with kUnavailable, stops the ones being read
  // at the next word (kUnavailable) and joins the workers. Idempotent.
  void shutdown();
  int workers() const;

 private:
  struct State;
  explicit ReaderPool(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The documents service's entry point: a ReaderPool behind the Reader interface.
Result<std::unique_ptr<Reader>> make_reader(const ReaderOptions& options = {});

}  // namespace atelier::ocr
