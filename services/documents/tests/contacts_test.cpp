// E-mail addresses and telephone numbers, French numbers normalised to E.164.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace atelier::documents::domain {
namespace {

using testing::find;
using testing::kNbsp;
using testing::only;

TEST(EmailExtraction, AddressesAreLowerCasedWithoutSurroundingPunctuation) {
  const std::pair<std::string, std::string> cases[] = {
      {"Contact : jean.dupont@example.fr", "jean.dupont@example.fr"},
      {"Écrire à Marie.Dupont+Chantier@Tilleuls-SCI.fr.", "marie.dupont+chantier@tilleuls-sci.fr"},
      {"(compta@bati-renov.co.uk)", "compta@bati-renov.co.uk"},
      {"Marie <m_dupont-2@mail.example.com>, merci", "m_dupont-2@mail.example.com"},
      {"mailto:devis@atelier.fr;", "devis@atelier.fr"},
      {"0123456789@sms.example.fr", "0123456789@sms.example.fr"},
  };
  for (const auto& [page, address] : cases) {
    const Entity e = only(page);
    EXPECT_EQ(e.kind, EntityKind::kEmail) << page;
    EXPECT_EQ(e.value, address) << page;
    EXPECT_EQ(page.substr(e.offset, e.length), e.text) << page;
    EXPECT_EQ(e.text.size(), address.size()) << page;
  }
}

TEST(EmailExtraction, NotAddresses) {
  for (const char* page :
       {"a@b", "user@-example.fr", "@example.fr", "a..b@example.fr", "a.@example.fr", "a@example.f",
        "a@example..fr", "a@example.fr2", "Prix unitaire @ 12,00", "josé@example.fr"}) {
    EXPECT_TRUE(find(page, EntityKind::kEmail).empty()) << page;
  }
}

TEST(PhoneExtraction, FrenchNumbersInEveryFormat) {
  const std::pair<std::string, std::string> cases[] = {
      {"Tél : 01 23 45 67 89", "+33123456789"},
      {"Tél : 01.23.45.67.89", "+33123456789"},
      {"Tél : 01-23-45-67-89", "+33123456789"},
      {"Tél : 0123456789", "+33123456789"},
      {"Tél : 01" + kNbsp + "23" + kNbsp + "45" + kNbsp + "67" + kNbsp + "89", "+33123456789"},
      {"Tél : +33 1 23 45 67 89", "+33123456789"},
      {"Tél : +33 (0)1 23 45 67 89", "+33123456789"},
      {"Tél : +33(0)1 23 45 67 89", "+33123456789"},
      {"Tél : +33 (0) 1 23 45 67 89", "+33123456789"},
      {"Tél : +33123456789", "+33123456789"},
      {"Tél : +33 01 23 45 67 89", "+33123456789"},
      {"Tél : 0033 1 23 45 67 89", "+33123456789"},
      {"Mobile : 06 12 34 56 78", "+33612345678"},
      {"Mobile : 07.12.34.56.78", "+33712345678"},
      {"Numéro vert : 0 800 12 34 56", "+33800123456"},
      {"London: +44 20 7946 0958", "+442079460958"},
      {"London: +44 (0)20 7946 0958", "+442079460958"},
  };
  for (const auto& [page, e164] : cases) {
    const Entity e = only(page);
    EXPECT_EQ(e.kind, EntityKind::kPhone) << page;
    EXPECT_EQ(e.value, e164) << page;
    EXPECT_EQ(e.offset, page.find_first_of("0+")) << page;
    EXPECT_EQ(page.substr(e.offset, e.length), e.text) << page;
  }
}

TEST(PhoneExtraction, PositionEndsAtTheLastDigit) {
  const std::string page = "Tél. 01 23 45 67 89. Fax : 01 23 45 67 90";
  const std::vector<Entity> phones = find(page, EntityKind::kPhone);
  ASSERT_EQ(phones.size(), 2u);
  EXPECT_EQ(phones[0].text, "01 23 45 67 89");
  EXPECT_EQ(phones[1].text, "01 23 45 67 90");
  EXPECT_EQ(phones[1].value, "+33123456790");
}

TEST(PhoneExtraction, OtherNumbersAreNotPhones) {
  for (const char* page : {
           "SIRET 732 829 320 00074",  // groups of three
           "12 34 56 78 90",           // no leading 0
           "01 23 45 67",              // too short
           "01 23 45 67 89 10",        // part of a longer run
           "0012",
           "1234567890",
           "Ref 001234567890123",
           "le 01.02.2025",
           "Montant 0,50",
           "+33 1 23",
           "lot 03",
           "A01 23 45 67 89",
       }) {
    EXPECT_TRUE(find(page, EntityKind::kPhone).empty()) << page;
  }
}

}  // namespace
}  // namespace atelier::documents::domain
