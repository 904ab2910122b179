#include "projects/app/projects.hpp"

#include <boost/json.hpp>

#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "projects/app/project_json.hpp"

namespace atelier::projects::app {

namespace {

constexpr std::string_view kSource = "/services/projects";

Result<void> emit(db::Transaction& tx, const Clock& clock, std::string_view type,
                  const domain::Project& p) {
  return events::append(
      tx, events::CloudEvent::make(std::string(kSource), std::string(type), p.id, p.org_id,
                                   boost::json::serialize(project_json(p)), clock));
}

Result<void> require_writer(const Principal& caller) {
  if (!may_write(caller)) {
    return Error::forbidden("Guests can see projects but not create or change them.");
  }
  return {};
}

Error no_such_project() {
  return Error::not_found("No project with this id in your organisation.");
}

// The store reports a duplicate (org_id, code) as a bare constraint violation; say it in the
// user's words.
Error duplicate_code(const std::string& code) {
  return Error{ErrorCode::kConflict,
               "Your organisation already has a project with the code " + code + ".",
               {{"code", "Choose another code."}},
               {}};
}

}  // namespace

bool may_write(const Principal& caller) {
  return caller.has_role("owner") || caller.has_role("admin") || caller.has_role("member");
}

Projects::Projects(db::Database& db, ProjectStore& store, const Clock& clock)
    : db_(db), store_(store), clock_(clock) {}

Result<domain::Project> Projects::create(const Principal& caller, const NewProject& cmd) {
  if (auto ok = require_writer(caller); !ok) {
    return std::move(ok).error();
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
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<domain::Project> {
                        if (auto r = store_.insert(tx, p); !r) {
                          if (r.error().code == ErrorCode::kConflict) {
                            return duplicate_code(p.code);
                          }
                          return std::move(r).error();
                        }
                        if (auto r = emit(tx, clock_, "projects.ProjectCreated.v1", p); !r) {
                          return std::move(r).error();
                        }
                        return p;
                      });
}

Result<domain::Project> Projects::find(db::Transaction& tx, const Principal& caller,
                                       const std::string& id) {
  auto found = store_.find(tx, caller.org_id, id);
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value()) {
    return no_such_project();
  }
  return std::move(**found);
}

Result<domain::Project> Projects::get(const Principal& caller, const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) { return find(tx, caller, id); });
}

Result<domain::Project> Projects::update(const Principal& caller, const std::string& id,
                                         const ProjectPatch& patch, const VersionCheck& check) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<domain::Project> {
        auto found = find(tx, caller, id);
        if (!found) {
          return found;
        }
        // Existence before permission and precondition: a guest learns only what it may read.
        if (auto ok = require_writer(caller); !ok) {
          return std::move(ok).error();
        }
        domain::Project p = std::move(found).value();
        if (check) {
          if (auto ok = check(p.version); !ok) {
            return std::move(ok).error();
          }
        }
        if (p.archived_at) {
          return Error::conflict("This project is archived: it can no longer be changed.");
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
        if (auto r = emit(tx, clock_, "projects.ProjectUpdated.v1", p); !r) {
          return std::move(r).error();
        }
        return p;
      });
}

Result<std::vector<domain::Project>> Projects::list(const Principal& caller,
                                                    const ProjectFilter& filter) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) { return store_.list(tx, caller.org_id, filter); });
}

Result<domain::Project> Projects::archive(const Principal& caller, const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<domain::Project> {
                        auto found = find(tx, caller, id);
                        if (!found) {
                          return found;
                        }
                        if (auto ok = require_writer(caller); !ok) {
                          return std::move(ok).error();
                        }
                        domain::Project p = std::move(found).value();
                        if (p.archived_at) {
                          return p;  // archived already: the caller's wish holds
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
                        if (auto r = emit(tx, clock_, "projects.ProjectArchived.v1", p); !r) {
                          return std::move(r).error();
                        }
                        return p;
                      });
}

}  // namespace atelier::projects::app
