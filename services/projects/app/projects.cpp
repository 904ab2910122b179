#include "projects/app/projects.hpp"

#include "atelier/core/uuid.hpp"
#include "projects/app/access.hpp"
#include "projects/app/events.hpp"

namespace atelier::projects::app {

namespace {

using auth::ProjectAction;

// The store reports a duplicate (org_id, code) as a bare constraint violation; say it in the
// user's words.
Error duplicate_code(const std::string& code) {
  return Error{ErrorCode::kConflict,
               "Your organisation already has a project with the code " + code + ".",
               {{"code", "Choose another code."}},
               {}};
}

ProjectView view_of(const Principal& caller, domain::Project p,
                    std::optional<auth::ProjectRole> role) {
  return ProjectView{std::move(p), sees_budget(caller, role)};
}

}  // namespace

Projects::Projects(db::Database& db, ProjectStore& store, ParticipantStore& participants,
                   const Clock& clock)
    : db_(db), store_(store), participants_(participants), clock_(clock) {}

Result<ProjectView> Projects::create(const Principal& caller, const NewProject& cmd) {
  if (!may_create_projects(caller)) {
    return Error::forbidden(
        "Guests cannot create projects: a member of the organisation creates it and adds you.");
  }
  domain::Project p;
  p.id = Uuid::v7(clock_).str();
  p.org_id = caller.org_id;
  p.code = cmd.code;
  p.name = cmd.name;
  p.address = cmd.address;
  p.client = cmd.client;
  p.start_date = cmd.start_date;
  p.end_date = cmd.end_date;
  p.budget_minor = cmd.budget_minor;
  p.currency = cmd.currency.value_or("EUR");
  p.status = domain::Status::kDraft;
  p.version = 1;
  p.created_at = clock_.now();
  p.updated_at = p.created_at;
  if (auto ok = domain::validate(p); !ok) {
    return std::move(ok).error();
  }
  // A person who creates a project manages it; an API key is nobody to give a role to.
  std::optional<domain::Participant> creator;
  if (caller.kind == Principal::Kind::kUser) {
    creator.emplace();
    creator->id = Uuid::v7(clock_).str();
    creator->org_id = p.org_id;
    creator->project_id = p.id;
    creator->kind = domain::Participant::Kind::kUser;
    creator->user_id = caller.subject;
    creator->role = auth::ProjectRole::kManager;
    creator->created_at = p.created_at;
    creator->updated_at = p.created_at;
  }
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<ProjectView> {
        if (auto r = store_.insert(tx, p); !r) {
          if (r.error().code == ErrorCode::kConflict) {
            return duplicate_code(p.code);
          }
          return std::move(r).error();
        }
        if (auto r = emit_project_created(
                tx, clock_, p, creator ? creator->user_id : std::optional<std::string>());
            !r) {
          return std::move(r).error();
        }
        if (creator) {
          if (auto r = participants_.insert(tx, *creator); !r) {
            return std::move(r).error();
          }
          if (auto r = emit_participant(tx, clock_, "projects.ParticipantAdded.v1", *creator); !r) {
            return std::move(r).error();
          }
        }
        return view_of(caller, p, creator ? std::optional(creator->role) : std::nullopt);
      });
}

Result<ProjectView> Projects::get(const Principal& caller, const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<ProjectView> {
                        auto access = open_project(tx, store_, participants_, caller, id,
                                                   ProjectAction::kRead);
                        if (!access) {
                          return std::move(access).error();
                        }
                        return view_of(caller, std::move(access->project), access->role);
                      });
}

Result<ProjectView> Projects::update(const Principal& caller, const std::string& id,
                                     const ProjectPatch& patch, const VersionCheck& check) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<ProjectView> {
        // Existence before permission and precondition: a guest learns only what it may read.
        auto access = open_project(tx, store_, participants_, caller, id, ProjectAction::kUpdate);
        if (!access) {
          return std::move(access).error();
        }
        if (patch.budget_minor) {
          if (auto ok = auth::authorize(caller, ProjectAction::kBudgetWrite, access->role); !ok) {
            return std::move(ok).error();
          }
        }
        domain::Project p = std::move(access->project);
        if (check) {
          if (auto ok = check(p.version); !ok) {
            return std::move(ok).error();
          }
        }
        if (auto ok = check_not_archived(p); !ok) {
          return std::move(ok).error();
        }
        if (patch.status) {
          const auto to = domain::parse_status(*patch.status);
          if (!to) {
            return Error::invalid(
                "Unknown status.",
                {{"status", "Choose one of " + domain::all_status_names() + "."}});
          }
          if (*to != p.status) {
            if (auto ok = domain::check_transition(p.status, *to); !ok) {
              return std::move(ok).error();
            }
            p.status = *to;
          }
        }
        const std::string old_code = p.code;
        if (patch.code) {
          p.code = *patch.code;
        }
        if (patch.name) {
          p.name = *patch.name;
        }
        if (patch.address) {
          p.address = *patch.address;
        }
        if (patch.client) {
          p.client = *patch.client;
        }
        if (patch.start_date) {
          p.start_date = *patch.start_date;
        }
        if (patch.end_date) {
          p.end_date = *patch.end_date;
        }
        if (patch.budget_minor) {
          p.budget_minor = *patch.budget_minor;
        }
        if (patch.currency) {
          p.currency = *patch.currency;
        }
        if (auto ok = domain::validate(p); !ok) {
          return std::move(ok).error();
        }
        const int64_t expected = p.version;
        p.version += 1;
        p.updated_at = clock_.now();
        auto written = store_.update(tx, p, expected);
        if (!written) {
          if (written.error().code == ErrorCode::kConflict && p.code != old_code) {
            return duplicate_code(p.code);
          }
          return std::move(written).error();
        }
        if (!*written) {
          return Error{ErrorCode::kPreconditionFailed,
                       "This project changed meanwhile: reload it and try again.",
                       {},
                       {}};
        }
        if (auto r = emit_project(tx, clock_, "projects.ProjectUpdated.v1", p); !r) {
          return std::move(r).error();
        }
        return view_of(caller, std::move(p), access->role);
      });
}

Result<std::vector<ProjectView>> Projects::list(const Principal& caller, ProjectFilter filter) {
  filter.role_of = caller.kind == Principal::Kind::kUser ? caller.subject : "";
  // Those who may read a project they take no part in (the organisation's staff) list them all;
  // the others (guests) only theirs.
  filter.only_participating =
      auth::decide(caller, ProjectAction::kRead, std::nullopt) != auth::Decision::kAllow;
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<ProjectView>> {
                        auto rows = store_.list(tx, caller.org_id, filter);
                        if (!rows) {
                          return std::move(rows).error();
                        }
                        std::vector<ProjectView> out;
                        out.reserve(rows->size());
                        for (auto& row : *rows) {
                          out.push_back(view_of(caller, std::move(row.project), row.role));
                        }
                        return out;
                      });
}

Result<ProjectView> Projects::archive(const Principal& caller, const std::string& id) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<ProjectView> {
        auto access = open_project(tx, store_, participants_, caller, id, ProjectAction::kArchive);
        if (!access) {
          return std::move(access).error();
        }
        domain::Project p = std::move(access->project);
        if (p.archived_at) {
          return view_of(caller, std::move(p), access->role);  // archived already: the wish holds
        }
        const int64_t expected = p.version;
        p.version += 1;
        p.updated_at = clock_.now();
        p.archived_at = p.updated_at;
        auto written = store_.update(tx, p, expected);
        if (!written) {
          return std::move(written).error();
        }
        if (!*written) {
          return Error::conflict("This project changed meanwhile: try again.");
        }
        if (auto r = emit_project(tx, clock_, "projects.ProjectArchived.v1", p); !r) {
          return std::move(r).error();
        }
        return view_of(caller, std::move(p), access->role);
      });
}

}  // namespace atelier::projects::app
