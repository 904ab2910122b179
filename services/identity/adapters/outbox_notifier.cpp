#include "identity/adapters/outbox_notifier.hpp"

#include <boost/json.hpp>

#include "atelier/events/outbox.hpp"

namespace atelier::identity::adapters {

Result<void> OutboxNotifier::send_email(db::Transaction& tx, const app::EmailRequest& email) {
  boost::json::object params;
  for (const auto& [key, value] : email.params) {
    params[key] = value;
  }
  const boost::json::object data{{"to", email.to},
                                 {"locale", email.locale},
                                 {"template", email.template_},
                                 {"params", std::move(params)}};
  return events::append(
      tx, events::CloudEvent::make("/services/identity", "notifications.EmailRequested.v1",
                                   email.to, email.org_id, boost::json::serialize(data), clock_));
}

}  // namespace atelier::identity::adapters
