// The notifications port: identity asks for an email to be sent, inside its own transaction.
// Until the notifications service exists, the adapter writes a notifications.EmailRequested.v1
// event to the identity outbox, which that service will consume.
#pragma once

#include <map>
#include <string>

#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"

namespace atelier::identity::app {

struct EmailRequest {
  std::string to;
  std::string locale;                         // fr or en
  std::string template_;                      // "verify_email", "reset_password"
  std::map<std::string, std::string> params;  // e.g. {"link": "...", "name": "..."}
  std::string org_id;
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual Result<void> send_email(db::Transaction& tx, const EmailRequest& email) = 0;
};

}  // namespace atelier::identity::app
