// Participants, lots and milestones through their use cases, on SQLite and PostgreSQL: the project
// roles the policy reads, the last-manager rule, the events other services consume (their exact
// data, read back from the outbox), and the checks on lots and milestones.
#include "projects/app/participants.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "projects/adapters/sql_store.hpp"
#include "projects/app/lots.hpp"
#include "projects/app/milestones.hpp"

std::vector<atelier::db::MigrationFile> atelier_projects_migrations();

namespace atelier::projects::app {
namespace {

namespace json = boost::json;
using auth::ProjectRole;

class ProjectsParticipantsTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    for (const auto& [component, files] : {std::pair{"events", events::migrations()},
                                           std::pair{"projects", atelier_projects_migrations()}}) {
      auto selected = db::select_migrations(files, kind());
      ASSERT_TRUE(selected) << selected.error().message;
      auto applied = db::migrate(*db_, component, *selected);
      ASSERT_TRUE(applied) << applied.error().message;
    }
    projects_ = std::make_unique<Projects>(*db_, store_, participant_store_, clock_);
    participants_ = std::make_unique<Participants>(*db_, store_, participant_store_, clock_);
    lots_ = std::make_unique<Lots>(*db_, store_, participant_store_, lot_store_, milestone_store_,
                                   clock_);
    milestones_ = std::make_unique<Milestones>(*db_, store_, participant_store_, lot_store_,
                                               milestone_store_, clock_);
    NewProject cmd;
    cmd.code = "RES-TILLEULS";
    cmd.name = "Résidence Les Tilleuls";
    cmd.start_date = "2026-03-02";
    cmd.end_date = "2027-06-30";
    cmd.budget_minor = 2'450'000'00;
    auto created = projects_->create(jeanne_, cmd);
    ASSERT_TRUE(created) << created.error().message;
    project_ = created->project;
  }

  static Principal user(const std::string& id, const std::string& role,
                        const std::string& org = "org-a") {
    return Principal{Principal::Kind::kUser, id, org, {role}, "jti"};
  }

  domain::Participant add_user(const std::string& user_id, const std::string& role) {
    NewParticipant cmd;
    cmd.user_id = user_id;
    cmd.role = role;
    auto added = participants_->add(jeanne_, project_.id, cmd);
    EXPECT_TRUE(added) << added.error().message;
    return added ? *added : domain::Participant{};
  }

  // The data of every event of `type` in the outbox, oldest first, with its envelope's subject
  // and organisation.
  struct Written {
    json::object data;
    std::string subject;
    std::string org_id;
  };
  std::vector<Written> events_of(const std::string& type) {
    auto rows = db_->transact(
        db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
        [&](db::Transaction& tx) {
          return tx.query("SELECT envelope FROM outbox WHERE type = $1 ORDER BY seq", type);
        });
    EXPECT_TRUE(rows) << rows.error().message;
    std::vector<Written> out;
    for (const auto& row : *rows) {
      auto envelope = json::parse(row.get_text(0)).as_object();
      out.push_back({envelope.at("data").as_object(),
                     std::string(envelope.at("subject").as_string()),
                     std::string(envelope.at("orgid").as_string())});
    }
    return out;
  }

  static ErrorCode code_of(const Result<void>& r) {
    return r ? ErrorCode::kInternal : r.error().code;
  }
  template <class T>
  static ErrorCode code_of(const Result<T>& r) {
    return r ? ErrorCode::kInternal : r.error().code;
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'795'000'000)}};
  adapters::SqlProjectStore store_;
  adapters::SqlParticipantStore participant_store_;
  adapters::SqlLotStore lot_store_;
  adapters::SqlMilestoneStore milestone_store_;
  std::unique_ptr<Projects> projects_;
  std::unique_ptr<Participants> participants_;
  std::unique_ptr<Lots> lots_;
  std::unique_ptr<Milestones> milestones_;
  Principal jeanne_ = user("user-jeanne", "member");
  domain::Project project_;
};

TEST_P(ProjectsParticipantsTest, TheCreatorBecomesTheFirstManagerAndTheEventsSayWho) {
  auto all = participants_->list(jeanne_, project_.id, PageQuery{});
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().user_id, "user-jeanne");
  EXPECT_EQ(all->front().role, ProjectRole::kManager);

  const auto created = events_of("projects.ProjectCreated.v1");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].data.at("created_by"), json::value("user-jeanne"));
  EXPECT_EQ(created[0].data.at("code"), json::value("RES-TILLEULS"));
  EXPECT_EQ(created[0].data.at("budget_minor").as_int64(), 2'450'000'00);
  const auto added = events_of("projects.ParticipantAdded.v1");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].data, (json::object{{"project_id", project_.id},
                                         {"participant_id", all->front().id},
                                         {"kind", "user"},
                                         {"user_id", "user-jeanne"},
                                         {"company", nullptr},
                                         {"role", "manager"},
                                         {"trade", nullptr}}));
  EXPECT_EQ(added[0].subject, project_.id);
  EXPECT_EQ(added[0].org_id, "org-a");

  // An API key creates a project with no manager to name.
  const Principal key{Principal::Kind::kApiKey, "key-1", "org-a", {"member"}, "key-1"};
  NewProject cmd;
  cmd.code = "BY-KEY";
  cmd.name = "Importé";
  cmd.start_date = "2026-01-05";
  ASSERT_TRUE(projects_->create(key, cmd));
  EXPECT_TRUE(events_of("projects.ProjectCreated.v1")[1].data.at("created_by").is_null());
  EXPECT_EQ(events_of("projects.ParticipantAdded.v1").size(), 1u);
}

TEST_P(ProjectsParticipantsTest, ParticipantEventsCarryTheContractedData) {
  NewParticipant company;
  company.company = domain::Company{"Plomberie Martin", "contact@plomberie-martin.fr",
                                    "+33 4 78 00 00 00", "73282932000074"};
  company.role = "contributor";
  company.trade = "plomberie";
  auto added = participants_->add(jeanne_, project_.id, company);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->kind, domain::Participant::Kind::kCompany);
  EXPECT_EQ(events_of("projects.ParticipantAdded.v1").back().data,
            (json::object{{"project_id", project_.id},
                          {"participant_id", added->id},
                          {"kind", "company"},
                          {"user_id", nullptr},
                          {"company", "Plomberie Martin"},
                          {"role", "contributor"},
                          {"trade", "plomberie"}}));

  ParticipantPatch patch;
  patch.role = "viewer";
  patch.trade = std::optional<std::string>();
  auto updated = participants_->update(jeanne_, project_.id, added->id, patch, nullptr);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  const auto changed = events_of("projects.ParticipantUpdated.v1");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].data.at("role"), json::value("viewer"));
  EXPECT_TRUE(changed[0].data.at("trade").is_null());
  EXPECT_EQ(changed[0].data.size(), 7u);

  const auto paul = add_user("user-paul", "contributor");
  ASSERT_TRUE(participants_->remove(jeanne_, project_.id, paul.id, nullptr));
  const auto removed = events_of("projects.ParticipantRemoved.v1");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].data, (json::object{{"project_id", project_.id},
                                           {"participant_id", paul.id},
                                           {"user_id", "user-paul"}}));
  EXPECT_EQ(removed[0].subject, project_.id);
  EXPECT_EQ(code_of(participants_->get(jeanne_, project_.id, paul.id)), ErrorCode::kNotFound);
}

TEST_P(ProjectsParticipantsTest, AUserTakesPartOnce) {
  add_user("user-paul", "viewer");
  NewParticipant again;
  again.user_id = "user-paul";
  again.role = "manager";
  auto r = participants_->add(jeanne_, project_.id, again);
  EXPECT_EQ(code_of(r), ErrorCode::kConflict);
  EXPECT_EQ(events_of("projects.ParticipantAdded.v1").size(), 2u);  // jeanne's and paul's
}

TEST_P(ProjectsParticipantsTest, TheLastManagerCanBeNeitherRemovedNorDemoted) {
  const auto jeanne = participants_->list(jeanne_, project_.id, PageQuery{})->front();
  ParticipantPatch demote;
  demote.role = "contributor";
  auto demoted = participants_->update(jeanne_, project_.id, jeanne.id, demote, nullptr);
  ASSERT_FALSE(demoted);
  EXPECT_EQ(demoted.error().code, ErrorCode::kConflict);
  EXPECT_NE(demoted.error().message.find("last manager"), std::string::npos);
  EXPECT_EQ(code_of(participants_->remove(jeanne_, project_.id, jeanne.id, nullptr)),
            ErrorCode::kConflict);

  // With a second manager, the first may step down; then the second is the last one.
  const auto paul = add_user("user-paul", "manager");
  ASSERT_TRUE(participants_->update(jeanne_, project_.id, jeanne.id, demote, nullptr));
  const Principal paul_caller = user("user-paul", "member");
  EXPECT_EQ(code_of(participants_->remove(paul_caller, project_.id, paul.id, nullptr)),
            ErrorCode::kConflict);
  // Jeanne is no longer a manager: managing participants is not hers any more.
  EXPECT_EQ(code_of(participants_->remove(jeanne_, project_.id, paul.id, nullptr)),
            ErrorCode::kForbidden);
}

TEST_P(ProjectsParticipantsTest, ProjectRolesDecideWhoDoesWhat) {
  add_user("user-viewer", "viewer");
  add_user("user-contrib", "contributor");
  const Principal viewer = user("user-viewer", "guest");
  const Principal contributor = user("user-contrib", "member");
  const Principal stranger = user("user-stranger", "guest");

  ProjectPatch rename;
  rename.name = "Autre nom";
  EXPECT_EQ(code_of(projects_->update(viewer, project_.id, rename, nullptr)),
            ErrorCode::kForbidden);
  EXPECT_EQ(code_of(projects_->update(stranger, project_.id, rename, nullptr)),
            ErrorCode::kNotFound);
  // A guest lists the projects they take part in, and those only.
  auto seen = projects_->list(viewer, ProjectFilter{});
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ(seen->front().project.id, project_.id);
  EXPECT_TRUE(projects_->list(stranger, ProjectFilter{})->empty());
  // The budget is the managers'.
  EXPECT_FALSE(projects_->get(contributor, project_.id)->budget_visible);
  EXPECT_FALSE(seen->front().budget_visible);
  EXPECT_TRUE(projects_->get(jeanne_, project_.id)->budget_visible);
  // Participants are read by whoever sees the project, managed by its managers.
  EXPECT_EQ(participants_->list(viewer, project_.id, PageQuery{})->size(), 3u);
  NewParticipant cmd;
  cmd.user_id = "user-other";
  cmd.role = "viewer";
  EXPECT_EQ(code_of(participants_->add(contributor, project_.id, cmd)), ErrorCode::kForbidden);
  EXPECT_EQ(code_of(participants_->list(stranger, project_.id, PageQuery{})), ErrorCode::kNotFound);
}

TEST_P(ProjectsParticipantsTest, ParticipantsAreValidated) {
  NewParticipant bad;
  bad.company = domain::Company{"", "pas-un-email", "abc", "73282932000075"};
  bad.role = "boss";
  bad.trade = std::string(101, 'x');
  auto r = participants_->add(jeanne_, project_.id, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) {
    fields.insert(f.field);
  }
  EXPECT_EQ(fields, (std::set<std::string>{"company.name", "company.email", "company.phone",
                                           "company.siret", "role", "trade"}));
}

TEST_P(ProjectsParticipantsTest, LotsHaveACodeUniqueInTheProjectAndKeepTheirOrder) {
  NewLot go;
  go.code = "GO";
  go.name = "Gros œuvre";
  go.trade = "maçonnerie";
  go.budget_minor = 850'000'00;
  auto first = lots_->create(jeanne_, project_.id, go);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->lot.position, 0);
  EXPECT_EQ(first->lot.currency, "EUR");  // the project's
  EXPECT_EQ(code_of(lots_->create(jeanne_, project_.id, go)), ErrorCode::kConflict);
  NewLot plb;
  plb.code = "PLB";
  plb.name = "Plomberie";
  auto second = lots_->create(jeanne_, project_.id, plb);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->lot.position, 1);

  // Moved first: the list follows the positions, page by page.
  LotPatch move;
  move.position = -1;
  EXPECT_EQ(code_of(lots_->update(jeanne_, project_.id, second->lot.id, move, nullptr)),
            ErrorCode::kInvalid);
  move.position = 0;
  ASSERT_TRUE(lots_->update(jeanne_, project_.id, second->lot.id, move, nullptr));
  PageQuery page;
  page.limit = 1;
  auto p1 = lots_->list(jeanne_, project_.id, page);
  ASSERT_TRUE(p1) << p1.error().message;
  ASSERT_EQ(p1->size(), 1u);
  EXPECT_EQ(p1->front().lot.code, "GO");  // position 0 too, and created first
  page.cursor = lot_store_.cursor_after(p1->front().lot);
  auto p2 = lots_->list(jeanne_, project_.id, page);
  ASSERT_TRUE(p2);
  ASSERT_EQ(p2->size(), 1u);
  EXPECT_EQ(p2->front().lot.code, "PLB");
  page.cursor = "nonsense";
  EXPECT_EQ(code_of(lots_->list(jeanne_, project_.id, page)), ErrorCode::kInvalid);

  // A contributor reads lots without their budgets and cannot change them.
  add_user("user-contrib", "contributor");
  const Principal contributor = user("user-contrib", "member");
  auto seen = lots_->get(contributor, project_.id, first->lot.id);
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->budget_visible);
  EXPECT_EQ(code_of(lots_->create(contributor, project_.id, plb)), ErrorCode::kForbidden);
}

TEST_P(ProjectsParticipantsTest, LotEventsCarryTheContractedDataWithoutTheBudget) {
  NewLot go;
  go.code = "GO";
  go.name = "Gros œuvre";
  go.trade = "maçonnerie";
  go.budget_minor = 850'000'00;
  auto created = lots_->create(jeanne_, project_.id, go);
  ASSERT_TRUE(created) << created.error().message;
  const std::string id = created->lot.id;
  auto written = events_of("projects.LotCreated.v1");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].data, (json::object{{"project_id", project_.id},
                                           {"lot_id", id},
                                           {"code", "GO"},
                                           {"name", "Gros œuvre"},
                                           {"trade", "maçonnerie"},
                                           {"position", 0}}));
  EXPECT_EQ(written[0].subject, project_.id);
  EXPECT_EQ(written[0].org_id, "org-a");

  LotPatch patch;
  patch.name = "Gros œuvre, maçonnerie";
  patch.trade = std::optional<std::string>();
  ASSERT_TRUE(lots_->update(jeanne_, project_.id, id, patch, nullptr));
  written = events_of("projects.LotUpdated.v1");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].data.at("name"), json::value("Gros œuvre, maçonnerie"));
  EXPECT_TRUE(written[0].data.at("trade").is_null());

  // A refused change writes nothing.
  patch.position = -1;
  EXPECT_EQ(code_of(lots_->update(jeanne_, project_.id, id, patch, nullptr)), ErrorCode::kInvalid);
  EXPECT_EQ(events_of("projects.LotUpdated.v1").size(), 1u);

  ASSERT_TRUE(lots_->remove(jeanne_, project_.id, id, nullptr));
  written = events_of("projects.LotDeleted.v1");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].data,
            (json::object{{"project_id", project_.id}, {"lot_id", id}, {"code", "GO"}}));
  EXPECT_EQ(code_of(lots_->remove(jeanne_, project_.id, id, nullptr)), ErrorCode::kNotFound);
  EXPECT_EQ(events_of("projects.LotDeleted.v1").size(), 1u);
}

TEST_P(ProjectsParticipantsTest, MilestonesFallWithinTheProjectAndBelongToItsLots) {
  NewLot go;
  go.code = "GO";
  go.name = "Gros œuvre";
  const auto lot = lots_->create(jeanne_, project_.id, go)->lot;

  NewMilestone hors_d_eau;
  hors_d_eau.name = "Hors d'eau";
  hors_d_eau.due_date = "2026-11-30";
  hors_d_eau.lot_id = lot.id;
  auto m = milestones_->create(jeanne_, project_.id, hors_d_eau);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->lot_id, lot.id);

  NewMilestone late = hors_d_eau;
  late.due_date = "2027-07-01";  // after the project's end
  late.lot_id = "no-such-lot";
  auto r = milestones_->create(jeanne_, project_.id, late);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) {
    fields.insert(f.field);
  }
  EXPECT_EQ(fields, (std::set<std::string>{"due_date", "lot_id"}));

  MilestonePatch reached;
  reached.reached_on = std::optional<std::string>("2026-11-27");
  auto updated = milestones_->update(jeanne_, project_.id, m->id, reached, nullptr);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->reached_on, "2026-11-27");
  EXPECT_EQ(updated->version, 2);

  // Removing the lot unties its milestone.
  ASSERT_TRUE(lots_->remove(jeanne_, project_.id, lot.id, nullptr));
  auto after = milestones_->get(jeanne_, project_.id, m->id);
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->lot_id);
  EXPECT_EQ(after->version, 3);
  ASSERT_TRUE(milestones_->remove(jeanne_, project_.id, m->id, nullptr));
  EXPECT_TRUE(milestones_->list(jeanne_, project_.id, PageQuery{})->empty());
}

TEST_P(ProjectsParticipantsTest, AnotherOrganisationReachesNothingOfTheProject) {
  const Principal intruder = user("user-jeanne", "owner", "org-b");  // same id, other org
  const auto jeanne = participants_->list(jeanne_, project_.id, PageQuery{})->front();
  NewParticipant cmd;
  cmd.user_id = "user-x";
  cmd.role = "manager";
  EXPECT_EQ(code_of(participants_->add(intruder, project_.id, cmd)), ErrorCode::kNotFound);
  EXPECT_EQ(code_of(participants_->list(intruder, project_.id, PageQuery{})), ErrorCode::kNotFound);
  EXPECT_EQ(code_of(participants_->remove(intruder, project_.id, jeanne.id, nullptr)),
            ErrorCode::kNotFound);
  NewLot lot;
  lot.code = "GO";
  lot.name = "Gros œuvre";
  EXPECT_EQ(code_of(lots_->create(intruder, project_.id, lot)), ErrorCode::kNotFound);
  EXPECT_EQ(code_of(milestones_->list(intruder, project_.id, PageQuery{})), ErrorCode::kNotFound);
  EXPECT_EQ(participants_->list(jeanne_, project_.id, PageQuery{})->size(), 1u);
}

TEST_P(ProjectsParticipantsTest, OnPostgresTheNewTablesAreBehindRowLevelSecurity) {
  if (!is_postgres()) {
    GTEST_SKIP() << "row-level security is PostgreSQL's";
  }
  NewLot lot;
  lot.code = "GO";
  lot.name = "Gros œuvre";
  ASSERT_TRUE(lots_->create(jeanne_, project_.id, lot));
  for (const char* table : {"project_participants", "project_lots"}) {
    auto seen = db_->transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = "org-b"},
                              [&](db::Transaction& tx) -> Result<int64_t> {
                                auto rows = tx.query("SELECT COUNT(*) FROM " + std::string(table));
                                if (!rows) {
                                  return std::move(rows).error();
                                }
                                return (*rows)[0].get_int(0);
                              });
    ASSERT_TRUE(seen) << seen.error().message;
    EXPECT_EQ(*seen, 0) << table;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ProjectsParticipantsTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::projects::app
