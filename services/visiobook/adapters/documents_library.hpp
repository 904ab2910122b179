// The DocumentLibrary port over the documents service running in the same process: direct calls
// to its use cases, with the caller's own principal.
#pragma once

#include <memory>

#include "visiobook/app/library.hpp"

namespace atelier::documents {
class DocumentsService;
}

namespace atelier::visiobook::adapters {

// Keeps the documents service alive as long as the library is.
std::unique_ptr<app::DocumentLibrary> make_documents_library(
    std::shared_ptr<documents::DocumentsService> documents);

}  // namespace atelier::visiobook::adapters
