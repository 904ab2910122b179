// The project's rules without a server or a database: the status state machine and validation.
#include "projects/domain/project.hpp"

#include <gtest/gtest.h>

#include <set>

namespace atelier::projects::domain {
namespace {

using S = Status;

Project valid_project() {
  Project p;
  p.code = "RES-TILLEULS";
  p.name = "Résidence Les Tilleuls";
  p.start_date = "2026-03-02";
  p.end_date = "2027-06-30";
  p.budget_minor = 1'250'000'00;
  return p;
}

std::set<std::string> fields_of(const Result<void>& r) {
  std::set<std::string> out;
  if (!r) {
    for (const auto& f : r.error().fields) {
      out.insert(f.field);
    }
  }
  return out;
}

TEST(ProjectStatus, EveryLegalTransitionIsAllowed) {
  const std::pair<S, S> legal[] = {
      {S::kDraft, S::kPlanned},        {S::kDraft, S::kCancelled},
      {S::kPlanned, S::kInProgress},   {S::kPlanned, S::kOnHold},
      {S::kPlanned, S::kCancelled},    {S::kInProgress, S::kOnHold},
      {S::kInProgress, S::kCompleted}, {S::kInProgress, S::kCancelled},
      {S::kOnHold, S::kInProgress},    {S::kOnHold, S::kCancelled},
  };
  for (const auto& [from, to] : legal) {
    EXPECT_TRUE(check_transition(from, to)) << status_name(from) << " -> " << status_name(to);
  }
}

TEST(ProjectStatus, ExactlyTheLegalTransitionsAreAllowed) {
  const S all[] = {S::kDraft,  S::kPlanned,   S::kInProgress,
                   S::kOnHold, S::kCompleted, S::kCancelled};
  int allowed = 0;
  for (S from : all) {
    for (S to : all) {
      allowed += check_transition(from, to) ? 1 : 0;
    }
  }
  EXPECT_EQ(allowed, 10);
}

TEST(ProjectStatus, IllegalTransitionIsAConflictListingTheAllowedTargets) {
  auto r = check_transition(S::kDraft, S::kCompleted);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("planned, cancelled"), std::string::npos) << r.error().message;

  auto back = check_transition(S::kInProgress, S::kDraft);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("on_hold, completed, cancelled"), std::string::npos);
}

TEST(ProjectStatus, CompletedAndCancelledAreFinal) {
  for (S final_status : {S::kCompleted, S::kCancelled}) {
    EXPECT_TRUE(allowed_transitions(final_status).empty());
    auto r = check_transition(final_status, S::kInProgress);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_NE(r.error().message.find("final"), std::string::npos);
  }
}

TEST(ProjectStatus, NamesRoundTrip) {
  for (S s : {S::kDraft, S::kPlanned, S::kInProgress, S::kOnHold, S::kCompleted, S::kCancelled}) {
    EXPECT_EQ(parse_status(status_name(s)), s);
  }
  EXPECT_FALSE(parse_status("started"));
  EXPECT_FALSE(parse_status("Draft"));
}

TEST(ProjectValidation, AValidProjectPasses) {
  auto r = validate(valid_project());
  EXPECT_TRUE(r) << r.error().message;
  Project open_ended = valid_project();
  open_ended.end_date.reset();
  open_ended.budget_minor.reset();
  EXPECT_TRUE(validate(open_ended));
}

TEST(ProjectValidation, ReportsEveryBadFieldAtOnce) {
  Project p = valid_project();
  p.name = "";
  p.code = "res tilleuls";
  p.start_date = "2026-02-30";
  p.end_date = "30/06/2027";
  p.currency = "eur";
  p.budget_minor = -1;
  auto r = validate(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(fields_of(r), (std::set<std::string>{"name", "code", "start_date", "end_date",
                                                 "currency", "budget_minor"}));
}

TEST(ProjectValidation, EndDateCannotPrecedeStartDate) {
  Project p = valid_project();
  p.end_date = "2026-03-01";
  EXPECT_EQ(fields_of(validate(p)), std::set<std::string>{"end_date"});
  p.end_date = p.start_date;  // a one-day job is fine
  EXPECT_TRUE(validate(p));
}

TEST(ProjectValidation, NameAndCodeLengths) {
  Project p = valid_project();
  p.name = std::string(200, 'a');
  p.code = std::string(32, 'A');
  EXPECT_TRUE(validate(p));
  p.name = std::string(201, 'a');
  p.code = std::string(33, 'A');
  EXPECT_EQ(fields_of(validate(p)), (std::set<std::string>{"name", "code"}));
}

TEST(ProjectValidation, NameLengthCountsCharactersNotBytes) {
  Project p = valid_project();
  std::string accents;
  for (int i = 0; i < 200; ++i) {
    accents += "é";  // two bytes each in UTF-8
  }
  p.name = accents;
  EXPECT_TRUE(validate(p));
}

TEST(ProjectValidation, IsoDates) {
  EXPECT_TRUE(is_iso_date("2028-02-29"));
  EXPECT_FALSE(is_iso_date("2027-02-29"));
  EXPECT_FALSE(is_iso_date("2026-13-01"));
  EXPECT_FALSE(is_iso_date("2026-1-01"));
  EXPECT_FALSE(is_iso_date("2026-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace atelier::projects::domain
