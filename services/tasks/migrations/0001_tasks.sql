-- The planning tables of the tasks service. Projects and their participants are owned by the
-- projects service: `plans` and `project_roles` are this service's projections of its events,
-- never a join into its tables.

-- One plan per project (projects.ProjectCreated.v1), with its working calendar. input_version
-- is bumped by every change that can move the schedule (tasks, links, calendar, plan dates); the
-- scheduler recomputes while schedules.version is behind it.
CREATE TABLE plans (
  project_id          TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL,
  name                TEXT NOT NULL,
  start_date          TEXT NOT NULL,        -- YYYY-MM-DD
  deadline            TEXT,                 -- YYYY-MM-DD: the project's end date
  created_by          TEXT,                 -- user id from the event, when known
  input_version       BIGINT NOT NULL,
  working_weekdays    TEXT NOT NULL,        -- "mon,tue,wed,thu,fri"
  holiday_region      TEXT NOT NULL CHECK (holiday_region IN ('fr', 'fr-alsace-moselle', 'none')),
  calendar_exceptions TEXT NOT NULL,        -- JSON [{"date","working","reason"}]
  calendar_version    BIGINT NOT NULL,      -- the calendar's ETag
  active_baseline_id  TEXT,                 -- NULL: the latest baseline
  updated_at          TEXT NOT NULL
);
CREATE INDEX plans_org ON plans (org_id, project_id);

-- Who takes part in which project, with which role (projects.Participant*.v1). Company
-- participants have no user_id and grant nobody a role here.
CREATE TABLE project_roles (
  project_id      TEXT NOT NULL,
  participant_id  TEXT NOT NULL,
  org_id          TEXT NOT NULL,
  user_id         TEXT,
  role            TEXT NOT NULL CHECK (role IN ('manager', 'contributor', 'viewer')),
  PRIMARY KEY (project_id, participant_id)
);
CREATE INDEX project_roles_user ON project_roles (org_id, project_id, user_id);

CREATE TABLE tasks (
  id                TEXT PRIMARY KEY,       -- UUIDv7
  org_id            TEXT NOT NULL,
  project_id        TEXT NOT NULL,
  name              TEXT NOT NULL,
  description       TEXT NOT NULL,
  duration_days     INTEGER NOT NULL CHECK (duration_days >= 0),
  lot_id            TEXT,                   -- a lot of the projects service, not cross-checked
  assignees         TEXT NOT NULL,          -- JSON array of user ids
  constraint_kind   TEXT,
  constraint_date   TEXT,
  status            TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'blocked', 'done')),
  board_rank        BIGINT NOT NULL,        -- order within its Kanban column
  progress_percent  INTEGER NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
  actual_start      TEXT,
  actual_finish     TEXT,
  checklist         TEXT NOT NULL,          -- JSON [{"id","text","done"}]
  version           BIGINT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX tasks_project ON tasks (org_id, project_id, id);
CREATE INDEX tasks_column ON tasks (project_id, status, board_rank);

CREATE TABLE links (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  project_id  TEXT NOT NULL,
  from_task   TEXT NOT NULL,
  to_task     TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('FS', 'SS', 'FF', 'SF')),
  lag_days    INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  CONSTRAINT links_pair UNIQUE (project_id, from_task, to_task)
);
CREATE INDEX links_project ON links (org_id, project_id, id);

-- The last computed schedule of a project: `version` is the input_version it was computed from.
-- `body` is the schedule as the API shows it; `error` is set instead when the plan could not be
-- scheduled.
CREATE TABLE schedules (
  project_id   TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  version      BIGINT NOT NULL,
  computed_at  TEXT NOT NULL,
  body         TEXT NOT NULL,
  error        TEXT
);

-- Snapshots of a schedule's early dates, to measure slips against.
CREATE TABLE baselines (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL,
  project_id        TEXT NOT NULL,
  name              TEXT NOT NULL,
  schedule_version  BIGINT NOT NULL,
  tasks             TEXT NOT NULL,        -- JSON [{"task_id","start","finish"}]
  created_at        TEXT NOT NULL
);
CREATE INDEX baselines_project ON baselines (org_id, project_id, id);

-- The slip last seen per task and baseline, so that a recomputation does not repeat a
-- TaskDelayed event: one is emitted only when the slip grows.
CREATE TABLE task_slips (
  task_id            TEXT NOT NULL,
  baseline_id        TEXT NOT NULL,
  org_id             TEXT NOT NULL,
  project_id         TEXT NOT NULL,
  working_days_late  BIGINT NOT NULL,
  PRIMARY KEY (task_id, baseline_id)
);
