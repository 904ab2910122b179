#include "external_fake_server.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cmath>

#include "atelier/media/panel.hpp"
#include "visiobook/adapters/local_studio.hpp"

namespace atelier::visiobook::testing {

namespace {

namespace json = boost::json;

// A hanging answer gives up after this, so that a test never waits forever on the fake.
constexpr std::chrono::seconds kLongestHang{10};

http::ServerOptions fake_options() {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.io_threads = 1;
  options.worker_threads = 4;
  options.max_body_bytes = 1u << 20;
  options.shutdown_grace = std::chrono::milliseconds(2'000);
  return options;
}

http::Response completion(const std::string& content) {
  json::object body{
      {"id", "chatcmpl-fake"},
      {"object", "chat.completion"},
      {"choices", json::array{json::object{
                      {"index", 0},
                      {"message", json::object{{"role", "assistant"}, {"content", content}}},
                      {"finish_reason", "stop"}}}}};
  return http::Response::json(200, json::value(std::move(body)));
}

// The text of the last message of a chat request.
std::string last_message(const json::object& body) {
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array() || messages->as_array().empty()) {
    return {};
  }
  const json::value& last = messages->as_array().back();
  const json::value* content = last.is_object() ? last.as_object().if_contains("content") : nullptr;
  return content != nullptr && content->is_string() ? std::string(content->as_string()) : "";
}

}  // namespace

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) {
      group |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    }
    if (i + 2 < bytes.size()) {
      group |= static_cast<uint8_t>(bytes[i + 2]);
    }
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[group & 63] : '=';
  }
  return out;
}

FakeModelServer::FakeModelServer() {
  http::Router router;
  router.add(http::Method::kPost, "/v1/chat/completions",
             [this](http::Request& request) { return chat(request); });
  router.add(http::Method::kPost, "/v1/images/generations",
             [this](http::Request& request) { return images(request); });
  router.add(http::Method::kPost, "/v1/audio/speech",
             [this](http::Request& request) { return speech(request); });
  server_ = std::make_unique<http::Server>(fake_options(), std::move(router),
                                           std::vector<http::Middleware>{});
  const auto started = server_->start();
  if (!started) {
    ADD_FAILURE() << "the fake model server did not start: " << started.error().message;
  }
}

FakeModelServer::~FakeModelServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  released_.notify_all();
  server_->stop();
  server_->wait();
}

std::string FakeModelServer::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

void FakeModelServer::set_chat(Chat mode) {
  std::lock_guard lock(mutex_);
  chat_ = mode;
}

void FakeModelServer::set_images(Images mode) {
  std::lock_guard lock(mutex_);
  images_ = mode;
}

void FakeModelServer::set_speech(Speech mode) {
  std::lock_guard lock(mutex_);
  speech_ = mode;
}

void FakeModelServer::fail_next(int status, int count) {
  std::lock_guard lock(mutex_);
  failure_status_ = status;
  failures_left_ = count;
}

std::vector<RecordedRequest> FakeModelServer::requests(std::string_view path) const {
  std::lock_guard lock(mutex_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (path.empty() || r.path == path) {
      out.push_back(r);
    }
  }
  return out;
}

std::string FakeModelServer::scene_summary(std::string_view text) {
  // The first four words, letters and digits only, so that the summary is one plain sentence.
  std::string words;
  int count = 0;
  bool in_word = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || u >= 0x80) {
      if (!in_word && count == 4) {
        break;
      }
      if (!in_word) {
        words += count > 0 ? " " : "";
        ++count;
      }
      words += c;
      in_word = true;
    } else {
      in_word = false;
    }
  }
  return "The scene opens with " + words + ".";
}

std::string FakeModelServer::book_summary(size_t scenes) {
  return "A book told in " + std::to_string(scenes) + " scenes.";
}

std::string FakeModelServer::png() {
  media::Image image{8, 6, {}};
  for (int i = 0; i < image.width * image.height; ++i) {
    image.bgra.insert(image.bgra.end(), {40, 120, static_cast<uint8_t>(i * 5), 255});
  }
  auto encoded = media::encode_png(image);
  EXPECT_TRUE(encoded) << encoded.error().message;
  return encoded ? *encoded : std::string();
}

std::string FakeModelServer::wav() {
  std::vector<int16_t> samples(8'000);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<int16_t>(8'000 * std::sin(static_cast<double>(i) * 0.1));
  }
  return adapters::wav_file(16'000, samples);
}

std::optional<http::Response> FakeModelServer::record(const http::Request& request) {
  RecordedRequest r;
  r.path = request.path;
  r.authorization = std::string(request.header("Authorization"));
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  if (!ec && body.is_object()) {
    r.body = std::move(body.as_object());
  }
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(r));
  if (failures_left_ > 0) {
    --failures_left_;
    return http::Response::json(
        failure_status_, R"({"error":{"message":"scripted failure","type":"server_error"}})");
  }
  if (ec || !body.is_object()) {
    return http::Response::json(400, R"({"error":{"message":"the body is not a JSON object"}})");
  }
  return std::nullopt;
}

http::Response FakeModelServer::chat(const http::Request& request) {
  if (auto failure = record(request)) {
    return std::move(*failure);
  }
  Chat mode;
  {
    std::unique_lock lock(mutex_);
    mode = chat_;
    if (mode == Chat::kHang) {
      released_.wait_for(lock, kLongestHang, [this] { return stopping_; });
      return http::Response::json(500, R"({"error":{"message":"gave up hanging"}})");
    }
  }
  boost::system::error_code ec;
  const json::object body = json::parse(request.body, ec).as_object();
  const std::string asked = last_message(body);
  const size_t scenes_at = asked.find("Scene summaries:\n");
  if (scenes_at != std::string::npos) {
    size_t lines = 0;  // "1. ...", "2. ...": one line per scene
    for (size_t at = asked.find('\n', scenes_at); at != std::string::npos;
         at = asked.find('\n', at + 1)) {
      lines += at + 1 < asked.size() && std::isdigit(static_cast<unsigned char>(asked[at + 1])) != 0
                   ? 1
                   : 0;
    }
    return completion(json::serialize(json::object{{"summary", book_summary(lines)}}));
  }
  const size_t text_at = asked.find("Text:\n");
  const std::string text = text_at == std::string::npos ? asked : asked.substr(text_at + 6);
  json::object answer{
      {"summary", scene_summary(text)}, {"emotion", kEmotion}, {"valence", kValence}};
  switch (mode) {
    case Chat::kMalformedJson:
      return completion("{\"summary\": \"The scene opens" /* cut short */);
    case Chat::kWrongEmotion:
      answer["emotion"] = "melancholy";
      break;
    case Chat::kNumberSummary:
      answer["summary"] = 42;
      break;
    case Chat::kLongSummary:
      answer["summary"] = std::string(5'000, 'a') + ".";
      break;
    case Chat::kValid:
    case Chat::kHang:
      break;
  }
  return completion(json::serialize(answer));
}

http::Response FakeModelServer::images(const http::Request& request) {
  if (auto failure = record(request)) {
    return std::move(*failure);
  }
  std::string bytes = png();
  {
    std::lock_guard lock(mutex_);
    if (images_ == Images::kNotPng) {
      bytes = "GIF89a\x08\x00\x06\x00 not a PNG at all";
    }
  }
  return http::Response::json(
      200,
      json::value(json::object{{"created", 1700000000},
                               {"data", json::array{json::object{{"b64_json", base64(bytes)}}}}}));
}

http::Response FakeModelServer::speech(const http::Request& request) {
  if (auto failure = record(request)) {
    return std::move(*failure);
  }
  bool wav_answer = true;
  {
    std::lock_guard lock(mutex_);
    wav_answer = speech_ == Speech::kWav;
  }
  // Not a WAV: the start of an MP3 file (an ID3 tag), as a server ignoring response_format sends.
  http::Response r = http::Response::text(
      200, wav_answer ? wav() : std::string("ID3\x04\x00\x00\x00\x00\x00\x00 mp3 frames", 20));
  r.headers.set("Content-Type", wav_answer ? "audio/wav" : "audio/mpeg");
  return r;
}

}  // namespace atelier::visiobook::testing
