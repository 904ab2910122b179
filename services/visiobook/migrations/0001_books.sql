-- VisioBook projects: a book, its settings, its source file (a blob), the state of its pipeline
-- (one JSON array of stage states), and the history of what each run produced.
CREATE TABLE books (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  title           TEXT NOT NULL,
  author          TEXT NOT NULL,
  settings        TEXT NOT NULL,   -- JSON: style, aspect, pacing, language, voice, target_minutes
  source_key      TEXT,            -- SHA-256 of the source in the blob store
  source_name     TEXT,
  source_format   TEXT,            -- text | epub | pdf | image
  source_size     BIGINT,
  status          TEXT NOT NULL CHECK (status IN ('draft', 'idle', 'queued', 'running', 'done',
                                                  'failed')),
  stages          TEXT NOT NULL,   -- JSON: [{"stage","status","progress","error"}]
  run_from        TEXT,            -- the stage the queued or running run starts at
  current_version INTEGER NOT NULL DEFAULT 0,
  error           TEXT,
  created_by      TEXT NOT NULL,
  row_version     INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX books_org ON books (org_id, id);
CREATE INDEX books_queue ON books (status, updated_at);

CREATE TABLE book_versions (
  book_id     TEXT NOT NULL,
  number      INTEGER NOT NULL,
  org_id      TEXT NOT NULL,
  settings    TEXT NOT NULL,
  run_from    TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  summary     TEXT NOT NULL,       -- JSON: counts and the video's length
  created_at  TEXT NOT NULL,
  finished_at TEXT,
  PRIMARY KEY (book_id, number)
);

-- What a version produced, by name ("analysis.json", "panels/0001.png", "video.mp4"): a blob.
-- A run from a later stage copies the rows of the stages it keeps.
CREATE TABLE book_files (
  book_id      TEXT NOT NULL,
  version      INTEGER NOT NULL,
  name         TEXT NOT NULL,
  org_id       TEXT NOT NULL,
  stage        TEXT NOT NULL,
  blob_key     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         BIGINT NOT NULL,
  PRIMARY KEY (book_id, version, name)
);
