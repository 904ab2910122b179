-- Row-level security, the second wall behind the repositories' org filters: a transaction sees
-- and writes only the rows of the organisation it was started for (app.org_id), unless it is
-- declared cross-tenant (app.cross_tenant, see db::TxOptions) for the look-ups that precede
-- knowing the organisation. FORCE applies the policies to the tables' owner as well.
ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE orgs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orgs
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE user_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_tokens
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');

ALTER TABLE mfa_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_challenges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mfa_challenges
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');
