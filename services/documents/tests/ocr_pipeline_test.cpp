// The OCR pipeline against a reader that answers at once: jobs left running by a stopped process
// are queued again at start, a document the reader refuses ends failed while the worker goes on,
// and pages, entities and the search index are stored. On both engines.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "atelier/blob/local_store.hpp"
#include "atelier/blob/sha256.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "documents/adapters/sql_store.hpp"
#include "documents/app/ocr.hpp"

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

  void start_pipeline() {
    pipeline_ = std::make_unique<OcrPipeline>(
        *db_, *store_, *ocr_store_, *blobs_, *documents_,
        [this]() -> Result<std::unique_ptr<ocr::Reader>> {
          auto reader = std::make_unique<FakeReader>();
          reader_ = reader.get();
          return std::unique_ptr<ocr::Reader>(std::move(reader));
        },
        1, nullptr);
    ASSERT_TRUE(pipeline_->start());
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

INSTANTIATE_TEST_SUITE_P(Backends, OcrPipelineTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::documents::app
