// The tasks service as a client sees it: the whole platform on an ephemeral port, projects made
// through the projects routes and learnt by the tasks service from their events. One scenario
// walks the planning API, others the MS Project import and export; others check the access
// policy and that another organisation sees nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "atelier/events/cloud_event.hpp"
#include "platform_http.hpp"
#include "tasks/adapters/routes.hpp"
#include "tasks/domain/mspdi.hpp"

namespace atelier::tasks {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";
constexpr const char* kMspdiType = "application/vnd.ms-project.mspdi+xml";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(ATELIER_TASKS_TEST_DATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A small MS Project file: a lot's summary task over two tasks, and a task after the whole lot.
std::string small_plan() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Project xmlns=\"http://schemas.microsoft.com/project\">\n"
         "<StartDate>2026-03-02T08:00:00</StartDate>\n<Tasks>\n"
         "<Task><UID>1</UID><Name>Gros œuvre</Name><OutlineLevel>1</OutlineLevel>"
         "<Summary>1</Summary></Task>\n"
         "<Task><UID>2</UID><Name>Fondations</Name><OutlineLevel>2</OutlineLevel>"
         "<Duration>PT40H0M0S</Duration></Task>\n"
         "<Task><UID>3</UID><Name>Murs</Name><OutlineLevel>2</OutlineLevel>"
         "<Duration>PT80H0M0S</Duration></Task>\n"
         "<Task><UID>4</UID><Name>Charpente</Name><OutlineLevel>1</OutlineLevel>"
         "<Duration>PT24H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID>"
         "<Type>1</Type></PredecessorLink></Task>\n"
         "</Tasks>\n</Project>\n";
}

class TasksHttpTest : public ::atelier::app::testing::PlatformHttpTest,
                      public ::testing::WithParamInterface<db::Kind> {
 protected:
  bool on_postgres() const override { return GetParam() == db::Kind::kPostgres; }

  TasksService& tasks() {
    auto* service = static_cast<TasksService*>(platform_->service("tasks").get());
    EXPECT_NE(service, nullptr);
    return *service;
  }

  http::ClientResponse call(Method method, const std::string& path, const std::string& body,
                            const std::string& token, const std::string& if_match = {}) {
    http::Headers headers;
    if (!body.empty()) {
      headers.set("Content-Type", "application/json");
    }
    headers.set("Authorization", "Bearer " + token);
    if (!if_match.empty()) {
      headers.set("If-Match", if_match);
    }
    auto r = client_.request(method, platform_->url() + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  static std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  struct Account {
    std::string org_id;
    std::string user_id;
    std::string token;
  };

  // Signs up, making an organisation of which the user is the owner.
  Account sign_up(const std::string& email, const std::string& org) {
    auto r = send(
        Method::kPost, "/api/v1/auth/register",
        json::serialize(json::object{
            {"email", email}, {"password", kPassword}, {"name", "Jeanne Chef"}, {"org_name", org}}),
        "");
    EXPECT_EQ(r.status, 201) << r.body;
    const auto b = body_of(r);
    return {text(b, "org_id"), text(b, "user_id"), token_of(email)};
  }

  std::string token_of(const std::string& email, const std::string& org_id = {}) {
    json::object request{{"email", email}, {"password", kPassword}};
    if (!org_id.empty()) {
      request["org_id"] = org_id;
    }
    auto r = send(Method::kPost, "/api/v1/auth/login", json::serialize(request), "");
    EXPECT_EQ(r.status, 200) << r.body;
    return text(body_of(r), "access_token");
  }

  // Someone invited into `owner`'s organisation with an organisation role.
  Account invite(const Account& owner, const std::string& email, const std::string& role) {
    auto invited =
        call(Method::kPost, "/api/v1/orgs/" + owner.org_id + "/invitations",
             json::serialize(json::object{{"email", email}, {"role", role}}), owner.token);
    EXPECT_EQ(invited.status, 201) << invited.body;
    Account a = sign_up(email, "Entreprise " + email);
    auto accepted =
        call(Method::kPost, "/api/v1/invitations/accept",
             json::serialize(json::object{{"token", text(body_of(invited), "token")}}), a.token);
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    return {owner.org_id, a.user_id, token_of(email, owner.org_id)};
  }

  // An MS Project file sent as `content_type`, with an Idempotency-Key when one is given.
  http::ClientResponse post_file(const std::string& path, const std::string& body,
                                 const std::string& token,
                                 const std::string& content_type = "application/xml",
                                 const std::string& idempotency_key = {}) {
    http::Headers headers;
    headers.set("Content-Type", content_type);
    headers.set("Authorization", "Bearer " + token);
    if (!idempotency_key.empty()) {
      headers.set("Idempotency-Key", idempotency_key);
    }
    auto r = client_.request(Method::kPost, platform_->url() + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  http::ClientResponse get_as(const std::string& path, const std::string& token,
                              const std::string& accept) {
    http::Headers headers;
    headers.set("Authorization", "Bearer " + token);
    headers.set("Accept", accept);
    auto r = client_.request(Method::kGet, platform_->url() + path, headers, "");
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  // A project made through the projects routes, once the tasks service has heard of it.
  std::string project(const Account& owner, const std::string& code,
                      const std::string& start = "2026-03-02") {
    auto r = call(Method::kPost, "/api/v1/projects",
                  json::serialize(json::object{{"code", code},
                                               {"name", "Résidence Les Tilleuls"},
                                               {"start_date", start},
                                               {"end_date", "2027-06-30"}}),
                  owner.token);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = text(body_of(r), "id");
    EXPECT_TRUE(tasks().wait_for_plan(owner.org_id, id));
    return id;
  }

  // A lot made through the projects routes, once the tasks service has heard of it.
  std::string lot(const Account& owner, const std::string& project_id, const std::string& code) {
    auto r =
        call(Method::kPost, "/api/v1/projects/" + project_id + "/lots",
             json::serialize(json::object{{"code", code}, {"name", "Lot " + code}}), owner.token);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = text(body_of(r), "id");
    EXPECT_TRUE(tasks().wait_for_lot(owner.org_id, project_id, id));
    return id;
  }

  // The fields a 422 names.
  std::set<std::string> fields_of(const http::ClientResponse& r) {
    std::set<std::string> out;
    const auto problem = body_of(r);
    if (const auto* errors = problem.if_contains("errors"); errors && errors->is_array()) {
      for (const auto& e : errors->as_array()) {
        out.insert(text(e.as_object(), "field"));
      }
    }
    return out;
  }

  // The role a project manager gives `who`, as the projects service announces it.
  void give_role(const Account& who, const std::string& project_id, const std::string& role) {
    const auto event = events::CloudEvent::make(
        "/services/projects", "projects.ParticipantAdded.v1", project_id, who.org_id,
        json::serialize(json::object{{"project_id", project_id},
                                     {"participant_id", "pa-" + who.user_id},
                                     {"kind", "user"},
                                     {"user_id", who.user_id},
                                     {"company", nullptr},
                                     {"role", role},
                                     {"trade", nullptr}}));
    auto outcome = tasks().deliver(event);
    ASSERT_TRUE(outcome) << outcome.error().message;
  }

  http::ClientResponse new_task(const std::string& token, const std::string& project_id,
                                const std::string& name, int duration) {
    return call(Method::kPost, "/api/v1/projects/" + project_id + "/tasks",
                json::serialize(json::object{{"name", name}, {"duration_days", duration}}), token);
  }

  std::string task_id(const std::string& token, const std::string& project_id,
                      const std::string& name, int duration) {
    auto r = new_task(token, project_id, name, duration);
    EXPECT_EQ(r.status, 201) << r.body;
    return text(body_of(r), "id");
  }

  std::vector<std::string> column(const std::string& token, const std::string& project_id,
                                  size_t index) {
    auto r = call(Method::kGet, "/api/v1/projects/" + project_id + "/board", {}, token);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto board = body_of(r);
    std::vector<std::string> names;
    const auto& columns = board.at("columns").as_array();
    for (const auto& t : columns.at(index).as_object().at("tasks").as_array()) {
      names.push_back(text(t.as_object(), "name"));
    }
    return names;
  }
};

TEST_P(TasksHttpTest, PlanTasksLinksAndSchedule) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string p = project(owner, "RES-TILLEULS");
  const std::string base = "/api/v1/projects/" + p;
  const std::string go = lot(owner, p, "GO");

  // Create: 201, Location, ETag, every field back.
  auto created = call(Method::kPost, base + "/tasks",
                      R"({"name":"Fondations","description":"Semelles filantes",
                          "duration_days":5,"assignees":["u-1"],"lot_id":")" +
                          go + R"(",
                          "constraint":{"kind":"start_no_earlier_than","date":"2026-03-04"},
                          "checklist":[{"text":"Implantation"},{"text":"Fouilles","done":true}]})",
                      owner.token);
  ASSERT_EQ(created.status, 201) << created.body;
  auto fondations = body_of(created);
  EXPECT_EQ(text(fondations, "lot_id"), go);
  const std::string a = text(fondations, "id");
  EXPECT_EQ(created.headers.get("Location"), "/api/v1/tasks/" + a);
  EXPECT_EQ(created.headers.get("ETag"), "\"v1\"");
  EXPECT_EQ(text(fondations, "status"), "todo");
  EXPECT_EQ(fondations["checklist"].as_array().size(), 2u);
  EXPECT_EQ(text(fondations["constraint"].as_object(), "kind"), "start_no_earlier_than");
  const std::string b = task_id(owner.token, p, "Murs", 10);
  const std::string c = task_id(owner.token, p, "Toiture", 4);
  const std::string m = task_id(owner.token, p, "Réception", 0);

  // Bad input: 422 naming the fields, 400 for a body that is not JSON; never 500.
  auto bad = call(Method::kPost, base + "/tasks",
                  R"({"name":"","duration_days":-2,"constraint":{"kind":"soon"},"colour":1})",
                  owner.token);
  ASSERT_EQ(bad.status, 422) << bad.body;
  std::set<std::string> fields;
  const auto problem = body_of(bad);  // named: a temporary would die before the loop runs
  for (const auto& e : problem.at("errors").as_array()) {
    fields.insert(text(e.as_object(), "field"));
  }
  EXPECT_EQ(fields, (std::set<std::string>{"constraint", "colour"}));
  EXPECT_EQ(new_task(owner.token, p, "", -2).status, 422);
  EXPECT_EQ(call(Method::kPost, base + "/tasks", "not json", owner.token).status, 400);
  EXPECT_EQ(call(Method::kPost, base + "/tasks", R"({"name":"X","duration_days":"5"})", owner.token)
                .status,
            422);

  // Patch with If-Match; a stale one is 412, none is 428.
  auto patched =
      call(Method::kPatch, "/api/v1/tasks/" + a,
           R"({"duration_days":6,"lot_id":null,"progress_percent":20})", owner.token, "\"v1\"");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.headers.get("ETag"), "\"v2\"");
  EXPECT_TRUE(body_of(patched)["lot_id"].is_null());
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/tasks/" + a, R"({"name":"X"})", owner.token, "\"v1\"").status,
      412);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/tasks/" + a, R"({"name":"X"})", owner.token).status, 428);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/tasks/" + a, R"({"actual_finish":"2026-03-10"})",
                 owner.token, "\"v2\"")
                .status,
            422);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/tasks/" + a, R"({"progress_percent":101})", owner.token,
                 "\"v2\"")
                .status,
            422);

  // Checklist items.
  auto added = call(Method::kPost, "/api/v1/tasks/" + b + "/checklist",
                    R"({"text":"Chaînages d'angle"})", owner.token);
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string item = text(body_of(added)["checklist"].as_array()[0].as_object(), "id");
  auto ticked = call(Method::kPatch, "/api/v1/tasks/" + b + "/checklist/" + item,
                     R"({"done":true})", owner.token);
  ASSERT_EQ(ticked.status, 200) << ticked.body;
  EXPECT_TRUE(body_of(ticked)["checklist"].as_array()[0].as_object().at("done").as_bool());
  EXPECT_EQ(
      call(Method::kDelete, "/api/v1/tasks/" + b + "/checklist/" + item, {}, owner.token).status,
      200);
  EXPECT_EQ(
      call(Method::kDelete, "/api/v1/tasks/" + b + "/checklist/" + item, {}, owner.token).status,
      404);

  // The board: move and reorder.
  EXPECT_EQ(column(owner.token, p, 0),
            (std::vector<std::string>{"Fondations", "Murs", "Toiture", "Réception"}));
  auto moved =
      call(Method::kPatch, "/api/v1/tasks/" + c + "/status",
           json::serialize(json::object{{"status", "todo"}, {"before_id", a}}), owner.token);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(column(owner.token, p, 0),
            (std::vector<std::string>{"Toiture", "Fondations", "Murs", "Réception"}));
  auto started = call(Method::kPatch, "/api/v1/tasks/" + a + "/status",
                      R"({"status":"in_progress"})", owner.token);
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_FALSE(body_of(started)["actual_start"].is_null());
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/tasks/" + a + "/status", R"({"status":"started"})", owner.token)
          .status,
      422);
  EXPECT_EQ(column(owner.token, p, 1), std::vector<std::string>{"Fondations"});

  // Filters and paging.
  auto todo = call(Method::kGet, base + "/tasks?status=todo&limit=2", {}, owner.token);
  ASSERT_EQ(todo.status, 200) << todo.body;
  EXPECT_EQ(body_of(todo)["items"].as_array().size(), 2u);
  EXPECT_FALSE(body_of(todo)["next_cursor"].is_null());
  auto assigned = call(Method::kGet, base + "/tasks?assignee=u-1", {}, owner.token);
  EXPECT_EQ(body_of(assigned)["items"].as_array().size(), 1u);
  EXPECT_EQ(call(Method::kGet, base + "/tasks?status=later", {}, owner.token).status, 422);

  // Links: a cycle is refused, naming it.
  for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, c}, std::pair{c, m}}) {
    auto l = call(Method::kPost, base + "/links",
                  json::serialize(json::object{{"from", from}, {"to", to}, {"type", "FS"}}),
                  owner.token);
    ASSERT_EQ(l.status, 201) << l.body;
  }
  auto cycle = call(Method::kPost, base + "/links",
                    json::serialize(json::object{{"from", c}, {"to", a}}), owner.token);
  ASSERT_EQ(cycle.status, 422) << cycle.body;
  EXPECT_EQ(text(body_of(cycle), "detail"),
            "links form a cycle: Fondations → Murs → Toiture → Fondations");
  EXPECT_EQ(call(Method::kPost, base + "/links",
                 json::serialize(json::object{{"from", a}, {"to", b}, {"type", "XX"}}), owner.token)
                .status,
            422);
  auto links = call(Method::kGet, base + "/links", {}, owner.token);
  ASSERT_EQ(body_of(links)["items"].as_array().size(), 3u);

  // The calendar: French by default, a Saturday worked to catch up.
  auto calendar = call(Method::kGet, base + "/calendar", {}, owner.token);
  ASSERT_EQ(calendar.status, 200) << calendar.body;
  EXPECT_EQ(text(body_of(calendar), "holiday_region"), "fr");
  auto put = call(Method::kPut, base + "/calendar",
                  R"({"working_weekdays":["mon","tue","wed","thu","fri"],"holiday_region":"fr",
                      "exceptions":[{"date":"2026-03-07","working":true,"reason":"Rattrapage"}]})",
                  owner.token, std::string(calendar.headers.get("ETag")));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(call(Method::kPut, base + "/calendar",
                 R"({"working_weekdays":[],"holiday_region":"mars"})", owner.token)
                .status,
            422);

  // The schedule, once the worker has caught up with every change.
  ASSERT_TRUE(tasks().wait_idle());
  auto schedule = call(Method::kGet, base + "/schedule", {}, owner.token);
  ASSERT_EQ(schedule.status, 200) << schedule.body;
  auto s = body_of(schedule);
  EXPECT_FALSE(s["stale"].as_bool());
  EXPECT_EQ(s["version"].as_int64(), s["input_version"].as_int64());
  EXPECT_EQ(s["tasks"].as_array().size(), 4u);
  // The project's end date is far: every task has float, so none is critical.
  EXPECT_TRUE(s["critical_paths"].as_array().empty());
  EXPECT_TRUE(s["project_finish"].is_string());
  for (const auto& row : s["tasks"].as_array()) {
    EXPECT_GT(row.as_object().at("total_float").as_int64(), 0);
  }

  // A baseline, then the Gantt chart.
  auto baseline =
      call(Method::kPost, base + "/baselines", R"({"name":"Marché signé"})", owner.token);
  ASSERT_EQ(baseline.status, 201) << baseline.body;
  ASSERT_TRUE(tasks().wait_idle());
  auto listed = call(Method::kGet, base + "/baselines", {}, owner.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(text(body_of(listed), "active_id"), text(body_of(baseline), "id"));
  auto gantt = call(Method::kGet, base + "/gantt", {}, owner.token);
  ASSERT_EQ(gantt.status, 200) << gantt.body;
  auto g = body_of(gantt);
  EXPECT_EQ(text(g["project"].as_object(), "id"), p);
  EXPECT_EQ(text(g["project"].as_object(), "start"), "2026-03-02");
  EXPECT_FALSE(g["project"].as_object()["finish"].is_null());
  EXPECT_EQ(g["calendar"].as_object()["working_weekdays"].as_array().size(), 5u);
  EXPECT_EQ(g["calendar"].as_object()["extra_working_days"].as_array().size(), 1u) << gantt.body;
  EXPECT_EQ(g["links"].as_array().size(), 3u);
  ASSERT_EQ(g["tasks"].as_array().size(), 4u);
  for (const auto& row : g["tasks"].as_array()) {
    const auto& t = row.as_object();
    for (const char* key :
         {"id", "name", "lot_id", "start", "finish", "duration_days", "progress_percent",
          "milestone", "critical", "total_float", "status", "baseline_start", "baseline_finish"}) {
      EXPECT_TRUE(t.contains(key)) << key;
    }
    EXPECT_TRUE(t.at("start").is_string());
    EXPECT_TRUE(t.at("baseline_finish").is_string());
    EXPECT_EQ(t.at("milestone").as_bool(), text(t, "name") == "Réception");
  }
  EXPECT_EQ(g["version"].as_int64(), s["input_version"].as_int64() + 1);

  // Deleting a task removes its links.
  EXPECT_EQ(call(Method::kDelete, "/api/v1/tasks/" + b, {}, owner.token).status, 204);
  EXPECT_EQ(call(Method::kGet, "/api/v1/tasks/" + b, {}, owner.token).status, 404);
  EXPECT_EQ(
      body_of(call(Method::kGet, base + "/links", {}, owner.token))["items"].as_array().size(), 1u);
}

// Plan: Fondations 5d (Mon 2 – Fri 6 March 2026) then Murs 10d (Mon 9 – Fri 20 March), baselined.
// Fondations then take 8 days: Mon 2 – Wed 11 March, and Murs Thu 12 – Wed 25 March. Fondations
// finish three working days late (Mon 9, Tue 10, Wed 11), Murs start three late (Tue 10, Wed 11,
// Thu 12) and finish three late (Mon 23, Tue 24, Wed 25), and so does the project.
TEST_P(TasksHttpTest, BaselineVarianceGivesEachTasksSlipInWorkingDays) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string p = project(owner, "RES-TILLEULS");
  const std::string base = "/api/v1/projects/" + p;
  const std::string a = task_id(owner.token, p, "Fondations", 5);
  const std::string b = task_id(owner.token, p, "Murs", 10);
  auto link = call(Method::kPost, base + "/links",
                   json::serialize(json::object{{"from", a}, {"to", b}}), owner.token);
  ASSERT_EQ(link.status, 201) << link.body;
  ASSERT_TRUE(tasks().wait_idle());
  auto baseline =
      call(Method::kPost, base + "/baselines", R"({"name":"Marché signé"})", owner.token);
  ASSERT_EQ(baseline.status, 201) << baseline.body;
  const std::string bl = text(body_of(baseline), "id");
  ASSERT_TRUE(tasks().wait_idle());

  // On the day it is taken, nothing has slipped.
  auto on_time = call(Method::kGet, base + "/baselines/" + bl + "/variance", {}, owner.token);
  ASSERT_EQ(on_time.status, 200) << on_time.body;
  EXPECT_EQ(body_of(on_time)["project"].as_object()["finish_slip_days"].as_int64(), 0);

  auto longer =
      call(Method::kPatch, "/api/v1/tasks/" + a, R"({"duration_days":8})", owner.token, "\"v1\"");
  ASSERT_EQ(longer.status, 200) << longer.body;
  const std::string c = task_id(owner.token, p, "Clôture", 1);  // added after the baseline
  ASSERT_TRUE(tasks().wait_idle());

  auto variance = call(Method::kGet, base + "/baselines/" + bl + "/variance", {}, owner.token);
  ASSERT_EQ(variance.status, 200) << variance.body;
  auto v = body_of(variance);
  EXPECT_EQ(text(v, "baseline_id"), bl);
  EXPECT_EQ(text(v, "baseline_name"), "Marché signé");
  EXPECT_FALSE(v["stale"].as_bool());
  const auto& project_row = v["project"].as_object();
  EXPECT_EQ(text(project_row, "baseline_finish"), "2026-03-20");
  EXPECT_EQ(text(project_row, "forecast_finish"), "2026-03-25");
  EXPECT_EQ(project_row.at("finish_slip_days").as_int64(), 3);
  std::map<std::string, json::object> rows;
  for (const auto& row : v["tasks"].as_array()) {
    rows[text(row.as_object(), "task_id")] = row.as_object();
  }
  ASSERT_EQ(rows.size(), 3u);
  using Row = std::tuple<std::string, std::string, std::string, std::string, int64_t, int64_t>;
  const auto row_of = [&](const std::string& id) {
    auto& r = rows[id];
    return Row{text(r, "baseline_start"),          text(r, "baseline_finish"),
               text(r, "forecast_start"),          text(r, "forecast_finish"),
               r.at("start_slip_days").as_int64(), r.at("finish_slip_days").as_int64()};
  };
  EXPECT_EQ(row_of(a), Row("2026-03-02", "2026-03-06", "2026-03-02", "2026-03-11", 0, 3));
  EXPECT_EQ(row_of(b), Row("2026-03-09", "2026-03-20", "2026-03-12", "2026-03-25", 3, 3));
  EXPECT_EQ(text(rows[a], "name"), "Fondations");
  // The task added since has no baseline to slip from.
  EXPECT_TRUE(rows[c]["baseline_start"].is_null());
  EXPECT_TRUE(rows[c]["finish_slip_days"].is_null());
  EXPECT_EQ(text(rows[c], "forecast_finish"), "2026-03-02");

  // A baseline of another project, or none, is not found; a guest without a role sees nothing.
  const std::string q = project(owner, "RES-PLATANES");
  EXPECT_EQ(call(Method::kGet, "/api/v1/projects/" + q + "/baselines/" + bl + "/variance", {},
                 owner.token)
                .status,
            404);
  EXPECT_EQ(call(Method::kGet, base + "/baselines/0190a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b/variance",
                 {}, owner.token)
                .status,
            404);
  const Account stranger = invite(owner, "bet@structure.fr", "guest");
  EXPECT_EQ(call(Method::kGet, base + "/baselines/" + bl + "/variance", {}, stranger.token).status,
            404);
}

// Tasks and links by name, as a planner compares two plans.
struct PlanByName {
  std::map<std::string, std::pair<int, bool>> tasks;  // duration, milestone
  std::set<std::tuple<std::string, std::string, std::string, int>> links;
};

PlanByName by_name(const domain::MspdiProject& p) {
  PlanByName out;
  std::map<int, std::string> names;
  for (const auto& t : p.tasks) {
    names[t.uid] = t.name;
    if (!t.summary) {
      out.tasks[t.name] = {t.duration_days, t.milestone};
    }
  }
  for (const auto& l : p.links) {
    out.links.insert({names[l.predecessor_uid], names[l.successor_uid],
                      std::string(domain::link_type_code(l.type)), l.lag_days});
  }
  return out;
}

TEST_P(TasksHttpTest, ImportsAnMsProjectPlanAndExportsItBack) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  // The job of the fixture starts on Monday 28 April 2025 (see mspdi_test.cpp for its plan).
  const std::string p = project(owner, "MAISON-DUPONT", "2025-04-28");
  const std::string base = "/api/v1/projects/" + p;
  const std::string xml = fixture("maison_dupont.xml");

  auto imported = post_file(base + "/plan/import?calendar=replace", xml, owner.token);
  ASSERT_EQ(imported.status, 201) << imported.body;
  auto report = body_of(imported);
  EXPECT_EQ(report["tasks_created"].as_int64(), 9);  // 11 rows, 2 of them lot summaries
  EXPECT_EQ(report["links_created"].as_int64(), 8);
  EXPECT_TRUE(report["calendar_replaced"].as_bool());
  std::string warnings;
  for (const auto& w : report["warnings"].as_array()) {
    warnings += std::string(w.as_string()) + "\n";
  }
  EXPECT_NE(warnings.find("lot \"Gros œuvre\""), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("summary tasks"), std::string::npos) << warnings;

  // The file's calendar: the Saturday worked to catch up is kept; its holidays are the region's.
  auto calendar = call(Method::kGet, base + "/calendar", {}, owner.token);
  ASSERT_EQ(calendar.status, 200) << calendar.body;
  const auto exceptions = body_of(calendar)["exceptions"].as_array();
  ASSERT_EQ(exceptions.size(), 1u) << calendar.body;
  EXPECT_EQ(text(exceptions[0].as_object(), "date"), "2025-05-10");
  EXPECT_TRUE(exceptions[0].as_object().at("working").as_bool());

  // The schedule, with the dates worked out by hand in mspdi_test.cpp.
  ASSERT_TRUE(tasks().wait_idle());
  auto schedule = call(Method::kGet, base + "/schedule", {}, owner.token);
  ASSERT_EQ(schedule.status, 200) << schedule.body;
  auto s = body_of(schedule);
  EXPECT_FALSE(s["stale"].as_bool());
  using Dates = std::pair<std::string, std::string>;
  std::map<std::string, Dates> early;
  for (const auto& row : s["tasks"].as_array()) {
    const auto& o = row.as_object();
    early[text(o, "name")] = {text(o, "early_start"), text(o, "early_finish")};
  }
  // Fondations skip 1 May: Fri 2 to Fri 9 (8 May off).
  EXPECT_EQ(early["Fondations"], Dates("2025-05-02", "2025-05-09"));
  // Two days' lead, and Saturday 10 May worked: Wed 7 to Fri 16.
  EXPECT_EQ(early["Élévation des murs"], Dates("2025-05-07", "2025-05-16"));
  // Held to Mon 26 May by its constraint; Ascension (29 May) stretches it to Fri 30.
  EXPECT_EQ(early["Saignées et gaines"], Dates("2025-05-26", "2025-05-30"));
  EXPECT_EQ(text(s, "project_finish"), "2025-06-05");
  // Terrassement started on site: in progress, half done.
  EXPECT_EQ(column(owner.token, p, 1), std::vector<std::string>{"Terrassement"});

  // A task of a lot, so that the export carries a lot summary.
  const std::string go = lot(owner, p, "GO");
  auto reserved = call(
      Method::kPost, base + "/tasks",
      json::serialize(json::object{{"name", "Réservations"}, {"duration_days", 2}, {"lot_id", go}}),
      owner.token);
  ASSERT_EQ(reserved.status, 201) << reserved.body;
  ASSERT_TRUE(tasks().wait_idle());

  auto exported = get_as(base + "/plan/export", owner.token, kMspdiType);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.headers.get("Content-Type"), kMspdiType);
  EXPECT_EQ(exported.headers.get("Content-Disposition"),
            "attachment; filename=\"MAISON-DUPONT.xml\"");
  auto read_back = domain::parse_mspdi(exported.body);
  ASSERT_TRUE(read_back.ok()) << read_back.error().message;
  const domain::MspdiProject& out = read_back->project;
  auto original = domain::parse_mspdi(xml);
  ASSERT_TRUE(original.ok());
  PlanByName expected = by_name(original->project);
  expected.tasks["Réservations"] = {2, false};
  const PlanByName got = by_name(out);
  EXPECT_EQ(got.tasks, expected.tasks);
  EXPECT_EQ(got.links, expected.links);
  for (const auto& t : out.tasks) {
    if (t.name == "Fondations") {
      EXPECT_EQ(t.start, domain::Date(std::chrono::year(2025) / 5 / 2));
    }
    if (t.name == "Réservations") {
      EXPECT_EQ(t.lot, go);
    }
    if (t.name == "Terrassement") {
      EXPECT_EQ(t.percent_complete, 50);
      EXPECT_EQ(t.actual_start, domain::Date(std::chrono::year(2025) / 4 / 28));
    }
  }
  const auto has_exception = [&](const domain::MspdiException& e) {
    return std::find(out.calendar.exceptions.begin(), out.calendar.exceptions.end(), e) !=
           out.calendar.exceptions.end();
  };
  const domain::Date may_1 = std::chrono::year(2025) / 5 / 1;
  const domain::Date may_10 = std::chrono::year(2025) / 5 / 10;
  EXPECT_TRUE(has_exception({may_1, may_1, false, "Fête du travail"}));
  EXPECT_TRUE(has_exception({may_10, may_10, true, "Rattrapage du 8 mai"}));

  // Plain XML for a client that asks for it; nothing for one that wants JSON.
  auto plain = get_as(base + "/plan/export", owner.token, "text/html, application/xml;q=0.9");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.headers.get("Content-Type"), "application/xml");
  EXPECT_EQ(get_as(base + "/plan/export", owner.token, "application/json").status, 406);

  // The export imports into another project, as a planner moves a plan: the lot is p's, not
  // q's, so its task comes without it, with a warning.
  const std::string q = project(owner, "MAISON-DUPONT-BIS", "2025-04-28");
  auto again =
      post_file("/api/v1/projects/" + q + "/plan/import", exported.body, owner.token, kMspdiType);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(body_of(again)["tasks_created"].as_int64(), 10);
  EXPECT_EQ(body_of(again)["links_created"].as_int64(), 8);
  std::string lot_warnings;
  const auto again_report = body_of(again);  // named: a temporary would die before the loop runs
  for (const auto& w : again_report.at("warnings").as_array()) {
    lot_warnings += std::string(w.as_string()) + "\n";
  }
  EXPECT_NE(lot_warnings.find("lot \"" + go + "\" is not a lot of this project: its 1 tasks"),
            std::string::npos)
      << lot_warnings;
  auto of_lot =
      call(Method::kGet, "/api/v1/projects/" + q + "/tasks?lot_id=" + go, {}, owner.token);
  ASSERT_EQ(of_lot.status, 200) << of_lot.body;
  EXPECT_TRUE(body_of(of_lot)["items"].as_array().empty());
  // Into p, whose lot it is, the lot is kept by its id.
  auto back = post_file(base + "/plan/import", exported.body, owner.token, kMspdiType);
  ASSERT_EQ(back.status, 201) << back.body;
  EXPECT_EQ(back.body.find("is not a lot of this project"), std::string::npos) << back.body;
  of_lot = call(Method::kGet, base + "/tasks?lot_id=" + go, {}, owner.token);
  ASSERT_EQ(of_lot.status, 200) << of_lot.body;
  const auto items = body_of(of_lot)["items"].as_array();
  ASSERT_EQ(items.size(), 2u);
  for (const auto& item : items) {
    EXPECT_EQ(text(item.as_object(), "name"), "Réservations");
  }
}

TEST_P(TasksHttpTest, ATasksLotIsOneOfItsProjectsLots) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const Account other = sign_up("paul@plomberie-martin.fr", "Plomberie Martin");
  const std::string p = project(owner, "RES-TILLEULS");
  const std::string q = project(owner, "RES-PLATANES");
  const std::string b = project(other, "PLB-MARTIN");
  const std::string base = "/api/v1/projects/" + p;
  const std::string go = lot(owner, p, "GO");
  const std::string q_lot = lot(owner, q, "GO");
  const std::string b_lot = lot(other, b, "PLB");
  auto with_lot = [&](const std::string& lot_id) {
    return call(Method::kPost, base + "/tasks",
                json::serialize(
                    json::object{{"name", "Fondations"}, {"duration_days", 5}, {"lot_id", lot_id}}),
                owner.token);
  };
  // Unknown, another project's, another organisation's: 422 naming lot_id.
  for (const auto& wrong : {std::string("0190a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b"), q_lot, b_lot}) {
    auto r = with_lot(wrong);
    ASSERT_EQ(r.status, 422) << wrong << " " << r.body;
    EXPECT_EQ(fields_of(r), std::set<std::string>{"lot_id"}) << r.body;
  }
  EXPECT_TRUE(
      body_of(call(Method::kGet, base + "/tasks", {}, owner.token))["items"].as_array().empty());

  // A lot created, then used.
  auto created = with_lot(go);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string t = text(body_of(created), "id");
  EXPECT_EQ(text(body_of(created), "lot_id"), go);
  auto moved = call(Method::kPatch, "/api/v1/tasks/" + t,
                    json::serialize(json::object{{"lot_id", q_lot}}), owner.token, "\"v1\"");
  ASSERT_EQ(moved.status, 422) << moved.body;
  EXPECT_EQ(fields_of(moved), std::set<std::string>{"lot_id"});

  // The lot deleted in the projects service: its task stays, untied from it.
  auto removed = call(Method::kDelete, base + "/lots/" + go, {}, owner.token);
  ASSERT_EQ(removed.status, 204) << removed.body;
  ASSERT_TRUE(tasks().wait_for_lot(owner.org_id, p, go, false));
  auto untied = call(Method::kGet, "/api/v1/tasks/" + t, {}, owner.token);
  ASSERT_EQ(untied.status, 200) << untied.body;
  EXPECT_TRUE(body_of(untied)["lot_id"].is_null());
  EXPECT_EQ(untied.headers.get("ETag"), "\"v2\"");
  EXPECT_EQ(with_lot(go).status, 422);
}

TEST_P(TasksHttpTest, ImportExpandsSummaryLinksAndRefusesWhatItCannotRead) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string p = project(owner, "RES-TILLEULS");
  const std::string import = "/api/v1/projects/" + p + "/plan/import";

  // Broken XML: 422 naming the line, and nothing imported.
  const std::string broken =
      "<?xml version=\"1.0\"?>\n<Project xmlns=\"http://schemas.microsoft.com/project\">\n"
      "<Tasks>\n<Task><UID>1</UID></Tsk>\n</Tasks>\n</Project>\n";
  auto refused = post_file(import, broken, owner.token);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(text(body_of(refused), "detail").find("line 4"), std::string::npos) << refused.body;
  EXPECT_EQ(post_file(import, "", owner.token).status, 422);
  // Not XML by its type, too large, an unknown calendar option.
  EXPECT_EQ(call(Method::kPost, import, small_plan(), owner.token).status, 415);
  EXPECT_EQ(post_file(import, std::string((8u << 20) + 1, ' '), owner.token).status, 413);
  EXPECT_EQ(post_file(import + "?calendar=sometimes", small_plan(), owner.token).status, 422);
  auto none = call(Method::kGet, "/api/v1/projects/" + p + "/tasks", {}, owner.token);
  EXPECT_TRUE(body_of(none)["items"].as_array().empty());

  // The link from the lot's summary becomes a link from each of its tasks.
  auto imported = post_file(import, small_plan(), owner.token, "application/xml", "import-1");
  ASSERT_EQ(imported.status, 201) << imported.body;
  auto report = body_of(imported);
  EXPECT_EQ(report["tasks_created"].as_int64(), 3);
  EXPECT_EQ(report["links_created"].as_int64(), 2);
  EXPECT_FALSE(report["calendar_replaced"].as_bool());
  bool expanded = false;
  for (const auto& w : report["warnings"].as_array()) {
    expanded = expanded || std::string_view(w.as_string()).find("expanded onto 2 links") !=
                               std::string_view::npos;
  }
  EXPECT_TRUE(expanded) << imported.body;
  auto links = call(Method::kGet, "/api/v1/projects/" + p + "/links", {}, owner.token);
  EXPECT_EQ(body_of(links)["items"].as_array().size(), 2u);

  // A retry with the same Idempotency-Key gets the first answer and adds nothing.
  auto replay = post_file(import, small_plan(), owner.token, "application/xml", "import-1");
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(replay.headers.get("Idempotent-Replayed"), "true");
  auto all = call(Method::kGet, "/api/v1/projects/" + p + "/tasks", {}, owner.token);
  EXPECT_EQ(body_of(all)["items"].as_array().size(), 3u);
}

TEST_P(TasksHttpTest, ProjectRolesDecideWhoPlans) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string p = project(owner, "RES-TILLEULS");
  const std::string base = "/api/v1/projects/" + p;
  const std::string a = task_id(owner.token, p, "Fondations", 5);
  const Account member = invite(owner, "marie@chantiers-sud.fr", "member");
  const Account viewer = invite(owner, "archi@cabinet.fr", "guest");
  const Account contributor = invite(owner, "chef@maconnerie.fr", "guest");
  const Account stranger = invite(owner, "bet@structure.fr", "guest");
  give_role(viewer, p, "viewer");
  give_role(contributor, p, "contributor");

  // A member of the organisation reads every project, but plans only with a role on it.
  EXPECT_EQ(call(Method::kGet, base + "/tasks", {}, member.token).status, 200);
  EXPECT_EQ(new_task(member.token, p, "Murs", 10).status, 403);
  // A viewer reads and cannot change; a contributor plans; neither manages the calendar.
  EXPECT_EQ(call(Method::kGet, "/api/v1/tasks/" + a, {}, viewer.token).status, 200);
  EXPECT_EQ(new_task(viewer.token, p, "Murs", 10).status, 403);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/tasks/" + a + "/status", R"({"status":"blocked"})",
                 viewer.token)
                .status,
            403);
  EXPECT_EQ(new_task(contributor.token, p, "Murs", 10).status, 201);
  const std::string calendar = R"({"working_weekdays":["mon","tue"],"holiday_region":"none"})";
  EXPECT_EQ(call(Method::kPut, base + "/calendar", calendar, contributor.token).status, 403);
  EXPECT_EQ(call(Method::kPost, base + "/baselines", R"({"name":"B"})", contributor.token).status,
            403);
  // A guest with no role on the project learns nothing of it, nor of its tasks.
  EXPECT_EQ(call(Method::kGet, base + "/tasks", {}, stranger.token).status, 404);
  EXPECT_EQ(call(Method::kGet, "/api/v1/tasks/" + a, {}, stranger.token).status, 404);
  EXPECT_EQ(call(Method::kGet, base + "/gantt", {}, stranger.token).status, 404);
  // Anyone who reads the plan may export it; importing one is the managers'.
  EXPECT_EQ(call(Method::kGet, base + "/plan/export", {}, viewer.token).status, 200);
  EXPECT_EQ(call(Method::kGet, base + "/plan/export", {}, stranger.token).status, 404);
  EXPECT_EQ(post_file(base + "/plan/import", small_plan(), viewer.token).status, 403);
  EXPECT_EQ(post_file(base + "/plan/import", small_plan(), contributor.token).status, 403);
  EXPECT_EQ(post_file(base + "/plan/import", small_plan(), stranger.token).status, 404);
  // A manager manages the calendar and imports plans.
  give_role(contributor, p, "manager");
  EXPECT_EQ(call(Method::kPut, base + "/calendar", calendar, contributor.token).status, 200);
  EXPECT_EQ(post_file(base + "/plan/import", small_plan(), contributor.token).status, 201);
}

TEST_P(TasksHttpTest, AnotherOrganisationSeesNothing) {
  const Account a_owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const Account b_owner = sign_up("paul@plomberie-martin.fr", "Plomberie Martin");
  const std::string p = project(a_owner, "RES-TILLEULS");
  const std::string base = "/api/v1/projects/" + p;
  const std::string t1 = task_id(a_owner.token, p, "Fondations", 5);
  const std::string t2 = task_id(a_owner.token, p, "Murs", 10);
  auto link = call(Method::kPost, base + "/links",
                   json::serialize(json::object{{"from", t1}, {"to", t2}}), a_owner.token);
  ASSERT_EQ(link.status, 201) << link.body;
  const std::string l = text(body_of(link), "id");
  auto item = call(Method::kPost, "/api/v1/tasks/" + t1 + "/checklist", R"({"text":"Fouilles"})",
                   a_owner.token);
  const std::string i = text(body_of(item)["checklist"].as_array()[0].as_object(), "id");
  ASSERT_TRUE(tasks().wait_idle());
  auto baseline = call(Method::kPost, base + "/baselines", R"({"name":"B"})", a_owner.token);
  ASSERT_EQ(baseline.status, 201) << baseline.body;
  const std::string bl = text(body_of(baseline), "id");

  const std::string token = b_owner.token;  // an owner: no project role could help
  const std::string task_body = R"({"name":"X","duration_days":1})";
  const std::vector<std::tuple<Method, std::string, std::string>> routes = {
      {Method::kPost, base + "/tasks", task_body},
      {Method::kGet, base + "/tasks", ""},
      {Method::kGet, "/api/v1/tasks/" + t1, ""},
      {Method::kPatch, "/api/v1/tasks/" + t1, R"({"name":"X"})"},
      {Method::kDelete, "/api/v1/tasks/" + t1, ""},
      {Method::kPatch, "/api/v1/tasks/" + t1 + "/status", R"({"status":"done"})"},
      {Method::kPost, "/api/v1/tasks/" + t1 + "/checklist", R"({"text":"X"})"},
      {Method::kPatch, "/api/v1/tasks/" + t1 + "/checklist/" + i, R"({"done":true})"},
      {Method::kDelete, "/api/v1/tasks/" + t1 + "/checklist/" + i, ""},
      {Method::kGet, base + "/board", ""},
      {Method::kPost, base + "/links", json::serialize(json::object{{"from", t2}, {"to", t1}})},
      {Method::kGet, base + "/links", ""},
      {Method::kDelete, "/api/v1/links/" + l, ""},
      {Method::kGet, base + "/calendar", ""},
      {Method::kPut, base + "/calendar", R"({"working_weekdays":["mon"],"holiday_region":"none"})"},
      {Method::kGet, base + "/schedule", ""},
      {Method::kGet, base + "/gantt", ""},
      {Method::kPost, base + "/baselines", R"({"name":"X"})"},
      {Method::kGet, base + "/baselines", ""},
      {Method::kPost, base + "/baselines/" + bl + "/activate", ""},
      {Method::kGet, base + "/baselines/" + bl + "/variance", ""},
      {Method::kGet, base + "/plan/export", ""},
  };
  for (const auto& [method, path, body] : routes) {
    auto r = call(method, path, body, token, method == Method::kPatch ? "*" : "");
    EXPECT_EQ(r.status, 404) << http::method_name(method) << " " << path << " " << r.body;
    EXPECT_EQ(r.body.find("Fondations"), std::string::npos) << path;
  }

  // An import sends XML: the type is right, the project is still not B's.
  auto imported = post_file(base + "/plan/import", small_plan(), token);
  EXPECT_EQ(imported.status, 404) << imported.body;

  // And A's plan is untouched.
  auto got = call(Method::kGet, "/api/v1/tasks/" + t1, {}, a_owner.token);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(text(body_of(got), "name"), "Fondations");
  EXPECT_EQ(
      body_of(call(Method::kGet, base + "/links", {}, a_owner.token))["items"].as_array().size(),
      1u);
}

// The other direction: B acts on its own project, naming A's ids in the path or the body.
TEST_P(TasksHttpTest, AnotherOrganisationCannotReachInThroughItsOwnProject) {
  const Account a_owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const Account b_owner = sign_up("paul@plomberie-martin.fr", "Plomberie Martin");
  const std::string p = project(a_owner, "RES-TILLEULS");
  const std::string a_base = "/api/v1/projects/" + p;
  const std::string a_lot = lot(a_owner, p, "GO");
  auto made = call(Method::kPost, a_base + "/tasks",
                   json::serialize(json::object{
                       {"name", "Fondations"}, {"duration_days", 5}, {"lot_id", a_lot}}),
                   a_owner.token);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string t1 = text(body_of(made), "id");
  const std::string t2 = task_id(a_owner.token, p, "Murs", 10);
  auto link = call(Method::kPost, a_base + "/links",
                   json::serialize(json::object{{"from", t1}, {"to", t2}}), a_owner.token);
  ASSERT_EQ(link.status, 201) << link.body;
  const std::string l = text(body_of(link), "id");
  ASSERT_TRUE(tasks().wait_idle());
  auto first = call(Method::kPost, a_base + "/baselines", R"({"name":"Marché"})", a_owner.token);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string bl = text(body_of(first), "id");
  ASSERT_TRUE(tasks().wait_idle());
  auto second = call(Method::kPost, a_base + "/baselines", R"({"name":"Avenant"})", a_owner.token);
  ASSERT_EQ(second.status, 201) << second.body;
  ASSERT_TRUE(tasks().wait_idle());
  // A's plan as A sees it, to compare with afterwards.
  auto a_view = [&] {
    std::vector<std::string> bodies;
    for (const std::string& path : {"/api/v1/tasks/" + t1, "/api/v1/tasks/" + t2, a_base + "/links",
                                    a_base + "/baselines", a_base + "/calendar"}) {
      auto r = call(Method::kGet, path, {}, a_owner.token);
      EXPECT_EQ(r.status, 200) << path << " " << r.body;
      bodies.push_back(r.body + " " + std::string(r.headers.get("ETag")));
    }
    auto s = body_of(call(Method::kGet, a_base + "/schedule", {}, a_owner.token));
    bodies.push_back(std::to_string(s["input_version"].as_int64()));
    return bodies;
  };
  const auto before = a_view();

  // B's own project, with a task of its own.
  const std::string q = project(b_owner, "PLB-MARTIN");
  const std::string b_base = "/api/v1/projects/" + q;
  const std::string tb = task_id(b_owner.token, q, "Réseaux", 3);
  const std::string token = b_owner.token;
  const auto link_of = [](const std::string& from, const std::string& to) {
    return json::serialize(json::object{{"from", from}, {"to", to}, {"type", "FS"}});
  };
  // Each: the call, the status it answers, and the fields a 422 names.
  struct Probe {
    Method method;
    std::string path;
    std::string body;
    int status;
    std::set<std::string> fields;  // those a 422 names
  };
  const std::vector<Probe> probes = {
      {Method::kPost, b_base + "/links", link_of(t1, tb), 422, {"from"}},
      {Method::kPost, b_base + "/links", link_of(tb, t1), 422, {"to"}},
      {Method::kPost, b_base + "/links", link_of(t1, t2), 422, {"from", "to"}},
      {Method::kPost, b_base + "/baselines/" + bl + "/activate", "", 404, {}},
      {Method::kGet, b_base + "/baselines/" + bl + "/variance", "", 404, {}},
      {Method::kPost,
       b_base + "/tasks",
       json::serialize(json::object{{"name", "X"}, {"duration_days", 1}, {"lot_id", a_lot}}),
       422,
       {"lot_id"}},
      {Method::kPatch,
       "/api/v1/tasks/" + tb,
       json::serialize(json::object{{"lot_id", a_lot}}),
       422,
       {"lot_id"}},
      {Method::kPatch,
       "/api/v1/tasks/" + tb + "/status",
       json::serialize(json::object{{"status", "todo"}, {"before_id", t1}}),
       422,
       {"before_id"}},
      {Method::kPatch, "/api/v1/tasks/" + t1, R"({"name":"X","duration_days":50})", 404, {}},
      {Method::kPatch, "/api/v1/tasks/" + t1 + "/status", R"({"status":"done"})", 404, {}},
      {Method::kPost, "/api/v1/tasks/" + t1 + "/checklist", R"({"text":"X"})", 404, {}},
      {Method::kDelete, "/api/v1/links/" + l, "", 404, {}},
      {Method::kDelete, "/api/v1/tasks/" + t2, "", 404, {}},
  };
  for (const auto& probe : probes) {
    auto r = call(probe.method, probe.path, probe.body, token,
                  probe.method == Method::kPatch && probe.path.find("/status") == std::string::npos
                      ? "*"
                      : "");
    EXPECT_EQ(r.status, probe.status) << http::method_name(probe.method) << " " << probe.path << " "
                                      << probe.body << " " << r.body;
    if (probe.status == 422) {
      EXPECT_EQ(fields_of(r), probe.fields) << probe.path << " " << r.body;
    }
    EXPECT_EQ(r.body.find("Fondations"), std::string::npos) << probe.path;
    EXPECT_EQ(r.body.find("Murs"), std::string::npos) << probe.path;
  }
  // B's filters on A's lot find nothing, and B's own plan holds only its task, unlinked.
  auto filtered = call(Method::kGet, b_base + "/tasks?lot_id=" + a_lot, {}, token);
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_TRUE(body_of(filtered)["items"].as_array().empty());
  EXPECT_EQ(body_of(call(Method::kGet, b_base + "/tasks", {}, token))["items"].as_array().size(),
            1u);
  EXPECT_TRUE(
      body_of(call(Method::kGet, b_base + "/links", {}, token))["items"].as_array().empty());
  EXPECT_TRUE(body_of(call(Method::kGet, "/api/v1/tasks/" + tb, {}, token))["lot_id"].is_null());

  // A's tasks, links, baselines (the second still active), calendar and input: as they were.
  ASSERT_TRUE(tasks().wait_idle());
  const auto after = a_view();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i], before[i]) << i;
  }
  auto listed = body_of(call(Method::kGet, a_base + "/baselines", {}, a_owner.token));
  EXPECT_EQ(text(listed, "active_id"), text(body_of(second), "id"));
}

INSTANTIATE_TEST_SUITE_P(Backends, TasksHttpTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::tasks
