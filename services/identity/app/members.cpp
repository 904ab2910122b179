#include "identity/app/members.hpp"

#include <algorithm>

#include "atelier/auth/secrets.hpp"
#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "identity/app/org_access.hpp"
#include "identity/domain/accounts.hpp"
#include "identity/domain/members.hpp"

namespace atelier::identity::app {

namespace {

constexpr std::string_view kSource = "/services/identity";

Error gone(std::string message) {
  return Error{ErrorCode::kGone, std::move(message), {}, {}};
}

Error no_such_member() {
  return Error::not_found("No member with this id in your organisation.");
}

Result<void> emit(db::Transaction& tx, const Clock& clock, std::string_view type,
                  const std::string& subject, const std::string& org_id, std::string data) {
  return events::append(tx, events::CloudEvent::make(std::string(kSource), std::string(type),
                                                     subject, org_id, std::move(data), clock));
}

// The role a request asks to grant: kInvalid for anything but admin, member or guest.
Result<domain::OrgRole> grantable_role(const std::string& text) {
  const auto role = domain::parse_role(text);
  if (!role) {
    return Error::invalid("Unknown role.", {{"role", "Choose admin, member or guest."}});
  }
  if (*role == domain::OrgRole::kOwner) {
    return Error::invalid("Ownership moves only by a transfer.",
                          {{"role",
                            "Choose admin, member or guest; to hand over the "
                            "organisation, transfer its ownership."}});
  }
  return *role;
}

Result<void> check_grant(domain::OrgRole granter, domain::OrgRole role) {
  if (!domain::may_grant(granter, role)) {
    return Error::forbidden("You cannot grant the role " + std::string(domain::role_name(role)) +
                            ": it is above your own.");
  }
  return {};
}

}  // namespace

Members::Members(db::Database& db, IdentityStore& store, const Clock& clock,
                 std::chrono::seconds invitation_ttl, OAuthStore* oauth, Notifier* notifier,
                 std::string portal_url)
    : db_(db),
      store_(store),
      clock_(clock),
      invitation_ttl_(invitation_ttl),
      oauth_(oauth),
      notifier_(notifier),
      portal_url_(std::move(portal_url)) {}

Result<std::vector<Member>> Members::list(const Principal& caller, const std::string& after_user_id,
                                          int limit) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<Member>> {
                        auto role = authorize(store_, tx, caller, domain::Action::kOrgRead,
                                              "You cannot see this organisation's members.");
                        if (!role) {
                          return std::move(role).error();
                        }
                        return store_.members_page(tx, caller.org_id, after_user_id, limit);
                      });
}

Result<CreatedInvitation> Members::invite(const Principal& caller, const InviteCommand& cmd) {
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<CreatedInvitation> {
        // Authorisation before validation: someone who may not invite learns nothing more.
        auto actor_role = authorize(store_, tx, caller, domain::Action::kMembersInvite,
                                    "Only owners and admins can invite members.");
        if (!actor_role) {
          return std::move(actor_role).error();
        }
        std::vector<FieldError> errors;
        const auto email = domain::normalize_email(cmd.email);
        if (!email) {
          errors.push_back({"email", "Enter an email address such as name@example.com."});
        }
        auto role = grantable_role(cmd.role);
        if (!role) {
          for (const auto& f : role.error().fields) {
            errors.push_back(f);
          }
        }
        if (!errors.empty()) {
          return Error::invalid("The invitation could not be sent: see the fields.",
                                std::move(errors));
        }
        if (auto ok = check_grant(*actor_role, *role); !ok) {
          return std::move(ok).error();
        }
        auto user = store_.find_user_by_email(tx, *email);
        if (!user) {
          return std::move(user).error();
        }
        if (user->has_value()) {
          auto member = store_.find_member(tx, caller.org_id, (*user)->id);
          if (!member) {
            return std::move(member).error();
          }
          if (member->has_value()) {
            return Error::conflict("This person is already a member of your organisation.");
          }
        }
        if (auto r = store_.revoke_invitations_for(tx, caller.org_id, *email, now); !r) {
          return std::move(r).error();
        }
        const std::string actor = actor_of(caller);
        CreatedInvitation created{
            Invitation{Uuid::v7(clock_).str(), caller.org_id, *email, *role, actor, now,
                       now + invitation_ttl_, std::nullopt, std::string(), std::nullopt},
            auth::random_token()};
        const Invitation& inv = created.invitation;
        if (auto r = store_.insert_invitation(tx, inv, auth::token_hash(created.token)); !r) {
          return std::move(r).error();
        }
        // The token stays out of this event: the bus and its consumers never see a credential. The
        // email request below carries it, in the link, to the notifications port only, as the
        // verification and reset links do.
        if (auto r = emit(tx, clock_, "identity.InvitationCreated.v1", inv.id, caller.org_id,
                          "{\"invitation_id\":" + json_quoted(inv.id) + ",\"org_id\":" +
                              json_quoted(inv.org_id) + ",\"email\":" + json_quoted(inv.email) +
                              ",\"role\":" + json_quoted(domain::role_name(inv.role)) +
                              ",\"invited_by\":" + json_quoted(actor) + ",\"expires_at\":" +
                              json_quoted(format_rfc3339(inv.expires_at)) + "}");
            !r) {
          return std::move(r).error();
        }
        if (auto r = record_audit(
                store_, tx, clock_, caller.org_id, actor, "invitation.created", inv.id, cmd.ip,
                "{\"email\":" + json_quoted(inv.email) +
                    ",\"role\":" + json_quoted(domain::role_name(inv.role)) + "}");
            !r) {
          return std::move(r).error();
        }
        if (auto r = send_invitation(tx, caller, inv, created.token, *user); !r) {
          return std::move(r).error();
        }
        return created;
      });
}

Result<void> Members::send_invitation(db::Transaction& tx, const Principal& caller,
                                      const Invitation& invitation, const std::string& token,
                                      const std::optional<User>& invitee) {
  if (notifier_ == nullptr) {
    return {};
  }
  std::string locale = invitee ? invitee->locale : "fr";
  std::string inviter_name;
  if (caller.kind == Principal::Kind::kUser) {
    auto inviter = store_.find_user(tx, caller.subject);
    if (!inviter) {
      return std::move(inviter).error();
    }
    if (inviter->has_value()) {
      inviter_name = (*inviter)->name;
      if (!invitee) {
        locale = (*inviter)->locale;
      }
    }
  }
  auto org_name = store_.org_name(tx, invitation.org_id);
  if (!org_name) {
    return std::move(org_name).error();
  }
  return notifier_->send_email(
      tx, EmailRequest{invitation.email,
                       locale,
                       "invitation",
                       {{"link", portal_url_ + "/accept-invitation?token=" + token},
                        {"org_name", org_name->value_or("")},
                        {"role", std::string(domain::role_name(invitation.role))},
                        {"invited_by", inviter_name},
                        {"expires_at", format_rfc3339(invitation.expires_at)}},
                       invitation.org_id});
}

Result<std::vector<Invitation>> Members::pending_invitations(const Principal& caller,
                                                             const std::string& after_id,
                                                             int limit) {
  const TimePoint now = clock_.now();
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<Invitation>> {
                        auto role = authorize(store_, tx, caller, domain::Action::kMembersInvite,
                                              "Only owners and admins can see invitations.");
                        if (!role) {
                          return std::move(role).error();
                        }
                        return store_.pending_invitations(tx, caller.org_id, now, after_id, limit);
                      });
}

Result<void> Members::cancel_invitation(const Principal& caller, const std::string& id,
                                        const std::string& ip) {
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<void> {
        auto role = authorize(store_, tx, caller, domain::Action::kMembersInvite,
                              "Only owners and admins can cancel invitations.");
        if (!role) {
          return std::move(role).error();
        }
        auto found = store_.find_invitation(tx, caller.org_id, id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return Error::not_found("No invitation with this id in your organisation.");
        }
        if ((*found)->accepted_at) {
          return Error::conflict(
              "This invitation was accepted already: remove the member instead.");
        }
        if ((*found)->revoked_at) {
          return {};  // cancelled already: the caller's wish holds
        }
        if (auto r = store_.revoke_invitation(tx, caller.org_id, id, now); !r) {
          return std::move(r).error();
        }
        return record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                            "invitation.cancelled", id, ip,
                            "{\"email\":" + json_quoted((*found)->email) + "}");
      });
}

Result<AcceptedInvitation> Members::accept(const Principal& caller, const std::string& token,
                                           const std::string& ip) {
  if (caller.kind != Principal::Kind::kUser) {
    return Error::forbidden("An invitation is accepted by a person signed in, not by an API key.");
  }
  const TimePoint now = clock_.now();
  // The invitation's organisation is not the caller's (yet): the token, found by its digest,
  // says which it is, so this transaction is not scoped to one organisation.
  // The invitation is found by its token before its organisation is known.
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<AcceptedInvitation> {
        auto found = store_.find_invitation_by_token(tx, auth::token_hash(token));
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return Error::not_found("Unknown invitation: check the link, or ask for a new one.");
        }
        const Invitation& inv = **found;
        auto user = store_.find_user(tx, caller.subject);
        if (!user) {
          return std::move(user).error();
        }
        if (!user->has_value()) {
          return Error::not_found("This account no longer exists.");
        }
        // Checked first, so that someone else holding the link learns nothing about its state.
        if ((*user)->email != inv.email) {
          return Error::forbidden(
              "This invitation was sent to another email address: sign in with that address to "
              "accept it.");
        }
        if (inv.accepted_at) {
          return Error::conflict("This invitation was accepted already.");
        }
        if (inv.revoked_at) {
          return gone("This invitation was cancelled: ask for a new one.");
        }
        if (inv.expires_at <= now) {
          return gone("This invitation has expired: ask for a new one.");
        }
        auto member = store_.find_member(tx, inv.org_id, caller.subject);
        if (!member) {
          return std::move(member).error();
        }
        if (member->has_value()) {
          return Error::conflict("You are already a member of this organisation.");
        }
        auto first = store_.accept_invitation(tx, inv.id, caller.subject, now);
        if (!first) {
          return std::move(first).error();
        }
        if (!*first) {
          return Error::conflict("This invitation was accepted already.");
        }
        if (auto r = store_.insert_membership(tx, inv.org_id, caller.subject, inv.role, now); !r) {
          return std::move(r).error();
        }
        const std::string role(domain::role_name(inv.role));
        if (auto r = emit(tx, clock_, "identity.MemberAdded.v1", caller.subject, inv.org_id,
                          "{\"org_id\":" + json_quoted(inv.org_id) + ",\"user_id\":" +
                              json_quoted(caller.subject) + ",\"role\":" + json_quoted(role) +
                              ",\"invitation_id\":" + json_quoted(inv.id) + "}");
            !r) {
          return std::move(r).error();
        }
        if (auto r = record_audit(
                store_, tx, clock_, inv.org_id, caller.subject, "member.added", caller.subject, ip,
                "{\"role\":" + json_quoted(role) + ",\"invitation_id\":" + json_quoted(inv.id) +
                    ",\"invited_by\":" + json_quoted(inv.invited_by) + "}");
            !r) {
          return std::move(r).error();
        }
        return AcceptedInvitation{inv.org_id, inv.role};
      });
}

Result<Member> Members::change_role(const Principal& caller, const std::string& user_id,
                                    const std::string& role_text, const std::string& ip) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<Member> {
        auto actor_role = authorize(store_, tx, caller, domain::Action::kMembersChangeRole,
                                    "Only owners and admins can change roles.");
        if (!actor_role) {
          return std::move(actor_role).error();
        }
        auto role = grantable_role(role_text);
        if (!role) {
          return std::move(role).error();
        }
        if (caller.kind == Principal::Kind::kUser && user_id == caller.subject) {
          return Error::forbidden("You cannot change your own role.");
        }
        auto found = store_.find_member(tx, caller.org_id, user_id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return no_such_member();
        }
        Member member = **found;
        if (member.role == domain::OrgRole::kOwner) {
          return Error::forbidden("The owner's role changes only by a transfer of ownership.");
        }
        if (auto ok = check_grant(*actor_role, *role); !ok) {
          return std::move(ok).error();
        }
        if (member.role == *role) {
          return member;  // nothing to change, nothing to record
        }
        auto changed = store_.change_member_role(tx, caller.org_id, user_id, member.role, *role);
        if (!changed) {
          return std::move(changed).error();
        }
        if (!*changed) {
          return Error::conflict("This member's role changed meanwhile: reload and try again.");
        }
        const std::string from(domain::role_name(member.role));
        const std::string to(domain::role_name(*role));
        member.role = *role;
        if (auto r = revoke_keys_of(tx, caller, user_id, *role, "creator_demoted", ip); !r) {
          return std::move(r).error();
        }
        if (auto r = emit(tx, clock_, "identity.MemberRoleChanged.v1", user_id, caller.org_id,
                          "{\"org_id\":" + json_quoted(caller.org_id) + ",\"user_id\":" +
                              json_quoted(user_id) + ",\"from\":" + json_quoted(from) +
                              ",\"to\":" + json_quoted(to) + "}");
            !r) {
          return std::move(r).error();
        }
        if (auto r = record_audit(
                store_, tx, clock_, caller.org_id, actor_of(caller), "member.role_changed", user_id,
                ip, "{\"from\":" + json_quoted(from) + ",\"to\":" + json_quoted(to) + "}");
            !r) {
          return std::move(r).error();
        }
        return member;
      });
}

Result<void> Members::remove(const Principal& caller, const std::string& user_id,
                             const std::string& ip) {
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<void> {
        auto actor_role = current_role(store_, tx, caller);
        if (!actor_role) {
          return std::move(actor_role).error();
        }
        const bool leaving = caller.kind == Principal::Kind::kUser && user_id == caller.subject;
        if (!leaving) {
          if (auto ok = require(*actor_role, domain::Action::kMembersRemove,
                                "Only owners and admins can remove members.");
              !ok) {
            return ok;
          }
        }
        auto found = store_.find_member(tx, caller.org_id, user_id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return no_such_member();
        }
        const Member& member = **found;
        if (member.role == domain::OrgRole::kOwner) {
          return Error::forbidden(leaving ? "The owner cannot leave: transfer ownership first."
                                          : "The owner cannot be removed.");
        }
        auto deleted = store_.delete_member(tx, caller.org_id, user_id);
        if (!deleted) {
          return std::move(deleted).error();
        }
        if (!*deleted) {
          return Error::conflict("This membership changed meanwhile: reload and try again.");
        }
        // The membership ends now, not when the member's tokens expire.
        if (auto r = store_.revoke_refresh_tokens_of(tx, caller.org_id, user_id, now); !r) {
          return std::move(r).error();
        }
        if (auto r = revoke_keys_of(tx, caller, user_id, std::nullopt, "creator_removed", ip); !r) {
          return r;
        }
        const std::string left = leaving ? "true" : "false";
        if (auto r = emit(tx, clock_, "identity.MemberRemoved.v1", user_id, caller.org_id,
                          "{\"org_id\":" + json_quoted(caller.org_id) +
                              ",\"user_id\":" + json_quoted(user_id) + ",\"left\":" + left + "}");
            !r) {
          return r;
        }
        return record_audit(
            store_, tx, clock_, caller.org_id, actor_of(caller), "member.removed", user_id, ip,
            "{\"role\":" + json_quoted(domain::role_name(member.role)) + ",\"left\":" + left + "}");
      });
}

Result<void> Members::transfer_ownership(const Principal& caller, const std::string& user_id,
                                         const std::string& ip) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<void> {
        auto actor_role = authorize(store_, tx, caller, domain::Action::kOwnershipTransfer,
                                    "Only the owner can transfer ownership.");
        if (!actor_role) {
          return std::move(actor_role).error();
        }
        if (user_id == caller.subject) {
          return Error::conflict("You own this organisation already.");
        }
        auto found = store_.find_member(tx, caller.org_id, user_id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return no_such_member();
        }
        const domain::OrgRole previous = (**found).role;
        // Demote first, then promote: at no point are there two owners.
        auto demoted = store_.change_member_role(tx, caller.org_id, caller.subject,
                                                 domain::OrgRole::kOwner, domain::OrgRole::kAdmin);
        if (!demoted) {
          return std::move(demoted).error();
        }
        auto promoted = *demoted ? store_.change_member_role(tx, caller.org_id, user_id, previous,
                                                             domain::OrgRole::kOwner)
                                 : Result<bool>(false);
        if (!promoted) {
          return std::move(promoted).error();
        }
        if (!*promoted) {
          return Error::conflict("The membership changed meanwhile: reload and try again.");
        }
        if (auto r = emit(
                tx, clock_, "identity.OwnershipTransferred.v1", caller.org_id, caller.org_id,
                "{\"org_id\":" + json_quoted(caller.org_id) + ",\"from_user_id\":" +
                    json_quoted(caller.subject) + ",\"to_user_id\":" + json_quoted(user_id) + "}");
            !r) {
          return r;
        }
        return record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                            "ownership.transferred", user_id, ip,
                            "{\"previous_owner\":" + json_quoted(caller.subject) +
                                ",\"previous_role\":" + json_quoted(domain::role_name(previous)) +
                                "}");
      });
}

Result<void> Members::revoke_keys_of(db::Transaction& tx, const Principal& caller,
                                     const std::string& user_id,
                                     std::optional<domain::OrgRole> ceiling,
                                     std::string_view reason, const std::string& ip) {
  auto keys = store_.api_keys_created_by(tx, caller.org_id, user_id);
  if (!keys) {
    return std::move(keys).error();
  }
  const TimePoint now = clock_.now();
  for (const auto& key : *keys) {
    if (ceiling && domain::role_rank(key.role) <= domain::role_rank(*ceiling)) {
      continue;
    }
    auto revoked = store_.revoke_api_key(tx, caller.org_id, key.id, now);
    if (!revoked) {
      return std::move(revoked).error();
    }
    if (auto r =
            record_audit(store_, tx, clock_, caller.org_id, actor_of(caller), "api_key.revoked",
                         key.id, ip, "{\"reason\":" + json_quoted(reason) + "}");
        !r) {
      return r;
    }
  }
  if (oauth_ == nullptr) {
    return {};
  }
  auto clients = oauth_->clients_created_by(tx, caller.org_id, user_id);
  if (!clients) {
    return std::move(clients).error();
  }
  for (const auto& client : *clients) {
    const bool above = std::any_of(client.roles.begin(), client.roles.end(), [&](auto role) {
      return !ceiling || domain::role_rank(role) > domain::role_rank(*ceiling);
    });
    if (!above) {
      continue;
    }
    auto revoked = oauth_->revoke_client(tx, caller.org_id, client.id, now);
    if (!revoked) {
      return std::move(revoked).error();
    }
    if (auto ended = oauth_->revoke_client_sessions(tx, client.id, now); !ended) {
      return std::move(ended).error();
    }
    if (auto r = record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                              "oauth_client.revoked", client.id, ip,
                              "{\"reason\":" + json_quoted(reason) + "}");
        !r) {
      return r;
    }
  }
  return {};
}

}  // namespace atelier::identity::app
