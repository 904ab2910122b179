// The OCR pipeline: each new version of an image or a PDF gets a job row (in the transaction that
// stores the version); a bounded set of worker threads claims jobs, reads the bytes with
// ocr::Reader, stores the text of each page (confidence, word boxes), the entities the domain
// extractor finds in it, feeds the search index, and announces documents.DocumentOcrReady.v1.
// A document the reader cannot read ends `failed` with its message; the worker goes on. Jobs left
// `running` by a stopped process are queued again at start.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "atelier/blob/blob_store.hpp"
#include "atelier/core/job_workers.hpp"
#include "atelier/ocr/reader.hpp"
#include "documents/app/documents.hpp"
#include "documents/domain/entities.hpp"

namespace atelier::documents::app {

struct OcrJob {
  std::string document_id;
  int64_t version = 1;
  std::string org_id;
  std::string status = "queued";  // queued | running | done | failed
  int64_t page_count = 0;
  int64_t pages_done = 0;
  std::optional<std::string> error;
  int64_t attempts = 0;
  TimePoint created_at;
  TimePoint updated_at;
};

struct OcrPage {
  int64_t number = 1;
  std::string text;
  double confidence = 0;
  int64_t width = 0;
  int64_t height = 0;
  bool from_text_layer = false;
  std::string words_json;  // [{"text","left","top","width","height","confidence"}]
};

// Where one page of a job stands: queued | running | done | failed.
struct OcrPageState {
  int64_t number = 1;
  std::string status;
};

// The state of each page of `job`. The job records its progress page by page as the reader
// reports it (page_count when the document is opened, pages_done after each page), and a job's
// pages are read one after the other, so those two numbers hold every page's state: the first
// pages_done are done, the next one is running (failed, when the job failed there), the rest
// queued (failed, when the job failed: they will not be read). Empty until page_count is known.
std::vector<OcrPageState> page_states(const OcrJob& job);

struct StoredEntity {
  int64_t version = 1;
  domain::Entity entity;
};

class OcrStore {
 public:
  virtual ~OcrStore() = default;
  virtual Result<void> enqueue(Tx& tx, const OcrJob& job) = 0;
  // Cross-tenant: the oldest queued job, marked running (nullopt when none).
  virtual Result<std::optional<OcrJob>> claim(Tx& tx, const std::string& now) = 0;
  // Cross-tenant: running jobs back to queued (after a restart). Returns how many.
  virtual Result<int64_t> requeue_running(Tx& tx, const std::string& now) = 0;
  virtual Result<void> update(Tx& tx, const OcrJob& job) = 0;
  virtual Result<std::optional<OcrJob>> find(Tx& tx, const std::string& org_id,
                                             const std::string& document_id, int64_t version) = 0;
  // Replaces the pages and entities of a version.
  virtual Result<void> store_result(Tx& tx, const std::string& org_id,
                                    const std::string& document_id, int64_t version,
                                    const std::vector<OcrPage>& pages,
                                    const std::vector<domain::Entity>& entities) = 0;
  virtual Result<std::vector<OcrPage>> pages(Tx& tx, const std::string& org_id,
                                             const std::string& document_id, int64_t version) = 0;
  virtual Result<std::vector<domain::Entity>> entities(Tx& tx, const std::string& org_id,
                                                       const std::string& document_id,
                                                       int64_t version) = 0;
  // Sets the document's OCR status when `version` is still its current one.
  virtual Result<void> set_document_status(Tx& tx, const std::string& org_id,
                                           const std::string& document_id, int64_t version,
                                           const std::string& status) = 0;
};

std::unique_ptr<OcrStore> make_sql_ocr_store();

// Whether documents of this (sniffed) type are read.
bool ocr_applies(std::string_view content_type);

struct OcrStatus {
  std::optional<OcrJob> job;  // none for a version that is not read
  std::vector<OcrPageState> page_states;
  std::vector<OcrPage> pages;  // the text of each page, stored once the job is done
};

class OcrPipeline {
 public:
  using ReaderFactory = std::function<Result<std::unique_ptr<ocr::Reader>>()>;

  OcrPipeline(db::Database& db, DocumentStore& documents_store, OcrStore& store,
              blob::BlobStore& blobs, Documents& documents, ReaderFactory make_reader, int workers,
              std::function<void()> events_written);
  ~OcrPipeline();  // stop()

  // Re-queues interrupted jobs and starts the workers.
  Result<void> start();
  void stop();
  // A job was queued: wakes a worker.
  void notify();

  // The status and pages of the document's version `number` (current when nullopt).
  Result<OcrStatus> status(const Principal& caller, const std::string& id,
                           std::optional<int64_t> number);
  Result<std::vector<domain::Entity>> entities(const Principal& caller, const std::string& id,
                                               std::optional<int64_t> number);

  // Jobs finished (done or failed) since start, for tests.
  uint64_t finished() const { return finished_.load(); }

 private:
  // Claims the next queued job and reads it; false when there was none.
  bool take_one();
  Result<std::optional<OcrJob>> claim();
  void process(OcrJob job);
  void fail(OcrJob& job, const std::string& message);
  ocr::Reader* reader();

  db::Database& db_;
  DocumentStore& documents_store_;
  OcrStore& store_;
  blob::BlobStore& blobs_;
  Documents& documents_;
  ReaderFactory make_reader_;
  int worker_count_;
  std::function<void()> events_written_;

  std::mutex reader_mutex_;
  std::unique_ptr<ocr::Reader> reader_;  // made when the first job needs it
  std::optional<Error> reader_error_;

  JobWorkers workers_{"documents.ocr", std::chrono::seconds(5)};
  std::atomic<uint64_t> finished_{0};
};

}  // namespace atelier::documents::app
