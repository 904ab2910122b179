-- Accounts are global (one person may belong to several organisations); everything an
-- organisation owns carries its org_id.
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,   -- lower-cased
  name           TEXT NOT NULL,
  password_hash  TEXT NOT NULL,          -- argon2id, libsodium's encoded form
  locale         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE orgs (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,             -- equal to id: the tenant column every table has
  name        TEXT NOT NULL,
  created_by  TEXT NOT NULL REFERENCES users (id),
  created_at  TEXT NOT NULL,
  CHECK (org_id = id)
);

CREATE TABLE memberships (
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  user_id     TEXT NOT NULL REFERENCES users (id),
  role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Opaque refresh tokens, stored as SHA-256. Each use replaces the token by a new one of the same
-- family; presenting a used token again revokes the whole family (a stolen token was replayed).
CREATE TABLE refresh_tokens (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  user_id      TEXT NOT NULL REFERENCES users (id),
  family_id    TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  used_at      TEXT,
  revoked_at   TEXT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Ed25519 keys that sign access tokens. Retired keys stay (for the JWKS) until not_after.
CREATE TABLE signing_keys (
  kid          TEXT PRIMARY KEY,
  private_pem  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  retired_at   TEXT,
  not_after    TEXT
);

-- Failed log-ins per account and per client address, for throttling.
CREATE TABLE login_throttle (
  key           TEXT PRIMARY KEY,        -- 'account:<email>' or 'ip:<address>'
  failures      INTEGER NOT NULL,
  window_start  TEXT NOT NULL,
  locked_until  TEXT
);

-- Append-only record of security-relevant actions. org_id is '' for actions outside any
-- organisation (a failed log-in for an unknown address).
CREATE TABLE audit_log (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  ip          TEXT NOT NULL,
  detail      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);
