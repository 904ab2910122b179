#include "identity/app/signing_keys.hpp"

#include <algorithm>

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::identity::app {

SigningKeyRotation::SigningKeyRotation(db::Database& db, IdentityStore& store, auth::KeyRing& ring,
                                       const Clock& clock, KeyRotationSettings settings)
    : db_(db), store_(store), ring_(ring), clock_(clock), settings_(settings) {}

TimePoint SigningKeyRotation::next_due() const {
  return TimePoint(std::chrono::microseconds(next_due_us_.load()));
}

Result<void> SigningKeyRotation::run() {
  const TimePoint now = clock_.now();
  auto keys = db_.transact([&](db::Transaction& tx) -> Result<std::vector<StoredSigningKey>> {
    if (auto deleted = store_.delete_expired_signing_keys(tx, now); !deleted) {
      return std::move(deleted).error();
    } else if (*deleted > 0) {
      log::info("identity.signing_keys_deleted").field("keys", *deleted);
    }
    auto stored = store_.signing_keys(tx);
    if (!stored) {
      return std::move(stored).error();
    }
    const StoredSigningKey* signer = nullptr;
    for (const auto& k : *stored) {
      if (!k.not_after) {
        signer = &k;  // the newest active key signs
      }
    }
    if (signer != nullptr && signer->created_at + settings_.period > now) {
      return std::move(stored).value();
    }
    // Due (or no key at all). The compare-and-set retirement lets one process of several win;
    // the others find its new key on their next run.
    if (signer != nullptr) {
      auto retired = store_.retire_signing_key(tx, signer->kid, now, now + settings_.overlap);
      if (!retired) {
        return std::move(retired).error();
      }
      if (!*retired) {
        return store_.signing_keys(tx);
      }
      log::info("identity.signing_key_retired").field("kid", signer->kid);
    }
    StoredSigningKey fresh{Uuid::v7(clock_).str(), "", now, std::nullopt};
    fresh.private_pem = auth::SigningKey::generate(fresh.kid).to_pem();
    if (auto r = store_.insert_signing_key(tx, fresh); !r) {
      return std::move(r).error();
    }
    log::info("identity.signing_key_created").field("kid", fresh.kid);
    return store_.signing_keys(tx);
  });
  if (!keys) {
    return std::move(keys).error();
  }

  // The table now says which key signs and which only verify; the ring follows.
  const StoredSigningKey* signer = nullptr;
  for (const auto& k : *keys) {
    if (!k.not_after) {
      signer = &k;
    }
  }
  if (signer == nullptr) {
    return Error::internal("identity: no active signing key after rotation");
  }
  if (ring_.current_kid() != signer->kid) {
    auto key = auth::SigningKey::from_pem(signer->kid, signer->private_pem);
    if (!key) {
      return Error::internal("identity: signing key " + signer->kid +
                             " is unreadable: " + key.error().message);
    }
    // The replaced signer verifies as long as its row says (another process may have retired it
    // a moment ago), or the whole overlap when its row is gone already.
    std::chrono::seconds keep = settings_.overlap;
    const std::string old_kid = ring_.current_kid();
    for (const auto& k : *keys) {
      if (k.kid == old_kid && k.not_after) {
        keep = std::max(std::chrono::seconds(0),
                        std::chrono::duration_cast<std::chrono::seconds>(*k.not_after - now));
      }
    }
    if (auto r = ring_.rotate(std::move(key).value(), now, keep); !r) {
      return r;
    }
  }
  for (const auto& k : *keys) {
    if (k.not_after && *k.not_after >= now && !ring_.find(k.kid)) {
      if (auto key = auth::SigningKey::from_pem(k.kid, k.private_pem)) {
        (void)ring_.add_retired(key->public_key(), *k.not_after);
      }
    }
  }
  if (const size_t dropped = ring_.prune(now); dropped > 0) {
    log::info("identity.signing_keys_pruned").field("keys", static_cast<int64_t>(dropped));
  }

  TimePoint due = signer->created_at + settings_.period;
  for (const auto& r : ring_.retired()) {
    due = std::min(due, r.not_after + std::chrono::seconds(1));
  }
  next_due_us_ = due.time_since_epoch().count();
  return {};
}

}  // namespace atelier::identity::app
