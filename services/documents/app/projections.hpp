// What the documents service learns from the projects service, through its events: which projects
// exist, and who holds which role on them. Applied by an idempotent consumer (events::Consumer)
// inside the transaction that records the event as handled.
#pragma once

#include <string>
#include <vector>

#include "atelier/events/cloud_event.hpp"
#include "documents/app/store.hpp"

namespace atelier::documents::app {

// The participant id under which a project's creator holds the manager role until the projects
// service says anything about that user on that project.
inline constexpr std::string_view kCreatorParticipant = "creator";

class Projections {
 public:
  explicit Projections(DocumentStore& store) : store_(store) {}

  static std::vector<std::string> event_types();

  // Applies `event` in `tx`. Malformed data is kInvalid: the consumer retries, then parks it.
  Result<void> apply(db::Transaction& tx, const events::CloudEvent& event);

 private:
  DocumentStore& store_;
};

}  // namespace atelier::documents::app
