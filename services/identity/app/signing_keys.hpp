// Rotation of the Ed25519 keys that sign tokens. A key signs for `period`; then a new one takes
// over and the old one only verifies, and stays in the JWKS, until every token it signed has
// expired; then it leaves the ring and its row is deleted. The signing_keys table is the truth
// that every identity process follows, so a key made by one process is picked up by the others.
#pragma once

#include <atomic>
#include <chrono>

#include "atelier/auth/jwt.hpp"
#include "atelier/db/database.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

struct KeyRotationSettings {
  std::chrono::seconds period{30 * 24 * 3600};
  // How long a replaced key still verifies: the longest lifetime of a token it signed (access
  // and ID tokens: 15 minutes) plus a margin for clock skew and requests in flight.
  std::chrono::seconds overlap{20 * 60};
};

class SigningKeyRotation {
 public:
  SigningKeyRotation(db::Database& db, IdentityStore& store, auth::KeyRing& ring,
                     const Clock& clock = SystemClock::instance(),
                     KeyRotationSettings settings = {});

  // Brings the ring in line with the table: retires the signer when it is older than the period
  // and makes a new one (unless another process just did), adopts keys other processes made,
  // and drops (from the ring, and the rows) keys whose tokens have all expired. Runs at start-up
  // and then on a timer; cheap when nothing changed (one read).
  Result<void> run();

  // When run() next has something to do by this process's reckoning: the signer's end of period
  // or the end of a retired key's overlap.
  TimePoint next_due() const;

 private:
  db::Database& db_;
  IdentityStore& store_;
  auth::KeyRing& ring_;
  const Clock& clock_;
  KeyRotationSettings settings_;
  std::atomic<int64_t> next_due_us_{0};
};

}  // namespace atelier::identity::app
