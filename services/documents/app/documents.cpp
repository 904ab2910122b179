#include "documents/app/documents.hpp"

#include <boost/json.hpp>
#include <mutex>

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "documents/app/document_json.hpp"
#include "documents/app/sniff.hpp"

namespace atelier::documents::app {

namespace json = boost::json;
using auth::ProjectAction;

namespace {

constexpr std::string_view kSource = "/services/documents";
constexpr size_t kMaxName = 255;
constexpr size_t kMaxFolder = 512;
constexpr size_t kMaxTags = 20;
constexpr size_t kMaxTag = 64;
constexpr int kPurgeBatch = 200;

db::TxOptions read_in(const Principal& caller) {
  return db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id};
}

db::TxOptions write_in(const std::string& org_id) {
  return db::TxOptions{.mode = db::TxMode::kWrite, .org_id = org_id};
}

db::TxOptions cross_tenant(db::TxMode mode) {
  return db::TxOptions{.mode = mode, .org_id = {}, .cross_tenant = true};
}

Error no_such_document() {
  return Error::not_found("No document with this id in your organisation.");
}

bool has_control(std::string_view text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) {
      return true;
    }
  }
  return false;
}

void check_name(std::string_view name, std::vector<FieldError>& errors) {
  if (name.empty() || name.size() > kMaxName || has_control(name) ||
      name.find_first_of("/\\") != std::string_view::npos || name == "." || name == "..") {
    errors.push_back(
        {"name", "A file name of 1 to 255 bytes, without '/', '\\' or control characters."});
  }
}

void check_folder(std::string_view folder, std::vector<FieldError>& errors) {
  if (folder.size() > kMaxFolder || has_control(folder) || folder.starts_with('/') ||
      folder.ends_with('/') || folder.find("//") != std::string_view::npos) {
    errors.push_back({"folder", "A folder path like \"Plans/Exécution\", at most 512 bytes."});
  }
}

void check_tags(const std::vector<std::string>& tags, std::vector<FieldError>& errors) {
  if (tags.size() > kMaxTags) {
    errors.push_back({"tags", "At most 20 tags."});
    return;
  }
  for (const auto& tag : tags) {
    if (tag.empty() || tag.size() > kMaxTag || has_control(tag)) {
      errors.push_back({"tags", "Each tag has 1 to 64 bytes, without control characters."});
      return;
    }
  }
}

void check_link(const std::optional<std::string>& id, std::string_view field,
                std::vector<FieldError>& errors) {
  if (id && !Uuid::parse(*id)) {
    errors.push_back({std::string(field), "A UUID, or null."});
  }
}

std::vector<std::string> unique_tags(std::vector<std::string> tags) {
  std::vector<std::string> out;
  for (auto& t : tags) {
    if (std::find(out.begin(), out.end(), t) == out.end()) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

bool org_staff(const Principal& caller) {
  return caller.has_role("owner") || caller.has_role("admin") || caller.has_role("member");
}

Result<void> emit_uploaded(db::Transaction& tx, const Clock& clock, const Document& d) {
  json::object data = document_json(d);
  data["org_id"] = d.org_id;
  return events::append(
      tx, events::CloudEvent::make(std::string(kSource), "documents.DocumentUploaded.v1", d.id,
                                   d.org_id, json::serialize(data), clock));
}

}  // namespace

std::unique_ptr<auth::Authorizer> make_authorizer(db::Database& db, DocumentStore& store) {
  return std::make_unique<auth::PolicyAuthorizer>(
      [&db, &store](const Principal& who,
                    std::string_view project_id) -> Result<std::optional<auth::ProjectRole>> {
        return db.transact(
            read_in(who), [&](db::Transaction& tx) -> Result<std::optional<auth::ProjectRole>> {
              auto known = store.project_known(tx, who.org_id, std::string(project_id));
              if (!known) {
                return std::move(known).error();
              }
              if (!*known) {
                return Error::not_found("No project with this id.");
              }
              if (who.kind != Principal::Kind::kUser) {
                return std::optional<auth::ProjectRole>();
              }
              return store.role_of(tx, who.org_id, std::string(project_id), who.subject);
            });
      });
}

Documents::Documents(db::Database& db, DocumentStore& store, blob::BlobStore& blobs,
                     auth::Authorizer& authorizer, const Clock& clock, Settings settings,
                     std::function<void()> events_written)
    : db_(db),
      store_(store),
      blobs_(blobs),
      authorizer_(authorizer),
      clock_(&clock),
      settings_(settings),
      events_written_(std::move(events_written)) {}

Result<void> Documents::allow(const Principal& caller, const std::optional<std::string>& project_id,
                              ProjectAction action) {
  if (project_id) {
    // The policy lets owners and admins act on any project id without a lookup: make sure the
    // project is one of their organisation's first.
    auto known = db_.transact(read_in(caller), [&](db::Transaction& tx) {
      return store_.project_known(tx, caller.org_id, *project_id);
    });
    if (!known) {
      return std::move(known).error();
    }
    if (!*known) {
      return Error::not_found("No project with this id in your organisation.");
    }
    return authorizer_.authorize(caller, action, *project_id);
  }
  if (!org_staff(caller)) {
    return no_such_document();
  }
  return {};
}

ReadScope Documents::read_scope(const Principal& caller) const {
  ReadScope scope;
  scope.whole_org =
      auth::decide(caller, ProjectAction::kDocumentsRead, std::nullopt) == auth::Decision::kAllow &&
      org_staff(caller);
  scope.user_id = caller.kind == Principal::Kind::kUser ? caller.subject : std::string();
  return scope;
}

Result<Document> Documents::open(const Principal& caller, const std::string& id,
                                 ProjectAction action, bool deleted_too) {
  if (!Uuid::parse(id)) {
    return no_such_document();
  }
  auto found = db_.transact(
      read_in(caller), [&](db::Transaction& tx) { return store_.find(tx, caller.org_id, id); });
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value() || ((*found)->deleted_at && !deleted_too)) {
    return no_such_document();
  }
  Document doc = std::move(**found);
  if (auto allowed = allow(caller, doc.project_id, action); !allowed) {
    if (allowed.error().code == ErrorCode::kNotFound) {
      return no_such_document();  // the same answer as for an id that does not exist
    }
    return std::move(allowed).error();
  }
  return doc;
}

Result<void> Documents::check_quota(db::Transaction& tx, const std::string& org_id,
                                    uint64_t adding) {
  auto used = store_.usage(tx, org_id);
  if (!used) {
    return std::move(used).error();
  }
  if (*used + adding > settings_.quota_bytes) {
    return Error{ErrorCode::kPayloadTooLarge,
                 "This file (" + std::to_string(adding) +
                     " bytes) would take your organisation's "
                     "documents over its storage quota: " +
                     std::to_string(*used) + " of " + std::to_string(settings_.quota_bytes) +
                     " bytes are used. Delete documents or "
                     "ask your administrator for more room.",
                 {},
                 {}};
  }
  return {};
}

Result<blob::PutResult> Documents::store_blob(const UploadedFile& file) {
  auto put = blobs_.put_file(file.path, blob::PutOptions{.trusted_key = file.sha256});
  if (!put) {
    log::error("documents.blob_store_failed").field("error", put.error().message);
    return Error{ErrorCode::kUnavailable, "The file could not be stored; retry later.", {}, {}};
  }
  return put;
}

void Documents::forget_blob(const blob::PutResult& put) {
  if (!put.created) {
    return;
  }
  std::unique_lock lock(blob_lock_);
  auto referenced = db_.transact(cross_tenant(db::TxMode::kRead), [&](db::Transaction& tx) {
    return store_.blob_referenced(tx, put.key);
  });
  if (referenced && !*referenced) {
    (void)blobs_.remove(put.key);
  }
}

Result<Document> Documents::upload(const Principal& caller, const NewDocument& doc) {
  std::vector<FieldError> errors;
  check_name(doc.name, errors);
  check_folder(doc.folder, errors);
  check_tags(doc.tags, errors);
  check_link(doc.project_id, "project_id", errors);
  check_link(doc.task_id, "task_id", errors);
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  if (!doc.project_id && !org_staff(caller)) {
    return Error::forbidden(
        "Guests file documents under the projects they take part in: give a project_id.");
  }
  if (auto allowed = allow(caller, doc.project_id, ProjectAction::kDocumentsWrite); !allowed) {
    if (allowed.error().code == ErrorCode::kNotFound && doc.project_id) {
      return Error::invalid("Some fields are missing or invalid.",
                            {{"project_id", "No project with this id in your organisation."}});
    }
    return std::move(allowed).error();
  }
  const std::string content_type = sniff_file(doc.file.path);
  const TimePoint now = clock().now();
  Document d;
  d.id = Uuid::v7(clock()).str();
  d.org_id = caller.org_id;
  d.name = doc.name;
  d.project_id = doc.project_id;
  d.task_id = doc.task_id;
  d.folder = doc.folder;
  d.tags = unique_tags(doc.tags);
  d.version = 1;
  d.size = doc.file.size;
  d.sha256 = doc.file.sha256;
  d.content_type = content_type;
  d.row_version = 1;
  d.created_by = caller.kind == Principal::Kind::kUser ? std::optional<std::string>(caller.subject)
                                                       : std::nullopt;
  d.created_at = now;
  d.updated_at = now;
  const Version v{d.id, d.org_id, 1, d.name, d.size, d.sha256, d.content_type, d.created_by, now};

  std::shared_lock lock(blob_lock_);
  auto put = store_blob(doc.file);
  if (!put) {
    return std::move(put).error();
  }
  auto written = db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) -> Result<void> {
    if (auto q = check_quota(tx, d.org_id, d.size); !q) {
      return q;
    }
    if (version_hook_) {
      auto status = version_hook_(tx, d);
      if (!status) {
        return std::move(status).error();
      }
      d.ocr_status = std::move(status).value();
    }
    if (auto r = store_.insert(tx, d); !r) {
      return r;
    }
    if (auto r = store_.insert_version(tx, v); !r) {
      return r;
    }
    if (auto r = store_.index(tx, d.org_id, d.id, d.name, ""); !r) {
      return r;
    }
    return emit_uploaded(tx, clock(), d);
  });
  lock.unlock();
  if (!written) {
    forget_blob(*put);
    return std::move(written).error();
  }
  if (events_written_) {
    events_written_();
  }
  if (after_version_) {
    after_version_();
  }
  return d;
}

Result<Document> Documents::get(const Principal& caller, const std::string& id) {
  return open(caller, id, ProjectAction::kDocumentsRead);
}

Result<std::vector<Document>> Documents::list(const Principal& caller, const ListQuery& query) {
  if (query.project_id) {
    if (!Uuid::parse(*query.project_id)) {
      return std::vector<Document>();
    }
    if (auto allowed = allow(caller, query.project_id, ProjectAction::kDocumentsRead); !allowed) {
      if (allowed.error().code == ErrorCode::kNotFound) {
        return std::vector<Document>();
      }
      return std::move(allowed).error();
    }
  }
  const ReadScope scope = read_scope(caller);
  return db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.list(tx, caller.org_id, query, scope);
  });
}

Result<Document> Documents::patch(const Principal& caller, const std::string& id,
                                  const DocumentPatch& patch, const VersionCheck& check) {
  auto current = open(caller, id, ProjectAction::kDocumentsWrite);
  if (!current) {
    return std::move(current).error();
  }
  if (auto r = check(current->row_version); !r) {
    return std::move(r).error();
  }
  std::vector<FieldError> errors;
  Document d = *current;
  if (patch.name) {
    check_name(*patch.name, errors);
    d.name = *patch.name;
  }
  if (patch.folder) {
    check_folder(*patch.folder, errors);
    d.folder = *patch.folder;
  }
  if (patch.tags) {
    check_tags(*patch.tags, errors);
    d.tags = unique_tags(*patch.tags);
  }
  if (patch.project_id) {
    check_link(*patch.project_id, "project_id", errors);
    d.project_id = *patch.project_id;
  }
  if (patch.task_id) {
    check_link(*patch.task_id, "task_id", errors);
    d.task_id = *patch.task_id;
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  if (d.project_id != current->project_id) {
    // Moving a document is writing into its new place too.
    if (auto allowed = allow(caller, d.project_id, ProjectAction::kDocumentsWrite); !allowed) {
      if (allowed.error().code == ErrorCode::kNotFound) {
        return Error::invalid("Some fields are missing or invalid.",
                              {{"project_id", "No project with this id in your organisation."}});
      }
      return std::move(allowed).error();
    }
  }
  d.row_version += 1;
  d.updated_at = clock().now();
  auto written = db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) -> Result<bool> {
    auto updated = store_.update(tx, d, current->row_version);
    if (updated && *updated && d.name != current->name) {
      if (auto r = store_.index_name(tx, d.org_id, d.id, d.name); !r) {
        return std::move(r).error();
      }
    }
    return updated;
  });
  if (!written) {
    return std::move(written).error();
  }
  if (!*written) {
    return Error{ErrorCode::kPreconditionFailed,
                 "The document changed while you edited it; read it again and retry.",
                 {},
                 {}};
  }
  return d;
}

Result<Document> Documents::write_version(const Principal& caller, const Document& current,
                                          const Version& version) {
  Document d = current;
  d.version = version.number;
  d.name = version.name;
  d.size = version.size;
  d.sha256 = version.sha256;
  d.content_type = version.content_type;
  d.ocr_status = "none";
  d.row_version += 1;
  d.updated_at = version.created_at;
  auto written = db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) -> Result<bool> {
    if (auto q = check_quota(tx, d.org_id, d.size); !q) {
      return std::move(q).error();
    }
    if (version_hook_) {
      auto status = version_hook_(tx, d);
      if (!status) {
        return std::move(status).error();
      }
      d.ocr_status = std::move(status).value();
    }
    auto updated = store_.update(tx, d, current.row_version);
    if (!updated || !*updated) {
      return updated;
    }
    if (auto r = store_.insert_version(tx, version); !r) {
      return std::move(r).error();
    }
    // The new bytes have no text yet (OCR fills it): the index holds the name alone.
    if (auto r = store_.index(tx, d.org_id, d.id, d.name, ""); !r) {
      return std::move(r).error();
    }
    if (auto r = emit_uploaded(tx, clock(), d); !r) {
      return std::move(r).error();
    }
    return true;
  });
  if (!written) {
    return std::move(written).error();
  }
  if (!*written) {
    return Error::conflict("Another version was added at the same time; read the document again.");
  }
  if (events_written_) {
    events_written_();
  }
  if (after_version_) {
    after_version_();
  }
  return d;
}

Result<Document> Documents::add_version(const Principal& caller, const std::string& id,
                                        const UploadedFile& file, const std::string& name) {
  auto current = open(caller, id, ProjectAction::kDocumentsWrite);
  if (!current) {
    return std::move(current).error();
  }
  if (!name.empty()) {
    std::vector<FieldError> errors;
    check_name(name, errors);
    if (!errors.empty()) {
      return Error::invalid("Some fields are missing or invalid.", std::move(errors));
    }
  }
  const Version v{current->id,
                  current->org_id,
                  current->version + 1,
                  name.empty() ? current->name : name,
                  file.size,
                  file.sha256,
                  sniff_file(file.path),
                  caller.kind == Principal::Kind::kUser ? std::optional<std::string>(caller.subject)
                                                        : std::nullopt,
                  clock().now()};
  std::shared_lock lock(blob_lock_);
  auto put = store_blob(file);
  if (!put) {
    return std::move(put).error();
  }
  auto written = write_version(caller, *current, v);
  lock.unlock();
  if (!written) {
    forget_blob(*put);
  }
  return written;
}

Result<std::vector<SearchHit>> Documents::search(const Principal& caller, const std::string& q,
                                                 int offset, int limit) {
  if (q.empty() || q.size() > 512) {
    return Error::invalid("Some query parameters are invalid.",
                          {{"q", "The words to look for, 1 to 512 bytes."}});
  }
  const ReadScope scope = read_scope(caller);
  return db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.search(tx, caller.org_id, q, scope, offset, limit);
  });
}

Result<std::vector<Version>> Documents::versions(const Principal& caller, const std::string& id) {
  auto current = open(caller, id, ProjectAction::kDocumentsRead);
  if (!current) {
    return std::move(current).error();
  }
  return db_.transact(read_in(caller),
                      [&](db::Transaction& tx) { return store_.versions(tx, caller.org_id, id); });
}

Result<Content> Documents::content(const Principal& caller, const std::string& id,
                                   std::optional<int64_t> number) {
  auto current = open(caller, id, ProjectAction::kDocumentsRead);
  if (!current) {
    return std::move(current).error();
  }
  return content_of(*current, number);
}

Result<Content> Documents::shared_content(const std::string& org_id, const std::string& id,
                                          std::optional<int64_t> number) {
  auto found = db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = org_id},
                            [&](db::Transaction& tx) { return store_.find(tx, org_id, id); });
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value() || (*found)->deleted_at) {
    return no_such_document();
  }
  return content_of(**found, number);
}

Result<Content> Documents::content_of(const Document& current, std::optional<int64_t> number) {
  const std::string& id = current.id;
  auto version = db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = current.org_id}, [&](db::Transaction& tx) {
        return store_.find_version(tx, current.org_id, id, number.value_or(current.version));
      });
  if (!version) {
    return std::move(version).error();
  }
  if (!version->has_value()) {
    return Error::not_found("This document has no version " +
                            std::to_string(number.value_or(current.version)) + ".");
  }
  auto file = blobs_.open((*version)->sha256);
  if (!file) {
    log::error("documents.blob_missing")
        .field("document_id", id)
        .field("sha256", (*version)->sha256)
        .field("error", file.error().message);
    return Error::internal("The file of this document cannot be read.");
  }
  return Content{std::move(**version), std::move(file).value()};
}

Result<Document> Documents::restore_version(const Principal& caller, const std::string& id,
                                            int64_t number) {
  auto current = open(caller, id, ProjectAction::kDocumentsWrite);
  if (!current) {
    return std::move(current).error();
  }
  auto old = db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.find_version(tx, caller.org_id, id, number);
  });
  if (!old) {
    return std::move(old).error();
  }
  if (!old->has_value()) {
    return Error::not_found("This document has no version " + std::to_string(number) + ".");
  }
  const Version v{current->id,
                  current->org_id,
                  current->version + 1,
                  (*old)->name,
                  (*old)->size,
                  (*old)->sha256,
                  (*old)->content_type,
                  caller.kind == Principal::Kind::kUser ? std::optional<std::string>(caller.subject)
                                                        : std::nullopt,
                  clock().now()};
  // The blob is named by version `number` all along: the purge cannot take it meanwhile.
  return write_version(caller, *current, v);
}

Result<void> Documents::remove(const Principal& caller, const std::string& id,
                               const VersionCheck& check) {
  auto current = open(caller, id, ProjectAction::kDocumentsWrite);
  if (!current) {
    return std::move(current).error();
  }
  if (auto r = check(current->row_version); !r) {
    return r;
  }
  Document d = *current;
  d.deleted_at = clock().now();
  d.updated_at = *d.deleted_at;
  d.row_version += 1;
  auto written = db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) {
    return store_.update(tx, d, current->row_version);
  });
  if (!written) {
    return std::move(written).error();
  }
  if (!*written) {
    return Error{ErrorCode::kPreconditionFailed,
                 "The document changed meanwhile; read it again and retry.",
                 {},
                 {}};
  }
  return {};
}

Result<Document> Documents::restore(const Principal& caller, const std::string& id) {
  auto current = open(caller, id, ProjectAction::kDocumentsWrite, true);
  if (!current) {
    return std::move(current).error();
  }
  if (!current->deleted_at) {
    return *current;  // nothing to do: restoring twice is harmless
  }
  if (clock().now() - *current->deleted_at > settings_.retention) {
    return Error{ErrorCode::kGone,
                 "This document was deleted more than the retention period ago and is being "
                 "purged.",
                 {},
                 {}};
  }
  Document d = *current;
  d.deleted_at.reset();
  d.updated_at = clock().now();
  d.row_version += 1;
  auto written = db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) {
    return store_.update(tx, d, current->row_version);
  });
  if (!written) {
    return std::move(written).error();
  }
  if (!*written) {
    return Error::conflict("The document changed meanwhile; retry.");
  }
  return d;
}

Result<PurgeReport> Documents::purge_expired() {
  PurgeReport report;
  const std::string cutoff = format_rfc3339(clock().now() - settings_.retention);
  for (;;) {
    auto expired = db_.transact(cross_tenant(db::TxMode::kRead), [&](db::Transaction& tx) {
      return store_.deleted_before(tx, cutoff, kPurgeBatch);
    });
    if (!expired) {
      return std::move(expired).error();
    }
    std::vector<std::string> candidates;
    for (const Document& d : *expired) {
      auto erased = db_.transact(write_in(d.org_id),
                                 [&](db::Transaction& tx) -> Result<std::vector<std::string>> {
                                   auto keys = store_.blobs_of(tx, d.org_id, d.id);
                                   if (!keys) {
                                     return keys;
                                   }
                                   if (auto r = store_.erase(tx, d.org_id, d.id); !r) {
                                     return std::move(r).error();
                                   }
                                   return keys;
                                 });
      if (!erased) {
        return std::move(erased).error();
      }
      candidates.insert(candidates.end(), erased->begin(), erased->end());
      ++report.documents;
    }
    std::unique_lock lock(blob_lock_);
    for (const auto& key : candidates) {
      auto referenced = db_.transact(cross_tenant(db::TxMode::kRead), [&](db::Transaction& tx) {
        return store_.blob_referenced(tx, key);
      });
      if (!referenced) {
        return std::move(referenced).error();
      }
      if (!*referenced) {
        if (auto r = blobs_.remove(key); !r) {
          return std::move(r).error();
        }
        ++report.blobs;
      }
    }
    if (expired->size() < static_cast<size_t>(kPurgeBatch)) {
      break;
    }
  }
  if (report.documents > 0) {
    log::info("documents.purged")
        .field("documents", static_cast<int64_t>(report.documents))
        .field("blobs", static_cast<int64_t>(report.blobs));
  }
  return report;
}

}  // namespace atelier::documents::app
