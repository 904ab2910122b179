// Test support: a fake model server in the process (the repo's own http::Server on a free
// loopback port) that speaks the OpenAI-style endpoints VisioBook's external adapters call: chat
// completions, image generations and speech. Its answers are canned but valid and derived from
// the request, unless a test asks for a failure; every request is recorded.
#pragma once

#include <boost/json/object.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/http/server.hpp"

namespace atelier::visiobook::testing {

struct RecordedRequest {
  std::string path;
  std::string authorization;  // the header's value, "" when absent
  boost::json::object body;
};

class FakeModelServer {
 public:
  enum class Chat { kValid, kMalformedJson, kWrongEmotion, kNumberSummary, kLongSummary, kHang };
  enum class Images { kPng, kNotPng };
  enum class Speech { kWav, kNotWav };

  FakeModelServer();
  ~FakeModelServer();
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;

  // http://127.0.0.1:<port>, the root the adapters add /v1/... to.
  std::string url() const;

  void set_chat(Chat mode);
  void set_images(Images mode);
  void set_speech(Speech mode);
  // The next `count` requests, of any kind, answer `status` with an error body.
  void fail_next(int status, int count);

  // Every request so far, or those to `path` ("/v1/chat/completions").
  std::vector<RecordedRequest> requests(std::string_view path = {}) const;

  // What the chat route answers: a scene's summary made of the first words of its text, and the
  // book's summary counting the scene summaries it was given.
  static std::string scene_summary(std::string_view text);
  static std::string book_summary(size_t scenes);
  static constexpr const char* kEmotion = "fear";
  static constexpr double kValence = -0.25;
  // The PNG the images route answers (8x6 pixels) and the WAV the speech route answers (0.5 s of
  // a tone at 16 kHz).
  static std::string png();
  static std::string wav();

 private:
  http::Response chat(const http::Request& request);
  http::Response images(const http::Request& request);
  http::Response speech(const http::Request& request);
  // Records the request; a scripted failure when one is due.
  std::optional<http::Response> record(const http::Request& request);

  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool stopping_ = false;
  Chat chat_ = Chat::kValid;
  Images images_ = Images::kPng;
  Speech speech_ = Speech::kWav;
  int failures_left_ = 0;
  int failure_status_ = 500;
  std::vector<RecordedRequest> requests_;
  std::unique_ptr<http::Server> server_;
};

// Standard base64 with padding, as the images endpoint encodes the PNG.
std::string base64(std::string_view bytes);

}  // namespace atelier::visiobook::testing
