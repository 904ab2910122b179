// Entity extraction from the OCR text of construction documents (invoices, quotes, delivery
// notes): amounts, dates, company identifiers, bank accounts, document numbers and contacts, each
// with its page and byte position, normalised so that budget can reconcile invoices later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "documents/domain/amounts.hpp"
#include "documents/domain/dates.hpp"
#include "documents/domain/identifiers.hpp"

namespace atelier::documents::domain {

enum class EntityKind {
  kAmount,
  kDate,
  kSiret,
  kSiren,
  kVatNumber,
  kIban,
  kInvoiceNumber,
  kQuoteNumber,
  kEmail,
  kPhone,
};

// Stable lower-case names, used in APIs and storage: "amount", "date", "siret", "siren",
// "vat_number", "iban", "invoice_number", "quote_number", "email", "phone".
std::string_view kind_name(EntityKind kind);
std::optional<EntityKind> parse_kind(std::string_view name);

struct Entity {
  EntityKind kind = EntityKind::kAmount;
  std::string text;  // exactly page_text.substr(offset, length)
  // Normalised value:
  //   amount        minor units as a decimal integer ("-123456"), currency in `currency`
  //   date          ISO 8601 "YYYY-MM-DD"
  //   siret, siren  digits only; vat_number, iban: compact upper case ("FR44732829320")
  //   invoice/quote the identifier as written ("F-2025-0042")
  //   email         lower case; phone: E.164 ("+33123456789")
  std::string value;
  size_t offset = 0;  // bytes from the start of the page text
  size_t length = 0;  // bytes
  int page = 0;
  std::optional<int64_t> amount_minor;  // amounts only
  std::string currency;                 // amounts only: EUR, USD, GBP or CHF
  std::string qualifier;                // amounts only, when stated: "HT", "TTC" or "TVA"

  bool operator==(const Entity&) const = default;
};

struct ExtractOptions {
  // How 03/04/2025 reads: 3 April (French order, the default) or March 4. When the preferred
  // order gives an impossible date and the other order does not (13/25/2025 read day first),
  // the other order is used; when both are impossible (31/02/2025) there is no date.
  bool prefer_day_first = true;
  // A lone 9-digit number passes the Luhn check one time in ten, so by default a SIREN is only
  // reported when "SIREN", "SIRET" or "RCS" precedes it on its line.
  bool siren_needs_label = true;
};

// Every entity found in one page of text, sorted by offset, never overlapping. Where two readings
// of the same characters compete, the stronger evidence wins, in this order:
//   email > IBAN > VAT number > SIRET > invoice/quote number > date > amount > phone > SIREN
// (an address is delimited by '@'; checksummed identifiers outrank keyword-anchored numbers, which
// outrank patterns; so an IBAN's digits never yield amounts or phones, a VAT number or a SIRET
// never yields its SIREN, and 12.03.2025 is a date, not an amount).
// Invalid UTF-8 is tolerated: entities are made of ASCII and the few sequences recognised above.
std::vector<Entity> extract_entities(std::string_view page_text, int page,
                                     const ExtractOptions& options = {});

// The entities of a whole document, pages numbered from 1, in page then offset order.
std::vector<Entity> extract_entities_from_pages(std::span<const std::string> pages,
                                                const ExtractOptions& options = {});

}  // namespace atelier::documents::domain
