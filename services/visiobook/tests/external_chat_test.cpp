// The chat analyst against a fake OpenAI-compatible server: what it sends, what it keeps of the
// answers, and how it fails (malformed answers, HTTP errors with retries, a server that never
// answers, one that cannot be reached). And analysis.json read back: analysis_of(analysis_json).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include "external_fake_server.hpp"
#include "visiobook/adapters/chat_analyst.hpp"
#include "visiobook/app/json.hpp"
#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook {
namespace {

namespace json = boost::json;
using testing::FakeModelServer;

constexpr const char* kChatPath = "/v1/chat/completions";

domain::Book fixture_book(const std::string& name, size_t chapters) {
  std::ifstream in(std::string(VISIOBOOK_TEST_BOOKS) + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  auto book = ingest::read_text(s.str());
  EXPECT_TRUE(book) << name;
  domain::Book b = book ? *book : domain::Book{};
  if (b.chapters.size() > chapters) {
    b.chapters.resize(chapters);
  }
  return b;
}

std::string first_paragraph(const domain::Book& book, const analysis::Scene& scene) {
  return book.chapters.at(scene.chapter).paragraphs.at(scene.first_paragraph).text;
}

std::string user_message(const testing::RecordedRequest& r) {
  const auto& messages = r.body.at("messages").as_array();
  return std::string(messages.back().as_object().at("content").as_string());
}

class ChatAnalystTest : public ::testing::Test {
 protected:
  adapters::ChatOptions options() const {
    adapters::ChatOptions o;
    o.url = fake_.url() + "/";  // a trailing slash is taken off
    o.model = "story-model-7b";
    o.api_key = "sk-test-123";
    o.timeout = std::chrono::seconds(5);
    o.max_retries = 2;
    o.backoff = std::chrono::milliseconds(10);
    return o;
  }

  Result<analysis::Analysis> analyse(const adapters::ChatOptions& o) {
    return adapters::make_chat_analyst(o)->analyse(book_);
  }

  FakeModelServer fake_;
  domain::Book book_ = fixture_book("alice_en.txt", 2);
  analysis::Analysis classical_ = analysis::analyse(book_, app::analysis_options());
};

TEST_F(ChatAnalystTest, ReplacesSummariesAndToneWithTheServersAnswers) {
  ASSERT_GT(classical_.scenes.size(), 1u);
  auto a = analyse(options());
  ASSERT_TRUE(a) << a.error().message;

  // The classical structure stays: scenes, cast, characters, dialogue.
  ASSERT_EQ(a->scenes.size(), classical_.scenes.size());
  ASSERT_EQ(a->characters.size(), classical_.characters.size());
  EXPECT_EQ(a->dialogue.size(), classical_.dialogue.size());
  for (size_t i = 0; i < a->scenes.size(); ++i) {
    const auto& got = a->scenes[i];
    const auto& was = classical_.scenes[i];
    EXPECT_EQ(got.chapter, was.chapter);
    EXPECT_EQ(got.first_paragraph, was.first_paragraph);
    EXPECT_EQ(got.last_paragraph, was.last_paragraph);
    EXPECT_EQ(got.cast, was.cast);
    EXPECT_EQ(got.place, was.place);
    EXPECT_DOUBLE_EQ(got.tone.arousal, was.tone.arousal);
    // What the server said replaces the extractive summary and the lexicon's tone.
    EXPECT_EQ(got.summary,
              std::vector<std::string>{FakeModelServer::scene_summary(first_paragraph(book_, got))})
        << "scene " << i;
    EXPECT_NE(got.summary, was.summary);
    EXPECT_STREQ(analysis::emotion_name(got.tone.dominant), FakeModelServer::kEmotion);
    EXPECT_EQ(got.tone.emotions.size(), 1u);
    EXPECT_DOUBLE_EQ(got.tone.valence, FakeModelServer::kValence);
  }
  EXPECT_EQ(a->summary, std::vector<std::string>{FakeModelServer::book_summary(a->scenes.size())});

  // One request per scene, then one for the book, each as configured.
  const auto requests = fake_.requests(kChatPath);
  ASSERT_EQ(requests.size(), a->scenes.size() + 1);
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    EXPECT_EQ(r.authorization, "Bearer sk-test-123");
    EXPECT_EQ(r.body.at("model").as_string(), "story-model-7b");
    EXPECT_EQ(r.body.at("temperature").to_number<double>(), 0.0);
    EXPECT_EQ(r.body.at("response_format").at("type").as_string(), "json_object");
    const auto& messages = r.body.at("messages").as_array();
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].at("role").as_string(), "system");
    EXPECT_EQ(messages[1].at("role").as_string(), "user");
    if (i < a->scenes.size()) {
      EXPECT_NE(user_message(r).find(first_paragraph(book_, a->scenes[i])), std::string::npos);
      EXPECT_NE(json::serialize(messages[0]).find("anticipation"), std::string::npos);
    } else {
      EXPECT_NE(user_message(r).find(a->scenes[0].summary[0]), std::string::npos);
    }
  }
}

TEST_F(ChatAnalystTest, SendsNoAuthorizationWithoutAKeyAndCutsLongScenes) {
  auto o = options();
  o.api_key.clear();
  o.max_scene_chars = 300;
  auto a = analyse(o);
  ASSERT_TRUE(a) << a.error().message;
  const auto requests = fake_.requests(kChatPath);
  ASSERT_EQ(requests.size(), a->scenes.size() + 1);
  bool some_cut = false;
  for (size_t i = 0; i < a->scenes.size(); ++i) {
    EXPECT_EQ(requests[i].authorization, "");
    const std::string message = user_message(requests[i]);
    const std::string text = message.substr(message.find("Text:\n") + 6);
    EXPECT_LE(text.size(), 300u);
    some_cut = some_cut || a->scenes[i].words * 4 > 300;
  }
  EXPECT_TRUE(some_cut) << "the book should have scenes longer than the limit";
}

TEST_F(ChatAnalystTest, MalformedJsonFailsNamingTheEndpoint) {
  fake_.set_chat(FakeModelServer::Chat::kMalformedJson);
  auto a = analyse(options());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(a.error().message.find(fake_.url() + kChatPath), std::string::npos)
      << a.error().message;
  EXPECT_NE(a.error().message.find("not a JSON object"), std::string::npos) << a.error().message;
  EXPECT_EQ(fake_.requests().size(), 1u);  // an answer is not retried
}

TEST_F(ChatAnalystTest, AnEmotionOutsideTheListIsRefused) {
  fake_.set_chat(FakeModelServer::Chat::kWrongEmotion);
  auto a = analyse(options());
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("\"emotion\" must be one of joy"), std::string::npos)
      << a.error().message;
  EXPECT_NE(a.error().message.find("melancholy"), std::string::npos);
  EXPECT_NE(a.error().message.find("scene 1"), std::string::npos);
}

TEST_F(ChatAnalystTest, ASummaryOfTheWrongTypeOrAbsurdLengthIsRefused) {
  fake_.set_chat(FakeModelServer::Chat::kNumberSummary);
  auto a = analyse(options());
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("\"summary\" must be a string"), std::string::npos)
      << a.error().message;
  fake_.set_chat(FakeModelServer::Chat::kLongSummary);
  a = analyse(options());
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("5001 bytes long"), std::string::npos) << a.error().message;
}

TEST_F(ChatAnalystTest, RetriesAfterAServerErrorOrThrottling) {
  fake_.fail_next(500, 1);
  auto a = analyse(options());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(fake_.requests(kChatPath).size(), a->scenes.size() + 2);
  EXPECT_EQ(a->scenes[0].summary, std::vector<std::string>{FakeModelServer::scene_summary(
                                      first_paragraph(book_, a->scenes[0]))});

  fake_.fail_next(429, 2);
  auto again = analyse(options());
  ASSERT_TRUE(again) << again.error().message;
}

TEST_F(ChatAnalystTest, GivesUpAfterTwoRetries) {
  fake_.fail_next(503, 10);
  const auto start = std::chrono::steady_clock::now();
  auto a = analyse(options());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(a.error().message.find("answered HTTP 503"), std::string::npos) << a.error().message;
  EXPECT_NE(a.error().message.find("after 3 attempts"), std::string::npos) << a.error().message;
  EXPECT_EQ(fake_.requests().size(), 3u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(ChatAnalystTest, AClientErrorIsNotRetried) {
  fake_.fail_next(401, 1);
  auto a = analyse(options());
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().message.find("answered HTTP 401: {\"error\""), std::string::npos)
      << a.error().message;
  EXPECT_EQ(fake_.requests().size(), 1u);
}

TEST_F(ChatAnalystTest, AServerThatNeverAnswersTimesOut) {
  fake_.set_chat(FakeModelServer::Chat::kHang);
  auto o = options();
  o.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto a = analyse(o);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kTimeout);
  EXPECT_NE(a.error().message.find("did not answer within 0.3 s"), std::string::npos)
      << a.error().message;
  EXPECT_NE(a.error().message.find(fake_.url() + kChatPath), std::string::npos);
  EXPECT_EQ(fake_.requests().size(), 1u);
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST_F(ChatAnalystTest, AServerThatCannotBeReachedFails) {
  auto o = options();
  o.url = "http://127.0.0.1:1";
  auto a = analyse(o);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(a.error().message.find("POST http://127.0.0.1:1/v1/chat/completions cannot be reached"),
            std::string::npos)
      << a.error().message;
  EXPECT_NE(a.error().message.find("after 3 attempts"), std::string::npos);
}

// Whether two JSON values are the same, numbers within a few units in the last place (Boost.JSON's
// parser, before 1.83, may read a double back one or two ulps off).
bool same_json(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.to_number<double>();
    const double y = b.to_number<double>();
    return std::abs(x - y) <= 1e-12 * std::max(1.0, std::abs(x));
  }
  if (a.kind() != b.kind()) {
    return false;
  }
  if (a.is_array()) {
    const auto& x = a.as_array();
    const auto& y = b.as_array();
    if (x.size() != y.size()) {
      return false;
    }
    for (size_t i = 0; i < x.size(); ++i) {
      if (!same_json(x[i], y[i])) {
        return false;
      }
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.as_object();
    const auto& y = b.as_object();
    if (x.size() != y.size()) {
      return false;
    }
    for (const auto& [key, value] : x) {
      const json::value* other = y.if_contains(key);
      if (other == nullptr || !same_json(value, *other)) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

// analysis.json, as the storyboard stage reads it back.
void expect_round_trip(const analysis::Analysis& a) {
  const json::value written = app::analysis_json(a);
  auto back = app::analysis_of(json::parse(json::serialize(written)));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(same_json(app::analysis_json(*back), written));
  ASSERT_EQ(back->scenes.size(), a.scenes.size());
  for (size_t i = 0; i < a.scenes.size(); ++i) {
    EXPECT_EQ(back->scenes[i].setting, a.scenes[i].setting);
    EXPECT_EQ(back->scenes[i].summary, a.scenes[i].summary);
    EXPECT_EQ(back->scenes[i].tone.emotions.size(), a.scenes[i].tone.emotions.size());
    EXPECT_EQ(back->scenes[i].tone.dominant, a.scenes[i].tone.dominant);
    EXPECT_NEAR(back->scenes[i].tone.valence, a.scenes[i].tone.valence, 1e-12);
  }
  ASSERT_EQ(back->characters.size(), a.characters.size());
  for (size_t i = 0; i < a.characters.size(); ++i) {
    EXPECT_EQ(back->characters[i].aliases, a.characters[i].aliases);
    EXPECT_EQ(back->characters[i].gender, a.characters[i].gender);
  }
  ASSERT_EQ(back->dialogue.size(), a.dialogue.size());
  for (size_t i = 0; i < a.dialogue.size(); ++i) {
    EXPECT_EQ(back->dialogue[i].at.offset, a.dialogue[i].at.offset);
    EXPECT_EQ(back->dialogue[i].character_id, a.dialogue[i].character_id);
  }
  EXPECT_EQ(back->language, a.language);
  EXPECT_EQ(back->classification.genre_hints, a.classification.genre_hints);
}

TEST(AnalysisJson, RoundTripsTheClassicalAnalysis) {
  for (const char* name : {"alice_en.txt", "sarrasine_fr.txt"}) {
    SCOPED_TRACE(name);
    const auto a = analysis::analyse(fixture_book(name, 3), app::analysis_options());
    ASSERT_FALSE(a.scenes.empty());
    bool some_setting = false;
    for (const auto& s : a.scenes) {
      some_setting = some_setting || !s.setting.empty();
    }
    EXPECT_TRUE(some_setting) << "the fixture should name a setting";
    expect_round_trip(a);
  }
}

TEST_F(ChatAnalystTest, TheChatAnalysisRoundTripsToo) {
  auto a = analyse(options());
  ASSERT_TRUE(a) << a.error().message;
  expect_round_trip(*a);
}

TEST(AnalysisJson, RefusesMalformedAnalyses) {
  EXPECT_FALSE(app::analysis_of(json::value("analysis")));
  EXPECT_FALSE(app::analysis_of(json::object{}));
  auto a = app::analysis_json(
      analysis::analyse(fixture_book("alice_en.txt", 1), app::analysis_options()));
  ASSERT_FALSE(a.at("scenes").as_array().empty());
  auto bad_emotion = a;
  bad_emotion["scenes"].as_array()[0].as_object()["tone"].as_object()["dominant"] = "melancholy";
  EXPECT_FALSE(app::analysis_of(bad_emotion));
  auto bad_cast = a;
  bad_cast["scenes"].as_array()[0].as_object()["cast"] = json::array{1, 2};
  EXPECT_FALSE(app::analysis_of(bad_cast));
  auto no_scenes = a;
  no_scenes.erase("scenes");
  auto refused = app::analysis_of(no_scenes);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("analysis"), std::string::npos);
}

}  // namespace
}  // namespace atelier::visiobook
