// PlanStore on the db port: the same SQL on SQLite and PostgreSQL.
#pragma once

#include <memory>

#include "tasks/app/store.hpp"

namespace atelier::tasks::adapters {

std::unique_ptr<app::PlanStore> make_sql_store();

}  // namespace atelier::tasks::adapters
