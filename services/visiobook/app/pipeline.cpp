#include "visiobook/app/pipeline.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

#include "atelier/core/log.hpp"
#include "visiobook/app/events.hpp"
#include "visiobook/app/json.hpp"
#include "visiobook/domain/ingest/ingest.hpp"
#include "visiobook/domain/storyboard.hpp"

namespace atelier::visiobook::app {

namespace json = boost::json;

namespace {

db::TxOptions in_org(const std::string& org_id, db::TxMode mode = db::TxMode::kWrite) {
  return db::TxOptions{.mode = mode, .org_id = org_id};
}

db::TxOptions any_org() {
  return db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true};
}

// "panels/0007.png" for the 7th shot.
std::string numbered(std::string_view folder, size_t index, std::string_view extension) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04zu", index + 1);
  return std::string(folder) + "/" + buffer + std::string(extension);
}

}  // namespace

struct Pipeline::Run {
  BookProject book;
  BookVersion version;
  std::map<std::string, BookFile> files;  // of this version
  json::object summary;
  std::optional<domain::Book> text;  // loaded or made by ingestion
  std::optional<analysis::Analysis> analysis;
  int last_progress = -1;
};

Pipeline::Pipeline(db::Database& db, BookStore& store, blob::BlobStore& blobs, Analyst& analyst,
                   Studio& studio, PageReader& pages, const Clock& clock, Options options)
    : db_(db),
      store_(store),
      blobs_(blobs),
      analyst_(analyst),
      studio_(studio),
      pages_(pages),
      clock_(clock),
      options_(std::move(options)) {}

Pipeline::~Pipeline() {
  stop();
}

Result<void> Pipeline::start() {
  auto requeued = db_.transact(
      any_org(), [&](Tx& tx) { return store_.requeue_running(tx, format_rfc3339(clock_.now())); });
  if (!requeued) {
    return std::move(requeued).error();
  }
  if (*requeued > 0) {
    log::info("visiobook.runs_requeued").field("runs", *requeued);
  }
  std::error_code ec;
  std::filesystem::create_directories(options_.work_dir, ec);
  if (ec) {
    return Error::internal("visiobook: cannot create " + options_.work_dir.string() + ": " +
                           ec.message());
  }
  workers_.start(options_.workers, [this] { return take_one(); });
  return {};
}

void Pipeline::stop() {
  workers_.stop();
}

void Pipeline::notify() {
  workers_.notify();
}

bool Pipeline::take_one() {
  auto claimed = db_.transact(
      any_org(), [&](Tx& tx) { return store_.claim(tx, format_rfc3339(clock_.now())); });
  if (!claimed) {
    log::warn("visiobook.claim_failed").field("error", claimed.error().message);
    return false;
  }
  if (!claimed->has_value()) {
    return false;
  }
  try {
    process(std::move(**claimed));
  } catch (...) {
    ++finished_;
    throw;  // logged by the workers, which go on
  }
  ++finished_;
  return true;
}

void Pipeline::process(BookProject book) {
  Run run;
  run.book = std::move(book);
  const domain::Stage from = run.book.run_from.value_or(domain::Stage::kIngestion);
  // A new version, with the files of the stages it keeps from the latest one.
  auto opened = db_.transact(in_org(run.book.org_id), [&](Tx& tx) -> Result<void> {
    auto versions = store_.versions(tx, run.book.org_id, run.book.id);
    if (!versions) {
      return std::move(versions).error();
    }
    int64_t latest = 0;
    for (const auto& v : *versions) {
      latest = std::max(latest, v.number);
    }
    run.version = BookVersion{run.book.id, latest + 1, run.book.org_id, run.book.settings, from,
                              "running",   "{}",       clock_.now(),    std::nullopt};
    if (auto i = store_.insert_version(tx, run.version); !i) {
      return i;
    }
    if (latest > 0) {
      auto kept = store_.files(tx, run.book.org_id, run.book.id, latest);
      if (!kept) {
        return std::move(kept).error();
      }
      for (const auto& f : *kept) {
        if (f.stage < from) {
          if (auto p = store_.put_file(tx, run.book.org_id, run.book.id, run.version.number, f);
              !p) {
            return p;
          }
          run.files[f.name] = f;
        }
      }
      auto previous = store_.find_version(tx, run.book.org_id, run.book.id, latest);
      if (previous && previous->has_value()) {
        boost::system::error_code ec;
        auto summary = json::parse((*previous)->summary_json, ec);
        if (!ec && summary.is_object()) {
          run.summary = summary.as_object();
        }
      }
    }
    return {};
  });
  if (!opened) {
    log::error("visiobook.run_not_opened")
        .field("book_id", run.book.id)
        .field("error", opened.error().message);
    (void)record(run, from, domain::StageStatus::kFailed, 0, opened.error().message);
    return;
  }
  log::info("visiobook.run_started")
      .field("book_id", run.book.id)
      .field("version", run.version.number)
      .field("from", std::string(domain::stage_name(from)));
  for (domain::Stage stage : domain::kStages) {
    if (stage < from) {
      continue;
    }
    if (workers_.stopping()) {
      return;  // left running: the next start puts it back in the queue
    }
    if (auto r = run_stage(run, stage); !r) {
      log::warn("visiobook.stage_failed")
          .field("book_id", run.book.id)
          .field("stage", std::string(domain::stage_name(stage)))
          .field("error", r.error().message);
      (void)record(run, stage, domain::StageStatus::kFailed, 0, r.error().message);
      return;
    }
  }
}

Result<void> Pipeline::run_stage(Run& run, domain::Stage stage) {
  run.last_progress = -1;
  if (auto r = record(run, stage, domain::StageStatus::kRunning, 0); !r) {
    return r;
  }
  Result<void> done;
  switch (stage) {
    case domain::Stage::kIngestion:
      done = ingest(run);
      break;
    case domain::Stage::kAnalysis:
      done = analyse(run);
      break;
    case domain::Stage::kStoryboard:
      done = draw(run);
      break;
    case domain::Stage::kNarration:
      done = narrate(run);
      break;
    case domain::Stage::kAssembly:
      done = assemble(run);
      break;
  }
  if (!done) {
    return done;
  }
  return record(run, stage, domain::StageStatus::kDone, 100);
}

Result<void> Pipeline::record(Run& run, domain::Stage stage, domain::StageStatus status,
                              int progress, const std::string& error) {
  const bool last_stage = stage == domain::kStages.back();
  const bool failed = status == domain::StageStatus::kFailed;
  const bool finished = failed || (last_stage && status == domain::StageStatus::kDone);
  auto r = db_.transact(in_org(run.book.org_id), [&](Tx& tx) -> Result<void> {
    auto found = store_.find(tx, run.book.org_id, run.book.id);
    if (!found) {
      return std::move(found).error();
    }
    if (!found->has_value()) {
      return Error::not_found("The book project is gone.");
    }
    BookProject b = std::move(**found);
    for (auto& s : b.stages) {
      if (s.stage == stage) {
        s.status = status;
        s.progress = progress;
        s.error = error;
      }
    }
    if (finished) {
      b.status = failed ? domain::Status::kFailed : domain::Status::kDone;
      b.error = error;
      b.run_from.reset();
      if (!failed) {
        b.current_version = run.version.number;
      }
      run.version.status = failed ? "failed" : "done";
      run.version.finished_at = clock_.now();
      run.version.summary_json = json::serialize(run.summary);
      if (auto u = store_.update_version(tx, run.version); !u) {
        return u;
      }
    }
    b.updated_at = clock_.now();
    if (auto u = store_.update_progress(tx, b); !u) {
      return u;
    }
    if (status == domain::StageStatus::kDone) {
      json::object data{{"version", run.version.number}, {"summary", run.summary}};
      if (auto e = emit_book_event(tx, clock_, completed_event_type(stage), b, std::move(data));
          !e) {
        return e;
      }
    } else if (failed) {
      if (auto e = emit_book_event(tx, clock_, "visiobook.RunFailed.v1", b,
                                   {{"version", run.version.number},
                                    {"stage", domain::stage_name(stage)},
                                    {"error", error}});
          !e) {
        return e;
      }
    }
    run.book = std::move(b);
    return {};
  });
  if (r && (status == domain::StageStatus::kDone || failed) && options_.events_written) {
    options_.events_written();
  }
  return r;
}

void Pipeline::progress(Run& run, domain::Stage stage, size_t done, size_t total) {
  const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
  // Every 5 percent at most: each is a write.
  if (percent < 100 && percent - run.last_progress < 5) {
    return;
  }
  run.last_progress = percent;
  if (auto r = record(run, stage, domain::StageStatus::kRunning, std::min(percent, 99)); !r) {
    log::warn("visiobook.progress_not_recorded").field("error", r.error().message);
  }
}

Result<void> Pipeline::save_path(Run& run, domain::Stage stage, const std::string& name,
                                 const std::string& content_type,
                                 const std::filesystem::path& path) {
  return keep(run, stage, name, content_type, blobs_.put_file(path));
}

Result<void> Pipeline::save_file(Run& run, domain::Stage stage, const std::string& name,
                                 const std::string& content_type, const std::string& bytes) {
  std::istringstream in(bytes);
  return keep(run, stage, name, content_type, blobs_.put_stream(in));
}

Result<void> Pipeline::keep(Run& run, domain::Stage stage, const std::string& name,
                            const std::string& content_type, Result<blob::PutResult> put) {
  if (!put) {
    return std::move(put).error();
  }
  BookFile f{name, stage, put->key, content_type, put->size};
  auto r = db_.transact(in_org(run.book.org_id), [&](Tx& tx) {
    return store_.put_file(tx, run.book.org_id, run.book.id, run.version.number, f);
  });
  if (!r) {
    return r;
  }
  run.files[name] = std::move(f);
  return {};
}

Result<std::string> Pipeline::read_file(Run& run, const std::string& name) {
  auto it = run.files.find(name);
  if (it == run.files.end()) {
    return Error::internal("visiobook: the run has no " + name);
  }
  auto blob = blobs_.open(it->second.blob_key);
  if (!blob) {
    return std::move(blob).error();
  }
  return blob->read_all();
}

Result<domain::Book> Pipeline::load_book(Run& run) {
  if (run.text) {
    return *run.text;
  }
  auto bytes = read_file(run, "book.json");
  if (!bytes) {
    return std::move(bytes).error();
  }
  boost::system::error_code ec;
  auto v = json::parse(*bytes, ec);
  if (ec) {
    return Error::internal("visiobook: book.json is not JSON");
  }
  auto book = book_of(v);
  if (book) {
    run.text = *book;
  }
  return book;
}

Result<analysis::Analysis> Pipeline::load_analysis(Run& run) {
  if (run.analysis) {
    return *run.analysis;
  }
  auto bytes = read_file(run, "analysis.json");
  if (!bytes) {
    return std::move(bytes).error();
  }
  boost::system::error_code ec;
  auto v = json::parse(*bytes, ec);
  if (ec) {
    return Error::internal("visiobook: analysis.json is not JSON");
  }
  auto a = analysis_of(v);
  if (a) {
    run.analysis = *a;
  }
  return a;
}

Result<domain::Storyboard> Pipeline::load_storyboard(Run& run) {
  auto bytes = read_file(run, "storyboard.json");
  if (!bytes) {
    return std::move(bytes).error();
  }
  boost::system::error_code ec;
  auto v = json::parse(*bytes, ec);
  if (ec) {
    return Error::internal("visiobook: storyboard.json is not JSON");
  }
  return storyboard_of(v);
}

Result<void> Pipeline::ingest(Run& run) {
  if (!run.book.source) {
    return Error::invalid("The project has no source.");
  }
  auto blob = blobs_.open(run.book.source->key);
  if (!blob) {
    return std::move(blob).error();
  }
  auto bytes = blob->read_all();
  if (!bytes) {
    return std::move(bytes).error();
  }
  const std::string& format = run.book.source->format;
  Result<domain::Book> book = Error::invalid("Unknown source format " + format + ".");
  if (format == "text") {
    book = ingest::read_text(*bytes);
  } else if (format == "epub") {
    book = ingest::read_epub(*bytes);
  } else if (format == "pdf" || format == "image") {
    // The text layer of a PDF, or OCR of scanned pages (a PDF without text, PNG, JPEG, TIFF).
    auto pages = pages_.read(std::as_bytes(std::span(bytes->data(), bytes->size())),
                             format == "pdf" ? "application/pdf" : "image/*");
    if (!pages) {
      return std::move(pages).error();
    }
    book = ingest::read_pages(*pages);
  }
  if (!book) {
    return std::move(book).error();
  }
  if (book->paragraph_count() == 0) {
    return Error::invalid("No text was found in the source.");
  }
  if (run.book.settings.language) {
    book->language = *run.book.settings.language;
  }
  if (book->title.empty()) {
    book->title = run.book.title;
  }
  run.summary["chapters"] = book->chapters.size();
  run.summary["paragraphs"] = book->paragraph_count();
  run.summary["language"] = domain::language_code(book->language);
  if (auto s = save_file(run, domain::Stage::kIngestion, "book.json", "application/json",
                         json::serialize(book_json(*book)));
      !s) {
    return s;
  }
  run.text = std::move(*book);
  return {};
}

Result<void> Pipeline::analyse(Run& run) {
  auto book = load_book(run);
  if (!book) {
    return std::move(book).error();
  }
  auto analysed = analyst_.analyse(*book);
  if (!analysed) {
    return std::move(analysed).error();
  }
  analysis::Analysis a = std::move(*analysed);
  run.summary["characters"] = a.characters.size();
  run.summary["scenes"] = a.scenes.size();
  run.summary["words"] = a.words;
  if (auto s = save_file(run, domain::Stage::kAnalysis, "analysis.json", "application/json",
                         json::serialize(analysis_json(a)));
      !s) {
    return s;
  }
  run.analysis = std::move(a);
  return {};
}

Result<void> Pipeline::draw(Run& run) {
  auto book = load_book(run);
  if (!book) {
    return std::move(book).error();
  }
  auto analysed = load_analysis(run);
  if (!analysed) {
    return std::move(analysed).error();
  }
  domain::Storyboard board = domain::plan_storyboard(*book, *analysed, run.book.settings);
  if (board.shots.empty()) {
    return Error::invalid("The analysis found no scene to draw.");
  }
  const domain::FrameSize size = domain::frame_size(run.book.settings.aspect);
  for (size_t i = 0; i < board.shots.size(); ++i) {
    auto png = studio_.draw_panel(board.shots[i], run.book.settings.style, size);
    if (!png) {
      return std::move(png).error();
    }
    if (auto s = save_file(run, domain::Stage::kStoryboard, numbered("panels", i, ".png"),
                           "image/png", *png);
        !s) {
      return s;
    }
    progress(run, domain::Stage::kStoryboard, i + 1, board.shots.size());
  }
  run.summary["shots"] = board.shots.size();
  return save_file(run, domain::Stage::kStoryboard, "storyboard.json", "application/json",
                   json::serialize(storyboard_json(board)));
}

Result<void> Pipeline::narrate(Run& run) {
  auto board = load_storyboard(run);
  if (!board) {
    return std::move(board).error();
  }
  auto book = load_book(run);
  if (!book) {
    return std::move(book).error();
  }
  double seconds = 0;
  for (size_t i = 0; i < board->shots.size(); ++i) {
    const auto& shot = board->shots[i];
    const std::string& text = shot.narration.empty() ? shot.caption : shot.narration;
    auto spoken =
        studio_.narrate(text.empty() ? shot.title : text, book->language, run.book.settings);
    if (!spoken) {
      return std::move(spoken).error();
    }
    seconds += spoken->seconds;
    if (auto s = save_file(run, domain::Stage::kNarration, numbered("narration", i, ".wav"),
                           "audio/wav", spoken->wav);
        !s) {
      return s;
    }
    progress(run, domain::Stage::kNarration, i + 1, board->shots.size());
  }
  run.summary["narration_seconds"] = seconds;
  return {};
}

Result<void> Pipeline::assemble(Run& run) {
  auto board = load_storyboard(run);
  if (!board) {
    return std::move(board).error();
  }
  std::vector<std::string> panels;
  std::vector<std::string> narrations;
  for (size_t i = 0; i < board->shots.size(); ++i) {
    auto png = read_file(run, numbered("panels", i, ".png"));
    auto wav = read_file(run, numbered("narration", i, ".wav"));
    if (!png) {
      return std::move(png).error();
    }
    if (!wav) {
      return std::move(wav).error();
    }
    panels.push_back(std::move(*png));
    narrations.push_back(std::move(*wav));
  }
  progress(run, domain::Stage::kAssembly, 1, 10);
  const auto out =
      options_.work_dir / (run.book.id + "-" + std::to_string(run.version.number) + ".mp4");
  auto video = studio_.assemble(out, *board, panels, narrations,
                                domain::frame_size(run.book.settings.aspect));
  if (!video) {
    std::filesystem::remove(out);
    return std::move(video).error();
  }
  progress(run, domain::Stage::kAssembly, 8, 10);
  auto saved = save_path(run, domain::Stage::kAssembly, "video.mp4", "video/mp4", out);
  std::filesystem::remove(out);
  if (!saved) {
    return saved;
  }
  if (auto s = save_file(run, domain::Stage::kAssembly, "subtitles.vtt", "text/vtt", video->webvtt);
      !s) {
    return s;
  }
  auto pdf = studio_.storyboard_pdf(run.book.title, *board, panels);
  if (!pdf) {
    return std::move(pdf).error();
  }
  run.summary["video_seconds"] = video->seconds;
  return save_file(run, domain::Stage::kAssembly, "storyboard.pdf", "application/pdf", *pdf);
}

}  // namespace atelier::visiobook::app
