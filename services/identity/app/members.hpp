// The members of an organisation: invitations by email (a single-use token, valid for a week),
// the member list, role changes, removal and leaving, and the transfer of ownership. Every action
// is checked against the policy table with the caller's current role in the organisation of its
// credentials; the organisation always comes from the credentials.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "atelier/core/principal.hpp"
#include "identity/app/notifier.hpp"
#include "identity/app/oauth_store.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

struct InviteCommand {
  std::string email;
  std::string role;  // admin, member or guest
  std::string ip;
};

struct CreatedInvitation {
  Invitation invitation;
  // Shown once, to the inviter (who may pass it on themselves); the invitee also gets it by email,
  // in the link to the portal's accept page. Only its digest is kept.
  std::string token;
};

struct AcceptedInvitation {
  std::string org_id;
  domain::OrgRole role = domain::OrgRole::kGuest;
};

class Members {
 public:
  static constexpr std::chrono::seconds kInvitationTtl{7 * 24 * 3600};

  // `oauth`, when given, lets a demotion or a removal revoke the OAuth clients the member
  // registered whose roles it no longer covers, as it does API keys. `notifier`, when given,
  // emails each invitation a link to `portal_url` + /accept-invitation?token=...
  Members(db::Database& db, IdentityStore& store, const Clock& clock = SystemClock::instance(),
          std::chrono::seconds invitation_ttl = kInvitationTtl, OAuthStore* oauth = nullptr,
          Notifier* notifier = nullptr, std::string portal_url = {});

  // The members of the caller's organisation, by user id; `after_user_id` is the cursor.
  Result<std::vector<Member>> list(const Principal& caller, const std::string& after_user_id,
                                   int limit);

  // kInvalid for a bad email or role (owner cannot be invited), kForbidden unless the caller may
  // invite and grant that role, kConflict when the address is already a member's. Inviting an
  // address again replaces its pending invitation (the older link stops working). The invitee is
  // emailed the link (template "invitation") in the same transaction.
  Result<CreatedInvitation> invite(const Principal& caller, const InviteCommand& cmd);
  // Invitations neither accepted, cancelled nor expired; never their tokens.
  Result<std::vector<Invitation>> pending_invitations(const Principal& caller,
                                                      const std::string& after_id, int limit);
  // kNotFound outside the caller's organisation, kConflict once accepted; cancelling twice is
  // fine.
  Result<void> cancel_invitation(const Principal& caller, const std::string& id,
                                 const std::string& ip);
  // The signed-in user (acting in any organisation) joins the invitation's organisation.
  // kNotFound for an unknown token, kForbidden when it was sent to another address or the caller
  // is not a person, kConflict when it was used or they are a member already, kGone when it was
  // cancelled or has expired.
  Result<AcceptedInvitation> accept(const Principal& caller, const std::string& token,
                                    const std::string& ip);

  // Sets a member's role to admin, member or guest. Nobody changes their own role or the owner's,
  // and nobody grants more than their own role. A demoted member's API keys and OAuth clients
  // with a role above the new one are revoked.
  Result<Member> change_role(const Principal& caller, const std::string& user_id,
                             const std::string& role, const std::string& ip);
  // Removes a member, or lets the caller leave (user_id = their own). The owner can be neither
  // removed nor leave. The member's sessions, API keys and role-holding OAuth clients
  // (client_credentials) in the organisation end with it.
  Result<void> remove(const Principal& caller, const std::string& user_id, const std::string& ip);
  // The owner hands the organisation to another member and becomes an admin.
  Result<void> transfer_ownership(const Principal& caller, const std::string& user_id,
                                  const std::string& ip);

 private:
  // Revokes the keys `user_id` made in the organisation whose role is above `ceiling` (all of
  // them when `ceiling` is nullopt), and likewise the OAuth clients they registered that hold
  // roles, recording each in the audit log. A client without roles acts only with the role of each
  // user who authorizes it, so it stays.
  Result<void> revoke_keys_of(db::Transaction& tx, const Principal& caller,
                              const std::string& user_id, std::optional<domain::OrgRole> ceiling,
                              std::string_view reason, const std::string& ip);

  db::Database& db_;
  IdentityStore& store_;
  const Clock& clock_;
  // Asks the notifier to email the invitation's link, in the invitee's language when they have
  // an account, else in the inviter's.
  Result<void> send_invitation(db::Transaction& tx, const Principal& caller,
                               const Invitation& invitation, const std::string& token,
                               const std::optional<User>& invitee);

  std::chrono::seconds invitation_ttl_;
  OAuthStore* oauth_;
  Notifier* notifier_;
  std::string portal_url_;
};

}  // namespace atelier::identity::app
