// VisioBook with its external servers configured, as a client sees it: the whole platform on an
// ephemeral port whose chat, images and speech settings point at a fake model server. A book
// goes through the whole pipeline on the server's answers; a re-run of the storyboard reads the
// stored analysis back instead of asking again; the analysis endpoints ask the chat server and
// answer a problem when it fails. With the defaults, the classical analysis answers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "external_fake_server.hpp"
#include "platform_http.hpp"
#include "visiobook/app/analyst.hpp"
#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook {
namespace {

namespace json = boost::json;
using http::Method;
using testing::FakeModelServer;

constexpr const char* kPassword = "Encre-Violette-Chapitre-9";

// The first chapter of Alice's Adventures in Wonderland, heading included.
std::string alice_first_chapter() {
  std::ifstream in(std::string(VISIOBOOK_TEST_BOOKS) + "/alice_en.txt", std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  const std::string book = s.str();
  return book.substr(0, book.find("CHAPTER II."));
}

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

class VisioBookClientTest : public ::atelier::app::testing::PlatformHttpTest {
 protected:
  http::ClientResponse call(Method method, const std::string& path, const std::string& body,
                            const std::string& token, http::Headers headers = {}) {
    if (!body.empty() && headers.get("Content-Type").empty()) {
      headers.set("Content-Type", "application/json");
    }
    headers.set("Authorization", "Bearer " + token);
    auto r =
        client_.request(method, platform_->url() + path, headers, body, std::chrono::seconds(30));
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  std::string owner() {
    auto r = send(Method::kPost, "/api/v1/auth/register",
                  json::serialize(json::object{{"email", "claire@editions-plume.fr"},
                                               {"password", kPassword},
                                               {"name", "Claire Plume"},
                                               {"org_name", "Éditions Plume"}}),
                  "");
    EXPECT_EQ(r.status, 201) << r.body;
    auto login = send(Method::kPost, "/api/v1/auth/login",
                      json::serialize(json::object{{"email", "claire@editions-plume.fr"},
                                                   {"password", kPassword}}),
                      "");
    EXPECT_EQ(login.status, 200) << login.body;
    return text(body_of(login), "access_token");
  }

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

  std::string file(const std::string& token, const std::string& id, const std::string& name,
                   int version) {
    auto r = call(Method::kGet,
                  "/api/v1/books/" + id + "/files/" + name + "?version=" + std::to_string(version),
                  {}, token);
    EXPECT_EQ(r.status, 200) << name << ": " << r.body;
    return r.body;
  }
};

class ExternalServersHttpTest : public VisioBookClientTest {
 protected:
  void SetUp() override {
    fake_ = std::make_unique<FakeModelServer>();
    VisioBookClientTest::SetUp();
  }

  void configure(Config& config) const override {
    config.visiobook_video_fps = 5;
    config.visiobook_video_preset = "ultrafast";
    config.visiobook_chat_url = fake_->url();
    config.visiobook_chat_model = "story-model-7b";
    config.visiobook_images_url = fake_->url();
    config.visiobook_images_model = "pixel-model";
    config.visiobook_speech_url = fake_->url();
    config.visiobook_speech_model = "voice-model";
    config.visiobook_speech_voice = "nova";
    config.visiobook_api_key = "sk-platform";
  }

  std::unique_ptr<FakeModelServer> fake_;
};

TEST_F(ExternalServersHttpTest, ABookBecomesAVideoOnTheServersAnswers) {
  const std::string token = owner();
  auto created = call(Method::kPost, "/api/v1/books",
                      json::serialize(json::object{
                          {"title", "Alice"}, {"settings", json::object{{"target_minutes", 1}}}}),
                      token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = text(body_of(created), "id");
  http::Headers octets;
  octets.set("Content-Type", "application/octet-stream");
  ASSERT_EQ(call(Method::kPut, "/api/v1/books/" + id + "/source?name=alice.txt",
                 alice_first_chapter(), token, octets)
                .status,
            200);
  ASSERT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs", {}, token).status, 202);
  json::object done = wait_for_run(token, id);
  ASSERT_EQ(text(done, "status"), "done") << json::serialize(done);

  // The analysis holds what the chat server wrote.
  const json::object a = json::parse(file(token, id, "analysis.json", 1)).as_object();
  const auto& scenes = a.at("scenes").as_array();
  ASSERT_FALSE(scenes.empty());
  for (const auto& s : scenes) {
    const auto& summary = s.at("summary").as_array();
    ASSERT_EQ(summary.size(), 1u);
    EXPECT_TRUE(summary[0].as_string().starts_with("The scene opens with ")) << summary[0];
    EXPECT_EQ(s.at("tone").at("dominant").as_string(), FakeModelServer::kEmotion);
  }
  EXPECT_EQ(a.at("summary").as_array()[0].as_string(),
            FakeModelServer::book_summary(scenes.size()));
  const size_t chat_requests = fake_->requests("/v1/chat/completions").size();
  EXPECT_EQ(chat_requests, scenes.size() + 1);

  // Panels and narration are the servers' files; the video was assembled from them.
  const json::object board = json::parse(file(token, id, "storyboard.json", 1)).as_object();
  const size_t shots = board.at("shots").as_array().size();
  ASSERT_GT(shots, 0u);
  EXPECT_NE(
      text(board.at("shots").as_array()[0].as_object(), "narration").find("The scene opens with"),
      std::string::npos);
  EXPECT_EQ(fake_->requests("/v1/images/generations").size(), shots);
  EXPECT_EQ(fake_->requests("/v1/audio/speech").size(), shots);
  EXPECT_EQ(file(token, id, "panels/0001.png", 1), FakeModelServer::png());
  EXPECT_EQ(file(token, id, "narration/0001.wav", 1), FakeModelServer::wav());
  EXPECT_GT(file(token, id, "video.mp4", 1).size(), 1000u);
  for (const auto& r : fake_->requests()) {
    EXPECT_EQ(r.authorization, "Bearer sk-platform") << r.path;
    const std::string model(r.body.at("model").as_string());
    EXPECT_TRUE(model == "story-model-7b" || model == "pixel-model" || model == "voice-model");
  }

  // A storyboard re-run reads analysis.json back: the chat server is not asked again, and the
  // panels still tell its summaries (the classical analysis would have told the book's words).
  ASSERT_EQ(call(Method::kPost, "/api/v1/books/" + id + "/runs",
                 json::serialize(json::object{{"from", "storyboard"}}), token)
                .status,
            202);
  done = wait_for_run(token, id);
  ASSERT_EQ(text(done, "status"), "done") << json::serialize(done);
  EXPECT_EQ(done.at("current_version").as_int64(), 2);
  EXPECT_EQ(fake_->requests("/v1/chat/completions").size(), chat_requests);
  const json::object board2 = json::parse(file(token, id, "storyboard.json", 2)).as_object();
  ASSERT_EQ(board2.at("shots").as_array().size(), shots);
  for (size_t i = 0; i < shots; ++i) {
    const auto& before = board.at("shots").as_array()[i].as_object();
    const auto& after = board2.at("shots").as_array()[i].as_object();
    EXPECT_EQ(text(after, "narration"), text(before, "narration")) << "shot " << i;
    EXPECT_EQ(text(after, "caption"), text(before, "caption")) << "shot " << i;
  }
  EXPECT_EQ(fake_->requests("/v1/images/generations").size(), 2 * shots);
}

TEST_F(ExternalServersHttpTest, TheAnalysisEndpointsAskTheChatServer) {
  const std::string token = owner();
  const std::string body = json::serialize(json::object{{"text", alice_first_chapter()}});
  auto summary = call(Method::kPost, "/api/v1/analysis/summarize", body, token);
  ASSERT_EQ(summary.status, 200) << summary.body;
  const auto scenes = fake_->requests("/v1/chat/completions").size() - 1;
  EXPECT_EQ(body_of(summary).at("summary").as_array()[0].as_string(),
            FakeModelServer::book_summary(scenes));

  auto extracted = call(Method::kPost, "/api/v1/analysis/extract-scenes", body, token);
  ASSERT_EQ(extracted.status, 200) << extracted.body;
  EXPECT_EQ(body_of(extracted).at("scenes").as_array()[0].at("tone").at("dominant").as_string(),
            FakeModelServer::kEmotion);

  // A server that answers nonsense is a 503 naming it, never a 500.
  fake_->set_chat(FakeModelServer::Chat::kWrongEmotion);
  auto failed = call(Method::kPost, "/api/v1/analysis/semantic", body, token);
  EXPECT_EQ(failed.status, 503) << failed.body;
  EXPECT_EQ(failed.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(text(body_of(failed), "detail").find(fake_->url() + "/v1/chat/completions"),
            std::string::npos)
      << failed.body;
}

// The defaults: no server is configured, the classical analysis answers, nothing is asked.
class DefaultServersHttpTest : public VisioBookClientTest {};

TEST_F(DefaultServersHttpTest, TheClassicalAnalysisAnswersWithoutANetwork) {
  const std::string token = owner();
  const std::string chapter = alice_first_chapter();
  auto summary = call(Method::kPost, "/api/v1/analysis/summarize",
                      json::serialize(json::object{{"text", chapter}}), token);
  ASSERT_EQ(summary.status, 200) << summary.body;
  auto book = ingest::read_text(chapter);
  ASSERT_TRUE(book);
  const auto classical = analysis::analyse(*book, app::analysis_options());
  json::array expected;
  for (const auto& sentence : classical.summary) {
    expected.emplace_back(sentence);
  }
  EXPECT_EQ(json::serialize(body_of(summary).at("summary")), json::serialize(expected));
  EXPECT_FALSE(expected.empty());
}

}  // namespace
}  // namespace atelier::visiobook
