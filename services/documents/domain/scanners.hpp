// The per-kind scanners behind extract_entities(). Each walks the page once and appends every
// candidate it sees; candidates of different scanners may overlap, and entities.cpp keeps the
// strongest by precedence. Internal to the domain: callers use entities.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "documents/domain/entities.hpp"

namespace atelier::documents::domain::scan {

// An entity spanning [begin, end) of `text` with its normalised value.
Entity make_entity(EntityKind kind, std::string_view text, size_t begin, size_t end,
                   std::string value);

void emails(std::string_view text, std::vector<Entity>& out);
// IBANs, French VAT numbers, SIRETs and SIRENs.
void identifiers(std::string_view text, const ExtractOptions& options, std::vector<Entity>& out);
// Invoice and quote numbers after their keyword ("Facture n°", "Invoice #", "N° de devis :").
void references(std::string_view text, std::vector<Entity>& out);
void dates(std::string_view text, const ExtractOptions& options, std::vector<Entity>& out);
void amounts(std::string_view text, std::vector<Entity>& out);
void phones(std::string_view text, std::vector<Entity>& out);

}  // namespace atelier::documents::domain::scan
