// The VisioBook store on SQLite and PostgreSQL: every statement a named constant, bound
// parameters only, every query filtered by organisation (row-level security adds its wall on
// PostgreSQL).
#include <boost/json.hpp>
#include <stdexcept>

#include "visiobook/app/json.hpp"
#include "visiobook/app/store.hpp"

namespace atelier::visiobook::app {

namespace {

namespace json = boost::json;

constexpr std::string_view kBookColumns =
    "id, org_id, title, author, settings, source_key, source_name, source_format, source_size, "
    "status, stages, run_from, current_version, error, created_by, row_version, created_at, "
    "updated_at";

constexpr std::string_view kInsert =
    "INSERT INTO books (id, org_id, title, author, settings, source_key, source_name, "
    "source_format, source_size, status, stages, run_from, current_version, error, created_by, "
    "row_version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
// A compare-and-set on row_version, so that two concurrent changes cannot both win.
constexpr std::string_view kUpdate =
    "UPDATE books SET title = $3, author = $4, settings = $5, source_key = $6, source_name = $7, "
    "source_format = $8, source_size = $9, status = $10, stages = $11, run_from = $12, "
    "current_version = $13, error = $14, row_version = $15, updated_at = $16 "
    "WHERE org_id = $1 AND id = $2 AND row_version = $17";
constexpr std::string_view kUpdateDetails =
    "UPDATE books SET title = $3, author = $4, settings = $5, row_version = $6, updated_at = $7 "
    "WHERE org_id = $1 AND id = $2 AND row_version = $8";
// The pipeline's writes leave row_version alone: a PATCH of the settings during a run must not
// fail for a progress update it never saw.
constexpr std::string_view kUpdateProgress =
    "UPDATE books SET status = $3, stages = $4, run_from = $5, current_version = $6, error = $7, "
    "updated_at = $8 WHERE org_id = $1 AND id = $2";
constexpr std::string_view kNextQueued =
    "SELECT id, org_id FROM books WHERE status = 'queued' ORDER BY updated_at, id LIMIT 1";
constexpr std::string_view kMarkRunning =
    "UPDATE books SET status = 'running', updated_at = $2 WHERE id = $1 AND status = 'queued'";
constexpr std::string_view kRequeue =
    "UPDATE books SET status = 'queued', updated_at = $1 WHERE status = 'running'";
// A run left behind by a stopped process is closed as failed; the book's new run makes another.
constexpr std::string_view kCloseRunningVersions =
    "UPDATE book_versions SET status = 'failed', finished_at = $1 WHERE status = 'running'";

constexpr std::string_view kInsertVersion =
    "INSERT INTO book_versions (book_id, number, org_id, settings, run_from, status, summary, "
    "created_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kUpdateVersion =
    "UPDATE book_versions SET status = $4, summary = $5, finished_at = $6 "
    "WHERE org_id = $1 AND book_id = $2 AND number = $3";
constexpr std::string_view kVersionColumns =
    "book_id, number, org_id, settings, run_from, status, summary, created_at, finished_at";

constexpr std::string_view kPutFile =
    "INSERT INTO book_files (book_id, version, name, org_id, stage, blob_key, content_type, size) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "ON CONFLICT (book_id, version, name) DO UPDATE SET stage = excluded.stage, "
    "blob_key = excluded.blob_key, content_type = excluded.content_type, size = excluded.size";
constexpr std::string_view kFiles =
    "SELECT name, stage, blob_key, content_type, size FROM book_files "
    "WHERE org_id = $1 AND book_id = $2 AND version = $3 ORDER BY name";
constexpr std::string_view kFile =
    "SELECT name, stage, blob_key, content_type, size FROM book_files "
    "WHERE org_id = $1 AND book_id = $2 AND version = $3 AND name = $4";

TimePoint time_of(const db::Row& row, size_t i) {
  auto t = parse_rfc3339(row.get_text(i));
  if (!t) {
    throw std::logic_error("visiobook: unreadable time in column " + std::to_string(i));
  }
  return *t;
}

json::value parsed(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    throw std::logic_error("visiobook: a stored JSON column is not JSON");
  }
  return v;
}

template <class T>
T must(Result<T> r) {
  if (!r) {
    throw std::logic_error(r.error().message);
  }
  return std::move(r).value();
}

BookProject book_of_row(const db::Row& row) {
  BookProject b;
  b.id = row.get_text(0);
  b.org_id = row.get_text(1);
  b.title = row.get_text(2);
  b.author = row.get_text(3);
  b.settings = must(settings_of(parsed(row.get_text(4))));
  if (!row.is_null(5)) {
    b.source = Source{row.get_text(5), row.get_text(6), row.get_text(7),
                      static_cast<uint64_t>(row.get_int(8))};
  }
  auto status = domain::parse_status(row.get_text(9));
  if (!status) {
    throw std::logic_error("visiobook: unknown status in row " + b.id);
  }
  b.status = *status;
  b.stages = must(stages_of(parsed(row.get_text(10))));
  if (auto from = row.get_opt_text(11)) {
    b.run_from = domain::parse_stage(*from);
  }
  b.current_version = row.get_int(12);
  b.error = row.get_opt_text(13).value_or("");
  b.created_by = row.get_text(14);
  b.row_version = row.get_int(15);
  b.created_at = time_of(row, 16);
  b.updated_at = time_of(row, 17);
  return b;
}

BookVersion version_of_row(const db::Row& row) {
  BookVersion v;
  v.book_id = row.get_text(0);
  v.number = row.get_int(1);
  v.org_id = row.get_text(2);
  v.settings = must(settings_of(parsed(row.get_text(3))));
  v.run_from = domain::parse_stage(row.get_text(4)).value_or(domain::Stage::kIngestion);
  v.status = row.get_text(5);
  v.summary_json = row.get_text(6);
  v.created_at = time_of(row, 7);
  if (!row.is_null(8)) {
    v.finished_at = time_of(row, 8);
  }
  return v;
}

BookFile file_of_row(const db::Row& row) {
  return BookFile{row.get_text(0),
                  domain::parse_stage(row.get_text(1)).value_or(domain::Stage::kIngestion),
                  row.get_text(2), row.get_text(3), static_cast<uint64_t>(row.get_int(4))};
}

std::optional<std::string> opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

class SqlBookStore final : public BookStore {
 public:
  Result<void> insert(Tx& tx, const BookProject& b) override {
    auto r = tx.execute(
        kInsert, b.id, b.org_id, b.title, b.author, json::serialize(settings_json(b.settings)),
        source_field(b, &Source::key), source_field(b, &Source::name),
        source_field(b, &Source::format),
        b.source ? std::optional<int64_t>(static_cast<int64_t>(b.source->size)) : std::nullopt,
        std::string(domain::status_name(b.status)), json::serialize(stages_json(b.stages)),
        run_from(b), b.current_version, opt(b.error), b.created_by, b.row_version,
        format_rfc3339(b.created_at), format_rfc3339(b.updated_at));
    if (!r) {
      return std::move(r).error();
    }
    return {};
  }

  Result<std::optional<BookProject>> find(Tx& tx, const std::string& org_id,
                                          const std::string& id) override {
    auto rows = tx.query(
        "SELECT " + std::string(kBookColumns) + " FROM books WHERE org_id = $1 AND id = $2", org_id,
        id);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<BookProject>();
    }
    return std::optional<BookProject>(book_of_row((*rows)[0]));
  }

  Result<bool> update(Tx& tx, const BookProject& b, int64_t expected) override {
    auto r = tx.execute(
        kUpdate, b.org_id, b.id, b.title, b.author, json::serialize(settings_json(b.settings)),
        source_field(b, &Source::key), source_field(b, &Source::name),
        source_field(b, &Source::format),
        b.source ? std::optional<int64_t>(static_cast<int64_t>(b.source->size)) : std::nullopt,
        std::string(domain::status_name(b.status)), json::serialize(stages_json(b.stages)),
        run_from(b), b.current_version, opt(b.error), b.row_version, format_rfc3339(b.updated_at),
        expected);
    if (!r) {
      return std::move(r).error();
    }
    return *r == 1;
  }

  Result<bool> update_details(Tx& tx, const BookProject& b, int64_t expected) override {
    auto r = tx.execute(kUpdateDetails, b.org_id, b.id, b.title, b.author,
                        json::serialize(settings_json(b.settings)), b.row_version,
                        format_rfc3339(b.updated_at), expected);
    if (!r) {
      return std::move(r).error();
    }
    return *r == 1;
  }

  Result<void> update_progress(Tx& tx, const BookProject& b) override {
    auto r = tx.execute(kUpdateProgress, b.org_id, b.id, std::string(domain::status_name(b.status)),
                        json::serialize(stages_json(b.stages)), run_from(b), b.current_version,
                        opt(b.error), format_rfc3339(b.updated_at));
    if (!r) {
      return std::move(r).error();
    }
    if (*r != 1) {
      return Error::not_found("The book project is gone.");
    }
    return {};
  }

  Result<std::vector<BookProject>> list(Tx& tx, const std::string& org_id,
                                        const ListQuery& query) override {
    auto rows = tx.query("SELECT " + std::string(kBookColumns) +
                             " FROM books WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                         org_id, query.cursor, query.limit);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<BookProject> out;
    for (const auto& row : *rows) {
      out.push_back(book_of_row(row));
    }
    return out;
  }

  Result<std::optional<BookProject>> claim(Tx& tx, const std::string& now) override {
    auto rows = tx.query(kNextQueued);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<BookProject>();
    }
    const std::string id = (*rows)[0].get_text(0);
    const std::string org_id = (*rows)[0].get_text(1);
    auto marked = tx.execute(kMarkRunning, id, now);
    if (!marked) {
      return std::move(marked).error();
    }
    if (*marked != 1) {
      return std::optional<BookProject>();
    }
    return find(tx, org_id, id);
  }

  Result<int64_t> requeue_running(Tx& tx, const std::string& now) override {
    if (auto c = tx.execute(kCloseRunningVersions, now); !c) {
      return std::move(c).error();
    }
    return tx.execute(kRequeue, now);
  }

  Result<void> insert_version(Tx& tx, const BookVersion& v) override {
    auto r = tx.execute(kInsertVersion, v.book_id, v.number, v.org_id,
                        json::serialize(settings_json(v.settings)),
                        std::string(domain::stage_name(v.run_from)), v.status, v.summary_json,
                        format_rfc3339(v.created_at), finished(v));
    if (!r) {
      return std::move(r).error();
    }
    return {};
  }

  Result<void> update_version(Tx& tx, const BookVersion& v) override {
    auto r = tx.execute(kUpdateVersion, v.org_id, v.book_id, v.number, v.status, v.summary_json,
                        finished(v));
    if (!r) {
      return std::move(r).error();
    }
    return {};
  }

  Result<std::vector<BookVersion>> versions(Tx& tx, const std::string& org_id,
                                            const std::string& book_id) override {
    auto rows = tx.query("SELECT " + std::string(kVersionColumns) +
                             " FROM book_versions WHERE org_id = $1 AND book_id = $2 "
                             "ORDER BY number DESC",
                         org_id, book_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<BookVersion> out;
    for (const auto& row : *rows) {
      out.push_back(version_of_row(row));
    }
    return out;
  }

  Result<std::optional<BookVersion>> find_version(Tx& tx, const std::string& org_id,
                                                  const std::string& book_id,
                                                  int64_t number) override {
    auto rows = tx.query("SELECT " + std::string(kVersionColumns) +
                             " FROM book_versions WHERE org_id = $1 AND book_id = $2 "
                             "AND number = $3",
                         org_id, book_id, number);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<BookVersion>();
    }
    return std::optional<BookVersion>(version_of_row((*rows)[0]));
  }

  Result<void> put_file(Tx& tx, const std::string& org_id, const std::string& book_id,
                        int64_t version, const BookFile& f) override {
    auto r = tx.execute(kPutFile, book_id, version, f.name, org_id,
                        std::string(domain::stage_name(f.stage)), f.blob_key, f.content_type,
                        static_cast<int64_t>(f.size));
    if (!r) {
      return std::move(r).error();
    }
    return {};
  }

  Result<std::vector<BookFile>> files(Tx& tx, const std::string& org_id, const std::string& book_id,
                                      int64_t version) override {
    auto rows = tx.query(kFiles, org_id, book_id, version);
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<BookFile> out;
    for (const auto& row : *rows) {
      out.push_back(file_of_row(row));
    }
    return out;
  }

  Result<std::optional<BookFile>> file(Tx& tx, const std::string& org_id,
                                       const std::string& book_id, int64_t version,
                                       const std::string& name) override {
    auto rows = tx.query(kFile, org_id, book_id, version, name);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return std::optional<BookFile>();
    }
    return std::optional<BookFile>(file_of_row((*rows)[0]));
  }

 private:
  static std::optional<std::string> source_field(const BookProject& b, std::string Source::*field) {
    return b.source ? std::optional<std::string>((*b.source).*field) : std::nullopt;
  }
  static std::optional<std::string> run_from(const BookProject& b) {
    return b.run_from ? std::optional<std::string>(std::string(domain::stage_name(*b.run_from)))
                      : std::nullopt;
  }
  static std::optional<std::string> finished(const BookVersion& v) {
    return v.finished_at ? std::optional<std::string>(format_rfc3339(*v.finished_at))
                         : std::nullopt;
  }
};

}  // namespace

std::unique_ptr<BookStore> make_sql_store() {
  return std::make_unique<SqlBookStore>();
}

}  // namespace atelier::visiobook::app
