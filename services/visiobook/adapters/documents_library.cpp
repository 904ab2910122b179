#include "visiobook/adapters/documents_library.hpp"

#include "atelier/core/uuid.hpp"
#include "documents/adapters/routes.hpp"
#include "documents/app/documents.hpp"

namespace atelier::visiobook::adapters {

namespace {

class DocumentsLibrary final : public app::DocumentLibrary {
 public:
  explicit DocumentsLibrary(std::shared_ptr<documents::DocumentsService> service)
      : service_(std::move(service)), documents_(service_->documents()) {}

  Result<app::LocalFile> import(const Principal& caller, const std::string& document_id,
                                const std::filesystem::path& dir, uint64_t max_bytes) override {
    auto content = documents_.content(caller, document_id, std::nullopt);
    if (!content) {
      return std::move(content).error();
    }
    if (content->version.size > max_bytes) {
      return Error{ErrorCode::kPayloadTooLarge,
                   "The document is larger than a book's source may be (" +
                       std::to_string(max_bytes) + " bytes).",
                   {},
                   {}};
    }
    const auto path = dir / ("import-" + Uuid::v7().str());
    if (auto copied = content->file.copy_to(path); !copied) {
      return copied.error();
    }
    return app::LocalFile{path, content->version.size, content->version.sha256,
                          content->version.name};
  }

  Result<app::ExportedDocument> export_file(const Principal& caller, const app::LocalFile& file,
                                            const std::optional<std::string>& project_id) override {
    documents::app::NewDocument doc;
    doc.file = documents::app::UploadedFile{file.path, file.size, file.sha256};
    doc.name = file.name;
    doc.project_id = project_id;
    doc.folder = "VisioBook";
    auto created = documents_.upload(caller, doc);
    if (!created) {
      return std::move(created).error();
    }
    return app::ExportedDocument{created->id, created->name};
  }

 private:
  std::shared_ptr<documents::DocumentsService> service_;
  documents::app::Documents& documents_;
};

}  // namespace

std::unique_ptr<app::DocumentLibrary> make_documents_library(
    std::shared_ptr<documents::DocumentsService> documents) {
  return std::make_unique<DocumentsLibrary>(std::move(documents));
}

}  // namespace atelier::visiobook::adapters
