// MS Project files (MSPDI) in and out of a plan: the export writes the plan as MS Project and
// ProjectLibre open it; the import adds the work of a planner's file to a plan in one transaction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "tasks/app/planning.hpp"
#include "tasks/app/store.hpp"

namespace atelier::tasks::app {

struct PlanFile {
  std::string file_name;  // "RES-TILLEULS.xml": the project's code, else its id
  std::string xml;
};

struct ImportOptions {
  // Also take the working weekdays and exceptions of the file's calendar (the plan's holiday
  // region stays: exceptions the region already gives are not stored again).
  bool replace_calendar = false;
};

struct ImportReport {
  std::size_t tasks_created = 0;
  std::size_t links_created = 0;
  bool calendar_replaced = false;
  // What was not kept as the file says: the parser's warnings (each naming its line), then the
  // import's own (summary links expanded, lots not matched, names shortened, ...).
  std::vector<std::string> warnings;
};

class PlanExchange {
 public:
  // The largest file an import reads (413 beyond); a plan of a few thousand tasks is 2-4 MB.
  static constexpr std::size_t kMaxImportBytes = std::size_t{8} * 1024 * 1024;
  // Tasks and links one import may add, after summary links are expanded.
  static constexpr std::size_t kMaxImportTasks = 10'000;
  static constexpr std::size_t kMaxImportLinks = 40'000;

  PlanExchange(db::Database& db, PlanStore& store, Planning& planning, const Clock& clock,
               PlanChanged changed);

  // Needs tasks.read. The tasks in creation order, each lot a level-1 summary task named by the
  // lot's id (this service knows lots by id only); the links; the calendar's weekdays, its
  // exceptions and the region's holidays over the plan's span as named exceptions; the current
  // schedule's early dates as planned dates (none before the first computation); actual dates,
  // progress, constraints, descriptions as notes.
  Result<PlanFile> export_plan(const Principal& caller, const std::string& project_id);

  // Needs plan.manage. Adds the file's work tasks and their links to the plan; nothing that is
  // already there changes (but the calendar, when asked). Summary tasks are structure and are
  // not created; a link naming one is expanded onto its work tasks (see plan_exchange.cpp). A
  // task keeps the lot the file names by id only when it is one of the project's lots.
  // Fails with kPayloadTooLarge beyond kMaxImportBytes, and kInvalid for a file parse_mspdi
  // refuses (the message names the line), a task the plan cannot hold, or links forming a cycle.
  // Emits tasks.TaskCreated.v1 per task, and bumps the plan's input once.
  Result<ImportReport> import_plan(const Principal& caller, const std::string& project_id,
                                   std::string_view xml, const ImportOptions& options);

 private:
  db::Database& db_;
  PlanStore& store_;
  Planning& planning_;
  const Clock& clock_;
  PlanChanged changed_;
};

}  // namespace atelier::tasks::app
