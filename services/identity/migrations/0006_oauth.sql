-- OAuth clients (applications an organisation registers) and the authorization codes they
-- exchange. Lists are stored as space-separated text: redirect URIs, grant types and roles never
-- contain a space (the use cases check it), and both engines read them the same way.
CREATE TABLE oauth_clients (
  id             TEXT PRIMARY KEY,          -- UUIDv7, the client_id
  org_id         TEXT NOT NULL REFERENCES orgs (id),
  name           TEXT NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('confidential', 'public')),
  secret_hash    TEXT,                      -- SHA-256 of the secret; NULL for a public client
  redirect_uris  TEXT NOT NULL,             -- exact-match list
  grant_types    TEXT NOT NULL,             -- authorization_code, refresh_token, client_credentials
  roles          TEXT NOT NULL,             -- of its client_credentials tokens; never owner
  created_by     TEXT NOT NULL REFERENCES users (id),
  created_at     TEXT NOT NULL,
  revoked_at     TEXT,
  CHECK ((type = 'confidential') = (secret_hash IS NOT NULL))
);
CREATE INDEX oauth_clients_org ON oauth_clients (org_id, id);
CREATE INDEX oauth_clients_creator ON oauth_clients (org_id, created_by);

-- Single-use authorization codes, stored as SHA-256, bound to everything the token request must
-- repeat or prove. family_id is the refresh-token family issued from the code, so that a second
-- use of the code can end it (RFC 6749 §4.1.2).
CREATE TABLE oauth_codes (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES orgs (id),
  client_id       TEXT NOT NULL REFERENCES oauth_clients (id),
  user_id         TEXT NOT NULL REFERENCES users (id),
  code_hash       TEXT NOT NULL UNIQUE,
  redirect_uri    TEXT NOT NULL,
  scope           TEXT NOT NULL,
  nonce           TEXT NOT NULL,            -- '' when the request had none
  code_challenge  TEXT NOT NULL,            -- S256 only
  auth_time       TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  used_at         TEXT,
  family_id       TEXT
);

-- A refresh token issued to an OAuth client carries it and the scope granted; first-party
-- sessions (the portal) leave both NULL. Revoking a client ends its sessions through this index.
ALTER TABLE refresh_tokens ADD COLUMN client_id TEXT;
ALTER TABLE refresh_tokens ADD COLUMN scope TEXT;
CREATE INDEX refresh_tokens_client ON refresh_tokens (client_id);
