// The projects service's storage ports. Every method runs inside the caller's transaction and
// takes the organisation, so a row of another organisation is simply not found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/auth/policy.hpp"
#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"
#include "projects/domain/lot.hpp"
#include "projects/domain/milestone.hpp"
#include "projects/domain/participant.hpp"
#include "projects/domain/project.hpp"

namespace atelier::projects::app {

struct ProjectFilter {
  std::string after_id;  // the cursor: "" for the first page
  int limit = 50;
  std::optional<domain::Status> status;
  std::string q;          // case-insensitive substring of the name or the code; "" for any
  bool archived = false;  // include archived projects (left out by default)
  // The user whose project role comes along with each project ("" for none), and whether only
  // the projects that user takes part in are listed (for guests).
  std::string role_of;
  bool only_participating = false;
};

// A project with the project role of ProjectFilter::role_of on it (nullopt: no part in it).
struct ProjectWithRole {
  domain::Project project;
  std::optional<auth::ProjectRole> role;
};

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;
  using Tx = db::Transaction;

  // kConflict when the organisation has a project with this code already.
  virtual Result<void> insert(Tx& tx, const domain::Project& project) = 0;
  virtual Result<std::optional<domain::Project>> find(Tx& tx, const std::string& org_id,
                                                      const std::string& id) = 0;
  // Writes every field of `project` (its version already bumped) while the stored version is
  // still `expected_version` (a compare-and-set); false when someone else changed it first.
  virtual Result<bool> update(Tx& tx, const domain::Project& project, int64_t expected_version) = 0;
  // Ordered by id.
  virtual Result<std::vector<ProjectWithRole>> list(Tx& tx, const std::string& org_id,
                                                    const ProjectFilter& filter) = 0;
  // Holds the project's row until the transaction ends, so that rules spanning several rows of
  // the project ("it keeps a manager") are checked by one transaction at a time.
  virtual Result<void> lock(Tx& tx, const std::string& org_id, const std::string& id) = 0;
};

// A page of a project's children: `cursor` is "" or the next_cursor of the previous page.
struct PageQuery {
  std::string cursor;
  int limit = 50;
};

class ParticipantStore {
 public:
  virtual ~ParticipantStore() = default;
  using Tx = db::Transaction;

  // kConflict when the user takes part in the project already.
  virtual Result<void> insert(Tx& tx, const domain::Participant& participant) = 0;
  virtual Result<std::optional<domain::Participant>> find(Tx& tx, const std::string& org_id,
                                                          const std::string& project_id,
                                                          const std::string& id) = 0;
  // The role of `user_id` on the project; nullopt when they take no part in it.
  virtual Result<std::optional<auth::ProjectRole>> role_of(Tx& tx, const std::string& org_id,
                                                           const std::string& project_id,
                                                           const std::string& user_id) = 0;
  // A compare-and-set on the version, as ProjectStore::update.
  virtual Result<bool> update(Tx& tx, const domain::Participant& participant,
                              int64_t expected_version) = 0;
  virtual Result<bool> remove(Tx& tx, const domain::Participant& participant) = 0;
  virtual Result<int64_t> count_managers(Tx& tx, const std::string& org_id,
                                         const std::string& project_id) = 0;
  // Ordered by id (the order they joined); the cursor is the last id shown.
  virtual Result<std::vector<domain::Participant>> list(Tx& tx, const std::string& org_id,
                                                        const std::string& project_id,
                                                        const PageQuery& page) = 0;
};

class LotStore {
 public:
  virtual ~LotStore() = default;
  using Tx = db::Transaction;

  // kConflict when the project has a lot with this code already.
  virtual Result<void> insert(Tx& tx, const domain::Lot& lot) = 0;
  virtual Result<std::optional<domain::Lot>> find(Tx& tx, const std::string& org_id,
                                                  const std::string& project_id,
                                                  const std::string& id) = 0;
  virtual Result<bool> update(Tx& tx, const domain::Lot& lot, int64_t expected_version) = 0;
  virtual Result<bool> remove(Tx& tx, const domain::Lot& lot) = 0;
  // One more than the highest position in the project (0 for its first lot).
  virtual Result<int64_t> next_position(Tx& tx, const std::string& org_id,
                                        const std::string& project_id) = 0;
  // Ordered by position, then id. kInvalid (field "cursor") for a cursor it did not make.
  virtual Result<std::vector<domain::Lot>> list(Tx& tx, const std::string& org_id,
                                                const std::string& project_id,
                                                const PageQuery& page) = 0;
  // The cursor that continues a list after `lot`.
  virtual std::string cursor_after(const domain::Lot& lot) const = 0;
};

class MilestoneStore {
 public:
  virtual ~MilestoneStore() = default;
  using Tx = db::Transaction;

  virtual Result<void> insert(Tx& tx, const domain::Milestone& milestone) = 0;
  virtual Result<std::optional<domain::Milestone>> find(Tx& tx, const std::string& org_id,
                                                        const std::string& project_id,
                                                        const std::string& id) = 0;
  virtual Result<bool> update(Tx& tx, const domain::Milestone& milestone,
                              int64_t expected_version) = 0;
  virtual Result<bool> remove(Tx& tx, const domain::Milestone& milestone) = 0;
  // Unties the project's milestones from a lot that is going away (bumping their versions).
  virtual Result<void> clear_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                                 const std::string& lot_id, TimePoint now) = 0;
  // Ordered by due date, then id. kInvalid (field "cursor") for a cursor it did not make.
  virtual Result<std::vector<domain::Milestone>> list(Tx& tx, const std::string& org_id,
                                                      const std::string& project_id,
                                                      const PageQuery& page) = 0;
  virtual std::string cursor_after(const domain::Milestone& milestone) const = 0;
};

}  // namespace atelier::projects::app
