// SIREN, SIRET, French VAT and IBAN check digits, and how extraction finds them in page text.
#include "documents/domain/identifiers.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace atelier::documents::domain {
namespace {

using testing::find;
using testing::kNbsp;
using testing::only;
using testing::with_luhn_digit;

TEST(Luhn, AcceptsAPublicSirenAndRejectsItOneDigitOff) {
  EXPECT_TRUE(luhn_valid("732829320"));
  EXPECT_FALSE(luhn_valid("732829321"));
  EXPECT_FALSE(luhn_valid("732829230"));  // swapped neighbours
  EXPECT_TRUE(luhn_valid("0"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("7328a9320"));
  EXPECT_FALSE(luhn_valid("732 829 320"));  // the primitive takes digits only
}

TEST(Siren, IsNineDigitsPassingLuhnPrintedOrCompact) {
  EXPECT_TRUE(siren_valid("732829320"));
  EXPECT_TRUE(siren_valid("732 829 320"));
  EXPECT_TRUE(siren_valid("732" + kNbsp + "829" + kNbsp + "320"));
  EXPECT_FALSE(siren_valid("732829321"));
  EXPECT_FALSE(siren_valid("73282932"));
  EXPECT_FALSE(siren_valid("7328293200"));
  EXPECT_FALSE(siren_valid("732-829-320"));
  for (const std::string stem : {"12345678", "40483304", "55208131", "00000001"}) {
    EXPECT_TRUE(siren_valid(with_luhn_digit(stem))) << stem;
  }
}

TEST(Siret, GeneratedSiretsPassAndAnyChangedDigitFails) {
  for (const std::string nic : {"0001", "0007", "0012", "0128", "1234"}) {
    const std::string siret = with_luhn_digit("732829320" + nic);
    ASSERT_EQ(siret.size(), 14u);
    EXPECT_TRUE(siret_valid(siret)) << siret;
    for (size_t i = 0; i < siret.size(); ++i) {
      std::string changed = siret;
      changed[i] = changed[i] == '9' ? '0' : static_cast<char>(changed[i] + 1);
      EXPECT_FALSE(siret_valid(changed)) << changed;
    }
  }
  EXPECT_TRUE(siret_valid("732 829 320 00074"));
  EXPECT_FALSE(siret_valid("7328293200007"));
  EXPECT_FALSE(siret_valid("732829320000740"));
}

TEST(Siret, LaPosteEstablishmentsUseTheDigitSumRule) {
  ASSERT_FALSE(luhn_valid("35600000000001"));  // digit sum 15
  EXPECT_TRUE(siret_valid("35600000000001"));
  EXPECT_TRUE(siret_valid("356 000 000 00048"));  // passes Luhn too
  ASSERT_FALSE(luhn_valid("35600000000000"));     // digit sum 14
  EXPECT_FALSE(siret_valid("35600000000000"));
  // The digit-sum rule is La Poste's alone.
  const std::string other = "73282932000004";
  ASSERT_FALSE(luhn_valid(other));
  int sum = 0;
  for (const char c : other) {
    sum += c - '0';
  }
  ASSERT_EQ(sum % 5, 0);
  EXPECT_FALSE(siret_valid(other));
}

TEST(FrenchVat, NumericKeyIsComputedFromTheSiren) {
  EXPECT_EQ(french_vat_key("732829320"), "44");
  EXPECT_EQ(french_vat_key("303265045"), "40");
  EXPECT_EQ(french_vat_key("732829321"), "");
  EXPECT_TRUE(french_vat_valid("FR44732829320"));
  EXPECT_TRUE(french_vat_valid("FR 44 732 829 320"));
  EXPECT_TRUE(french_vat_valid("fr44732829320"));
  EXPECT_TRUE(french_vat_valid("FR40303265045"));
}

TEST(FrenchVat, WrongKeyOrWrongSirenIsRejected) {
  EXPECT_FALSE(french_vat_valid("FR45732829320"));
  EXPECT_FALSE(french_vat_valid("FR04732829320"));
  EXPECT_FALSE(french_vat_valid("FR44732829321"));  // SIREN fails Luhn
  EXPECT_FALSE(french_vat_valid("DE44732829320"));
  EXPECT_FALSE(french_vat_valid("FR4473282932"));
  EXPECT_FALSE(french_vat_valid("44732829320"));
}

TEST(FrenchVat, AlphanumericKeysAndMonaco) {
  EXPECT_TRUE(french_vat_valid("FRK7399859412"));
  EXPECT_TRUE(french_vat_valid("FR4Z123456782"));
  EXPECT_FALSE(french_vat_valid("FRK8399859412"));
  EXPECT_FALSE(french_vat_valid("FRIO334175221"));  // I and O are never key letters
  // Monaco: "000" + 6 digits is no SIREN, only the key is checked. (12 + 3 * 123456 % 97) % 97
  // = 34.
  EXPECT_TRUE(french_vat_valid("FR34000123456"));
  EXPECT_FALSE(french_vat_valid("FR35000123456"));
}

TEST(Iban, StandardExamplesPass) {
  for (const char* iban :
       {"FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189",
        "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", "DE89 3704 0044 0532 0130 00",
        "BE68539007547034", "CH9300762011623852957", "NL91ABNA0417164300",
        "ES9121000418450200051332", "IT60X0542811101000000123456", "LU280019400644750000",
        "PT50000201231234567890154", "MC5811222000010123456789030"}) {
    EXPECT_TRUE(iban_valid(iban)) << iban;
  }
}

TEST(Iban, WrongCheckDigitsLengthOrCountryFail) {
  EXPECT_FALSE(iban_valid("FR7730006000011234567890189"));
  EXPECT_FALSE(iban_valid("FR7630006000011234567890188"));
  EXPECT_FALSE(iban_valid("GB82WEST12345698765433"));
  EXPECT_FALSE(iban_valid("DE8937040044053201300"));    // one short
  EXPECT_FALSE(iban_valid("DE893704004405320130000"));  // one long
  EXPECT_FALSE(iban_valid("XX82WEST12345698765432"));
  EXPECT_FALSE(iban_valid("FR76-3000-6000-0112-3456-7890-189"));
  EXPECT_FALSE(iban_valid(""));
  EXPECT_EQ(iban_length("FR"), 27);
  EXPECT_EQ(iban_length("NO"), 15);
  EXPECT_EQ(iban_length("US"), std::nullopt);
}

TEST(Iban, CheckDigitsOutsideTwoToNinetyEightAreInvalid) {
  // 00, 01 and 99 never come out of the ISO 7064 computation, whatever the remainder says.
  EXPECT_FALSE(iban_valid("FR0030006000011234567890189"));
  EXPECT_FALSE(iban_valid("FR9930006000011234567890189"));
}

TEST(CompactIdentifier, StripsSpacesAndUpperCases) {
  EXPECT_EQ(compact_identifier("fr76 3000" + kNbsp + "6000"), "FR7630006000");
  EXPECT_EQ(compact_identifier("FR76-3000"), std::nullopt);
}

TEST(IdentifierExtraction, SiretInEveryPrintedLayout) {
  for (const char* text : {"SIRET : 73282932000074", "SIRET : 732 829 320 00074",
                           "SIRET : 732829320 00074", "SIRET : 732 829 320 000 74"}) {
    const Entity e = only(text);
    EXPECT_EQ(e.kind, EntityKind::kSiret) << text;
    EXPECT_EQ(e.value, "73282932000074") << text;
    EXPECT_EQ(e.offset, 8u) << text;
    EXPECT_EQ(e.text, std::string_view(text).substr(8)) << text;
  }
  const std::string nbsp =
      "N" + kNbsp + "SIRET" + kNbsp + "732" + kNbsp + "829" + kNbsp + "320" + kNbsp + "00074";
  EXPECT_EQ(only(nbsp).value, "73282932000074");
}

TEST(IdentifierExtraction, SiretWithBadCheckDigitYieldsNothingNotEvenItsSiren) {
  EXPECT_TRUE(extract_entities("SIRET : 732 829 320 00075", 1).empty());
  EXPECT_TRUE(extract_entities("SIRET : 73282932000075", 1).empty());
}

TEST(IdentifierExtraction, SirenNeedsItsLabelByDefault) {
  for (const char* text : {"SIREN 732 829 320", "RCS Paris 732 829 320", "R.C.S. Lyon B 732829320",
                           "siren : 732829320"}) {
    const Entity e = only(text);
    EXPECT_EQ(e.kind, EntityKind::kSiren) << text;
    EXPECT_EQ(e.value, "732829320") << text;
  }
  EXPECT_TRUE(find("Commande 732829320", EntityKind::kSiren).empty());
  EXPECT_EQ(find("Commande 732829320", EntityKind::kSiren, {.siren_needs_label = false}).size(),
            1u);
  EXPECT_TRUE(find("SIREN 732 829 321", EntityKind::kSiren).empty());
  // The label must be on the same line.
  EXPECT_TRUE(find("SIREN\n732 829 320", EntityKind::kSiren).empty());
}

TEST(IdentifierExtraction, VatNumberAndNotTheSirenInside) {
  for (const char* text : {"TVA intracom : FR44732829320", "TVA : FR 44 732 829 320",
                           "N° TVA FR44 732829320.", "VAT: fr44732829320"}) {
    const std::vector<Entity> all = extract_entities(text, 1);
    ASSERT_EQ(all.size(), 1u) << text;
    EXPECT_EQ(all[0].kind, EntityKind::kVatNumber) << text;
    EXPECT_EQ(all[0].value, "FR44732829320") << text;
  }
  EXPECT_TRUE(extract_entities("TVA : FR45732829320", 1).empty());
}

TEST(IdentifierExtraction, IbanPrintedByFoursOrWithNoBreakSpaces) {
  const std::string printed = "IBAN : FR76 3000 6000 0112 3456 7890 189\nBIC : AGRIFRPPXXX";
  const Entity e = only(printed);
  EXPECT_EQ(e.kind, EntityKind::kIban);
  EXPECT_EQ(e.value, "FR7630006000011234567890189");
  EXPECT_EQ(e.text, "FR76 3000 6000 0112 3456 7890 189");
  EXPECT_EQ(e.offset, 7u);

  const std::string nbsp = "IBAN" + kNbsp + "DE89" + kNbsp + "3704" + kNbsp + "0044" + kNbsp +
                           "0532" + kNbsp + "0130" + kNbsp + "00";
  EXPECT_EQ(only(nbsp).value, "DE89370400440532013000");
  EXPECT_EQ(only("IBAN: GB82 WEST 1234 5698 7654 32").value, "GB82WEST12345698765432");
  EXPECT_EQ(only("IBAN FR 76 3000 6000 0112 3456 7890 189").value, "FR7630006000011234567890189");
}

TEST(IdentifierExtraction, IbanWithWrongCheckOrTrailingCharacterIsNotReported) {
  EXPECT_TRUE(find("IBAN : FR77 3000 6000 0112 3456 7890 189", EntityKind::kIban).empty());
  EXPECT_TRUE(find("IBAN : FR76 3000 6000 0112 3456 7890 1890", EntityKind::kIban).empty());
  EXPECT_TRUE(find("XFR7630006000011234567890189", EntityKind::kIban).empty());
}

}  // namespace
}  // namespace atelier::documents::domain
