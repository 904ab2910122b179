// Check-digit validation of French company identifiers (SIREN, SIRET, VAT number) and of IBANs,
// so that extraction only reports numbers that can be real.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace atelier::documents::domain {

// Luhn (mod 10) over a non-empty string of ASCII digits; false for anything else.
bool luhn_valid(std::string_view digits);

// The validators below accept the compact form and the printed one: spaces (ASCII, no-break,
// narrow no-break, thin) between characters are ignored and letters may be lower case.

// 9 digits passing Luhn.
bool siren_valid(std::string_view siren);
// 14 digits passing Luhn; La Poste's establishments (SIREN 356000000) instead need a digit sum
// that is a multiple of 5.
bool siret_valid(std::string_view siret);
// "FR" + 2-character key + SIREN. A numeric key must equal (12 + 3 * (SIREN mod 97)) mod 97; an
// alphanumeric key (newer numbers, letters other than I and O) follows the DGFiP's mod-11 rule.
// Monaco's numbers (SIREN part starting with 000) are not SIRENs and skip the Luhn check.
bool french_vat_valid(std::string_view vat);
// The numeric key for a SIREN: french_vat_key("732829320") == "44". Empty for a non-SIREN.
std::string french_vat_key(std::string_view siren);
// ISO 13616: known country, that country's length, check digits 02..98, and mod 97 == 1.
// Countries: the SEPA area (FR, DE, BE, ES, IT, LU, CH, GB, NL, PT, MC and the others).
bool iban_valid(std::string_view iban);
// The IBAN length for a country code ("FR" -> 27), nullopt for a country not in the table.
std::optional<int> iban_length(std::string_view country);

// The identifier without separators and upper-cased ("fr76 3000 6000" -> "FR7630006000"),
// or nullopt when it holds anything other than ASCII letters, digits and the spaces above.
std::optional<std::string> compact_identifier(std::string_view text);

}  // namespace atelier::documents::domain
