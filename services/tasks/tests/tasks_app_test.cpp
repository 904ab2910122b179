// The tasks service's use cases on SQLite and PostgreSQL: the projections of the projects
// service's events, tasks on the board, links and their cycles, and the scheduler worker with its
// baselines. The objects are wired as the service wires them, with a scheduler that does not wait
// for bursts to settle.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "atelier/db/migrations.hpp"
#include "atelier/events/consumer.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "tasks/adapters/sql_store.hpp"
#include "tasks/app/planning.hpp"
#include "tasks/app/projections.hpp"
#include "tasks/app/scheduler.hpp"
#include "tasks/app/scheduling.hpp"

std::vector<atelier::db::MigrationFile> atelier_tasks_migrations();

namespace atelier::tasks::app {
namespace {

namespace json = boost::json;
using std::chrono::days;

constexpr auto kWait = std::chrono::seconds(30);

class TasksAppTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    for (const auto& [component, files] : {std::pair{"events", events::migrations()},
                                           std::pair{"tasks", atelier_tasks_migrations()}}) {
      auto selected = db::select_migrations(files, kind());
      ASSERT_TRUE(selected) << selected.error().message;
      auto applied = db::migrate(*db_, component, *selected);
      ASSERT_TRUE(applied) << applied.error().message;
    }
    store_ = adapters::make_sql_store();
    authorizer_ = make_authorizer(*db_, *store_);
    planning_ = std::make_unique<Planning>(*db_, *store_, *authorizer_, clock_,
                                           [this](const PlanRef& ref) { scheduler_->mark(ref); });
    scheduling_ = std::make_unique<Scheduling>(
        *db_, *store_, *planning_, clock_, [this](const PlanRef& ref) { scheduler_->mark(ref); },
        nullptr);
    projections_ = std::make_unique<Projections>(*store_, clock_);
    consumer_ = std::make_unique<events::Consumer>(
        *db_,
        events::ConsumerOptions{.name = "tasks.project-projections",
                                .max_attempts = 2,
                                .initial_backoff = std::chrono::milliseconds(1),
                                .max_backoff = std::chrono::milliseconds(1),
                                .clock = &clock_,
                                .sleep = [](std::chrono::milliseconds) {}},
        [this](db::Transaction& tx, const events::CloudEvent& e) -> Result<void> {
          auto r = projections_->apply(tx, e);
          if (!r) {
            return std::move(r).error();
          }
          if (r->has_value()) {
            touched_.push_back(**r);
          }
          return {};
        });
    scheduler_ = std::make_unique<Scheduler>(
        [this](const PlanRef& ref) { return scheduling_->compute(ref); },
        std::chrono::milliseconds(0));
    scheduler_->start({});
  }

  void TearDown() override {
    if (scheduler_) {
      scheduler_->stop();
    }
    BackendTest::TearDown();
  }

  static Principal user(const std::string& org, const std::string& id, const std::string& role) {
    return Principal{Principal::Kind::kUser, id, org, {role}, "jti"};
  }

  static events::CloudEvent event(const std::string& org, const std::string& type,
                                  const json::object& data) {
    return events::CloudEvent::make("/services/projects", type, "", org, json::serialize(data));
  }

  static json::object project_data(const std::string& org, const std::string& id,
                                   const std::string& name = "Résidence Les Tilleuls",
                                   const std::string& start = "2026-03-02") {
    return {{"id", id},
            {"org_id", org},
            {"code", "RES"},
            {"name", name},
            {"start_date", start},
            {"end_date", "2027-06-30"},
            {"status", "draft"},
            {"created_by", "user-chef"}};
  }

  events::Consumer::Outcome deliver(const events::CloudEvent& e) {
    auto outcome = consumer_->deliver(e);
    EXPECT_TRUE(outcome) << outcome.error().message;
    for (const auto& ref : touched_) {
      scheduler_->mark(ref);
    }
    touched_.clear();
    return outcome ? *outcome : events::Consumer::Outcome::kDeadLettered;
  }

  // A project of org-a known to the service.
  std::string project(const std::string& id = "p-tilleuls", const std::string& org = "org-a") {
    EXPECT_EQ(deliver(event(org, "projects.ProjectCreated.v1", project_data(org, id))),
              events::Consumer::Outcome::kHandled);
    return id;
  }

  Task task(const std::string& project_id, const std::string& name, int duration) {
    NewTask cmd;
    cmd.name = name;
    cmd.duration_days = duration;
    auto t = planning_->create_task(owner_, project_id, cmd);
    EXPECT_TRUE(t) << t.error().message;
    return t ? *t : Task{};
  }

  TaskLink link(const std::string& project_id, const Task& from, const Task& to, int lag = 0) {
    auto l = planning_->create_link(owner_, project_id,
                                    NewLink{from.id, to.id, domain::LinkType::kFinishToStart, lag});
    EXPECT_TRUE(l) << l.error().message;
    return l ? *l : TaskLink{};
  }

  std::optional<Plan> plan(const std::string& project_id, const std::string& org = "org-a") {
    auto p =
        db_->transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = org},
                      [&](db::Transaction& tx) { return store_->find_plan(tx, org, project_id); });
    EXPECT_TRUE(p) << p.error().message;
    return p ? *p : std::nullopt;
  }

  std::optional<auth::ProjectRole> role(const std::string& project_id, const std::string& user_id) {
    auto r = db_->transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = "org-a"},
        [&](db::Transaction& tx) { return store_->role_of(tx, "org-a", project_id, user_id); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::nullopt;
  }

  int64_t events_of_type(const std::string& type) {
    return scalar("SELECT COUNT(*) FROM outbox WHERE type = '" + type + "'");
  }

  json::object schedule(const std::string& project_id) {
    auto s = scheduling_->schedule(owner_, project_id);
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : json::object{};
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'772'668'800)}};  // 2026-03-05 (a Thursday)
  std::unique_ptr<PlanStore> store_;
  std::unique_ptr<auth::Authorizer> authorizer_;
  std::unique_ptr<Planning> planning_;
  std::unique_ptr<Scheduling> scheduling_;
  std::unique_ptr<Projections> projections_;
  std::unique_ptr<events::Consumer> consumer_;
  std::unique_ptr<Scheduler> scheduler_;
  std::vector<PlanRef> touched_;
  Principal owner_ = user("org-a", "user-owner", "owner");
};

TEST_P(TasksAppTest, ProjectCreatedMakesAPlanWithTheFrenchCalendarOnce) {
  const auto created = event("org-a", "projects.ProjectCreated.v1", project_data("org-a", "p-1"));
  EXPECT_EQ(deliver(created), events::Consumer::Outcome::kHandled);
  EXPECT_EQ(deliver(created), events::Consumer::Outcome::kDuplicate);
  auto p = plan("p-1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "Résidence Les Tilleuls");
  EXPECT_EQ(p->start, *parse_date("2026-03-02"));
  EXPECT_EQ(p->deadline, parse_date("2027-06-30"));
  EXPECT_EQ(p->input_version, 1);
  EXPECT_EQ(p->calendar.working_weekdays.size(), 5u);
  EXPECT_EQ(p->calendar.holiday_region, HolidayRegion::kFrance);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans"), 1);
  // 14 July 2026 is a Tuesday: the default calendar does not work it.
  EXPECT_FALSE(p->calendar.build(2026, 2026).is_working(*parse_date("2026-07-14")));
  // The creator manages the project until the projects service names its participants.
  EXPECT_EQ(role("p-1", "user-chef"), auth::ProjectRole::kManager);
  // Another organisation does not see it.
  EXPECT_FALSE(plan("p-1", "org-b"));
}

TEST_P(TasksAppTest, ProjectUpdatedChangesTheDatesAndBumpsTheInput) {
  project("p-1");
  auto updated = project_data("org-a", "p-1", "Les Tilleuls, tranche 1", "2026-04-01");
  updated["end_date"] = nullptr;
  const auto e = event("org-a", "projects.ProjectUpdated.v1", updated);
  EXPECT_EQ(deliver(e), events::Consumer::Outcome::kHandled);
  EXPECT_EQ(deliver(e), events::Consumer::Outcome::kDuplicate);
  auto p = plan("p-1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "Les Tilleuls, tranche 1");
  EXPECT_EQ(p->start, *parse_date("2026-04-01"));
  EXPECT_FALSE(p->deadline);
  EXPECT_EQ(p->input_version, 2);
}

TEST_P(TasksAppTest, ParticipantEventsKeepProjectRoles) {
  project("p-1");
  auto participant = [](const std::string& id, const json::value& user, const std::string& role) {
    return json::object{{"project_id", "p-1"},
                        {"participant_id", id},
                        {"kind", user.is_null() ? "company" : "user"},
                        {"user_id", user},
                        {"company", nullptr},
                        {"role", role},
                        {"trade", nullptr}};
  };
  const auto added =
      event("org-a", "projects.ParticipantAdded.v1", participant("pa-1", "user-paul", "viewer"));
  EXPECT_EQ(deliver(added), events::Consumer::Outcome::kHandled);
  EXPECT_EQ(deliver(added), events::Consumer::Outcome::kDuplicate);
  EXPECT_EQ(role("p-1", "user-paul"), auth::ProjectRole::kViewer);
  deliver(
      event("org-a", "projects.ParticipantAdded.v1", participant("pa-2", nullptr, "contributor")));
  deliver(event("org-a", "projects.ParticipantUpdated.v1",
                participant("pa-1", "user-paul", "contributor")));
  EXPECT_EQ(role("p-1", "user-paul"), auth::ProjectRole::kContributor);
  // The creator's own participant row replaces the provisional one.
  deliver(
      event("org-a", "projects.ParticipantAdded.v1", participant("pa-3", "user-chef", "viewer")));
  EXPECT_EQ(role("p-1", "user-chef"), auth::ProjectRole::kViewer);
  deliver(event(
      "org-a", "projects.ParticipantRemoved.v1",
      json::object{{"project_id", "p-1"}, {"participant_id", "pa-1"}, {"user_id", "user-paul"}}));
  EXPECT_FALSE(role("p-1", "user-paul"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM project_roles"), 2);
  // A malformed event is parked, not retried forever.
  EXPECT_EQ(deliver(event("org-a", "projects.ParticipantAdded.v1",
                          json::object{{"project_id", "p-1"}, {"role", "boss"}})),
            events::Consumer::Outcome::kDeadLettered);
}

TEST_P(TasksAppTest, ATaskNamesOnlyALotOfItsOwnProject) {
  const auto p = project();
  const auto q = project("p-other");
  const auto b = project("p-b", "org-b");
  const std::string go = "0190a1b2-c3d4-7e5f-8a6b-000000000001";       // p's
  const std::string plb = "0190a1b2-c3d4-7e5f-8a6b-000000000002";      // q's, same organisation
  const std::string foreign = "0190a1b2-c3d4-7e5f-8a6b-000000000003";  // org-b's
  const std::string unknown = "0190a1b2-c3d4-7e5f-8a6b-000000000004";  // nobody's
  auto lot = [](const std::string& project_id, const std::string& id, const std::string& code) {
    return json::object{{"project_id", project_id}, {"lot_id", id},     {"code", code},
                        {"name", "Lot " + code},    {"trade", nullptr}, {"position", 0}};
  };
  const auto created = event("org-a", "projects.LotCreated.v1", lot(p, go, "GO"));
  EXPECT_EQ(deliver(created), events::Consumer::Outcome::kHandled);
  EXPECT_EQ(deliver(created), events::Consumer::Outcome::kDuplicate);
  deliver(event("org-a", "projects.LotCreated.v1", lot(q, plb, "PLB")));
  // org-b's lot, even under the id of org-a's project, is no lot of it.
  deliver(event("org-b", "projects.LotCreated.v1", lot(b, foreign, "GO")));
  deliver(event("org-b", "projects.LotCreated.v1", lot(p, unknown, "GO")));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_lots"), 4);

  auto refused_for = [&](const std::string& lot_id) {
    NewTask cmd;
    cmd.name = "Fondations";
    cmd.duration_days = 5;
    cmd.lot_id = lot_id;
    auto r = planning_->create_task(owner_, p, cmd);
    if (r) {
      return std::string("created");
    }
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid) << lot_id;
    return r.error().fields.size() == 1 ? r.error().fields[0].field : std::string("fields?");
  };
  EXPECT_EQ(refused_for(unknown), "lot_id");
  EXPECT_EQ(refused_for(plb), "lot_id");
  EXPECT_EQ(refused_for(foreign), "lot_id");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM tasks"), 0);
  EXPECT_EQ(plan(p)->input_version, 1);  // nothing refused moved the plan

  NewTask cmd;
  cmd.name = "Fondations";
  cmd.duration_days = 5;
  cmd.lot_id = go;
  auto t = planning_->create_task(owner_, p, cmd);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->lot_id, go);

  // A patch moving it to a lot of another project is refused, and changes nothing.
  TaskPatch patch;
  patch.lot_id = plb;
  auto moved = planning_->update_task(owner_, t->id, patch, nullptr);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().fields.at(0).field, "lot_id");
  EXPECT_EQ(planning_->get_task(owner_, t->id)->version, 1);
  patch.lot_id = std::optional<std::string>();
  ASSERT_TRUE(planning_->update_task(owner_, t->id, patch, nullptr));
  patch.lot_id = go;
  ASSERT_TRUE(planning_->update_task(owner_, t->id, patch, nullptr));

  // A renamed lot stays usable; a deleted one unties its tasks and is refused from then on.
  EXPECT_EQ(deliver(event("org-a", "projects.LotUpdated.v1", lot(p, go, "GO-1"))),
            events::Consumer::Outcome::kHandled);
  EXPECT_EQ(refused_for(go), "created");
  const auto deleted = event("org-a", "projects.LotDeleted.v1",
                             json::object{{"project_id", p}, {"lot_id", go}, {"code", "GO-1"}});
  EXPECT_EQ(deliver(deleted), events::Consumer::Outcome::kHandled);
  EXPECT_EQ(deliver(deleted), events::Consumer::Outcome::kDuplicate);
  auto untied = planning_->get_task(owner_, t->id);
  ASSERT_TRUE(untied) << untied.error().message;
  EXPECT_FALSE(untied->lot_id);
  EXPECT_EQ(untied->version, 4);  // created, cleared, set, untied
  EXPECT_EQ(refused_for(go), "lot_id");
  // The other organisation's rows are untouched by org-a's deletion.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_lots"), 3);
  // A lot event without its lot is parked, not retried forever.
  EXPECT_EQ(deliver(event("org-a", "projects.LotCreated.v1", json::object{{"project_id", p}})),
            events::Consumer::Outcome::kDeadLettered);
}

TEST_P(TasksAppTest, PolicyDecidesOnProjectRoles) {
  project("p-1");
  const Principal member = user("org-a", "user-marie", "member");
  const Principal guest = user("org-a", "user-paul", "guest");
  NewTask cmd;
  cmd.name = "Fondations";
  cmd.duration_days = 5;
  // A member reads every project but writes only with a role; a guest without one sees nothing.
  EXPECT_TRUE(planning_->list_tasks(member, "p-1", {}));
  EXPECT_EQ(planning_->create_task(member, "p-1", cmd).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(planning_->list_tasks(guest, "p-1", {}).error().code, ErrorCode::kNotFound);
  deliver(event("org-a", "projects.ParticipantAdded.v1",
                json::object{{"project_id", "p-1"},
                             {"participant_id", "pa-1"},
                             {"kind", "user"},
                             {"user_id", "user-paul"},
                             {"company", nullptr},
                             {"role", "contributor"},
                             {"trade", "gros oeuvre"}}));
  EXPECT_TRUE(planning_->create_task(guest, "p-1", cmd));
  EXPECT_EQ(planning_->set_calendar(guest, "p-1", CalendarSettings::french_default(), nullptr)
                .error()
                .code,
            ErrorCode::kForbidden);
  // A project this service never heard of is not found, even for its owner.
  EXPECT_EQ(planning_->list_tasks(owner_, "p-unknown", {}).error().code, ErrorCode::kNotFound);
}

TEST_P(TasksAppTest, StatusMovesOrderTheBoardAndSetActualDates) {
  const auto p = project();
  const Task a = task(p, "Fondations", 5);
  const Task b = task(p, "Murs", 10);
  const Task c = task(p, "Toiture", 4);
  auto column = [&](TaskStatus status) {
    auto board = planning_->board(owner_, p);
    EXPECT_TRUE(board) << board.error().message;
    std::vector<std::string> names;
    for (const auto& t : (*board)[static_cast<size_t>(status)].tasks) {
      names.push_back(t.name);
    }
    return names;
  };
  EXPECT_EQ(column(TaskStatus::kTodo), (std::vector<std::string>{"Fondations", "Murs", "Toiture"}));
  // Reorder within the column.
  ASSERT_TRUE(planning_->move_task(owner_, c.id, {TaskStatus::kTodo, a.id, std::nullopt}, nullptr));
  EXPECT_EQ(column(TaskStatus::kTodo), (std::vector<std::string>{"Toiture", "Fondations", "Murs"}));
  // Start one: the actual start is today.
  auto started = planning_->move_task(owner_, a.id, {TaskStatus::kInProgress, {}, {}}, nullptr);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->actual_start, parse_date("2026-03-05"));
  EXPECT_FALSE(started->actual_finish);
  auto done = planning_->move_task(owner_, b.id, {TaskStatus::kDone, {}, {}}, nullptr);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->actual_start, parse_date("2026-03-05"));
  EXPECT_EQ(done->actual_finish, parse_date("2026-03-05"));
  EXPECT_EQ(done->progress_percent, 100);
  auto reopened =
      planning_->move_task(owner_, b.id, {TaskStatus::kInProgress, std::nullopt, a.id}, nullptr);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_FALSE(reopened->actual_finish);
  EXPECT_EQ(column(TaskStatus::kInProgress), (std::vector<std::string>{"Fondations", "Murs"}));
  EXPECT_EQ(events_of_type("tasks.TaskStatusChanged.v1"), 3);
  EXPECT_EQ(events_of_type("tasks.TaskCreated.v1"), 3);
  // Placing next to a task of another column is refused.
  auto wrong = planning_->move_task(owner_, c.id, {TaskStatus::kBlocked, a.id, {}}, nullptr);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalid);
}

TEST_P(TasksAppTest, InvalidTasksAreRefusedWithFieldErrors) {
  const auto p = project();
  NewTask cmd;
  cmd.name = "";
  cmd.duration_days = -1;
  cmd.lot_id = "not-a-uuid";
  cmd.assignees = {"u1", "u1"};
  auto r = planning_->create_task(owner_, p, cmd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().fields.size(), 4u);
  const Task t = task(p, "Fondations", 5);
  TaskPatch patch;
  patch.actual_finish = parse_date("2026-03-10");
  auto finished_unstarted = planning_->update_task(owner_, t.id, patch, nullptr);
  ASSERT_FALSE(finished_unstarted);
  EXPECT_EQ(finished_unstarted.error().fields.at(0).field, "actual_finish");
  patch.actual_start = parse_date("2026-03-11");
  EXPECT_EQ(planning_->update_task(owner_, t.id, patch, nullptr).error().code, ErrorCode::kInvalid);
}

TEST_P(TasksAppTest, ALinkClosingACycleIsRefusedNamingIt) {
  const auto p = project();
  const Task a = task(p, "Fondations", 5);
  const Task b = task(p, "Murs", 10);
  const Task c = task(p, "Toiture", 4);
  link(p, a, b);
  link(p, b, c);
  auto cycle = planning_->create_link(owner_, p, NewLink{c.id, a.id, {}, 0});
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(cycle.error().message, "links form a cycle: Fondations → Murs → Toiture → Fondations");
  EXPECT_EQ(planning_->create_link(owner_, p, NewLink{a.id, a.id, {}, 0}).error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(planning_->create_link(owner_, p, NewLink{a.id, b.id, {}, 2}).error().code,
            ErrorCode::kInvalid);
  // A task of another project of the same organisation.
  const auto other = project("p-other");
  const Task x = task(other, "Ailleurs", 1);
  auto across = planning_->create_link(owner_, p, NewLink{a.id, x.id, {}, 0});
  ASSERT_FALSE(across);
  EXPECT_EQ(across.error().fields.at(0).field, "to");
  // Deleting a task deletes its links.
  ASSERT_TRUE(planning_->delete_task(owner_, b.id, nullptr));
  auto links = planning_->links(owner_, p);
  ASSERT_TRUE(links);
  EXPECT_TRUE(links->empty());
}

TEST_P(TasksAppTest, ScheduleAfterABurstEqualsTheDomainsOnTheLatestInput) {
  const auto p = project();
  std::vector<Task> tasks;
  for (int i = 0; i < 6; ++i) {
    tasks.push_back(task(p, "Tâche " + std::to_string(i), i + 1));
  }
  for (int i = 1; i < 6; ++i) {
    link(p, tasks[static_cast<size_t>(i - 1)], tasks[static_cast<size_t>(i)], i % 2);
  }
  TaskPatch longer;
  longer.duration_days = 9;
  ASSERT_TRUE(planning_->update_task(owner_, tasks[2].id, longer, nullptr));
  ASSERT_TRUE(scheduler_->wait_idle(kWait));

  const auto s = schedule(p);
  const auto input = plan(p)->input_version;
  EXPECT_EQ(s.at("version").as_int64(), input);
  EXPECT_FALSE(s.at("stale").as_bool());

  // The same plan through the domain directly.
  domain::Plan dp;
  dp.start = *parse_date("2026-03-02");
  dp.deadline = parse_date("2027-06-30");
  for (size_t i = 0; i < tasks.size(); ++i) {
    dp.tasks.push_back({tasks[i].name, i == 2 ? 9 : static_cast<int>(i) + 1, {}, {}, {}});
  }
  for (int i = 1; i < 6; ++i) {
    dp.links.push_back({static_cast<domain::TaskIndex>(i - 1), static_cast<domain::TaskIndex>(i),
                        domain::LinkType::kFinishToStart, i % 2});
  }
  const auto expected = domain::compute_schedule(dp, domain::french_working_calendar(2025, 2028));
  ASSERT_TRUE(expected) << expected.error().message;
  const auto& rows = s.at("tasks").as_array();
  ASSERT_EQ(rows.size(), tasks.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i].as_object();
    const auto& want = expected->tasks[i];
    EXPECT_EQ(row.at("task_id").as_string(), tasks[i].id);
    EXPECT_EQ(row.at("early_start").as_string(), format_date(want.early_start)) << i;
    EXPECT_EQ(row.at("early_finish").as_string(), format_date(want.early_finish)) << i;
    EXPECT_EQ(row.at("late_start").as_string(), format_date(want.late_start)) << i;
    EXPECT_EQ(row.at("late_finish").as_string(), format_date(want.late_finish)) << i;
    EXPECT_EQ(row.at("total_float").as_int64(), want.total_float) << i;
    EXPECT_EQ(row.at("free_float").as_int64(), want.free_float) << i;
    EXPECT_EQ(row.at("critical").as_bool(), want.critical) << i;
  }
  EXPECT_EQ(s.at("project_finish").as_string(), format_date(expected->project_finish));
  EXPECT_EQ(s.at("critical_paths").as_array().size(), expected->critical_paths.size());
}

TEST_P(TasksAppTest, ABurstWithinTheQuietPeriodCostsOneComputation) {
  const auto p = project();
  std::vector<Task> tasks;
  for (int i = 0; i < 4; ++i) {
    tasks.push_back(task(p, "Tâche " + std::to_string(i), i + 1));
  }
  link(p, tasks[0], tasks[1]);
  link(p, tasks[1], tasks[2], 2);
  ASSERT_TRUE(scheduler_->wait_idle(kWait));

  // The service's worker, with a quiet period long enough to hold the whole burst.
  constexpr auto kQuiet = std::chrono::milliseconds(1500);
  scheduler_->stop();
  scheduler_ = std::make_unique<Scheduler>(
      [this](const PlanRef& ref) { return scheduling_->compute(ref); }, kQuiet);
  scheduler_->start({});
  constexpr int kChanges = 20;
  const auto burst_start = std::chrono::steady_clock::now();
  for (int i = 0; i < kChanges; ++i) {
    TaskPatch patch;
    patch.duration_days = 2 + i % 7;
    ASSERT_TRUE(
        planning_->update_task(owner_, tasks[static_cast<size_t>(i % 4)].id, patch, nullptr));
  }
  const auto burst = std::chrono::steady_clock::now() - burst_start;
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  // Each round waits the quiet period before computing, so a burst shorter than it is one round;
  // a slower one (a loaded machine) at most one more per quiet period it lasted.
  const auto rounds_bound = 1 + static_cast<uint64_t>(burst / kQuiet);
  EXPECT_GE(scheduler_->computations(), 1u);
  EXPECT_LE(scheduler_->computations(), rounds_bound);
  EXPECT_LT(scheduler_->computations(), static_cast<uint64_t>(kChanges) / 4);
  if (burst < kQuiet) {
    EXPECT_EQ(scheduler_->computations(), 1u);
  }

  // The schedule is the domain's on the last input.
  const auto s = schedule(p);
  EXPECT_EQ(s.at("version").as_int64(), plan(p)->input_version);
  EXPECT_FALSE(s.at("stale").as_bool());
  domain::Plan dp;
  dp.start = *parse_date("2026-03-02");
  dp.deadline = parse_date("2027-06-30");
  for (size_t i = 0; i < tasks.size(); ++i) {
    // The last change to task i set 2 + j % 7 for the largest j < kChanges with j % 4 == i.
    int last = static_cast<int>(i);
    while (last + 4 < kChanges) {
      last += 4;
    }
    dp.tasks.push_back({tasks[i].name, 2 + last % 7, {}, {}, {}});
  }
  dp.links = {{0, 1, domain::LinkType::kFinishToStart, 0},
              {1, 2, domain::LinkType::kFinishToStart, 2}};
  const auto expected = domain::compute_schedule(dp, domain::french_working_calendar(2025, 2028));
  ASSERT_TRUE(expected) << expected.error().message;
  const auto& rows = s.at("tasks").as_array();
  ASSERT_EQ(rows.size(), tasks.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i].as_object();
    const auto& want = expected->tasks[i];
    EXPECT_EQ(row.at("task_id").as_string(), tasks[i].id);
    EXPECT_EQ(row.at("early_start").as_string(), format_date(want.early_start)) << i;
    EXPECT_EQ(row.at("early_finish").as_string(), format_date(want.early_finish)) << i;
    EXPECT_EQ(row.at("late_finish").as_string(), format_date(want.late_finish)) << i;
    EXPECT_EQ(row.at("total_float").as_int64(), want.total_float) << i;
    EXPECT_EQ(row.at("free_float").as_int64(), want.free_float) << i;
  }
  EXPECT_EQ(s.at("project_finish").as_string(), format_date(expected->project_finish));
}

TEST_P(TasksAppTest, TaskDelayedIsEmittedOnceWhenASlipGrows) {
  const auto p = project();
  const Task a = task(p, "Fondations", 5);
  const Task b = task(p, "Murs", 10);
  link(p, a, b);
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  auto baseline = scheduling_->create_baseline(owner_, p, "Marché signé");
  ASSERT_TRUE(baseline) << baseline.error().message;
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  EXPECT_EQ(events_of_type("tasks.TaskDelayed.v1"), 0);

  // The foundations take three days more: both tasks now finish three working days late.
  TaskPatch longer;
  longer.duration_days = 8;
  ASSERT_TRUE(planning_->update_task(owner_, a.id, longer, nullptr));
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  EXPECT_EQ(events_of_type("tasks.TaskDelayed.v1"), 2);

  // A recomputation that moves nothing repeats nothing.
  TaskPatch described;
  described.description = "Semelles filantes";
  ASSERT_TRUE(planning_->update_task(owner_, b.id, described, nullptr));
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  EXPECT_EQ(events_of_type("tasks.TaskDelayed.v1"), 2);

  // The walls start late on site: their slip grows, the foundations' does not.
  TaskPatch late_start;
  late_start.actual_start = parse_date("2026-03-23");
  ASSERT_TRUE(planning_->update_task(owner_, b.id, late_start, nullptr));
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  EXPECT_EQ(events_of_type("tasks.TaskDelayed.v1"), 3);
  auto last = db_->transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
      [](db::Transaction& tx) -> Result<std::string> {
        auto rows = tx.query(
            "SELECT envelope FROM outbox WHERE type = 'tasks.TaskDelayed.v1' ORDER BY seq DESC");
        if (!rows) {
          return std::move(rows).error();
        }
        return (*rows)[0].get_text(0);
      });
  ASSERT_TRUE(last) << last.error().message;
  auto delayed = events::CloudEvent::from_json(*last);
  ASSERT_TRUE(delayed) << delayed.error().message;
  const auto data = json::parse(delayed->data).as_object();
  EXPECT_EQ(data.at("task_id").as_string(), b.id);
  EXPECT_EQ(data.at("baseline_id").as_string(), baseline->id);
  EXPECT_GT(data.at("working_days_late").as_int64(), 3);
}

TEST_P(TasksAppTest, AnUnschedulablePlanIsStoredAsAProblemAndTheWorkerGoesOn) {
  const auto p = project();
  const Task a = task(p, "Fondations", 5);
  const Task b = task(p, "Murs", 10);
  link(p, a, b);
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  // A cycle that the API would have refused, written behind its back.
  auto written = db_->transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = "org-a"},
                               [&](db::Transaction& tx) -> Result<void> {
                                 TaskLink back;
                                 back.id = "link-back";
                                 back.org_id = "org-a";
                                 back.project_id = p;
                                 back.from = b.id;
                                 back.to = a.id;
                                 back.created_at = clock_.now();
                                 if (auto r = store_->insert_link(tx, back); !r) {
                                   return r;
                                 }
                                 auto v = store_->bump_input_version(tx, "org-a", p);
                                 if (!v) {
                                   return std::move(v).error();
                                 }
                                 return {};
                               });
  ASSERT_TRUE(written) << written.error().message;
  scheduler_->mark({"org-a", p});
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  auto s = scheduling_->schedule(owner_, p);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
  EXPECT_NE(s.error().message.find("links form a cycle"), std::string::npos) << s.error().message;
  // Removing the culprit brings the schedule back.
  ASSERT_TRUE(planning_->delete_link(owner_, "link-back"));
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  EXPECT_FALSE(schedule(p).at("stale").as_bool());
}

TEST_P(TasksAppTest, TheStartUpScanFindsPlansBehind) {
  const auto p = project();
  task(p, "Fondations", 5);
  ASSERT_TRUE(scheduler_->wait_idle(kWait));
  EXPECT_TRUE(scheduling_->plans_behind()->empty());
  ASSERT_TRUE(db_->transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = "org-a"},
                            [&](db::Transaction& tx) -> Result<void> {
                              auto v = store_->bump_input_version(tx, "org-a", p);
                              if (!v) {
                                return std::move(v).error();
                              }
                              return {};
                            }));
  auto behind = scheduling_->plans_behind();
  ASSERT_TRUE(behind) << behind.error().message;
  EXPECT_EQ(*behind, (std::vector<PlanRef>{{"org-a", p}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, TasksAppTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::tasks::app
