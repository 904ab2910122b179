#include "projects/app/milestones.hpp"

#include "atelier/core/uuid.hpp"
#include "projects/app/access.hpp"

namespace atelier::projects::app {

namespace {

using auth::ProjectAction;

Error no_such_milestone() {
  return Error::not_found("No milestone with this id in this project.");
}

}  // namespace

Milestones::Milestones(db::Database& db, ProjectStore& projects, ParticipantStore& participants,
                       LotStore& lots, MilestoneStore& store, const Clock& clock)
    : db_(db),
      projects_(projects),
      participants_(participants),
      lots_(lots),
      store_(store),
      clock_(clock) {}

Result<void> Milestones::check(db::Transaction& tx, const domain::Milestone& m,
                               const domain::Project& project) {
  auto valid = domain::validate(m, project);
  std::optional<FieldError> bad_lot;
  if (m.lot_id) {
    if (m.lot_id->empty() || m.lot_id->size() > 64) {
      bad_lot = FieldError{"lot_id", "Give the id of one of the project's lots, or null."};
    } else {
      auto lot = lots_.find(tx, m.org_id, m.project_id, *m.lot_id);
      if (!lot) {
        return std::move(lot).error();
      }
      if (!lot->has_value()) {
        bad_lot = FieldError{"lot_id", "This project has no lot with this id."};
      }
    }
  }
  if (valid && !bad_lot) {
    return {};
  }
  Error e = valid ? Error::invalid("The milestone is not valid: see the fields.")
                  : std::move(valid).error();
  if (bad_lot) {
    e.fields.push_back(std::move(*bad_lot));
  }
  return e;
}

Result<domain::Milestone> Milestones::create(const Principal& caller, const std::string& project_id,
                                             const NewMilestone& cmd) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<domain::Milestone> {
                        auto access = open_project(tx, projects_, participants_, caller, project_id,
                                                   ProjectAction::kUpdate);
                        if (!access) {
                          return std::move(access).error();
                        }
                        if (auto ok = check_not_archived(access->project); !ok) {
                          return std::move(ok).error();
                        }
                        domain::Milestone m;
                        m.id = Uuid::v7(clock_).str();
                        m.org_id = caller.org_id;
                        m.project_id = project_id;
                        m.lot_id = cmd.lot_id;
                        m.name = cmd.name;
                        m.description = cmd.description;
                        m.due_date = cmd.due_date;
                        m.reached_on = cmd.reached_on;
                        m.created_at = clock_.now();
                        m.updated_at = m.created_at;
                        if (auto ok = check(tx, m, access->project); !ok) {
                          return std::move(ok).error();
                        }
                        if (auto r = store_.insert(tx, m); !r) {
                          return std::move(r).error();
                        }
                        return m;
                      });
}

Result<domain::Milestone> Milestones::get(const Principal& caller, const std::string& project_id,
                                          const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<domain::Milestone> {
                        auto access = open_project(tx, projects_, participants_, caller, project_id,
                                                   ProjectAction::kRead);
                        if (!access) {
                          return std::move(access).error();
                        }
                        auto found = store_.find(tx, caller.org_id, project_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_milestone();
                        }
                        return std::move(**found);
                      });
}

Result<std::vector<domain::Milestone>> Milestones::list(const Principal& caller,
                                                        const std::string& project_id,
                                                        const PageQuery& page) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<domain::Milestone>> {
                        auto access = open_project(tx, projects_, participants_, caller, project_id,
                                                   ProjectAction::kRead);
                        if (!access) {
                          return std::move(access).error();
                        }
                        return store_.list(tx, caller.org_id, project_id, page);
                      });
}

Result<domain::Milestone> Milestones::update(const Principal& caller, const std::string& project_id,
                                             const std::string& id, const MilestonePatch& patch,
                                             const VersionCheck& version_check) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<domain::Milestone> {
                        auto access = open_project(tx, projects_, participants_, caller, project_id,
                                                   ProjectAction::kUpdate);
                        if (!access) {
                          return std::move(access).error();
                        }
                        auto found = store_.find(tx, caller.org_id, project_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_milestone();
                        }
                        domain::Milestone m = std::move(**found);
                        if (version_check) {
                          if (auto ok = version_check(m.version); !ok) {
                            return std::move(ok).error();
                          }
                        }
                        if (auto ok = check_not_archived(access->project); !ok) {
                          return std::move(ok).error();
                        }
                        if (patch.name) {
                          m.name = *patch.name;
                        }
                        if (patch.description) {
                          m.description = *patch.description;
                        }
                        if (patch.due_date) {
                          m.due_date = *patch.due_date;
                        }
                        if (patch.lot_id) {
                          m.lot_id = *patch.lot_id;
                        }
                        if (patch.reached_on) {
                          m.reached_on = *patch.reached_on;
                        }
                        if (auto ok = check(tx, m, access->project); !ok) {
                          return std::move(ok).error();
                        }
                        const int64_t expected = m.version;
                        m.version += 1;
                        m.updated_at = clock_.now();
                        auto written = store_.update(tx, m, expected);
                        if (!written) {
                          return std::move(written).error();
                        }
                        if (!*written) {
                          return Error{ErrorCode::kPreconditionFailed,
                                       "This milestone changed meanwhile: reload it and try again.",
                                       {},
                                       {}};
                        }
                        return m;
                      });
}

Result<void> Milestones::remove(const Principal& caller, const std::string& project_id,
                                const std::string& id, const VersionCheck& version_check) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<void> {
                        auto access = open_project(tx, projects_, participants_, caller, project_id,
                                                   ProjectAction::kUpdate);
                        if (!access) {
                          return std::move(access).error();
                        }
                        auto found = store_.find(tx, caller.org_id, project_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_milestone();
                        }
                        if (version_check) {
                          if (auto ok = version_check((*found)->version); !ok) {
                            return std::move(ok).error();
                          }
                        }
                        if (auto ok = check_not_archived(access->project); !ok) {
                          return std::move(ok).error();
                        }
                        auto removed = store_.remove(tx, **found);
                        if (!removed) {
                          return std::move(removed).error();
                        }
                        if (!*removed) {
                          return no_such_milestone();
                        }
                        return {};
                      });
}

}  // namespace atelier::projects::app
