// The documents service as a client sees it: the whole platform on an ephemeral port, raw and
// multipart/form-data bodies uploaded and downloaded over HTTP, projects made through the projects
// routes and learnt by the documents service from their events. Each scenario runs on SQLite and on
// PostgreSQL.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <thread>

#include "atelier/blob/sha256.hpp"
#include "atelier/events/cloud_event.hpp"
#include "documents/adapters/routes.hpp"
#include "documents/app/documents.hpp"
#include "platform_http.hpp"
#include "samples.hpp"

namespace atelier::documents {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";
const std::string kPng =
    std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(100, '\x01');

class DocumentsHttpTest : public ::atelier::app::testing::PlatformHttpTest,
                          public ::testing::WithParamInterface<db::Kind> {
 protected:
  bool on_postgres() const override { return GetParam() == db::Kind::kPostgres; }
  void configure(Config& config) const override { config.documents_quota_bytes = 1'000'000; }

  DocumentsService& service() {
    auto* s = static_cast<DocumentsService*>(platform_->service("documents").get());
    EXPECT_NE(s, nullptr);
    return *s;
  }

  http::ClientResponse call(Method method, const std::string& path, const std::string& body,
                            const std::string& token, http::Headers headers = {}) {
    if (!body.empty() && !headers.contains("Content-Type")) {
      headers.set("Content-Type", "application/json");
    }
    if (!token.empty()) {
      headers.set("Authorization", "Bearer " + token);
    }
    auto r = client_.request(method, platform_->url() + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  http::ClientResponse upload(const std::string& token, const std::string& bytes,
                              const std::string& query,
                              const std::string& content_type = "application/octet-stream") {
    http::Headers headers;
    headers.set("Content-Type", content_type);
    return call(Method::kPost, "/api/v1/documents?" + query, bytes, token, headers);
  }

  static constexpr std::string_view kBoundary = "----AtelierFormBoundary7MA4YWxkTrZu0gW";

  // A multipart/form-data body: the text parts, then the file part when `file_params` is set
  // (`filename="..."` and the like).
  static std::string form(const std::vector<std::pair<std::string, std::string>>& texts,
                          const std::string& file_params = {}, const std::string& bytes = {}) {
    std::string body;
    for (const auto& [name, value] : texts) {
      body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    }
    if (!file_params.empty()) {
      body += "--" + std::string(kBoundary) +
              "\r\nContent-Disposition: form-data; name=\"file\"; " + file_params +
              "\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
    }
    return body;
  }
  static std::string closed(std::string body) {
    return body + "--" + std::string(kBoundary) + "--\r\n";
  }

  http::ClientResponse post_form(const std::string& path, const std::string& token,
                                 const std::string& body) {
    http::Headers headers;
    headers.set("Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary));
    return call(Method::kPost, path, body, token, headers);
  }

  http::ClientResponse get(const std::string& path, const std::string& token,
                           http::Headers headers = {}) {
    return call(Method::kGet, path, {}, token, std::move(headers));
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

  Account sign_up(const std::string& email, const std::string& org) {
    auto r = call(
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
    auto r = call(Method::kPost, "/api/v1/auth/login", json::serialize(request), "");
    EXPECT_EQ(r.status, 200) << r.body;
    return text(body_of(r), "access_token");
  }

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

  std::string project(const Account& owner, const std::string& code) {
    auto r = call(Method::kPost, "/api/v1/projects",
                  json::serialize(json::object{{"code", code},
                                               {"name", "Résidence Les Tilleuls"},
                                               {"start_date", "2026-03-02"},
                                               {"end_date", "2027-06-30"}}),
                  owner.token);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = text(body_of(r), "id");
    EXPECT_TRUE(service().wait_for_project(owner.org_id, id));
    return id;
  }

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
    auto outcome = service().deliver(event);
    ASSERT_TRUE(outcome) << outcome.error().message;
  }

  std::string uploaded_id(const std::string& token, const std::string& bytes,
                          const std::string& query) {
    auto r = upload(token, bytes, query);
    EXPECT_EQ(r.status, 201) << r.body;
    return text(body_of(r), "id");
  }

  // Polls the OCR status of a document until it is done or failed (or a minute passes).
  json::object ocr_of(const std::string& token, const std::string& id) {
    json::object status;
    for (int i = 0; i < 1200; ++i) {
      auto r = get("/api/v1/documents/" + id + "/ocr", token);
      EXPECT_EQ(r.status, 200) << r.body;
      status = body_of(r);
      const std::string state = text(status, "status");
      if (state == "done" || state == "failed" || r.status != 200) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return status;
  }

  static std::string string_of(const std::vector<std::byte>& bytes) {
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

  // A scanned PDF (no text layer), one line per page.
  static std::string samples_of(const std::vector<std::string>& lines) {
    std::vector<ocr::samples::Sheet> sheets;
    for (const auto& line : lines) {
      sheets.push_back(ocr::samples::small_sheet({line}));
    }
    return string_of(ocr::samples::scanned_pdf(sheets));
  }

  fs::path documents_dir() const { return dir_ / "data" / "documents"; }

  size_t blob_files() const {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(documents_dir() / "blobs")) {
      n += e.is_regular_file() && e.path().parent_path().filename() != "tmp" ? 1 : 0;
    }
    return n;
  }

  size_t upload_files() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(documents_dir() / "uploads")) {
      ++n;
    }
    return n;
  }
};

TEST_P(DocumentsHttpTest, UploadThenDownloadTheSameBytes) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  std::string bytes = "Compte rendu de réunion de chantier n°12\n";
  for (int i = 0; i < 2000; ++i) {
    bytes += "Ligne " + std::to_string(i) + ": béton coulé, ferraillage contrôlé.\n";
  }
  auto created = upload(owner.token, bytes, "name=CR%2012.txt&folder=R%C3%A9unions&tags=cr,lot-1");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto doc = body_of(created);
  EXPECT_EQ(text(doc, "name"), "CR 12.txt");
  EXPECT_EQ(text(doc, "sha256"), blob::Sha256::hex_of(bytes));
  EXPECT_EQ(doc.at("size").as_int64(), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(text(doc, "content_type"), "text/plain; charset=utf-8");
  EXPECT_EQ(doc.at("version").as_int64(), 1);
  EXPECT_EQ(text(doc, "folder"), "Réunions");
  EXPECT_EQ(doc.at("tags").as_array().size(), 2u);
  EXPECT_EQ(text(doc, "created_by"), owner.user_id);
  EXPECT_EQ(text(doc, "ocr_status"), "none");
  EXPECT_FALSE(created.headers.get("ETag").empty());
  const std::string id = text(doc, "id");

  auto content = get("/api/v1/documents/" + id + "/content", owner.token);
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.body, bytes);
  EXPECT_EQ(blob::Sha256::hex_of(content.body), text(doc, "sha256"));
  EXPECT_EQ(content.headers.get("ETag"), "\"" + text(doc, "sha256") + "\"");
  EXPECT_EQ(content.headers.get("Accept-Ranges"), "bytes");
  EXPECT_NE(content.headers.get("Content-Disposition").find("filename*=UTF-8''CR%2012.txt"),
            std::string_view::npos);

  auto meta = get("/api/v1/documents/" + id, owner.token);
  ASSERT_EQ(meta.status, 200);
  EXPECT_EQ(text(body_of(meta), "sha256"), text(doc, "sha256"));
  EXPECT_EQ(upload_files(), 0u);  // the temporary upload went once stored
}

TEST_P(DocumentsHttpTest, NameFromContentDispositionAndRequiredOtherwise) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  http::Headers headers;
  headers.set("Content-Disposition", "attachment; filename*=UTF-8''devis%20b%C3%A9ton.pdf");
  headers.set("Content-Type", "application/pdf");
  auto r = call(Method::kPost, "/api/v1/documents", "%PDF-1.7\n%%EOF\n", owner.token, headers);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(text(body_of(r), "name"), "devis béton.pdf");
  EXPECT_EQ(text(body_of(r), "content_type"), "application/pdf");
  auto unnamed = upload(owner.token, "x", "");
  EXPECT_EQ(unnamed.status, 422);
  auto bad_name = upload(owner.token, "x", "name=..%2Fetc%2Fpasswd");
  EXPECT_EQ(bad_name.status, 422);
}

TEST_P(DocumentsHttpTest, MultipartUploadThenDownloadTheSameBytes) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string project_id = project(owner, "TIL-01");
  // Binary bytes with line breaks and boundary look-alikes in them.
  std::string bytes;
  uint32_t state = 12345;
  for (int i = 0; i < 200'000; ++i) {
    state = state * 1103515245 + 12345;
    bytes += static_cast<char>(state >> 24);
    if (i % 9973 == 0) {
      bytes += "\r\n--" + std::string(kBoundary).substr(0, 20) + "\r\n";
    }
  }
  const std::string body =
      closed(form({{"project_id", project_id},
                   {"folder", "Réunions"},
                   {"tags", "cr"},
                   {"tags", "lot-1, lot-2"},
                   {"task_id", ""}},
                  "filename=\"cr.bin\"; filename*=UTF-8''compte%20rendu%20n%C2%B012.bin", bytes));
  auto created = post_form("/api/v1/documents", owner.token, body);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto doc = body_of(created);
  EXPECT_EQ(text(doc, "name"), "compte rendu n°12.bin");
  EXPECT_EQ(text(doc, "sha256"), blob::Sha256::hex_of(bytes));  // of the file, not of the form
  EXPECT_EQ(doc.at("size").as_int64(), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(text(doc, "project_id"), project_id);
  EXPECT_TRUE(doc.at("task_id").is_null());
  EXPECT_EQ(text(doc, "folder"), "Réunions");
  EXPECT_EQ(doc.at("tags").as_array().size(), 3u);
  const std::string id = text(doc, "id");

  auto content = get("/api/v1/documents/" + id + "/content", owner.token);
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(blob::Sha256::hex_of(content.body), blob::Sha256::hex_of(bytes));
  EXPECT_EQ(content.body.size(), bytes.size());
  EXPECT_EQ(upload_files(), 0u);  // neither the body nor the file part is left behind

  // A new version through multipart; ?name= wins over the part's filename.
  const std::string v2_bytes = "compte rendu, version corrigée\r\n";
  auto v2 = post_form("/api/v1/documents/" + id + "/versions", owner.token,
                      closed(form({}, "filename=\"cr-v2.txt\"", v2_bytes)));
  ASSERT_EQ(v2.status, 201) << v2.body;
  EXPECT_EQ(body_of(v2).at("version").as_int64(), 2);
  EXPECT_EQ(text(body_of(v2), "name"), "cr-v2.txt");
  EXPECT_EQ(text(body_of(v2), "sha256"), blob::Sha256::hex_of(v2_bytes));
  EXPECT_EQ(get("/api/v1/documents/" + id + "/content", owner.token).body, v2_bytes);
  auto named = post_form("/api/v1/documents?name=choisi.txt", owner.token,
                         closed(form({}, "filename=\"ignored.txt\"", "x")));
  ASSERT_EQ(named.status, 201) << named.body;
  EXPECT_EQ(text(body_of(named), "name"), "choisi.txt");

  // What is refused, and why.
  auto cut = post_form("/api/v1/documents", owner.token, form({}, "filename=\"a.txt\"", "abc"));
  EXPECT_EQ(cut.status, 400) << cut.body;
  EXPECT_NE(text(body_of(cut), "detail").find("closing boundary"), std::string::npos) << cut.body;
  auto two =
      post_form("/api/v1/documents", owner.token,
                closed(form({}, "filename=\"a.txt\"", "a") + form({}, "filename=\"b.txt\"", "b")));
  EXPECT_EQ(two.status, 422) << two.body;
  EXPECT_NE(text(body_of(two), "detail").find("One file per upload"), std::string::npos);
  auto no_file =
      post_form("/api/v1/documents?name=x.txt", owner.token, closed(form({{"folder", "Divers"}})));
  EXPECT_EQ(no_file.status, 422) << no_file.body;
  auto unknown = post_form("/api/v1/documents", owner.token,
                           closed(form({{"colour", "red"}}, "filename=\"a.txt\"", "a")));
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  auto version_fields = post_form("/api/v1/documents/" + id + "/versions", owner.token,
                                  closed(form({{"folder", "x"}}, "filename=\"a.txt\"", "a")));
  EXPECT_EQ(version_fields.status, 422) << version_fields.body;
  http::Headers no_boundary;
  no_boundary.set("Content-Type", "multipart/form-data");
  EXPECT_EQ(call(Method::kPost, "/api/v1/documents", body, owner.token, no_boundary).status, 400);
  EXPECT_EQ(upload_files(), 0u);
  EXPECT_EQ(body_of(get("/api/v1/documents", owner.token)).at("items").as_array().size(), 2u);
}

TEST_P(DocumentsHttpTest, ContentTypeIsSniffedNotTrusted) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto r = upload(owner.token, kPng, "name=photo.txt", "text/plain");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(text(body_of(r), "content_type"), "image/png");
  auto content = get("/api/v1/documents/" + text(body_of(r), "id") + "/content", owner.token);
  EXPECT_EQ(content.headers.get("Content-Type"), "image/png");
  EXPECT_EQ(content.headers.get("X-Content-Type-Options"), "nosniff");
}

TEST_P(DocumentsHttpTest, RangeRequests) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  std::string bytes;
  for (int i = 0; i < 1000; ++i) {
    bytes += static_cast<char>('a' + i % 26);
  }
  const std::string id = uploaded_id(owner.token, bytes, "name=a.txt");
  const std::string path = "/api/v1/documents/" + id + "/content";
  auto with = [](const char* name, const std::string& value) {
    http::Headers h;
    h.set(name, value);
    return h;
  };
  auto suffix = get(path, owner.token, with("Range", "bytes=-500"));
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, bytes.substr(500));
  EXPECT_EQ(suffix.headers.get("Content-Range"), "bytes 500-999/1000");

  auto open = get(path, owner.token, with("Range", "bytes=100-"));
  EXPECT_EQ(open.status, 206);
  EXPECT_EQ(open.body, bytes.substr(100));

  auto first = get(path, owner.token, with("Range", "bytes=0-0"));
  EXPECT_EQ(first.status, 206);
  EXPECT_EQ(first.body, "a");

  auto beyond = get(path, owner.token, with("Range", "bytes=1000-2000"));
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(beyond.headers.get("Content-Range"), "bytes */1000");

  const std::string etag(get(path, owner.token).headers.get("ETag"));
  auto cached = get(path, owner.token, with("If-None-Match", etag));
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());

  http::Headers stale;
  stale.set("Range", "bytes=0-9");
  stale.set("If-Range", "\"another\"");
  auto whole = get(path, owner.token, stale);
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, bytes);
}

TEST_P(DocumentsHttpTest, VersionsKeepTheHistoryAndRestoreMakesANewOne) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string id = uploaded_id(owner.token, "plan indice A", "name=plan.txt");
  http::Headers headers;
  headers.set("Content-Type", "text/plain");
  auto v2 = call(Method::kPost, "/api/v1/documents/" + id + "/versions?name=plan-B.txt",
                 "plan indice B", owner.token, headers);
  ASSERT_EQ(v2.status, 201) << v2.body;
  EXPECT_EQ(body_of(v2).at("version").as_int64(), 2);
  EXPECT_EQ(text(body_of(v2), "name"), "plan-B.txt");
  EXPECT_EQ(get("/api/v1/documents/" + id + "/content", owner.token).body, "plan indice B");
  EXPECT_EQ(get("/api/v1/documents/" + id + "/versions/1/content", owner.token).body,
            "plan indice A");

  auto restored =
      call(Method::kPost, "/api/v1/documents/" + id + "/versions/1/restore", "", owner.token);
  ASSERT_EQ(restored.status, 201) << restored.body;
  EXPECT_EQ(body_of(restored).at("version").as_int64(), 3);
  EXPECT_EQ(text(body_of(restored), "sha256"), blob::Sha256::hex_of("plan indice A"));
  EXPECT_EQ(get("/api/v1/documents/" + id + "/content", owner.token).body, "plan indice A");

  auto versions = get("/api/v1/documents/" + id + "/versions", owner.token);
  ASSERT_EQ(versions.status, 200);
  const auto items = body_of(versions).at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("number").as_int64(), 3);
  EXPECT_EQ(items[2].at("number").as_int64(), 1);
  EXPECT_EQ(get("/api/v1/documents/" + id + "/versions/9/content", owner.token).status, 404);
  EXPECT_EQ(get("/api/v1/documents/" + id + "/versions/x/content", owner.token).status, 404);
  EXPECT_EQ(blob_files(), 2u);  // A and B, once each
}

TEST_P(DocumentsHttpTest, PatchIsAMergePatchWithIfMatch) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto created = upload(owner.token, "devis", "name=devis.txt");
  const std::string id = text(body_of(created), "id");
  const std::string etag(created.headers.get("ETag"));
  http::Headers stale;
  stale.set("If-Match", "\"v99\"");
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/documents/" + id, R"({"name":"x.txt"})", owner.token, stale)
          .status,
      412);
  http::Headers fresh;
  fresh.set("If-Match", etag);
  auto patched =
      call(Method::kPatch, "/api/v1/documents/" + id,
           R"({"name":"devis-signé.txt","folder":"Marchés","tags":["signé"]})", owner.token, fresh);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(text(body_of(patched), "name"), "devis-signé.txt");
  EXPECT_NE(patched.headers.get("ETag"), etag);
  EXPECT_EQ(
      call(Method::kPatch, "/api/v1/documents/" + id, R"({"colour":"red"})", owner.token).status,
      422);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/documents/" + id, "not json", owner.token).status, 400);

  uploaded_id(owner.token, "autre", "name=autre.txt&folder=Divers");
  auto by_tag = get("/api/v1/documents?tag=sign%C3%A9", owner.token);
  ASSERT_EQ(by_tag.status, 200);
  ASSERT_EQ(body_of(by_tag).at("items").as_array().size(), 1u);
  EXPECT_EQ(
      body_of(get("/api/v1/documents?folder=Divers", owner.token)).at("items").as_array().size(),
      1u);
  EXPECT_EQ(body_of(get("/api/v1/documents?q=DEVIS", owner.token)).at("items").as_array().size(),
            1u);
  EXPECT_EQ(body_of(get("/api/v1/documents?q=%25", owner.token)).at("items").as_array().size(), 0u);
}

TEST_P(DocumentsHttpTest, SearchFindsDocumentsByNameWithinTheCallersScope) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const Account other = sign_up("paul@batiments-nord.fr", "Bâtiments du Nord");
  const Account stranger = invite(owner, "bet@structure.fr", "guest");
  const std::string wanted =
      uploaded_id(owner.token, "x", "name=Devis%20ma%C3%A7onnerie%20lot%203.pdf");
  uploaded_id(owner.token, "y", "name=Planning%20g%C3%A9n%C3%A9ral.txt");
  uploaded_id(other.token, "z", "name=Devis%20charpente.pdf");

  auto found = get("/api/v1/documents/search?q=devis", owner.token);
  ASSERT_EQ(found.status, 200) << found.body;
  const auto items = body_of(found).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_string(), wanted);
  EXPECT_NE(std::string(items[0].at("snippet").as_string()).find("<mark>"), std::string::npos);
  EXPECT_EQ(body_of(get("/api/v1/documents/search?q=ma%C3%A7onnerie", owner.token))
                .at("items")
                .as_array()
                .size(),
            1u);
  // FTS syntax in the words is taken literally, never as an operator.
  EXPECT_EQ(get("/api/v1/documents/search?q=%22devis%20OR%20NEAR(", owner.token).status, 200);
  EXPECT_EQ(get("/api/v1/documents/search?q=", owner.token).status, 422);
  // Renaming re-indexes; deleting hides.
  EXPECT_EQ(call(Method::kPatch, "/api/v1/documents/" + wanted, R"({"name":"Offre charpente.pdf"})",
                 owner.token)
                .status,
            200);
  EXPECT_EQ(
      body_of(get("/api/v1/documents/search?q=devis", owner.token)).at("items").as_array().size(),
      0u);
  EXPECT_EQ(body_of(get("/api/v1/documents/search?q=charpente", owner.token))
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(body_of(get("/api/v1/documents/search?q=charpente", stranger.token))
                .at("items")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(call(Method::kDelete, "/api/v1/documents/" + wanted, "", owner.token).status, 204);
  EXPECT_EQ(body_of(get("/api/v1/documents/search?q=charpente", owner.token))
                .at("items")
                .as_array()
                .size(),
            0u);
}

TEST_P(DocumentsHttpTest, SearchFoldsAccentsInNamesAndInQueries) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string receipt =
      uploaded_id(owner.token, "x", "name=R%C3%A9c%C3%A9piss%C3%A9%20b%C3%A9ton%20arm%C3%A9.txt");
  const std::string invoice = uploaded_id(owner.token, "y", "name=Facture%20electricite.txt");
  auto ids_of = [&](const std::string& q) {
    auto r = get("/api/v1/documents/search?q=" + q, owner.token);
    EXPECT_EQ(r.status, 200) << r.body;
    const json::object body = body_of(r);
    std::vector<std::string> ids;
    for (const auto& item : body.at("items").as_array()) {
      ids.emplace_back(item.at("id").as_string());
    }
    return ids;
  };
  using Ids = std::vector<std::string>;

  // Without accents, the accented name; with them, the same; and an accent in the query finds
  // the spelling without.
  EXPECT_EQ(ids_of("recepisse%20beton"), Ids{receipt});
  EXPECT_EQ(ids_of("b%C3%A9ton"), Ids{receipt});
  EXPECT_EQ(ids_of("B%C3%89TON%20arme"), Ids{receipt});
  EXPECT_EQ(ids_of("%C3%A9lectricit%C3%A9"), Ids{invoice});
  EXPECT_EQ(ids_of("facture%20%C3%A9lectricit%C3%A9"), Ids{invoice});
  // The snippet keeps the name as written and marks the word found.
  const auto hits = body_of(get("/api/v1/documents/search?q=beton", owner.token)).at("items");
  ASSERT_EQ(hits.as_array().size(), 1u);
  const std::string snippet(hits.as_array()[0].at("snippet").as_string());
  EXPECT_NE(snippet.find("<mark>béton</mark>"), std::string::npos) << snippet;
}

TEST_P(DocumentsHttpTest, ShareLinksExpireCanBeRevokedAndTakePasswords) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  ManualClock clock(SystemClock::instance().now());
  service().documents().set_clock(clock);
  const std::string id = uploaded_id(owner.token, "plan indice A", "name=plan.txt");
  http::Headers text_body;
  text_body.set("Content-Type", "text/plain");
  ASSERT_EQ(call(Method::kPost, "/api/v1/documents/" + id + "/versions", "plan indice B",
                 owner.token, text_body)
                .status,
            201);
  const std::string shares = "/api/v1/documents/" + id + "/shares";
  EXPECT_EQ(call(Method::kPost, shares, R"({"expires_in":2678400})", owner.token).status, 422);
  EXPECT_EQ(call(Method::kPost, shares, R"({})", owner.token).status, 422);

  auto created = call(Method::kPost, shares, R"({"expires_in":3600,"version":1})", owner.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string url = text(body_of(created), "url");
  ASSERT_TRUE(url.starts_with("/s/"));
  // No account needed; the pinned version is served, with ranges.
  auto shared = get(url, "");
  ASSERT_EQ(shared.status, 200) << shared.body;
  EXPECT_EQ(shared.body, "plan indice A");
  http::Headers range;
  range.set("Range", "bytes=-8");
  auto part = get(url, "", range);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, "indice A");
  EXPECT_EQ(get("/s/not-a-token", "").status, 404);

  // Expiry.
  clock.advance(std::chrono::seconds(3601));
  EXPECT_EQ(get(url, "").status, 410);

  // Revocation.
  auto second = call(Method::kPost, shares, R"({"expires_in":3600})", owner.token);
  ASSERT_EQ(second.status, 201);
  const std::string second_url = text(body_of(second), "url");
  EXPECT_EQ(get(second_url, "").body, "plan indice B");
  auto listed = body_of(get(shares, owner.token)).at("items").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].as_object().if_contains("token"), nullptr);
  EXPECT_EQ(
      call(Method::kDelete, shares + "/" + text(body_of(second), "id"), "", owner.token).status,
      204);
  EXPECT_EQ(get(second_url, "").status, 404);

  // Password, checked with argon2id and throttled.
  auto locked =
      call(Method::kPost, shares, R"({"expires_in":3600,"password":"Tilleuls-2026"})", owner.token);
  ASSERT_EQ(locked.status, 201);
  const std::string locked_url = text(body_of(locked), "url");
  auto challenge = get(locked_url, "");
  EXPECT_EQ(challenge.status, 401);
  EXPECT_NE(challenge.headers.get("WWW-Authenticate").find("Basic"), std::string_view::npos);
  auto basic = [](const std::string& password) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = "x:" + password;
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                         (static_cast<unsigned char>(in[i + 1]) << 8) |
                         static_cast<unsigned char>(in[i + 2]);
      out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
              kAlphabet[n & 63]};
    }
    if (i + 1 == in.size()) {
      const unsigned n = static_cast<unsigned char>(in[i]) << 16;
      out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
      const unsigned n =
          (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
      out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
    }
    http::Headers h;
    h.set("Authorization", "Basic " + out);
    return h;
  };
  EXPECT_EQ(get(locked_url, "", basic("Tilleuls-2026")).body, "plan indice B");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(get(locked_url, "", basic("wrong")).status, 401);
  }
  auto throttled = get(locked_url, "", basic("Tilleuls-2026"));
  EXPECT_EQ(throttled.status, 429);
  EXPECT_FALSE(throttled.headers.get("Retry-After").empty());
  clock.advance(std::chrono::minutes(6));
  EXPECT_EQ(get(locked_url, "", basic("Tilleuls-2026")).status, 200);
}

TEST_P(DocumentsHttpTest, OcrReadsPdfsAndImagesAndFeedsSearchAndEntities) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const auto sheet = ocr::samples::small_sheet(ocr::samples::french_lines());
  auto created = upload(owner.token, string_of(ocr::samples::text_pdf({sheet})), "name=pv.pdf");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(text(body_of(created), "ocr_status"), "queued");
  const std::string id = text(body_of(created), "id");

  const json::object status = ocr_of(owner.token, id);
  ASSERT_EQ(text(status, "status"), "done") << json::serialize(status);
  EXPECT_EQ(status.at("page_count").as_int64(), 1);
  EXPECT_EQ(status.at("pages_done").as_int64(), 1);
  const auto& pages = status.at("pages").as_array();
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].at("number").as_int64(), 1);
  EXPECT_EQ(pages[0].at("status").as_string(), "done");
  EXPECT_NE(std::string(pages[0].at("text").as_string()).find("réceptionne"), std::string::npos);
  EXPECT_FALSE(pages[0].at("words").as_array().empty());
  EXPECT_EQ(text(body_of(get("/api/v1/documents/" + id, owner.token)), "ocr_status"), "done");

  const auto entities = body_of(get("/api/v1/documents/" + id + "/entities", owner.token));
  bool date = false;
  bool amount = false;
  for (const auto& e : entities.at("items").as_array()) {
    date = date || (e.at("kind") == "date" && e.at("value") == "2025-03-12");
    amount = amount || (e.at("kind") == "amount" && e.as_object().contains("amount_minor") &&
                        e.at("amount_minor").as_int64() == 123456);
  }
  EXPECT_TRUE(date) << json::serialize(entities);
  EXPECT_TRUE(amount) << json::serialize(entities);

  // The text feeds the search index.
  auto found =
      body_of(get("/api/v1/documents/search?q=chantier", owner.token)).at("items").as_array();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("id").as_string(), id);

  // A file the reader cannot read fails with its message; the worker goes on.
  auto broken = upload(owner.token, "%PDF-1.7\nnot really a pdf", "name=broken.pdf");
  ASSERT_EQ(broken.status, 201);
  const json::object failed = ocr_of(owner.token, text(body_of(broken), "id"));
  EXPECT_EQ(text(failed, "status"), "failed");
  EXPECT_FALSE(text(failed, "error").empty());

  auto image = upload(owner.token, string_of(ocr::samples::png(sheet)), "name=scan.png");
  ASSERT_EQ(image.status, 201);
  const json::object read = ocr_of(owner.token, text(body_of(image), "id"));
  ASSERT_EQ(text(read, "status"), "done") << json::serialize(read);
  EXPECT_NE(std::string(read.at("pages").as_array()[0].at("text").as_string()).find("chantier"),
            std::string::npos);

  // A scanned PDF of several pages: once read, every page is done, with its text.
  const auto scan = samples_of({"Compte rendu de chantier, première page",
                                "Réserves levées sur le lot peinture, deuxième page",
                                "Signatures et visas, troisième page"});
  auto scanned = upload(owner.token, scan, "name=cr-scan.pdf");
  ASSERT_EQ(scanned.status, 201) << scanned.body;
  const json::object scanned_ocr = ocr_of(owner.token, text(body_of(scanned), "id"));
  ASSERT_EQ(text(scanned_ocr, "status"), "done") << json::serialize(scanned_ocr);
  EXPECT_EQ(scanned_ocr.at("page_count").as_int64(), 3);
  const auto& scanned_pages = scanned_ocr.at("pages").as_array();
  ASSERT_EQ(scanned_pages.size(), 3u);
  for (size_t i = 0; i < scanned_pages.size(); ++i) {
    const auto& page = scanned_pages[i].as_object();
    EXPECT_EQ(page.at("number").as_int64(), static_cast<int64_t>(i) + 1);
    EXPECT_EQ(page.at("status").as_string(), "done");
    EXPECT_FALSE(page.at("from_text_layer").as_bool());
    EXPECT_FALSE(page.at("text").as_string().empty());
  }
  EXPECT_NE(std::string(scanned_pages[1].at("text").as_string()).find("peinture"),
            std::string::npos);

  // Plain text is not read.
  const std::string plain = uploaded_id(owner.token, "notes", "name=notes.txt");
  EXPECT_EQ(text(body_of(get("/api/v1/documents/" + plain + "/ocr", owner.token)), "status"),
            "none");
}

TEST_P(DocumentsHttpTest, ListsArePaginated) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  for (int i = 0; i < 3; ++i) {
    uploaded_id(owner.token, "doc " + std::to_string(i), "name=doc" + std::to_string(i) + ".txt");
  }
  auto first = body_of(get("/api/v1/documents?limit=2", owner.token));
  ASSERT_EQ(first.at("items").as_array().size(), 2u);
  ASSERT_TRUE(first.at("next_cursor").is_string());
  auto second = body_of(
      get("/api/v1/documents?limit=2&cursor=" + std::string(first.at("next_cursor").as_string()),
          owner.token));
  EXPECT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_TRUE(second.at("next_cursor").is_null());
  EXPECT_EQ(get("/api/v1/documents?limit=0", owner.token).status, 422);
}

TEST_P(DocumentsHttpTest, QuotaRefusesWhatWouldNotFit) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  ASSERT_EQ(upload(owner.token, std::string(600'000, 'a'), "name=a.txt").status, 201);
  auto refused = upload(owner.token, std::string(600'000, 'b'), "name=b.txt");
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_EQ(refused.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(text(body_of(refused), "detail").find("quota"), std::string::npos);
  EXPECT_EQ(blob_files(), 1u);  // the refused bytes were not kept
  EXPECT_EQ(body_of(get("/api/v1/documents", owner.token)).at("items").as_array().size(), 1u);
}

TEST_P(DocumentsHttpTest, SoftDeleteRestoreAndPurgeAfterRetention) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  ManualClock clock(SystemClock::instance().now());
  service().documents().set_clock(clock);
  const std::string id = uploaded_id(owner.token, "PV de réception", "name=pv.txt");
  EXPECT_EQ(call(Method::kDelete, "/api/v1/documents/" + id, "", owner.token).status, 204);
  EXPECT_EQ(get("/api/v1/documents/" + id, owner.token).status, 404);
  EXPECT_EQ(get("/api/v1/documents/" + id + "/content", owner.token).status, 404);
  EXPECT_EQ(body_of(get("/api/v1/documents", owner.token)).at("items").as_array().size(), 0u);

  clock.advance(std::chrono::hours(24 * 29));
  auto purged = service().documents().purge_expired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(purged->documents, 0u);
  auto restored = call(Method::kPost, "/api/v1/documents/" + id + "/restore", "", owner.token);
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(get("/api/v1/documents/" + id + "/content", owner.token).body, "PV de réception");

  EXPECT_EQ(call(Method::kDelete, "/api/v1/documents/" + id, "", owner.token).status, 204);
  clock.advance(std::chrono::hours(24 * 31));
  EXPECT_EQ(call(Method::kPost, "/api/v1/documents/" + id + "/restore", "", owner.token).status,
            410);
  purged = service().documents().purge_expired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(purged->documents, 1u);
  EXPECT_EQ(purged->blobs, 1u);
  EXPECT_EQ(blob_files(), 0u);
  EXPECT_EQ(call(Method::kPost, "/api/v1/documents/" + id + "/restore", "", owner.token).status,
            404);
}

TEST_P(DocumentsHttpTest, PurgeKeepsBlobsOtherDocumentsStillUse) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  ManualClock clock(SystemClock::instance().now());
  service().documents().set_clock(clock);
  const std::string first = uploaded_id(owner.token, "même contenu", "name=a.txt");
  uploaded_id(owner.token, "même contenu", "name=b.txt");
  EXPECT_EQ(call(Method::kDelete, "/api/v1/documents/" + first, "", owner.token).status, 204);
  clock.advance(std::chrono::hours(24 * 31));
  auto purged = service().documents().purge_expired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(purged->documents, 1u);
  EXPECT_EQ(purged->blobs, 0u);
  EXPECT_EQ(blob_files(), 1u);
}

TEST_P(DocumentsHttpTest, ConcurrentUploadsOfTheSameBytesStoreOneBlob) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string bytes(50'000, 'c');
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      http::Headers headers;
      headers.set("Authorization", "Bearer " + owner.token);
      auto r = client_.request(Method::kPost,
                               platform_->url() + "/api/v1/documents?name=c" + std::to_string(i),
                               headers, bytes);
      if (r && r->status == 201) {
        ++created;
      } else {
        ADD_FAILURE() << (r ? std::to_string(r->status) + " " + r->body : r.error().message);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(created.load(), 4);
  EXPECT_EQ(blob_files(), 1u);
}

TEST_P(DocumentsHttpTest, InterruptedUploadLeavesNoDocumentAndNoBlob) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(platform_->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string head =
        "POST /api/v1/documents?name=cut.bin HTTP/1.1\r\nHost: x\r\n"
        "Authorization: Bearer " +
        owner.token + "\r\nContent-Length: 90000\r\n\r\n";
    const std::string part(30'000, 'p');
    ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(head.size()));
    ASSERT_EQ(::send(fd, part.data(), part.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(part.size()));
    for (int i = 0; i < 400 && upload_files() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(upload_files(), 1u);  // the partial body is on disk, not in memory
    ::close(fd);
  }
  for (int i = 0; i < 400 && upload_files() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(upload_files(), 0u);
  EXPECT_EQ(blob_files(), 0u);
  EXPECT_EQ(body_of(get("/api/v1/documents", owner.token)).at("items").as_array().size(), 0u);
}

TEST_P(DocumentsHttpTest, AnotherOrganisationSeesNothing) {
  const Account a = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const Account b = sign_up("paul@batiments-nord.fr", "Bâtiments du Nord");
  const std::string project_id = project(a, "TIL-01");
  const std::string id = uploaded_id(a.token, "secret", "name=s.txt&project_id=" + project_id);
  const std::string loose =
      uploaded_id(a.token, "secret 2", "name=Devis%20confidentiel%20Tilleuls.txt");
  for (const std::string& target : {id, loose}) {
    const std::string base = "/api/v1/documents/" + target;
    for (const auto& [method, path, body] :
         std::vector<std::tuple<Method, std::string, std::string>>{
             {Method::kGet, base, ""},
             {Method::kPatch, base, R"({"name":"x.txt"})"},
             {Method::kDelete, base, ""},
             {Method::kPost, base + "/restore", ""},
             {Method::kGet, base + "/content", ""},
             {Method::kPost, base + "/versions", "new"},
             {Method::kGet, base + "/versions", ""},
             {Method::kGet, base + "/versions/1/content", ""},
             {Method::kPost, base + "/versions/1/restore", ""},
             {Method::kPost, base + "/shares", R"({"expires_in":3600})"},
             {Method::kGet, base + "/shares", ""},
             {Method::kDelete, base + "/shares/" + target, ""},
             {Method::kGet, base + "/ocr", ""},
             {Method::kGet, base + "/entities", ""},
         }) {
      auto r = call(method, path, body, b.token);
      EXPECT_EQ(r.status, 404) << method_name(method) << " " << path << " " << r.body;
      EXPECT_EQ(r.body.find("secret"), std::string::npos);
    }
  }
  EXPECT_EQ(body_of(get("/api/v1/documents", b.token)).at("items").as_array().size(), 0u);
  EXPECT_EQ(body_of(get("/api/v1/documents?project_id=" + project_id, b.token))
                .at("items")
                .as_array()
                .size(),
            0u);
  // Search finds A's document for A, and nothing for B.
  auto found =
      body_of(get("/api/v1/documents/search?q=confidentiel", a.token)).at("items").as_array();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("id").as_string(), loose);
  auto searched = get("/api/v1/documents/search?q=confidentiel", b.token);
  ASSERT_EQ(searched.status, 200) << searched.body;
  EXPECT_EQ(body_of(searched).at("items").as_array().size(), 0u) << searched.body;
  EXPECT_EQ(searched.body.find("secret"), std::string::npos);
  EXPECT_EQ(searched.body.find("onfidentiel"), std::string::npos);
  // Nor can B file a document under A's project.
  EXPECT_EQ(upload(b.token, "x", "name=x.txt&project_id=" + project_id).status, 422);
  EXPECT_EQ(get("/api/v1/documents/" + id + "/content", a.token).body, "secret");
}

TEST_P(DocumentsHttpTest, ProjectPolicyDecidesWhoReadsAndWrites) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const Account member = invite(owner, "marie@chantiers-sud.fr", "member");
  const Account viewer = invite(owner, "archi@cabinet.fr", "guest");
  const Account contributor = invite(owner, "chef@maconnerie.fr", "guest");
  const Account stranger = invite(owner, "bet@structure.fr", "guest");
  const std::string project_id = project(owner, "TIL-01");
  give_role(viewer, project_id, "viewer");
  give_role(contributor, project_id, "contributor");
  const std::string id = uploaded_id(owner.token, "plan", "name=plan.txt&project_id=" + project_id);
  const std::string loose = uploaded_id(owner.token, "note", "name=note.txt");
  const std::string base = "/api/v1/documents/" + id;

  // A guest without a role on the project learns nothing.
  EXPECT_EQ(get(base, stranger.token).status, 404);
  EXPECT_EQ(get(base + "/content", stranger.token).status, 404);
  EXPECT_EQ(body_of(get("/api/v1/documents", stranger.token)).at("items").as_array().size(), 0u);
  // Guests never see the organisation's documents outside projects.
  EXPECT_EQ(get("/api/v1/documents/" + loose, viewer.token).status, 404);
  EXPECT_EQ(upload(viewer.token, "x", "name=x.txt").status, 403);

  // A viewer reads, and may not write.
  EXPECT_EQ(get(base, viewer.token).status, 200);
  EXPECT_EQ(get(base + "/content", viewer.token).body, "plan");
  auto listed = body_of(get("/api/v1/documents", viewer.token)).at("items").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("id").as_string(), id);
  EXPECT_EQ(call(Method::kPatch, base, R"({"name":"y.txt"})", viewer.token).status, 403);
  EXPECT_EQ(call(Method::kPost, base + "/versions", "v2", viewer.token).status, 403);
  EXPECT_EQ(call(Method::kDelete, base, "", viewer.token).status, 403);
  EXPECT_EQ(upload(viewer.token, "x", "name=x.txt&project_id=" + project_id).status, 403);

  // A contributor writes.
  EXPECT_EQ(call(Method::kPost, base + "/versions", "v2", contributor.token).status, 201);
  EXPECT_EQ(upload(contributor.token, "x", "name=x.txt&project_id=" + project_id).status, 201);

  // Members read every project's documents and the organisation's own, and write the latter.
  EXPECT_EQ(get(base, member.token).status, 200);
  EXPECT_EQ(call(Method::kPatch, base, R"({"name":"z.txt"})", member.token).status, 403);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/documents/" + loose, R"({"name":"z.txt"})", member.token)
                .status,
            200);
}

INSTANTIATE_TEST_SUITE_P(Backends, DocumentsHttpTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::documents
