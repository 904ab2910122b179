// Invoice and quote numbers, recognised by the label in front of them.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace atelier::documents::domain {
namespace {

using testing::find;
using testing::only;

TEST(ReferenceExtraction, InvoiceNumbersAfterTheirLabel) {
  const std::pair<std::string, std::string> cases[] = {
      {"Facture n° F-2025-0042", "F-2025-0042"},
      {"Facture N° 2025/118", "2025/118"},
      {"FACTURE No 12345", "12345"},
      {"FACTURE N°:FA2025-7", "FA2025-7"},
      {"Facture n° : F_2025_0042", "F_2025_0042"},
      {"Facture nº 77", "77"},
      {"Facture num. 2025.118", "2025.118"},
      {"Invoice #INV-2025-001", "INV-2025-001"},
      {"Invoice No. 4521", "4521"},
      {"INVOICE NO: A-17", "A-17"},
      {"Invoice number: A-17", "A-17"},
      {"N° de facture : F-2025-0042", "F-2025-0042"},
      {"Numéro de facture 2025-77", "2025-77"},
      {"N° facture F1", "F1"},
      {"Facture n° F-2025-0042.", "F-2025-0042"},
  };
  for (const auto& [page, number] : cases) {
    const Entity e = only(page);
    EXPECT_EQ(e.kind, EntityKind::kInvoiceNumber) << page;
    EXPECT_EQ(e.value, number) << page;
    EXPECT_EQ(e.text, number) << page;
    EXPECT_EQ(e.offset, page.rfind(number)) << page;
  }
}

TEST(ReferenceExtraction, QuoteNumbersAfterTheirLabel) {
  const std::pair<std::string, std::string> cases[] = {
      {"Devis n° D-2025-0042", "D-2025-0042"},
      {"Devis N° D-2025-0042", "D-2025-0042"},
      {"DEVIS N°D2025-17", "D2025-17"},
      {"Quote #Q-88", "Q-88"},
      {"Quotation No. 2025-4", "2025-4"},
      {"N° de devis : 2025-12", "2025-12"},
      {"Numéro du devis : DV/2025/3", "DV/2025/3"},
  };
  for (const auto& [page, number] : cases) {
    const Entity e = only(page);
    EXPECT_EQ(e.kind, EntityKind::kQuoteNumber) << page;
    EXPECT_EQ(e.value, number) << page;
  }
}

TEST(ReferenceExtraction, LabelsWithoutAnIdentifierYieldNothing) {
  for (const char* page : {"Facture n° du client", "Devis n° : à venir", "Facture nouvelle",
                           "La facture no", "Facture F-2025-0042", "Numéro de téléphone 12"}) {
    EXPECT_TRUE(find(page, EntityKind::kInvoiceNumber).empty()) << page;
    EXPECT_TRUE(find(page, EntityKind::kQuoteNumber).empty()) << page;
  }
}

TEST(ReferenceExtraction, InvoiceNumberThenItsDate) {
  const std::vector<Entity> all = extract_entities("Facture n° 2025-0042 du 12/03/2025", 1);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind, EntityKind::kInvoiceNumber);
  EXPECT_EQ(all[0].value, "2025-0042");
  EXPECT_EQ(all[1].kind, EntityKind::kDate);
  EXPECT_EQ(all[1].value, "2025-03-12");
}

}  // namespace
}  // namespace atelier::documents::domain
