// Narration with espeak-ng: French and English speech, longer texts last longer, faster rates
// are shorter, bad voices and rates refused, and two threads served one after the other.
#include "atelier/media/narration.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

namespace atelier::media {
namespace {

class NarrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Narrator::open();
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    narrator_ = std::move(opened).value();
  }

  Audio speak(const std::string& text, const Voice& voice) {
    auto audio = narrator_->speak(text, voice);
    EXPECT_TRUE(audio.ok()) << audio.error().message;
    return audio.ok() ? std::move(audio).value() : Audio{};
  }

  // Samples louder than near silence: speech, not padding.
  static int loud(const Audio& audio) {
    int n = 0;
    for (const int16_t s : audio.samples) {
      n += (s > 1000 || s < -1000) ? 1 : 0;
    }
    return n;
  }

  std::unique_ptr<Narrator> narrator_;
};

TEST_F(NarrationTest, FrenchAndEnglishTextProduceSpeech) {
  const Audio fr = speak("Bonjour, je m'appelle Élodie et j'habite à Besançon.", {"fr", "", 160});
  const Audio en = speak("Hello, my name is Alice and I live in London.", {"en", "", 160});
  for (const Audio* audio : {&fr, &en}) {
    EXPECT_EQ(audio->sample_rate, 22050);
    EXPECT_GT(audio->seconds(), 1.5);
    EXPECT_LT(audio->seconds(), 10.0);
    EXPECT_GT(loud(*audio), audio->sample_rate / 4);
  }
}

TEST_F(NarrationTest, LongerTextLastsLongerAndAFasterRateIsShorter) {
  const std::string sentence = "Il était une fois une petite fille qui vivait au bord de la mer. ";
  const Audio one = speak(sentence, {"fr", "", 160});
  const Audio three = speak(sentence + sentence + sentence, {"fr", "", 160});
  EXPECT_GT(three.seconds(), one.seconds() * 2.2);
  const Audio fast = speak(sentence, {"fr", "", 320});
  EXPECT_LT(fast.seconds(), one.seconds() * 0.75);
  const Audio slow = speak(sentence, {"fr", "", 90});
  EXPECT_GT(slow.seconds(), one.seconds() * 1.3);
}

TEST_F(NarrationTest, AVariantChangesTheVoice) {
  const Audio plain = speak("Bonjour tout le monde.", {"fr", "", 160});
  const Audio variant = speak("Bonjour tout le monde.", {"fr", "f2", 160});
  EXPECT_GT(variant.seconds(), 0.5);
  EXPECT_NE(plain.samples, variant.samples);
}

TEST_F(NarrationTest, BlankTextIsSilent) {
  const Audio audio = speak("  \n ", {"en", "", 160});
  EXPECT_TRUE(audio.samples.empty());
}

TEST_F(NarrationTest, BadLanguagesVariantsAndRatesAreInvalid) {
  const std::vector<Voice> bad = {
      {"de", "", 160}, {"", "", 160}, {"french", "", 160}, {"fr", "", 79},
      {"fr", "", 451}, {"en", "", 0}, {"fr", "m3;", 160},  {"fr", "nosuchvariant", 160}};
  for (const auto& voice : bad) {
    const auto audio = narrator_->speak("Bonjour.", voice);
    ASSERT_FALSE(audio.ok()) << voice.language << "+" << voice.variant << " "
                             << voice.words_per_minute;
    EXPECT_EQ(audio.error().code, ErrorCode::kInvalid);
    EXPECT_FALSE(audio.error().message.empty());
  }
  EXPECT_TRUE(narrator_->speak("Bonjour.", {"fr", "", 80}).ok());
  EXPECT_TRUE(narrator_->speak("Hello.", {"en", "", 450}).ok());
}

TEST_F(NarrationTest, OpeningAgainSharesTheEngineAndAMissingDataPathIsUnavailable) {
  auto again = Narrator::open();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->speak("Encore.", {"fr", "", 160}).ok());
  const auto missing = Narrator::open("/nonexistent/espeak-ng-data");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
}

TEST_F(NarrationTest, TwoThreadsSpeakingAtOnceBothGetTheirWholeText) {
  const std::string fr = "Le vieux marin regardait l'horizon sans rien dire.";
  const std::string en = "The old sailor looked at the horizon without a word.";
  const Audio fr_alone = speak(fr, {"fr", "", 170});
  const Audio en_alone = speak(en, {"en", "", 170});
  auto second = Narrator::open();
  ASSERT_TRUE(second.ok());
  Result<Audio> fr_result = Error::internal("not run");
  Result<Audio> en_result = Error::internal("not run");
  std::thread a([&] {
    for (int i = 0; i < 3 && (i == 0 || fr_result.ok()); ++i) {
      fr_result = narrator_->speak(fr, {"fr", "", 170});
    }
  });
  std::thread b([&] {
    for (int i = 0; i < 3 && (i == 0 || en_result.ok()); ++i) {
      en_result = (*second)->speak(en, {"en", "", 170});
    }
  });
  a.join();
  b.join();
  ASSERT_TRUE(fr_result.ok()) << fr_result.error().message;
  ASSERT_TRUE(en_result.ok()) << en_result.error().message;
  // Serialised calls do not mix: each thread got its own text, as long as it is alone (espeak-ng
  // varies a few samples from one call to the next), and in its own language: the two differ.
  EXPECT_NEAR(fr_result->seconds(), fr_alone.seconds(), fr_alone.seconds() * 0.03);
  EXPECT_NEAR(en_result->seconds(), en_alone.seconds(), en_alone.seconds() * 0.03);
  EXPECT_GT(std::abs(fr_alone.seconds() - en_alone.seconds()), 0.1);
  EXPECT_GT(loud(*fr_result), fr_result->sample_rate / 2);
  EXPECT_GT(loud(*en_result), en_result->sample_rate / 2);
}

TEST_F(NarrationTest, SpeaksFasterThanRealTime) {
  const std::string text =
      "Le lendemain matin, le village entier se réveilla sous la neige. Les enfants coururent "
      "dehors, et même le vieux boulanger sortit sur le pas de sa porte pour regarder le ciel.";
  const auto start = std::chrono::steady_clock::now();
  const Audio audio = speak(text, {"fr", "", 160});
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ TIMING   ] narration: " << audio.seconds() << " s of speech in " << took
            << " s (real-time factor " << took / audio.seconds() << ")\n";
  EXPECT_LT(took, audio.seconds());
}

}  // namespace
}  // namespace atelier::media
