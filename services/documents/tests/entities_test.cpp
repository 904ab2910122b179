// Whole-page extraction: a realistic French invoice read end to end, the precedence between
// overlapping readings, positions and pages, and inputs built to break a scanner.
#include "documents/domain/entities.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace atelier::documents::domain {
namespace {

using testing::kNnbsp;

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// An OCR'd invoice from a plastering contractor; '~' marks the narrow no-break spaces OCR puts in
// large amounts.
std::string invoice_page() {
  return replace_all(R"(SARL BATI-RENOV ÎLE-DE-FRANCE
12 rue des Artisans, 75011 Paris
Tél. : 01 43 55 20 10 — Mobile : 06 12 34 56 78
contact@bati-renov.fr — www.bati-renov.fr
SIRET : 732 829 320 00074 — TVA intracom : FR44 732 829 320

FACTURE N° F-2025-0042
Date : 12/03/2025
Échéance : 11 avril 2025
Devis n° D-2025-0017 accepté le 3 février 2025

Client : SCI Les Tilleuls
8, avenue Jean Jaurès, 69007 Lyon
Contact : Marie Dupont <marie.dupont+chantier@tilleuls-sci.fr>
Tél : +33 (0)4 72 00 11 22

Chantier : rénovation de la cage d'escalier, lot 03 Plâtrerie

Désignation                      Qté     PU HT          Total HT
Dépose cloisons existantes         1     850,00 €       850,00 €
Plaque BA13 (m²)                  48       8,50 €       408,00 €
Rails et montants                  1     312,40 €       312,40 €
Main-d'œuvre (h)                  36      45,00 €     1~620,00 €
Remise commerciale                                     -150,00 €

Total HT                                             3~040,40 €
TVA 20 %                                               608,08 €
Total TTC                                            3~648,48 €
Acompte versé le 15/02/2025                         -1~000,00 € TTC
Net à payer                                          2~648,48 €

Conditions : paiement à 30 jours, soit au plus tard le 11/04/2025.
Pénalités de retard : 3 fois le taux d'intérêt légal ; indemnité
forfaitaire de 40 € pour frais de recouvrement.

Règlement par virement :
IBAN : FR76 3000 6000 0112 3456 7890 189 — BIC : AGRIFRPPXXX
Questions : compta@bati-renov.fr ou 01 43 55 20 11

BATI-RENOV SARL au capital de 10 000 € — RCS Paris 732 829 320 — APE 4331Z
Page 1/1
)",
                     "~", kNnbsp);
}

struct Expected {
  EntityKind kind;
  std::string text;  // '~' for U+202F, as in the page
  std::string value;
  std::string qualifier = {};
};

TEST(InvoicePage, EveryEntityAndNothingElse) {
  using K = EntityKind;
  const std::vector<Expected> expected = {
      {K::kPhone, "01 43 55 20 10", "+33143552010"},
      {K::kPhone, "06 12 34 56 78", "+33612345678"},
      {K::kEmail, "contact@bati-renov.fr", "contact@bati-renov.fr"},
      {K::kSiret, "732 829 320 00074", "73282932000074"},
      {K::kVatNumber, "FR44 732 829 320", "FR44732829320"},
      {K::kInvoiceNumber, "F-2025-0042", "F-2025-0042"},
      {K::kDate, "12/03/2025", "2025-03-12"},
      {K::kDate, "11 avril 2025", "2025-04-11"},
      {K::kQuoteNumber, "D-2025-0017", "D-2025-0017"},
      {K::kDate, "3 février 2025", "2025-02-03"},
      {K::kEmail, "marie.dupont+chantier@tilleuls-sci.fr", "marie.dupont+chantier@tilleuls-sci.fr"},
      {K::kPhone, "+33 (0)4 72 00 11 22", "+33472001122"},
      {K::kAmount, "850,00 €", "85000"},
      {K::kAmount, "850,00 €", "85000"},
      {K::kAmount, "8,50 €", "850"},
      {K::kAmount, "408,00 €", "40800"},
      {K::kAmount, "312,40 €", "31240"},
      {K::kAmount, "312,40 €", "31240"},
      {K::kAmount, "45,00 €", "4500"},
      {K::kAmount, "1~620,00 €", "162000"},
      {K::kAmount, "-150,00 €", "-15000"},
      {K::kAmount, "3~040,40 €", "304040", "HT"},
      {K::kAmount, "608,08 €", "60808", "TVA"},
      {K::kAmount, "3~648,48 €", "364848", "TTC"},
      {K::kDate, "15/02/2025", "2025-02-15"},
      {K::kAmount, "-1~000,00 €", "-100000", "TTC"},
      {K::kAmount, "2~648,48 €", "264848"},
      {K::kDate, "11/04/2025", "2025-04-11"},
      {K::kAmount, "40 €", "4000"},
      {K::kIban, "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"},
      {K::kEmail, "compta@bati-renov.fr", "compta@bati-renov.fr"},
      {K::kPhone, "01 43 55 20 11", "+33143552011"},
      {K::kAmount, "10 000 €", "1000000"},
      {K::kSiren, "732 829 320", "732829320"},
  };
  const std::string page = invoice_page();
  const std::vector<Entity> found = extract_entities(page, 1);
  for (size_t i = 0; i < std::max(found.size(), expected.size()); ++i) {
    if (i >= found.size()) {
      ADD_FAILURE() << "missing " << kind_name(expected[i].kind) << " " << expected[i].text;
      continue;
    }
    if (i >= expected.size()) {
      ADD_FAILURE() << "spurious " << ::testing::PrintToString(found[i]);
      continue;
    }
    const Entity& e = found[i];
    const Expected& x = expected[i];
    SCOPED_TRACE(::testing::PrintToString(e));
    EXPECT_EQ(e.kind, x.kind);
    EXPECT_EQ(e.text, replace_all(x.text, "~", kNnbsp));
    EXPECT_EQ(e.value, x.value);
    EXPECT_EQ(e.qualifier, x.qualifier);
    EXPECT_EQ(e.page, 1);
    if (e.kind == K::kAmount) {
      EXPECT_EQ(e.currency, "EUR");
      EXPECT_EQ(e.amount_minor, std::stoll(x.value));
    } else {
      EXPECT_EQ(e.amount_minor, std::nullopt);
      EXPECT_EQ(e.currency, "");
    }
  }
}

TEST(InvoicePage, TotalsAddUpFromTheExtractedLines) {
  // What budget will do with these entities: the line totals (every other amount in the table)
  // plus the discount make the total before tax.
  const std::vector<Entity> amounts = testing::find(invoice_page(), EntityKind::kAmount);
  ASSERT_GE(amounts.size(), 12u);
  const int64_t lines = *amounts[1].amount_minor + *amounts[3].amount_minor +
                        *amounts[5].amount_minor + *amounts[7].amount_minor +
                        *amounts[8].amount_minor;
  EXPECT_EQ(lines, *amounts[9].amount_minor);
  EXPECT_EQ(*amounts[9].amount_minor + *amounts[10].amount_minor, *amounts[11].amount_minor);
}

TEST(Extraction, PositionsPointExactlyAtTheTextAndEntitiesAreSorted) {
  const std::string page = invoice_page();
  const std::vector<Entity> found = extract_entities(page, 7);
  ASSERT_FALSE(found.empty());
  for (const Entity& e : found) {
    EXPECT_EQ(page.substr(e.offset, e.length), e.text) << ::testing::PrintToString(e);
    EXPECT_EQ(e.page, 7);
  }
  EXPECT_TRUE(std::is_sorted(found.begin(), found.end(),
                             [](const Entity& a, const Entity& b) { return a.offset < b.offset; }));
  for (size_t i = 1; i < found.size(); ++i) {
    EXPECT_LE(found[i - 1].offset + found[i - 1].length, found[i].offset) << "overlap";
  }
}

TEST(Extraction, PagesAreNumberedFromOne) {
  const std::vector<std::string> pages = {"Facture n° F-1", "rien", "Total : 12,00 € TTC"};
  const std::vector<Entity> found = extract_entities_from_pages(pages);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].page, 1);
  EXPECT_EQ(found[0].kind, EntityKind::kInvoiceNumber);
  EXPECT_EQ(found[1].page, 3);
  EXPECT_EQ(found[1].qualifier, "TTC");
  EXPECT_EQ(found[1].offset, 8u);
}

TEST(Extraction, KindNamesAreStable) {
  const std::pair<EntityKind, std::string_view> names[] = {
      {EntityKind::kAmount, "amount"},
      {EntityKind::kDate, "date"},
      {EntityKind::kSiret, "siret"},
      {EntityKind::kSiren, "siren"},
      {EntityKind::kVatNumber, "vat_number"},
      {EntityKind::kIban, "iban"},
      {EntityKind::kInvoiceNumber, "invoice_number"},
      {EntityKind::kQuoteNumber, "quote_number"},
      {EntityKind::kEmail, "email"},
      {EntityKind::kPhone, "phone"},
  };
  for (const auto& [kind, name] : names) {
    EXPECT_EQ(kind_name(kind), name);
    EXPECT_EQ(parse_kind(name), kind);
  }
  EXPECT_EQ(parse_kind("Amount"), std::nullopt);
}

std::vector<EntityKind> kinds(std::string_view text) {
  std::vector<EntityKind> out;
  for (const Entity& e : extract_entities(text, 1)) {
    out.push_back(e.kind);
  }
  return out;
}

TEST(Precedence, IbanDigitsYieldNoAmountOrPhone) {
  EXPECT_EQ(kinds("IBAN FR76 3000 6000 0112 3456 7890 189 € 01 23"),
            std::vector<EntityKind>{EntityKind::kIban});
  EXPECT_EQ(kinds("IBAN FR7601234567890123456789012"), std::vector<EntityKind>{});
}

TEST(Precedence, VatAndSiretHideTheSirenTheyContain) {
  EXPECT_EQ(kinds("SIREN / TVA : FR44 732 829 320"),
            std::vector<EntityKind>{EntityKind::kVatNumber});
  EXPECT_EQ(kinds("SIREN/SIRET 732 829 320 00074"), std::vector<EntityKind>{EntityKind::kSiret});
}

TEST(Precedence, LabelledNumberBeatsDateAndEmailBeatsPhone) {
  const std::vector<Entity> invoice = extract_entities("Facture n° 12/03/2025", 1);
  ASSERT_EQ(invoice.size(), 1u);
  EXPECT_EQ(invoice[0].kind, EntityKind::kInvoiceNumber);
  EXPECT_EQ(kinds("0123456789@sms.example.fr"), std::vector<EntityKind>{EntityKind::kEmail});
}

// Just runs: a test never asserts a wall-clock time (docs/architecture.md §6), but a quadratic
// scanner would make this one crawl for minutes.
TEST(Extraction, TwoMegabytesOfInvoicesExtractWhole) {
  const std::string page = invoice_page();
  const size_t per_page = extract_entities(page, 1).size();
  std::string big;
  size_t copies = 0;
  while (big.size() < (2u << 20)) {
    big += page;
    ++copies;
  }
  const std::vector<Entity> found = extract_entities(big, 1);
  EXPECT_EQ(found.size(), per_page * copies);
}

TEST(Extraction, PathologicalInputsNeitherCrashNorHang) {
  std::vector<std::string> inputs = {
      std::string(100000, '7'),
      std::string(100000, ' '),
      std::string(100000, '0') + "\xE2\x82\xAC",
      std::string(100000, '-') + "1 \xE2\x82\xAC",
      std::string(100000, 'a') + "@" + std::string(100000, 'b') + ".fr",
      "12 \xE2\x82",
      "1 234,56 \xC2",
      "Facture n\xC2",
      "IBAN FR76 3000",
      "\xC3",
  };
  std::string repeated[10];
  for (int i = 0; i < 50000; ++i) {
    repeated[0] += "1 ";
    repeated[1] += "a@";
    repeated[2] += "FR ";
    repeated[3] += "1\xE2\x82\xAC";
    repeated[4] += "12/";
    repeated[5] += "N\xC2\xB0 ";
    repeated[6] += "01 ";
    repeated[7] += "\xC2\xA0";
    repeated[8] += "mars 1 ";
    repeated[9] += "+3";
  }
  inputs.insert(inputs.end(), std::begin(repeated), std::end(repeated));
  std::mt19937 random(20250312);
  std::string noise;
  for (int i = 0; i < 1'000'000; ++i) {
    noise.push_back(static_cast<char>(random() & 0xFF));
  }
  inputs.push_back(noise);
  std::string utf8_noise;  // bytes that start or continue the sequences the scanners look for
  const char alphabet[] = "0123456789 ,.-/@+FRfr\xC2\xA0\xE2\x80\xAF\x82\xAC\xC3\xA9";
  for (int i = 0; i < 1'000'000; ++i) {
    utf8_noise.push_back(alphabet[random() % (sizeof(alphabet) - 1)]);
  }
  inputs.push_back(utf8_noise);

  for (const std::string& input : inputs) {
    const std::vector<Entity> found = extract_entities(input, 1);
    for (const Entity& e : found) {
      ASSERT_LE(e.offset + e.length, input.size());
      ASSERT_EQ(input.substr(e.offset, e.length), e.text);
    }
  }
}

}  // namespace
}  // namespace atelier::documents::domain
