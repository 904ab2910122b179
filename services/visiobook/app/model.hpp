// What the VisioBook service stores: a book project with its source and pipeline state, the
// versions its runs produced, and the files of each version (blobs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "visiobook/domain/project.hpp"

namespace atelier::visiobook::app {

struct Source {
  std::string key;     // SHA-256 in the blob store
  std::string name;    // the file name the user gave
  std::string format;  // "text", "epub", "pdf", "image"
  uint64_t size = 0;
};

struct BookProject {
  std::string id;
  std::string org_id;
  std::string title;
  std::string author;
  domain::Settings settings;
  std::optional<Source> source;
  domain::Status status = domain::Status::kDraft;
  std::vector<domain::StageState> stages = domain::initial_stages();
  std::optional<domain::Stage> run_from;
  int64_t current_version = 0;  // 0: nothing produced yet
  std::string error;
  std::string created_by;
  int64_t row_version = 1;
  TimePoint created_at;
  TimePoint updated_at;
};

struct BookVersion {
  std::string book_id;
  int64_t number = 0;
  std::string org_id;
  domain::Settings settings;
  domain::Stage run_from = domain::Stage::kIngestion;
  std::string status = "running";  // running | done | failed
  std::string summary_json = "{}";
  TimePoint created_at;
  std::optional<TimePoint> finished_at;
};

struct BookFile {
  std::string name;  // "video.mp4", "panels/0001.png"
  domain::Stage stage = domain::Stage::kIngestion;
  std::string blob_key;
  std::string content_type;
  uint64_t size = 0;
};

struct ListQuery {
  std::string cursor;  // id after which to start
  int limit = 50;      // rows to fetch (the caller asks one more than it shows)
};

}  // namespace atelier::visiobook::app
