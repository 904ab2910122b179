// Reading money as printed on French and English documents ("1 234,56", "1.234,56", "1,234.56",
// "1'234.50") into integer minor units: money is never a floating-point number.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace atelier::documents::domain {

// Parses a number with an optional leading sign ('-' or U+2212, optionally followed by a space)
// into minor units with `decimals` fraction digits (2 for EUR, USD, GBP, CHF). The whole text
// must be the number: no currency, no surrounding text.
//
// Separator rules, the same for every locale so that a page mixing formats reads consistently:
//   - the last '.' or ',' followed by 1 or 2 digits is the decimal separator: "1 234,5" = 1234.50;
//   - a '.' or ',' followed by exactly 3 digits is a thousands separator: "1,234" and "1.234" are
//     1234.00, never 1.234, since no currency here has 3 decimals. A leading "0" group, or more
//     than 3 digits before it, cannot be thousands grouping, so "0,125" and "1234,567" are
//     rejected rather than rounded;
//   - thousands separators (space, no-break spaces, '.', ',', apostrophe) are all of one kind,
//     differ from the decimal separator, follow a first group of 1-3 digits and split exact
//     groups of 3: "1.234.56", "1,234,56", "12 34,00" are rejected;
//   - values beyond int64 are rejected.
std::optional<int64_t> parse_amount_minor(std::string_view text, int decimals = 2);

}  // namespace atelier::documents::domain
