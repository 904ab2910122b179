#include "visiobook/domain/project.hpp"

#include <algorithm>

namespace atelier::visiobook::domain {

namespace {

template <class E, size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& names,
                          std::string_view s) {
  for (const auto& [value, name] : names) {
    if (name == s) {
      return value;
    }
  }
  return std::nullopt;
}

template <class E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [value, name] : names) {
    if (value == e) {
      return name;
    }
  }
  return "";
}

constexpr std::array<std::pair<Style, std::string_view>, 3> kStyleNames = {
    {{Style::kSketch, "sketch"}, {Style::kComic, "comic"}, {Style::kNoir, "noir"}}};
constexpr std::array<std::pair<Aspect, std::string_view>, 4> kAspectNames = {
    {{Aspect::kWide, "16:9"},
     {Aspect::kClassic, "4:3"},
     {Aspect::kSquare, "1:1"},
     {Aspect::kPortrait, "9:16"}}};
constexpr std::array<std::pair<Pacing, std::string_view>, 3> kPacingNames = {
    {{Pacing::kSlow, "slow"}, {Pacing::kNormal, "normal"}, {Pacing::kFast, "fast"}}};
constexpr std::array<std::pair<Language, std::string_view>, 2> kLanguageNames = {
    {{Language::kFrench, "fr"}, {Language::kEnglish, "en"}}};
constexpr std::array<std::pair<Stage, std::string_view>, 5> kStageNames = {
    {{Stage::kIngestion, "ingestion"},
     {Stage::kAnalysis, "analysis"},
     {Stage::kStoryboard, "storyboard"},
     {Stage::kNarration, "narration"},
     {Stage::kAssembly, "assembly"}}};
constexpr std::array<std::pair<StageStatus, std::string_view>, 5> kStageStatusNames = {
    {{StageStatus::kPending, "pending"},
     {StageStatus::kRunning, "running"},
     {StageStatus::kDone, "done"},
     {StageStatus::kFailed, "failed"},
     {StageStatus::kSkipped, "skipped"}}};
constexpr std::array<std::pair<Status, std::string_view>, 6> kStatusNames = {
    {{Status::kDraft, "draft"},
     {Status::kIdle, "idle"},
     {Status::kQueued, "queued"},
     {Status::kRunning, "running"},
     {Status::kDone, "done"},
     {Status::kFailed, "failed"}}};

constexpr int kMaxTargetMinutes = 120;

}  // namespace

std::string_view style_name(Style s) {
  return name_of(kStyleNames, s);
}
std::string_view aspect_name(Aspect a) {
  return name_of(kAspectNames, a);
}
std::string_view pacing_name(Pacing p) {
  return name_of(kPacingNames, p);
}
std::string_view language_code(Language l) {
  return name_of(kLanguageNames, l);
}
std::string_view stage_name(Stage s) {
  return name_of(kStageNames, s);
}
std::string_view stage_status_name(StageStatus s) {
  return name_of(kStageStatusNames, s);
}
std::string_view status_name(Status s) {
  return name_of(kStatusNames, s);
}
std::optional<Style> parse_style(std::string_view s) {
  return parse_of(kStyleNames, s);
}
std::optional<Aspect> parse_aspect(std::string_view s) {
  return parse_of(kAspectNames, s);
}
std::optional<Pacing> parse_pacing(std::string_view s) {
  return parse_of(kPacingNames, s);
}
std::optional<Language> parse_language(std::string_view s) {
  return parse_of(kLanguageNames, s);
}
std::optional<Stage> parse_stage(std::string_view s) {
  return parse_of(kStageNames, s);
}
std::optional<StageStatus> parse_stage_status(std::string_view s) {
  return parse_of(kStageStatusNames, s);
}
std::optional<Status> parse_status(std::string_view s) {
  return parse_of(kStatusNames, s);
}

FrameSize frame_size(Aspect aspect) {
  switch (aspect) {
    case Aspect::kWide:
      return {1280, 720};
    case Aspect::kClassic:
      return {960, 720};
    case Aspect::kSquare:
      return {720, 720};
    case Aspect::kPortrait:
      return {720, 1280};
  }
  return {1280, 720};
}

int words_per_minute(Pacing pacing) {
  switch (pacing) {
    case Pacing::kSlow:
      return 140;
    case Pacing::kNormal:
      return 165;
    case Pacing::kFast:
      return 195;
  }
  return 165;
}

Result<void> validate(const Settings& settings) {
  std::vector<FieldError> errors;
  if (settings.target_minutes < 1 || settings.target_minutes > kMaxTargetMinutes) {
    errors.push_back({"target_minutes", "Between 1 and 120 minutes."});
  }
  const bool voice_ok =
      settings.voice.empty() ||
      (settings.voice.size() == 2 && (settings.voice[0] == 'm' || settings.voice[0] == 'f') &&
       settings.voice[1] >= '1' && settings.voice[1] <= '5');
  if (!voice_ok) {
    errors.push_back({"voice", "One of m1..m5 or f1..f5, or empty for the default voice."});
  }
  if (!errors.empty()) {
    return Error::invalid("Some settings are invalid.", std::move(errors));
  }
  return {};
}

Result<void> can_run(Status status, bool has_source, const std::vector<StageState>& stages,
                     Stage from) {
  if (!has_source) {
    return Error::conflict("The project has no source yet: upload the book first.");
  }
  if (status == Status::kQueued || status == Status::kRunning) {
    return Error::conflict("A run of this project is already " + std::string(status_name(status)) +
                           ".");
  }
  for (const auto& s : stages) {
    if (s.stage < from && s.status != StageStatus::kDone) {
      return Error::conflict("The " + std::string(stage_name(s.stage)) +
                             " stage has not run to the end yet: run from " +
                             std::string(stage_name(s.stage)) + " or earlier.");
    }
  }
  return {};
}

std::vector<StageState> stages_for_run(const std::vector<StageState>& current, Stage from) {
  std::vector<StageState> out = initial_stages();
  for (auto& s : out) {
    if (s.stage >= from) {
      continue;
    }
    auto it = std::find_if(current.begin(), current.end(),
                           [&](const StageState& c) { return c.stage == s.stage; });
    if (it != current.end()) {
      s = *it;
    }
  }
  return out;
}

std::vector<StageState> initial_stages() {
  std::vector<StageState> out;
  for (Stage s : kStages) {
    out.push_back(StageState{s, StageStatus::kPending, 0, {}});
  }
  return out;
}

}  // namespace atelier::visiobook::domain
