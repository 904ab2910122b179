// The rules of a VisioBook project: settings validation, which runs may start, and what a run from
// a later stage keeps.
#include "visiobook/domain/project.hpp"

#include <gtest/gtest.h>

namespace atelier::visiobook::domain {
namespace {

std::vector<StageState> all(StageStatus status) {
  auto stages = initial_stages();
  for (auto& s : stages) {
    s.status = status;
    s.progress = status == StageStatus::kDone ? 100 : 0;
  }
  return stages;
}

TEST(Settings, DefaultsAreValidAndBadOnesAreEachNamed) {
  EXPECT_TRUE(validate(Settings{}));
  Settings s;
  s.target_minutes = 0;
  s.voice = "x9";
  auto r = validate(s);
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "target_minutes");
  EXPECT_EQ(r.error().fields[1].field, "voice");
  s = Settings{};
  s.target_minutes = 121;
  EXPECT_FALSE(validate(s));
  s.target_minutes = 120;
  s.voice = "f2";
  EXPECT_TRUE(validate(s));
}

TEST(Settings, NamesRoundTrip) {
  for (Style v : {Style::kSketch, Style::kComic, Style::kNoir}) {
    EXPECT_EQ(parse_style(style_name(v)), v);
  }
  for (Aspect v : {Aspect::kWide, Aspect::kClassic, Aspect::kSquare, Aspect::kPortrait}) {
    EXPECT_EQ(parse_aspect(aspect_name(v)), v);
    const FrameSize f = frame_size(v);
    EXPECT_EQ(f.width % 2, 0);  // H.264 in 4:2:0 wants even sizes
    EXPECT_EQ(f.height % 2, 0);
  }
  for (Stage v : kStages) {
    EXPECT_EQ(parse_stage(stage_name(v)), v);
  }
  EXPECT_FALSE(parse_style("watercolour"));
  EXPECT_FALSE(parse_aspect("21:9"));
  EXPECT_LT(words_per_minute(Pacing::kSlow), words_per_minute(Pacing::kNormal));
  EXPECT_LT(words_per_minute(Pacing::kNormal), words_per_minute(Pacing::kFast));
}

TEST(Runs, NeedASourceAndNoRunInProgress) {
  EXPECT_EQ(can_run(Status::kDraft, false, initial_stages(), Stage::kIngestion).error().code,
            ErrorCode::kConflict);
  EXPECT_TRUE(can_run(Status::kIdle, true, initial_stages(), Stage::kIngestion));
  EXPECT_FALSE(can_run(Status::kQueued, true, all(StageStatus::kDone), Stage::kIngestion));
  EXPECT_FALSE(can_run(Status::kRunning, true, all(StageStatus::kDone), Stage::kAssembly));
  EXPECT_TRUE(can_run(Status::kFailed, true, initial_stages(), Stage::kIngestion));
}

TEST(Runs, FromALaterStageNeedEveryEarlierStageDone) {
  auto stages = all(StageStatus::kDone);
  stages[2].status = StageStatus::kFailed;  // storyboard
  EXPECT_TRUE(can_run(Status::kFailed, true, stages, Stage::kStoryboard));
  auto refused = can_run(Status::kFailed, true, stages, Stage::kNarration);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("storyboard"), std::string::npos);
}

TEST(Runs, KeepTheStagesBeforeTheirStartAndResetTheRest) {
  auto stages = stages_for_run(all(StageStatus::kDone), Stage::kNarration);
  ASSERT_EQ(stages.size(), kStages.size());
  for (const auto& s : stages) {
    if (s.stage < Stage::kNarration) {
      EXPECT_EQ(s.status, StageStatus::kDone);
      EXPECT_EQ(s.progress, 100);
    } else {
      EXPECT_EQ(s.status, StageStatus::kPending);
      EXPECT_EQ(s.progress, 0);
    }
  }
}

}  // namespace
}  // namespace atelier::visiobook::domain
