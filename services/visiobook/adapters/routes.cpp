#include "visiobook/adapters/routes.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "atelier/auth/secrets.hpp"
#include "atelier/blob/local_store.hpp"
#include "atelier/core/log.hpp"
#include "atelier/http/etag.hpp"
#include "atelier/http/file_response.hpp"
#include "atelier/http/json_body.hpp"
#include "atelier/http/pagination.hpp"
#include "visiobook/adapters/chat_analyst.hpp"
#include "visiobook/adapters/http_studio.hpp"
#include "visiobook/adapters/local_studio.hpp"
#include "visiobook/app/books.hpp"
#include "visiobook/app/json.hpp"
#include "visiobook/app/pipeline.hpp"
#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr size_t kMaxTitleBytes = 300;
// The analysis endpoints answer on the spot: a few chapters, not a whole library.
constexpr size_t kMaxAnalysedTextBytes = 2u << 20;

RouteOptions route(std::string name) {
  return RouteOptions{.blocking = true, .name = std::move(name), .anonymous = false};
}

Response book_response(int status, const app::BookProject& b) {
  Response r = Response::json(status, app::book_project_json(b));
  r.headers.set("ETag", http::etag_for_version(b.row_version));
  return r;
}

// Reads the settings members of a JSON object over `base`: each bad one is a field error.
domain::Settings settings_over(const json::object& body, domain::Settings base,
                               std::vector<FieldError>& errors) {
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    const json::value* v = body.if_contains(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_string()) {
      errors.push_back({std::string(key), "Expected a string."});
      return std::nullopt;
    }
    return std::string(v->as_string());
  };
  if (auto s = text("style")) {
    if (auto style = domain::parse_style(*s)) {
      base.style = *style;
    } else {
      errors.push_back({"style", "One of sketch, comic, noir."});
    }
  }
  if (auto s = text("aspect")) {
    if (auto aspect = domain::parse_aspect(*s)) {
      base.aspect = *aspect;
    } else {
      errors.push_back({"aspect", "One of 16:9, 4:3, 1:1, 9:16."});
    }
  }
  if (auto s = text("pacing")) {
    if (auto pacing = domain::parse_pacing(*s)) {
      base.pacing = *pacing;
    } else {
      errors.push_back({"pacing", "One of slow, normal, fast."});
    }
  }
  if (const json::value* v = body.if_contains("language"); v != nullptr && v->is_null()) {
    base.language.reset();
  } else if (auto s = text("language")) {
    if (auto language = domain::parse_language(*s)) {
      base.language = *language;
    } else {
      errors.push_back({"language", "fr, en, or null to detect it from the text."});
    }
  }
  if (auto s = text("voice")) {
    base.voice = *s;
  }
  if (const json::value* v = body.if_contains("target_minutes")) {
    if (v->is_int64()) {
      base.target_minutes = static_cast<int>(std::clamp<int64_t>(v->as_int64(), -1, 100000));
    } else {
      errors.push_back({"target_minutes", "Expected a whole number of minutes."});
    }
  }
  return base;
}

// The members a book body may have: title, author and a settings object. Each member that cannot
// be read adds a field error.
app::BookPatch read_patch(const json::object& body, const domain::Settings& base,
                          std::vector<FieldError>& errors) {
  app::BookPatch patch;
  for (const auto& [key, v] : body) {
    if (key == "title" || key == "author") {
      if (!v.is_string() || v.as_string().size() > kMaxTitleBytes) {
        errors.push_back({std::string(key), "Expected a string of at most 300 bytes."});
      } else {
        (key == "title" ? patch.title : patch.author) = std::string(v.as_string());
      }
    } else if (key == "settings") {
      if (!v.is_object()) {
        errors.push_back({"settings", "Expected an object."});
        continue;
      }
      std::vector<FieldError> setting_errors;
      patch.settings = settings_over(v.as_object(), base, setting_errors);
      for (auto& e : setting_errors) {
        errors.push_back({"settings." + e.field, e.message});
      }
      for (const auto& [name, ignored] : v.as_object()) {
        static constexpr std::array<std::string_view, 6> kKnown = {
            "style", "aspect", "pacing", "language", "voice", "target_minutes"};
        if (std::find(kKnown.begin(), kKnown.end(), std::string_view(name)) == kKnown.end()) {
          errors.push_back({"settings." + std::string(name), "Unknown setting."});
        }
      }
    } else {
      errors.push_back({std::string(key), "Unknown field."});
    }
  }
  return patch;
}

Result<app::BookPatch> patch_of(const json::object& body, const domain::Settings& base) {
  std::vector<FieldError> errors;
  app::BookPatch patch = read_patch(body, base, errors);
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  return patch;
}

// ?version=n: nullopt for the current version; an error for anything but a positive number.
Result<std::optional<int64_t>> version_query(const Request& request) {
  auto text = request.query_param("version");
  if (!text) {
    return std::optional<int64_t>();
  }
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < 1) {
    return Error::invalid("Some query parameters are invalid.",
                          {{"version", "A version number, from 1."}});
  }
  return std::optional<int64_t>(n);
}

Response file_response(const Request& request, app::FileContent content) {
  http::FileRepresentation r;
  r.size = content.blob.size();
  r.file = http::FileBody::adopt_fd(content.blob.release());
  r.etag = "\"" + content.file.blob_key + "\"";
  r.content_type = content.file.content_type;
  const std::string base = content.file.name.substr(content.file.name.rfind('/') + 1);
  r.content_disposition =
      http::content_disposition(request.query_param("download") ? "attachment" : "inline", base);
  r.cache_control = "private, no-cache";
  Response response = http::serve_file(request, std::move(r));
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}

// The text of an analysis request: {"text": "...", "language": "fr"|"en"} as a one-chapter book
// (chapter headings in the text still split it).
Result<domain::Book> analysed_text(const Request& request) {
  auto body = http::json_object_body(request);
  if (!body) {
    return std::move(body).error();
  }
  const json::value* text = body->if_contains("text");
  if (text == nullptr || !text->is_string() || text->as_string().empty()) {
    return Error::invalid("Some fields are missing or invalid.",
                          {{"text", "The text to analyse, as a non-empty string."}});
  }
  if (text->as_string().size() > kMaxAnalysedTextBytes) {
    return Error::invalid("Some fields are missing or invalid.",
                          {{"text", "At most 2 MiB: for a whole book, create a book project."}});
  }
  auto book = ingest::read_text(std::string_view(text->as_string()));
  if (!book) {
    return std::move(book).error();
  }
  if (const json::value* lang = body->if_contains("language");
      lang != nullptr && !lang->is_null()) {
    auto language =
        lang->is_string() ? domain::parse_language(lang->as_string().c_str()) : std::nullopt;
    if (!language) {
      return Error::invalid("Some fields are missing or invalid.",
                            {{"language", "fr or en; leave it out to detect it."}});
    }
    book->language = *language;
  }
  return book;
}

// A list that fits in one answer: `{ "items": [...], "next_cursor": null }`.
template <class T, class ToJson>
Response whole_list(const std::vector<T>& rows, ToJson to_json) {
  json::array items;
  for (const auto& row : rows) {
    items.push_back(to_json(row));
  }
  return Response::json(200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

// The analysis endpoints: the passage of the request analysed by `analyst`, then `answer` makes
// the response body of the analysis.
template <class Answer>
http::Handler analysis_handler(app::Analyst& analyst, Answer answer) {
  return [&analyst, answer](Request& request) {
    auto book = analysed_text(request);
    if (!book) {
      return Response::problem(book.error(), request);
    }
    auto analysed = analyst.analyse(*book);
    if (!analysed) {
      return Response::problem(analysed.error(), request);
    }
    return Response::json(200, answer(*analysed));
  };
}

}  // namespace

struct VisioBookService::State {
  explicit State(db::Database& database) : db(database) {}

  db::Database& db;
  Options options;
  std::unique_ptr<blob::BlobStore> blobs;
  std::unique_ptr<app::BookStore> store;
  std::unique_ptr<app::Books> books;
  std::unique_ptr<app::Pipeline> pipeline;
  std::filesystem::path uploads_dir;
  // Signs the media links of this process (they end with it: a link lives an hour at most).
  std::string link_key = auth::random_bytes(auth::kMacKeyBytes);
};

VisioBookService::VisioBookService(std::unique_ptr<State> state) : state_(std::move(state)) {}

VisioBookService::~VisioBookService() {
  if (state_->pipeline) {
    state_->pipeline->stop();
  }
}

Result<std::unique_ptr<VisioBookService>> VisioBookService::create(db::Database& db,
                                                                   Options options) {
  auto state = std::make_unique<State>(db);
  State& s = *state;
  s.options = std::move(options);
  const std::filesystem::path root = s.options.data_dir / "visiobook";
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
  if (!s.options.studio) {
    s.options.studio = adapters::make_local_studio(
        adapters::StudioOptions{s.options.video_fps, s.options.video_preset});
  }
  if (!s.options.images_url.empty() || !s.options.speech_url.empty()) {
    adapters::HttpStudioOptions external;
    external.images_url = s.options.images_url;
    external.images_model = s.options.images_model;
    external.speech_url = s.options.speech_url;
    external.speech_model = s.options.speech_model;
    external.speech_voice = s.options.speech_voice;
    external.api_key = s.options.api_key;
    external.timeout = s.options.external_timeout;
    s.options.studio = adapters::make_http_studio(std::move(external), std::move(s.options.studio));
  }
  if (!s.options.analyst) {
    if (s.options.chat_url.empty()) {
      s.options.analyst = app::make_classical_analyst();
    } else {
      adapters::ChatOptions chat;
      chat.url = s.options.chat_url;
      chat.model = s.options.chat_model;
      chat.api_key = s.options.api_key;
      chat.timeout = s.options.external_timeout;
      s.options.analyst = adapters::make_chat_analyst(std::move(chat));
    }
  }
  if (!s.options.chat_url.empty() || !s.options.images_url.empty() ||
      !s.options.speech_url.empty()) {
    log::info("visiobook.external_servers")
        .field("chat", s.options.chat_url)
        .field("images", s.options.images_url)
        .field("speech", s.options.speech_url)
        .field("api_key", s.options.api_key.empty() ? "none" : "set");
  }
  if (!s.options.page_reader) {
    s.options.page_reader = adapters::make_ocr_page_reader();
  }
  s.store = app::make_sql_store();
  auto events_written = [&s] {
    if (s.options.events_written) {
      s.options.events_written();
    }
  };
  s.books =
      std::make_unique<app::Books>(db, *s.store, *s.blobs, *s.options.clock, events_written, [&s] {
        if (s.pipeline) {
          s.pipeline->notify();
        }
      });
  if (s.options.workers > 0) {
    s.pipeline =
        std::make_unique<app::Pipeline>(db, *s.store, *s.blobs, *s.options.analyst,
                                        *s.options.studio, *s.options.page_reader, *s.options.clock,
                                        app::Pipeline::Options{.workers = s.options.workers,
                                                               .work_dir = root / "work",
                                                               .events_written = events_written});
    if (auto started = s.pipeline->start(); !started) {
      return started.error();
    }
  }
  return std::unique_ptr<VisioBookService>(new VisioBookService(std::move(state)));
}

app::Books& VisioBookService::books() {
  return *state_->books;
}

uint64_t VisioBookService::runs_finished() const {
  return state_->pipeline ? state_->pipeline->finished() : 0;
}

void VisioBookService::add_routes(http::Router& router) {
  State& s = *state_;
  app::Books& books = *s.books;
  app::Analyst& analyst = *s.options.analyst;

  // Book projects.
  router.add(
      Method::kPost, "/api/v1/books",
      [&books](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        // Every problem at once: what could not be read, then what the rules refuse.
        std::vector<FieldError> errors;
        const app::BookPatch patch = read_patch(*body, domain::Settings{}, errors);
        app::NewBook book{patch.title.value_or(""), patch.author.value_or(""),
                          patch.settings.value_or(domain::Settings{})};
        if (!errors.empty()) {
          for (auto& e : app::book_errors(book.title, book.author, book.settings)) {
            if (std::none_of(errors.begin(), errors.end(),
                             [&](const FieldError& f) { return f.field == e.field; })) {
              errors.push_back(std::move(e));
            }
          }
          return Response::problem(
              Error::invalid("Some fields are missing or invalid.", std::move(errors)), request);
        }
        auto created = books.create(*request.principal, book);
        if (!created) {
          return Response::problem(created.error(), request);
        }
        Response r = book_response(201, *created);
        r.headers.set("Location", "/api/v1/books/" + created->id);
        return r;
      },
      route("visiobook.create"));

  router.add(
      Method::kGet, "/api/v1/books",
      [&books](Request& request) {
        auto page = http::page_request(request);
        if (!page) {
          return Response::problem(page.error(), request);
        }
        auto rows = books.list(*request.principal, app::ListQuery{page->cursor, page->limit + 1});
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(
            *rows, page->limit, [](const app::BookProject& b) { return app::book_project_json(b); },
            [](const app::BookProject& b) { return b.id; });
      },
      route("visiobook.list"));

  router.add(
      Method::kGet, "/api/v1/books/{id}",
      [&books](Request& request) {
        auto b = books.get(*request.principal, std::string(request.param("id")));
        if (!b) {
          return Response::problem(b.error(), request);
        }
        return book_response(200, *b);
      },
      route("visiobook.get"));

  router.add(
      Method::kPatch, "/api/v1/books/{id}",
      [&books](Request& request) {
        const std::string id(request.param("id"));
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto current = books.get(*request.principal, id);
        if (!current) {
          return Response::problem(current.error(), request);
        }
        auto patch = patch_of(*body, current->settings);
        if (!patch) {
          return Response::problem(patch.error(), request);
        }
        auto b = books.patch(*request.principal, id, *patch, [&request](int64_t version) {
          return http::check_if_match(request, http::etag_for_version(version), true);
        });
        if (!b) {
          return Response::problem(b.error(), request);
        }
        return book_response(200, *b);
      },
      route("visiobook.patch"));

  // The source: the book's file as the raw body (text, EPUB, PDF, or a scanned page).
  router.add(
      Method::kPut, "/api/v1/books/{id}/source",
      [&books](Request& request) {
        const http::UploadedBody& body = *request.upload;
        std::string name = request.query_param("name").value_or("");
        if (name.size() > kMaxTitleBytes) {
          return Response::problem(
              Error::invalid("Some query parameters are invalid.", {{"name", "Too long."}}),
              request);
        }
        auto b = books.set_source(*request.principal, std::string(request.param("id")),
                                  app::UploadedFile{body.path, body.size, body.sha256},
                                  name.empty() ? "book" : name);
        if (!b) {
          return Response::problem(b.error(), request);
        }
        return book_response(200, *b);
      },
      route("visiobook.source").with_streamed_body(s.options.max_source_bytes, s.uploads_dir));

  // Runs of the pipeline: {"from": "narration"} redoes narration and assembly only.
  router.add(
      Method::kPost, "/api/v1/books/{id}/runs",
      [&books](Request& request) {
        domain::Stage from = domain::Stage::kIngestion;
        if (!request.body.empty()) {
          auto body = http::json_object_body(request);
          if (!body) {
            return Response::problem(body.error(), request);
          }
          for (const auto& [key, ignored] : *body) {
            if (key != "from") {
              return Response::problem(Error::invalid("Some fields are missing or invalid.",
                                                      {{std::string(key), "Unknown field."}}),
                                       request);
            }
          }
          if (const json::value* v = body->if_contains("from")) {
            auto stage =
                v->is_string() ? domain::parse_stage(v->as_string().c_str()) : std::nullopt;
            if (!stage) {
              return Response::problem(
                  Error::invalid("Some fields are missing or invalid.",
                                 {{"from",
                                   "One of ingestion, analysis, storyboard, narration, "
                                   "assembly."}}),
                  request);
            }
            from = *stage;
          }
        }
        auto b = books.run(*request.principal, std::string(request.param("id")), from);
        if (!b) {
          return Response::problem(b.error(), request);
        }
        return book_response(202, *b);
      },
      route("visiobook.run"));

  // History: every run is a version; its files stay readable.
  router.add(
      Method::kGet, "/api/v1/books/{id}/versions",
      [&books](Request& request) {
        auto versions = books.versions(*request.principal, std::string(request.param("id")));
        if (!versions) {
          return Response::problem(versions.error(), request);
        }
        return whole_list(*versions, app::version_json);
      },
      route("visiobook.versions"));

  router.add(
      Method::kGet, "/api/v1/books/{id}/files",
      [&books](Request& request) {
        auto version = version_query(request);
        if (!version) {
          return Response::problem(version.error(), request);
        }
        auto files = books.files(*request.principal, std::string(request.param("id")), *version);
        if (!files) {
          return Response::problem(files.error(), request);
        }
        return whole_list(*files, app::file_json);
      },
      route("visiobook.files"));

  // One file: the video (with Range, for the player), the PDF, a panel, the analysis.
  router.add(
      Method::kGet, "/api/v1/books/{id}/files/{*name}",
      [&books](Request& request) {
        auto version = version_query(request);
        if (!version) {
          return Response::problem(version.error(), request);
        }
        auto content = books.file(*request.principal, std::string(request.param("id")), *version,
                                  std::string(request.param("name")));
        if (!content) {
          return Response::problem(content.error(), request);
        }
        return file_response(request, std::move(*content));
      },
      route("visiobook.file"));

  // Signed links for what cannot send a token (the portal's <video> and <track> elements).
  router.add(
      Method::kPost, "/api/v1/books/{id}/links",
      [&books, &s](Request& request) {
        http::JsonFields f(request);
        const std::string file = f.string("file", true, 200);
        const std::optional<int64_t> version = f.integer("version", false);
        const std::optional<int64_t> ttl = f.integer("ttl_seconds", false);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        std::vector<FieldError> errors;
        if (version && *version < 1) {
          errors.push_back({"version", "A version number, from 1."});
        }
        if (ttl && (*ttl < 60 || *ttl > 86'400)) {
          errors.push_back({"ttl_seconds", "Between 60 and 86400 seconds."});
        }
        if (!errors.empty()) {
          return Response::problem(
              Error::invalid("Some fields are missing or invalid.", std::move(errors)), request);
        }
        const TimePoint expires_at =
            s.options.clock->now() + std::chrono::seconds(ttl.value_or(3600));
        auto link = books.media_link(*request.principal, std::string(request.param("id")), version,
                                     file, expires_at);
        if (!link) {
          return Response::problem(link.error(), request);
        }
        return Response::json(
            201,
            json::object{{"url", "/api/v1/books/media/" + app::sign_media_link(s.link_key, *link)},
                         {"expires_at", format_rfc3339(expires_at)}});
      },
      route("visiobook.link"));

  router.add(
      Method::kGet, "/api/v1/books/media/{token}",
      [&books, &s](Request& request) {
        auto link =
            app::verify_media_link(s.link_key, request.param("token"), s.options.clock->now());
        if (!link) {
          return Response::problem(link.error(), request);
        }
        auto content = books.linked_file(*link);
        if (!content) {
          return Response::problem(content.error(), request);
        }
        return file_response(request, std::move(*content));
      },
      RouteOptions::public_route("visiobook.media"));

  // The documents service: a source taken from a document, a file exported as a document (where
  // share links, folders and project links are).
  app::DocumentLibrary* library = s.options.library.get();
  const auto no_library = [](const Request& request) {
    return Response::problem(
        Error::unavailable("The documents service does not run in this process."), request);
  };
  router.add(
      Method::kPost, "/api/v1/books/{id}/source/document",
      [&books, &s, library, no_library](Request& request) {
        if (library == nullptr) {
          return no_library(request);
        }
        http::JsonFields f(request);
        const std::string document_id = f.string("document_id", true, 64);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        auto b = books.source_from_document(*request.principal, std::string(request.param("id")),
                                            document_id, *library, s.uploads_dir,
                                            s.options.max_source_bytes);
        if (!b) {
          return Response::problem(b.error(), request);
        }
        return book_response(200, *b);
      },
      route("visiobook.source_from_document"));

  router.add(
      Method::kPost, "/api/v1/books/{id}/exports",
      [&books, &s, library, no_library](Request& request) {
        if (library == nullptr) {
          return no_library(request);
        }
        http::JsonFields f(request);
        const std::string file = f.string("file", true, 200);
        const std::string project_id = f.string("project_id", false, 64);
        const std::optional<int64_t> version = f.integer("version", false);
        if (auto bad = f.problem(request)) {
          return std::move(*bad);
        }
        if (version && *version < 1) {
          return Response::problem(Error::invalid("Some fields are missing or invalid.",
                                                  {{"version", "A version number, from 1."}}),
                                   request);
        }
        auto exported = books.export_file(
            *request.principal, std::string(request.param("id")), version, file,
            project_id.empty() ? std::nullopt : std::optional<std::string>(project_id), *library,
            s.uploads_dir);
        if (!exported) {
          return Response::problem(exported.error(), request);
        }
        Response r = Response::json(
            201, json::object{{"document_id", exported->id}, {"name", exported->name}});
        r.headers.set("Location", "/api/v1/documents/" + exported->id);
        return r;
      },
      route("visiobook.export"));

  // Analysis on the spot, for a passage (the seed's ai-analysis-service endpoints).
  router.add(Method::kPost, "/api/v1/analysis/semantic",
             analysis_handler(analyst,
                              [](const analysis::Analysis& a) {
                                json::object out = app::analysis_json(a);
                                out.erase("scenes");
                                out.erase("dialogue");
                                return out;
                              }),
             route("visiobook.analysis.semantic"));

  router.add(Method::kPost, "/api/v1/analysis/extract-scenes",
             analysis_handler(analyst,
                              [](const analysis::Analysis& a) {
                                json::array scenes;
                                for (const auto& scene : a.scenes) {
                                  scenes.push_back(app::scene_json(scene));
                                }
                                json::array characters;
                                for (const auto& c : a.characters) {
                                  characters.push_back(app::character_json(c));
                                }
                                return json::object{{"scenes", std::move(scenes)},
                                                    {"characters", std::move(characters)}};
                              }),
             route("visiobook.analysis.scenes"));

  router.add(Method::kPost, "/api/v1/analysis/summarize",
             analysis_handler(analyst,
                              [](const analysis::Analysis& a) {
                                json::array summary;
                                for (const auto& sentence : a.summary) {
                                  summary.emplace_back(sentence);
                                }
                                return json::object{
                                    {"summary", std::move(summary)},
                                    {"language", domain::language_code(a.language)}};
                              }),
             route("visiobook.analysis.summarize"));

  // Where a book's analysis stands (the seed's status endpoint, by book project id).
  router.add(
      Method::kGet, "/api/v1/analysis/status/{id}",
      [&books](Request& request) {
        auto b = books.get(*request.principal, std::string(request.param("id")));
        if (!b) {
          return Response::problem(b.error(), request);
        }
        json::object out{{"book_id", b->id}, {"status", domain::status_name(b->status)}};
        for (const auto& stage : b->stages) {
          if (stage.stage == domain::Stage::kAnalysis) {
            out["analysis"] = app::stages_json({stage}).at(0);
          }
        }
        return Response::json(200, out);
      },
      route("visiobook.analysis.status"));
}

}  // namespace atelier::visiobook
