-- Responses to POST requests sent with an Idempotency-Key, replayed when the key comes again.
-- Kept in the database so that a replay works after a restart and across gateway processes.
CREATE TABLE idempotency_keys (
  key          TEXT PRIMARY KEY,
  fingerprint  TEXT NOT NULL,
  state        TEXT NOT NULL,           -- 'in_flight' or 'done'
  status       INTEGER,
  headers      TEXT,                    -- JSON array of [name, value]
  body         TEXT,
  created_at   TEXT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
