-- OCR: one job per document version that is an image or a PDF (queued, running, done or failed,
-- with page progress), the text of each page with its confidence and word boxes (JSON), and the
-- entities read from that text (amounts, dates, SIRET, IBAN, ...) with page and byte position.
CREATE TABLE ocr_jobs (
  document_id  TEXT NOT NULL,
  version      INTEGER NOT NULL,
  org_id       TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  page_count   INTEGER NOT NULL DEFAULT 0,
  pages_done   INTEGER NOT NULL DEFAULT 0,
  error        TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (document_id, version)
);
CREATE INDEX ocr_jobs_status ON ocr_jobs (status, created_at);

CREATE TABLE ocr_pages (
  document_id      TEXT NOT NULL,
  version          INTEGER NOT NULL,
  number           INTEGER NOT NULL,
  org_id           TEXT NOT NULL,
  text             TEXT NOT NULL,
  confidence       DOUBLE PRECISION NOT NULL,
  width            INTEGER NOT NULL,
  height           INTEGER NOT NULL,
  from_text_layer  INTEGER NOT NULL,
  words            TEXT NOT NULL,  -- JSON: [{"text","left","top","width","height","confidence"}]
  PRIMARY KEY (document_id, version, number)
);

CREATE TABLE document_entities (
  document_id   TEXT NOT NULL,
  version       INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  org_id        TEXT NOT NULL,
  page          INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  value         TEXT NOT NULL,
  text          TEXT NOT NULL,
  byte_offset   INTEGER NOT NULL,
  byte_length   INTEGER NOT NULL,
  amount_minor  BIGINT,
  currency      TEXT,
  qualifier     TEXT,
  PRIMARY KEY (document_id, version, seq)
);
CREATE INDEX document_entities_kind ON document_entities (org_id, kind, value);
