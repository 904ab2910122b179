// The records of the documents service: a document (its current state) and its versions. The
// bytes are in the blob store under `sha256`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"

namespace atelier::documents::app {

struct Document {
  std::string id;  // UUIDv7
  std::string org_id;
  std::string name;
  std::optional<std::string> project_id;
  std::optional<std::string> task_id;
  std::string folder;  // "" at the root; "Plans/Exe" otherwise
  std::vector<std::string> tags;
  int64_t version = 1;  // the current version's number
  uint64_t size = 0;
  std::string sha256;
  std::string content_type;
  std::string ocr_status = "none";  // none | queued | running | done | failed
  int64_t row_version = 1;          // bumped by every change: the ETag
  std::optional<std::string> created_by;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> deleted_at;
};

struct Version {
  std::string document_id;
  std::string org_id;
  int64_t number = 1;
  std::string name;
  uint64_t size = 0;
  std::string sha256;
  std::string content_type;
  std::optional<std::string> created_by;
  TimePoint created_at;
};

// A list query, already checked. `cursor` is the id after which the page starts.
struct ListQuery {
  std::optional<std::string> project_id;
  std::optional<std::string> folder;
  std::optional<std::string> tag;
  std::optional<std::string> q;  // a substring of the name
  std::string cursor;
  int limit = 50;  // rows to fetch (the caller asks one more than it shows)
};

// A search result: the document and an extract of where it matched, the matched words between
// <mark> and </mark> (the rest of the extract is plain text, not HTML).
struct SearchHit {
  Document document;
  std::string snippet;
};

// Which documents a caller may read: every one of the organisation, or only those of the projects
// where they hold a role (guests).
struct ReadScope {
  bool whole_org = false;
  std::string user_id;  // for the role-based scope
};

}  // namespace atelier::documents::app
