#include "tasks/app/plan_exchange.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "tasks/app/task_json.hpp"
#include "tasks/domain/mspdi.hpp"

namespace atelier::tasks::app {

namespace json = boost::json;
using auth::ProjectAction;
using std::chrono::days;

namespace {

constexpr std::string_view kSource = "/services/tasks";
// What Planning accepts (validate() in planning.cpp and set_calendar).
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDescription = 10'000;
constexpr std::size_t kMaxExceptions = 1'000;
constexpr std::size_t kMaxReason = 200;
// An import lists at most this many warnings, then says how many more there were.
constexpr std::size_t kMaxWarnings = 100;
// The export names the holidays of at most this many years of the plan's span.
constexpr int kMaxHolidayYears = 30;

db::TxOptions read_in(const Principal& caller) {
  return db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id};
}

db::TxOptions write_in(const Principal& caller) {
  return db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id};
}

Error no_such_project() {
  return Error::not_found("No project with this id in your organisation.");
}

int year_of(Date d) {
  return static_cast<int>(std::chrono::year_month_day(d).year());
}

Date on(int year, unsigned month, unsigned day) {
  return Date(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day));
}

std::vector<Date> holidays_of(int year, HolidayRegion region) {
  if (region == HolidayRegion::kNone) {
    return {};
  }
  return domain::french_public_holidays(year, region == HolidayRegion::kAlsaceMoselle
                                                  ? domain::FrenchRegion::kAlsaceMoselle
                                                  : domain::FrenchRegion::kMetropolitan);
}

// The name a French planner gives a public holiday, for the exceptions of an exported calendar.
std::string holiday_name(Date day) {
  const int year = year_of(day);
  const Date easter = domain::easter_sunday(year);
  const std::pair<Date, std::string_view> names[] = {
      {on(year, 1, 1), "Jour de l'an"},          {easter - days(2), "Vendredi saint"},
      {easter + days(1), "Lundi de Pâques"},     {on(year, 5, 1), "Fête du travail"},
      {on(year, 5, 8), "Victoire 1945"},         {easter + days(39), "Ascension"},
      {easter + days(50), "Lundi de Pentecôte"}, {on(year, 7, 14), "Fête nationale"},
      {on(year, 8, 15), "Assomption"},           {on(year, 11, 1), "Toussaint"},
      {on(year, 11, 11), "Armistice 1918"},      {on(year, 12, 25), "Noël"},
      {on(year, 12, 26), "Saint-Étienne"}};
  for (const auto& [date, name] : names) {
    if (date == day) {
      return std::string(name);
    }
  }
  return "Jour férié";
}

bool works_on(const std::vector<std::chrono::weekday>& weekdays, Date day) {
  return std::find(weekdays.begin(), weekdays.end(), std::chrono::weekday(day)) != weekdays.end();
}

// The plan's calendar as MSPDI holds it: weekdays, then one exception per day that departs from
// them — the region's holidays over [first, last] (MS Project knows no French holidays, so they
// are written out), and the plan's own exceptions, which win.
domain::MspdiCalendar mspdi_calendar(const CalendarSettings& settings, Date first, Date last) {
  domain::MspdiCalendar c;
  if (!settings.working_weekdays.empty()) {
    c.working_weekdays = settings.working_weekdays;
    std::sort(c.working_weekdays.begin(), c.working_weekdays.end(),
              [](auto a, auto b) { return a.c_encoding() < b.c_encoding(); });
  }
  std::map<Date, domain::MspdiException> by_day;
  const int last_year = std::min(year_of(last), year_of(first) + kMaxHolidayYears - 1);
  for (int year = year_of(first); year <= last_year; ++year) {
    for (Date d : holidays_of(year, settings.holiday_region)) {
      if (works_on(c.working_weekdays, d)) {
        by_day[d] = {d, d, false, holiday_name(d)};
      }
    }
  }
  for (const auto& e : settings.exceptions) {
    by_day[e.date] = {e.date, e.date, e.working, e.reason};
  }
  for (auto& [day, e] : by_day) {
    c.exceptions.push_back(std::move(e));
  }
  return c;
}

// The file's calendar as the plan stores it: the file's weekdays, and its exception days that
// depart from what those weekdays and the plan's holiday region already say.
Result<CalendarSettings> imported_calendar(const domain::MspdiCalendar& file,
                                           HolidayRegion region) {
  CalendarSettings s;
  s.holiday_region = region;
  s.working_weekdays = file.working_weekdays;
  std::sort(s.working_weekdays.begin(), s.working_weekdays.end(),
            [](auto a, auto b) { return a.iso_encoding() < b.iso_encoding(); });
  s.working_weekdays.erase(std::unique(s.working_weekdays.begin(), s.working_weekdays.end()),
                           s.working_weekdays.end());
  if (s.working_weekdays.empty()) {
    return Error::invalid(
        "The file's calendar has no working weekday: import it without "
        "?calendar=replace, or fix the calendar in MS Project.");
  }
  std::map<Date, const domain::MspdiException*> by_day;  // a later exception wins, as in MSPDI
  for (const auto& e : file.exceptions) {
    for (Date d = e.first; d <= e.last; d += days(1)) {
      by_day[d] = &e;
    }
  }
  std::map<int, std::set<Date>> holidays;
  for (const auto& [day, e] : by_day) {
    auto year = holidays.find(year_of(day));
    if (year == holidays.end()) {
      const auto list = holidays_of(year_of(day), region);
      year = holidays.emplace(year_of(day), std::set<Date>(list.begin(), list.end())).first;
    }
    const bool usually_working = works_on(s.working_weekdays, day) && !year->second.contains(day);
    if (e->working != usually_working) {
      std::string reason = e->name.substr(0, kMaxReason);
      while (!reason.empty() && reason.size() < e->name.size() &&
             (static_cast<unsigned char>(e->name[reason.size()]) & 0xC0) == 0x80) {
        reason.pop_back();  // never cut a UTF-8 sequence in two
      }
      s.exceptions.push_back({day, e->working, std::move(reason)});
    }
  }
  if (s.exceptions.size() > kMaxExceptions) {
    return Error::invalid("The file's calendar has " + std::to_string(s.exceptions.size()) +
                          " exception days beyond the holidays; a plan keeps at most 1000. Import "
                          "it without ?calendar=replace.");
  }
  return s;
}

// `text` cut to at most `max` bytes, never inside a UTF-8 sequence.
std::string truncated(std::string_view text, std::size_t max) {
  if (text.size() <= max) {
    return std::string(text);
  }
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) {
    --n;
  }
  return std::string(text.substr(0, n));
}

std::string in_quotes(std::string_view name) {
  return "\"" + std::string(name) + "\"";
}

std::string task_label(const domain::MspdiTask& m) {
  return "task " + std::to_string(m.uid) + " " + in_quotes(m.name);
}

}  // namespace

PlanExchange::PlanExchange(db::Database& db, PlanStore& store, Planning& planning,
                           const Clock& clock, PlanChanged changed)
    : db_(db), store_(store), planning_(planning), clock_(clock), changed_(std::move(changed)) {}

Result<PlanFile> PlanExchange::export_plan(const Principal& caller, const std::string& project_id) {
  if (auto ok = planning_.allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  struct Loaded {
    Plan plan;
    std::vector<Task> tasks;
    std::vector<TaskLink> links;
    std::optional<StoredSchedule> schedule;
  };
  auto loaded = db_.transact(read_in(caller), [&](db::Transaction& tx) -> Result<Loaded> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (!plan->has_value()) {
      return no_such_project();
    }
    auto tasks = store_.project_tasks(tx, caller.org_id, project_id);
    auto links = store_.project_links(tx, caller.org_id, project_id);
    auto schedule = store_.find_schedule(tx, caller.org_id, project_id);
    if (!tasks || !links || !schedule) {
      return Error::unavailable("The plan could not be read: try again.");
    }
    return Loaded{std::move(**plan), std::move(*tasks), std::move(*links), std::move(*schedule)};
  });
  if (!loaded) {
    return std::move(loaded).error();
  }
  const Plan& plan = loaded->plan;

  // The current schedule's early dates, by task id; none when it was never computed or failed.
  std::map<std::string, std::pair<Date, Date>> planned;
  domain::MspdiProject p;
  p.name = plan.name;
  p.start = plan.start;
  if (loaded->schedule && !loaded->schedule->error) {
    boost::system::error_code ec;
    const json::value body = json::parse(loaded->schedule->body, ec);
    const json::object* o = ec ? nullptr : body.if_object();
    const json::value* finish = o != nullptr ? o->if_contains("project_finish") : nullptr;
    if (finish != nullptr && finish->is_string()) {
      p.finish = parse_date(finish->as_string());
    }
    const json::value* rows = o != nullptr ? o->if_contains("tasks") : nullptr;
    if (rows != nullptr && rows->is_array()) {
      for (const auto& row : rows->as_array()) {
        const auto& r = row.as_object();
        auto start = parse_date(r.at("early_start").as_string());
        auto end = parse_date(r.at("early_finish").as_string());
        if (start && end) {
          planned[std::string(r.at("task_id").as_string())] = {*start, *end};
        }
      }
    }
  }
  const Date last =
      std::max({plan.start, p.finish.value_or(plan.start), plan.deadline.value_or(plan.start)});
  p.calendar = mspdi_calendar(plan.calendar, plan.start, last);

  std::map<std::string, int> uid_of;
  for (const Task& t : loaded->tasks) {
    domain::MspdiTask m;
    m.uid = static_cast<int>(p.tasks.size()) + 1;
    m.name = t.name;
    m.duration_days = t.duration_days;
    m.milestone = t.duration_days == 0;
    if (auto d = planned.find(t.id); d != planned.end()) {
      m.start = d->second.first;
      m.finish = d->second.second;
    }
    m.actual_start = t.actual_start;
    m.actual_finish = t.actual_finish;
    m.percent_complete = t.progress_percent;
    if (t.constraint) {
      m.constraint = domain::MspdiConstraint{t.constraint->kind, t.constraint->date};
    }
    m.notes = t.description;
    // The lot's id: this service knows lots by id only (the projects service keeps their names).
    m.lot = t.lot_id.value_or("");
    uid_of[t.id] = m.uid;
    p.tasks.push_back(std::move(m));
  }
  for (const TaskLink& l : loaded->links) {
    auto from = uid_of.find(l.from);
    auto to = uid_of.find(l.to);
    if (from != uid_of.end() && to != uid_of.end()) {
      p.links.push_back({from->second, to->second, l.type, l.lag_days});
    }
  }

  std::string base = plan.code.value_or(plan.project_id);
  base.erase(std::remove_if(base.begin(), base.end(),
                            [](char c) {
                              return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                                       (c >= 'A' && c <= 'Z') || c == '-' || c == '_');
                            }),
             base.end());
  return PlanFile{(base.empty() ? std::string("plan") : base) + ".xml", domain::write_mspdi(p)};
}

// How links naming a summary task are imported. A summary task is the outline's structure, not
// work: it is not created, so a link to or from it is expanded onto every work task under it
// (each predecessor work task to each successor work task). For a finish-to-start link this is
// what MS Project does — a successor of a summary waits for all of its tasks, a summary's
// predecessor holds back all of its tasks. For SS, FF and SF links it can be stricter than the
// file meant (an SS link from a summary then waits for its latest-starting task), hence a warning
// per expanded link; dropping such links instead would silently lose the logic of the plan.
Result<ImportReport> PlanExchange::import_plan(const Principal& caller,
                                               const std::string& project_id, std::string_view xml,
                                               const ImportOptions& options) {
  if (auto ok = planning_.allow(caller, ProjectAction::kPlanManage, project_id); !ok) {
    return std::move(ok).error();
  }
  domain::MspdiLimits limits;
  limits.max_bytes = kMaxImportBytes;
  limits.max_tasks = kMaxImportTasks;
  limits.max_links = kMaxImportLinks;
  auto parsed = domain::parse_mspdi(xml, limits);
  if (!parsed) {
    if (parsed.error().code == ErrorCode::kPayloadTooLarge) {
      return Error{ErrorCode::kPayloadTooLarge,
                   "The file is larger than " + std::to_string(kMaxImportBytes >> 20) +
                       " MiB, the most an import reads.",
                   {},
                   {}};
    }
    return Error::invalid("The MS Project file could not be imported: " + parsed.error().message);
  }
  const domain::MspdiProject& file = parsed->project;
  ImportReport report;
  report.warnings = std::move(parsed->warnings);

  // The work tasks, in outline order. work_before[i] counts the work tasks among rows [0, i), so
  // the work tasks under the summary at row i are those numbered [work_before[i + 1],
  // work_before[end of its rows]).
  const std::size_t rows = file.tasks.size();
  std::vector<std::size_t> work_before(rows + 1, 0);
  std::vector<std::size_t> rows_end(rows, 0);  // one past the last row under row i
  std::vector<std::size_t> open;               // summaries whose rows are being read
  std::map<int, std::size_t> row_of;
  std::map<std::string, std::size_t> unmatched_lots;
  std::size_t summaries = 0;
  std::vector<Task> tasks;
  const TimePoint now = clock_.now();
  for (std::size_t i = 0; i < rows; ++i) {
    const domain::MspdiTask& m = file.tasks[i];
    row_of[m.uid] = i;
    while (!open.empty() && file.tasks[open.back()].outline_level >= m.outline_level) {
      rows_end[open.back()] = i;
      open.pop_back();
    }
    rows_end[i] = i + 1;
    work_before[i + 1] = work_before[i] + (m.summary ? 0 : 1);
    if (m.summary) {
      ++summaries;
      open.push_back(i);
      continue;
    }
    Task t;
    t.id = Uuid::v7(clock_).str();
    t.org_id = caller.org_id;
    t.project_id = project_id;
    if (m.name.empty()) {
      t.name = "Tâche " + std::to_string(m.uid);
      report.warnings.push_back("task " + std::to_string(m.uid) + " has no name: imported as " +
                                in_quotes(t.name) + ".");
    } else {
      t.name = truncated(m.name, kMaxName);
      if (t.name.size() < m.name.size()) {
        report.warnings.push_back(task_label(m) + ": name cut to 200 bytes.");
      }
    }
    t.description = truncated(m.notes, kMaxDescription);
    if (t.description.size() < m.notes.size()) {
      report.warnings.push_back(task_label(m) + ": notes cut to 10000 bytes.");
    }
    t.duration_days = m.duration_days;
    if (m.milestone && m.duration_days > 0) {
      t.duration_days = 0;
      report.warnings.push_back(task_label(m) + " is a milestone of " +
                                std::to_string(m.duration_days) +
                                " days: imported as a milestone, which takes no time.");
    }
    if (!m.lot.empty()) {
      if (Uuid::parse(m.lot)) {
        t.lot_id = m.lot;  // a file this service exported names lots by their id
      } else {
        ++unmatched_lots[m.lot];
      }
    }
    if (m.constraint) {
      t.constraint = domain::Constraint{m.constraint->kind, m.constraint->date};
    }
    t.progress_percent = std::clamp(m.percent_complete, 0, 100);
    t.actual_start = m.actual_start;
    t.actual_finish = m.actual_finish;
    if (t.actual_finish && !t.actual_start) {
      t.actual_start = m.start && *m.start <= *t.actual_finish ? *m.start : *t.actual_finish;
      report.warnings.push_back(task_label(m) + " has an actual finish but no actual start: " +
                                "started on " + format_date(*t.actual_start) + ".");
    } else if (t.actual_finish && *t.actual_finish < *t.actual_start) {
      report.warnings.push_back(task_label(m) + " finishes before it starts: actual finish " +
                                "dropped.");
      t.actual_finish.reset();
    }
    t.status = t.actual_finish                            ? TaskStatus::kDone
               : t.actual_start || t.progress_percent > 0 ? TaskStatus::kInProgress
                                                          : TaskStatus::kTodo;
    t.version = 1;
    t.created_at = now;
    t.updated_at = now;
    if (auto ok = validate(t); !ok) {
      std::string reasons;
      std::vector<FieldError> fields;
      for (const auto& f : ok.error().fields) {
        reasons += (reasons.empty() ? "" : "; ") + f.field + ": " + f.message;
        fields.push_back({"tasks[uid=" + std::to_string(m.uid) + "]." + f.field, f.message});
      }
      return Error::invalid(
          "The MS Project file could not be imported: " + task_label(m) + ": " + reasons,
          std::move(fields));
    }
    tasks.push_back(std::move(t));
  }
  while (!open.empty()) {
    rows_end[open.back()] = rows;
    open.pop_back();
  }
  if (summaries > 0) {
    report.warnings.push_back(std::to_string(summaries) +
                              " summary tasks (the file's outline) are not created as tasks.");
  }
  for (const auto& [lot, count] : unmatched_lots) {
    report.warnings.push_back("lot " + in_quotes(lot) + " is not known by its id here: its " +
                              std::to_string(count) + " tasks are imported without a lot.");
  }

  // Links between work tasks, by their position in `tasks`: explicit ones first, so that where
  // an expanded link repeats one the file states, the file's own type and lag win.
  const auto work_range = [&](std::size_t row) {
    return std::pair{work_before[row + (file.tasks[row].summary ? 1 : 0)],
                     work_before[rows_end[row]]};
  };
  std::vector<domain::Link> links;
  std::set<std::pair<std::size_t, std::size_t>> linked;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& l : file.links) {
      const auto from_it = row_of.find(l.predecessor_uid);
      const auto to_it = row_of.find(l.successor_uid);
      if (from_it == row_of.end() || to_it == row_of.end()) {
        continue;  // parse_mspdi refuses such links; nothing to join them to either way
      }
      const std::size_t from_row = from_it->second;
      const std::size_t to_row = to_it->second;
      const bool expanded = file.tasks[from_row].summary || file.tasks[to_row].summary;
      if (expanded != (pass == 1)) {
        continue;
      }
      const auto [from_first, from_last] = work_range(from_row);
      const auto [to_first, to_last] = work_range(to_row);
      const std::string label = "link " + std::to_string(l.predecessor_uid) + " → " +
                                std::to_string(l.successor_uid) + " (" +
                                std::string(domain::link_type_code(l.type)) + ")";
      if (from_first == from_last || to_first == to_last) {
        report.warnings.push_back(label + " names a summary task with no task under it: dropped.");
        continue;
      }
      if ((from_last - from_first) * (to_last - to_first) + links.size() > kMaxImportLinks) {
        return Error::invalid(
            "The MS Project file could not be imported: its links to and from "
            "summary tasks expand to more than " +
            std::to_string(kMaxImportLinks) + " links between tasks.");
      }
      std::size_t added = 0;
      for (std::size_t a = from_first; a < from_last; ++a) {
        for (std::size_t b = to_first; b < to_last; ++b) {
          if (a != b && linked.insert({a, b}).second) {
            links.push_back({static_cast<domain::TaskIndex>(a), static_cast<domain::TaskIndex>(b),
                             l.type, l.lag_days});
            ++added;
          }
        }
      }
      if (expanded) {
        report.warnings.push_back(label +
                                  " names a summary task, which is not created: expanded onto " +
                                  std::to_string(added) + " links between the tasks under it.");
      }
    }
  }
  if (const auto cycle = domain::find_cycle(tasks.size(), links); !cycle.empty()) {
    std::string names;
    for (auto i : cycle) {
      names += tasks[i].name + " → ";
    }
    names += tasks[cycle.front()].name;
    return Error::invalid("The MS Project file could not be imported: links form a cycle: " +
                          names);
  }

  // The lots the file names by id, task by task: only the project's own lots are kept, as the
  // projects service's lot events made them known here.
  std::vector<std::optional<std::string>> file_lots;
  file_lots.reserve(tasks.size());
  for (const Task& t : tasks) {
    file_lots.push_back(t.lot_id);
  }
  std::vector<std::string> lot_warnings;
  auto saved = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<void> {
    lot_warnings.clear();
    auto found = store_.find_plan(tx, caller.org_id, project_id);
    if (!found) {
      return std::move(found).error();
    }
    if (!found->has_value()) {
      return no_such_project();
    }
    std::map<std::string, bool> known_lots;
    std::map<std::string, std::size_t> foreign_lots;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      tasks[i].lot_id = file_lots[i];
      if (!file_lots[i]) {
        continue;
      }
      auto it = known_lots.find(*file_lots[i]);
      if (it == known_lots.end()) {
        auto has = store_.has_lot(tx, caller.org_id, project_id, *file_lots[i]);
        if (!has) {
          return std::move(has).error();
        }
        it = known_lots.emplace(*file_lots[i], *has).first;
      }
      if (!it->second) {
        ++foreign_lots[*file_lots[i]];
        tasks[i].lot_id.reset();
      }
    }
    for (const auto& [lot, count] : foreign_lots) {
      lot_warnings.push_back("lot " + in_quotes(lot) + " is not a lot of this project: its " +
                             std::to_string(count) + " tasks are imported without a lot.");
    }
    if (options.replace_calendar) {
      Plan plan = std::move(**found);
      auto calendar = imported_calendar(file.calendar, plan.calendar.holiday_region);
      if (!calendar) {
        return std::move(calendar).error();
      }
      plan.calendar = std::move(*calendar);
      plan.calendar_version += 1;
      plan.updated_at = now;
      if (auto r = store_.update_plan(tx, plan); !r) {
        return r;
      }
    }
    // Each task goes to the end of its column, in file order.
    std::array<int64_t, std::size(kAllStatuses)> next_rank{};
    for (TaskStatus s : kAllStatuses) {
      auto column = store_.column(tx, caller.org_id, project_id, s);
      if (!column) {
        return std::move(column).error();
      }
      next_rank[static_cast<std::size_t>(s)] = static_cast<int64_t>(column->size());
    }
    for (Task& t : tasks) {
      t.rank = next_rank[static_cast<std::size_t>(t.status)]++;
      if (auto r = store_.insert_task(tx, t); !r) {
        return r;
      }
      if (auto r = events::append(
              tx, events::CloudEvent::make(std::string(kSource), "tasks.TaskCreated.v1", t.id,
                                           t.org_id, json::serialize(task_json(t)), clock_));
          !r) {
        return r;
      }
    }
    for (const auto& l : links) {
      TaskLink link;
      link.id = Uuid::v7(clock_).str();
      link.org_id = caller.org_id;
      link.project_id = project_id;
      link.from = tasks[l.from].id;
      link.to = tasks[l.to].id;
      link.type = l.type;
      link.lag_days = l.lag;
      link.created_at = now;
      if (auto r = store_.insert_link(tx, link); !r) {
        return r;
      }
    }
    if (auto r = store_.bump_input_version(tx, caller.org_id, project_id); !r) {
      return std::move(r).error();
    }
    return {};
  });
  if (!saved) {
    return std::move(saved).error();
  }
  report.warnings.insert(report.warnings.end(), lot_warnings.begin(), lot_warnings.end());
  if (report.warnings.size() > kMaxWarnings) {
    const std::size_t more = report.warnings.size() - (kMaxWarnings - 1);
    report.warnings.resize(kMaxWarnings - 1);
    report.warnings.push_back("… and " + std::to_string(more) + " more warnings.");
  }
  report.tasks_created = tasks.size();
  report.links_created = links.size();
  report.calendar_replaced = options.replace_calendar;
  if (changed_) {
    changed_({caller.org_id, project_id});
  }
  return report;
}

}  // namespace atelier::tasks::app
