#include "documents/app/ocr.hpp"

#include <boost/json.hpp>
#include <cstring>

#include "atelier/core/log.hpp"
#include "atelier/events/outbox.hpp"

namespace atelier::documents::app {

namespace json = boost::json;

namespace {

constexpr uint64_t kMaxOcrBytes = 256ull << 20;

db::TxOptions in_org(const std::string& org_id, db::TxMode mode) {
  return db::TxOptions{.mode = mode, .org_id = org_id};
}

db::TxOptions any_org() {
  return db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true};
}

std::string words_json(const std::vector<ocr::Word>& words) {
  json::array out;
  for (const auto& w : words) {
    out.push_back(json::object{{"text", w.text},
                               {"left", w.left},
                               {"top", w.top},
                               {"width", w.width},
                               {"height", w.height},
                               {"confidence", w.confidence}});
  }
  return json::serialize(out);
}

}  // namespace

bool ocr_applies(std::string_view content_type) {
  return content_type == "application/pdf" || content_type == "image/png" ||
         content_type == "image/jpeg" || content_type == "image/tiff";
}

std::vector<OcrPageState> page_states(const OcrJob& job) {
  std::vector<OcrPageState> out;
  for (int64_t number = 1; number <= job.page_count; ++number) {
    std::string status;
    if (job.status == "queued") {
      status = "queued";
    } else if (job.status == "done" || number <= job.pages_done) {
      status = "done";
    } else if (job.status == "failed") {
      status = "failed";
    } else {
      status = number == job.pages_done + 1 ? "running" : "queued";
    }
    out.push_back({number, std::move(status)});
  }
  return out;
}

OcrPipeline::OcrPipeline(db::Database& db, DocumentStore& documents_store, OcrStore& store,
                         blob::BlobStore& blobs, Documents& documents, ReaderFactory make_reader,
                         int workers, std::function<void()> events_written)
    : db_(db),
      documents_store_(documents_store),
      store_(store),
      blobs_(blobs),
      documents_(documents),
      make_reader_(std::move(make_reader)),
      worker_count_(std::max(workers, 1)),
      events_written_(std::move(events_written)) {}

OcrPipeline::~OcrPipeline() {
  stop();
}

Result<void> OcrPipeline::start() {
  auto requeued = db_.transact(any_org(), [&](db::Transaction& tx) {
    return store_.requeue_running(tx, format_rfc3339(documents_.clock().now()));
  });
  if (!requeued) {
    return std::move(requeued).error();
  }
  if (*requeued > 0) {
    log::info("documents.ocr_requeued").field("jobs", *requeued);
  }
  workers_.start(worker_count_, [this] { return take_one(); });
  return {};
}

void OcrPipeline::stop() {
  workers_.stop();
}

void OcrPipeline::notify() {
  workers_.notify();
}

ocr::Reader* OcrPipeline::reader() {
  std::lock_guard lock(reader_mutex_);
  if (!reader_ && !reader_error_) {
    auto made = make_reader_();
    if (!made) {
      log::error("documents.ocr_reader_unavailable").field("error", made.error().message);
      reader_error_ = std::move(made).error();
    } else {
      reader_ = std::move(made).value();
    }
  }
  return reader_.get();
}

bool OcrPipeline::take_one() {
  auto claimed = claim();
  if (!claimed) {
    log::warn("documents.ocr_claim_failed").field("error", claimed.error().message);
    return false;
  }
  if (!claimed->has_value()) {
    return false;
  }
  process(std::move(**claimed));
  return true;
}

Result<std::optional<OcrJob>> OcrPipeline::claim() {
  return db_.transact(any_org(), [&](db::Transaction& tx) {
    return store_.claim(tx, format_rfc3339(documents_.clock().now()));
  });
}

void OcrPipeline::fail(OcrJob& job, const std::string& message) {
  job.status = "failed";
  job.error = message;
  job.updated_at = documents_.clock().now();
  auto r = db_.transact(in_org(job.org_id, db::TxMode::kWrite), [&](db::Transaction& tx) {
    if (auto u = store_.update(tx, job); !u) {
      return u;
    }
    return store_.set_document_status(tx, job.org_id, job.document_id, job.version, "failed");
  });
  if (!r) {
    log::error("documents.ocr_record_failed").field("error", r.error().message);
  }
  log::warn("documents.ocr_failed")
      .field("document_id", job.document_id)
      .field("version", job.version)
      .field("error", message);
  ++finished_;
}

void OcrPipeline::process(OcrJob job) {
  auto version = db_.transact(in_org(job.org_id, db::TxMode::kRead), [&](db::Transaction& tx) {
    return documents_store_.find_version(tx, job.org_id, job.document_id, job.version);
  });
  if (!version || !version->has_value()) {
    fail(job, version ? "The document is gone." : version.error().message);
    return;
  }
  auto file = blobs_.open((*version)->sha256);
  if (!file) {
    fail(job, "The file cannot be read: " + file.error().message);
    return;
  }
  if (file->size() > kMaxOcrBytes) {
    fail(job, "The file is too large to be read (over 256 MiB).");
    return;
  }
  auto bytes = file->read_all();
  if (!bytes) {
    fail(job, bytes.error().message);
    return;
  }
  ocr::Reader* engine = reader();
  if (engine == nullptr) {
    fail(job, "OCR is not available on this server: " + reader_error_->message);
    return;
  }
  std::vector<std::byte> content(bytes->size());
  std::memcpy(content.data(), bytes->data(), bytes->size());
  // Progress is recorded as the reader reports it: the page count once the document is open,
  // then each page finished (claim() started the job from page 0).
  const auto progress = [this, &job](const ocr::Progress& p) {
    job.page_count = p.page_count;
    job.pages_done = p.page;
    job.updated_at = documents_.clock().now();
    (void)db_.transact(in_org(job.org_id, db::TxMode::kWrite),
                       [&](db::Transaction& tx) { return store_.update(tx, job); });
  };
  auto pages = engine->read(content, (*version)->content_type, progress);
  if (!pages) {
    fail(job, pages.error().message);
    return;
  }
  std::vector<OcrPage> stored;
  std::vector<std::string> texts;
  std::string body;
  double confidence_sum = 0;
  for (const auto& page : *pages) {
    stored.push_back(OcrPage{page.number, page.text, page.confidence, page.width, page.height,
                             page.from_text_layer, words_json(page.words)});
    texts.push_back(page.text);
    body += page.text;
    body += '\n';
    confidence_sum += page.confidence;
  }
  const std::vector<domain::Entity> entities = domain::extract_entities_from_pages(texts);
  job.status = "done";
  job.error.reset();
  job.page_count = static_cast<int64_t>(stored.size());
  job.pages_done = job.page_count;
  job.updated_at = documents_.clock().now();
  auto written = db_.transact(
      in_org(job.org_id, db::TxMode::kWrite), [&](db::Transaction& tx) -> Result<void> {
        if (auto r =
                store_.store_result(tx, job.org_id, job.document_id, job.version, stored, entities);
            !r) {
          return r;
        }
        if (auto r = store_.update(tx, job); !r) {
          return r;
        }
        if (auto r =
                store_.set_document_status(tx, job.org_id, job.document_id, job.version, "done");
            !r) {
          return r;
        }
        auto doc = documents_store_.find(tx, job.org_id, job.document_id);
        if (!doc) {
          return std::move(doc).error();
        }
        if (doc->has_value() && (*doc)->version == job.version) {
          if (auto r = documents_store_.index(tx, job.org_id, job.document_id, (*doc)->name, body);
              !r) {
            return r;
          }
        }
        const json::object data{
            {"id", job.document_id},
            {"org_id", job.org_id},
            {"version", job.version},
            {"page_count", job.page_count},
            {"confidence",
             stored.empty() ? 0.0 : confidence_sum / static_cast<double>(stored.size())},
            {"entity_count", entities.size()}};
        return events::append(
            tx, events::CloudEvent::make("/services/documents", "documents.DocumentOcrReady.v1",
                                         job.document_id, job.org_id, json::serialize(data),
                                         documents_.clock()));
      });
  if (!written) {
    fail(job, "The text could not be stored: " + written.error().message);
    return;
  }
  ++finished_;
  if (events_written_) {
    events_written_();
  }
}

Result<OcrStatus> OcrPipeline::status(const Principal& caller, const std::string& id,
                                      std::optional<int64_t> number) {
  auto doc = documents_.document_for(caller, id, auth::ProjectAction::kDocumentsRead);
  if (!doc) {
    return std::move(doc).error();
  }
  const int64_t version = number.value_or(doc->version);
  return db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                      [&](db::Transaction& tx) -> Result<OcrStatus> {
                        OcrStatus out;
                        auto job = store_.find(tx, caller.org_id, id, version);
                        if (!job) {
                          return std::move(job).error();
                        }
                        out.job = std::move(*job);
                        if (out.job) {
                          out.page_states = page_states(*out.job);
                        }
                        auto pages = store_.pages(tx, caller.org_id, id, version);
                        if (!pages) {
                          return std::move(pages).error();
                        }
                        out.pages = std::move(*pages);
                        return out;
                      });
}

Result<std::vector<domain::Entity>> OcrPipeline::entities(const Principal& caller,
                                                          const std::string& id,
                                                          std::optional<int64_t> number) {
  auto doc = documents_.document_for(caller, id, auth::ProjectAction::kDocumentsRead);
  if (!doc) {
    return std::move(doc).error();
  }
  const int64_t version = number.value_or(doc->version);
  return db_.transact(in_org(caller.org_id, db::TxMode::kRead), [&](db::Transaction& tx) {
    return store_.entities(tx, caller.org_id, id, version);
  });
}

}  // namespace atelier::documents::app
