#include "projects/adapters/routes.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "atelier/http/etag.hpp"
#include "atelier/http/json_body.hpp"
#include "atelier/http/pagination.hpp"
#include "projects/adapters/bodies.hpp"
#include "projects/adapters/sql_store.hpp"
#include "projects/app/lots.hpp"
#include "projects/app/milestones.hpp"
#include "projects/app/participants.hpp"
#include "projects/app/project_json.hpp"
#include "projects/app/projects.hpp"

namespace atelier::projects {

namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using http::RouteOptions;

namespace {

constexpr size_t kMaxFieldBytes = 8192;  // generous: the domain enforces the real limits

RouteOptions route(std::string name) {
  return RouteOptions{.blocking = true, .name = std::move(name), .anonymous = false};
}

std::string path_of(const domain::Project& p) {
  return "/api/v1/projects/" + p.id;
}

// `status` with a resource and the ETag of its version.
Response tagged(int status, const json::object& resource, int64_t version) {
  Response r = Response::json(status, resource);
  r.headers.set("ETag", http::etag_for_version(version));
  return r;
}

// 200 (or `status`) with the project as the caller may see it, and its ETag.
Response project_response(int status, const app::ProjectView& v) {
  return tagged(status, app::project_json(v.project, v.budget_visible), v.project.version);
}

Response lot_response(int status, const app::LotView& v) {
  return tagged(status, adapters::lot_json(v.lot, v.budget_visible), v.lot.version);
}

// The version check of a change: If-Match against the stored version, required or not.
app::VersionCheck if_match(const Request& request, bool required) {
  return [&request, required](int64_t version) {
    return http::check_if_match(request, http::etag_for_version(version), required);
  };
}

// `?limit=&cursor=` of a list of a project's children, asking the store for one row more than
// shown: it only tells that there is a next page.
Result<app::PageQuery> page_of(const Request& request) {
  auto page = http::page_request(request);
  if (!page) {
    return std::move(page).error();
  }
  return app::PageQuery{page->cursor, page->limit + 1};
}

// Reads a JSON Merge Patch (RFC 7396) of a project: a member present is set, `null` clears an
// optional field. Unknown members and wrong types are field errors, all of them reported at once.
Result<app::ProjectPatch> patch_of(const json::object& body) {
  app::ProjectPatch patch;
  std::vector<FieldError> errors;
  auto string_of = [&](const json::value& v, std::string_view key) -> std::optional<std::string> {
    if (!v.is_string() || v.as_string().size() > kMaxFieldBytes) {
      errors.push_back({std::string(key), "Expected a string."});
      return std::nullopt;
    }
    return std::string(v.as_string());
  };
  for (const auto& [key, v] : body) {
    const std::string name(key);
    if (name == "code" || name == "name" || name == "start_date" || name == "currency" ||
        name == "status") {
      if (v.is_null()) {
        errors.push_back({name, "This field cannot be cleared."});
        continue;
      }
      auto s = string_of(v, name);
      if (!s) {
        continue;
      }
      if (name == "code") {
        patch.code = std::move(s);
      } else if (name == "name") {
        patch.name = std::move(s);
      } else if (name == "start_date") {
        patch.start_date = std::move(s);
      } else if (name == "currency") {
        patch.currency = std::move(s);
      } else {
        patch.status = std::move(s);
      }
    } else if (name == "address" || name == "client") {
      // Free text: clearing it leaves it empty.
      std::optional<std::string> s =
          v.is_null() ? std::optional<std::string>("") : string_of(v, name);
      if (s) {
        (name == "address" ? patch.address : patch.client) = std::move(s);
      }
    } else if (name == "end_date") {
      if (v.is_null()) {
        patch.end_date = std::optional<std::string>();
      } else if (auto s = string_of(v, name)) {
        patch.end_date = std::move(s);
      }
    } else if (name == "budget_minor") {
      if (v.is_null()) {
        patch.budget_minor = std::optional<int64_t>();
      } else if (v.is_int64()) {
        patch.budget_minor = std::optional<int64_t>(v.as_int64());
      } else {
        errors.push_back({name, "Expected an integer amount in minor units (cents), or null."});
      }
    } else {
      errors.push_back({name, "Unknown field."});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  return patch;
}

// A creation body: the patch fields, with code, name and start_date required and no status (a
// project starts as a draft).
Result<app::NewProject> new_project_of(const json::object& body) {
  auto patch = patch_of(body);
  if (!patch) {
    return std::move(patch).error();
  }
  std::vector<FieldError> errors;
  for (const auto& [field, given] :
       {std::pair{"code", patch->code.has_value()}, std::pair{"name", patch->name.has_value()},
        std::pair{"start_date", patch->start_date.has_value()}}) {
    if (!given) {
      errors.push_back({field, "Required."});
    }
  }
  if (patch->status) {
    errors.push_back({"status", "A project starts as a draft; change its status afterwards."});
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  app::NewProject cmd;
  cmd.code = *patch->code;
  cmd.name = *patch->name;
  cmd.address = patch->address.value_or("");
  cmd.client = patch->client.value_or("");
  cmd.start_date = *patch->start_date;
  cmd.end_date = patch->end_date.value_or(std::nullopt);
  cmd.budget_minor = patch->budget_minor.value_or(std::nullopt);
  cmd.currency = patch->currency;
  return cmd;
}

// `?limit=` (1 to 200, default 50), `?cursor=` (the last id of the previous page), `?status=`,
// `?q=` and `?archived=true|false` (true includes the archived projects).
Result<app::ProjectFilter> filter_of(const Request& request) {
  app::ProjectFilter filter;
  std::vector<FieldError> errors;
  const http::PageRequest page = http::read_page(request, errors);
  filter.limit = page.limit;
  filter.after_id = page.cursor;
  if (auto s = request.query_param("status"); s && !s->empty()) {
    filter.status = domain::parse_status(*s);
    if (!filter.status) {
      errors.push_back({"status", "One of " + domain::all_status_names() + "."});
    }
  }
  filter.q = request.query_param("q").value_or("");
  if (filter.q.size() > 200) {
    errors.push_back({"q", "At most 200 characters."});
  }
  if (auto a = request.query_param("archived")) {
    if (*a == "true") {
      filter.archived = true;
    } else if (*a != "false") {
      errors.push_back({"archived", "true or false."});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("Some query parameters are invalid.", std::move(errors));
  }
  return filter;
}

}  // namespace

struct ProjectsService::State {
  Options options;
  adapters::SqlProjectStore store;
  adapters::SqlParticipantStore participant_store;
  adapters::SqlLotStore lot_store;
  adapters::SqlMilestoneStore milestone_store;
  std::unique_ptr<app::Projects> projects;
  std::unique_ptr<app::Participants> participants;
  std::unique_ptr<app::Lots> lots;
  std::unique_ptr<app::Milestones> milestones;

  void events_written() const {
    if (options.events_written) {
      options.events_written();
    }
  }
};

ProjectsService::ProjectsService(std::unique_ptr<State> state) : state_(std::move(state)) {}
ProjectsService::~ProjectsService() = default;

std::unique_ptr<ProjectsService> ProjectsService::create(db::Database& db, Options options) {
  auto state = std::make_unique<State>();
  state->options = std::move(options);
  const Clock& clock = *state->options.clock;
  State& s = *state;
  s.projects = std::make_unique<app::Projects>(db, s.store, s.participant_store, clock);
  s.participants = std::make_unique<app::Participants>(db, s.store, s.participant_store, clock);
  s.lots = std::make_unique<app::Lots>(db, s.store, s.participant_store, s.lot_store,
                                       s.milestone_store, clock);
  s.milestones = std::make_unique<app::Milestones>(db, s.store, s.participant_store, s.lot_store,
                                                   s.milestone_store, clock);
  return std::unique_ptr<ProjectsService>(new ProjectsService(std::move(state)));
}

void ProjectsService::add_routes(http::Router& router) {
  State& s = *state_;
  app::Projects& projects = *s.projects;
  // Every route needs credentials; the organisation is always the caller's
  // (request.principal->org_id), never one named by the body or the path.

  router.add(
      Method::kPost, "/api/v1/projects",
      [&s, &projects](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto cmd = new_project_of(*body);
        if (!cmd) {
          return Response::problem(cmd.error(), request);
        }
        auto created = projects.create(*request.principal, *cmd);
        if (!created) {
          return Response::problem(created.error(), request);
        }
        s.events_written();
        Response r = project_response(201, *created);
        r.headers.set("Location", path_of(created->project));
        return r;
      },
      route("projects.create"));

  router.add(
      Method::kGet, "/api/v1/projects",
      [&projects](Request& request) {
        auto filter = filter_of(request);
        if (!filter) {
          return Response::problem(filter.error(), request);
        }
        const int limit = filter->limit;
        // One row more than asked: it only tells that there is a next page.
        filter->limit = limit + 1;
        auto rows = projects.list(*request.principal, *filter);
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(
            *rows, limit,
            [](const app::ProjectView& v) {
              return app::project_json(v.project, v.budget_visible);
            },
            [](const app::ProjectView& v) { return v.project.id; });
      },
      route("projects.list"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}",
      [&projects](Request& request) {
        auto found = projects.get(*request.principal, std::string(request.param("id")));
        if (!found) {
          return Response::problem(found.error(), request);
        }
        return project_response(200, *found);
      },
      route("projects.get"));

  router.add(
      Method::kPatch, "/api/v1/projects/{id}",
      [&s, &projects](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto patch = patch_of(*body);
        if (!patch) {
          return Response::problem(patch.error(), request);
        }
        // If-Match is required: a change made without knowing the current version would
        // silently overwrite someone else's.
        auto updated = projects.update(*request.principal, std::string(request.param("id")), *patch,
                                       if_match(request, true));
        if (!updated) {
          return Response::problem(updated.error(), request);
        }
        s.events_written();
        return project_response(200, *updated);
      },
      route("projects.update"));

  router.add(
      Method::kPost, "/api/v1/projects/{id}/archive",
      [&s, &projects](Request& request) {
        auto archived = projects.archive(*request.principal, std::string(request.param("id")));
        if (!archived) {
          return Response::problem(archived.error(), request);
        }
        s.events_written();
        return project_response(200, *archived);
      },
      route("projects.archive"));

  // --- participants: who takes part, with which project role --------------------------------
  app::Participants& participants = *s.participants;

  router.add(
      Method::kPost, "/api/v1/projects/{id}/participants",
      [&s, &participants](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto cmd = adapters::new_participant_of(*body);
        if (!cmd) {
          return Response::problem(cmd.error(), request);
        }
        const std::string project_id(request.param("id"));
        auto added = participants.add(*request.principal, project_id, *cmd);
        if (!added) {
          return Response::problem(added.error(), request);
        }
        s.events_written();
        Response r = tagged(201, adapters::participant_json(*added), added->version);
        r.headers.set("Location", "/api/v1/projects/" + project_id + "/participants/" + added->id);
        return r;
      },
      route("projects.participants.add"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/participants",
      [&participants](Request& request) {
        auto page = page_of(request);
        if (!page) {
          return Response::problem(page.error(), request);
        }
        auto rows = participants.list(*request.principal, std::string(request.param("id")), *page);
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(*rows, page->limit - 1, adapters::participant_json,
                                   [](const domain::Participant& p) { return p.id; });
      },
      route("projects.participants.list"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/participants/{participant_id}",
      [&participants](Request& request) {
        auto found = participants.get(*request.principal, std::string(request.param("id")),
                                      std::string(request.param("participant_id")));
        if (!found) {
          return Response::problem(found.error(), request);
        }
        return tagged(200, adapters::participant_json(*found), found->version);
      },
      route("projects.participants.get"));

  router.add(
      Method::kPatch, "/api/v1/projects/{id}/participants/{participant_id}",
      [&s, &participants](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto patch = adapters::participant_patch_of(*body);
        if (!patch) {
          return Response::problem(patch.error(), request);
        }
        // If-Match is honoured when sent: a role is set, not edited, so it is not required.
        auto updated = participants.update(*request.principal, std::string(request.param("id")),
                                           std::string(request.param("participant_id")), *patch,
                                           if_match(request, false));
        if (!updated) {
          return Response::problem(updated.error(), request);
        }
        s.events_written();
        return tagged(200, adapters::participant_json(*updated), updated->version);
      },
      route("projects.participants.update"));

  router.add(
      Method::kDelete, "/api/v1/projects/{id}/participants/{participant_id}",
      [&s, &participants](Request& request) {
        auto removed = participants.remove(*request.principal, std::string(request.param("id")),
                                           std::string(request.param("participant_id")),
                                           if_match(request, false));
        if (!removed) {
          return Response::problem(removed.error(), request);
        }
        s.events_written();
        return Response::no_content();
      },
      route("projects.participants.remove"));

  // --- lots: the work packages by trade --------------------------------------------------------
  app::Lots& lots = *s.lots;
  app::LotStore& lot_store = s.lot_store;

  router.add(
      Method::kPost, "/api/v1/projects/{id}/lots",
      [&lots](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto cmd = adapters::new_lot_of(*body);
        if (!cmd) {
          return Response::problem(cmd.error(), request);
        }
        const std::string project_id(request.param("id"));
        auto created = lots.create(*request.principal, project_id, *cmd);
        if (!created) {
          return Response::problem(created.error(), request);
        }
        Response r = lot_response(201, *created);
        r.headers.set("Location", "/api/v1/projects/" + project_id + "/lots/" + created->lot.id);
        return r;
      },
      route("projects.lots.create"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/lots",
      [&lots, &lot_store](Request& request) {
        auto page = page_of(request);
        if (!page) {
          return Response::problem(page.error(), request);
        }
        auto rows = lots.list(*request.principal, std::string(request.param("id")), *page);
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(
            *rows, page->limit - 1,
            [](const app::LotView& v) { return adapters::lot_json(v.lot, v.budget_visible); },
            [&lot_store](const app::LotView& v) { return lot_store.cursor_after(v.lot); });
      },
      route("projects.lots.list"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/lots/{lot_id}",
      [&lots](Request& request) {
        auto found = lots.get(*request.principal, std::string(request.param("id")),
                              std::string(request.param("lot_id")));
        if (!found) {
          return Response::problem(found.error(), request);
        }
        return lot_response(200, *found);
      },
      route("projects.lots.get"));

  router.add(
      Method::kPatch, "/api/v1/projects/{id}/lots/{lot_id}",
      [&lots](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto patch = adapters::lot_patch_of(*body);
        if (!patch) {
          return Response::problem(patch.error(), request);
        }
        auto updated =
            lots.update(*request.principal, std::string(request.param("id")),
                        std::string(request.param("lot_id")), *patch, if_match(request, true));
        if (!updated) {
          return Response::problem(updated.error(), request);
        }
        return lot_response(200, *updated);
      },
      route("projects.lots.update"));

  router.add(
      Method::kDelete, "/api/v1/projects/{id}/lots/{lot_id}",
      [&lots](Request& request) {
        auto removed = lots.remove(*request.principal, std::string(request.param("id")),
                                   std::string(request.param("lot_id")), if_match(request, false));
        if (!removed) {
          return Response::problem(removed.error(), request);
        }
        return Response::no_content();
      },
      route("projects.lots.remove"));

  // --- milestones: the dates the project must meet ---------------------------------------------
  app::Milestones& milestones = *s.milestones;
  app::MilestoneStore& milestone_store = s.milestone_store;

  router.add(
      Method::kPost, "/api/v1/projects/{id}/milestones",
      [&milestones](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto cmd = adapters::new_milestone_of(*body);
        if (!cmd) {
          return Response::problem(cmd.error(), request);
        }
        const std::string project_id(request.param("id"));
        auto created = milestones.create(*request.principal, project_id, *cmd);
        if (!created) {
          return Response::problem(created.error(), request);
        }
        Response r = tagged(201, adapters::milestone_json(*created), created->version);
        r.headers.set("Location", "/api/v1/projects/" + project_id + "/milestones/" + created->id);
        return r;
      },
      route("projects.milestones.create"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/milestones",
      [&milestones, &milestone_store](Request& request) {
        auto page = page_of(request);
        if (!page) {
          return Response::problem(page.error(), request);
        }
        auto rows = milestones.list(*request.principal, std::string(request.param("id")), *page);
        if (!rows) {
          return Response::problem(rows.error(), request);
        }
        return http::page_response(*rows, page->limit - 1, adapters::milestone_json,
                                   [&milestone_store](const domain::Milestone& m) {
                                     return milestone_store.cursor_after(m);
                                   });
      },
      route("projects.milestones.list"));

  router.add(
      Method::kGet, "/api/v1/projects/{id}/milestones/{milestone_id}",
      [&milestones](Request& request) {
        auto found = milestones.get(*request.principal, std::string(request.param("id")),
                                    std::string(request.param("milestone_id")));
        if (!found) {
          return Response::problem(found.error(), request);
        }
        return tagged(200, adapters::milestone_json(*found), found->version);
      },
      route("projects.milestones.get"));

  router.add(
      Method::kPatch, "/api/v1/projects/{id}/milestones/{milestone_id}",
      [&milestones](Request& request) {
        auto body = http::json_object_body(request);
        if (!body) {
          return Response::problem(body.error(), request);
        }
        auto patch = adapters::milestone_patch_of(*body);
        if (!patch) {
          return Response::problem(patch.error(), request);
        }
        auto updated = milestones.update(*request.principal, std::string(request.param("id")),
                                         std::string(request.param("milestone_id")), *patch,
                                         if_match(request, true));
        if (!updated) {
          return Response::problem(updated.error(), request);
        }
        return tagged(200, adapters::milestone_json(*updated), updated->version);
      },
      route("projects.milestones.update"));

  router.add(
      Method::kDelete, "/api/v1/projects/{id}/milestones/{milestone_id}",
      [&milestones](Request& request) {
        auto removed =
            milestones.remove(*request.principal, std::string(request.param("id")),
                              std::string(request.param("milestone_id")), if_match(request, false));
        if (!removed) {
          return Response::problem(removed.error(), request);
        }
        return Response::no_content();
      },
      route("projects.milestones.remove"));
}

}  // namespace atelier::projects
