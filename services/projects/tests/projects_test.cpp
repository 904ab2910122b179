// The projects use cases on SQLite and PostgreSQL: creation with its event, merge patches with
// the version check, the state machine, paging and filters, archiving, and the tenant wall.
#include "projects/app/projects.hpp"

#include <gtest/gtest.h>

#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "projects/adapters/sql_store.hpp"

std::vector<atelier::db::MigrationFile> atelier_projects_migrations();

namespace atelier::projects::app {
namespace {

using domain::Status;

class ProjectsTest : public db::testing::BackendTest {
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
  }

  static Principal in_org(const std::string& org_id, const std::string& role = "member") {
    return Principal{Principal::Kind::kUser, "user-" + org_id, org_id, {role}, "jti"};
  }

  static NewProject tilleuls(const std::string& code = "RES-TILLEULS") {
    NewProject cmd;
    cmd.code = code;
    cmd.name = "Résidence Les Tilleuls";
    cmd.address = "12 rue des Tilleuls, 69003 Lyon";
    cmd.client = "SCI Tilleuls";
    cmd.start_date = "2026-03-02";
    cmd.end_date = "2027-06-30";
    cmd.budget_minor = 2'450'000'00;
    return cmd;
  }

  domain::Project create(const Principal& who, const NewProject& cmd) {
    auto p = projects_->create(who, cmd);
    EXPECT_TRUE(p) << p.error().message;
    return p ? p->project : domain::Project{};
  }

  int64_t events_of_type(const std::string& type) {
    return scalar("SELECT COUNT(*) FROM outbox WHERE type = '" + type + "'");
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'795'000'000)}};
  adapters::SqlProjectStore store_;
  adapters::SqlParticipantStore participant_store_;
  std::unique_ptr<Projects> projects_;
  Principal org_a_ = in_org("org-a");
  Principal org_b_ = in_org("org-b");
};

TEST_P(ProjectsTest, CreateStoresADraftAtVersionOneAndEmitsProjectCreated) {
  const auto p = create(org_a_, tilleuls());
  EXPECT_EQ(p.status, Status::kDraft);
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.org_id, "org-a");
  EXPECT_EQ(p.currency, "EUR");
  auto found = projects_->get(org_a_, p.id);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->project.code, "RES-TILLEULS");
  EXPECT_EQ(found->project.budget_minor, 2'450'000'00);
  EXPECT_EQ(found->project.end_date, "2027-06-30");
  EXPECT_EQ(events_of_type("projects.ProjectCreated.v1"), 1);
}

TEST_P(ProjectsTest, CodeIsUniqueWithinAnOrganisationOnly) {
  create(org_a_, tilleuls());
  auto again = projects_->create(org_a_, tilleuls());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(events_of_type("projects.ProjectCreated.v1"), 1);  // rolled back with the insert
  auto elsewhere = projects_->create(org_b_, tilleuls());
  EXPECT_TRUE(elsewhere) << elsewhere.error().message;
}

TEST_P(ProjectsTest, InvalidProjectIsRejectedWithFieldErrors) {
  NewProject cmd = tilleuls();
  cmd.end_date = "2025-01-01";
  cmd.currency = "euro";
  auto r = projects_->create(org_a_, cmd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().fields.size(), 2u);
}

TEST_P(ProjectsTest, GuestsCannotCreateAndSeeOnlyTheProjectsTheyTakePartIn) {
  const auto p = create(org_a_, tilleuls());
  const Principal guest{Principal::Kind::kUser, "user-guest", "org-a", {"guest"}, "jti"};
  auto created = projects_->create(guest, tilleuls("OTHER"));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kForbidden);
  // Not a participant: the project does not exist for them, and their list is empty.
  ProjectPatch patch;
  patch.name = "Nouveau nom";
  for (const auto& r : {projects_->get(guest, p.id), projects_->update(guest, p.id, patch, nullptr),
                        projects_->archive(guest, p.id)}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  }
  EXPECT_TRUE(projects_->list(guest, ProjectFilter{})->empty());
}

TEST_P(ProjectsTest, MembersReadEveryProjectButChangeOnlyThoseTheyManage) {
  const auto p = create(org_a_, tilleuls());
  const Principal colleague{Principal::Kind::kUser, "user-colleague", "org-a", {"member"}, "jti"};
  auto got = projects_->get(colleague, p.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_FALSE(got->budget_visible);  // the budget stays with the project's managers
  EXPECT_EQ(projects_->list(colleague, ProjectFilter{})->size(), 1u);
  ProjectPatch patch;
  patch.name = "Nouveau nom";
  auto changed = projects_->update(colleague, p.id, patch, nullptr);
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, ErrorCode::kForbidden);
  auto archived = projects_->archive(colleague, p.id);
  ASSERT_FALSE(archived);
  EXPECT_EQ(archived.error().code, ErrorCode::kForbidden);
  // The creator manages it and sees the budget; an admin does everything.
  EXPECT_TRUE(projects_->get(org_a_, p.id)->budget_visible);
  const Principal admin{Principal::Kind::kUser, "user-admin", "org-a", {"admin"}, "jti"};
  EXPECT_TRUE(projects_->update(admin, p.id, patch, nullptr));
}

TEST_P(ProjectsTest, MergePatchSetsAndClearsFieldsAndBumpsTheVersion) {
  const auto p = create(org_a_, tilleuls());
  ProjectPatch patch;
  patch.name = "Les Tilleuls, tranche 1";
  patch.end_date = std::optional<std::string>();  // cleared
  patch.budget_minor = std::optional<int64_t>();  // cleared
  patch.status = "planned";
  int64_t seen = 0;
  auto updated = projects_->update(org_a_, p.id, patch, [&](int64_t v) -> Result<void> {
    seen = v;
    return {};
  });
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(updated->project.version, 2);
  EXPECT_EQ(updated->project.name, "Les Tilleuls, tranche 1");
  EXPECT_EQ(updated->project.client, "SCI Tilleuls");  // absent: kept
  EXPECT_FALSE(updated->project.end_date);
  EXPECT_FALSE(updated->project.budget_minor);
  EXPECT_EQ(updated->project.status, Status::kPlanned);
  auto stored = projects_->get(org_a_, p.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->project.version, 2);
  EXPECT_FALSE(stored->project.end_date);
  EXPECT_EQ(events_of_type("projects.ProjectUpdated.v1"), 1);
}

TEST_P(ProjectsTest, VersionCheckFailureChangesNothing) {
  const auto p = create(org_a_, tilleuls());
  ProjectPatch patch;
  patch.name = "Autre";
  auto r = projects_->update(org_a_, p.id, patch, [](int64_t) -> Result<void> {
    return Error{ErrorCode::kPreconditionFailed, "stale", {}, {}};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(projects_->get(org_a_, p.id)->project.name, "Résidence Les Tilleuls");
  EXPECT_EQ(events_of_type("projects.ProjectUpdated.v1"), 0);
}

TEST_P(ProjectsTest, StatusFollowsTheStateMachine) {
  const auto p = create(org_a_, tilleuls());
  auto to = [&](const std::string& status) {
    ProjectPatch patch;
    patch.status = status;
    return projects_->update(org_a_, p.id, patch, nullptr);
  };
  auto skipped = to("completed");
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().code, ErrorCode::kConflict);
  EXPECT_NE(skipped.error().message.find("planned, cancelled"), std::string::npos);
  for (const char* s : {"planned", "in_progress", "on_hold", "in_progress", "completed"}) {
    auto r = to(s);
    ASSERT_TRUE(r) << s << ": " << r.error().message;
  }
  auto after_final = to("in_progress");
  ASSERT_FALSE(after_final);
  EXPECT_EQ(after_final.error().code, ErrorCode::kConflict);
  auto unknown = to("started");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalid);
}

TEST_P(ProjectsTest, ListPagesByIdAndFilters) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    clock_.advance(std::chrono::milliseconds(5));
    ids.push_back(create(org_a_, tilleuls("LOT-" + std::to_string(i))).id);
  }
  create(org_b_, tilleuls("LOT-9"));
  ProjectFilter f;
  f.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto rows = projects_->list(org_a_, f);
    ASSERT_TRUE(rows) << rows.error().message;
    if (rows->empty()) {
      break;
    }
    for (const auto& v : *rows) {
      seen.push_back(v.project.id);
    }
    f.after_id = rows->back().project.id;
  }
  EXPECT_EQ(seen, ids);

  ProjectPatch patch;
  patch.status = "planned";
  ASSERT_TRUE(projects_->update(org_a_, ids[1], patch, nullptr));
  ProjectFilter planned;
  planned.status = Status::kPlanned;
  auto only = projects_->list(org_a_, planned);
  ASSERT_TRUE(only);
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ(only->front().project.id, ids[1]);

  ProjectFilter search;
  search.q = "lot-3";
  auto found = projects_->list(org_a_, search);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().project.id, ids[3]);
  search.q = "TILLEULS";  // in every name, case-insensitively
  EXPECT_EQ(projects_->list(org_a_, search)->size(), 5u);
  search.q = "%";  // a wildcard in the user's text is a literal
  EXPECT_TRUE(projects_->list(org_a_, search)->empty());
}

TEST_P(ProjectsTest, ArchivedProjectsLeaveTheListAndBecomeReadOnly) {
  const auto p = create(org_a_, tilleuls());
  auto archived = projects_->archive(org_a_, p.id);
  ASSERT_TRUE(archived) << archived.error().message;
  EXPECT_TRUE(archived->project.archived_at);
  EXPECT_EQ(archived->project.version, 2);
  auto again = projects_->archive(org_a_, p.id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->project.version, 2);
  EXPECT_TRUE(projects_->list(org_a_, ProjectFilter{})->empty());
  ProjectFilter f;
  f.archived = true;
  create(org_a_, tilleuls("OTHER"));
  EXPECT_EQ(projects_->list(org_a_, f)->size(), 2u);  // archived ones too
  ProjectPatch patch;
  patch.name = "Trop tard";
  auto r = projects_->update(org_a_, p.id, patch, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_P(ProjectsTest, AnotherOrganisationsProjectIsNotFound) {
  const auto p = create(org_a_, tilleuls());
  auto got = projects_->get(org_b_, p.id);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  ProjectPatch patch;
  patch.name = "Piraté";
  auto changed = projects_->update(org_b_, p.id, patch, nullptr);
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code, ErrorCode::kNotFound);
  auto archived = projects_->archive(org_b_, p.id);
  ASSERT_FALSE(archived);
  EXPECT_EQ(archived.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(projects_->list(org_b_, ProjectFilter{})->empty());
  EXPECT_EQ(projects_->get(org_a_, p.id)->project.name, "Résidence Les Tilleuls");
}

TEST_P(ProjectsTest, OnPostgresAQueryThatForgetsTheOrgFilterStillSeesOnlyItsOrganisation) {
  if (!is_postgres()) {
    GTEST_SKIP() << "row-level security is PostgreSQL's; on SQLite the repository's filter is "
                    "the only wall";
  }
  create(org_a_, tilleuls());
  create(org_b_, tilleuls());
  // A careless query: no WHERE org_id at all, in a transaction for organisation A.
  auto seen = db_->transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = "org-a"},
                            [&](db::Transaction& tx) -> Result<std::vector<std::string>> {
                              auto rows = tx.query("SELECT DISTINCT org_id FROM projects");
                              if (!rows) {
                                return std::move(rows).error();
                              }
                              std::vector<std::string> orgs;
                              for (const auto& row : *rows) {
                                orgs.push_back(row.get_text(0));
                              }
                              return orgs;
                            });
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(*seen, std::vector<std::string>{"org-a"});
}

INSTANTIATE_TEST_SUITE_P(Backends, ProjectsTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::projects::app
