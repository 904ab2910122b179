#include "visiobook/adapters/chat_analyst.hpp"

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <optional>

#include "atelier/http/client.hpp"
#include "visiobook/adapters/external_http.hpp"

namespace atelier::visiobook::adapters {

namespace {

namespace json = boost::json;

constexpr const char* kChatPath = "/v1/chat/completions";
// What a summary may be: a few sentences, never a chapter.
constexpr size_t kMaxSceneSummaryBytes = 1'500;
constexpr size_t kMaxBookSummaryBytes = 3'000;
constexpr size_t kSceneSummarySentences = 3;
constexpr size_t kBookSummarySentences = 5;
constexpr std::array<analysis::Emotion, 8> kEmotions = {
    analysis::Emotion::kJoy,   analysis::Emotion::kSadness,     analysis::Emotion::kFear,
    analysis::Emotion::kAnger, analysis::Emotion::kSurprise,    analysis::Emotion::kDisgust,
    analysis::Emotion::kTrust, analysis::Emotion::kAnticipation};

const char* language_name(domain::Language l) {
  return l == domain::Language::kFrench ? "French" : "English";
}

std::string emotion_list() {
  std::string out;
  for (auto e : kEmotions) {
    out += (out.empty() ? "" : ", ") + std::string(analysis::emotion_name(e));
  }
  return out;
}

// At most `limit` bytes of `text`, cut before a UTF-8 continuation byte, at a space when one is
// near the end.
std::string cut(const std::string& text, size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  const size_t space = text.rfind(' ', end);
  if (space != std::string::npos && space + 200 > end) {
    end = space;
  }
  return text.substr(0, end);
}

std::string scene_text(const domain::Book& book, const analysis::Scene& scene) {
  std::string out;
  if (scene.chapter >= book.chapters.size()) {
    return out;
  }
  const auto& paragraphs = book.chapters[scene.chapter].paragraphs;
  for (size_t p = scene.first_paragraph; p <= scene.last_paragraph && p < paragraphs.size(); ++p) {
    if (!out.empty()) {
      out += "\n\n";
    }
    out += paragraphs[p].text;
  }
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// The message content as a JSON object; a Markdown code fence around it is tolerated.
std::optional<json::object> content_object(std::string content) {
  content = trimmed(content);
  if (content.starts_with("```") && content.ends_with("```") && content.size() >= 6) {
    const size_t line = content.find('\n');
    if (line == std::string::npos) {
      return std::nullopt;
    }
    content = trimmed(std::string_view(content).substr(line + 1, content.size() - 3 - line - 1));
  }
  boost::system::error_code ec;
  json::value v = json::parse(content, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::optional<double> number(const json::value* v) {
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_double()) {
    return v->as_double();
  }
  if (v->is_int64()) {
    return static_cast<double>(v->as_int64());
  }
  if (v->is_uint64()) {
    return static_cast<double>(v->as_uint64());
  }
  return std::nullopt;
}

class ChatAnalyst final : public app::Analyst {
 public:
  explicit ChatAnalyst(ChatOptions options)
      : options_(std::move(options)), endpoint_{"chat",
                                                endpoint_base(options_.url),
                                                options_.api_key,
                                                options_.timeout,
                                                options_.max_retries,
                                                options_.backoff} {}

  Result<analysis::Analysis> analyse(const domain::Book& book) override {
    analysis::Analysis a = analysis::analyse(book, app::analysis_options());
    if (a.scenes.empty()) {
      return a;
    }
    std::string summaries;
    for (auto& scene : a.scenes) {
      if (auto r = analyse_scene(book, a, scene); !r) {
        return r.error();
      }
      summaries += std::to_string(scene.index + 1) + ". ";
      for (const auto& sentence : scene.summary) {
        summaries += sentence + " ";
      }
      summaries += "\n";
    }
    json::array messages{
        json::object{{"role", "system"},
                     {"content",
                      "You summarise a novel from the summaries of its scenes. Answer "
                      "with a JSON object only: {\"summary\": string}, the summary in "
                      "2 to 5 sentences, in " +
                          std::string(language_name(a.language)) + "."}},
        json::object{{"role", "user"},
                     {"content", "Book: " + book.title + "\n\nScene summaries:\n" +
                                     cut(summaries, options_.max_scene_chars)}}};
    auto answer = ask(std::move(messages));
    if (!answer) {
      return std::move(answer).error();
    }
    auto summary = summary_of(*answer, kMaxBookSummaryBytes, kBookSummarySentences, a.language);
    if (!summary) {
      return unusable("the book's summary", summary.error().message);
    }
    a.summary = std::move(*summary);
    return a;
  }

 private:
  Result<void> analyse_scene(const domain::Book& book, const analysis::Analysis& a,
                             analysis::Scene& scene) {
    std::string cast;
    for (const auto& id : scene.cast) {
      for (const auto& c : a.characters) {
        if (c.id == id) {
          cast += (cast.empty() ? "" : ", ") + c.name;
        }
      }
    }
    const std::string chapter =
        scene.chapter < book.chapters.size() ? book.chapters[scene.chapter].title : "";
    json::array messages{
        json::object{
            {"role", "system"},
            {"content",
             "You analyse one scene of a novel. Answer with a JSON object only: "
             "{\"summary\": string, \"emotion\": string, \"valence\": number}. summary: "
             "what happens in the scene, in 1 to 3 sentences, in " +
                 std::string(language_name(a.language)) +
                 ". emotion: the scene's dominant emotion, exactly one of " + emotion_list() +
                 ". valence: from -1 (dark, painful) to 1 (bright, happy)."}},
        json::object{
            {"role", "user"},
            {"content", "Book: " + book.title + "\nChapter: " + chapter +
                            "\nCharacters present: " + (cast.empty() ? "-" : cast) + "\n\nText:\n" +
                            cut(scene_text(book, scene), options_.max_scene_chars)}}};
    auto answer = ask(std::move(messages));
    if (!answer) {
      return std::move(answer).error();
    }
    const std::string what = "scene " + std::to_string(scene.index + 1);
    auto summary = summary_of(*answer, kMaxSceneSummaryBytes, kSceneSummarySentences, a.language);
    if (!summary) {
      return unusable(what, summary.error().message);
    }
    const json::value* emotion = answer->if_contains("emotion");
    std::optional<analysis::Emotion> dominant;
    if (emotion != nullptr && emotion->is_string()) {
      std::string name(emotion->as_string());
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      for (auto e : kEmotions) {
        if (name == analysis::emotion_name(e)) {
          dominant = e;
        }
      }
    }
    if (!dominant) {
      return unusable(what, "\"emotion\" must be one of " + emotion_list() + ", got " +
                                (emotion == nullptr ? "nothing" : json::serialize(*emotion)));
    }
    const auto valence = number(answer->if_contains("valence"));
    if (!valence || *valence < -1.0 || *valence > 1.0) {
      return unusable(what, "\"valence\" must be a number from -1 to 1");
    }
    scene.summary = std::move(*summary);
    // The model names the dominant emotion, not shares of lexicon hits: it is the whole mood.
    scene.tone.emotions = {{*dominant, 1.0}};
    scene.tone.dominant = *dominant;
    scene.tone.valence = *valence;
    return {};
  }

  // "summary": a non-empty string of at most `max_bytes`, as its first `max_sentences`.
  static Result<std::vector<std::string>> summary_of(const json::object& answer, size_t max_bytes,
                                                     size_t max_sentences,
                                                     domain::Language language) {
    const json::value* v = answer.if_contains("summary");
    if (v == nullptr || !v->is_string()) {
      return Error::invalid("\"summary\" must be a string");
    }
    const std::string text = trimmed(v->as_string());
    if (text.empty()) {
      return Error::invalid("\"summary\" is empty");
    }
    if (text.size() > max_bytes) {
      return Error::invalid("\"summary\" is " + std::to_string(text.size()) +
                            " bytes long, more than " + std::to_string(max_bytes));
    }
    auto sentences = analysis::split_sentences(text, language);
    if (sentences.empty()) {
      sentences.push_back(text);
    }
    if (sentences.size() > max_sentences) {
      sentences.resize(max_sentences);
    }
    return sentences;
  }

  Error unusable(const std::string& what, const std::string& why) const {
    return Error::unavailable("visiobook: " + describe(endpoint_, kChatPath) +
                              " answered an unusable analysis of " + what + ": " + why);
  }

  // One chat completion in JSON mode: the JSON object of its first choice's message.
  Result<json::object> ask(json::array messages) {
    json::object body{{"model", options_.model},
                      {"messages", std::move(messages)},
                      {"temperature", 0},
                      {"response_format", json::object{{"type", "json_object"}}}};
    auto response = post_json(client_, endpoint_, kChatPath, body);
    if (!response) {
      return std::move(response).error();
    }
    const auto bad = [&](const std::string& why) -> Error {
      return Error::unavailable("visiobook: " + describe(endpoint_, kChatPath) +
                                " answered something unusable: " + why);
    };
    boost::system::error_code ec;
    json::value v = json::parse(response->body, ec);
    if (ec || !v.is_object()) {
      return bad("the body is not a JSON object");
    }
    const json::value* choices = v.as_object().if_contains("choices");
    if (choices == nullptr || !choices->is_array() || choices->as_array().empty() ||
        !choices->as_array()[0].is_object()) {
      return bad("no choices[0]");
    }
    const json::value* message = choices->as_array()[0].as_object().if_contains("message");
    const json::value* content = message != nullptr && message->is_object()
                                     ? message->as_object().if_contains("content")
                                     : nullptr;
    if (content == nullptr || !content->is_string()) {
      return bad("no choices[0].message.content string");
    }
    auto object = content_object(std::string(content->as_string()));
    if (!object) {
      return bad("choices[0].message.content is not a JSON object");
    }
    return std::move(*object);
  }

  ChatOptions options_;
  Endpoint endpoint_;
  http::Client client_;
};

}  // namespace

std::unique_ptr<app::Analyst> make_chat_analyst(ChatOptions options) {
  return std::make_unique<ChatAnalyst>(std::move(options));
}

}  // namespace atelier::visiobook::adapters
