#include "identity/app/api_keys.hpp"

#include "atelier/auth/secrets.hpp"
#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"
#include "identity/app/org_access.hpp"
#include "identity/domain/accounts.hpp"
#include "identity/domain/members.hpp"

namespace atelier::identity::app {

namespace {

Error unauthenticated(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), {}, {}};
}

}  // namespace

ApiKeys::ApiKeys(db::Database& db, IdentityStore& store, const Clock& clock)
    : db_(db), store_(store), clock_(clock) {}

Result<domain::OrgRole> ApiKeys::manager_role(db::Transaction& tx, const Principal& caller) {
  // A key that could make keys would let a leaked key outlive its own revocation.
  if (caller.kind != Principal::Kind::kUser) {
    return Error::forbidden("API keys are managed by a person signed in, not by an API key.");
  }
  return authorize(store_, tx, caller, domain::Action::kApiKeysManage,
                   "Only owners and admins can manage API keys.");
}

Result<CreatedApiKey> ApiKeys::create(const Principal& caller, const CreateApiKeyCommand& cmd) {
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<CreatedApiKey> {
        auto creator_role = manager_role(tx, caller);
        if (!creator_role) {
          return std::move(creator_role).error();
        }
        std::vector<FieldError> errors;
        const auto name = domain::normalize_name(cmd.name);
        if (!name) {
          errors.push_back({"name", "Name the key after what uses it (1 to 200 characters)."});
        }
        const auto role = domain::parse_role(cmd.role);
        if (!role || *role == domain::OrgRole::kOwner) {
          errors.push_back({"role", "Choose admin, member or guest; a key is never an owner."});
        }
        if (!errors.empty()) {
          return Error::invalid("The API key could not be created: see the fields.",
                                std::move(errors));
        }
        if (!domain::may_grant(*creator_role, *role)) {
          return Error::forbidden("A key's role cannot be above your own.");
        }
        CreatedApiKey created;
        created.secret = auth::generate_api_key();
        created.key = ApiKey{Uuid::v7(clock_).str(),
                             caller.org_id,
                             *name,
                             *role,
                             created.secret.substr(0, kPrefixLength),
                             caller.subject,
                             now,
                             std::nullopt,
                             std::nullopt};
        const ApiKey& key = created.key;
        if (auto r = store_.insert_api_key(tx, key, auth::token_hash(created.secret)); !r) {
          return std::move(r).error();
        }
        if (auto r = record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                                  "api_key.created", key.id, cmd.ip,
                                  "{\"name\":" + json_quoted(key.name) +
                                      ",\"role\":" + json_quoted(domain::role_name(key.role)) +
                                      ",\"prefix\":" + json_quoted(key.prefix) + "}");
            !r) {
          return std::move(r).error();
        }
        return created;
      });
}

Result<std::vector<ApiKey>> ApiKeys::list(const Principal& caller, const std::string& after_id,
                                          int limit) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<ApiKey>> {
                        if (auto role = manager_role(tx, caller); !role) {
                          return std::move(role).error();
                        }
                        return store_.api_keys_page(tx, caller.org_id, after_id, limit);
                      });
}

Result<void> ApiKeys::revoke(const Principal& caller, const std::string& id,
                             const std::string& ip) {
  const TimePoint now = clock_.now();
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<void> {
                        if (auto role = manager_role(tx, caller); !role) {
                          return std::move(role).error();
                        }
                        auto key = store_.find_api_key(tx, caller.org_id, id);
                        if (!key) {
                          return std::move(key).error();
                        }
                        if (!key->has_value()) {
                          return Error::not_found("No API key with this id in your organisation.");
                        }
                        if ((*key)->revoked_at) {
                          return {};  // revoked already: the caller's wish holds
                        }
                        if (auto r = store_.revoke_api_key(tx, caller.org_id, id, now); !r) {
                          return std::move(r).error();
                        }
                        return record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                                            "api_key.revoked", id, ip,
                                            "{\"name\":" + json_quoted((*key)->name) + "}");
                      });
}

Result<Principal> ApiKeys::verify(std::string_view key) {
  if (!auth::looks_like_api_key(key)) {
    return unauthenticated(
        "This is not an Atelier API key (they look like atk_ and 43 more "
        "characters).");
  }
  const std::string hash = auth::token_hash(key);
  auto found =
      db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
                   [&](db::Transaction& tx) { return store_.find_api_key_by_hash(tx, hash); });
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value()) {
    return unauthenticated("Unknown API key.");
  }
  const ApiKey& stored = **found;
  if (stored.revoked_at) {
    return unauthenticated("This API key was revoked.");
  }
  const TimePoint now = clock_.now();
  if (!stored.last_used_at || *stored.last_used_at < now - kTouchInterval) {
    auto touched =
        db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = stored.org_id},
                     [&](db::Transaction& tx) {
                       return store_.touch_api_key(tx, stored.id, now, now - kTouchInterval);
                     });
    if (!touched) {
      // Only a hint is lost; the request itself is fine.
      log::warn("identity.api_key_touch_failed")
          .field("key_id", stored.id)
          .field("error", touched.error().message);
    }
  }
  return Principal{Principal::Kind::kApiKey,
                   stored.id,
                   stored.org_id,
                   {std::string(domain::role_name(stored.role))},
                   stored.id};
}

}  // namespace atelier::identity::app
