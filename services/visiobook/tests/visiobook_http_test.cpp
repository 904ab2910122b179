// VisioBook as a client sees it: the whole platform on an ephemeral port, spoken to over HTTP. One
// scenario takes a book from its text to a narrated video (the real pipeline: analysis, cairo
// panels, espeak-ng narration, an MP4 from the FFmpeg libraries, read back with libavformat),
// then re-runs only the narration; others check bad sources, the analysis endpoints and that
// another organisation sees nothing.
#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "atelier/media/video.hpp"
#include "platform_http.hpp"
#include "samples.hpp"

namespace atelier::visiobook {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Encre-Violette-Chapitre-9";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(VISIOBOOK_TEST_BOOKS) + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first chapter of Alice's Adventures in Wonderland, heading included.
std::string alice_first_chapter() {
  const std::string book = fixture("alice_en.txt");
  const size_t second = book.find("CHAPTER II.");
  return book.substr(0, second);
}

class VisioBookHttpTest : public ::atelier::app::testing::PlatformHttpTest {
 protected:
  void configure(Config& config) const override {
    // Small and quick videos: the pipeline is the same at any frame rate.
    config.visiobook_video_fps = 5;
    config.visiobook_video_preset = "ultrafast";
    config.visiobook_max_source_bytes = 4u << 20;
  }

  http::ClientResponse call(Method method, const std::string& path, const std::string& body,
                            const std::string& token, http::Headers headers = {}) {
    if (!body.empty() && headers.get("Content-Type").empty()) {
      headers.set("Content-Type", "application/json");
    }
    headers.set("Authorization", "Bearer " + token);
    auto r = client_.request(method, platform_->url() + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  static std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  // Signs up (making an organisation) and returns an access token.
  std::string owner_of(const std::string& email, const std::string& org) {
    auto r = send(Method::kPost, "/api/v1/auth/register",
                  json::serialize(json::object{{"email", email},
                                               {"password", kPassword},
                                               {"name", "Claire Plume"},
                                               {"org_name", org}}),
                  "");
    EXPECT_EQ(r.status, 201) << r.body;
    auto login = send(Method::kPost, "/api/v1/auth/login",
                      json::serialize(json::object{{"email", email}, {"password", kPassword}}), "");
    EXPECT_EQ(login.status, 200) << login.body;
    return text(body_of(login), "access_token");
  }

  std::string create_book(const std::string& token, json::object settings) {
    auto r = call(Method::kPost, "/api/v1/books",
                  json::serialize(json::object{{"title", "Alice au pays des merveilles"},
                                               {"author", "Lewis Carroll"},
                                               {"settings", std::move(settings)}}),
                  token);
    EXPECT_EQ(r.status, 201) << r.body;
    return text(body_of(r), "id");
  }

  http::ClientResponse put_source(const std::string& token, const std::string& id,
                                  const std::string& bytes, const std::string& name) {
    http::Headers headers;
    headers.set("Content-Type", "application/octet-stream");
    return call(Method::kPut, "/api/v1/books/" + id + "/source?name=" + name, bytes, token,
                headers);
  }

  // Polls the project until its run ends (done or failed); the project's last state.
  json::object wait_for_run(const std::string& token, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    json::object book;
    while (std::chrono::steady_clock::now() < deadline) {
      book = body_of(call(Method::kGet, "/api/v1/books/" + id, {}, token));
      const std::string status = text(book, "status");
      if (status == "done" || status == "failed") {
        return book;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the run did not end: " << json::serialize(book);
    return book;
  }

  // name -> sha256 of a version's files.
  std::map<std::string, std::string> files_of(const std::string& token, const std::string& id,
                                              int version) {
    auto r = call(Method::kGet, "/api/v1/books/" + id + "/files?version=" + std::to_string(version),
                  {}, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::string> out;
    const auto body = body_of(r);
    for (const auto& f : body.at("items").as_array()) {
      out[text(f.as_object(), "name")] = text(f.as_object(), "sha256");
    }
    return out;
  }

  static std::set<std::string> problem_fields(const http::ClientResponse& r) {
    std::set<std::string> fields;
    const auto problem = body_of(r);
    if (const auto* errors = problem.if_contains("errors")) {
      for (const auto& e : errors->as_array()) {
        fields.insert(text(e.as_object(), "field"));
      }
    }
    return fields;
  }
};

// The scenario and the cross-tenant check run on both engines; on PostgreSQL row-level security
// is live behind the routes and the worker's claim.
class VisioBookHttpOnEachEngine : public VisioBookHttpTest,
                                  public ::testing::WithParamInterface<db::Kind> {
 protected:
  bool on_postgres() const override { return GetParam() == db::Kind::kPostgres; }
};

TEST_P(VisioBookHttpOnEachEngine, ABookBecomesANarratedVideoAndANarrationCanBeRedoneAlone) {
  const std::string token = owner_of("claire@editions-plume.fr", "Éditions Plume");

  // Settings are checked, each bad one named.
  auto bad = call(Method::kPost, "/api/v1/books",
                  json::serialize(json::object{
                      {"title", ""},
                      {"settings", json::object{{"style", "watercolour"}, {"target_minutes", 0}}}}),
                  token);
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(problem_fields(bad),
            (std::set<std::string>{"title", "settings.style", "settings.target_minutes"}));

  const std::string id =
      create_book(token, json::object{{"style", "comic"}, {"target_minutes", 1}});
  ASSERT_FALSE(id.empty());
  auto created = body_of(call(Method::kGet, "/api/v1/books/" + id, {}, token));
  EXPECT_EQ(text(created, "status"), "draft");

  // No run without a source; no source that is not a book.
  auto early = call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, token);
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(put_source(token, id, std::string("\x00\x01\x02\x03", 4), "blob.bin").status, 422);
  EXPECT_EQ(put_source(token, id, "PK\x03\x04 not an epub", "book.zip").status, 422);

  auto source = put_source(token, id, alice_first_chapter(), "alice.txt");
  ASSERT_EQ(source.status, 200) << source.body;
  EXPECT_EQ(text(body_of(source).at("source").as_object(), "format"), "text");
  EXPECT_EQ(text(body_of(source), "status"), "idle");

  auto queued = call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, token);
  ASSERT_EQ(queued.status, 202) << queued.body;
  auto again = call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, token);
  EXPECT_TRUE(again.status == 409 || again.status == 202) << again.body;

  json::object done = wait_for_run(token, id);
  ASSERT_EQ(text(done, "status"), "done") << json::serialize(done);
  EXPECT_EQ(done.at("current_version").as_int64(), 1);
  // The ETag versions what a user changes; the pipeline's progress leaves it alone, so an
  // If-Match taken when the run was queued still holds.
  EXPECT_EQ(call(Method::kGet, "/api/v1/books/" + id, {}, token).headers.get("ETag"),
            queued.headers.get("ETag"));
  for (const auto& stage : done.at("stages").as_array()) {
    EXPECT_EQ(text(stage.as_object(), "status"), "done") << json::serialize(stage);
    EXPECT_EQ(stage.as_object().at("progress").as_int64(), 100);
  }

  // The analysis found Alice, first.
  auto analysis = call(Method::kGet, "/api/v1/books/" + id + "/files/analysis.json", {}, token);
  ASSERT_EQ(analysis.status, 200);
  const auto a = body_of(analysis);
  ASSERT_FALSE(a.at("characters").as_array().empty());
  EXPECT_EQ(text(a.at("characters").as_array()[0].as_object(), "name"), "Alice");
  EXPECT_FALSE(a.at("scenes").as_array().empty());

  const auto v1 = files_of(token, id, 1);
  for (const char* name : {"book.json", "analysis.json", "storyboard.json", "panels/0001.png",
                           "narration/0001.wav", "video.mp4", "subtitles.vtt", "storyboard.pdf"}) {
    EXPECT_TRUE(v1.contains(name)) << name;
  }

  // The player's requests: a byte range of the video.
  http::Headers range;
  range.set("Range", "bytes=0-99");
  auto head = call(Method::kGet, "/api/v1/books/" + id + "/files/video.mp4", {}, token, range);
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.body.size(), 100u);
  EXPECT_EQ(head.body.substr(4, 4), "ftyp");

  // The whole video, read back with libavformat: H.264 and AAC, as long as the run said.
  auto video = call(Method::kGet, "/api/v1/books/" + id + "/files/video.mp4", {}, token);
  ASSERT_EQ(video.status, 200);
  const auto path = dir_ / "video.mp4";
  std::ofstream(path, std::ios::binary) << video.body;
  auto info = media::probe(path.string());
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->audio_codec, "aac");
  EXPECT_EQ(info->width, 1280);
  EXPECT_EQ(info->height, 720);
  auto versions = body_of(call(Method::kGet, "/api/v1/books/" + id + "/versions", {}, token));
  ASSERT_EQ(versions.at("items").as_array().size(), 1u);
  const auto& summary = versions.at("items").as_array()[0].as_object().at("summary").as_object();
  const double video_seconds = summary.at("video_seconds").as_double();
  const double narration_seconds = summary.at("narration_seconds").as_double();
  EXPECT_NEAR(info->duration_seconds, video_seconds, 0.3);
  EXPECT_GE(video_seconds, narration_seconds);
  EXPECT_FALSE(info->chapters.empty());

  // A signed link for the player: no token needed, ranges served, nothing else reachable by it.
  const std::string links = "/api/v1/books/" + id + "/links";
  EXPECT_EQ(call(Method::kPost, links,
                 json::serialize(json::object{{"file", "video.mp4"}, {"ttl_seconds", 5}}), token)
                .status,
            422);
  EXPECT_EQ(
      call(Method::kPost, links, json::serialize(json::object{{"file", "nothing.mp4"}}), token)
          .status,
      404);
  auto link =
      call(Method::kPost, links, json::serialize(json::object{{"file", "video.mp4"}}), token);
  ASSERT_EQ(link.status, 201) << link.body;
  const std::string media = text(body_of(link), "url");
  ASSERT_TRUE(media.starts_with("/api/v1/books/media/")) << media;
  auto streamed = client_.request(Method::kGet, platform_->url() + media, range);
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->status, 206);
  EXPECT_EQ(streamed->body, head.body);
  auto forged = client_.request(Method::kGet, platform_->url() + media + "x");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 404);

  // The printable storyboard: four panels a page.
  auto pdf =
      call(Method::kGet, "/api/v1/books/" + id + "/files/storyboard.pdf?download", {}, token);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_NE(pdf.headers.get("Content-Disposition").find("attachment"), std::string::npos);
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(pdf.body.data(), static_cast<int>(pdf.body.size())));
  ASSERT_NE(document, nullptr);
  const int64_t shots = summary.at("shots").as_int64();
  EXPECT_GE(shots, 2);
  EXPECT_EQ(document->pages(), static_cast<int>((shots + 3) / 4));
  EXPECT_TRUE(v1.contains("panels/000" + std::to_string(shots) + ".png"));

  // Faster narration: only narration and assembly run again; the panels are the same blobs.
  auto book = call(Method::kGet, "/api/v1/books/" + id, {}, token);
  http::Headers if_match;
  if_match.set("If-Match", book.headers.get("ETag"));
  auto no_precondition =
      call(Method::kPatch, "/api/v1/books/" + id,
           json::serialize(json::object{{"settings", json::object{{"pacing", "fast"}}}}), token);
  EXPECT_EQ(no_precondition.status, 428);
  auto patched = call(Method::kPatch, "/api/v1/books/" + id,
                      json::serialize(json::object{{"settings", json::object{{"pacing", "fast"}}}}),
                      token, if_match);
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto rerun = call(Method::kPost, "/api/v1/books/" + id + "/runs",
                    json::serialize(json::object{{"from", "narration"}}), token);
  ASSERT_EQ(rerun.status, 202) << rerun.body;
  done = wait_for_run(token, id);
  ASSERT_EQ(text(done, "status"), "done") << json::serialize(done);
  EXPECT_EQ(done.at("current_version").as_int64(), 2);
  const auto v2 = files_of(token, id, 2);
  EXPECT_EQ(v2.at("panels/0001.png"), v1.at("panels/0001.png"));
  EXPECT_EQ(v2.at("analysis.json"), v1.at("analysis.json"));
  EXPECT_NE(v2.at("narration/0001.wav"), v1.at("narration/0001.wav"));
  EXPECT_NE(v2.at("video.mp4"), v1.at("video.mp4"));
  versions = body_of(call(Method::kGet, "/api/v1/books/" + id + "/versions", {}, token));
  ASSERT_EQ(versions.at("items").as_array().size(), 2u);
  const auto& latest = versions.at("items").as_array()[0].as_object();
  EXPECT_EQ(text(latest, "run_from"), "narration");
  EXPECT_LT(latest.at("summary").as_object().at("narration_seconds").as_double(),
            narration_seconds);
  // The first version's files stay readable.
  EXPECT_EQ(
      call(Method::kGet, "/api/v1/books/" + id + "/files/video.mp4?version=1", {}, token).status,
      200);
}

TEST_P(VisioBookHttpOnEachEngine, AnotherOrganisationSeesNothing) {
  const std::string token = owner_of("claire@editions-plume.fr", "Éditions Plume");
  const std::string id = create_book(token, json::object{});
  ASSERT_EQ(put_source(token, id, alice_first_chapter(), "alice.txt").status, 200);
  const std::string other = owner_of("paul@autre-maison.fr", "Autre Maison");
  for (const std::string& path :
       {"/api/v1/books/" + id, "/api/v1/books/" + id + "/versions",
        "/api/v1/books/" + id + "/files", "/api/v1/books/" + id + "/files/video.mp4",
        "/api/v1/analysis/status/" + id}) {
    EXPECT_EQ(call(Method::kGet, path, {}, other).status, 404) << path;
  }
  EXPECT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, other).status, 404);
  EXPECT_EQ(put_source(other, id, "Some text.", "x.txt").status, 404);
  EXPECT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/links",
                 json::serialize(json::object{{"file", "book.json"}}), other)
                .status,
            404);
  auto listed = body_of(call(Method::kGet, "/api/v1/books", {}, other));
  EXPECT_TRUE(listed.at("items").as_array().empty());
  listed = body_of(call(Method::kGet, "/api/v1/books", {}, token));
  EXPECT_EQ(listed.at("items").as_array().size(), 1u);
}

TEST_F(VisioBookHttpTest, BadSourcesAreRefusedAndLoseNothing) {
  const std::string token = owner_of("claire@editions-plume.fr", "Éditions Plume");
  const std::string id = create_book(token, json::object{});
  ASSERT_EQ(put_source(token, id, alice_first_chapter(), "alice.txt").status, 200);
  const auto before = body_of(call(Method::kGet, "/api/v1/books/" + id, {}, token));

  auto empty = put_source(token, id, "", "empty.txt");
  EXPECT_EQ(empty.status, 422) << empty.body;
  EXPECT_NE(empty.body.find("empty"), std::string::npos) << empty.body;
  // Over the configured limit (4 MiB here): refused while it arrives.
  EXPECT_EQ(put_source(token, id, std::string(5u << 20, 'a'), "huge.txt").status, 413);
  EXPECT_EQ(put_source(token, id, std::string("\xFF\xFE\x00\x00", 4), "utf32.txt").status, 422);
  auto missing = put_source(token, "0190f1e2-0000-7000-8000-000000000000", "Du texte.", "a.txt");
  EXPECT_EQ(missing.status, 404) << missing.body;

  // The source it had is still there.
  const auto after = body_of(call(Method::kGet, "/api/v1/books/" + id, {}, token));
  EXPECT_EQ(json::serialize(after.at("source")), json::serialize(before.at("source")));
  EXPECT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs",
                 json::serialize(json::object{{"from", "painting"}}), token)
                .status,
            422);
  EXPECT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs",
                 json::serialize(json::object{{"from", "analysis"}}), token)
                .status,
            409);  // nothing was ingested yet
}

TEST_F(VisioBookHttpTest, ScannedPagesAreReadByOcr) {
  const std::string token = owner_of("claire@editions-plume.fr", "Éditions Plume");
  const std::string id =
      create_book(token, json::object{{"target_minutes", 1}, {"language", "fr"}});
  // Two different pages: lines repeated at the top or bottom of every page are running heads.
  ocr::samples::Sheet first = ocr::samples::small_sheet({
      "Marie ouvrit la porte du jardin et appela son frère.",
      "Pierre arriva en courant sous la pluie du soir.",
      "Marie sourit : elle avait retrouvé la lettre perdue.",
  });
  ocr::samples::Sheet second = ocr::samples::small_sheet({
      "Le lendemain, Pierre lut la lettre à voix haute.",
      "Marie écoutait sans rien dire, les yeux baissés.",
      "Puis ils partirent ensemble vers le village.",
  });
  first.font_pt = second.font_pt = 16;
  const auto scan = ocr::samples::scanned_pdf({first, second});
  auto source = put_source(
      token, id, std::string(reinterpret_cast<const char*>(scan.data()), scan.size()), "scan.pdf");
  ASSERT_EQ(source.status, 200) << source.body;
  EXPECT_EQ(text(body_of(source).at("source").as_object(), "format"), "pdf");
  ASSERT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, token).status, 202);
  const json::object done = wait_for_run(token, id);
  ASSERT_EQ(text(done, "status"), "done") << json::serialize(done);
  auto book = call(Method::kGet, "/api/v1/books/" + id + "/files/book.json", {}, token);
  ASSERT_EQ(book.status, 200);
  EXPECT_NE(book.body.find("jardin"), std::string::npos) << book.body;
  EXPECT_NE(book.body.find("retrouvé la lettre"), std::string::npos) << book.body;
  EXPECT_NE(book.body.find("vers le village"), std::string::npos) << book.body;
}

TEST_F(VisioBookHttpTest, ASourceComesFromDocumentsAndTheVideoIsSharedThroughThem) {
  const std::string token = owner_of("claire@editions-plume.fr", "Éditions Plume");
  http::Headers raw;
  raw.set("Content-Type", "text/plain");
  auto uploaded =
      call(Method::kPost, "/api/v1/documents?name=alice.txt", alice_first_chapter(), token, raw);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string document_id = text(body_of(uploaded), "id");

  const std::string id = create_book(token, json::object{{"target_minutes", 1}});
  const std::string from_document = "/api/v1/books/" + id + "/source/document";
  EXPECT_EQ(call(Method::kPost, from_document, json::serialize(json::object{}), token).status, 422);
  EXPECT_EQ(
      call(Method::kPost, from_document,
           json::serialize(json::object{{"document_id", "0190f1e2-0000-7000-8000-000000000000"}}),
           token)
          .status,
      404);
  auto sourced = call(Method::kPost, from_document,
                      json::serialize(json::object{{"document_id", document_id}}), token);
  ASSERT_EQ(sourced.status, 200) << sourced.body;
  const auto source = body_of(sourced).at("source").as_object();
  EXPECT_EQ(text(source, "name"), "alice.txt");
  EXPECT_EQ(text(source, "format"), "text");
  EXPECT_EQ(text(source, "sha256"), text(body_of(uploaded), "sha256"));

  // Nothing to export before a run has finished.
  const std::string exports = "/api/v1/books/" + id + "/exports";
  EXPECT_EQ(
      call(Method::kPost, exports, json::serialize(json::object{{"file", "video.mp4"}}), token)
          .status,
      404);
  ASSERT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, token).status, 202);
  ASSERT_EQ(text(wait_for_run(token, id), "status"), "done");
  EXPECT_EQ(
      call(Method::kPost, exports, json::serialize(json::object{{"file", "nothing.mp4"}}), token)
          .status,
      404);
  auto exported =
      call(Method::kPost, exports, json::serialize(json::object{{"file", "video.mp4"}}), token);
  ASSERT_EQ(exported.status, 201) << exported.body;
  const std::string video_document = text(body_of(exported), "document_id");
  EXPECT_EQ(text(body_of(exported), "name"), "Alice au pays des merveilles — video.mp4");
  auto document = body_of(call(Method::kGet, "/api/v1/documents/" + video_document, {}, token));
  EXPECT_EQ(text(document, "content_type"), "video/mp4");
  EXPECT_EQ(text(document, "folder"), "VisioBook");

  // A share link plays it without an account, with ranges, as the player asks.
  auto share = call(Method::kPost, "/api/v1/documents/" + video_document + "/shares",
                    json::serialize(json::object{{"expires_in", 3600}}), token);
  ASSERT_EQ(share.status, 201) << share.body;
  http::Headers range;
  range.set("Range", "bytes=0-15");
  auto start = client_.request(Method::kGet, platform_->url() + text(body_of(share), "url"), range);
  ASSERT_TRUE(start);
  EXPECT_EQ(start->status, 206);
  EXPECT_EQ(start->body.substr(4, 4), "ftyp");
  const auto original = call(Method::kGet, "/api/v1/books/" + id + "/files/video.mp4", {}, token);
  EXPECT_EQ(start->body, original.body.substr(0, 16));

  // Another organisation can neither take the document nor export the book.
  const std::string other = owner_of("paul@autre-maison.fr", "Autre Maison");
  const std::string theirs = create_book(other, json::object{});
  EXPECT_EQ(call(Method::kPost, "/api/v1/books/" + theirs + "/source/document",
                 json::serialize(json::object{{"document_id", document_id}}), other)
                .status,
            404);
  EXPECT_EQ(
      call(Method::kPost, exports, json::serialize(json::object{{"file", "video.mp4"}}), other)
          .status,
      404);
}

INSTANTIATE_TEST_SUITE_P(Backends, VisioBookHttpOnEachEngine,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

TEST_F(VisioBookHttpTest, TheAnalysisEndpointsAnswerForAPassage) {
  const std::string token = owner_of("claire@editions-plume.fr", "Éditions Plume");
  const std::string sarrasine = fixture("sarrasine_fr.txt").substr(0, 60'000);
  auto semantic = call(Method::kPost, "/api/v1/analysis/semantic",
                       json::serialize(json::object{{"text", sarrasine}}), token);
  ASSERT_EQ(semantic.status, 200) << semantic.body;
  const auto s = body_of(semantic);
  EXPECT_EQ(text(s, "language"), "fr");
  EXPECT_FALSE(s.at("characters").as_array().empty());
  EXPECT_FALSE(s.contains("scenes"));

  auto scenes = call(Method::kPost, "/api/v1/analysis/extract-scenes",
                     json::serialize(json::object{{"text", sarrasine}}), token);
  ASSERT_EQ(scenes.status, 200) << scenes.body;
  EXPECT_FALSE(body_of(scenes).at("scenes").as_array().empty());

  auto summary = call(Method::kPost, "/api/v1/analysis/summarize",
                      json::serialize(json::object{{"text", alice_first_chapter()}}), token);
  ASSERT_EQ(summary.status, 200) << summary.body;
  const auto sentences = body_of(summary).at("summary").as_array();
  ASSERT_FALSE(sentences.empty());
  for (const auto& sentence : sentences) {
    EXPECT_NE(alice_first_chapter().find(std::string(sentence.as_string()).substr(0, 20)),
              std::string::npos)
        << sentence;
  }

  EXPECT_EQ(call(Method::kPost, "/api/v1/analysis/semantic",
                 json::serialize(json::object{{"text", ""}}), token)
                .status,
            422);
  EXPECT_EQ(call(Method::kPost, "/api/v1/analysis/semantic", "not json", token).status, 400);
  EXPECT_EQ(call(Method::kPost, "/api/v1/analysis/semantic",
                 json::serialize(json::object{{"text", "Bonjour."}, {"language", "de"}}), token)
                .status,
            422);
  EXPECT_EQ(
      call(Method::kGet, "/api/v1/analysis/status/0190f1e2-0000-7000-8000-000000000000", {}, token)
          .status,
      404);
}

}  // namespace
}  // namespace atelier::visiobook
