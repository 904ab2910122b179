// Projects as a client sees them: the whole platform on an ephemeral port, spoken to over HTTP.
// One scenario walks the API (create, read, patch with If-Match, the state machine, paging,
// archive); the cross-tenant test checks that another organisation sees nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "platform_http.hpp"

namespace atelier::projects {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";

class ProjectsHttpTest : public ::atelier::app::testing::PlatformHttpTest {
 protected:
  // A call with a bearer token and any extra headers (If-Match).
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

  // Signs up (making an organisation) and returns {org_id, access token}; keeps the user's id.
  std::pair<std::string, std::string> owner_of(const std::string& email, const std::string& org) {
    auto r = send(
        Method::kPost, "/api/v1/auth/register",
        json::serialize(json::object{
            {"email", email}, {"password", kPassword}, {"name", "Jeanne Chef"}, {"org_name", org}}),
        "");
    EXPECT_EQ(r.status, 201) << r.body;
    user_ids_[email] = text(body_of(r), "user_id");
    return {text(body_of(r), "org_id"), token_of(email)};
  }

  // Someone invited into `org` with the organisation role `role` (member, guest), who signs up
  // and accepts: returns their access token in `org`.
  std::string joined(const std::string& org, const std::string& owner_token,
                     const std::string& email, const std::string& role) {
    auto invited =
        call(Method::kPost, "/api/v1/orgs/" + org + "/invitations",
             json::serialize(json::object{{"email", email}, {"role", role}}), owner_token);
    EXPECT_EQ(invited.status, 201) << invited.body;
    owner_of(email, "Entreprise de " + email);
    auto accepted = call(Method::kPost, "/api/v1/invitations/accept",
                         json::serialize(json::object{{"token", text(body_of(invited), "token")}}),
                         token_of(email));
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    return token_of(email, org);
  }

  // Adds a user to a project with a project role; returns the participant's id.
  std::string add_participant(const std::string& project, const std::string& token,
                              const std::string& email, const std::string& role) {
    auto r =
        call(Method::kPost, "/api/v1/projects/" + project + "/participants",
             json::serialize(json::object{{"user_id", user_ids_[email]}, {"role", role}}), token);
    EXPECT_EQ(r.status, 201) << r.body;
    return text(body_of(r), "id");
  }

  // The fields named by a 422's errors.
  std::set<std::string> problem_fields(const http::ClientResponse& r) {
    EXPECT_EQ(r.status, 422) << r.body;
    const auto problem = body_of(r);
    std::set<std::string> fields;
    if (const auto* errors = problem.if_contains("errors")) {
      for (const auto& e : errors->as_array()) {
        fields.insert(text(e.as_object(), "field"));
      }
    }
    return fields;
  }

  std::map<std::string, std::string> user_ids_;  // by e-mail

  std::string token_of(const std::string& email, const std::string& org_id = {}) {
    json::object request{{"email", email}, {"password", kPassword}};
    if (!org_id.empty()) {
      request["org_id"] = org_id;
    }
    auto r = send(Method::kPost, "/api/v1/auth/login", json::serialize(request), "");
    EXPECT_EQ(r.status, 200) << r.body;
    return text(body_of(r), "access_token");
  }

  http::ClientResponse create(const std::string& token, const std::string& code,
                              const std::string& name = "Résidence Les Tilleuls") {
    return call(Method::kPost, "/api/v1/projects",
                json::serialize(json::object{{"code", code},
                                             {"name", name},
                                             {"client", "SCI Tilleuls"},
                                             {"address", "12 rue des Tilleuls, 69003 Lyon"},
                                             {"start_date", "2026-03-02"},
                                             {"end_date", "2027-06-30"},
                                             {"budget_minor", 245000000},
                                             {"currency", "EUR"}}),
                token);
  }

  std::vector<std::string> listed_ids(const std::string& token, const std::string& query = {},
                                      const std::string& path = "/api/v1/projects") {
    auto r = call(Method::kGet, path + query, {}, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const auto body = body_of(r);  // named: a temporary would die before the loop runs
    for (const auto& item : body.at("items").as_array()) {
      ids.push_back(text(item.as_object(), "id"));
    }
    return ids;
  }
};

// The whole scenario and the cross-tenant check run on both engines; on PostgreSQL row-level
// security is live behind the routes.
class ProjectsHttpOnEachEngine : public ProjectsHttpTest,
                                 public ::testing::WithParamInterface<db::Kind> {
 protected:
  bool on_postgres() const override { return GetParam() == db::Kind::kPostgres; }
};

TEST_P(ProjectsHttpOnEachEngine, CreateGetPatchPageArchive) {
  const auto [org, token] = owner_of("jeanne@chantiers-sud.fr", "Chantiers du Sud");

  // Create: 201, Location, ETag "v1", a draft in the caller's organisation.
  auto created = create(token, "RES-TILLEULS");
  ASSERT_EQ(created.status, 201) << created.body;
  auto project = body_of(created);
  const std::string id = text(project, "id");
  EXPECT_EQ(created.headers.get("Location"), "/api/v1/projects/" + id);
  EXPECT_EQ(created.headers.get("ETag"), "\"v1\"");
  EXPECT_EQ(text(project, "status"), "draft");
  EXPECT_EQ(text(project, "org_id"), org);
  EXPECT_EQ(project["budget_minor"].as_int64(), 245000000);

  // The same code again: 409. Bad fields: 422 with every field named. No body org_id honoured.
  EXPECT_EQ(create(token, "RES-TILLEULS").status, 409);
  auto fields_of = [&](const std::string& body) {
    auto r = call(Method::kPost, "/api/v1/projects", body, token);
    EXPECT_EQ(r.status, 422) << r.body;
    const auto problem = body_of(r);
    std::set<std::string> fields;
    if (const auto* errors = problem.if_contains("errors")) {
      for (const auto& e : errors->as_array()) {
        fields.insert(text(e.as_object(), "field"));
      }
    }
    return fields;
  };
  EXPECT_EQ(fields_of(R"({"code":"bad code","name":"","start_date":"2026-02-30"})"),
            (std::set<std::string>{"code", "name", "start_date"}));
  // The organisation comes from the token: a body naming one is refused, not obeyed.
  EXPECT_EQ(fields_of(R"({"code":"X","name":"X","start_date":"2026-01-05","org_id":"x"})"),
            std::set<std::string>{"org_id"});
  EXPECT_EQ(call(Method::kPost, "/api/v1/projects", "not json", token).status, 400);
  EXPECT_EQ(send(Method::kGet, "/api/v1/projects/" + id, {}, "").status, 401);

  // Get: 200 with the ETag.
  auto got = call(Method::kGet, "/api/v1/projects/" + id, {}, token);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.headers.get("ETag"), "\"v1\"");

  // Patch with If-Match: set a field, clear another, plan it.
  const std::string patch =
      R"({"name":"Les Tilleuls, tranche 1","end_date":null,"status":"planned"})";
  auto patched = call(Method::kPatch, "/api/v1/projects/" + id, patch, token, "\"v1\"");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.headers.get("ETag"), "\"v2\"");
  auto after = body_of(patched);
  EXPECT_EQ(text(after, "name"), "Les Tilleuls, tranche 1");
  EXPECT_TRUE(after["end_date"].is_null());
  EXPECT_EQ(text(after, "client"), "SCI Tilleuls");
  EXPECT_EQ(text(after, "status"), "planned");

  // A stale ETag: 412; none: 428; an unknown field: 422.
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/projects/" + id, R"({"name":"X"})", token, "\"v1\"").status,
      412);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/projects/" + id, R"({"name":"X"})", token).status, 428);
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/projects/" + id, R"({"colour":"red"})", token, "\"v2\"").status,
      422);

  // An illegal transition: 409 naming the allowed ones.
  auto illegal =
      call(Method::kPatch, "/api/v1/projects/" + id, R"({"status":"completed"})", token, "\"v2\"");
  ASSERT_EQ(illegal.status, 409) << illegal.body;
  EXPECT_NE(illegal.body.find("in_progress, on_hold, cancelled"), std::string::npos)
      << illegal.body;

  // Seven projects in all, three pages of three, ordered by id.
  std::vector<std::string> all{id};
  for (int i = 1; i < 7; ++i) {
    auto r = create(token, "LOT-" + std::to_string(i), "Lot " + std::to_string(i));
    ASSERT_EQ(r.status, 201) << r.body;
    all.push_back(text(body_of(r), "id"));
  }
  std::vector<std::string> paged;
  std::string cursor;
  int pages = 0;
  do {
    auto r =
        call(Method::kGet, "/api/v1/projects?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor),
             {}, token);
    ASSERT_EQ(r.status, 200) << r.body;
    auto b = body_of(r);
    for (const auto& item : b["items"].as_array()) {
      paged.push_back(text(item.as_object(), "id"));
    }
    cursor = b["next_cursor"].is_string() ? std::string(b["next_cursor"].as_string()) : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, all);
  EXPECT_EQ(listed_ids(token, "?status=planned"), std::vector<std::string>{id});
  EXPECT_EQ(listed_ids(token, "?q=lot-4"), std::vector<std::string>{all[4]});
  EXPECT_EQ(call(Method::kGet, "/api/v1/projects?status=started", {}, token).status, 422);
  EXPECT_EQ(call(Method::kGet, "/api/v1/projects?limit=0", {}, token).status, 422);

  // Archive: 200, gone from the list, still there with ?archived=true, read-only.
  auto archived = call(Method::kPost, "/api/v1/projects/" + id + "/archive", {}, token);
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_FALSE(body_of(archived)["archived_at"].is_null());
  EXPECT_EQ(listed_ids(token, "?limit=200").size(), 6u);
  EXPECT_EQ(listed_ids(token, "?archived=true"), all);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/projects/" + id, R"({"name":"X"})", token,
                 std::string(archived.headers.get("ETag")))
                .status,
            409);
}

TEST_P(ProjectsHttpOnEachEngine, ParticipantsAndTheLastManager) {
  const auto [org, jeanne] = owner_of("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto created = create(jeanne, "RES-TILLEULS");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = text(body_of(created), "id");
  const std::string base = "/api/v1/projects/" + id + "/participants";

  // The creator is the project's first manager.
  auto first = call(Method::kGet, base, {}, jeanne);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto first_page = body_of(first);
  ASSERT_EQ(first_page.at("items").as_array().size(), 1u);
  const auto creator = first_page.at("items").as_array()[0].as_object();
  EXPECT_EQ(text(creator, "user_id"), user_ids_["jeanne@chantiers-sud.fr"]);
  EXPECT_EQ(text(creator, "role"), "manager");
  const std::string jeanne_pid = text(creator, "id");

  // A member as contributor, with a trade: 201, Location, ETag. The same user again: 409.
  joined(org, jeanne, "paul@chantiers-sud.fr", "member");
  auto paul = call(Method::kPost, base,
                   json::serialize(json::object{{"user_id", user_ids_["paul@chantiers-sud.fr"]},
                                                {"role", "contributor"},
                                                {"trade", "plomberie"}}),
                   jeanne);
  ASSERT_EQ(paul.status, 201) << paul.body;
  const std::string paul_pid = text(body_of(paul), "id");
  EXPECT_EQ(paul.headers.get("Location"), base + "/" + paul_pid);
  EXPECT_EQ(paul.headers.get("ETag"), "\"v1\"");
  EXPECT_EQ(text(body_of(paul), "kind"), "user");
  EXPECT_EQ(text(body_of(paul), "trade"), "plomberie");
  EXPECT_EQ(call(Method::kPost, base,
                 json::serialize(json::object{{"user_id", user_ids_["paul@chantiers-sud.fr"]},
                                              {"role", "viewer"}}),
                 jeanne)
                .status,
            409);

  // Companies: the body's shape first (unknown members), then every rule at once.
  EXPECT_EQ(problem_fields(call(Method::kPost, base,
                                R"({"company":{"name":"X","fax":"x"},"role":"viewer"})", jeanne)),
            std::set<std::string>{"company.fax"});
  EXPECT_EQ(problem_fields(call(Method::kPost, base,
                                R"({"company":{"name":"","siret":"73282932000075"},)"
                                R"("role":"boss"})",
                                jeanne)),
            (std::set<std::string>{"company.name", "company.siret", "role"}));
  EXPECT_EQ(problem_fields(call(Method::kPost, base, R"({"role":"viewer"})", jeanne)),
            std::set<std::string>{"user_id"});
  EXPECT_EQ(
      problem_fields(call(Method::kPost, base,
                          R"({"user_id":"u","company":{"name":"X"},"role":"viewer"})", jeanne)),
      std::set<std::string>{"company"});
  auto company = call(Method::kPost, base,
                      R"({"company":{"name":"Plomberie Martin","email":"contact@pm.fr",)"
                      R"("phone":"+33 4 78 00 00 00","siret":"73282932000074"},)"
                      R"("role":"contributor","trade":"plomberie"})",
                      jeanne);
  ASSERT_EQ(company.status, 201) << company.body;
  const auto company_body = body_of(company);
  EXPECT_EQ(text(company_body, "kind"), "company");
  EXPECT_TRUE(company_body.at("user_id").is_null());
  EXPECT_EQ(text(company_body.at("company").as_object(), "siret"), "73282932000074");

  // Three participants, two pages of two.
  auto page1 = call(Method::kGet, base + "?limit=2", {}, jeanne);
  ASSERT_EQ(page1.status, 200) << page1.body;
  auto b1 = body_of(page1);
  EXPECT_EQ(b1["items"].as_array().size(), 2u);
  ASSERT_TRUE(b1["next_cursor"].is_string());
  auto page2 =
      call(Method::kGet, base + "?limit=2&cursor=" + std::string(b1["next_cursor"].as_string()), {},
           jeanne);
  auto b2 = body_of(page2);
  ASSERT_EQ(b2["items"].as_array().size(), 1u);
  EXPECT_EQ(text(b2["items"].as_array()[0].as_object(), "id"), text(company_body, "id"));
  EXPECT_TRUE(b2["next_cursor"].is_null());

  // Change a role (merge patch, If-Match honoured when sent); unknown roles and fields are 422.
  auto viewer = call(Method::kPatch, base + "/" + paul_pid, R"({"role":"viewer","trade":null})",
                     jeanne, "\"v1\"");
  ASSERT_EQ(viewer.status, 200) << viewer.body;
  EXPECT_EQ(text(body_of(viewer), "role"), "viewer");
  EXPECT_TRUE(body_of(viewer).at("trade").is_null());
  EXPECT_EQ(viewer.headers.get("ETag"), "\"v2\"");
  EXPECT_EQ(
      call(Method::kPatch, base + "/" + paul_pid, R"({"role":"manager"})", jeanne, "\"v1\"").status,
      412);
  EXPECT_EQ(
      problem_fields(call(Method::kPatch, base + "/" + paul_pid, R"({"user_id":"x"})", jeanne)),
      std::set<std::string>{"user_id"});
  EXPECT_EQ(
      problem_fields(call(Method::kPatch, base + "/" + paul_pid, R"({"role":"chef"})", jeanne)),
      std::set<std::string>{"role"});

  // The last manager can be neither demoted nor removed; with a second one, they can.
  auto demoted = call(Method::kPatch, base + "/" + jeanne_pid, R"({"role":"contributor"})", jeanne);
  ASSERT_EQ(demoted.status, 409) << demoted.body;
  EXPECT_NE(demoted.body.find("last manager"), std::string::npos) << demoted.body;
  EXPECT_EQ(call(Method::kDelete, base + "/" + jeanne_pid, {}, jeanne).status, 409);
  ASSERT_EQ(call(Method::kPatch, base + "/" + paul_pid, R"({"role":"manager"})", jeanne).status,
            200);
  EXPECT_EQ(call(Method::kDelete, base + "/" + jeanne_pid, {}, jeanne).status, 204);
  // Jeanne owns the organisation: she still runs the project without a project role.
  EXPECT_EQ(call(Method::kDelete, base + "/" + text(company_body, "id"), {}, jeanne).status, 204);
  EXPECT_EQ(call(Method::kGet, base + "/" + text(company_body, "id"), {}, jeanne).status, 404);
  EXPECT_EQ(listed_ids(jeanne, {}, base), std::vector<std::string>{paul_pid});
}

TEST_P(ProjectsHttpOnEachEngine, ProjectRolesDecideWhatEachOneSeesAndDoes) {
  const auto [org, jeanne] = owner_of("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto created = create(jeanne, "RES-TILLEULS");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = text(body_of(created), "id");
  const std::string path = "/api/v1/projects/" + id;
  auto other = create(jeanne, "BUREAUX-GERLAND");
  ASSERT_EQ(other.status, 201) << other.body;
  const std::string other_id = text(body_of(other), "id");

  const std::string paul = joined(org, jeanne, "paul@chantiers-sud.fr", "member");
  const std::string archi = joined(org, jeanne, "archi@cabinet.fr", "guest");

  // A member who takes no part: reads every project, without its budget; changes none.
  auto seen = call(Method::kGet, path, {}, paul);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(body_of(seen).contains("budget_minor"));
  EXPECT_EQ(listed_ids(paul).size(), 2u);
  EXPECT_EQ(call(Method::kPatch, path, R"({"name":"X"})", paul, "\"v1\"").status, 403);
  EXPECT_EQ(call(Method::kPost, path + "/archive", {}, paul).status, 403);
  // ... but creates their own, and manages it, budget included.
  auto own = create(paul, "PAUL-1");
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(body_of(own)["budget_minor"].as_int64(), 245000000);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/projects/" + text(body_of(own), "id"),
                 R"({"budget_minor":1})", paul, "\"v1\"")
                .status,
            200);

  // A guest sees nothing until added, then only that project; a viewer cannot change it.
  EXPECT_TRUE(listed_ids(archi).empty());
  EXPECT_EQ(call(Method::kGet, path, {}, archi).status, 404);
  EXPECT_EQ(create(archi, "OTHER").status, 403);
  add_participant(id, jeanne, "archi@cabinet.fr", "viewer");
  EXPECT_EQ(listed_ids(archi), std::vector<std::string>{id});
  auto guest_view = call(Method::kGet, path, {}, archi);
  ASSERT_EQ(guest_view.status, 200) << guest_view.body;
  EXPECT_FALSE(body_of(guest_view).contains("budget_minor"));
  EXPECT_EQ(call(Method::kGet, "/api/v1/projects/" + other_id, {}, archi).status, 404);
  EXPECT_EQ(call(Method::kPatch, path, R"({"name":"X"})", archi, "\"v1\"").status, 403);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/projects/" + other_id, R"({"name":"X"})", archi, "\"v1\"")
                .status,
            404);
  EXPECT_EQ(call(Method::kPost, path + "/participants",
                 R"({"company":{"name":"Cabinet"},"role":"manager"})", archi)
                .status,
            403);
  EXPECT_EQ(call(Method::kGet, path + "/participants", {}, archi).status, 200);

  // A contributor reads lots without their budgets; a manager sees them.
  ASSERT_EQ(call(Method::kPost, path + "/lots",
                 R"({"code":"GO","name":"Gros œuvre","budget_minor":85000000})", jeanne)
                .status,
            201);
  add_participant(id, jeanne, "paul@chantiers-sud.fr", "contributor");
  auto lots = call(Method::kGet, path + "/lots", {}, paul);
  ASSERT_EQ(lots.status, 200) << lots.body;
  EXPECT_FALSE(body_of(lots)["items"].as_array()[0].as_object().contains("budget_minor"));
  EXPECT_FALSE(body_of(call(Method::kGet, path, {}, paul)).contains("budget_minor"));
  EXPECT_EQ(call(Method::kPatch, path, R"({"name":"X"})", paul, "\"v1\"").status, 403);
  EXPECT_EQ(
      call(Method::kPost, path + "/lots", R"({"code":"PLB","name":"Plomberie"})", paul).status,
      403);
  auto manager_lots = call(Method::kGet, path + "/lots", {}, jeanne);
  EXPECT_EQ(body_of(manager_lots)["items"].as_array()[0].as_object().at("budget_minor").as_int64(),
            85000000);
}

TEST_P(ProjectsHttpOnEachEngine, LotsAndMilestones) {
  const auto [org, token] = owner_of("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto created = create(token, "RES-TILLEULS");  // 2026-03-02 to 2027-06-30
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/projects/" + text(body_of(created), "id");

  // Lots: 201 with Location and ETag, the project's currency, positions in creation order.
  auto go = call(Method::kPost, path + "/lots",
                 R"({"code":"GO","name":"Gros œuvre","trade":"maçonnerie","budget_minor":850000})",
                 token);
  ASSERT_EQ(go.status, 201) << go.body;
  const auto go_body = body_of(go);
  const std::string go_id = text(go_body, "id");
  EXPECT_EQ(go.headers.get("Location"), path + "/lots/" + go_id);
  EXPECT_EQ(go.headers.get("ETag"), "\"v1\"");
  EXPECT_EQ(text(go_body, "currency"), "EUR");
  EXPECT_EQ(go_body.at("position").as_int64(), 0);
  EXPECT_EQ(call(Method::kPost, path + "/lots", R"({"code":"GO","name":"Encore"})", token).status,
            409);
  EXPECT_EQ(
      problem_fields(call(Method::kPost, path + "/lots",
                          R"({"code":"go!","budget_minor":-5,"currency":"euro","x":1})", token)),
      (std::set<std::string>{"name", "x"}));
  EXPECT_EQ(problem_fields(call(Method::kPost, path + "/lots",
                                R"({"code":"go!","name":"","budget_minor":-5,"currency":"euro"})",
                                token)),
            (std::set<std::string>{"code", "name", "budget_minor", "currency"}));
  auto plb = call(Method::kPost, path + "/lots", R"({"code":"PLB","name":"Plomberie"})", token);
  ASSERT_EQ(plb.status, 201) << plb.body;
  const std::string plb_id = text(body_of(plb), "id");
  EXPECT_EQ(listed_ids(token, {}, path + "/lots"), (std::vector<std::string>{go_id, plb_id}));

  // PATCH needs If-Match: 428 without, 412 stale; moving PLB first reorders the list.
  EXPECT_EQ(call(Method::kPatch, path + "/lots/" + plb_id, R"({"position":0})", token).status, 428);
  auto moved = call(Method::kPatch, path + "/lots/" + plb_id, R"({"position":0,"trade":null})",
                    token, "\"v1\"");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.headers.get("ETag"), "\"v2\"");
  EXPECT_EQ(
      call(Method::kPatch, path + "/lots/" + plb_id, R"({"name":"X"})", token, "\"v1\"").status,
      412);
  EXPECT_EQ(
      call(Method::kPatch, path + "/lots/" + plb_id, R"({"code":"GO"})", token, "\"v2\"").status,
      409);
  auto lot_page = call(Method::kGet, path + "/lots?limit=1", {}, token);
  ASSERT_EQ(lot_page.status, 200);
  auto lp = body_of(lot_page);
  EXPECT_EQ(text(lp["items"].as_array()[0].as_object(), "id"), go_id);  // position 0, older
  ASSERT_TRUE(lp["next_cursor"].is_string());
  auto lot_page2 =
      call(Method::kGet,
           path + "/lots?limit=1&cursor=" + std::string(lp["next_cursor"].as_string()), {}, token);
  EXPECT_EQ(text(body_of(lot_page2)["items"].as_array()[0].as_object(), "id"), plb_id);
  EXPECT_EQ(call(Method::kGet, path + "/lots?cursor=garbage", {}, token).status, 422);
  EXPECT_EQ(call(Method::kGet, path + "/lots/" + go_id, {}, token).status, 200);

  // Milestones: within the project's dates, tied to one of its lots.
  auto hors_d_eau = call(Method::kPost, path + "/milestones",
                         json::serialize(json::object{{"name", "Hors d'eau"},
                                                      {"due_date", "2026-11-30"},
                                                      {"lot_id", go_id},
                                                      {"description", "Toiture posée"}}),
                         token);
  ASSERT_EQ(hors_d_eau.status, 201) << hors_d_eau.body;
  const std::string m_id = text(body_of(hors_d_eau), "id");
  EXPECT_EQ(hors_d_eau.headers.get("Location"), path + "/milestones/" + m_id);
  EXPECT_TRUE(body_of(hors_d_eau).at("reached_on").is_null());
  EXPECT_EQ(problem_fields(call(Method::kPost, path + "/milestones",
                                R"({"name":"Réception","due_date":"2027-07-01","lot_id":"nope"})",
                                token)),
            (std::set<std::string>{"due_date", "lot_id"}));
  EXPECT_EQ(problem_fields(call(Method::kPost, path + "/milestones",
                                R"({"due_date":"2026-02-30","reached_on":5})", token)),
            (std::set<std::string>{"name", "reached_on"}));
  EXPECT_EQ(
      problem_fields(call(Method::kPost, path + "/milestones",
                          R"({"name":"","due_date":"2026-02-30","reached_on":"hier"})", token)),
      (std::set<std::string>{"name", "due_date", "reached_on"}));
  auto reception = call(Method::kPost, path + "/milestones",
                        R"({"name":"Réception","due_date":"2027-06-30"})", token);
  ASSERT_EQ(reception.status, 201) << reception.body;
  const std::string r_id = text(body_of(reception), "id");
  EXPECT_EQ(listed_ids(token, "?limit=1", path + "/milestones"), std::vector<std::string>{m_id});
  EXPECT_EQ(listed_ids(token, {}, path + "/milestones"), (std::vector<std::string>{m_id, r_id}));

  auto reached = call(Method::kPatch, path + "/milestones/" + m_id,
                      R"({"reached_on":"2026-11-27","lot_id":null})", token, "\"v1\"");
  ASSERT_EQ(reached.status, 200) << reached.body;
  EXPECT_EQ(text(body_of(reached), "reached_on"), "2026-11-27");
  EXPECT_TRUE(body_of(reached).at("lot_id").is_null());
  EXPECT_EQ(
      call(Method::kPatch, path + "/milestones/" + m_id, R"({"name":"X"})", token, "\"v1\"").status,
      412);
  EXPECT_EQ(call(Method::kPatch, path + "/milestones/" + m_id, R"({"name":"X"})", token).status,
            428);
  EXPECT_EQ(problem_fields(call(Method::kPatch, path + "/milestones/" + m_id,
                                R"({"due_date":"2030-01-01"})", token, "\"v2\"")),
            std::set<std::string>{"due_date"});

  // Delete: 204, then 404; a stale If-Match on delete is 412.
  EXPECT_EQ(call(Method::kDelete, path + "/milestones/" + r_id, {}, token, "\"v9\"").status, 412);
  EXPECT_EQ(call(Method::kDelete, path + "/milestones/" + r_id, {}, token).status, 204);
  EXPECT_EQ(call(Method::kGet, path + "/milestones/" + r_id, {}, token).status, 404);
  EXPECT_EQ(call(Method::kDelete, path + "/lots/" + go_id, {}, token).status, 204);
  EXPECT_EQ(call(Method::kGet, path + "/lots/" + go_id, {}, token).status, 404);
  EXPECT_EQ(listed_ids(token, {}, path + "/lots"), std::vector<std::string>{plb_id});

  // An archived project is read-only, lots and milestones included.
  ASSERT_EQ(call(Method::kPost, path + "/archive", {}, token).status, 200);
  EXPECT_EQ(
      call(Method::kPost, path + "/lots", R"({"code":"ELEC","name":"Électricité"})", token).status,
      409);
  EXPECT_EQ(call(Method::kGet, path + "/milestones", {}, token).status, 200);
}

TEST_P(ProjectsHttpOnEachEngine, AnotherOrganisationSeesNothing) {
  const auto [org_a, token_a] = owner_of("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const auto [org_b, token_b] = owner_of("paul@plomberie-martin.fr", "Plomberie Martin");
  auto created = create(token_a, "RES-TILLEULS");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = text(body_of(created), "id");

  // Every route that names A's project answers 404 to B, as for an id that does not exist.
  EXPECT_EQ(call(Method::kGet, "/api/v1/projects/" + id, {}, token_b).status, 404);
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/projects/" + id, R"({"name":"X"})", token_b, "\"v1\"").status,
      404);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/projects/" + id, R"({"name":"X"})", token_b, "*").status,
            404);
  EXPECT_EQ(call(Method::kPost, "/api/v1/projects/" + id + "/archive", {}, token_b).status, 404);
  // B's lists never show it, whatever the filter; B may reuse the code in its own organisation.
  for (const std::string query :
       {"", "?q=tilleuls", "?status=draft", "?archived=true", "?cursor=0"}) {
    EXPECT_TRUE(listed_ids(token_b, query).empty()) << query;
  }
  auto b_project = create(token_b, "RES-TILLEULS");
  EXPECT_EQ(b_project.status, 201);
  const std::string b_id = text(body_of(b_project), "id");

  // A's participants, lots and milestones: every route answers 404 to B, whether it names A's
  // project or B's own project with A's ids, and never shows data.
  const std::string a_path = "/api/v1/projects/" + id;
  auto a_lot =
      call(Method::kPost, a_path + "/lots", R"({"code":"GO","name":"Gros œuvre"})", token_a);
  ASSERT_EQ(a_lot.status, 201) << a_lot.body;
  auto a_milestone = call(Method::kPost, a_path + "/milestones",
                          R"({"name":"Réception","due_date":"2027-06-30"})", token_a);
  ASSERT_EQ(a_milestone.status, 201) << a_milestone.body;
  auto a_participant = call(Method::kPost, a_path + "/participants",
                            R"({"company":{"name":"Plomberie Martin"},"role":"viewer"})", token_a);
  ASSERT_EQ(a_participant.status, 201) << a_participant.body;
  const std::string lot = text(body_of(a_lot), "id");
  const std::string milestone = text(body_of(a_milestone), "id");
  const std::string participant = text(body_of(a_participant), "id");
  const std::string b_user = user_ids_["paul@plomberie-martin.fr"];
  const std::string participant_body =
      json::serialize(json::object{{"user_id", b_user}, {"role", "manager"}});
  for (const std::string& project : {id, b_id}) {
    const std::string p = "/api/v1/projects/" + project;
    const struct {
      Method method;
      std::string path;
      std::string body;
    } routes[] = {
        {Method::kGet, p + "/participants/" + participant, {}},
        {Method::kPatch, p + "/participants/" + participant, R"({"role":"manager"})"},
        {Method::kDelete, p + "/participants/" + participant, {}},
        {Method::kGet, p + "/lots/" + lot, {}},
        {Method::kPatch, p + "/lots/" + lot, R"({"name":"X"})"},
        {Method::kDelete, p + "/lots/" + lot, {}},
        {Method::kGet, p + "/milestones/" + milestone, {}},
        {Method::kPatch, p + "/milestones/" + milestone, R"({"name":"X"})"},
        {Method::kDelete, p + "/milestones/" + milestone, {}},
    };
    for (const auto& route : routes) {
      auto r = call(route.method, route.path, route.body, token_b, "\"v1\"");
      EXPECT_EQ(r.status, 404) << http::method_name(route.method) << " " << route.path;
      EXPECT_EQ(r.body.find("Plomberie Martin"), std::string::npos) << r.body;
      EXPECT_EQ(r.body.find("Réception"), std::string::npos) << r.body;
    }
  }
  for (const auto& [method, path, body] : std::vector<std::tuple<Method, std::string, std::string>>{
           {Method::kGet, a_path + "/participants", {}},
           {Method::kPost, a_path + "/participants", participant_body},
           {Method::kGet, a_path + "/lots", {}},
           {Method::kPost, a_path + "/lots", R"({"code":"PLB","name":"Plomberie"})"},
           {Method::kGet, a_path + "/milestones", {}},
           {Method::kPost, a_path + "/milestones", R"({"name":"X","due_date":"2027-01-04"})"}}) {
    auto r = call(method, path, body, token_b);
    EXPECT_EQ(r.status, 404) << http::method_name(method) << " " << path << ": " << r.body;
    EXPECT_EQ(r.body.find("items"), std::string::npos) << r.body;
  }
  // A milestone of B cannot point at A's lot either.
  EXPECT_EQ(
      problem_fields(call(Method::kPost, "/api/v1/projects/" + b_id + "/milestones",
                          json::serialize(json::object{
                              {"name", "Réception"}, {"due_date", "2027-06-30"}, {"lot_id", lot}}),
                          token_b)),
      std::set<std::string>{"lot_id"});

  // A's children are untouched.
  EXPECT_EQ(listed_ids(token_a, {}, a_path + "/lots"), std::vector<std::string>{lot});
  EXPECT_EQ(listed_ids(token_a, {}, a_path + "/milestones"), std::vector<std::string>{milestone});
  EXPECT_EQ(listed_ids(token_a, {}, a_path + "/participants").size(), 2u);

  // And A's project is untouched.
  auto got = call(Method::kGet, "/api/v1/projects/" + id, {}, token_a);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.headers.get("ETag"), "\"v1\"");
  EXPECT_TRUE(body_of(got)["archived_at"].is_null());
  EXPECT_EQ(listed_ids(token_a), std::vector<std::string>{id});
}

INSTANTIATE_TEST_SUITE_P(Backends, ProjectsHttpOnEachEngine,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::projects
