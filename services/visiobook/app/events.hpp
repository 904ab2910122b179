// The events of the VisioBook service, written to its outbox in the transaction of the change:
// visiobook.BookCreated.v1, one visiobook.<Stage>Completed.v1 per stage of a run
// (IngestionCompleted, AnalysisCompleted, StoryboardCompleted, NarrationCompleted,
// AssemblyCompleted), and visiobook.RunFailed.v1.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "visiobook/app/model.hpp"

namespace atelier::visiobook::app {

Result<void> emit_book_event(db::Transaction& tx, const Clock& clock, std::string_view type,
                             const BookProject& book, boost::json::object data);

// "visiobook.AnalysisCompleted.v1" for the analysis stage, and so on.
std::string completed_event_type(domain::Stage stage);

}  // namespace atelier::visiobook::app
