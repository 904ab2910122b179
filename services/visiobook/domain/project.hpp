// A VisioBook project: the book's settings (visual style, aspect ratio, voice, pacing, target
// length) and the pipeline that turns its source into a storyboard and a video, stage by stage.
// Pure rules: validation with per-field messages, which stages a re-run redoes, the status.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::domain {

enum class Style { kSketch, kComic, kNoir };
enum class Aspect { kWide, kClassic, kSquare, kPortrait };  // 16:9, 4:3, 1:1, 9:16
enum class Pacing { kSlow, kNormal, kFast };

std::string_view style_name(Style s);    // "sketch", "comic", "noir"
std::string_view aspect_name(Aspect a);  // "16:9", "4:3", "1:1", "9:16"
std::string_view pacing_name(Pacing p);  // "slow", "normal", "fast"
std::optional<Style> parse_style(std::string_view s);
std::optional<Aspect> parse_aspect(std::string_view s);
std::optional<Pacing> parse_pacing(std::string_view s);
std::string_view language_code(Language l);  // "fr", "en"
std::optional<Language> parse_language(std::string_view s);

struct FrameSize {
  int width = 0;
  int height = 0;
};
FrameSize frame_size(Aspect aspect);  // 1280x720, 960x720, 720x720, 720x1280
int words_per_minute(Pacing pacing);  // the narration's speed: 140, 165, 195

struct Settings {
  Style style = Style::kSketch;
  Aspect aspect = Aspect::kWide;
  Pacing pacing = Pacing::kNormal;
  std::optional<Language> language;  // none: guessed from the text at ingestion
  std::string voice;                 // "" or an espeak-ng variant ("f2", "m3")
  int target_minutes = 5;            // the video's aimed length, 1..120
};

// kInvalid with one FieldError per bad setting.
Result<void> validate(const Settings& settings);

// The pipeline, in order. A run starts at one stage and redoes it and every stage after it; the
// stages before keep what the current version has.
enum class Stage { kIngestion, kAnalysis, kStoryboard, kNarration, kAssembly };
inline constexpr std::array<Stage, 5> kStages = {
    Stage::kIngestion, Stage::kAnalysis, Stage::kStoryboard, Stage::kNarration, Stage::kAssembly};
std::string_view stage_name(Stage s);  // "ingestion", "analysis", "storyboard", ...
std::optional<Stage> parse_stage(std::string_view s);

enum class StageStatus { kPending, kRunning, kDone, kFailed, kSkipped };
std::string_view stage_status_name(StageStatus s);
std::optional<StageStatus> parse_stage_status(std::string_view s);

struct StageState {
  Stage stage = Stage::kIngestion;
  StageStatus status = StageStatus::kPending;
  int progress = 0;   // percent
  std::string error;  // when failed
};

// The project as a whole: draft (no source yet), ready to run, queued, running, done, failed.
enum class Status { kDraft, kIdle, kQueued, kRunning, kDone, kFailed };
std::string_view status_name(Status s);
std::optional<Status> parse_status(std::string_view s);

// Whether a run from `from` may start: the project has a source, is not already queued or
// running, and every stage before `from` is done in the current version. kConflict says why.
Result<void> can_run(Status status, bool has_source, const std::vector<StageState>& stages,
                     Stage from);

// The stage states at the start of a run from `from`: earlier stages keep their state, `from`
// and later ones go back to pending.
std::vector<StageState> stages_for_run(const std::vector<StageState>& current, Stage from);

// A fresh project's stages: all pending.
std::vector<StageState> initial_stages();

}  // namespace atelier::visiobook::domain
