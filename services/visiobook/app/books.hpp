// The use cases of the VisioBook service: book projects and their settings, the source file, runs
// of the pipeline (from any stage), the history of versions and the files each one produced.
// Who may do what: every member of the organisation reads; owners, admins and members write;
// guests (external contractors) only read.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atelier/blob/blob_store.hpp"
#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "visiobook/app/library.hpp"
#include "visiobook/app/media_links.hpp"
#include "visiobook/app/store.hpp"

namespace atelier::visiobook::app {

struct NewBook {
  std::string title;
  std::string author;
  domain::Settings settings;
};

// A JSON Merge Patch of a project: a member present is set.
struct BookPatch {
  std::optional<std::string> title;
  std::optional<std::string> author;
  std::optional<domain::Settings> settings;  // the whole settings after the merge
};

// A body the server streamed to a temporary file, with its size and SHA-256.
struct UploadedFile {
  std::filesystem::path path;
  uint64_t size = 0;
  std::string sha256;
};

using VersionCheck = std::function<Result<void>(int64_t row_version)>;

struct FileContent {
  BookFile file;
  blob::BlobFile blob;
};

// What is wrong with a project's title, author and settings, field by field ("settings.voice").
std::vector<FieldError> book_errors(const std::string& title, const std::string& author,
                                    const domain::Settings& settings);

// What the source's first bytes say it is: "text", "epub", "pdf", "image", or kInvalid naming
// what is accepted.
Result<std::string> sniff_source(std::string_view head, uint64_t size);

class Books {
 public:
  Books(db::Database& db, BookStore& store, blob::BlobStore& blobs, const Clock& clock,
        std::function<void()> events_written, std::function<void()> run_queued);

  Result<BookProject> create(const Principal& caller, const NewBook& book);
  Result<BookProject> get(const Principal& caller, const std::string& id);
  Result<std::vector<BookProject>> list(const Principal& caller, const ListQuery& query);
  Result<BookProject> patch(const Principal& caller, const std::string& id, const BookPatch& patch,
                            const VersionCheck& check);
  // Replaces the source; the pipeline's stages go back to pending.
  Result<BookProject> set_source(const Principal& caller, const std::string& id,
                                 const UploadedFile& file, const std::string& name);
  // Queues a run from `from` (kConflict when it cannot start, saying why).
  Result<BookProject> run(const Principal& caller, const std::string& id, domain::Stage from);

  Result<std::vector<BookVersion>> versions(const Principal& caller, const std::string& id);
  // The files of version `number`, or of the current version (the last finished run).
  Result<std::vector<BookFile>> files(const Principal& caller, const std::string& id,
                                      std::optional<int64_t> number);
  Result<FileContent> file(const Principal& caller, const std::string& id,
                           std::optional<int64_t> number, const std::string& name);

  // A signed link to a file of version `number` (or the current one), good until `expires_at`:
  // what a <video> element can stream. `key` signs it (auth::kMacKeyBytes).
  Result<MediaLink> media_link(const Principal& caller, const std::string& id,
                               std::optional<int64_t> number, const std::string& name,
                               TimePoint expires_at);
  // The file a signed link names, without a caller: the link was authorised when it was made.
  Result<FileContent> linked_file(const MediaLink& link);

  // The source from a document of the documents service (its current version), through `dir`.
  Result<BookProject> source_from_document(const Principal& caller, const std::string& id,
                                           const std::string& document_id, DocumentLibrary& library,
                                           const std::filesystem::path& dir, uint64_t max_bytes);
  // A file of version `number` (or the current one) as a new document, "<title> — <file>".
  Result<ExportedDocument> export_file(const Principal& caller, const std::string& id,
                                       std::optional<int64_t> number, const std::string& name,
                                       const std::optional<std::string>& project_id,
                                       DocumentLibrary& library, const std::filesystem::path& dir);

 private:
  Result<void> may_write(const Principal& caller) const;
  Result<BookProject> find(Tx& tx, const Principal& caller, const std::string& id);
  Result<int64_t> version_of(Tx& tx, const BookProject& book, std::optional<int64_t> number);
  // The caller's book `id` and its version `number` (or current one), checked.
  Result<int64_t> version_for(Tx& tx, const Principal& caller, const std::string& id,
                              std::optional<int64_t> number);
  // That version's number and its file `name` (kNotFound when it has none by that name).
  Result<std::pair<int64_t, BookFile>> file_row(Tx& tx, const Principal& caller,
                                                const std::string& id,
                                                std::optional<int64_t> number,
                                                const std::string& name);

  db::Database& db_;
  BookStore& store_;
  blob::BlobStore& blobs_;
  const Clock& clock_;
  std::function<void()> events_written_;
  std::function<void()> run_queued_;
};

}  // namespace atelier::visiobook::app
