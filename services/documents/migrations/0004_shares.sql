-- Share links: a document (or one of its versions) reachable without an account at /s/{token}
-- until it expires or is revoked. Only the token's SHA-256 is stored; the optional password as
-- an argon2id hash. failed_attempts and locked_until throttle password guessing per link.
CREATE TABLE document_shares (
  id               TEXT PRIMARY KEY,   -- UUIDv7
  org_id           TEXT NOT NULL,
  document_id      TEXT NOT NULL,
  token_hash       TEXT NOT NULL UNIQUE,
  version          INTEGER,            -- NULL: whatever version is current when downloaded
  password_hash    TEXT,
  expires_at       TEXT NOT NULL,
  created_by       TEXT,
  created_at       TEXT NOT NULL,
  revoked_at       TEXT,
  failed_attempts  INTEGER NOT NULL DEFAULT 0,
  locked_until     TEXT
);
CREATE INDEX document_shares_document ON document_shares (org_id, document_id, id);
