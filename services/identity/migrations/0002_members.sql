-- Invitations to join an organisation, and API keys for integrations. Both belong to one
-- organisation; their secrets are stored only as SHA-256 digests (auth::token_hash), so a leaked
-- table lets no one in.
CREATE TABLE invitations (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  email        TEXT NOT NULL,            -- lower-cased, compared with users.email on acceptance
  role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
  token_hash   TEXT NOT NULL UNIQUE,
  invited_by   TEXT NOT NULL,            -- a user id, or 'api_key:<id>'
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  accepted_at  TEXT,
  accepted_by  TEXT REFERENCES users (id),
  revoked_at   TEXT                      -- cancelled, or replaced by a newer invitation
);
CREATE INDEX invitations_org ON invitations (org_id, id);
CREATE INDEX invitations_org_email ON invitations (org_id, email);

-- An API key acts in its organisation with its role (never owner, never above its creator's).
CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES orgs (id),
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'member', 'guest')),
  key_hash      TEXT NOT NULL UNIQUE,    -- the gateway's lookup, one indexed query per request
  prefix        TEXT NOT NULL,           -- the key's first characters, shown in lists
  created_by    TEXT NOT NULL REFERENCES users (id),
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,                    -- updated at most once a minute
  revoked_at    TEXT
);
CREATE INDEX api_keys_org ON api_keys (org_id, id);
CREATE INDEX api_keys_creator ON api_keys (org_id, created_by);

-- Removing a member ends their sessions in that organisation.
CREATE INDEX refresh_tokens_user_org ON refresh_tokens (user_id, org_id);

-- Exactly one owner per organisation: a second wall behind the use cases, which move ownership
-- only by a transfer (the old owner is demoted before the new one is promoted).
CREATE UNIQUE INDEX memberships_one_owner ON memberships (org_id) WHERE role = 'owner';
