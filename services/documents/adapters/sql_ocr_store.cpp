// OCR jobs, pages and entities on SQLite and PostgreSQL.
#include "atelier/db/rows.hpp"
#include "documents/app/ocr.hpp"

namespace atelier::documents::app {

namespace {

using db::done;

constexpr std::string_view kJobColumns =
    "document_id, version, org_id, status, page_count, pages_done, error, attempts, created_at, "
    "updated_at";
constexpr std::string_view kEnqueue =
    "INSERT INTO ocr_jobs (document_id, version, org_id, status, page_count, pages_done, error, "
    "attempts, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (document_id, version) DO UPDATE SET status = excluded.status, "
    "page_count = 0, pages_done = 0, error = NULL, updated_at = excluded.updated_at";
const std::string kNextQueued = "SELECT " + std::string(kJobColumns) +
                                " FROM ocr_jobs WHERE status = 'queued'"
                                " ORDER BY created_at, document_id LIMIT 1";
constexpr std::string_view kMarkRunning =
    "UPDATE ocr_jobs SET status = 'running', page_count = 0, pages_done = 0, "
    "attempts = attempts + 1, updated_at = $3 "
    "WHERE document_id = $1 AND version = $2 AND status = 'queued'";
constexpr std::string_view kRequeue =
    "UPDATE ocr_jobs SET status = 'queued', updated_at = $1 WHERE status = 'running'";
constexpr std::string_view kUpdate =
    "UPDATE ocr_jobs SET status = $4, page_count = $5, pages_done = $6, error = $7, "
    "updated_at = $8 WHERE org_id = $1 AND document_id = $2 AND version = $3";
const std::string kFind = "SELECT " + std::string(kJobColumns) +
                          " FROM ocr_jobs WHERE org_id = $1 AND document_id = $2 AND version = $3";
constexpr std::string_view kDeletePages =
    "DELETE FROM ocr_pages WHERE org_id = $1 AND document_id = $2 AND version = $3";
constexpr std::string_view kInsertPage =
    "INSERT INTO ocr_pages (document_id, version, number, org_id, text, confidence, width, "
    "height, from_text_layer, words) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kPages =
    "SELECT number, text, confidence, width, height, from_text_layer, words FROM ocr_pages "
    "WHERE org_id = $1 AND document_id = $2 AND version = $3 ORDER BY number";
constexpr std::string_view kDeleteEntities =
    "DELETE FROM document_entities WHERE org_id = $1 AND document_id = $2 AND version = $3";
constexpr std::string_view kInsertEntity =
    "INSERT INTO document_entities (document_id, version, seq, org_id, page, kind, value, text, "
    "byte_offset, byte_length, amount_minor, currency, qualifier) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kEntities =
    "SELECT page, kind, value, text, byte_offset, byte_length, amount_minor, currency, qualifier "
    "FROM document_entities WHERE org_id = $1 AND document_id = $2 AND version = $3 ORDER BY seq";
constexpr std::string_view kSetDocumentStatus =
    "UPDATE documents SET ocr_status = $4, row_version = row_version + 1 "
    "WHERE org_id = $1 AND id = $2 AND current_version = $3";

OcrJob job_of(const db::Row& row) {
  OcrJob j;
  j.document_id = row.get_text(0);
  j.version = row.get_int(1);
  j.org_id = row.get_text(2);
  j.status = row.get_text(3);
  j.page_count = row.get_int(4);
  j.pages_done = row.get_int(5);
  j.error = row.get_opt_text(6);
  j.attempts = row.get_int(7);
  j.created_at = parse_rfc3339(row.get_text(8)).value_or(TimePoint{});
  j.updated_at = parse_rfc3339(row.get_text(9)).value_or(TimePoint{});
  return j;
}

class SqlOcrStore final : public OcrStore {
 public:
  Result<void> enqueue(Tx& tx, const OcrJob& j) override {
    return done(tx.execute(kEnqueue, j.document_id, j.version, j.org_id, j.status, j.page_count,
                           j.pages_done, j.error, j.attempts, format_rfc3339(j.created_at),
                           format_rfc3339(j.updated_at)));
  }

  Result<std::optional<OcrJob>> claim(Tx& tx, const std::string& now) override {
    auto rows = tx.query(kNextQueued);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<OcrJob>();
    }
    OcrJob job = job_of((*rows)[0]);
    auto marked = tx.execute(kMarkRunning, job.document_id, job.version, now);
    if (!marked) {
      return std::move(marked).error();
    }
    if (*marked == 0) {
      return std::optional<OcrJob>();  // another worker took it
    }
    job.status = "running";
    job.page_count = 0;  // read again from its first page
    job.pages_done = 0;
    job.attempts += 1;
    return std::optional<OcrJob>(std::move(job));
  }

  Result<int64_t> requeue_running(Tx& tx, const std::string& now) override {
    return tx.execute(kRequeue, now);
  }

  Result<void> update(Tx& tx, const OcrJob& j) override {
    return done(tx.execute(kUpdate, j.org_id, j.document_id, j.version, j.status, j.page_count,
                           j.pages_done, j.error, format_rfc3339(j.updated_at)));
  }

  Result<std::optional<OcrJob>> find(Tx& tx, const std::string& org_id,
                                     const std::string& document_id, int64_t version) override {
    auto rows = tx.query(kFind, org_id, document_id, version);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<OcrJob>();
    }
    return std::optional<OcrJob>(job_of((*rows)[0]));
  }

  Result<void> store_result(Tx& tx, const std::string& org_id, const std::string& document_id,
                            int64_t version, const std::vector<OcrPage>& pages,
                            const std::vector<domain::Entity>& entities) override {
    if (auto r = done(tx.execute(kDeletePages, org_id, document_id, version)); !r) {
      return r;
    }
    if (auto r = done(tx.execute(kDeleteEntities, org_id, document_id, version)); !r) {
      return r;
    }
    for (const auto& p : pages) {
      if (auto r =
              done(tx.execute(kInsertPage, document_id, version, p.number, org_id, p.text,
                              p.confidence, p.width, p.height, p.from_text_layer, p.words_json));
          !r) {
        return r;
      }
    }
    int64_t seq = 0;
    for (const auto& e : entities) {
      if (auto r = done(tx.execute(
              kInsertEntity, document_id, version, seq++, org_id, int64_t{e.page},
              std::string(domain::kind_name(e.kind)), e.value, e.text,
              static_cast<int64_t>(e.offset), static_cast<int64_t>(e.length), e.amount_minor,
              e.currency.empty() ? std::optional<std::string>() : e.currency,
              e.qualifier.empty() ? std::optional<std::string>() : e.qualifier));
          !r) {
        return r;
      }
    }
    return {};
  }

  Result<std::vector<OcrPage>> pages(Tx& tx, const std::string& org_id,
                                     const std::string& document_id, int64_t version) override {
    auto rows = tx.query(kPages, org_id, document_id, version);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<OcrPage> out;
    for (const auto& row : *rows) {
      out.push_back(OcrPage{row.get_int(0), row.get_text(1), row.get_double(2), row.get_int(3),
                            row.get_int(4), row.get_bool(5), row.get_text(6)});
    }
    return out;
  }

  Result<std::vector<domain::Entity>> entities(Tx& tx, const std::string& org_id,
                                               const std::string& document_id,
                                               int64_t version) override {
    auto rows = tx.query(kEntities, org_id, document_id, version);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<domain::Entity> out;
    for (const auto& row : *rows) {
      domain::Entity e;
      e.page = static_cast<int>(row.get_int(0));
      e.kind = domain::parse_kind(row.get_text(1)).value_or(domain::EntityKind::kAmount);
      e.value = row.get_text(2);
      e.text = row.get_text(3);
      e.offset = static_cast<size_t>(row.get_int(4));
      e.length = static_cast<size_t>(row.get_int(5));
      e.amount_minor = row.get_opt_int(6);
      e.currency = row.get_opt_text(7).value_or("");
      e.qualifier = row.get_opt_text(8).value_or("");
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<void> set_document_status(Tx& tx, const std::string& org_id,
                                   const std::string& document_id, int64_t version,
                                   const std::string& status) override {
    return done(tx.execute(kSetDocumentStatus, org_id, document_id, version, status));
  }
};

}  // namespace

std::unique_ptr<OcrStore> make_sql_ocr_store() {
  return std::make_unique<SqlOcrStore>();
}

}  // namespace atelier::documents::app
