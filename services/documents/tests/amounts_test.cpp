// Reading printed money into minor units, and finding amounts with their currency and qualifier.
#include "documents/domain/amounts.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace atelier::documents::domain {
namespace {

using testing::find;
using testing::kEuro;
using testing::kNbsp;
using testing::kNnbsp;
using testing::only;

TEST(ParseAmountMinor, FrenchAndEnglishFormats) {
  const std::pair<std::string, int64_t> cases[] = {
      {"1 234,56", 123456},
      {"1" + kNbsp + "234,56", 123456},
      {"1" + kNnbsp + "234,56", 123456},
      {"1\xE2\x80\x89"
       "234,56",
       123456},  // thin space
      {"1.234,56", 123456},
      {"12.345,67", 1234567},
      {"1,234.56", 123456},
      {"1234,56", 123456},
      {"1234.56", 123456},
      {"1'234.50", 123450},
      {"1\xE2\x80\x99"
       "234.50",
       123450},  // ’
      {"1 234 567,89", 123456789},
      {"0,50", 50},
      {"1 234,5", 123450},
      {"1 234", 123400},
      {"1234", 123400},
      {"0", 0},
  };
  for (const auto& [text, minor] : cases) {
    EXPECT_EQ(parse_amount_minor(text), minor) << text;
  }
}

TEST(ParseAmountMinor, NegativeAmounts) {
  EXPECT_EQ(parse_amount_minor("-1 234,56"), -123456);
  EXPECT_EQ(parse_amount_minor("\xE2\x88\x92"
                               "1 234,56"),
            -123456);  // U+2212 MINUS SIGN
  EXPECT_EQ(parse_amount_minor("- 12,00"), -1200);
  EXPECT_EQ(parse_amount_minor("+12,00"), 1200);
}

// Rule: a '.' or ',' followed by exactly 3 digits groups thousands whenever the number groups
// as thousands (no currency handled here has 3 decimals); 1 or 2 digits make a decimal part.
TEST(ParseAmountMinor, ThreeDigitsAfterASinglePointOrCommaAreThousands) {
  EXPECT_EQ(parse_amount_minor("1,234"), 123400);
  EXPECT_EQ(parse_amount_minor("1.234"), 123400);
  EXPECT_EQ(parse_amount_minor("12,345"), 1234500);
  EXPECT_EQ(parse_amount_minor("1,234,567"), 123456700);
  EXPECT_EQ(parse_amount_minor("1.234.567,89"), 123456789);
  EXPECT_EQ(parse_amount_minor("1,23"), 123);
  EXPECT_EQ(parse_amount_minor("1.2"), 120);
}

TEST(ParseAmountMinor, ThreeDecimalsThatCannotBeThousandsAreRejectedNotRounded) {
  EXPECT_EQ(parse_amount_minor("0,125"), std::nullopt);
  EXPECT_EQ(parse_amount_minor("1234,567"), std::nullopt);
  EXPECT_EQ(parse_amount_minor("1 234,567"), std::nullopt);
  EXPECT_EQ(parse_amount_minor("1,234.567"), std::nullopt);
  EXPECT_EQ(parse_amount_minor("12,3456"), std::nullopt);
}

TEST(ParseAmountMinor, MalformedNumbersAreRejected) {
  for (const char* text : {"", "-", "abc", "1.234.56", "1,234,56", "12 34,00", "1 2345", "1,2,3",
                           "1  234", " 12", "12,", ",50", "1 234,56 \xE2\x82\xAC", "0 123",
                           "1.234 567", "99999999999999999999", "--12"}) {
    EXPECT_EQ(parse_amount_minor(text), std::nullopt) << text;
  }
}

TEST(ParseAmountMinor, OtherMinorUnitSizes) {
  EXPECT_EQ(parse_amount_minor("1 234", 0), 1234);
  EXPECT_EQ(parse_amount_minor("1 234,5", 0), std::nullopt);
  EXPECT_EQ(parse_amount_minor("1,5", 3), 1500);
}

struct AmountCase {
  std::string page;
  std::string text;
  int64_t minor;
  std::string currency;
  std::string qualifier;
};

TEST(AmountExtraction, EveryPrintedForm) {
  const AmountCase cases[] = {
      {"Total : 1 234,56 " + kEuro, "1 234,56 " + kEuro, 123456, "EUR", ""},
      {"Total : 1234,56" + kEuro, "1234,56" + kEuro, 123456, "EUR", ""},
      {"Total : 1" + kNbsp + "234,56" + kNbsp + kEuro, "1" + kNbsp + "234,56" + kNbsp + kEuro,
       123456, "EUR", ""},
      {"Total : 1" + kNnbsp + "234,56" + kNnbsp + kEuro, "1" + kNnbsp + "234,56" + kNnbsp + kEuro,
       123456, "EUR", ""},
      {"Montant 12.345,67 EUR", "12.345,67 EUR", 1234567, "EUR", ""},
      {"Montant EUR 12.345,67", "EUR 12.345,67", 1234567, "EUR", ""},
      {"Amount " + kEuro + "1,234.56", kEuro + "1,234.56", 123456, "EUR", ""},
      {"Amount " + kEuro + " 1,234.56", kEuro + " 1,234.56", 123456, "EUR", ""},
      {"Amount $1,234.56", "$1,234.56", 123456, "USD", ""},
      {"Amount 1,234.56 USD", "1,234.56 USD", 123456, "USD", ""},
      {"Amount \xC2\xA3"
       "1,234.56",
       "\xC2\xA3"
       "1,234.56",
       123456, "GBP", ""},
      {"Betrag CHF 1'234.50", "CHF 1'234.50", 123450, "CHF", ""},
      {"Montant 1 234,56 CHF", "1 234,56 CHF", 123456, "CHF", ""},
      {"Soit 1 234,56 euros", "1 234,56 euros", 123456, "EUR", ""},
      {"Soit 1 234 Euros.", "1 234 Euros", 123400, "EUR", ""},
      {"Forfait 50 " + kEuro, "50 " + kEuro, 5000, "EUR", ""},
      {"Prix 0,50 " + kEuro + " l'unité", "0,50 " + kEuro, 50, "EUR", ""},
  };
  for (const AmountCase& c : cases) {
    const Entity e = only(c.page);
    EXPECT_EQ(e.kind, EntityKind::kAmount) << c.page;
    EXPECT_EQ(e.text, c.text) << c.page;
    EXPECT_EQ(e.amount_minor, c.minor) << c.page;
    EXPECT_EQ(e.value, std::to_string(c.minor)) << c.page;
    EXPECT_EQ(e.currency, c.currency) << c.page;
    EXPECT_EQ(e.qualifier, c.qualifier) << c.page;
    EXPECT_EQ(c.page.substr(e.offset, e.length), e.text) << c.page;
  }
}

TEST(AmountExtraction, NegativeAmountsKeepTheirSignInTextAndValue) {
  const AmountCase cases[] = {
      {"Remise -150,00 " + kEuro, "-150,00 " + kEuro, -15000, "EUR", ""},
      {"Avoir \xE2\x88\x92"
       "1 234,56 " +
           kEuro,
       "\xE2\x88\x92"
       "1 234,56 " +
           kEuro,
       -123456, "EUR", ""},
      {"Credit -" + kEuro + "1,234.56", "-" + kEuro + "1,234.56", -123456, "EUR", ""},
      {"Credit " + kEuro + "-1,234.56", kEuro + "-1,234.56", -123456, "EUR", ""},
      {"Refund -$25.00", "-$25.00", -2500, "USD", ""},
  };
  for (const AmountCase& c : cases) {
    const Entity e = only(c.page);
    EXPECT_EQ(e.text, c.text) << c.page;
    EXPECT_EQ(e.amount_minor, c.minor) << c.page;
    EXPECT_EQ(e.value, std::to_string(c.minor)) << c.page;
  }
  // A hyphen inside a reference is not a minus sign.
  EXPECT_EQ(only("Lot A-12 " + kEuro).amount_minor, 1200);
}

TEST(AmountExtraction, QualifierAfterTheAmountOrInItsLabel) {
  const std::pair<std::string, std::string> cases[] = {
      {"1 234,56 " + kEuro + " HT", "HT"},
      {"1 234,56 " + kEuro + " TTC", "TTC"},
      {"1 234,56 " + kEuro + " H.T.", "HT"},
      {"1 234,56 " + kEuro + " T.T.C.", "TTC"},
      {"1 234,56 " + kEuro + " ht", "HT"},
      {"Total HT : 1 234,56 " + kEuro, "HT"},
      {"Total TTC : 1 481,47 " + kEuro, "TTC"},
      {"TVA 20 % : 246,91 " + kEuro, "TVA"},
      {"Montant hors taxes : 1 234,56 " + kEuro, "HT"},
      {"Total : 1 234,56 " + kEuro, ""},
      {"1 234,56 " + kEuro + " HTML", ""},
  };
  for (const auto& [page, qualifier] : cases) {
    const Entity e = only(page);
    EXPECT_EQ(e.qualifier, qualifier) << page;
    EXPECT_EQ(e.text.find("HT"), std::string::npos) << "the qualifier is not part of the amount";
  }
  // The qualifier of the first amount is not the label of the second.
  const std::vector<Entity> two =
      find("Base 1 000,00 " + kEuro + " HT : TVA 200,00 " + kEuro, EntityKind::kAmount);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].qualifier, "HT");
  EXPECT_EQ(two[1].qualifier, "TVA");
  // Nor does a label on the line above count.
  const std::vector<Entity> lines = find("Total HT\n1 000,00 " + kEuro, EntityKind::kAmount);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].qualifier, "");
}

TEST(AmountExtraction, NumbersWithoutCurrencyAreNotAmounts) {
  EXPECT_TRUE(find("Quantité 1 234,56 m2", EntityKind::kAmount).empty());
  EXPECT_TRUE(find("TVA 20 %", EntityKind::kAmount).empty());
}

TEST(AmountExtraction, TableColumnsAndConsecutiveAmounts) {
  const std::vector<Entity> row =
      find("Plaque BA13      48     8,50 " + kEuro + "      408,00 " + kEuro, EntityKind::kAmount);
  ASSERT_EQ(row.size(), 2u);
  EXPECT_EQ(row[0].amount_minor, 850);
  EXPECT_EQ(row[1].amount_minor, 40800);

  const std::vector<Entity> prefixed =
      find(kEuro + "1,234.56 " + kEuro + "2,000.00", EntityKind::kAmount);
  ASSERT_EQ(prefixed.size(), 2u);
  EXPECT_EQ(prefixed[0].amount_minor, 123456);
  EXPECT_EQ(prefixed[1].amount_minor, 200000);
}

// With spaces grouping thousands, a number one space before an amount joins it when the groups
// allow it ("12 234,56" is twelve thousand) and is left out when they do not.
TEST(AmountExtraction, SpaceGroupedNumbersTakeTheLongestValidReading) {
  EXPECT_EQ(only("Qté 3 1 234,56 " + kEuro).amount_minor, 123456);
  EXPECT_EQ(only("Qté 3 1 234,56 " + kEuro).text, "1 234,56 " + kEuro);
  EXPECT_EQ(only("Total 12 234,56 " + kEuro).amount_minor, 1223456);
  EXPECT_EQ(only(kEuro + "1,234.56 12 units").amount_minor, 123456);
}

TEST(AmountExtraction, AmbiguousCommaFollowsTheParsingRule) {
  EXPECT_EQ(only("Prix 1,234 " + kEuro).amount_minor, 123400);
  EXPECT_EQ(only("Prix 1,23 " + kEuro).amount_minor, 123);
  EXPECT_TRUE(find("Prix 0,125 " + kEuro + " / kg", EntityKind::kAmount).empty());
}

TEST(AmountExtraction, GluedToLettersIsNotAnAmount) {
  EXPECT_TRUE(find("Ref A12" + kEuro, EntityKind::kAmount).empty());
  EXPECT_TRUE(find("12 EUROPE", EntityKind::kAmount).empty());
  EXPECT_EQ(find("12 " + kEuro + "x", EntityKind::kAmount).size(), 1u);
}

}  // namespace
}  // namespace atelier::documents::domain
