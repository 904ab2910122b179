// The two implementations of the database port, chosen by db::open() from Options::kind.
#pragma once

#include <memory>

#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"

namespace atelier::db::detail {

Result<std::unique_ptr<Database>> open_sqlite(const Options& options);
Result<std::unique_ptr<Database>> open_postgres(const Options& options);

}  // namespace atelier::db::detail
