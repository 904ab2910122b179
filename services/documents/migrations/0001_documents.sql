-- The documents service: uploaded files and their versions. The bytes live in the blob store,
-- addressed by their SHA-256; rows here name them. `projects` and `project_roles` are this
-- service's own projections of the projects service's events, never a join into its tables.

CREATE TABLE documents (
  id               TEXT PRIMARY KEY,            -- UUIDv7
  org_id           TEXT NOT NULL,
  name             TEXT NOT NULL,
  project_id       TEXT,
  task_id          TEXT,
  folder           TEXT NOT NULL DEFAULT '',
  tags             TEXT NOT NULL DEFAULT '[]',  -- JSON array, mirrored in document_tags
  current_version  INTEGER NOT NULL,
  size             BIGINT NOT NULL,
  sha256           TEXT NOT NULL,
  content_type     TEXT NOT NULL,
  ocr_status       TEXT NOT NULL DEFAULT 'none',
  row_version      INTEGER NOT NULL,            -- the ETag
  created_by       TEXT,
  created_at       TEXT NOT NULL,               -- RFC 3339 UTC
  updated_at       TEXT NOT NULL,
  deleted_at       TEXT                         -- soft delete: purged after the retention period
);
CREATE INDEX documents_org ON documents (org_id, id);
CREATE INDEX documents_project ON documents (org_id, project_id, id);
CREATE INDEX documents_deleted ON documents (deleted_at);

CREATE TABLE document_versions (
  document_id   TEXT NOT NULL,
  number        INTEGER NOT NULL,
  org_id        TEXT NOT NULL,
  name          TEXT NOT NULL,
  size          BIGINT NOT NULL,
  sha256        TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  created_by    TEXT,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (document_id, number)
);
CREATE INDEX document_versions_blob ON document_versions (sha256);
CREATE INDEX document_versions_org ON document_versions (org_id);

CREATE TABLE document_tags (
  document_id  TEXT NOT NULL,
  org_id       TEXT NOT NULL,
  tag          TEXT NOT NULL,
  PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags (org_id, tag);

-- Projects this service has heard of (projects.ProjectCreated.v1), so that a document can only be
-- linked to a project of the caller's organisation.
CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  created_by  TEXT
);

CREATE TABLE project_roles (
  project_id      TEXT NOT NULL,
  participant_id  TEXT NOT NULL,
  org_id          TEXT NOT NULL,
  user_id         TEXT,
  role            TEXT NOT NULL CHECK (role IN ('manager', 'contributor', 'viewer')),
  PRIMARY KEY (project_id, participant_id)
);
CREATE INDEX project_roles_user ON project_roles (org_id, user_id, project_id);
