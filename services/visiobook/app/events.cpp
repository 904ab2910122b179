#include "visiobook/app/events.hpp"

#include <boost/json.hpp>

#include "atelier/events/outbox.hpp"

namespace atelier::visiobook::app {

Result<void> emit_book_event(db::Transaction& tx, const Clock& clock, std::string_view type,
                             const BookProject& book, boost::json::object data) {
  data["book_id"] = book.id;
  return events::append(
      tx, events::CloudEvent::make("/services/visiobook", std::string(type), book.id, book.org_id,
                                   boost::json::serialize(data), clock));
}

std::string completed_event_type(domain::Stage stage) {
  std::string name(domain::stage_name(stage));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return "visiobook." + name + "Completed.v1";
}

}  // namespace atelier::visiobook::app
