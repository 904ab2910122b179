// The participant's rules without a server or a database: SIRET check digits and validation.
#include "projects/domain/participant.hpp"

#include <gtest/gtest.h>

#include <set>

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

TEST(ProjectsSiret, LuhnCheckDigit) {
  EXPECT_TRUE(is_siret("73282932000074"));
  EXPECT_FALSE(is_siret("73282932000075"));  // one digit off
  EXPECT_FALSE(is_siret("7328293200007"));   // 13 digits
  EXPECT_FALSE(is_siret("732 829 320 00074"));
  EXPECT_FALSE(is_siret("7328293200007A"));
}

TEST(ProjectsSiret, LaPosteEstablishmentsSumToAMultipleOfFive) {
  EXPECT_TRUE(is_siret("35600000000010"));   // digit sum 15, fails Luhn
  EXPECT_FALSE(is_siret("35600000000002"));  // digit sum 16
}

TEST(ProjectsParticipantValidation, AUserOrACompanyNeverBoth) {
  Participant user;
  user.user_id = "0190f5c2-0000-7000-8000-000000000001";
  EXPECT_TRUE(validate(user));
  user.company = Company{"Plomberie Martin", {}, {}, {}};
  EXPECT_EQ(fields_of(validate(user)), std::set<std::string>{"company"});

  Participant nobody;
  EXPECT_EQ(fields_of(validate(nobody)), std::set<std::string>{"user_id"});

  Participant company;
  company.kind = Participant::Kind::kCompany;
  company.company = Company{"Plomberie Martin", "contact@plomberie-martin.fr", "04.78.00.00.00",
                            "73282932000074"};
  company.trade = "plomberie";
  EXPECT_TRUE(validate(company));
}

TEST(ProjectsParticipantValidation, CompanyDetailsAreChecked) {
  Participant p;
  p.kind = Participant::Kind::kCompany;
  p.company = Company{std::string(201, 'a'), "contact@", "+33", "12345678901234"};
  p.trade = "";
  EXPECT_EQ(fields_of(validate(p)),
            (std::set<std::string>{"company.name", "company.email", "company.phone",
                                   "company.siret", "trade"}));
}

TEST(ProjectsParticipantValidation, TheLastManagerStays) {
  EXPECT_TRUE(check_managers_left(1));
  auto none = check_managers_left(0);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace atelier::projects::domain
