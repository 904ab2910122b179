-- Second factor: one TOTP authenticator per account, single-use recovery codes, and the short-
-- lived challenges that sit between a correct password and the tokens.
CREATE TABLE mfa_totp (
  user_id         TEXT PRIMARY KEY REFERENCES users (id),
  secret          TEXT NOT NULL,        -- base32
  created_at      TEXT NOT NULL,
  confirmed_at    TEXT,                 -- NULL while enrolment waits for a first code
  last_used_step  INTEGER               -- a code's time step is accepted once
);

CREATE TABLE mfa_recovery_codes (
  user_id    TEXT NOT NULL REFERENCES users (id),
  code_hash  TEXT NOT NULL,
  used_at    TEXT,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE mfa_challenges (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,            -- the organisation the log-in asked for
  user_id     TEXT NOT NULL REFERENCES users (id),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  failures    INTEGER NOT NULL,
  used_at     TEXT
);
