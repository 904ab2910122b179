#include "identity/app/org_access.hpp"

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"
#include "identity/domain/members.hpp"

namespace atelier::identity::app {

Result<domain::OrgRole> current_role(IdentityStore& store, db::Transaction& tx,
                                     const Principal& caller) {
  if (caller.org_id.empty()) {
    return Error::forbidden("These credentials act in no organisation.");
  }
  switch (caller.kind) {
    case Principal::Kind::kUser: {
      auto member = store.find_member(tx, caller.org_id, caller.subject);
      if (!member) {
        return std::move(member).error();
      }
      if (!member->has_value()) {
        return Error::forbidden("You are no longer a member of this organisation.");
      }
      return (*member)->role;
    }
    case Principal::Kind::kApiKey: {
      auto key = store.find_api_key(tx, caller.org_id, caller.subject);
      if (!key) {
        return std::move(key).error();
      }
      if (!key->has_value() || (*key)->revoked_at) {
        return Error::forbidden("This API key was revoked.");
      }
      return (*key)->role;
    }
    case Principal::Kind::kClient: {
      // The roles of the client's own token (client_credentials). A client's roles never change
      // after registration, and verify_access_token has checked that it is not revoked, so the
      // token's roles are the current ones.
      std::optional<domain::OrgRole> best;
      for (const auto& name : caller.roles) {
        const auto role = domain::parse_role(name);
        if (role && *role != domain::OrgRole::kOwner &&
            (!best || domain::role_rank(*role) > domain::role_rank(*best))) {
          best = role;
        }
      }
      if (caller.subject.empty() || !best) {
        return Error::forbidden("These client credentials hold no role in this organisation.");
      }
      return *best;
    }
  }
  return Error::forbidden("These credentials cannot act on an organisation's members.");
}

Result<void> require(domain::OrgRole role, domain::Action action, std::string message) {
  if (!domain::role_allows(role, action)) {
    return Error::forbidden(std::move(message));
  }
  return {};
}

Result<domain::OrgRole> authorize(IdentityStore& store, db::Transaction& tx,
                                  const Principal& caller, domain::Action action,
                                  std::string message) {
  auto role = current_role(store, tx, caller);
  if (!role) {
    return role;
  }
  if (auto ok = require(*role, action, std::move(message)); !ok) {
    return std::move(ok).error();
  }
  return role;
}

std::string actor_of(const Principal& caller) {
  switch (caller.kind) {
    case Principal::Kind::kApiKey:
      return "api_key:" + caller.subject;
    case Principal::Kind::kClient:
      return "oauth_client:" + caller.subject;
    case Principal::Kind::kUser:
      break;
  }
  return caller.subject;
}

Result<void> record_audit(IdentityStore& store, db::Transaction& tx, const Clock& clock,
                          const std::string& org_id, const std::string& actor,
                          std::string_view action, const std::string& target, const std::string& ip,
                          const std::string& detail) {
  return store.append_audit(tx, AuditEntry{Uuid::v7(clock).str(), org_id, actor,
                                           std::string(action), target, ip, detail, clock.now()});
}

std::string json_quoted(std::string_view s) {
  std::string out = "\"";
  log::append_json_escaped(out, s);
  out += '"';
  return out;
}

}  // namespace atelier::identity::app
