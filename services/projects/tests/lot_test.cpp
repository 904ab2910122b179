// The lot's and the milestone's rules without a server or a database.
#include "projects/domain/lot.hpp"

#include <gtest/gtest.h>

#include <set>

#include "projects/domain/milestone.hpp"

namespace atelier::projects::domain {
namespace {

std::set<std::string> fields_of(const Result<void>& r) {
  std::set<std::string> out;
  if (!r) {
    for (const auto& f : r.error().fields) {
      out.insert(f.field);
    }
  }
  return out;
}

Project tilleuls() {
  Project p;
  p.start_date = "2026-03-02";
  p.end_date = "2027-06-30";
  return p;
}

TEST(ProjectsLotValidation, AValidLotPasses) {
  Lot lot;
  lot.code = "GO";
  lot.name = "Gros œuvre";
  lot.trade = "maçonnerie";
  lot.budget_minor = 850'000'00;
  EXPECT_TRUE(validate(lot));
  lot.code = "LOT-02.1";
  EXPECT_TRUE(validate(lot));
}

TEST(ProjectsLotValidation, ReportsEveryBadFieldAtOnce) {
  Lot lot;
  lot.code = "go";
  lot.name = "";
  lot.trade = std::string(101, 'x');
  lot.budget_minor = -1;
  lot.currency = "euro";
  lot.position = -1;
  EXPECT_EQ(
      fields_of(validate(lot)),
      (std::set<std::string>{"code", "name", "trade", "budget_minor", "currency", "position"}));
}

TEST(ProjectsMilestoneValidation, DueDateWithinTheProjectWhenItHasAnEnd) {
  Milestone m;
  m.name = "Réception";
  m.due_date = "2027-06-30";
  EXPECT_TRUE(validate(m, tilleuls()));
  m.due_date = "2027-07-01";
  EXPECT_EQ(fields_of(validate(m, tilleuls())), std::set<std::string>{"due_date"});
  m.due_date = "2026-03-01";
  EXPECT_EQ(fields_of(validate(m, tilleuls())), std::set<std::string>{"due_date"});
  Project open_ended = tilleuls();
  open_ended.end_date.reset();
  EXPECT_TRUE(validate(m, open_ended));
}

TEST(ProjectsMilestoneValidation, ReportsEveryBadFieldAtOnce) {
  Milestone m;
  m.name = "";
  m.description = std::string(4001, 'x');
  m.due_date = "2026-02-30";
  m.reached_on = "hier";
  EXPECT_EQ(fields_of(validate(m, tilleuls())),
            (std::set<std::string>{"name", "description", "due_date", "reached_on"}));
}

}  // namespace
}  // namespace atelier::projects::domain
