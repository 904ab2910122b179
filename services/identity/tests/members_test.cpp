// Members, invitations and API keys driven through their use cases on SQLite and PostgreSQL, with
// a clock the tests move.
#include "identity/app/members.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "atelier/auth/secrets.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "identity/adapters/outbox_notifier.hpp"
#include "identity/adapters/sql_store.hpp"
#include "identity/app/accounts.hpp"
#include "identity/app/api_keys.hpp"
#include "identity/domain/members.hpp"
#include "test_secrets.hpp"

std::vector<atelier::db::MigrationFile> atelier_identity_migrations();

namespace atelier::identity::app {
namespace {

constexpr const char* kPassword = "Charpente-Chene-2025!";
constexpr const char* kIp = "10.0.0.1";

using domain::OrgRole;

TEST(MemberRules, RolesRankAndNoOneGrantsOwnershipOrMoreThanTheirOwn) {
  EXPECT_GT(domain::role_rank(OrgRole::kOwner), domain::role_rank(OrgRole::kAdmin));
  EXPECT_GT(domain::role_rank(OrgRole::kAdmin), domain::role_rank(OrgRole::kMember));
  EXPECT_GT(domain::role_rank(OrgRole::kMember), domain::role_rank(OrgRole::kGuest));
  EXPECT_FALSE(domain::may_grant(OrgRole::kOwner, OrgRole::kOwner));
  EXPECT_TRUE(domain::may_grant(OrgRole::kOwner, OrgRole::kAdmin));
  EXPECT_TRUE(domain::may_grant(OrgRole::kAdmin, OrgRole::kAdmin));
  EXPECT_FALSE(domain::may_grant(OrgRole::kMember, OrgRole::kAdmin));
  EXPECT_TRUE(domain::may_grant(OrgRole::kGuest, OrgRole::kGuest));
}

class MembersTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    for (const auto& [component, files] : {std::pair{"events", events::migrations()},
                                           std::pair{"identity", atelier_identity_migrations()}}) {
      auto selected = db::select_migrations(files, kind());
      ASSERT_TRUE(selected) << selected.error().message;
      auto applied = db::migrate(*db_, component, *selected);
      ASSERT_TRUE(applied) << applied.error().message;
    }
    const auto list = dir_.empty()
                          ? std::filesystem::temp_directory_path() / "atelier_members_pw.lst"
                          : dir_ / "pw.lst";
    std::ofstream(list) << "motdepasse123456\n";
    auth::PasswordPolicyOptions policy_options;
    policy_options.common_passwords_path = list;
    policy_ = std::make_unique<auth::PasswordPolicy>(policy_options);
    auto keys = load_key_ring(*db_, store_, clock_);
    ASSERT_TRUE(keys) << keys.error().message;
    keys_ = std::move(keys).value();
    accounts_ = std::make_unique<Accounts>(
        *db_, store_, *keys_, TokenSettings{.issuer = "http://atelier.test"}, *policy_, clock_,
        ThrottleSettings{}, auth::PasswordHashParams::minimum());
    members_ = std::make_unique<Members>(*db_, store_, clock_);
    api_keys_ = std::make_unique<ApiKeys>(*db_, store_, clock_);

    // Marie owns Durand Bâtiment; Paul and Lucie each own an organisation of their own.
    marie_ = sign_up("marie@durand-batiment.fr", "Durand Bâtiment");
    paul_ = sign_up("paul@plomberie-martin.fr", "Plomberie Martin");
    lucie_ = sign_up("lucie@electricite-roux.fr", "Électricité Roux");
  }

  Registered sign_up(const std::string& email, const std::string& org) {
    auto r = accounts_->register_account({email, kPassword, "Quelqu'un", org, "fr", kIp});
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : Registered{};
  }

  // As a user acting in `org_id` with the role its token would name.
  static Principal as(const Registered& who, const std::string& org_id,
                      const std::string& role = "owner") {
    return Principal{Principal::Kind::kUser, who.user_id, org_id, {role}, "jti"};
  }
  Principal marie() const { return as(marie_, marie_.org_id); }

  // Invites `email` into Marie's organisation and returns the token.
  std::string invite(const std::string& email, const std::string& role) {
    auto created = members_->invite(marie(), {email, role, kIp});
    EXPECT_TRUE(created) << created.error().message;
    return created ? created->token : std::string();
  }

  // Paul (or Lucie) joins Marie's organisation with `role`.
  void join(const Registered& who, const std::string& email, const std::string& role) {
    const std::string token = invite(email, role);
    auto accepted = members_->accept(as(who, who.org_id), token, kIp);
    ASSERT_TRUE(accepted) << accepted.error().message;
  }

  std::optional<OrgRole> role_of(const Registered& who) {
    auto m = db_->transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = marie_.org_id},
        [&](db::Transaction& tx) { return store_.find_member(tx, marie_.org_id, who.user_id); });
    EXPECT_TRUE(m);
    return m && m->has_value() ? std::optional<OrgRole>((*m)->role) : std::nullopt;
  }

  int64_t audit_count(const std::string& action) {
    return scalar("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'795'000'000)}};
  adapters::SqlIdentityStore store_{identity::testing::test_secrets()};
  std::unique_ptr<auth::PasswordPolicy> policy_;
  std::unique_ptr<auth::KeyRing> keys_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<Members> members_;
  std::unique_ptr<ApiKeys> api_keys_;
  Registered marie_, paul_, lucie_;
};

TEST_P(MembersTest, AnInvitedPersonAcceptsAndAppearsInTheList) {
  auto created = members_->invite(marie(), {"  Paul@Plomberie-Martin.FR ", "member", kIp});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->invitation.email, "paul@plomberie-martin.fr");
  EXPECT_EQ(created->invitation.expires_at, clock_.now() + std::chrono::hours(24 * 7));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM invitations WHERE token_hash = '" +
                   auth::token_hash(created->token) + "'"),
            1);
  // The event announces the invitation without its token.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.InvitationCreated.v1'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE envelope LIKE '%" + created->token + "%'"),
            0);

  auto pending = members_->pending_invitations(marie(), "", 50);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);

  // Paul, signed in to his own organisation, accepts.
  auto accepted = members_->accept(as(paul_, paul_.org_id), created->token, kIp);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->org_id, marie_.org_id);
  EXPECT_EQ(accepted->role, OrgRole::kMember);

  auto listed = members_->list(marie(), "", 50);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  std::set<std::string> emails;
  for (const auto& m : *listed) {
    emails.insert(m.email);
  }
  EXPECT_EQ(emails,
            (std::set<std::string>{"marie@durand-batiment.fr", "paul@plomberie-martin.fr"}));
  EXPECT_TRUE(members_->pending_invitations(marie(), "", 50)->empty());
  // Three sign-ups and one acceptance.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.MemberAdded.v1'"), 4);
  EXPECT_EQ(audit_count("invitation.created"), 1);
  EXPECT_EQ(audit_count("member.added"), 1);

  // He can now log in to Marie's organisation, as a member.
  auto tokens = accounts_->login({"paul@plomberie-martin.fr", kPassword, marie_.org_id, kIp});
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_EQ(tokens->roles, std::vector<std::string>{"member"});
}

TEST_P(MembersTest, TheInviteeIsEmailedALinkToTheAcceptPageWithTheToken) {
  adapters::OutboxNotifier notifier{clock_};
  Members emailing(*db_, store_, clock_, Members::kInvitationTtl, nullptr, &notifier,
                   "https://atelier.example");
  auto english =
      accounts_->register_account({"tom@roofs.example", kPassword, "Tom", "Roofs Ltd", "en", kIp});
  ASSERT_TRUE(english) << english.error().message;
  auto created = emailing.invite(marie(), {" Tom@Roofs.Example", "guest", kIp});
  ASSERT_TRUE(created) << created.error().message;

  auto sent = db_->transact([&](db::Transaction& tx) -> Result<std::vector<events::CloudEvent>> {
    auto rows = tx.query(
        "SELECT envelope FROM outbox WHERE type = 'notifications.EmailRequested.v1' "
        "AND envelope LIKE '%invitation%' ORDER BY seq");
    if (!rows) {
      return std::move(rows).error();
    }
    std::vector<events::CloudEvent> out;
    for (const auto& row : *rows) {
      auto e = events::CloudEvent::from_json(row.get_text(0));
      if (!e) {
        return std::move(e).error();
      }
      out.push_back(std::move(e).value());
    }
    return out;
  });
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_EQ(sent->size(), 1u);
  const auto data = boost::json::parse((*sent)[0].data).as_object();
  EXPECT_EQ(data.at("to").as_string(), "tom@roofs.example");
  EXPECT_EQ(data.at("template").as_string(), "invitation");
  EXPECT_EQ(data.at("locale").as_string(), "en") << "the invitee's own language";
  const auto& params = data.at("params").as_object();
  EXPECT_EQ(params.at("link").as_string(),
            "https://atelier.example/accept-invitation?token=" + created->token);
  EXPECT_EQ(params.at("org_name").as_string(), "Durand Bâtiment");
  EXPECT_EQ(params.at("role").as_string(), "guest");
  EXPECT_EQ((*sent)[0].org_id, marie_.org_id);
  // The token travels in the email request only, never in the invitation's own event.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.InvitationCreated.v1' "
                   "AND envelope LIKE '%" +
                   created->token + "%'"),
            0);
  // The link in the email is the one that works.
  const std::string link(params.at("link").as_string());
  auto accepted =
      emailing.accept(as(*english, english->org_id), link.substr(link.find("token=") + 6), kIp);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->org_id, marie_.org_id);
}

TEST_P(MembersTest, TheMemberListPagesByCursor) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  join(lucie_, "lucie@electricite-roux.fr", "guest");
  auto first = members_->list(marie(), "", 2);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  auto second = members_->list(marie(), first->back().user_id, 2);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_GT(second->front().user_id, first->back().user_id);
}

TEST_P(MembersTest, AcceptingWithAnotherEmailIsForbidden) {
  const std::string token = invite("paul@plomberie-martin.fr", "member");
  auto r = members_->accept(as(lucie_, lucie_.org_id), token, kIp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_FALSE(role_of(lucie_));
}

TEST_P(MembersTest, AnExpiredInvitationIsGone) {
  const std::string token = invite("paul@plomberie-martin.fr", "member");
  clock_.advance(std::chrono::hours(24 * 7 + 1));
  auto r = members_->accept(as(paul_, paul_.org_id), token, kIp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kGone);
  EXPECT_TRUE(members_->pending_invitations(marie(), "", 50)->empty());
}

TEST_P(MembersTest, AnInvitationWorksOnce) {
  const std::string token = invite("paul@plomberie-martin.fr", "member");
  ASSERT_TRUE(members_->accept(as(paul_, paul_.org_id), token, kIp));
  auto again = members_->accept(as(paul_, paul_.org_id), token, kIp);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto unknown = members_->accept(as(paul_, paul_.org_id), "not-a-token", kIp);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(MembersTest, InvitingAMemberIsAConflictAndInvitingAgainReplacesTheLink) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  auto member = members_->invite(marie(), {"paul@plomberie-martin.fr", "admin", kIp});
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, ErrorCode::kConflict);

  const std::string first = invite("lucie@electricite-roux.fr", "member");
  const std::string second = invite("lucie@electricite-roux.fr", "guest");
  EXPECT_EQ(members_->pending_invitations(marie(), "", 50)->size(), 1u);
  auto old = members_->accept(as(lucie_, lucie_.org_id), first, kIp);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, ErrorCode::kGone);
  auto current = members_->accept(as(lucie_, lucie_.org_id), second, kIp);
  ASSERT_TRUE(current) << current.error().message;
  EXPECT_EQ(current->role, OrgRole::kGuest);
}

TEST_P(MembersTest, OnlyOwnersAndAdminsInviteAndNobodyInvitesAnOwner) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  auto by_member =
      members_->invite(as(paul_, marie_.org_id, "member"), {"someone@example.fr", "guest", kIp});
  ASSERT_FALSE(by_member);
  EXPECT_EQ(by_member.error().code, ErrorCode::kForbidden);

  auto owner = members_->invite(marie(), {"someone@example.fr", "owner", kIp});
  ASSERT_FALSE(owner);
  EXPECT_EQ(owner.error().code, ErrorCode::kInvalid);
  auto bad = members_->invite(marie(), {"not an email", "chief", kIp});
  ASSERT_FALSE(bad);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "email");
  EXPECT_EQ(bad.error().fields[1].field, "role");

  join(lucie_, "lucie@electricite-roux.fr", "admin");
  auto by_admin =
      members_->invite(as(lucie_, marie_.org_id, "admin"), {"someone@example.fr", "admin", kIp});
  EXPECT_TRUE(by_admin) << by_admin.error().message;
}

TEST_P(MembersTest, CancelledInvitationsStopWorking) {
  auto created = members_->invite(marie(), {"paul@plomberie-martin.fr", "member", kIp});
  ASSERT_TRUE(created);
  ASSERT_TRUE(members_->cancel_invitation(marie(), created->invitation.id, kIp));
  EXPECT_TRUE(members_->cancel_invitation(marie(), created->invitation.id, kIp)) << "idempotent";
  auto r = members_->accept(as(paul_, paul_.org_id), created->token, kIp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kGone);
  // Another organisation's owner cannot see or cancel it.
  auto foreign = members_->cancel_invitation(as(paul_, paul_.org_id), created->invitation.id, kIp);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

TEST_P(MembersTest, RoleChangesFollowTheRules) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  join(lucie_, "lucie@electricite-roux.fr", "guest");

  auto promoted = members_->change_role(marie(), paul_.user_id, "admin", kIp);
  ASSERT_TRUE(promoted) << promoted.error().message;
  EXPECT_EQ(promoted->role, OrgRole::kAdmin);
  EXPECT_EQ(role_of(paul_), OrgRole::kAdmin);
  EXPECT_EQ(audit_count("member.role_changed"), 1);

  const Principal paul_admin = as(paul_, marie_.org_id, "admin");
  auto own = members_->change_role(paul_admin, paul_.user_id, "member", kIp);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kForbidden);
  auto owner = members_->change_role(paul_admin, marie_.user_id, "admin", kIp);
  ASSERT_FALSE(owner);
  EXPECT_EQ(owner.error().code, ErrorCode::kForbidden);
  auto to_owner = members_->change_role(marie(), lucie_.user_id, "owner", kIp);
  ASSERT_FALSE(to_owner);
  EXPECT_EQ(to_owner.error().code, ErrorCode::kInvalid);
  auto nobody =
      members_->change_role(marie(), "01900000-0000-7000-8000-000000000000", "guest", kIp);
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);

  // Lucie, a guest, cannot change anyone's role, whatever her token claims.
  auto by_guest =
      members_->change_role(as(lucie_, marie_.org_id, "owner"), paul_.user_id, "guest", kIp);
  ASSERT_FALSE(by_guest);
  EXPECT_EQ(by_guest.error().code, ErrorCode::kForbidden);

  // A demotion takes effect at once, before the access token naming the old role expires.
  ASSERT_TRUE(members_->change_role(marie(), paul_.user_id, "member", kIp));
  auto stale = members_->change_role(paul_admin, lucie_.user_id, "member", kIp);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kForbidden);
}

TEST_P(MembersTest, TheOwnerCanNeitherBeRemovedNorLeave) {
  join(paul_, "paul@plomberie-martin.fr", "admin");
  auto removed = members_->remove(as(paul_, marie_.org_id, "admin"), marie_.user_id, kIp);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, ErrorCode::kForbidden);
  auto left = members_->remove(marie(), marie_.user_id, kIp);
  ASSERT_FALSE(left);
  EXPECT_EQ(left.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(role_of(marie_), OrgRole::kOwner);
}

TEST_P(MembersTest, AMemberLeavesAndTheirSessionsThereEnd) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  auto there = accounts_->login({"paul@plomberie-martin.fr", kPassword, marie_.org_id, kIp});
  auto home = accounts_->login({"paul@plomberie-martin.fr", kPassword, paul_.org_id, kIp});
  ASSERT_TRUE(there && home);

  // A member cannot remove someone else...
  join(lucie_, "lucie@electricite-roux.fr", "guest");
  auto other = members_->remove(as(paul_, marie_.org_id, "member"), lucie_.user_id, kIp);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kForbidden);
  // ...but may leave.
  ASSERT_TRUE(members_->remove(as(paul_, marie_.org_id, "member"), paul_.user_id, kIp));
  EXPECT_FALSE(role_of(paul_));
  EXPECT_FALSE(accounts_->refresh(there->refresh_token, kIp));
  EXPECT_TRUE(accounts_->refresh(home->refresh_token, kIp)) << "his own organisation is unaffected";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.MemberRemoved.v1'"), 1);
  EXPECT_EQ(audit_count("member.removed"), 1);

  auto again = members_->list(as(paul_, marie_.org_id, "member"), "", 50);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kForbidden);
}

TEST_P(MembersTest, OwnershipMovesToAMemberAndTheOldOwnerBecomesAdmin) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  auto by_admin =
      members_->transfer_ownership(as(paul_, marie_.org_id, "admin"), paul_.user_id, kIp);
  ASSERT_FALSE(by_admin);
  EXPECT_EQ(by_admin.error().code, ErrorCode::kForbidden);
  auto stranger = members_->transfer_ownership(marie(), lucie_.user_id, kIp);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(members_->transfer_ownership(marie(), paul_.user_id, kIp));
  EXPECT_EQ(role_of(paul_), OrgRole::kOwner);
  EXPECT_EQ(role_of(marie_), OrgRole::kAdmin);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE org_id = '" + marie_.org_id +
                   "' AND role = 'owner'"),
            1);
  EXPECT_EQ(audit_count("ownership.transferred"), 1);
  // Marie's token still says owner; her current role decides.
  auto back = members_->transfer_ownership(marie(), marie_.user_id, kIp);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kForbidden);
  // The new owner can now remove the previous one.
  EXPECT_TRUE(members_->remove(as(paul_, marie_.org_id, "owner"), marie_.user_id, kIp));
}

TEST_P(MembersTest, AnApiKeyIsShownOnceStoredHashedAndWorksUntilRevoked) {
  auto created = api_keys_->create(marie(), {"Comptabilité ERP", "member", kIp});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(auth::looks_like_api_key(created->secret));
  EXPECT_EQ(created->key.prefix, created->secret.substr(0, 12));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_keys WHERE key_hash = '" +
                   auth::token_hash(created->secret) + "'"),
            1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_keys WHERE key_hash = '" + created->secret + "'"), 0);
  EXPECT_EQ(audit_count("api_key.created"), 1);

  auto principal = api_keys_->verify(created->secret);
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->kind, Principal::Kind::kApiKey);
  EXPECT_EQ(principal->subject, created->key.id);
  EXPECT_EQ(principal->org_id, marie_.org_id);
  EXPECT_EQ(principal->roles, std::vector<std::string>{"member"});
  // The key acts in its organisation with its role.
  EXPECT_TRUE(members_->list(*principal, "", 50));
  auto invite = members_->invite(*principal, {"x@example.fr", "guest", kIp});
  ASSERT_FALSE(invite);
  EXPECT_EQ(invite.error().code, ErrorCode::kForbidden);

  auto listed = api_keys_->list(marie(), "", 50);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "Comptabilité ERP");

  auto foreign = api_keys_->revoke(as(paul_, paul_.org_id), created->key.id, kIp);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(api_keys_->revoke(marie(), created->key.id, kIp));
  auto refused = api_keys_->verify(created->secret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().message, "This API key was revoked.");
  // A principal verified just before the revocation cannot act after it either.
  EXPECT_FALSE(members_->list(*principal, "", 50));
  EXPECT_TRUE(api_keys_->list(marie(), "", 50)->empty());
  EXPECT_EQ(audit_count("api_key.revoked"), 1);

  auto unknown = api_keys_->verify(auth::generate_api_key());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(api_keys_->verify("atk_short"));
}

TEST_P(MembersTest, ApiKeyRolesStayBelowTheirCreatorAndKeysDoNotMakeKeys) {
  auto owner_key = api_keys_->create(marie(), {"Tout", "owner", kIp});
  ASSERT_FALSE(owner_key);
  EXPECT_EQ(owner_key.error().code, ErrorCode::kInvalid);
  auto nameless = api_keys_->create(marie(), {"", "guest", kIp});
  ASSERT_FALSE(nameless);
  EXPECT_EQ(nameless.error().fields.at(0).field, "name");

  join(paul_, "paul@plomberie-martin.fr", "member");
  auto by_member = api_keys_->create(as(paul_, marie_.org_id, "member"), {"Moi", "guest", kIp});
  ASSERT_FALSE(by_member);
  EXPECT_EQ(by_member.error().code, ErrorCode::kForbidden);

  auto admin_key = api_keys_->create(marie(), {"Intégration", "admin", kIp});
  ASSERT_TRUE(admin_key);
  auto key_principal = api_keys_->verify(admin_key->secret);
  ASSERT_TRUE(key_principal);
  auto by_key = api_keys_->create(*key_principal, {"Encore", "guest", kIp});
  ASSERT_FALSE(by_key);
  EXPECT_EQ(by_key.error().code, ErrorCode::kForbidden);
}

TEST_P(MembersTest, AMembersKeysEndWithTheirMembershipOrAboveTheirNewRole) {
  join(paul_, "paul@plomberie-martin.fr", "admin");
  join(lucie_, "lucie@electricite-roux.fr", "admin");
  const Principal paul_admin = as(paul_, marie_.org_id, "admin");
  const Principal lucie_admin = as(lucie_, marie_.org_id, "admin");
  auto paul_admin_key = api_keys_->create(paul_admin, {"Admin", "admin", kIp});
  auto paul_guest_key = api_keys_->create(paul_admin, {"Guest", "guest", kIp});
  auto lucie_key = api_keys_->create(lucie_admin, {"Lucie", "member", kIp});
  ASSERT_TRUE(paul_admin_key && paul_guest_key && lucie_key);

  ASSERT_TRUE(members_->change_role(marie(), paul_.user_id, "member", kIp));
  EXPECT_FALSE(api_keys_->verify(paul_admin_key->secret)) << "above his new role";
  EXPECT_TRUE(api_keys_->verify(paul_guest_key->secret));

  ASSERT_TRUE(members_->remove(marie(), lucie_.user_id, kIp));
  EXPECT_FALSE(api_keys_->verify(lucie_key->secret));
}

TEST_P(MembersTest, LastUseIsRecordedAtMostOnceAMinute) {
  auto created = api_keys_->create(marie(), {"ERP", "guest", kIp});
  ASSERT_TRUE(created);
  const std::string when =
      "SELECT COUNT(*) FROM api_keys WHERE last_used_at = '" + format_rfc3339(clock_.now()) + "'";
  ASSERT_TRUE(api_keys_->verify(created->secret));
  EXPECT_EQ(scalar(when), 1);
  clock_.advance(std::chrono::seconds(30));
  ASSERT_TRUE(api_keys_->verify(created->secret));
  EXPECT_EQ(scalar(when), 1) << "not rewritten within the minute";
  clock_.advance(std::chrono::seconds(31));
  ASSERT_TRUE(api_keys_->verify(created->secret));
  EXPECT_EQ(scalar(when), 0);
}

TEST_P(MembersTest, AnotherOrganisationsMembersAreOutOfReach) {
  join(paul_, "paul@plomberie-martin.fr", "member");
  // Lucie owns her own organisation; nothing she does reaches Marie's.
  const Principal lucie = as(lucie_, lucie_.org_id);
  EXPECT_EQ(members_->remove(lucie, paul_.user_id, kIp).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(members_->change_role(lucie, paul_.user_id, "guest", kIp).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(members_->transfer_ownership(lucie, paul_.user_id, kIp).error().code,
            ErrorCode::kNotFound);
  auto listed = members_->list(lucie, "", 50);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().user_id, lucie_.user_id);
  // A token claiming Marie's organisation without a membership there gets nothing either.
  auto claimed = members_->list(as(lucie_, marie_.org_id, "owner"), "", 50);
  ASSERT_FALSE(claimed);
  EXPECT_EQ(claimed.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(role_of(paul_), OrgRole::kMember);
}

INSTANTIATE_TEST_SUITE_P(Backends, MembersTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity::app
