-- Who takes part in each project (a user of the organisation or an outside company) and with which
-- project role; its lots (work packages by trade) and its milestones. Rows of a project never
-- outlive it: projects are archived, not deleted.
CREATE TABLE project_participants (
  id             TEXT PRIMARY KEY,        -- UUIDv7
  org_id         TEXT NOT NULL,
  project_id     TEXT NOT NULL REFERENCES projects (id),
  kind           TEXT NOT NULL CHECK (kind IN ('user', 'company')),
  user_id        TEXT,                    -- kind 'user'
  company_name   TEXT,                    -- kind 'company', with its optional contact details
  company_email  TEXT,
  company_phone  TEXT,
  company_siret  TEXT,
  role           TEXT NOT NULL CHECK (role IN ('manager', 'contributor', 'viewer')),
  trade          TEXT,
  version        BIGINT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  CHECK ((kind = 'user' AND user_id IS NOT NULL AND company_name IS NULL)
         OR (kind = 'company' AND user_id IS NULL AND company_name IS NOT NULL)),
  -- A user takes part once (companies have no user_id, and NULLs never collide).
  CONSTRAINT project_participants_user UNIQUE (project_id, user_id)
);
CREATE INDEX project_participants_project ON project_participants (org_id, project_id, id);
-- The projects a user takes part in (a guest's list of projects).
CREATE INDEX project_participants_user_projects ON project_participants (org_id, user_id);

CREATE TABLE project_lots (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL,
  project_id    TEXT NOT NULL REFERENCES projects (id),
  code          TEXT NOT NULL,            -- "GO", unique in the project
  name          TEXT NOT NULL,
  trade         TEXT,
  budget_minor  BIGINT CHECK (budget_minor IS NULL OR budget_minor >= 0),
  currency      TEXT NOT NULL,
  position      BIGINT NOT NULL,
  version       BIGINT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  CONSTRAINT project_lots_code UNIQUE (project_id, code)
);
CREATE INDEX project_lots_order ON project_lots (org_id, project_id, position, id);

-- lot_id is not a foreign key: removing a lot unties its milestones in the same transaction.
CREATE TABLE project_milestones (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  project_id   TEXT NOT NULL REFERENCES projects (id),
  lot_id       TEXT,
  name         TEXT NOT NULL,
  description  TEXT NOT NULL,
  due_date     TEXT NOT NULL,             -- YYYY-MM-DD
  reached_on   TEXT,                      -- YYYY-MM-DD
  version      BIGINT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX project_milestones_order ON project_milestones (org_id, project_id, due_date, id);
