-- Construction projects of an organisation. The code is the short name people use on site and in
-- documents, so it is unique within the organisation (not across organisations).
CREATE TABLE projects (
  id            TEXT PRIMARY KEY,          -- UUIDv7: sorts in creation order
  org_id        TEXT NOT NULL,
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  address       TEXT NOT NULL,
  client        TEXT NOT NULL,
  start_date    TEXT NOT NULL,             -- YYYY-MM-DD
  end_date      TEXT,                      -- YYYY-MM-DD, not before start_date
  budget_minor  BIGINT CHECK (budget_minor IS NULL OR budget_minor >= 0),
  currency      TEXT NOT NULL,             -- ISO 4217
  status        TEXT NOT NULL CHECK (status IN ('draft', 'planned', 'in_progress', 'on_hold',
                                                'completed', 'cancelled')),
  version       BIGINT NOT NULL,           -- the ETag; bumped by every change
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  archived_at   TEXT,
  CONSTRAINT projects_org_code UNIQUE (org_id, code)
);
CREATE INDEX projects_org ON projects (org_id, id);
