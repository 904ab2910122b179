#include "projects/app/lots.hpp"

#include "atelier/core/uuid.hpp"
#include "projects/app/access.hpp"
#include "projects/app/events.hpp"

namespace atelier::projects::app {

namespace {

using auth::ProjectAction;

Error no_such_lot() {
  return Error::not_found("No lot with this id in this project.");
}

Error duplicate_code(const std::string& code) {
  return Error{ErrorCode::kConflict,
               "This project already has a lot with the code " + code + ".",
               {{"code", "Choose another code."}},
               {}};
}

}  // namespace

Lots::Lots(db::Database& db, ProjectStore& projects, ParticipantStore& participants,
           LotStore& store, MilestoneStore& milestones, const Clock& clock)
    : db_(db),
      projects_(projects),
      participants_(participants),
      store_(store),
      milestones_(milestones),
      clock_(clock) {}

Result<LotView> Lots::create(const Principal& caller, const std::string& project_id,
                             const NewLot& cmd) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<LotView> {
        auto access =
            open_project(tx, projects_, participants_, caller, project_id, ProjectAction::kUpdate);
        if (!access) {
          return std::move(access).error();
        }
        if (cmd.budget_minor) {
          if (auto ok = auth::authorize(caller, ProjectAction::kBudgetWrite, access->role); !ok) {
            return std::move(ok).error();
          }
        }
        if (auto ok = check_not_archived(access->project); !ok) {
          return std::move(ok).error();
        }
        domain::Lot lot;
        lot.id = Uuid::v7(clock_).str();
        lot.org_id = caller.org_id;
        lot.project_id = project_id;
        lot.code = cmd.code;
        lot.name = cmd.name;
        lot.trade = cmd.trade;
        lot.budget_minor = cmd.budget_minor;
        lot.currency = cmd.currency.value_or(access->project.currency);
        if (cmd.position) {
          lot.position = *cmd.position;
        } else {
          auto next = store_.next_position(tx, caller.org_id, project_id);
          if (!next) {
            return std::move(next).error();
          }
          lot.position = *next;
        }
        lot.created_at = clock_.now();
        lot.updated_at = lot.created_at;
        if (auto ok = domain::validate(lot); !ok) {
          return std::move(ok).error();
        }
        if (auto r = store_.insert(tx, lot); !r) {
          if (r.error().code == ErrorCode::kConflict) {
            return duplicate_code(lot.code);
          }
          return std::move(r).error();
        }
        if (auto r = emit_lot(tx, clock_, "projects.LotCreated.v1", lot); !r) {
          return std::move(r).error();
        }
        return LotView{std::move(lot), sees_budget(caller, access->role)};
      });
}

Result<LotView> Lots::get(const Principal& caller, const std::string& project_id,
                          const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<LotView> {
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
                          return no_such_lot();
                        }
                        return LotView{std::move(**found), sees_budget(caller, access->role)};
                      });
}

Result<std::vector<LotView>> Lots::list(const Principal& caller, const std::string& project_id,
                                        const PageQuery& page) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<LotView>> {
                        auto access = open_project(tx, projects_, participants_, caller, project_id,
                                                   ProjectAction::kRead);
                        if (!access) {
                          return std::move(access).error();
                        }
                        auto rows = store_.list(tx, caller.org_id, project_id, page);
                        if (!rows) {
                          return std::move(rows).error();
                        }
                        const bool budget = sees_budget(caller, access->role);
                        std::vector<LotView> out;
                        out.reserve(rows->size());
                        for (auto& lot : *rows) {
                          out.push_back(LotView{std::move(lot), budget});
                        }
                        return out;
                      });
}

Result<LotView> Lots::update(const Principal& caller, const std::string& project_id,
                             const std::string& id, const LotPatch& patch,
                             const VersionCheck& check) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<LotView> {
        auto access =
            open_project(tx, projects_, participants_, caller, project_id, ProjectAction::kUpdate);
        if (!access) {
          return std::move(access).error();
        }
        auto found = store_.find(tx, caller.org_id, project_id, id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return no_such_lot();
        }
        if (patch.budget_minor) {
          if (auto ok = auth::authorize(caller, ProjectAction::kBudgetWrite, access->role); !ok) {
            return std::move(ok).error();
          }
        }
        domain::Lot lot = std::move(**found);
        if (check) {
          if (auto ok = check(lot.version); !ok) {
            return std::move(ok).error();
          }
        }
        if (auto ok = check_not_archived(access->project); !ok) {
          return std::move(ok).error();
        }
        const std::string old_code = lot.code;
        if (patch.code) {
          lot.code = *patch.code;
        }
        if (patch.name) {
          lot.name = *patch.name;
        }
        if (patch.trade) {
          lot.trade = *patch.trade;
        }
        if (patch.budget_minor) {
          lot.budget_minor = *patch.budget_minor;
        }
        if (patch.currency) {
          lot.currency = *patch.currency;
        }
        if (patch.position) {
          lot.position = *patch.position;
        }
        if (auto ok = domain::validate(lot); !ok) {
          return std::move(ok).error();
        }
        const int64_t expected = lot.version;
        lot.version += 1;
        lot.updated_at = clock_.now();
        auto written = store_.update(tx, lot, expected);
        if (!written) {
          if (written.error().code == ErrorCode::kConflict && lot.code != old_code) {
            return duplicate_code(lot.code);
          }
          return std::move(written).error();
        }
        if (!*written) {
          return Error{ErrorCode::kPreconditionFailed,
                       "This lot changed meanwhile: reload it and try again.",
                       {},
                       {}};
        }
        if (auto r = emit_lot(tx, clock_, "projects.LotUpdated.v1", lot); !r) {
          return std::move(r).error();
        }
        return LotView{std::move(lot), sees_budget(caller, access->role)};
      });
}

Result<void> Lots::remove(const Principal& caller, const std::string& project_id,
                          const std::string& id, const VersionCheck& check) {
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<void> {
        auto access =
            open_project(tx, projects_, participants_, caller, project_id, ProjectAction::kUpdate);
        if (!access) {
          return std::move(access).error();
        }
        auto found = store_.find(tx, caller.org_id, project_id, id);
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value()) {
          return no_such_lot();
        }
        if (check) {
          if (auto ok = check((*found)->version); !ok) {
            return std::move(ok).error();
          }
        }
        if (auto ok = check_not_archived(access->project); !ok) {
          return std::move(ok).error();
        }
        if (auto r = milestones_.clear_lot(tx, caller.org_id, project_id, id, clock_.now()); !r) {
          return std::move(r).error();
        }
        auto removed = store_.remove(tx, **found);
        if (!removed) {
          return std::move(removed).error();
        }
        if (!*removed) {
          return no_such_lot();
        }
        return emit_lot_deleted(tx, clock_, **found);
      });
}

}  // namespace atelier::projects::app
