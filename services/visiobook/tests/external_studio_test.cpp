// The HTTP studio against a fake images and speech server: what it sends, that it keeps the
// server's PNG and WAV as they came, that it refuses anything else, and that what is not
// configured (and always assembly and the PDF) is left to the studio it wraps. And the settings
// that turn the external servers on.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "atelier/core/config.hpp"
#include "external_fake_server.hpp"
#include "visiobook/adapters/http_studio.hpp"

namespace atelier::visiobook {
namespace {

using testing::FakeModelServer;

constexpr const char* kImagesPath = "/v1/images/generations";
constexpr const char* kSpeechPath = "/v1/audio/speech";

// The wrapped studio: counts its calls and answers what no server would.
class CountingStudio final : public app::Studio {
 public:
  Result<std::string> draw_panel(const domain::Shot&, domain::Style, domain::FrameSize) override {
    ++panels;
    return std::string("local panel");
  }
  Result<app::SpokenText> narrate(const std::string&, domain::Language,
                                  const domain::Settings&) override {
    ++narrations;
    return app::SpokenText{"local wav", 1.0};
  }
  Result<app::AssembledVideo> assemble(const std::filesystem::path&, const domain::Storyboard&,
                                       std::span<const std::string>, std::span<const std::string>,
                                       domain::FrameSize) override {
    ++videos;
    return app::AssembledVideo{2.0, "WEBVTT\n"};
  }
  Result<std::string> storyboard_pdf(const std::string&, const domain::Storyboard&,
                                     std::span<const std::string>) override {
    ++pdfs;
    return std::string("%PDF-local");
  }
  int panels = 0;
  int narrations = 0;
  int videos = 0;
  int pdfs = 0;
};

domain::Shot rabbit_hole() {
  domain::Shot shot;
  shot.title = "Chapter 1 — scene 2";
  shot.caption = "Alice follows the White Rabbit down the rabbit-hole.";
  shot.narration = "Down, down, down. Would the fall never come to an end?";
  shot.setting = domain::Setting::kForest;
  shot.time = domain::TimeOfDay::kDusk;
  shot.figures = {{"c1", "Alice", {}, true}, {"c2", "White Rabbit", {}, false}};
  return shot;
}

class HttpStudioTest : public ::testing::Test {
 protected:
  adapters::HttpStudioOptions options(bool images, bool speech) const {
    adapters::HttpStudioOptions o;
    o.images_url = images ? fake_.url() : "";
    o.images_model = "pixel-model";
    o.speech_url = speech ? fake_.url() : "";
    o.speech_model = "voice-model";
    o.speech_voice = "nova";
    o.api_key = "sk-studio";
    o.timeout = std::chrono::seconds(5);
    o.backoff = std::chrono::milliseconds(10);
    return o;
  }

  std::unique_ptr<app::Studio> studio(bool images, bool speech) {
    auto local = std::make_unique<CountingStudio>();
    local_ = local.get();
    return adapters::make_http_studio(options(images, speech), std::move(local));
  }

  FakeModelServer fake_;
  CountingStudio* local_ = nullptr;
};

TEST_F(HttpStudioTest, DrawsPanelsThroughTheImagesEndpoint) {
  auto s = studio(true, false);
  auto png = s->draw_panel(rabbit_hole(), domain::Style::kComic, {1280, 720});
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(*png, FakeModelServer::png());
  EXPECT_EQ(local_->panels, 0);

  const auto requests = fake_.requests(kImagesPath);
  ASSERT_EQ(requests.size(), 1u);
  const auto& body = requests[0].body;
  EXPECT_EQ(requests[0].authorization, "Bearer sk-studio");
  EXPECT_EQ(body.at("model").as_string(), "pixel-model");
  EXPECT_EQ(body.at("size").as_string(), "1280x720");
  EXPECT_EQ(body.at("response_format").as_string(), "b64_json");
  const std::string prompt(body.at("prompt").as_string());
  for (const char* part : {"comic", "forest", "dusk", "Alice", "White Rabbit",
                           "Alice follows the White Rabbit down the rabbit-hole."}) {
    EXPECT_NE(prompt.find(part), std::string::npos) << part << " not in: " << prompt;
  }
  EXPECT_EQ(prompt, adapters::panel_prompt(rabbit_hole(), domain::Style::kComic));

  // Speech is not configured: the wrapped studio speaks.
  auto spoken = s->narrate("Down, down, down.", domain::Language::kEnglish, {});
  ASSERT_TRUE(spoken);
  EXPECT_EQ(spoken->wav, "local wav");
  EXPECT_EQ(local_->narrations, 1);
  EXPECT_TRUE(fake_.requests(kSpeechPath).empty());
}

TEST_F(HttpStudioTest, SpeaksThroughTheSpeechEndpoint) {
  auto s = studio(false, true);
  domain::Settings settings;
  settings.voice = "f2";  // an espeak-ng variant: not for the server
  auto spoken = s->narrate("Down, down, down.", domain::Language::kEnglish, settings);
  ASSERT_TRUE(spoken) << spoken.error().message;
  EXPECT_EQ(spoken->wav, FakeModelServer::wav());
  EXPECT_DOUBLE_EQ(spoken->seconds, 0.5);
  EXPECT_EQ(local_->narrations, 0);

  const auto requests = fake_.requests(kSpeechPath);
  ASSERT_EQ(requests.size(), 1u);
  const auto& body = requests[0].body;
  EXPECT_EQ(body.at("model").as_string(), "voice-model");
  EXPECT_EQ(body.at("input").as_string(), "Down, down, down.");
  EXPECT_EQ(body.at("voice").as_string(), "nova");
  EXPECT_EQ(body.at("response_format").as_string(), "wav");

  auto png = s->draw_panel(rabbit_hole(), domain::Style::kSketch, {720, 720});
  ASSERT_TRUE(png);
  EXPECT_EQ(*png, "local panel");
  EXPECT_TRUE(fake_.requests(kImagesPath).empty());
}

TEST_F(HttpStudioTest, RefusesAnImageThatIsNotAPng) {
  fake_.set_images(FakeModelServer::Images::kNotPng);
  auto png = studio(true, true)->draw_panel(rabbit_hole(), domain::Style::kNoir, {960, 720});
  ASSERT_FALSE(png);
  EXPECT_EQ(png.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(png.error().message.find("the image is not a PNG file"), std::string::npos)
      << png.error().message;
  EXPECT_NE(png.error().message.find(fake_.url() + kImagesPath), std::string::npos);
}

TEST_F(HttpStudioTest, RefusesAudioThatIsNotA16BitMonoWav) {
  fake_.set_speech(FakeModelServer::Speech::kNotWav);
  auto spoken = studio(true, true)->narrate("Down.", domain::Language::kEnglish, {});
  ASSERT_FALSE(spoken);
  EXPECT_NE(spoken.error().message.find("not a 16-bit mono PCM WAVE file"), std::string::npos)
      << spoken.error().message;
  EXPECT_NE(spoken.error().message.find(fake_.url() + kSpeechPath), std::string::npos);
}

TEST_F(HttpStudioTest, ServerErrorsAreRetriedThenFailTheCall) {
  fake_.fail_next(502, 1);
  auto s = studio(true, true);
  auto png = s->draw_panel(rabbit_hole(), domain::Style::kComic, {1280, 720});
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(fake_.requests(kImagesPath).size(), 2u);

  fake_.fail_next(500, 3);
  auto spoken = s->narrate("Down.", domain::Language::kEnglish, {});
  ASSERT_FALSE(spoken);
  EXPECT_NE(spoken.error().message.find("answered HTTP 500"), std::string::npos)
      << spoken.error().message;
  EXPECT_EQ(fake_.requests(kSpeechPath).size(), 3u);
}

TEST_F(HttpStudioTest, AssemblyAndThePdfStayWithTheWrappedStudio) {
  auto s = studio(true, true);
  const std::vector<std::string> panels = {"p"};
  const std::vector<std::string> narrations = {"n"};
  auto video = s->assemble("/tmp/unused.mp4", {}, panels, narrations, {1280, 720});
  ASSERT_TRUE(video);
  EXPECT_EQ(video->webvtt, "WEBVTT\n");
  auto pdf = s->storyboard_pdf("Alice", {}, panels);
  ASSERT_TRUE(pdf);
  EXPECT_EQ(*pdf, "%PDF-local");
  EXPECT_EQ(local_->videos, 1);
  EXPECT_EQ(local_->pdfs, 1);
  EXPECT_TRUE(fake_.requests().empty());
}

TEST(ExternalServersConfig, AreOffByDefault) {
  auto config = Config::load(std::nullopt, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->visiobook_chat_url, "");
  EXPECT_EQ(config->visiobook_images_url, "");
  EXPECT_EQ(config->visiobook_speech_url, "");
  EXPECT_EQ(config->visiobook_api_key, "");
}

TEST(ExternalServersConfig, UrlsMustBeHttpAndTheKeyComesFromTheEnvironment) {
  auto config = Config::load(std::nullopt, {{"ATELIER_VISIOBOOK_CHAT_URL", "http://10.0.0.5:8000"},
                                            {"ATELIER_VISIOBOOK_CHAT_MODEL", "mistral-7b"},
                                            {"ATELIER_VISIOBOOK_API_KEY", "sk-secret-42"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->visiobook_chat_url, "http://10.0.0.5:8000");
  EXPECT_EQ(config->visiobook_chat_model, "mistral-7b");
  EXPECT_EQ(config->visiobook_api_key, "sk-secret-42");

  auto https = Config::load(std::nullopt, {{"ATELIER_VISIOBOOK_IMAGES_URL", "https://api.x"}});
  ASSERT_FALSE(https);
  EXPECT_NE(https.error().message.find("ATELIER_VISIOBOOK_IMAGES_URL: expected an http:// URL"),
            std::string::npos)
      << https.error().message;
  Config c;
  for (const char* bad : {"ftp://host", "http://", "http:///path", "localhost:8000"}) {
    auto set = c.set("visiobook_speech_url", bad);
    ASSERT_FALSE(set) << bad;
    EXPECT_NE(set.error().message.find("visiobook_speech_url"), std::string::npos);
  }
  EXPECT_TRUE(c.set("visiobook_speech_url", ""));
  EXPECT_FALSE(c.set("visiobook_speech_voice", ""));

  // `atelier help config` lists the key's variable, never a value.
  bool listed = false;
  for (const auto& [key, description] : Config::describe()) {
    listed = listed || (key == "visiobook_api_key" &&
                        description.find("ATELIER_VISIOBOOK_API_KEY") != std::string::npos);
    EXPECT_EQ(description.find("sk-secret-42"), std::string::npos);
  }
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace atelier::visiobook
