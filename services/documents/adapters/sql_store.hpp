// The documents service's storage on SQLite and PostgreSQL (the same SQL on both).
#pragma once

#include <memory>

#include "documents/app/store.hpp"

namespace atelier::documents::adapters {

std::unique_ptr<app::DocumentStore> make_sql_store();

}  // namespace atelier::documents::adapters
