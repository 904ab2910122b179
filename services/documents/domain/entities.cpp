// Runs every scanner over a page and keeps, among overlapping candidates, the strongest reading.
#include "documents/domain/entities.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "documents/domain/scanners.hpp"

namespace atelier::documents::domain {
namespace {

constexpr std::array<std::pair<EntityKind, std::string_view>, 10> kKindNames{{
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
}};

// Lower ranks win overlaps; see extract_entities() in the header for why this order.
int rank(EntityKind kind) {
  switch (kind) {
    case EntityKind::kEmail:
      return 0;
    case EntityKind::kIban:
      return 1;
    case EntityKind::kVatNumber:
      return 2;
    case EntityKind::kSiret:
      return 3;
    case EntityKind::kInvoiceNumber:
    case EntityKind::kQuoteNumber:
      return 4;
    case EntityKind::kDate:
      return 5;
    case EntityKind::kAmount:
      return 6;
    case EntityKind::kPhone:
      return 7;
    case EntityKind::kSiren:
      return 8;
  }
  return 9;
}

// Keeps the best-ranked candidates that overlap nothing kept before them.
std::vector<Entity> resolve_overlaps(std::vector<Entity> candidates) {
  std::stable_sort(candidates.begin(), candidates.end(), [](const Entity& a, const Entity& b) {
    if (rank(a.kind) != rank(b.kind)) {
      return rank(a.kind) < rank(b.kind);
    }
    if (a.length != b.length) {
      return a.length > b.length;
    }
    return a.offset < b.offset;
  });
  std::map<size_t, size_t> taken;  // begin -> end of each kept entity
  std::vector<Entity> kept;
  for (Entity& e : candidates) {
    const size_t begin = e.offset;
    const size_t end = e.offset + e.length;
    auto next = taken.lower_bound(begin);
    if (next != taken.end() && next->first < end) {
      continue;
    }
    if (next != taken.begin() && std::prev(next)->second > begin) {
      continue;
    }
    taken.emplace(begin, end);
    kept.push_back(std::move(e));
  }
  std::sort(kept.begin(), kept.end(),
            [](const Entity& a, const Entity& b) { return a.offset < b.offset; });
  return kept;
}

}  // namespace

std::string_view kind_name(EntityKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<EntityKind> parse_kind(std::string_view name) {
  for (const auto& [kind, n] : kKindNames) {
    if (n == name) {
      return kind;
    }
  }
  return std::nullopt;
}

namespace scan {

Entity make_entity(EntityKind kind, std::string_view text, size_t begin, size_t end,
                   std::string value) {
  Entity e;
  e.kind = kind;
  e.text = std::string(text.substr(begin, end - begin));
  e.value = std::move(value);
  e.offset = begin;
  e.length = end - begin;
  return e;
}

}  // namespace scan

std::vector<Entity> extract_entities(std::string_view page_text, int page,
                                     const ExtractOptions& options) {
  std::vector<Entity> candidates;
  scan::emails(page_text, candidates);
  scan::identifiers(page_text, options, candidates);
  scan::references(page_text, candidates);
  scan::dates(page_text, options, candidates);
  scan::amounts(page_text, candidates);
  scan::phones(page_text, candidates);
  std::vector<Entity> entities = resolve_overlaps(std::move(candidates));
  for (Entity& e : entities) {
    e.page = page;
  }
  return entities;
}

std::vector<Entity> extract_entities_from_pages(std::span<const std::string> pages,
                                                const ExtractOptions& options) {
  std::vector<Entity> all;
  for (size_t i = 0; i < pages.size(); ++i) {
    std::vector<Entity> page = extract_entities(pages[i], static_cast<int>(i + 1), options);
    all.insert(all.end(), std::make_move_iterator(page.begin()),
               std::make_move_iterator(page.end()));
  }
  return all;
}

}  // namespace atelier::documents::domain
