#include "tasks/adapters/routes.hpp"

#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>

#include "atelier/http/etag.hpp"
#include "atelier/http/json_body.hpp"
#include "atelier/http/pagination.hpp"
#include "tasks/adapters/sql_store.hpp"
#include "tasks/app/plan_exchange.hpp"
#include "tasks/app/planning.hpp"
#include "tasks/app/projections.hpp"
#include "tasks/app/scheduler.hpp"
#include "tasks/app/scheduling.hpp"
#include "tasks/app/task_json.hpp"

namespace atelier::tasks {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr size_t kMaxText = 10'000;  // generous: the use cases enforce the real limits

RouteOptions route(std::string name) {
  return RouteOptions{.blocking = true, .name = std::move(name), .anonymous = false};
}

std::string param(const Request& request, std::string_view name) {
  return std::string(request.param(name));
}

Response task_response(int status, const app::Task& t) {
  Response r = Response::json(status, app::task_json(t));
  r.headers.set("ETag", http::etag_for_version(t.version));
  return r;
}

// Collects every bad field of a body, so that one 422 lists them all.
class Fields {
 public:
  explicit Fields(const json::object& body) : body_(body) {}

  const json::value* get(std::string_view key) {
    seen_.emplace_back(key);
    return body_.if_contains(key);
  }
  void fail(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }

  std::optional<std::string> string(std::string_view key, size_t max = kMaxText) {
    const auto* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_string() || v->as_string().size() > max) {
      fail(std::string(key), "Expected a string.");
      return std::nullopt;
    }
    return std::string(v->as_string());
  }
  std::optional<int> integer(std::string_view key) {
    const auto* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_int64() || v->as_int64() < -1'000'000 || v->as_int64() > 1'000'000) {
      fail(std::string(key), "Expected an integer.");
      return std::nullopt;
    }
    return static_cast<int>(v->as_int64());
  }
  std::optional<bool> boolean(std::string_view key) {
    const auto* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_bool()) {
      fail(std::string(key), "Expected true or false.");
      return std::nullopt;
    }
    return v->as_bool();
  }
  // A date or null: the outer optional says whether the member was sent.
  std::optional<std::optional<app::Date>> nullable_date(std::string_view key) {
    const auto* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (v->is_null()) {
      return std::optional<app::Date>();
    }
    auto d = v->is_string() ? app::parse_date(v->as_string()) : std::nullopt;
    if (!d) {
      fail(std::string(key), "A date YYYY-MM-DD, or null.");
      return std::nullopt;
    }
    return d;
  }
  std::optional<std::optional<std::string>> nullable_string(std::string_view key) {
    const auto* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (v->is_null()) {
      return std::optional<std::string>();
    }
    if (!v->is_string() || v->as_string().size() > kMaxText) {
      fail(std::string(key), "Expected a string, or null.");
      return std::nullopt;
    }
    return std::optional<std::string>(std::string(v->as_string()));
  }
  std::optional<std::vector<std::string>> strings(std::string_view key) {
    const auto* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    std::vector<std::string> out;
    if (!v->is_array()) {
      fail(std::string(key), "Expected an array of strings.");
      return std::nullopt;
    }
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) {
        fail(std::string(key), "Expected an array of strings.");
        return std::nullopt;
      }
      out.emplace_back(item.as_string());
    }
    return out;
  }

  // Members nobody asked for are errors too: a misspelt field must not be silently ignored.
  Result<void> finish() {
    for (const auto& [key, value] : body_) {
      if (std::find(seen_.begin(), seen_.end(), std::string_view(key)) == seen_.end()) {
        fail(std::string(key), "Unknown field.");
      }
    }
    if (!errors_.empty()) {
      return Error::invalid("Some fields are missing or invalid.", std::move(errors_));
    }
    return {};
  }

 private:
  const json::object& body_;
  std::vector<std::string_view> seen_;
  std::vector<FieldError> errors_;
};

std::optional<std::optional<domain::Constraint>> constraint_of(Fields& f) {
  const auto* v = f.get("constraint");
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_null()) {
    return std::optional<domain::Constraint>();
  }
  const auto* o = v->if_object();
  const auto* kind = o != nullptr ? o->if_contains("kind") : nullptr;
  const auto* date = o != nullptr ? o->if_contains("date") : nullptr;
  auto k = kind != nullptr && kind->is_string() ? app::parse_constraint_kind(kind->as_string())
                                                : std::nullopt;
  auto d = date != nullptr && date->is_string() ? app::parse_date(date->as_string()) : std::nullopt;
  if (!k || !d || o->size() != 2) {
    f.fail("constraint",
           "{kind: start_no_earlier_than|must_finish_on|finish_no_later_than, date: YYYY-MM-DD}, "
           "or null.");
    return std::nullopt;
  }
  return std::optional<domain::Constraint>(domain::Constraint{*k, *d});
}

// The fields a task's merge patch and its creation share.
app::TaskPatch patch_fields(Fields& f) {
  app::TaskPatch p;
  p.name = f.string("name");
  if (auto d = f.nullable_string("description")) {
    p.description = d->value_or("");
  }
  p.duration_days = f.integer("duration_days");
  p.lot_id = f.nullable_string("lot_id");
  p.assignees = f.strings("assignees");
  p.constraint = constraint_of(f);
  return p;
}

Result<app::TaskPatch> task_patch_of(const json::object& body) {
  Fields f(body);
  app::TaskPatch p = patch_fields(f);
  p.progress_percent = f.integer("progress_percent");
  p.actual_start = f.nullable_date("actual_start");
  p.actual_finish = f.nullable_date("actual_finish");
  if (auto ok = f.finish(); !ok) {
    return std::move(ok).error();
  }
  return p;
}

Result<app::NewTask> new_task_of(const json::object& body) {
  Fields f(body);
  app::TaskPatch p = patch_fields(f);
  app::NewTask cmd;
  if (!p.name) {
    f.fail("name", "Required.");
  }
  if (!p.duration_days) {
    f.fail("duration_days", "Required: working days, 0 for a milestone.");
  }
  if (const auto* items = f.get("checklist")) {
    if (!items->is_array()) {
      f.fail("checklist", "Expected an array of {text, done}.");
    } else {
      for (size_t i = 0; i < items->as_array().size(); ++i) {
        const auto* o = items->as_array()[i].if_object();
        const auto* text = o != nullptr ? o->if_contains("text") : nullptr;
        const auto* done = o != nullptr ? o->if_contains("done") : nullptr;
        if (text == nullptr || !text->is_string() || (done != nullptr && !done->is_bool())) {
          f.fail("checklist[" + std::to_string(i) + "]", "Expected {text, done}.");
          continue;
        }
        cmd.checklist.push_back(
            {std::string(text->as_string()), done != nullptr && done->as_bool()});
      }
    }
  }
  if (auto ok = f.finish(); !ok) {
    return std::move(ok).error();
  }
  cmd.name = *p.name;
  cmd.description = p.description.value_or("");
  cmd.duration_days = *p.duration_days;
  cmd.lot_id = p.lot_id.value_or(std::nullopt);
  cmd.assignees = p.assignees.value_or(std::vector<std::string>{});
  cmd.constraint = p.constraint.value_or(std::nullopt);
  return cmd;
}

Result<app::StatusMove> move_of(const json::object& body) {
  Fields f(body);
  app::StatusMove move;
  auto status = f.string("status", 32);
  auto parsed = status ? app::parse_status(*status) : std::nullopt;
  if (!parsed) {
    f.fail("status", "One of todo, in_progress, blocked, done.");
  }
  move.before_id = f.string("before_id", 64);
  move.after_id = f.string("after_id", 64);
  if (auto ok = f.finish(); !ok) {
    return std::move(ok).error();
  }
  move.to = *parsed;
  return move;
}

Result<app::NewLink> link_of(const json::object& body) {
  Fields f(body);
  app::NewLink link;
  auto from = f.string("from", 64);
  auto to = f.string("to", 64);
  if (!from) {
    f.fail("from", "Required: the predecessor's id.");
  }
  if (!to) {
    f.fail("to", "Required: the successor's id.");
  }
  if (auto type = f.string("type", 8)) {
    auto parsed = domain::parse_link_type(*type);
    if (!parsed) {
      f.fail("type", "One of FS, SS, FF, SF.");
    } else {
      link.type = *parsed;
    }
  }
  link.lag_days = f.integer("lag_days").value_or(0);
  if (auto ok = f.finish(); !ok) {
    return std::move(ok).error();
  }
  link.from = *from;
  link.to = *to;
  return link;
}

Result<app::CalendarSettings> calendar_of(const json::object& body) {
  Fields f(body);
  app::CalendarSettings s;
  if (auto days = f.strings("working_weekdays")) {
    for (const auto& d : *days) {
      auto day = app::parse_weekday(d);
      if (!day) {
        f.fail("working_weekdays", "Days among mon, tue, wed, thu, fri, sat, sun.");
        break;
      }
      s.working_weekdays.push_back(*day);
    }
  } else {
    f.fail("working_weekdays", "Required: [\"mon\", ...].");
  }
  auto region = f.string("holiday_region", 32);
  auto parsed = region ? app::parse_holiday_region(*region) : std::nullopt;
  if (!parsed) {
    f.fail("holiday_region", "One of fr, fr-alsace-moselle, none.");
  } else {
    s.holiday_region = *parsed;
  }
  if (const auto* items = f.get("exceptions")) {
    if (!items->is_array()) {
      f.fail("exceptions", "Expected an array of {date, working, reason}.");
    } else {
      for (size_t i = 0; i < items->as_array().size(); ++i) {
        const auto* o = items->as_array()[i].if_object();
        const auto* date = o != nullptr ? o->if_contains("date") : nullptr;
        const auto* working = o != nullptr ? o->if_contains("working") : nullptr;
        const auto* reason = o != nullptr ? o->if_contains("reason") : nullptr;
        auto d = date != nullptr && date->is_string() ? app::parse_date(date->as_string())
                                                      : std::nullopt;
        if (!d || working == nullptr || !working->is_bool() ||
            (reason != nullptr && !reason->is_string() && !reason->is_null())) {
          f.fail("exceptions[" + std::to_string(i) + "]",
                 "Expected {date: YYYY-MM-DD, working: bool, reason: string}.");
          continue;
        }
        s.exceptions.push_back({*d, working->as_bool(),
                                reason != nullptr && reason->is_string()
                                    ? std::string(reason->as_string())
                                    : std::string()});
      }
    }
  }
  if (auto ok = f.finish(); !ok) {
    return std::move(ok).error();
  }
  return s;
}

Result<app::TaskFilter> filter_of(const Request& request) {
  app::TaskFilter filter;
  std::vector<FieldError> errors;
  const http::PageRequest page = http::read_page(request, errors);
  filter.limit = page.limit;
  filter.after_id = page.cursor;
  if (auto s = request.query_param("status"); s && !s->empty()) {
    filter.status = app::parse_status(*s);
    if (!filter.status) {
      errors.push_back({"status", "One of todo, in_progress, blocked, done."});
    }
  }
  if (auto lot = request.query_param("lot_id"); lot && !lot->empty()) {
    filter.lot_id = *lot;
  }
  if (auto who = request.query_param("assignee"); who && !who->empty()) {
    if (who->size() > 64) {
      errors.push_back({"assignee", "A user id."});
    }
    filter.assignee = *who;
  }
  if (!errors.empty()) {
    return Error::invalid("Some query parameters are invalid.", std::move(errors));
  }
  return filter;
}

// A handler that reads a JSON body with `parse` and answers `run(request, parsed)`.
template <class Parse, class Run>
http::Handler with_body(Parse parse, Run run) {
  return [parse, run](Request& request) {
    auto body = http::json_object_body(request);
    if (!body) {
      return Response::problem(body.error(), request);
    }
    auto parsed = parse(*body);
    if (!parsed) {
      return Response::problem(parsed.error(), request);
    }
    return run(request, *parsed);
  };
}

// If-Match against a version: required for a merge patch of a task, optional elsewhere.
app::VersionCheck if_match(const Request& request, bool required) {
  return [&request, required](int64_t version) {
    return http::check_if_match(request, http::etag_for_version(version), required);
  };
}

// MS Project XML: its own media type, and the generic ones clients send or ask for.
constexpr std::string_view kMspdiType = "application/vnd.ms-project.mspdi+xml";
constexpr std::string_view kXmlType = "application/xml";

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The media type of a Content-Type or of one Accept range, without its parameters.
std::string_view media_type(std::string_view value) {
  return trimmed(value.substr(0, value.find(';')));
}

bool is_xml_type(std::string_view type) {
  return http::iequals(type, kMspdiType) || http::iequals(type, kXmlType) ||
         http::iequals(type, "text/xml");
}

// What an export answers with: MSPDI's own type, or application/xml for a client that asks for
// that (or text/xml); "" when Accept allows neither (406).
std::string_view export_type(std::string_view accept) {
  if (trimmed(accept).empty()) {
    return kMspdiType;
  }
  bool xml = false;
  bool any = false;
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    const std::string_view range = media_type(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    if (http::iequals(range, kMspdiType)) {
      return kMspdiType;
    }
    xml = xml || http::iequals(range, kXmlType) || http::iequals(range, "text/xml");
    any = any || range == "*/*" || http::iequals(range, "application/*");
  }
  return xml ? kXmlType : any ? kMspdiType : std::string_view();
}

Response import_response(const app::ImportReport& report) {
  json::array warnings;
  for (const auto& w : report.warnings) {
    warnings.push_back(json::value(w));
  }
  return Response::json(201, json::object{{"tasks_created", report.tasks_created},
                                          {"links_created", report.links_created},
                                          {"calendar_replaced", report.calendar_replaced},
                                          {"warnings", std::move(warnings)}});
}

}  // namespace

struct TasksService::State {
  explicit State(db::Database& database) : db(database) {}

  db::Database& db;
  Options options;
  std::unique_ptr<app::PlanStore> store;
  std::unique_ptr<auth::Authorizer> authorizer;
  std::unique_ptr<app::Planning> planning;
  std::unique_ptr<app::Scheduling> scheduling;
  std::unique_ptr<app::PlanExchange> exchange;
  std::unique_ptr<app::Projections> projections;
  std::unique_ptr<events::Consumer> consumer;
  std::unique_ptr<app::Scheduler> scheduler;

  // Tells waiters of wait_for_plan that an event was handled.
  std::mutex projected_mutex;
  std::condition_variable projected;
  uint64_t events_seen = 0;

  void events_written() const {
    if (options.events_written) {
      options.events_written();
    }
  }
  void changed(const app::PlanRef& ref) {
    events_written();
    if (scheduler) {
      scheduler->mark(ref);
    }
  }
};

TasksService::TasksService(std::unique_ptr<State> state) : state_(std::move(state)) {}

TasksService::~TasksService() {
  if (state_->scheduler) {
    state_->scheduler->stop();
  }
}

Result<std::unique_ptr<TasksService>> TasksService::create(db::Database& db, Options options) {
  auto state = std::make_unique<State>(db);
  State& s = *state;
  s.options = std::move(options);
  const Clock& clock = *s.options.clock;
  s.store = adapters::make_sql_store();
  s.authorizer = app::make_authorizer(db, *s.store);
  s.planning = std::make_unique<app::Planning>(db, *s.store, *s.authorizer, clock,
                                               [&s](const app::PlanRef& ref) { s.changed(ref); });
  s.scheduling = std::make_unique<app::Scheduling>(
      db, *s.store, *s.planning, clock, [&s](const app::PlanRef& ref) { s.changed(ref); },
      [&s] { s.events_written(); });
  s.exchange = std::make_unique<app::PlanExchange>(
      db, *s.store, *s.planning, clock, [&s](const app::PlanRef& ref) { s.changed(ref); });
  s.projections = std::make_unique<app::Projections>(*s.store, clock);
  s.consumer = std::make_unique<events::Consumer>(
      db,
      events::ConsumerOptions{.name = "tasks.project-projections",
                              .max_attempts = 5,
                              .initial_backoff = std::chrono::milliseconds(100),
                              .max_backoff = std::chrono::milliseconds(10'000),
                              .clock = &clock,
                              .sleep = s.options.consumer_sleep},
      [&s](db::Transaction& tx, const events::CloudEvent& event) -> Result<void> {
        auto touched = s.projections->apply(tx, event);
        if (!touched) {
          return std::move(touched).error();
        }
        return {};
      });
  s.scheduler = std::make_unique<app::Scheduler>(
      [&s](const app::PlanRef& ref) { return s.scheduling->compute(ref); }, s.options.quiet_period);
  auto behind = s.scheduling->plans_behind();
  if (!behind) {
    return std::move(behind).error();
  }
  s.scheduler->start(*behind);
  return std::unique_ptr<TasksService>(new TasksService(std::move(state)));
}

Result<events::Consumer::Outcome> TasksService::deliver(const events::CloudEvent& event) {
  State& s = *state_;
  auto outcome = s.consumer->deliver(event);
  if (outcome && *outcome == events::Consumer::Outcome::kHandled) {
    // Every projected event may move a plan's input: the scheduler checks its version.
    boost::system::error_code ec;
    const auto data = json::parse(event.data, ec);
    const auto* o = ec ? nullptr : data.if_object();
    const auto* project = o == nullptr                ? nullptr
                          : o->contains("project_id") ? o->if_contains("project_id")
                                                      : o->if_contains("id");
    if (project != nullptr && project->is_string()) {
      s.scheduler->mark({event.org_id, std::string(project->as_string())});
    }
  }
  {
    std::lock_guard lock(s.projected_mutex);
    ++s.events_seen;
  }
  s.projected.notify_all();
  return outcome;
}

void TasksService::subscribe(events::Bus& bus) {
  bus.subscribe(events::Subscription{"tasks", app::Projections::event_types(),
                                     [this](const events::CloudEvent& event) {
                                       auto outcome = deliver(event);
                                       if (!outcome) {
                                         return Result<void>(std::move(outcome).error());
                                       }
                                       return Result<void>();
                                     }});
}

bool TasksService::wait_idle(std::chrono::milliseconds timeout) {
  return state_->scheduler->wait_idle(timeout);
}

namespace {

// Checks `done` after every event the projections handle, until it holds or `timeout` passes.
bool wait_for_projection(std::mutex& mutex, std::condition_variable& projected,
                         const uint64_t& events_seen, const std::function<bool()>& done,
                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex);
  while (true) {
    const uint64_t seen = events_seen;
    lock.unlock();
    if (done()) {
      return true;
    }
    lock.lock();
    if (!projected.wait_until(lock, deadline, [&] { return events_seen != seen; })) {
      return false;
    }
  }
}

}  // namespace

bool TasksService::wait_for_plan(const std::string& org_id, const std::string& project_id,
                                 std::chrono::milliseconds timeout) {
  State& s = *state_;
  auto known = [&] {
    auto plan = s.db.transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = org_id},
        [&](db::Transaction& tx) { return s.store->find_plan(tx, org_id, project_id); });
    return plan && plan->has_value();
  };
  return wait_for_projection(s.projected_mutex, s.projected, s.events_seen, known, timeout);
}

bool TasksService::wait_for_lot(const std::string& org_id, const std::string& project_id,
                                const std::string& lot_id, bool present,
                                std::chrono::milliseconds timeout) {
  State& s = *state_;
  auto seen = [&] {
    auto known = s.db.transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = org_id},
        [&](db::Transaction& tx) { return s.store->has_lot(tx, org_id, project_id, lot_id); });
    return known && *known == present;
  };
  return wait_for_projection(s.projected_mutex, s.projected, s.events_seen, seen, timeout);
}

uint64_t TasksService::computations() const {
  return state_->scheduler->computations();
}

void TasksService::add_routes(http::Router& router) {
  State& s = *state_;
  app::Planning& planning = *s.planning;
  app::Scheduling& scheduling = *s.scheduling;
  app::PlanExchange& exchange = *s.exchange;
  // Every route needs credentials; the organisation is always the caller's
  // (request.principal->org_id), never one named by the body or the path.

  // Tasks.
  router.add(Method::kPost, "/api/v1/projects/{id}/tasks",
             with_body(new_task_of,
                       [&planning](Request& request, const app::NewTask& cmd) {
                         auto created =
                             planning.create_task(*request.principal, param(request, "id"), cmd);
                         if (!created) {
                           return Response::problem(created.error(), request);
                         }
                         Response r = task_response(201, *created);
                         r.headers.set("Location", "/api/v1/tasks/" + created->id);
                         return r;
                       }),
             route("tasks.create"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/tasks",
      [&planning](Request& request) {
        auto filter = filter_of(request);
        if (!filter) {
          return Response::problem(filter.error(), request);
        }
        const int limit = filter->limit;
        filter->limit = limit + 1;  // one more row only tells that there is a next page
        auto rows = planning.list_tasks(*request.principal, param(request, "id"), *filter);
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(*rows, limit, app::task_json,
                                   [](const app::Task& t) { return t.id; });
      },
      route("tasks.list"));

  router.add(
      Method::kGet, "/api/v1/tasks/{id}",
      [&planning](Request& request) {
        auto found = planning.get_task(*request.principal, param(request, "id"));
        if (!found) {
          return Response::problem(found.error(), request);
        }
        return task_response(200, *found);
      },
      route("tasks.get"));

  router.add(Method::kPatch, "/api/v1/tasks/{id}",
             with_body(task_patch_of,
                       [&planning](Request& request, const app::TaskPatch& patch) {
                         // If-Match is required: a change made without knowing the current
                         // version would silently overwrite someone else's.
                         auto updated =
                             planning.update_task(*request.principal, param(request, "id"), patch,
                                                  if_match(request, true));
                         if (!updated) {
                           return Response::problem(updated.error(), request);
                         }
                         return task_response(200, *updated);
                       }),
             route("tasks.update"));

  router.add(
      Method::kDelete, "/api/v1/tasks/{id}",
      [&planning](Request& request) {
        auto deleted = planning.delete_task(*request.principal, param(request, "id"),
                                            if_match(request, false));
        if (!deleted) {
          return Response::problem(deleted.error(), request);
        }
        return Response::no_content();
      },
      route("tasks.delete"));

  router.add(Method::kPatch, "/api/v1/tasks/{id}/status",
             with_body(move_of,
                       [&planning](Request& request, const app::StatusMove& move) {
                         auto moved = planning.move_task(*request.principal, param(request, "id"),
                                                         move, if_match(request, false));
                         if (!moved) {
                           return Response::problem(moved.error(), request);
                         }
                         return task_response(200, *moved);
                       }),
             route("tasks.move"));

  // Checklist items of a task.
  router.add(Method::kPost, "/api/v1/tasks/{id}/checklist",
             with_body(
                 [](const json::object& body) -> Result<app::NewChecklistItem> {
                   Fields f(body);
                   app::NewChecklistItem item;
                   auto text = f.string("text");
                   if (!text) {
                     f.fail("text", "Required.");
                   }
                   item.done = f.boolean("done").value_or(false);
                   if (auto ok = f.finish(); !ok) {
                     return std::move(ok).error();
                   }
                   item.text = *text;
                   return item;
                 },
                 [&planning](Request& request, const app::NewChecklistItem& item) {
                   auto changed =
                       planning.add_checklist_item(*request.principal, param(request, "id"), item);
                   if (!changed) {
                     return Response::problem(changed.error(), request);
                   }
                   return task_response(201, *changed);
                 }),
             route("tasks.checklist.add"));

  router.add(Method::kPatch, "/api/v1/tasks/{id}/checklist/{item}",
             with_body(
                 [](const json::object& body) -> Result<app::ChecklistPatch> {
                   Fields f(body);
                   app::ChecklistPatch patch;
                   patch.text = f.string("text");
                   patch.done = f.boolean("done");
                   if (auto ok = f.finish(); !ok) {
                     return std::move(ok).error();
                   }
                   return patch;
                 },
                 [&planning](Request& request, const app::ChecklistPatch& patch) {
                   auto changed = planning.update_checklist_item(
                       *request.principal, param(request, "id"), param(request, "item"), patch);
                   if (!changed) {
                     return Response::problem(changed.error(), request);
                   }
                   return task_response(200, *changed);
                 }),
             route("tasks.checklist.update"));

  router.add(
      Method::kDelete, "/api/v1/tasks/{id}/checklist/{item}",
      [&planning](Request& request) {
        auto changed = planning.remove_checklist_item(*request.principal, param(request, "id"),
                                                      param(request, "item"));
        if (!changed) {
          return Response::problem(changed.error(), request);
        }
        return task_response(200, *changed);
      },
      route("tasks.checklist.remove"));

  // The Kanban board.
  router.add(
      Method::kGet, "/api/v1/projects/{id}/board",
      [&planning](Request& request) {
        const std::string project_id = param(request, "id");
        auto columns = planning.board(*request.principal, project_id);
        if (!columns) {
          return Response::problem(columns.error(), request);
        }
        json::array out;
        for (const auto& c : *columns) {
          json::array tasks;
          for (const auto& t : c.tasks) {
            tasks.push_back(app::task_json(t));
          }
          out.push_back(json::object{{"status", app::status_name(c.status)}, {"tasks", tasks}});
        }
        return Response::json(200, json::object{{"project_id", project_id}, {"columns", out}});
      },
      route("tasks.board"));

  // Links.
  router.add(Method::kPost, "/api/v1/projects/{id}/links",
             with_body(link_of,
                       [&planning](Request& request, const app::NewLink& cmd) {
                         auto created =
                             planning.create_link(*request.principal, param(request, "id"), cmd);
                         if (!created) {
                           return Response::problem(created.error(), request);
                         }
                         return Response::json(201, app::link_json(*created));
                       }),
             route("links.create"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/links",
      [&planning](Request& request) {
        auto links = planning.links(*request.principal, param(request, "id"));
        if (!links) {
          return Response::problem(links.error(), request);
        }
        json::array items;
        for (const auto& l : *links) {
          items.push_back(app::link_json(l));
        }
        return Response::json(200, json::object{{"items", items}});
      },
      route("links.list"));

  router.add(
      Method::kDelete, "/api/v1/links/{id}",
      [&planning](Request& request) {
        auto deleted = planning.delete_link(*request.principal, param(request, "id"));
        if (!deleted) {
          return Response::problem(deleted.error(), request);
        }
        return Response::no_content();
      },
      route("links.delete"));

  // The working calendar.
  router.add(
      Method::kGet, "/api/v1/projects/{id}/calendar",
      [&planning](Request& request) {
        auto plan = planning.calendar(*request.principal, param(request, "id"));
        if (!plan) {
          return Response::problem(plan.error(), request);
        }
        Response r = Response::json(200, app::calendar_json(*plan));
        r.headers.set("ETag", http::etag_for_version(plan->calendar_version));
        return r;
      },
      route("calendar.get"));

  router.add(Method::kPut, "/api/v1/projects/{id}/calendar",
             with_body(calendar_of,
                       [&planning](Request& request, const app::CalendarSettings& settings) {
                         auto plan = planning.set_calendar(*request.principal, param(request, "id"),
                                                           settings, if_match(request, false));
                         if (!plan) {
                           return Response::problem(plan.error(), request);
                         }
                         Response r = Response::json(200, app::calendar_json(*plan));
                         r.headers.set("ETag", http::etag_for_version(plan->calendar_version));
                         return r;
                       }),
             route("calendar.put"));

  // The schedule and its views.
  router.add(
      Method::kGet, "/api/v1/projects/{id}/schedule",
      [&scheduling](Request& request) {
        auto schedule = scheduling.schedule(*request.principal, param(request, "id"));
        if (!schedule) {
          return Response::problem(schedule.error(), request);
        }
        return Response::json(200, *schedule);
      },
      route("schedule.get"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/gantt",
      [&scheduling](Request& request) {
        auto gantt = scheduling.gantt(*request.principal, param(request, "id"));
        if (!gantt) {
          return Response::problem(gantt.error(), request);
        }
        return Response::json(200, *gantt);
      },
      route("schedule.gantt"));

  // Baselines.
  router.add(Method::kPost, "/api/v1/projects/{id}/baselines",
             with_body(
                 [](const json::object& body) -> Result<std::string> {
                   Fields f(body);
                   auto name = f.string("name", 200);
                   if (!name) {
                     f.fail("name", "Required.");
                   }
                   if (auto ok = f.finish(); !ok) {
                     return std::move(ok).error();
                   }
                   return *name;
                 },
                 [&scheduling](Request& request, const std::string& name) {
                   auto created =
                       scheduling.create_baseline(*request.principal, param(request, "id"), name);
                   if (!created) {
                     return Response::problem(created.error(), request);
                   }
                   return Response::json(201, app::baseline_json(*created, true, true));
                 }),
             route("baselines.create"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/baselines",
      [&scheduling](Request& request) {
        auto list = scheduling.baselines(*request.principal, param(request, "id"));
        if (!list) {
          return Response::problem(list.error(), request);
        }
        json::array items;
        for (const auto& b : list->baselines) {
          items.push_back(app::baseline_json(b, b.id == list->active_id, false));
        }
        return Response::json(200, json::object{{"items", items},
                                                {"active_id", list->active_id.empty()
                                                                  ? json::value(nullptr)
                                                                  : json::value(list->active_id)}});
      },
      route("baselines.list"));

  router.add(
      Method::kPost, "/api/v1/projects/{id}/baselines/{baseline}/activate",
      [&scheduling](Request& request) {
        auto active = scheduling.activate_baseline(*request.principal, param(request, "id"),
                                                   param(request, "baseline"));
        if (!active) {
          return Response::problem(active.error(), request);
        }
        return Response::json(200, app::baseline_json(*active, true, false));
      },
      route("baselines.activate"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/baselines/{baseline}/variance",
      [&scheduling](Request& request) {
        auto variance = scheduling.variance(*request.principal, param(request, "id"),
                                            param(request, "baseline"));
        if (!variance) {
          return Response::problem(variance.error(), request);
        }
        return Response::json(200, *variance);
      },
      route("baselines.variance"));

  // The plan as an MS Project file (MSPDI), out and in.
  router.add(
      Method::kGet, "/api/v1/projects/{id}/plan/export",
      [&exchange](Request& request) {
        const std::string_view type = export_type(request.header("Accept"));
        if (type.empty()) {
          return Response::problem(406, "not-acceptable",
                                   "The plan is exported as application/vnd.ms-project.mspdi+xml "
                                   "or application/xml.",
                                   request);
        }
        auto file = exchange.export_plan(*request.principal, param(request, "id"));
        if (!file) {
          return Response::problem(file.error(), request);
        }
        Response r = Response::text(200, std::move(file->xml), type);
        r.headers.set("Content-Disposition", "attachment; filename=\"" + file->file_name + "\"");
        return r;
      },
      route("plan.export"));

  router.add(
      Method::kPost, "/api/v1/projects/{id}/plan/import",
      [&exchange](Request& request) {
        if (!is_xml_type(media_type(request.header("Content-Type")))) {
          return Response::problem(415, "unsupported-media-type",
                                   "Send the MS Project XML file as application/xml or "
                                   "application/vnd.ms-project.mspdi+xml.",
                                   request);
        }
        app::ImportOptions options;
        if (auto calendar = request.query_param("calendar"); calendar && !calendar->empty()) {
          if (*calendar != "replace" && *calendar != "keep") {
            return Response::problem(
                Error::invalid("Some query parameters are invalid.",
                               {{"calendar", "keep (the default) or replace."}}),
                request);
          }
          options.replace_calendar = *calendar == "replace";
        }
        auto report =
            exchange.import_plan(*request.principal, param(request, "id"), request.body, options);
        if (!report) {
          return Response::problem(report.error(), request);
        }
        return import_response(*report);
      },
      route("plan.import"));
}

}  // namespace atelier::tasks
