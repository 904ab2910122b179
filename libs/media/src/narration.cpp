// espeak-ng behind a process-wide mutex: the library keeps one global engine (voice, rate,
// callback), so every Narrator shares it and speaks one text at a time, synchronously, into a
// buffer handed to the synthesis callback.
#include "atelier/media/narration.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <filesystem>
#include <mutex>
#include <string>

namespace atelier::media {

namespace {

constexpr int kBufferMs = 200;  // how much audio espeak-ng hands the callback at a time
constexpr size_t kMaxTextBytes = 1 << 20;

struct Engine {
  std::mutex mutex;
  bool ready = false;     // under mutex
  std::string data_path;  // as asked for in open()
  std::string data_dir;   // the espeak-ng-data folder in use
  int sample_rate = 0;
};

Engine& engine() {
  static Engine instance;  // never torn down: espeak-ng cannot be initialised twice cleanly
  return instance;
}

std::string status_message(espeak_ng_STATUS status) {
  char buffer[512] = {};
  espeak_ng_GetStatusCodeMessage(status, buffer, sizeof buffer);
  return buffer;
}

// The synthesis callback: appends the samples to the Audio passed as the text's user data.
int collect(short* wav, int count, espeak_EVENT* events) {
  if (wav != nullptr && count > 0 && events != nullptr && events->user_data != nullptr) {
    auto* audio = static_cast<Audio*>(events->user_data);
    audio->samples.insert(audio->samples.end(), wav, wav + count);
  }
  return 0;  // go on
}

// espeak-ng accepts either the espeak-ng-data folder or the folder that holds it.
bool has_data(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  return fs::exists(fs::path(path) / "phontab", ec) ||
         fs::exists(fs::path(path) / "espeak-ng-data" / "phontab", ec);
}

Result<void> validate(const Voice& voice) {
  const auto& lang = voice.language;
  const bool french = lang == "fr" || lang.starts_with("fr-");
  const bool english = lang == "en" || lang.starts_with("en-");
  if (!french && !english) {
    return Error::invalid("narration: the voice language must be \"fr\" or \"en\", got \"" + lang +
                          "\"");
  }
  for (const char c : lang + voice.variant) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return Error::invalid("narration: bad character in the voice \"" + lang + "+" +
                            voice.variant + "\"");
    }
  }
  if (voice.words_per_minute < espeakRATE_MINIMUM || voice.words_per_minute > espeakRATE_MAXIMUM) {
    return Error::invalid("narration: the rate must be " + std::to_string(espeakRATE_MINIMUM) +
                          ".." + std::to_string(espeakRATE_MAXIMUM) + " words a minute, got " +
                          std::to_string(voice.words_per_minute));
  }
  return {};
}

class EspeakNarrator final : public Narrator {
 public:
  Result<Audio> speak(const std::string& text, const Voice& voice) override {
    if (auto valid = validate(voice); !valid) {
      return std::move(valid).error();
    }
    if (text.size() > kMaxTextBytes) {
      return Error::invalid("narration: the text is longer than 1 MiB");
    }
    Engine& e = engine();
    std::lock_guard lock(e.mutex);
    Audio audio;
    audio.sample_rate = e.sample_rate;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return audio;
    }
    // espeak-ng silently ignores a variant it does not know: look for its file first.
    std::error_code ec;
    if (!voice.variant.empty() &&
        !std::filesystem::exists(
            std::filesystem::path(e.data_dir) / "voices" / "!v" / voice.variant, ec)) {
      return Error::invalid("narration: espeak-ng has no voice variant \"" + voice.variant + "\"");
    }
    const std::string name =
        voice.variant.empty() ? voice.language : voice.language + "+" + voice.variant;
    if (espeak_ng_SetVoiceByName(name.c_str()) != ENS_OK) {
      return Error::invalid("narration: espeak-ng has no voice \"" + name + "\"");
    }
    espeak_ng_STATUS status = espeak_ng_SetParameter(espeakRATE, voice.words_per_minute, 0);
    if (status != ENS_OK) {
      return Error::internal("espeak-ng rate: " + status_message(status));
    }
    espeak_SetSynthCallback(collect);
    status = espeak_ng_Synthesize(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, &audio);
    if (status != ENS_OK) {
      return Error::internal("espeak-ng: " + status_message(status));
    }
    status = espeak_ng_Synchronize();
    if (status != ENS_OK) {
      return Error::internal("espeak-ng: " + status_message(status));
    }
    return audio;
  }
};

}  // namespace

Result<std::unique_ptr<Narrator>> Narrator::open(const std::string& data_path) {
  if (!data_path.empty() && !has_data(data_path)) {
    return Error::unavailable("narration: no espeak-ng data (phontab) in \"" + data_path + "\"");
  }
  Engine& e = engine();
  std::lock_guard lock(e.mutex);
  if (e.ready) {
    if (!data_path.empty() && data_path != e.data_path) {
      return Error::invalid("narration: espeak-ng is already running with the data in \"" +
                            e.data_path + "\"; it cannot switch to \"" + data_path + "\"");
    }
    return std::unique_ptr<Narrator>(std::make_unique<EspeakNarrator>());
  }
  espeak_ng_InitializePath(data_path.empty() ? nullptr : data_path.c_str());
  espeak_ng_ERROR_CONTEXT context = nullptr;
  espeak_ng_STATUS status = espeak_ng_Initialize(&context);
  if (status != ENS_OK) {
    espeak_ng_ClearErrorContext(&context);
    return Error::unavailable("narration: espeak-ng cannot start: " + status_message(status));
  }
  status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kBufferMs, nullptr);
  if (status != ENS_OK) {
    return Error::unavailable("narration: espeak-ng output: " + status_message(status));
  }
  e.sample_rate = espeak_ng_GetSampleRate();
  const char* dir = nullptr;
  espeak_Info(&dir);
  e.data_dir = dir != nullptr ? dir : "";
  e.data_path = data_path;
  e.ready = true;
  return std::unique_ptr<Narrator>(std::make_unique<EspeakNarrator>());
}

}  // namespace atelier::media
