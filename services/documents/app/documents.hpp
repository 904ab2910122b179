// The use cases of the documents service: upload, versions, metadata, downloads, soft delete with
// a retention period and the purge after it. Who may do what: a document linked to a project
// follows the project policy (documents.read / documents.write); one without a project is the
// organisation's staff's (owners, admins, members), never a guest's.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "atelier/auth/policy.hpp"
#include "atelier/blob/blob_store.hpp"
#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "documents/app/model.hpp"
#include "documents/app/store.hpp"

namespace atelier::documents::app {

// A body the server has streamed to a temporary file, with its size and SHA-256.
struct UploadedFile {
  std::filesystem::path path;
  uint64_t size = 0;
  std::string sha256;
};

struct NewDocument {
  UploadedFile file;
  std::string name;
  std::optional<std::string> project_id;
  std::optional<std::string> task_id;
  std::string folder;
  std::vector<std::string> tags;
};

// A JSON Merge Patch of a document's metadata: a member present is set; for the links, null
// clears them.
struct DocumentPatch {
  std::optional<std::string> name;
  std::optional<std::string> folder;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::optional<std::string>> project_id;
  std::optional<std::optional<std::string>> task_id;
};

// Checks the caller's precondition (If-Match) against the document's row version.
using VersionCheck = std::function<Result<void>(int64_t row_version)>;

// The bytes of one version, open for reading, and what to say about them.
struct Content {
  Version version;
  blob::BlobFile file;
};

struct PurgeReport {
  size_t documents = 0;
  size_t blobs = 0;
};

struct Settings {
  uint64_t quota_bytes = 10ull << 30;
  std::chrono::seconds retention = std::chrono::hours(24 * 30);
};

class Documents {
 public:
  Documents(db::Database& db, DocumentStore& store, blob::BlobStore& blobs,
            auth::Authorizer& authorizer, const Clock& clock, Settings settings,
            std::function<void()> events_written);

  Result<Document> upload(const Principal& caller, const NewDocument& doc);
  Result<Document> get(const Principal& caller, const std::string& id);
  // Fetches query.limit rows (the caller asks one more than it shows).
  Result<std::vector<Document>> list(const Principal& caller, const ListQuery& query);
  // Documents whose name or text match the words of `q`, best first; `limit` rows from `offset`.
  Result<std::vector<SearchHit>> search(const Principal& caller, const std::string& q, int offset,
                                        int limit);
  Result<Document> patch(const Principal& caller, const std::string& id, const DocumentPatch& patch,
                         const VersionCheck& check);

  // A new version with new bytes; `name` renames the document when not empty.
  Result<Document> add_version(const Principal& caller, const std::string& id,
                               const UploadedFile& file, const std::string& name);
  Result<std::vector<Version>> versions(const Principal& caller, const std::string& id);
  // The current version's bytes, or version `number`'s.
  Result<Content> content(const Principal& caller, const std::string& id,
                          std::optional<int64_t> number);
  // A new version with the bytes and name of version `number`.
  Result<Document> restore_version(const Principal& caller, const std::string& id, int64_t number);

  // Soft delete; restore() brings it back within the retention period.
  Result<void> remove(const Principal& caller, const std::string& id, const VersionCheck& check);
  Result<Document> restore(const Principal& caller, const std::string& id);
  // Removes documents deleted more than the retention period ago, with the blobs nothing else
  // refers to. Run periodically by the service; callable by tests and tools.
  Result<PurgeReport> purge_expired();

  // The live document `id` that the caller may act on with `action` (kNotFound otherwise, or
  // kForbidden when they see it but may not do this).
  Result<Document> document_for(const Principal& caller, const std::string& id,
                                auth::ProjectAction action) {
    return open(caller, id, action);
  }
  // The bytes of a live document of `org_id`, without a caller: for share links, which were
  // authorised when made.
  Result<Content> shared_content(const std::string& org_id, const std::string& id,
                                 std::optional<int64_t> number);

  // Whether `caller` may act on documents of `project_id` (or on the organisation's documents
  // without a project when nullopt). kNotFound when they may not even see them.
  Result<void> allow(const Principal& caller, const std::optional<std::string>& project_id,
                     auth::ProjectAction action);
  // Which documents `caller` may read, for lists and search.
  ReadScope read_scope(const Principal& caller) const;

  // Called in the transaction that stores a new version (the OCR pipeline queues its job there);
  // returns the OCR status the version starts with. `after_commit` runs once it is stored.
  using VersionHook = std::function<Result<std::string>(db::Transaction&, const Document&)>;
  void on_new_version(VersionHook hook, std::function<void()> after_commit) {
    version_hook_ = std::move(hook);
    after_version_ = std::move(after_commit);
  }

  const Clock& clock() const { return *clock_.load(); }
  // Tests move time by hand.
  void set_clock(const Clock& clock) { clock_.store(&clock); }

 private:
  // The live document `id` that the caller may act on with `action`.
  Result<Document> open(const Principal& caller, const std::string& id, auth::ProjectAction action,
                        bool deleted_too = false);
  // Stores the bytes (under the shared side of the purge lock, held by the returned guard).
  Result<blob::PutResult> store_blob(const UploadedFile& file);
  // After a failed write: removes a blob this request created if nothing refers to it.
  void forget_blob(const blob::PutResult& put);
  Result<Content> content_of(const Document& current, std::optional<int64_t> number);
  Result<Document> write_version(const Principal& caller, const Document& current,
                                 const Version& version);
  Result<void> check_quota(db::Transaction& tx, const std::string& org_id, uint64_t adding);

  db::Database& db_;
  DocumentStore& store_;
  blob::BlobStore& blobs_;
  auth::Authorizer& authorizer_;
  std::atomic<const Clock*> clock_;
  Settings settings_;
  std::function<void()> events_written_;
  VersionHook version_hook_;
  std::function<void()> after_version_;
  // Uploads hold it shared from storing a blob to committing the rows that name it; the purge
  // holds it exclusively while it checks whether a blob is named and removes it.
  std::shared_mutex blob_lock_;
};

// The PolicyAuthorizer over this service's projection of project roles. A project it has not
// heard of (or of another organisation) is kNotFound.
std::unique_ptr<auth::Authorizer> make_authorizer(db::Database& db, DocumentStore& store);

}  // namespace atelier::documents::app
