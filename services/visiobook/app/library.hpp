// The documents service as VisioBook uses it: a book's source taken from a document the user
// already uploaded (with its versions and OCR), and a run's video, PDF or analysis exported as a
// document, where share links, folders and project links are. The caller's rights are checked by
// the documents service, as for any of its requests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "atelier/core/error.hpp"
#include "atelier/core/principal.hpp"

namespace atelier::visiobook::app {

// A file of ours with its SHA-256 and the name it goes by.
struct LocalFile {
  std::filesystem::path path;  // removed by the caller
  uint64_t size = 0;
  std::string sha256;
  std::string name;
};

struct ExportedDocument {
  std::string id;
  std::string name;
};

class DocumentLibrary {
 public:
  virtual ~DocumentLibrary() = default;
  // Copies the document's current version into `dir`; kPayloadTooLarge over `max_bytes`.
  virtual Result<LocalFile> import(const Principal& caller, const std::string& document_id,
                                   const std::filesystem::path& dir, uint64_t max_bytes) = 0;
  // A new document with the bytes and name of `file`, linked to `project_id` when given.
  virtual Result<ExportedDocument> export_file(const Principal& caller, const LocalFile& file,
                                               const std::optional<std::string>& project_id) = 0;
};

}  // namespace atelier::visiobook::app
