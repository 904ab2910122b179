#include "documents/adapters/routes.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "atelier/auth/encoding.hpp"
#include "atelier/blob/local_store.hpp"
#include "atelier/core/log.hpp"
#include "atelier/http/etag.hpp"
#include "atelier/http/file_response.hpp"
#include "atelier/http/json_body.hpp"
#include "atelier/http/multipart.hpp"
#include "atelier/http/pagination.hpp"
#include "documents/adapters/sql_store.hpp"
#include "documents/app/document_json.hpp"
#include "documents/app/documents.hpp"
#include "documents/app/ocr.hpp"
#include "documents/app/projections.hpp"
#include "documents/app/shares.hpp"

namespace atelier::documents {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr size_t kMaxQueryText = 512;

RouteOptions route(std::string name) {
  return RouteOptions{.blocking = true, .name = std::move(name), .anonymous = false};
}

std::string param(const Request& request, std::string_view name) {
  return std::string(request.param(name));
}

Response document_response(int status, const app::Document& d) {
  Response r = Response::json(status, app::document_json(d));
  r.headers.set("ETag", http::etag_for_version(d.row_version));
  return r;
}

app::VersionCheck if_match(const Request& request) {
  return [&request](int64_t row_version) {
    return http::check_if_match(request, http::etag_for_version(row_version), false);
  };
}

// The file name of a Content-Disposition header: filename*=UTF-8''%xx... wins over filename="...".
std::optional<std::string> disposition_name(std::string_view header) {
  auto value_of = [&](std::string_view key) -> std::optional<std::string> {
    size_t pos = 0;
    while ((pos = header.find(key, pos)) != std::string_view::npos) {
      const bool boundary = pos == 0 || header[pos - 1] == ';' || header[pos - 1] == ' ';
      pos += key.size();
      if (!boundary) {
        continue;
      }
      std::string_view rest = header.substr(pos);
      if (rest.starts_with('"')) {
        const size_t close = rest.find('"', 1);
        if (close == std::string_view::npos) {
          return std::nullopt;
        }
        return std::string(rest.substr(1, close - 1));
      }
      return std::string(rest.substr(0, rest.find(';')));
    }
    return std::nullopt;
  };
  if (auto extended = value_of("filename*=")) {
    constexpr std::string_view kUtf8 = "UTF-8''";
    if (extended->size() > kUtf8.size() &&
        http::iequals(extended->substr(0, kUtf8.size()), kUtf8)) {
      std::string decoded;
      if (http::decode_path(extended->substr(kUtf8.size()), decoded)) {
        return decoded;
      }
    }
  }
  return value_of("filename=");
}

std::vector<std::string> split_tags(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = text.find(',', pos);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    std::string tag = text.substr(pos, end - pos);
    while (!tag.empty() && tag.front() == ' ') {
      tag.erase(0, 1);
    }
    while (!tag.empty() && tag.back() == ' ') {
      tag.pop_back();
    }
    if (!tag.empty()) {
      out.push_back(std::move(tag));
    }
    if (comma == std::string::npos) {
      break;
    }
    pos = comma + 1;
  }
  return out;
}

// The bytes of an upload: the raw body as the server streamed it, or the file part of a
// multipart/form-data body (RFC 7578), copied to a temporary file of its own while it is hashed,
// with the form's text parts.
struct Upload {
  app::UploadedFile file;
  std::optional<std::string> filename;      // the file part's, or the Content-Disposition one's
  std::optional<http::MultipartForm> form;  // owns the file part's temporary file
};

Result<Upload> upload_of(const Request& request, const std::filesystem::path& dir,
                         uint64_t max_bytes) {
  Upload out;
  const http::UploadedBody& body = *request.upload;
  const std::string_view type = request.header("Content-Type");
  if (!http::is_multipart_form_data(type)) {
    out.file = {body.path, body.size, body.sha256};
    out.filename = disposition_name(request.header("Content-Disposition"));
    return out;
  }
  auto form = http::read_multipart(body.path, type, dir,
                                   http::MultipartLimits{.max_file_bytes = max_bytes});
  if (!form) {
    return std::move(form).error();
  }
  if (!form->file) {
    return Error::invalid("A multipart upload carries the file in a part with a filename.",
                          {{"file", "Add the file as a part with a filename."}});
  }
  const http::MultipartFile& file = *form->file;
  out.file = {file.path(), file.size(), file.sha256()};
  if (!file.filename.empty()) {
    out.filename = file.filename;
  }
  out.form = std::move(form).value();
  return out;
}

// The metadata of an upload: each of project_id, task_id, folder and tags=a,b comes from the
// multipart text part of that name when there is one, else from the query. An empty text part is
// an absent one (what a browser sends for a field left blank). The name is ?name=, else the file
// part's filename (or the Content-Disposition filename of a raw body).
Result<app::NewDocument> new_document_of(const Request& request, const Upload& upload) {
  app::NewDocument doc;
  doc.file = upload.file;
  if (auto name = request.query_param("name")) {
    doc.name = *name;
  } else if (upload.filename) {
    doc.name = *upload.filename;
  } else {
    return Error::invalid(
        "Name the file.",
        {{"name",
          "Pass ?name=, a multipart file part with a filename, or a Content-Disposition "
          "filename."}});
  }
  std::optional<std::string> project_id = request.query_param("project_id");
  std::optional<std::string> task_id = request.query_param("task_id");
  std::optional<std::string> folder = request.query_param("folder");
  std::optional<std::string> tags = request.query_param("tags");
  if (upload.form) {
    std::vector<FieldError> errors;
    std::vector<std::string> seen;
    std::vector<std::string> part_tags;
    for (const auto& [key, value] : upload.form->fields) {
      std::optional<std::string>* target = key == "project_id" ? &project_id
                                           : key == "task_id"  ? &task_id
                                           : key == "folder"   ? &folder
                                           : key == "tags"     ? &tags
                                                               : nullptr;
      if (target == nullptr) {
        errors.push_back({key,
                          "Unknown field: a multipart upload takes project_id, task_id, "
                          "folder and tags besides the file."});
        continue;
      }
      if (key == "tags") {
        part_tags.push_back(value);  // tags may come as several parts
        continue;
      }
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        errors.push_back({key, "Given twice."});
        continue;
      }
      seen.push_back(key);
      if (!value.empty()) {
        *target = value;
      }
    }
    if (!errors.empty()) {
      return Error::invalid("Some fields are missing or invalid.", std::move(errors));
    }
    if (!part_tags.empty()) {
      std::string joined;
      for (const auto& t : part_tags) {
        joined += t;
        joined += ',';
      }
      tags = std::move(joined);
    }
  }
  doc.project_id = std::move(project_id);
  doc.task_id = std::move(task_id);
  doc.folder = folder.value_or("");
  if (tags) {
    doc.tags = split_tags(*tags);
  }
  return doc;
}

Result<app::DocumentPatch> patch_of(const json::object& body) {
  app::DocumentPatch patch;
  std::vector<FieldError> errors;
  auto text = [&](std::string_view key, const json::value& v) -> std::optional<std::string> {
    if (!v.is_string()) {
      errors.push_back({std::string(key), "Expected a string."});
      return std::nullopt;
    }
    return std::string(v.as_string());
  };
  auto nullable = [&](std::string_view key,
                      const json::value& v) -> std::optional<std::optional<std::string>> {
    if (v.is_null()) {
      return std::optional<std::string>();
    }
    if (!v.is_string()) {
      errors.push_back({std::string(key), "Expected a string, or null."});
      return std::nullopt;
    }
    return std::optional<std::string>(std::string(v.as_string()));
  };
  for (const auto& [key, value] : body) {
    if (key == "name") {
      patch.name = text(key, value);
    } else if (key == "folder") {
      patch.folder = text(key, value);
    } else if (key == "project_id") {
      patch.project_id = nullable(key, value);
    } else if (key == "task_id") {
      patch.task_id = nullable(key, value);
    } else if (key == "tags") {
      std::vector<std::string> tags;
      bool ok = value.is_array();
      if (ok) {
        for (const auto& t : value.as_array()) {
          ok = ok && t.is_string();
          if (ok) {
            tags.emplace_back(t.as_string());
          }
        }
      }
      if (!ok) {
        errors.push_back({"tags", "Expected an array of strings."});
      } else {
        patch.tags = std::move(tags);
      }
    } else {
      errors.push_back({std::string(key), "Unknown field."});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  return patch;
}

Result<app::ListQuery> list_query_of(const Request& request) {
  std::vector<FieldError> errors;
  const http::PageRequest page = http::read_page(request, errors);
  app::ListQuery q;
  q.cursor = page.cursor;
  q.limit = page.limit + 1;
  q.project_id = request.query_param("project_id");
  q.folder = request.query_param("folder");
  q.tag = request.query_param("tag");
  q.q = request.query_param("q");
  for (const auto* text : {&q.project_id, &q.folder, &q.tag, &q.q}) {
    if (*text && (*text)->size() > kMaxQueryText) {
      errors.push_back({"q", "At most 512 bytes per filter."});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("Some query parameters are invalid.", std::move(errors));
  }
  return q;
}

std::optional<int64_t> version_number(const Request& request) {
  const std::string_view text = request.param("n");
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) {
    return std::nullopt;
  }
  return n;
}

json::object share_json(const app::Share& s) {
  return json::object{
      {"id", s.id},
      {"document_id", s.document_id},
      {"version", s.version ? json::value(*s.version) : json::value(nullptr)},
      {"has_password", s.password_hash.has_value()},
      {"expires_at", format_rfc3339(s.expires_at)},
      {"created_by", s.created_by ? json::value(*s.created_by) : json::value(nullptr)},
      {"created_at", format_rfc3339(s.created_at)},
      {"revoked_at", s.revoked_at ? json::value(format_rfc3339(*s.revoked_at)) : json::value()},
  };
}

Result<app::NewShare> new_share_of(const Request& request) {
  auto body = http::json_object_body(request);
  if (!body) {
    return std::move(body).error();
  }
  app::NewShare share;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : *body) {
    if (key == "expires_in") {
      if (!value.is_int64()) {
        errors.push_back({"expires_in", "Seconds, an integer."});
      } else {
        share.expires_in_seconds = value.as_int64();
      }
    } else if (key == "expires_at") {
      auto t = value.is_string() ? parse_rfc3339(value.as_string()) : std::nullopt;
      if (!t) {
        errors.push_back({"expires_at", "An RFC 3339 time."});
      } else {
        share.expires_at = *t;
      }
    } else if (key == "password") {
      if (!value.is_string()) {
        errors.push_back({"password", "Expected a string."});
      } else {
        share.password = std::string(value.as_string());
      }
    } else if (key == "version") {
      if (!value.is_int64()) {
        errors.push_back({"version", "A version number."});
      } else {
        share.version = value.as_int64();
      }
    } else {
      errors.push_back({std::string(key), "Unknown field."});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  return share;
}

// The password of a share link, from HTTP Basic credentials (any user name): browsers ask for it
// themselves after a 401 with a Basic challenge.
std::optional<std::string> basic_password(const Request& request) {
  const std::string_view header = request.header("Authorization");
  if (header.size() < 6 || !http::iequals(header.substr(0, 6), "Basic ")) {
    return std::nullopt;
  }
  auto decoded = auth::base64_decode(header.substr(6));
  if (!decoded) {
    return std::nullopt;
  }
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  return decoded->substr(colon + 1);
}

// Every page with its state (queued, running, done, failed) as the job goes; the text, its
// confidence and word boxes join the done pages once the job has stored them.
json::object ocr_json(const std::string& id, int64_t version, const app::OcrStatus& status) {
  json::array pages;
  auto text = status.pages.begin();
  for (const auto& state : status.page_states) {
    json::object page{{"number", state.number}, {"status", state.status}};
    while (text != status.pages.end() && text->number < state.number) {
      ++text;
    }
    if (text != status.pages.end() && text->number == state.number && state.status == "done") {
      boost::system::error_code ec;
      json::value words = json::parse(text->words_json, ec);
      page["text"] = text->text;
      page["confidence"] = text->confidence;
      page["width"] = text->width;
      page["height"] = text->height;
      page["from_text_layer"] = text->from_text_layer;
      page["words"] = ec ? json::value(json::array()) : std::move(words);
    }
    pages.push_back(std::move(page));
  }
  const auto& job = status.job;
  return json::object{
      {"document_id", id},
      {"version", version},
      {"status", job ? json::value(job->status) : json::value("none")},
      {"page_count", job ? job->page_count : 0},
      {"pages_done", job ? job->pages_done : 0},
      {"error", job && job->error ? json::value(*job->error) : json::value()},
      {"updated_at", job ? json::value(format_rfc3339(job->updated_at)) : json::value()},
      {"pages", std::move(pages)},
  };
}

json::object entity_json(const domain::Entity& e) {
  json::object o{{"kind", domain::kind_name(e.kind)},
                 {"value", e.value},
                 {"text", e.text},
                 {"page", e.page},
                 {"offset", e.offset},
                 {"length", e.length}};
  if (e.amount_minor) {
    o["amount_minor"] = *e.amount_minor;
    o["currency"] = e.currency;
    o["qualifier"] = e.qualifier.empty() ? json::value() : json::value(e.qualifier);
  }
  return o;
}

// ?version=n of the OCR routes: nullopt for the current one; 0 when malformed.
std::optional<int64_t> version_query(const Request& request) {
  auto text = request.query_param("version");
  if (!text) {
    return std::nullopt;
  }
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < 1) {
    return int64_t{0};
  }
  return n;
}

Response content_response(const Request& request, app::Content content) {
  http::FileRepresentation r;
  r.size = content.file.size();
  r.file = http::FileBody::adopt_fd(content.file.release());
  r.etag = "\"" + content.version.sha256 + "\"";
  r.content_type = content.version.content_type;
  r.content_disposition = http::content_disposition("attachment", content.version.name);
  r.cache_control = "private, no-cache";
  Response response = http::serve_file(request, std::move(r));
  // Sniffed types only, and never rendered as a page of ours.
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Content-Security-Policy", "sandbox");
  return response;
}

}  // namespace

struct DocumentsService::State {
  explicit State(db::Database& database) : db(database) {}

  db::Database& db;
  Options options;
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<app::DocumentStore> store;
  std::unique_ptr<auth::Authorizer> authorizer;
  std::unique_ptr<app::Documents> documents;
  std::unique_ptr<app::Projections> projections;
  std::unique_ptr<events::Consumer> consumer;
  std::unique_ptr<app::ShareStore> share_store;
  std::unique_ptr<app::Shares> shares;
  std::unique_ptr<app::OcrStore> ocr_store;
  std::unique_ptr<app::OcrPipeline> ocr;
  std::filesystem::path uploads_dir;

  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  uint64_t events_seen = 0;
  std::thread purger;

  void purge_loop() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      if (wake.wait_for(lock, options.purge_interval, [&] { return stopping; })) {
        return;
      }
      lock.unlock();
      if (auto r = documents->purge_expired(); !r) {
        log::warn("documents.purge_failed").field("error", r.error().message);
      }
      lock.lock();
    }
  }
};

DocumentsService::DocumentsService(std::unique_ptr<State> state) : state_(std::move(state)) {}

DocumentsService::~DocumentsService() {
  if (state_->ocr) {
    state_->ocr->stop();
  }
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (state_->purger.joinable()) {
    state_->purger.join();
  }
}

Result<std::unique_ptr<DocumentsService>> DocumentsService::create(db::Database& db,
                                                                   Options options) {
  auto state = std::make_unique<State>(db);
  State& s = *state;
  s.options = std::move(options);
  const std::filesystem::path root = s.options.data_dir / "documents";
  auto blobs = blob::open_local_store(root / "blobs");
  if (!blobs) {
    return std::move(blobs).error();
  }
  s.blobs = std::move(blobs).value();
  s.uploads_dir = root / "uploads";
  std::error_code ec;
  std::filesystem::create_directories(s.uploads_dir, ec);
  if (ec) {
    return Error::internal("cannot create " + s.uploads_dir.string() + ": " + ec.message());
  }
  s.store = adapters::make_sql_store();
  s.authorizer = app::make_authorizer(db, *s.store);
  s.documents = std::make_unique<app::Documents>(
      db, *s.store, *s.blobs, *s.authorizer, *s.options.clock,
      app::Settings{.quota_bytes = s.options.quota_bytes, .retention = s.options.retention}, [&s] {
        if (s.options.events_written) {
          s.options.events_written();
        }
      });
  s.projections = std::make_unique<app::Projections>(*s.store);
  s.share_store = app::make_sql_share_store();
  s.shares = std::make_unique<app::Shares>(db, *s.share_store, *s.documents);
  s.consumer = std::make_unique<events::Consumer>(
      db,
      events::ConsumerOptions{.name = "documents.project-projections",
                              .max_attempts = 5,
                              .initial_backoff = std::chrono::milliseconds(100),
                              .max_backoff = std::chrono::milliseconds(10'000),
                              .clock = s.options.clock,
                              .sleep = s.options.consumer_sleep},
      [&s](db::Transaction& tx, const events::CloudEvent& event) {
        return s.projections->apply(tx, event);
      });
  if (s.options.ocr_workers > 0) {
    s.ocr_store = app::make_sql_ocr_store();
    const int workers = s.options.ocr_workers;
    s.ocr = std::make_unique<app::OcrPipeline>(
        db, *s.store, *s.ocr_store, *s.blobs, *s.documents,
        [workers] {
          ocr::ReaderOptions reader_options;
          reader_options.workers = workers;
          return ocr::make_reader(reader_options);
        },
        workers,
        [&s] {
          if (s.options.events_written) {
            s.options.events_written();
          }
        });
    s.documents->on_new_version(
        [&s](db::Transaction& tx, const app::Document& d) -> Result<std::string> {
          if (!app::ocr_applies(d.content_type)) {
            return std::string("none");
          }
          app::OcrJob job;
          job.document_id = d.id;
          job.version = d.version;
          job.org_id = d.org_id;
          job.created_at = d.updated_at;
          job.updated_at = d.updated_at;
          if (auto r = s.ocr_store->enqueue(tx, job); !r) {
            return std::move(r).error();
          }
          return std::string("queued");
        },
        [&s] { s.ocr->notify(); });
    if (auto started = s.ocr->start(); !started) {
      return std::move(started).error();
    }
  }
  if (s.options.purge_interval.count() > 0) {
    s.purger = std::thread([&s] { s.purge_loop(); });
  }
  return std::unique_ptr<DocumentsService>(new DocumentsService(std::move(state)));
}

app::Documents& DocumentsService::documents() {
  return *state_->documents;
}

uint64_t DocumentsService::ocr_finished() const {
  return state_->ocr ? state_->ocr->finished() : 0;
}

Result<events::Consumer::Outcome> DocumentsService::deliver(const events::CloudEvent& event) {
  State& s = *state_;
  auto outcome = s.consumer->deliver(event);
  {
    std::lock_guard lock(s.mutex);
    ++s.events_seen;
  }
  s.wake.notify_all();
  return outcome;
}

void DocumentsService::subscribe(events::Bus& bus) {
  bus.subscribe(events::Subscription{"documents", app::Projections::event_types(),
                                     [this](const events::CloudEvent& event) {
                                       auto outcome = deliver(event);
                                       if (!outcome) {
                                         return Result<void>(std::move(outcome).error());
                                       }
                                       return Result<void>();
                                     }});
}

bool DocumentsService::wait_for_project(const std::string& org_id, const std::string& project_id,
                                        std::chrono::milliseconds timeout) {
  State& s = *state_;
  auto known = [&] {
    auto r = s.db.transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = org_id},
        [&](db::Transaction& tx) { return s.store->project_known(tx, org_id, project_id); });
    return r && *r;
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(s.mutex);
  for (;;) {
    const uint64_t seen = s.events_seen;
    lock.unlock();
    if (known()) {
      return true;
    }
    lock.lock();
    if (!s.wake.wait_until(lock, deadline, [&] { return s.events_seen != seen; })) {
      return false;
    }
  }
}

void DocumentsService::add_routes(http::Router& router) {
  State& s = *state_;
  app::Documents& documents = *s.documents;
  const uint64_t max_upload = s.options.max_upload_bytes;
  const std::filesystem::path uploads = s.uploads_dir;
  // Every route needs credentials; the organisation is always the caller's
  // (request.principal->org_id). Uploads, raw bodies or multipart/form-data, are streamed to disk
  // and never held in memory.

  router.add(
      Method::kPost, "/api/v1/documents",
      [&documents, uploads, max_upload](Request& request) {
        auto body = upload_of(request, uploads, max_upload);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto doc = new_document_of(request, *body);
        if (!doc) {
          return Response::problem(doc.error(), request);
        }
        auto created = documents.upload(*request.principal, *doc);
        if (!created) {
          return Response::problem(created.error(), request);
        }
        Response r = document_response(201, *created);
        r.headers.set("Location", "/api/v1/documents/" + created->id);
        return r;
      },
      route("documents.upload").with_streamed_body(max_upload, uploads));

  router.add(
      Method::kGet, "/api/v1/documents",
      [&documents](Request& request) {
        auto query = list_query_of(request);
        if (!query) {
          return Response::problem(query.error(), request);
        }
        auto rows = documents.list(*request.principal, *query);
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(
            *rows, query->limit - 1, [](const app::Document& d) { return app::document_json(d); },
            [](const app::Document& d) { return d.id; });
      },
      route("documents.list"));

  router.add(
      Method::kGet, "/api/v1/documents/search",
      [&documents](Request& request) {
        std::vector<FieldError> errors;
        const http::PageRequest page = http::read_page(request, errors);
        int offset = 0;
        if (!page.cursor.empty()) {
          const auto [end, ec] =
              std::from_chars(page.cursor.data(), page.cursor.data() + page.cursor.size(), offset);
          if (ec != std::errc() || end != page.cursor.data() + page.cursor.size() || offset < 0 ||
              offset > 100'000) {
            errors.push_back({"cursor", "Pass the next_cursor of the previous page."});
          }
        }
        if (!errors.empty()) {
          return Response::problem(
              Error::invalid("Some query parameters are invalid.", std::move(errors)), request);
        }
        auto hits = documents.search(*request.principal, request.query_param("q").value_or(""),
                                     offset, page.limit + 1);
        if (!hits) {
          return Response::problem(hits.error(), request);
        }
        json::array items;
        const size_t shown = std::min(hits->size(), static_cast<size_t>(page.limit));
        for (size_t i = 0; i < shown; ++i) {
          json::object item = app::document_json((*hits)[i].document);
          item["snippet"] = (*hits)[i].snippet;
          items.push_back(std::move(item));
        }
        json::value next = nullptr;
        if (hits->size() > shown) {
          next = json::value(std::to_string(offset + page.limit));
        }
        return Response::json(200,
                              json::object{{"items", std::move(items)}, {"next_cursor", next}});
      },
      route("documents.search"));

  router.add(
      Method::kGet, "/api/v1/documents/{id}",
      [&documents](Request& request) {
        auto doc = documents.get(*request.principal, param(request, "id"));
        if (!doc) {
          return Response::problem(doc.error(), request);
        }
        if (http::not_modified(request, http::etag_for_version(doc->row_version))) {
          Response r;
          r.status = 304;
          r.headers.set("ETag", http::etag_for_version(doc->row_version));
          return r;
        }
        return document_response(200, *doc);
      },
      route("documents.get"));

  router.add(
      Method::kPatch, "/api/v1/documents/{id}",
      [&documents](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto patch = patch_of(*body);
        if (!patch) {
          return Response::problem(patch.error(), request);
        }
        auto doc =
            documents.patch(*request.principal, param(request, "id"), *patch, if_match(request));
        if (!doc) {
          return Response::problem(doc.error(), request);
        }
        return document_response(200, *doc);
      },
      route("documents.update"));

  router.add(
      Method::kDelete, "/api/v1/documents/{id}",
      [&documents](Request& request) {
        auto done = documents.remove(*request.principal, param(request, "id"), if_match(request));
        if (!done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      route("documents.delete"));

  router.add(
      Method::kPost, "/api/v1/documents/{id}/restore",
      [&documents](Request& request) {
        auto doc = documents.restore(*request.principal, param(request, "id"));
        if (!doc) {
          return Response::problem(doc.error(), request);
        }
        return document_response(200, *doc);
      },
      route("documents.restore"));

  router.add(
      Method::kGet, "/api/v1/documents/{id}/content",
      [&documents](Request& request) {
        auto content = documents.content(*request.principal, param(request, "id"), std::nullopt);
        if (!content) {
          return Response::problem(content.error(), request);
        }
        return content_response(request, std::move(content).value());
      },
      route("documents.content"));

  // OCR: status and pages, then the entities read from the text.
  if (s.ocr) {
    app::OcrPipeline& ocr = *s.ocr;
    router.add(
        Method::kGet, "/api/v1/documents/{id}/ocr",
        [&ocr](Request& request) {
          const auto number = version_query(request);
          if (number && *number == 0) {
            return Response::problem(
                Error::invalid("Some query parameters are invalid.",
                               {{"version", "A version number of the document."}}),
                request);
          }
          auto status = ocr.status(*request.principal, param(request, "id"), number);
          if (!status) {
            return Response::problem(status.error(), request);
          }
          const int64_t version = status->job ? status->job->version : number.value_or(0);
          return Response::json(200, ocr_json(param(request, "id"), version, *status));
        },
        route("documents.ocr"));
    router.add(
        Method::kGet, "/api/v1/documents/{id}/entities",
        [&ocr](Request& request) {
          const auto number = version_query(request);
          if (number && *number == 0) {
            return Response::problem(
                Error::invalid("Some query parameters are invalid.",
                               {{"version", "A version number of the document."}}),
                request);
          }
          auto entities = ocr.entities(*request.principal, param(request, "id"), number);
          if (!entities) {
            return Response::problem(entities.error(), request);
          }
          json::array items;
          for (const auto& e : *entities) {
            items.push_back(entity_json(e));
          }
          return Response::json(
              200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
        },
        route("documents.entities"));
  }

  // Share links.
  app::Shares& shares = *s.shares;
  router.add(
      Method::kPost, "/api/v1/documents/{id}/shares",
      [&shares](Request& request) {
        auto share = new_share_of(request);
        if (!share) {
          return Response::problem(share.error(), request);
        }
        auto created = shares.create(*request.principal, param(request, "id"), *share);
        if (!created) {
          return Response::problem(created.error(), request);
        }
        json::object body = share_json(created->share);
        body["token"] = created->token;
        body["url"] = "/s/" + created->token;
        Response r = Response::json(201, body);
        r.headers.set("Location", "/s/" + created->token);
        return r;
      },
      route("documents.shares.create").with_secret_response());

  router.add(
      Method::kGet, "/api/v1/documents/{id}/shares",
      [&shares](Request& request) {
        auto list = shares.list(*request.principal, param(request, "id"));
        if (!list) {
          return Response::problem(list.error(), request);
        }
        json::array items;
        for (const auto& share : *list) {
          items.push_back(share_json(share));
        }
        return Response::json(200,
                              json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
      },
      route("documents.shares.list"));

  router.add(
      Method::kDelete, "/api/v1/documents/{id}/shares/{share_id}",
      [&shares](Request& request) {
        auto done =
            shares.revoke(*request.principal, param(request, "id"), param(request, "share_id"));
        if (!done) {
          return Response::problem(done.error(), request);
        }
        return Response::no_content();
      },
      route("documents.shares.revoke"));

  // The public end of a share link: no account, the token is the credential.
  router.add(
      Method::kGet, "/s/{token}",
      [&shares](Request& request) {
        auto content = shares.open(param(request, "token"), basic_password(request));
        if (!content) {
          Response r = Response::problem(content.error(), request);
          if (content.error().code == ErrorCode::kUnauthenticated) {
            r.headers.set("WWW-Authenticate",
                          "Basic realm=\"Atelier shared document\", charset=\"UTF-8\"");
          }
          r.headers.set("Cache-Control", "no-store");
          return r;
        }
        Response r = content_response(request, std::move(content).value());
        r.headers.set("Cache-Control", "private, no-store");
        r.headers.set("Referrer-Policy", "no-referrer");
        return r;
      },
      RouteOptions::public_route("documents.shares.download"));

  // Versions.
  router.add(
      Method::kPost, "/api/v1/documents/{id}/versions",
      [&documents, uploads, max_upload](Request& request) {
        auto body = upload_of(request, uploads, max_upload);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        if (body->form && !body->form->fields.empty()) {
          std::vector<FieldError> errors;
          for (const auto& field : body->form->fields) {
            errors.push_back({field.first, "Unknown field: a new version takes the file only."});
          }
          return Response::problem(
              Error::invalid("Some fields are missing or invalid.", std::move(errors)), request);
        }
        const std::string name = request.query_param("name").value_or(body->filename.value_or(""));
        auto doc =
            documents.add_version(*request.principal, param(request, "id"), body->file, name);
        if (!doc) {
          return Response::problem(doc.error(), request);
        }
        return document_response(201, *doc);
      },
      route("documents.versions.create").with_streamed_body(max_upload, uploads));

  router.add(
      Method::kGet, "/api/v1/documents/{id}/versions",
      [&documents](Request& request) {
        auto versions = documents.versions(*request.principal, param(request, "id"));
        if (!versions) {
          return Response::problem(versions.error(), request);
        }
        json::array items;
        for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
          items.push_back(app::version_json(*it));
        }
        return Response::json(200,
                              json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
      },
      route("documents.versions.list"));

  router.add(
      Method::kGet, "/api/v1/documents/{id}/versions/{n}/content",
      [&documents](Request& request) {
        const auto n = version_number(request);
        if (!n) {
          return Response::problem(Error::not_found("No such version."), request);
        }
        auto content = documents.content(*request.principal, param(request, "id"), *n);
        if (!content) {
          return Response::problem(content.error(), request);
        }
        return content_response(request, std::move(content).value());
      },
      route("documents.versions.content"));

  router.add(
      Method::kPost, "/api/v1/documents/{id}/versions/{n}/restore",
      [&documents](Request& request) {
        const auto n = version_number(request);
        if (!n) {
          return Response::problem(Error::not_found("No such version."), request);
        }
        auto doc = documents.restore_version(*request.principal, param(request, "id"), *n);
        if (!doc) {
          return Response::problem(doc.error(), request);
        }
        return document_response(201, *doc);
      },
      route("documents.versions.restore"));
}

}  // namespace atelier::documents
