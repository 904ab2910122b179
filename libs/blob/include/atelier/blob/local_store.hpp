// The local-disk blob store: <root>/ab/cd/abcd... for key abcd..., each blob written to a temporary
// file under <root>/tmp (same filesystem), fsync'd, then linked into place and the directory
// fsync'd, so a blob is either whole or absent after a crash. Concurrent puts of the same bytes
// leave one file.
#pragma once

#include <filesystem>
#include <memory>

#include "atelier/blob/blob_store.hpp"

namespace atelier::blob {

// Creates `root` (and its tmp/ folder) when missing and removes temporary files a crash left.
Result<std::unique_ptr<BlobStore>> open_local_store(const std::filesystem::path& root);

}  // namespace atelier::blob
