-- Email verification and password reset: single-use tokens sent by email, stored as SHA-256.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;

CREATE TABLE user_tokens (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,            -- the user's first organisation when the token was made
  user_id     TEXT NOT NULL REFERENCES users (id),
  purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);
