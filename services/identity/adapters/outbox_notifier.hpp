// Notifier that records email requests as events in the identity outbox.
#pragma once

#include "atelier/core/clock.hpp"
#include "identity/app/notifier.hpp"

namespace atelier::identity::adapters {

class OutboxNotifier final : public app::Notifier {
 public:
  explicit OutboxNotifier(const Clock& clock = SystemClock::instance()) : clock_(clock) {}
  Result<void> send_email(db::Transaction& tx, const app::EmailRequest& email) override;

 private:
  const Clock& clock_;
};

}  // namespace atelier::identity::adapters
