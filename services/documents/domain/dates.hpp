// Calendar dates as printed on French and English documents: numeric (12/03/2025, 2025-03-12)
// and written out (12 mars 2025, 1er avril 2025, March 12, 2025), normalised to ISO 8601.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace atelier::documents::domain {

// True for a real day of the proleptic Gregorian calendar (29 February only in leap years).
bool is_valid_date(int year, int month, int day);

// The month (1-12) a month name or abbreviation stands for, French or English, any case, accents
// optional: "février", "fevrier", "FEVR", "févr", "Feb", "March", "aout", "déc". nullopt otherwise.
std::optional<int> month_from_name(std::string_view word);

// Reads `text` as exactly one date, returning "YYYY-MM-DD", or nullopt when it is not a date or
// not a real day. `prefer_day_first` settles 03/04/2025 as in ExtractOptions.
std::optional<std::string> parse_date(std::string_view text, bool prefer_day_first = true);

}  // namespace atelier::documents::domain
