// Who may do what on a project: the policy every service applies to project-scoped resources
// (the project itself, its lots and participants, tasks and schedule, documents, budget).
//
// Two kinds of role meet here. The organisation role comes with the credentials (Principal::
// roles): owners and admins run the whole organisation, members are its staff, guests are people
// from outside (a subcontractor's foreman, the client's architect). The project role is given per
// project by its managers (projects.ParticipantAdded.v1): manager, contributor or viewer.
//
// The rule, in one paragraph: owners and admins may do everything on every project of their
// organisation. Anyone else acts on a project through their project role, read off the table in
// policy.cpp. Members also see every project of their organisation (staff know what the firm is
// building) but change only those they take part in; guests see nothing but their projects.
// Whoever may not even see a project gets "not found", as for one that does not exist, so that
// ids of other people's projects reveal nothing.
//
// Organisation administration (members, API keys, audit) has its own table in the identity
// service, which alone holds those resources.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "atelier/core/error.hpp"
#include "atelier/core/principal.hpp"

namespace atelier::auth {

// Ordered: each role may do what the one before it may.
enum class ProjectRole : std::uint8_t { kViewer, kContributor, kManager };

std::string_view project_role_name(ProjectRole role);
std::optional<ProjectRole> parse_project_role(std::string_view name);

enum class ProjectAction : std::uint8_t {
  kRead,                // the project, its lots, milestones and participants
  kUpdate,              // its fields and status, lots and milestones
  kManageParticipants,  // add, change and remove participants
  kArchive,
  kTasksRead,   // tasks, links, the schedule and the Gantt chart
  kTasksWrite,  // create and edit tasks and links, move them on the board
  kPlanManage,  // calendar, baselines, import of a plan
  kDocumentsRead,
  kDocumentsWrite,
  kBudgetRead,  // money stays with the managers: a subcontractor sees the work, not the margins
  kBudgetWrite,
};

std::string_view project_action_name(ProjectAction action);

enum class Decision : std::uint8_t {
  kAllow,
  kForbid,  // may see the project, not do this: 403
  kHide,    // may not even see the project: 404
};

// The policy: what `who` may do on a project where their project role is `role` (nullopt when
// they take no part in it). Pure.
Decision decide(const Principal& who, ProjectAction action, std::optional<ProjectRole> role);

// decide() as an error: kForbidden naming the action and the least role that allows it, or
// kNotFound worded as for a project that does not exist.
Result<void> authorize(const Principal& who, ProjectAction action, std::optional<ProjectRole> role);

// The least project role that allows `action` (nullopt when only owners and admins may).
std::optional<ProjectRole> least_role_for(ProjectAction action);

// The port services call: Authorize(subject, action, resource). In one process each service
// answers it from its own records of project roles (the projects service from its participants,
// the others from the participant events they keep); over HTTP it will be a call to the projects
// service. Fails as authorize() does.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual Result<void> authorize(const Principal& who, ProjectAction action,
                                 std::string_view project_id) = 0;
};

// An Authorizer from a lookup of the caller's project role: the policy above over any storage.
class PolicyAuthorizer final : public Authorizer {
 public:
  using RoleLookup = std::function<Result<std::optional<ProjectRole>>(const Principal& who,
                                                                      std::string_view project_id)>;

  explicit PolicyAuthorizer(RoleLookup lookup) : lookup_(std::move(lookup)) {}

  Result<void> authorize(const Principal& who, ProjectAction action,
                         std::string_view project_id) override;

 private:
  RoleLookup lookup_;
};

}  // namespace atelier::auth
