#include "visiobook/app/books.hpp"

#include <boost/json.hpp>
#include <fstream>

#include "atelier/core/uuid.hpp"
#include "visiobook/app/events.hpp"
#include "visiobook/app/json.hpp"

namespace atelier::visiobook::app {

namespace {

constexpr size_t kMaxTextBytes = 300;

db::TxOptions in_org(const std::string& org_id, db::TxMode mode = db::TxMode::kWrite) {
  return db::TxOptions{.mode = mode, .org_id = org_id};
}

void check_text(std::vector<FieldError>& errors, std::string_view field, const std::string& value,
                bool required) {
  if (required && value.empty()) {
    errors.push_back({std::string(field), "Required."});
  } else if (value.size() > kMaxTextBytes) {
    errors.push_back({std::string(field), "At most 300 bytes."});
  }
}

Result<void> validate_book(const std::string& title, const std::string& author,
                           const domain::Settings& settings) {
  std::vector<FieldError> errors = book_errors(title, author, settings);
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  return {};
}

Error not_found() {
  return Error::not_found("No such book project.");
}

bool starts_with(std::string_view s, std::string_view magic) {
  return s.substr(0, magic.size()) == magic;
}

}  // namespace

std::vector<FieldError> book_errors(const std::string& title, const std::string& author,
                                    const domain::Settings& settings) {
  std::vector<FieldError> errors;
  check_text(errors, "title", title, true);
  check_text(errors, "author", author, false);
  if (auto v = domain::validate(settings); !v) {
    for (auto f : v.error().fields) {
      f.field = "settings." + f.field;
      errors.push_back(std::move(f));
    }
  }
  return errors;
}

Result<std::string> sniff_source(std::string_view head, uint64_t size) {
  using namespace std::string_view_literals;
  if (size == 0) {
    return Error::invalid("The file is empty.");
  }
  if (starts_with(head, "\x89PNG\r\n\x1a\n"sv) || starts_with(head, "\xFF\xD8\xFF"sv) ||
      starts_with(head, "II*\0"sv) || starts_with(head, "MM\0*"sv)) {
    return std::string("image");
  }
  if (starts_with(head, "%PDF-"sv)) {
    return std::string("pdf");
  }
  if (starts_with(head, "PK\x03\x04"sv)) {
    // An EPUB is a zip whose first entry is "mimetype", stored, holding application/epub+zip.
    if (head.find("application/epub+zip") != std::string_view::npos) {
      return std::string("epub");
    }
    return Error::invalid("This zip archive is not an EPUB (no application/epub+zip mimetype).");
  }
  // Text: no NUL byte in what was looked at (UTF-16 and binaries have them).
  if (head.find('\0') != std::string_view::npos) {
    return Error::invalid(
        "This file is not a book we can read: send plain text (UTF-8 or Latin-1), an EPUB, a "
        "PDF, or scanned pages (PNG, JPEG, TIFF).");
  }
  return std::string("text");
}

Books::Books(db::Database& db, BookStore& store, blob::BlobStore& blobs, const Clock& clock,
             std::function<void()> events_written, std::function<void()> run_queued)
    : db_(db),
      store_(store),
      blobs_(blobs),
      clock_(clock),
      events_written_(std::move(events_written)),
      run_queued_(std::move(run_queued)) {}

Result<void> Books::may_write(const Principal& caller) const {
  if (caller.has_role("owner") || caller.has_role("admin") || caller.has_role("member")) {
    return {};
  }
  return Error::forbidden("Guests may look at book projects but not change them.");
}

Result<BookProject> Books::find(Tx& tx, const Principal& caller, const std::string& id) {
  auto found = store_.find(tx, caller.org_id, id);
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value()) {
    return not_found();
  }
  return std::move(**found);
}

Result<BookProject> Books::create(const Principal& caller, const NewBook& book) {
  if (auto w = may_write(caller); !w) {
    return w.error();
  }
  if (auto v = validate_book(book.title, book.author, book.settings); !v) {
    return v.error();
  }
  BookProject b;
  b.id = Uuid::v7(clock_).str();
  b.org_id = caller.org_id;
  b.title = book.title;
  b.author = book.author;
  b.settings = book.settings;
  b.created_by = caller.subject;
  b.created_at = b.updated_at = clock_.now();
  auto r = db_.transact(in_org(caller.org_id), [&](Tx& tx) -> Result<void> {
    if (auto i = store_.insert(tx, b); !i) {
      return i;
    }
    return emit_book_event(tx, clock_, "visiobook.BookCreated.v1", b,
                           {{"title", b.title}, {"created_by", b.created_by}});
  });
  if (!r) {
    return std::move(r).error();
  }
  events_written_();
  return b;
}

Result<BookProject> Books::get(const Principal& caller, const std::string& id) {
  return db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                      [&](Tx& tx) { return find(tx, caller, id); });
}

Result<std::vector<BookProject>> Books::list(const Principal& caller, const ListQuery& query) {
  return db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                      [&](Tx& tx) { return store_.list(tx, caller.org_id, query); });
}

Result<BookProject> Books::patch(const Principal& caller, const std::string& id,
                                 const BookPatch& patch, const VersionCheck& check) {
  if (auto w = may_write(caller); !w) {
    return w.error();
  }
  return db_.transact(in_org(caller.org_id), [&](Tx& tx) -> Result<BookProject> {
    auto b = find(tx, caller, id);
    if (!b) {
      return b;
    }
    if (auto c = check(b->row_version); !c) {
      return c.error();
    }
    BookProject next = *b;
    next.title = patch.title.value_or(b->title);
    next.author = patch.author.value_or(b->author);
    next.settings = patch.settings.value_or(b->settings);
    if (auto v = validate_book(next.title, next.author, next.settings); !v) {
      return v.error();
    }
    next.row_version = b->row_version + 1;
    next.updated_at = clock_.now();
    auto updated = store_.update_details(tx, next, b->row_version);
    if (!updated) {
      return std::move(updated).error();
    }
    if (!*updated) {
      return Error{ErrorCode::kPreconditionFailed, "The project changed meanwhile.", {}, {}};
    }
    return next;
  });
}

Result<BookProject> Books::set_source(const Principal& caller, const std::string& id,
                                      const UploadedFile& file, const std::string& name) {
  if (auto w = may_write(caller); !w) {
    return w.error();
  }
  // The project first: an unknown one is 404 whatever the bytes, and nothing is stored for it.
  if (auto b = get(caller, id); !b) {
    return std::move(b).error();
  }
  std::string head;
  {
    std::ifstream in(file.path, std::ios::binary);
    head.resize(4096);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
  }
  auto format = sniff_source(head, file.size);
  if (!format) {
    return std::move(format).error();
  }
  auto put = blobs_.put_file(file.path, blob::PutOptions{.trusted_key = file.sha256});
  if (!put) {
    return std::move(put).error();
  }
  return db_.transact(in_org(caller.org_id), [&](Tx& tx) -> Result<BookProject> {
    auto b = find(tx, caller, id);
    if (!b) {
      return b;
    }
    if (b->status == domain::Status::kQueued || b->status == domain::Status::kRunning) {
      return Error::conflict(
          "A run is in progress: wait for it to end before replacing the "
          "source.");
    }
    BookProject next = *b;
    next.source = Source{put->key, name, *format, put->size};
    next.stages = domain::initial_stages();
    next.status = domain::Status::kIdle;
    next.error.clear();
    next.row_version = b->row_version + 1;
    next.updated_at = clock_.now();
    auto updated = store_.update(tx, next, b->row_version);
    if (!updated) {
      return std::move(updated).error();
    }
    if (!*updated) {
      return Error::conflict("The project changed meanwhile: try again.");
    }
    return next;
  });
}

Result<BookProject> Books::run(const Principal& caller, const std::string& id, domain::Stage from) {
  if (auto w = may_write(caller); !w) {
    return w.error();
  }
  auto r = db_.transact(in_org(caller.org_id), [&](Tx& tx) -> Result<BookProject> {
    auto b = find(tx, caller, id);
    if (!b) {
      return b;
    }
    if (auto ok = domain::can_run(b->status, b->source.has_value(), b->stages, from); !ok) {
      return ok.error();
    }
    BookProject next = *b;
    next.status = domain::Status::kQueued;
    next.run_from = from;
    next.stages = domain::stages_for_run(b->stages, from);
    next.error.clear();
    next.row_version = b->row_version + 1;
    next.updated_at = clock_.now();
    auto updated = store_.update(tx, next, b->row_version);
    if (!updated) {
      return std::move(updated).error();
    }
    if (!*updated) {
      return Error::conflict("The project changed meanwhile: try again.");
    }
    return next;
  });
  if (r) {
    run_queued_();
  }
  return r;
}

Result<std::vector<BookVersion>> Books::versions(const Principal& caller, const std::string& id) {
  return db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                      [&](Tx& tx) -> Result<std::vector<BookVersion>> {
                        if (auto b = find(tx, caller, id); !b) {
                          return std::move(b).error();
                        }
                        return store_.versions(tx, caller.org_id, id);
                      });
}

Result<int64_t> Books::version_of(Tx& tx, const BookProject& book, std::optional<int64_t> number) {
  if (!number) {
    if (book.current_version == 0) {
      return Error::not_found("No run of this project has finished yet.");
    }
    return book.current_version;
  }
  auto v = store_.find_version(tx, book.org_id, book.id, *number);
  if (!v) {
    return std::move(v).error();
  }
  if (!v->has_value()) {
    return Error::not_found("No such version.");
  }
  return *number;
}

Result<int64_t> Books::version_for(Tx& tx, const Principal& caller, const std::string& id,
                                   std::optional<int64_t> number) {
  auto b = find(tx, caller, id);
  if (!b) {
    return std::move(b).error();
  }
  return version_of(tx, *b, number);
}

Result<std::pair<int64_t, BookFile>> Books::file_row(Tx& tx, const Principal& caller,
                                                     const std::string& id,
                                                     std::optional<int64_t> number,
                                                     const std::string& name) {
  auto version = version_for(tx, caller, id, number);
  if (!version) {
    return std::move(version).error();
  }
  auto f = store_.file(tx, caller.org_id, id, *version, name);
  if (!f) {
    return std::move(f).error();
  }
  if (!f->has_value()) {
    return Error::not_found("This version has no file named " + name + ".");
  }
  return std::pair{*version, std::move(**f)};
}

Result<std::vector<BookFile>> Books::files(const Principal& caller, const std::string& id,
                                           std::optional<int64_t> number) {
  return db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                      [&](Tx& tx) -> Result<std::vector<BookFile>> {
                        auto version = version_for(tx, caller, id, number);
                        if (!version) {
                          return std::move(version).error();
                        }
                        return store_.files(tx, caller.org_id, id, *version);
                      });
}

Result<FileContent> Books::file(const Principal& caller, const std::string& id,
                                std::optional<int64_t> number, const std::string& name) {
  auto found = db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                            [&](Tx& tx) { return file_row(tx, caller, id, number, name); });
  if (!found) {
    return std::move(found).error();
  }
  auto blob = blobs_.open(found->second.blob_key);
  if (!blob) {
    return std::move(blob).error();
  }
  return FileContent{std::move(found->second), std::move(*blob)};
}

Result<MediaLink> Books::media_link(const Principal& caller, const std::string& id,
                                    std::optional<int64_t> number, const std::string& name,
                                    TimePoint expires_at) {
  auto found = db_.transact(in_org(caller.org_id, db::TxMode::kRead),
                            [&](Tx& tx) { return file_row(tx, caller, id, number, name); });
  if (!found) {
    return std::move(found).error();
  }
  return MediaLink{caller.org_id, id, found->first, name, expires_at};
}

Result<FileContent> Books::linked_file(const MediaLink& link) {
  auto found = db_.transact(in_org(link.org_id, db::TxMode::kRead), [&](Tx& tx) {
    return store_.file(tx, link.org_id, link.book_id, link.version, link.name);
  });
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value()) {
    return Error::not_found("This link is not valid.");
  }
  auto blob = blobs_.open((*found)->blob_key);
  if (!blob) {
    return std::move(blob).error();
  }
  return FileContent{std::move(**found), std::move(*blob)};
}

Result<BookProject> Books::source_from_document(const Principal& caller, const std::string& id,
                                                const std::string& document_id,
                                                DocumentLibrary& library,
                                                const std::filesystem::path& dir,
                                                uint64_t max_bytes) {
  if (auto w = may_write(caller); !w) {
    return w.error();
  }
  if (auto b = get(caller, id); !b) {
    return std::move(b).error();
  }
  auto imported = library.import(caller, document_id, dir, max_bytes);
  if (!imported) {
    return std::move(imported).error();
  }
  auto b = set_source(caller, id, UploadedFile{imported->path, imported->size, imported->sha256},
                      imported->name);
  std::error_code ignored;
  std::filesystem::remove(imported->path, ignored);
  return b;
}

Result<ExportedDocument> Books::export_file(const Principal& caller, const std::string& id,
                                            std::optional<int64_t> number, const std::string& name,
                                            const std::optional<std::string>& project_id,
                                            DocumentLibrary& library,
                                            const std::filesystem::path& dir) {
  auto b = get(caller, id);
  if (!b) {
    return std::move(b).error();
  }
  auto content = file(caller, id, number, name);
  if (!content) {
    return std::move(content).error();
  }
  const auto path = dir / ("export-" + Uuid::v7(clock_).str());
  if (auto copied = content->blob.copy_to(path); !copied) {
    return copied.error();
  }
  const std::string base = name.substr(name.rfind('/') + 1);
  auto exported = library.export_file(
      caller, LocalFile{path, content->file.size, content->file.blob_key, b->title + " — " + base},
      project_id);
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return exported;
}

}  // namespace atelier::visiobook::app
