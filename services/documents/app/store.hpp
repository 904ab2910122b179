// The storage port of the documents service; adapters/sql_store.cpp implements it on both engines.
// Every call takes the caller's organisation and filters by it (PostgreSQL adds row-level
// security behind that).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atelier/auth/policy.hpp"
#include "atelier/db/database.hpp"
#include "documents/app/model.hpp"

namespace atelier::documents::app {

using Tx = db::Transaction;

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Documents. find() sees deleted ones too (their deleted_at says so).
  virtual Result<std::optional<Document>> find(Tx& tx, const std::string& org_id,
                                               const std::string& id) = 0;
  virtual Result<void> insert(Tx& tx, const Document& d) = 0;
  // Writes every field of `d` whose row_version is `expected_row_version`; false when it moved.
  virtual Result<bool> update(Tx& tx, const Document& d, int64_t expected_row_version) = 0;
  // Live documents only, by id, after query.cursor.
  virtual Result<std::vector<Document>> list(Tx& tx, const std::string& org_id,
                                             const ListQuery& query, const ReadScope& scope) = 0;

  // The search index: a document's name and text (OCR), kept beside the row.
  virtual Result<void> index(Tx& tx, const std::string& org_id, const std::string& document_id,
                             const std::string& name, const std::string& body) = 0;
  virtual Result<void> index_name(Tx& tx, const std::string& org_id, const std::string& document_id,
                                  const std::string& name) = 0;
  // Live documents matching the words of `q`, best first, from `offset`.
  virtual Result<std::vector<SearchHit>> search(Tx& tx, const std::string& org_id,
                                                const std::string& q, const ReadScope& scope,
                                                int offset, int limit) = 0;

  // Versions.
  virtual Result<void> insert_version(Tx& tx, const Version& v) = 0;
  virtual Result<std::vector<Version>> versions(Tx& tx, const std::string& org_id,
                                                const std::string& document_id) = 0;
  virtual Result<std::optional<Version>> find_version(Tx& tx, const std::string& org_id,
                                                      const std::string& document_id,
                                                      int64_t number) = 0;

  // Bytes the organisation stores (every version of every document not yet purged).
  virtual Result<uint64_t> usage(Tx& tx, const std::string& org_id) = 0;

  // The purge: documents of any organisation deleted before `cutoff` (RFC 3339), and whether
  // any version of any organisation still names a blob. Cross-tenant transactions.
  virtual Result<std::vector<Document>> deleted_before(Tx& tx, const std::string& cutoff,
                                                       int limit) = 0;
  virtual Result<std::vector<std::string>> blobs_of(Tx& tx, const std::string& org_id,
                                                    const std::string& document_id) = 0;
  virtual Result<void> erase(Tx& tx, const std::string& org_id, const std::string& document_id) = 0;
  virtual Result<bool> blob_referenced(Tx& tx, const std::string& sha256) = 0;

  // The projections of the projects service's events.
  virtual Result<bool> project_known(Tx& tx, const std::string& org_id,
                                     const std::string& project_id) = 0;
  virtual Result<void> upsert_project(Tx& tx, const std::string& org_id,
                                      const std::string& project_id,
                                      const std::optional<std::string>& created_by) = 0;
  virtual Result<void> upsert_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                                   const std::string& participant_id,
                                   const std::optional<std::string>& user_id,
                                   auth::ProjectRole role) = 0;
  virtual Result<void> remove_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                                   const std::string& participant_id) = 0;
  // Removes the manager role a project's creator holds until the projects service names its
  // participants, once it speaks for that user.
  virtual Result<void> remove_creator_role(Tx& tx, const std::string& org_id,
                                           const std::string& project_id,
                                           const std::string& user_id) = 0;
  virtual Result<std::optional<auth::ProjectRole>> role_of(Tx& tx, const std::string& org_id,
                                                           const std::string& project_id,
                                                           const std::string& user_id) = 0;
};

}  // namespace atelier::documents::app
