#include "projects/app/participants.hpp"

#include "atelier/core/uuid.hpp"
#include "projects/app/access.hpp"
#include "projects/app/events.hpp"

namespace atelier::projects::app {

namespace {

using auth::ProjectAction;

Error no_such_participant() {
  return Error::not_found("No participant with this id in this project.");
}

Result<auth::ProjectRole> role_of(const std::string& name) {
  if (auto role = auth::parse_project_role(name)) {
    return *role;
  }
  return Error::invalid("Unknown role.", {{"role", "Choose manager, contributor or viewer."}});
}

}  // namespace

Participants::Participants(db::Database& db, ProjectStore& projects, ParticipantStore& store,
                           const Clock& clock)
    : db_(db), projects_(projects), store_(store), clock_(clock) {}

Result<domain::Participant> Participants::add(const Principal& caller,
                                              const std::string& project_id,
                                              const NewParticipant& cmd) {
  domain::Participant p;
  p.id = Uuid::v7(clock_).str();
  p.org_id = caller.org_id;
  p.project_id = project_id;
  p.kind = cmd.company && !cmd.user_id ? domain::Participant::Kind::kCompany
                                       : domain::Participant::Kind::kUser;
  p.user_id = cmd.user_id;
  p.company = cmd.company;
  p.trade = cmd.trade;
  p.created_at = clock_.now();
  p.updated_at = p.created_at;
  auto validated = domain::validate(p);
  auto role = role_of(cmd.role);
  if (!validated || !role) {
    Error e = validated ? Error::invalid("The participant is not valid: see the fields.")
                        : std::move(validated).error();
    if (!role) {
      e.fields.push_back(role.error().fields.front());
    }
    return e;
  }
  p.role = *role;
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<domain::Participant> {
        auto access = open_project(tx, projects_, store_, caller, project_id,
                                   ProjectAction::kManageParticipants);
        if (!access) {
          return std::move(access).error();
        }
        if (auto ok = check_not_archived(access->project); !ok) {
          return std::move(ok).error();
        }
        if (auto r = store_.insert(tx, p); !r) {
          if (r.error().code == ErrorCode::kConflict) {
            return Error{ErrorCode::kConflict,
                         "This user takes part in the project already: change their role instead.",
                         {{"user_id", "Already a participant."}},
                         {}};
          }
          return std::move(r).error();
        }
        if (auto r = emit_participant(tx, clock_, "projects.ParticipantAdded.v1", p); !r) {
          return std::move(r).error();
        }
        return p;
      });
}

Result<domain::Participant> Participants::get(const Principal& caller,
                                              const std::string& project_id,
                                              const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<domain::Participant> {
                        auto access = open_project(tx, projects_, store_, caller, project_id,
                                                   ProjectAction::kRead);
                        if (!access) {
                          return std::move(access).error();
                        }
                        auto found = store_.find(tx, caller.org_id, project_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_participant();
                        }
                        return std::move(**found);
                      });
}

Result<std::vector<domain::Participant>> Participants::list(const Principal& caller,
                                                            const std::string& project_id,
                                                            const PageQuery& page) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<domain::Participant>> {
                        auto access = open_project(tx, projects_, store_, caller, project_id,
                                                   ProjectAction::kRead);
                        if (!access) {
                          return std::move(access).error();
                        }
                        return store_.list(tx, caller.org_id, project_id, page);
                      });
}

Result<domain::Participant> Participants::update(const Principal& caller,
                                                 const std::string& project_id,
                                                 const std::string& id,
                                                 const ParticipantPatch& patch,
                                                 const VersionCheck& check) {
  std::optional<auth::ProjectRole> new_role;
  if (patch.role) {
    auto role = role_of(*patch.role);
    if (!role) {
      return std::move(role).error();
    }
    new_role = *role;
  }
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<domain::Participant> {
        auto access = open_project(tx, projects_, store_, caller, project_id,
                                   ProjectAction::kManageParticipants);
        if (!access) {
          return std::move(access).error();
        }
        // One change of the project's managers at a time, so that two demotions cannot both
        // see the other manager still there.
        if (auto r = projects_.lock(tx, caller.org_id, project_id); !r) {
          return std::move(r).error();
        }
        auto found = store_.find(tx, caller.org_id, project_id, id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return no_such_participant();
        }
        domain::Participant p = std::move(**found);
        if (check) {
          if (auto ok = check(p.version); !ok) {
            return std::move(ok).error();
          }
        }
        if (auto ok = check_not_archived(access->project); !ok) {
          return std::move(ok).error();
        }
        if (new_role && p.role == auth::ProjectRole::kManager &&
            *new_role != auth::ProjectRole::kManager) {
          auto managers = store_.count_managers(tx, caller.org_id, project_id);
          if (!managers) {
            return std::move(managers).error();
          }
          if (auto ok = domain::check_managers_left(*managers - 1); !ok) {
            return std::move(ok).error();
          }
        }
        if (new_role) {
          p.role = *new_role;
        }
        if (patch.trade) {
          p.trade = *patch.trade;
        }
        if (auto ok = domain::validate(p); !ok) {
          return std::move(ok).error();
        }
        const int64_t expected = p.version;
        p.version += 1;
        p.updated_at = clock_.now();
        auto written = store_.update(tx, p, expected);
        if (!written) {
          return std::move(written).error();
        }
        if (!*written) {
          return Error{ErrorCode::kPreconditionFailed,
                       "This participant changed meanwhile: reload it and try again.",
                       {},
                       {}};
        }
        if (auto r = emit_participant(tx, clock_, "projects.ParticipantUpdated.v1", p); !r) {
          return std::move(r).error();
        }
        return p;
      });
}

Result<void> Participants::remove(const Principal& caller, const std::string& project_id,
                                  const std::string& id, const VersionCheck& check) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<void> {
                        auto access = open_project(tx, projects_, store_, caller, project_id,
                                                   ProjectAction::kManageParticipants);
                        if (!access) {
                          return std::move(access).error();
                        }
                        if (auto r = projects_.lock(tx, caller.org_id, project_id); !r) {
                          return std::move(r).error();
                        }
                        auto found = store_.find(tx, caller.org_id, project_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_participant();
                        }
                        const domain::Participant& p = **found;
                        if (check) {
                          if (auto ok = check(p.version); !ok) {
                            return std::move(ok).error();
                          }
                        }
                        if (auto ok = check_not_archived(access->project); !ok) {
                          return std::move(ok).error();
                        }
                        if (p.role == auth::ProjectRole::kManager) {
                          auto managers = store_.count_managers(tx, caller.org_id, project_id);
                          if (!managers) {
                            return std::move(managers).error();
                          }
                          if (auto ok = domain::check_managers_left(*managers - 1); !ok) {
                            return std::move(ok).error();
                          }
                        }
                        auto removed = store_.remove(tx, p);
                        if (!removed) {
                          return std::move(removed).error();
                        }
                        if (!*removed) {
                          return no_such_participant();
                        }
                        return emit_participant_removed(tx, clock_, p);
                      });
}

}  // namespace atelier::projects::app
