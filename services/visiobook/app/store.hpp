// The storage port of the VisioBook service; adapters/sql_store.cpp implements it on SQLite and
// PostgreSQL. Every call names the organisation and filters by it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atelier/db/database.hpp"
#include "visiobook/app/model.hpp"

namespace atelier::visiobook::app {

using Tx = db::Transaction;

class BookStore {
 public:
  virtual ~BookStore() = default;

  virtual Result<void> insert(Tx& tx, const BookProject& b) = 0;
  virtual Result<std::optional<BookProject>> find(Tx& tx, const std::string& org_id,
                                                  const std::string& id) = 0;
  // row_version versions what a user changes (title, author, settings, source, the start of a
  // run): the ETag of a project, checked by If-Match. The pipeline's progress moves without it.
  //
  // Writes every field of `b` when its stored row_version is `expected`; false when it moved.
  virtual Result<bool> update(Tx& tx, const BookProject& b, int64_t expected) = 0;
  // Writes title, author and settings only (a PATCH), on the same condition.
  virtual Result<bool> update_details(Tx& tx, const BookProject& b, int64_t expected) = 0;
  // Writes the pipeline's state only: status, stages, run_from, current_version, error.
  virtual Result<void> update_progress(Tx& tx, const BookProject& b) = 0;
  virtual Result<std::vector<BookProject>> list(Tx& tx, const std::string& org_id,
                                                const ListQuery& query) = 0;
  // The oldest queued book of any organisation, marked running (the worker's claim).
  virtual Result<std::optional<BookProject>> claim(Tx& tx, const std::string& now) = 0;
  // Books left running by a stopped process go back to the queue.
  virtual Result<int64_t> requeue_running(Tx& tx, const std::string& now) = 0;

  virtual Result<void> insert_version(Tx& tx, const BookVersion& v) = 0;
  virtual Result<void> update_version(Tx& tx, const BookVersion& v) = 0;
  virtual Result<std::vector<BookVersion>> versions(Tx& tx, const std::string& org_id,
                                                    const std::string& book_id) = 0;
  virtual Result<std::optional<BookVersion>> find_version(Tx& tx, const std::string& org_id,
                                                          const std::string& book_id,
                                                          int64_t number) = 0;

  virtual Result<void> put_file(Tx& tx, const std::string& org_id, const std::string& book_id,
                                int64_t version, const BookFile& f) = 0;
  virtual Result<std::vector<BookFile>> files(Tx& tx, const std::string& org_id,
                                              const std::string& book_id, int64_t version) = 0;
  virtual Result<std::optional<BookFile>> file(Tx& tx, const std::string& org_id,
                                               const std::string& book_id, int64_t version,
                                               const std::string& name) = 0;
};

std::unique_ptr<BookStore> make_sql_store();

}  // namespace atelier::visiobook::app
