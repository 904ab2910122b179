// Projects as a client sees them: the whole platform on an ephemeral port, spoken to over HTTP.
// One scenario walks the API (create, read, patch with If-Match, the state machine, paging,
// archive); the cross-tenant test checks that another organisation sees nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

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

  // Signs up (making an organisation) and returns {org_id, access token}.
  std::pair<std::string, std::string> owner_of(const std::string& email, const std::string& org) {
    auto r = send(
        Method::kPost, "/api/v1/auth/register",
        json::serialize(json::object{
            {"email", email}, {"password", kPassword}, {"name", "Jeanne Chef"}, {"org_name", org}}),
        "");
    EXPECT_EQ(r.status, 201) << r.body;
    return {text(body_of(r), "org_id"), token_of(email)};
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

  std::vector<std::string> listed_ids(const std::string& token, const std::string& query = {}) {
    auto r = call(Method::kGet, "/api/v1/projects" + query, {}, token);
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

TEST_F(ProjectsHttpTest, GuestsReadButCannotWrite) {
  const auto [org, owner] = owner_of("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto created = create(owner, "RES-TILLEULS");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = text(body_of(created), "id");

  auto invited = call(Method::kPost, "/api/v1/orgs/" + org + "/invitations",
                      R"({"email":"archi@cabinet.fr","role":"guest"})", owner);
  ASSERT_EQ(invited.status, 201) << invited.body;
  owner_of("archi@cabinet.fr", "Cabinet Archi");
  auto accepted = call(Method::kPost, "/api/v1/invitations/accept",
                       json::serialize(json::object{{"token", text(body_of(invited), "token")}}),
                       token_of("archi@cabinet.fr"));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const std::string guest = token_of("archi@cabinet.fr", org);

  EXPECT_EQ(call(Method::kGet, "/api/v1/projects/" + id, {}, guest).status, 200);
  EXPECT_EQ(listed_ids(guest), std::vector<std::string>{id});
  EXPECT_EQ(create(guest, "OTHER").status, 403);
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/projects/" + id, R"({"name":"X"})", guest, "\"v1\"").status,
      403);
  EXPECT_EQ(call(Method::kPost, "/api/v1/projects/" + id + "/archive", {}, guest).status, 403);
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
  EXPECT_EQ(create(token_b, "RES-TILLEULS").status, 201);

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
