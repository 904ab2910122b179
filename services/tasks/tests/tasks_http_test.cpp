// The tasks service as a client sees it: the whole platform on an ephemeral port, projects made
// through the projects routes and learnt by the tasks service from their events. One scenario
// walks the planning API; others check the access policy and that another organisation sees
// nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "atelier/events/cloud_event.hpp"
#include "platform_http.hpp"
#include "tasks/adapters/routes.hpp"

namespace atelier::tasks {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";

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

  // A project made through the projects routes, once the tasks service has heard of it.
  std::string project(const Account& owner, const std::string& code) {
    auto r = call(Method::kPost, "/api/v1/projects",
                  json::serialize(json::object{{"code", code},
                                               {"name", "Résidence Les Tilleuls"},
                                               {"start_date", "2026-03-02"},
                                               {"end_date", "2027-06-30"}}),
                  owner.token);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = text(body_of(r), "id");
    EXPECT_TRUE(tasks().wait_for_plan(owner.org_id, id));
    return id;
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

  // Create: 201, Location, ETag, every field back.
  auto created = call(Method::kPost, base + "/tasks",
                      R"({"name":"Fondations","description":"Semelles filantes",
                          "duration_days":5,"assignees":["u-1"],
                          "lot_id":"0190a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b",
                          "constraint":{"kind":"start_no_earlier_than","date":"2026-03-04"},
                          "checklist":[{"text":"Implantation"},{"text":"Fouilles","done":true}]})",
                      owner.token);
  ASSERT_EQ(created.status, 201) << created.body;
  auto fondations = body_of(created);
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
  // A manager manages the calendar.
  give_role(contributor, p, "manager");
  EXPECT_EQ(call(Method::kPut, base + "/calendar", calendar, contributor.token).status, 200);
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
  };
  for (const auto& [method, path, body] : routes) {
    auto r = call(method, path, body, token, method == Method::kPatch ? "*" : "");
    EXPECT_EQ(r.status, 404) << http::method_name(method) << " " << path << " " << r.body;
    EXPECT_EQ(r.body.find("Fondations"), std::string::npos) << path;
  }

  // And A's plan is untouched.
  auto got = call(Method::kGet, "/api/v1/tasks/" + t1, {}, a_owner.token);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(text(body_of(got), "name"), "Fondations");
  EXPECT_EQ(
      body_of(call(Method::kGet, base + "/links", {}, a_owner.token))["items"].as_array().size(),
      1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, TasksHttpTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::tasks
