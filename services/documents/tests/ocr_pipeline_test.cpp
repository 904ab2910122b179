// The OCR pipeline against a reader that answers at once: jobs left running by a stopped process
// are queued again at start, a document the reader refuses ends failed while the worker goes on,
// and pages, entities and the search index are stored; the events written to the outbox follow
// their contracts. Against the real reader: each page of a scanned PDF goes queued, running,
// done. On both engines.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <thread>

#include "atelier/blob/local_store.hpp"
#include "atelier/blob/sha256.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "documents/adapters/sql_store.hpp"
#include "documents/app/ocr.hpp"
#include "event_contract.hpp"
#include "samples.hpp"

std::vector<atelier::db::MigrationFile> atelier_documents_migrations();  // generated

namespace atelier::documents::app {
namespace {

namespace fs = std::filesystem;

class FakeReader final : public ocr::Reader {
 public:
  Result<std::vector<ocr::Page>> read(std::span<const std::byte> bytes, std::string_view,
                                      const ocr::ProgressFn& progress) override {
    ++calls;
    const std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (text.find("unreadable") != std::string::npos) {
      return Error::invalid("corrupt PDF: it cannot be opened");
    }
    if (progress) {
      progress({1, 1});
    }
    ocr::Page page;
    page.text = "Facture n° F-2025-0042 du 12/03/2025, total 1 234,56 € TTC";
    page.confidence = 91;
    page.words = {ocr::Word{"Facture", 10, 10, 80, 20, 95}};
    return std::vector<ocr::Page>{page};
  }
  std::atomic<int> calls{0};
};

class OcrPipelineTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    for (const auto& [component, files] :
         std::vector<std::pair<std::string, std::vector<db::MigrationFile>>>{
             {"events", events::migrations()}, {"documents", atelier_documents_migrations()}}) {
      auto selected = db::select_migrations(files, kind());
      ASSERT_TRUE(selected) << selected.error().message;
      auto migrated = db::migrate(*db_, component, *selected);
      ASSERT_TRUE(migrated) << migrated.error().message;
    }
    files_ = fs::temp_directory_path() / ("atelier_ocr_pipeline_" + db::testing::random_suffix());
    auto blobs = blob::open_local_store(files_ / "blobs");
    ASSERT_TRUE(blobs);
    blobs_ = std::move(blobs).value();
    store_ = adapters::make_sql_store();
    ocr_store_ = make_sql_ocr_store();
    authorizer_ = make_authorizer(*db_, *store_);
    documents_ = std::make_unique<Documents>(*db_, *store_, *blobs_, *authorizer_, clock_,
                                             Settings{}, nullptr);
    documents_->on_new_version(
        [this](db::Transaction& tx, const Document& d) -> Result<std::string> {
          OcrJob job{d.id, d.version, d.org_id, "queued", 0, 0, {}, 0, d.updated_at, d.updated_at};
          if (auto r = ocr_store_->enqueue(tx, job); !r) {
            return std::move(r).error();
          }
          return std::string("queued");
        },
        [this] {
          if (pipeline_) {
            pipeline_->notify();
          }
        });
  }

  void TearDown() override {
    pipeline_.reset();
    documents_.reset();
    fs::remove_all(files_);
    BackendTest::TearDown();
  }

  // With the FakeReader unless `make_reader` says otherwise.
  void start_pipeline(OcrPipeline::ReaderFactory make_reader = {}) {
    if (!make_reader) {
      make_reader = [this]() -> Result<std::unique_ptr<ocr::Reader>> {
        auto reader = std::make_unique<FakeReader>();
        reader_ = reader.get();
        return std::unique_ptr<ocr::Reader>(std::move(reader));
      };
    }
    pipeline_ = std::make_unique<OcrPipeline>(*db_, *store_, *ocr_store_, *blobs_, *documents_,
                                              std::move(make_reader), 1, nullptr);
    ASSERT_TRUE(pipeline_->start());
  }

  // The envelopes of the outbox's events of `type`, oldest first.
  std::vector<std::string> outbox(const std::string& type) {
    auto rows = db_->transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
        [&](db::Transaction& tx) {
          return tx.query("SELECT envelope FROM outbox WHERE type = $1 ORDER BY seq", type);
        });
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<std::string> out;
    if (rows) {
      for (const auto& row : *rows) {
        out.push_back(row.get_text(0));
      }
    }
    return out;
  }

  std::string upload(const std::string& bytes, const std::string& name) {
    const fs::path path = files_ / ("upload-" + db::testing::random_suffix());
    std::ofstream(path, std::ios::binary) << bytes;
    auto doc = documents_->upload(
        owner_,
        NewDocument{{path, bytes.size(), blob::Sha256::hex_of(bytes)}, name, {}, {}, "", {}});
    EXPECT_TRUE(doc) << doc.error().message;
    return doc ? doc->id : std::string();
  }

  std::optional<OcrJob> job(const std::string& id) {
    auto status = pipeline_->status(owner_, id, std::nullopt);
    EXPECT_TRUE(status) << status.error().message;
    return status ? status->job : std::nullopt;
  }

  bool wait_finished(uint64_t count) {
    for (int i = 0; i < 2000 && pipeline_->finished() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pipeline_->finished() >= count;
  }

  ManualClock clock_{SystemClock::instance().now()};
  Principal owner_{Principal::Kind::kUser, "user-1", "org-1", {"owner"}, "jti", ""};
  fs::path files_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<OcrStore> ocr_store_;
  std::unique_ptr<auth::Authorizer> authorizer_;
  std::unique_ptr<Documents> documents_;
  std::unique_ptr<OcrPipeline> pipeline_;
  FakeReader* reader_ = nullptr;
};

TEST_P(OcrPipelineTest, JobsLeftRunningAreQueuedAgainAtStart) {
  const std::string id = upload("%PDF-1.7 facture", "facture.pdf");
  // A process stopped while reading it.
  auto marked = db_->transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) { return ocr_store_->claim(tx, format_rfc3339(clock_.now())); });
  ASSERT_TRUE(marked && marked->has_value());
  EXPECT_EQ((*marked)->status, "running");

  start_pipeline();
  ASSERT_TRUE(wait_finished(1));
  const auto done = job(id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, "done");
  EXPECT_EQ(done->attempts, 2);
  EXPECT_EQ(done->pages_done, 1);
}

TEST_P(OcrPipelineTest, AFailingDocumentFailsAndTheWorkerGoesOn) {
  start_pipeline();
  const std::string bad = upload("%PDF-1.7 unreadable", "bad.pdf");
  ASSERT_TRUE(wait_finished(1));
  const std::string good = upload("%PDF-1.7 facture", "scan-42.pdf");
  ASSERT_TRUE(wait_finished(2));
  const auto failed = job(bad);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, "failed");
  EXPECT_EQ(failed->error.value_or(""), "corrupt PDF: it cannot be opened");
  EXPECT_EQ(documents_->get(owner_, bad)->ocr_status, "failed");

  const auto status = pipeline_->status(owner_, good, std::nullopt);
  ASSERT_TRUE(status && status->job);
  EXPECT_EQ(status->job->status, "done");
  ASSERT_EQ(status->pages.size(), 1u);
  EXPECT_NE(status->pages[0].words_json.find("\"Facture\""), std::string::npos);
  EXPECT_EQ(documents_->get(owner_, good)->ocr_status, "done");

  auto entities = pipeline_->entities(owner_, good, std::nullopt);
  ASSERT_TRUE(entities);
  bool invoice = false;
  bool amount = false;
  for (const auto& e : *entities) {
    invoice = invoice || (e.kind == domain::EntityKind::kInvoiceNumber && e.value == "F-2025-0042");
    amount = amount || (e.kind == domain::EntityKind::kAmount && e.amount_minor == 123456);
  }
  EXPECT_TRUE(invoice);
  EXPECT_TRUE(amount);
  auto hits = documents_->search(owner_, "facture", 0, 10);
  ASSERT_TRUE(hits);
  EXPECT_EQ(hits->size(), 1u);  // the text, not only the name (bad.pdf holds no such word)
}

TEST_P(OcrPipelineTest, UploadAndOcrEventsFollowTheirContracts) {
  namespace json = boost::json;
  const std::string bytes = "%PDF-1.7 facture";
  const std::string id = upload(bytes, "facture.pdf");
  const auto uploaded = outbox("documents.DocumentUploaded.v1");
  ASSERT_EQ(uploaded.size(), 1u);
  auto event = events::CloudEvent::from_json(uploaded[0]);
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(event->type, "documents.DocumentUploaded.v1");
  EXPECT_EQ(event->source, "/services/documents");
  EXPECT_EQ(event->subject, id);
  EXPECT_EQ(event->org_id, owner_.org_id);
  json::object data =
      testing::expect_event_matches_contract(uploaded[0], "documents.DocumentUploaded.v1");
  EXPECT_EQ(data.at("id"), json::value(id));
  EXPECT_EQ(data.at("org_id"), json::value(owner_.org_id));
  EXPECT_EQ(data.at("name"), json::value("facture.pdf"));
  EXPECT_EQ(data.at("size"), json::value(static_cast<int64_t>(bytes.size())));
  EXPECT_EQ(data.at("sha256"), json::value(blob::Sha256::hex_of(bytes)));
  EXPECT_EQ(data.at("content_type"), json::value("application/pdf"));
  EXPECT_EQ(data.at("version"), json::value(1));
  EXPECT_EQ(data.at("ocr_status"), json::value("queued"));
  EXPECT_EQ(data.at("created_by"), json::value(owner_.subject));
  EXPECT_TRUE(outbox("documents.DocumentOcrReady.v1").empty());  // not read yet

  start_pipeline();
  ASSERT_TRUE(wait_finished(1));
  const auto ready = outbox("documents.DocumentOcrReady.v1");
  ASSERT_EQ(ready.size(), 1u);
  event = events::CloudEvent::from_json(ready[0]);
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(event->type, "documents.DocumentOcrReady.v1");
  EXPECT_EQ(event->subject, id);
  EXPECT_EQ(event->org_id, owner_.org_id);
  data = testing::expect_event_matches_contract(ready[0], "documents.DocumentOcrReady.v1");
  EXPECT_EQ(data.at("id"), json::value(id));
  EXPECT_EQ(data.at("org_id"), json::value(owner_.org_id));
  EXPECT_EQ(data.at("version"), json::value(1));
  EXPECT_EQ(data.at("page_count"), json::value(1));
  EXPECT_DOUBLE_EQ(data.at("confidence").to_number<double>(), 91.0);
  auto entities = pipeline_->entities(owner_, id, std::nullopt);
  ASSERT_TRUE(entities);
  EXPECT_FALSE(entities->empty());
  EXPECT_EQ(data.at("entity_count").to_number<int64_t>(), static_cast<int64_t>(entities->size()));

  // A new version is announced too, with its number.
  const fs::path path = files_ / "v2";
  std::ofstream(path, std::ios::binary) << "plain text now";
  auto v2 = documents_->add_version(
      owner_, id, UploadedFile{path, 14, blob::Sha256::hex_of("plain text now")}, "");
  ASSERT_TRUE(v2) << v2.error().message;
  const auto both = outbox("documents.DocumentUploaded.v1");
  ASSERT_EQ(both.size(), 2u);
  data = testing::expect_event_matches_contract(both[1], "documents.DocumentUploaded.v1");
  EXPECT_EQ(data.at("version"), json::value(2));
  EXPECT_EQ(data.at("sha256"), json::value(blob::Sha256::hex_of("plain text now")));
}

// The real reader, with a look at the job's pages each time it reports progress.
class WatchedReader final : public ocr::Reader {
 public:
  using Watch = std::function<void()>;
  WatchedReader(std::unique_ptr<ocr::Reader> inner, Watch watch)
      : inner_(std::move(inner)), watch_(std::move(watch)) {}

  Result<std::vector<ocr::Page>> read(std::span<const std::byte> bytes,
                                      std::string_view content_type,
                                      const ocr::ProgressFn& progress) override {
    return inner_->read(bytes, content_type, [&](const ocr::Progress& p) {
      progress(p);  // the pipeline records it
      watch_();
    });
  }

 private:
  std::unique_ptr<ocr::Reader> inner_;
  Watch watch_;
};

TEST_P(OcrPipelineTest, EachPageOfAScannedPdfGoesQueuedRunningDone) {
  namespace samples = ocr::samples;
  const std::vector<samples::Sheet> sheets = {
      samples::small_sheet({"Procès-verbal de réception, page un"}),
      samples::small_sheet({"Réserves du lot gros oeuvre, page deux"}),
      samples::small_sheet({"Signatures des parties, page trois"})};
  const auto pdf = samples::scanned_pdf(sheets);
  const std::string id =
      upload(std::string(reinterpret_cast<const char*>(pdf.data()), pdf.size()), "pv.pdf");
  auto queued = db_->transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = owner_.org_id},
      [&](db::Transaction& tx) { return ocr_store_->find(tx, owner_.org_id, id, 1); });
  ASSERT_TRUE(queued && queued->has_value());
  EXPECT_EQ((*queued)->status, "queued");
  EXPECT_TRUE(page_states(**queued).empty());  // the page count comes when the file is opened

  std::vector<std::vector<std::string>> seen;
  start_pipeline([&]() -> Result<std::unique_ptr<ocr::Reader>> {
    ocr::ReaderOptions options;
    options.workers = 1;
    auto real = ocr::make_reader(options);
    if (!real) {
      return std::move(real).error();
    }
    return std::unique_ptr<ocr::Reader>(
        std::make_unique<WatchedReader>(std::move(real).value(), [&, id] {
          auto status = pipeline_->status(owner_, id, std::nullopt);
          std::vector<std::string> states;
          if (status) {
            for (const auto& page : status->page_states) {
              states.push_back(page.status);
            }
          }
          seen.push_back(std::move(states));
        }));
  });
  ASSERT_TRUE(wait_finished(1));
  using States = std::vector<std::string>;
  ASSERT_EQ(seen.size(), 4u);  // opened, then each of the three pages
  EXPECT_EQ(seen[0], (States{"running", "queued", "queued"}));
  EXPECT_EQ(seen[1], (States{"done", "running", "queued"}));
  EXPECT_EQ(seen[2], (States{"done", "done", "running"}));
  EXPECT_EQ(seen[3], (States{"done", "done", "done"}));

  const auto status = pipeline_->status(owner_, id, std::nullopt);
  ASSERT_TRUE(status && status->job);
  ASSERT_EQ(status->job->status, "done") << status->job->error.value_or("");
  ASSERT_EQ(status->page_states.size(), 3u);
  ASSERT_EQ(status->pages.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(status->page_states[i].number, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(status->page_states[i].status, "done");
    EXPECT_FALSE(status->pages[i].from_text_layer);
  }
  EXPECT_NE(status->pages[1].text.find("deux"), std::string::npos) << status->pages[1].text;
}

TEST(OcrPageStates, FollowTheJobsProgress) {
  auto states = [](std::string status, int64_t count, int64_t done) {
    OcrJob job;
    job.status = std::move(status);
    job.page_count = count;
    job.pages_done = done;
    std::vector<std::string> out;
    for (const auto& page : page_states(job)) {
      out.push_back(page.status);
    }
    return out;
  };
  using States = std::vector<std::string>;
  EXPECT_EQ(states("running", 0, 0), States{});
  EXPECT_EQ(states("queued", 2, 1), (States{"queued", "queued"}));  // to be read again
  EXPECT_EQ(states("running", 3, 1), (States{"done", "running", "queued"}));
  EXPECT_EQ(states("running", 2, 2), (States{"done", "done"}));  // storing the text
  EXPECT_EQ(states("failed", 3, 1), (States{"done", "failed", "failed"}));
  EXPECT_EQ(states("done", 2, 2), (States{"done", "done"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, OcrPipelineTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::documents::app
