// The VisioBook pipeline: worker threads that claim queued book projects and run their stages in
// order, from the stage the run starts at: ingestion → analysis → storyboard (panels) →
// narration → assembly (MP4, subtitles, printable storyboard). Each run is a new version; the
// files of the stages it keeps are carried over from the latest version. Progress per stage is
// written as it goes; a failing stage fails the run with its reason, never the worker.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <vector>

#include "atelier/blob/blob_store.hpp"
#include "atelier/core/clock.hpp"
#include "atelier/core/job_workers.hpp"
#include "visiobook/app/analyst.hpp"
#include "visiobook/app/store.hpp"
#include "visiobook/app/studio.hpp"
#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::app {

class Pipeline {
 public:
  struct Options {
    int workers = 1;
    std::filesystem::path work_dir;  // scratch files (the MP4 before it goes to the blob store)
    std::function<void()> events_written;
  };

  Pipeline(db::Database& db, BookStore& store, blob::BlobStore& blobs, Analyst& analyst,
           Studio& studio, PageReader& pages, const Clock& clock, Options options);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Puts back in the queue the runs a stopped process left running, then starts the workers.
  Result<void> start();
  void stop();
  // Wakes a worker (a run was queued).
  void notify();
  // Runs finished (done or failed) since start: tests wait on it.
  uint64_t finished() const { return finished_.load(); }

 private:
  struct Run;
  // Claims the next queued run and runs it; false when there was none.
  bool take_one();
  void process(BookProject book);
  Result<void> run_stage(Run& run, domain::Stage stage);
  Result<void> ingest(Run& run);
  Result<void> analyse(Run& run);
  Result<void> draw(Run& run);
  Result<void> narrate(Run& run);
  Result<void> assemble(Run& run);
  // The inputs a stage reads, from this run's files.
  Result<domain::Book> load_book(Run& run);
  // analysis.json as the analysis stage wrote it (read back, not recomputed: an external analyst
  // may answer differently each time).
  Result<analysis::Analysis> load_analysis(Run& run);
  Result<domain::Storyboard> load_storyboard(Run& run);
  Result<std::string> read_file(Run& run, const std::string& name);
  Result<void> save_file(Run& run, domain::Stage stage, const std::string& name,
                         const std::string& content_type, const std::string& bytes);
  Result<void> save_path(Run& run, domain::Stage stage, const std::string& name,
                         const std::string& content_type, const std::filesystem::path& path);
  // Records a stored blob as the run's file `name`.
  Result<void> keep(Run& run, domain::Stage stage, const std::string& name,
                    const std::string& content_type, Result<blob::PutResult> put);
  // Writes the stage's state on the book, with the stage's event when it is done or failed.
  Result<void> record(Run& run, domain::Stage stage, domain::StageStatus status, int progress,
                      const std::string& error = {});
  void progress(Run& run, domain::Stage stage, size_t done, size_t total);

  db::Database& db_;
  BookStore& store_;
  blob::BlobStore& blobs_;
  Analyst& analyst_;
  Studio& studio_;
  PageReader& pages_;
  const Clock& clock_;
  Options options_;
  JobWorkers workers_{"visiobook", std::chrono::seconds(1)};
  std::atomic<uint64_t> finished_{0};
};

}  // namespace atelier::visiobook::app
